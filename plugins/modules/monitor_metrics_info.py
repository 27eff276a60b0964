#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: monitor_metrics_info
short_description: Read Azure Monitor platform metrics of a resource over a period
version_added: 0.1.0
description:
  - Reads metrics of one resource with the Metrics API (C({resourceId}/providers/Microsoft.Insights/metrics)) over the
    O(period) ending now, at O(interval), with the aggregations asked for.
  - Returns Azure's answer and, per metric and aggregation, the highest, lowest and latest value, so a check can hold
    the worst point of the period against a threshold. Read at a metric alert's own window as O(interval), the highest
    point says whether the alert's condition held at any time in the period (SPEC §10 daily and weekly reviews).
  - Reads only; never changes anything.
options:
  resource_id:
    description: ARM id of the resource whose metrics are read.
    type: str
    required: true
  metrics:
    description: Metric names (at most 20, as the API allows), e.g. C(storage_percent), C(requests/duration).
    type: list
    elements: str
    required: true
  metric_namespace:
    description: Metric namespace (the resource type's when not given).
    type: str
  period:
    description: How far back to read, an ISO 8601 duration (C(PT24H), C(P7D)).
    type: str
    default: PT24H
  interval:
    description: Time grain of the points, an ISO 8601 duration (C(PT5M), C(PT1H)).
    type: str
    default: PT1H
  aggregations:
    description: Aggregations to read.
    type: list
    elements: str
    choices: [Average, Minimum, Maximum, Total, Count]
    default: [Average]
  dimensions:
    description:
      - Only the series with these dimension values, as a metric alert's criterion states them (C(name), C(values)).
    type: list
    elements: dict
    default: []
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-monitor >= 7, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: PostgreSQL storage over the last day
  phonebill.platform.monitor_metrics_info:
    resource_id: "{{ postgresql_id }}"
    metrics: [storage_percent]
    aggregations: [Maximum]
    period: PT24H
  register: storage

- name: Highest storage percentage of the day
  ansible.builtin.debug:
    msg: "{{ storage.metrics[0].summary.maximum.highest }}"
'''

RETURN = r'''
timespan:
  description: The period read, C(start/end) in UTC.
  returned: always
  type: str
  sample: 2026-12-01T00:00:00Z/2026-12-02T00:00:00Z
interval:
  description: The time grain Azure answered with.
  returned: always
  type: str
  sample: PT1H
metrics:
  description: One entry per metric, in the order asked.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Metric name.
      type: str
    unit:
      description: Unit Azure reports (C(Percent), C(MilliSeconds), C(Count), ...).
      type: str
    timeseries:
      description: The series as Azure returns them (C(metadatavalues), C(data)).
      type: list
      elements: dict
    summary:
      description:
        - Per aggregation (lower-case key), C(highest), C(lowest), C(latest) and C(points) (how many points had a
          value). An aggregation without any value (nothing was emitted) is absent.
      type: dict
      sample: {maximum: {highest: 81.5, lowest: 40.0, latest: 62.0, points: 24}}
'''

from ansible_collections.phonebill.platform.plugins.module_utils import monitor_data
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def validate(params):
    """Input problems needing no call to Azure."""
    problems = monitor_data.duration_problems('period', params['period'])
    problems += monitor_data.duration_problems('interval', params['interval'])
    if not params['metrics'] or len(params['metrics']) > 20:
        problems.append('metrics: give between 1 and 20 metric names; split longer lists into several tasks')
    for index, dimension in enumerate(params['dimensions']):
        if not dimension.get('name') or not dimension.get('values'):
            problems.append('dimensions[%d]: give name and values, as the alert criterion states them' % index)
    return problems


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        resource_id=dict(type='str', required=True),
        metrics=dict(type='list', elements='str', required=True),
        metric_namespace=dict(type='str'),
        period=dict(type='str', default='PT24H'),
        interval=dict(type='str', default='PT1H'),
        aggregations=dict(type='list', elements='str', default=['Average'], choices=list(monitor_data.AGGREGATIONS)),
        dimensions=dict(type='list', elements='dict', default=[])))
    params = module.params
    module.fail_on(validate(params))
    answer, metrics = monitor_data.read_metrics(module, params['resource_id'], params['metrics'], params['period'],
                                                params['interval'], params['aggregations'], params['metric_namespace'],
                                                params['dimensions'])
    module.exit(changed=False, timespan=answer['timespan'], interval=answer.get('interval'), metrics=metrics)


if __name__ == '__main__':
    main()
