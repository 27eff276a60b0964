#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: metric_alert
short_description: Create, update or delete an Azure Monitor metric alert rule
version_added: 0.1.0
description:
  - Ensures a metric alert rule (C(Microsoft.Insights/metricAlerts), location C(global)) on one resource exists with the
    stated criteria (C(SingleResourceMultipleMetricCriteria), static thresholds), schedule, severity and action
    groups, or is absent.
  - Criteria are a set keyed by name; a criterion changed, added, or found in Azure but not stated is reported and
    corrected (the criteria of an alert are all ANDed, so an extra one changes when it fires).
  - Bad input (a window shorter than the frequency, a duration Azure does not accept for metric alerts, a severity
    outside 0-4) fails before any call to Azure.
options:
  scopes:
    description:
      - Resource id of the resource the rule watches (one; a set compared without case).
      - Required to create the rule.
    type: list
    elements: str
  evaluation_frequency:
    description: How often the rule is evaluated, an ISO 8601 duration Azure accepts (V(PT1M), V(PT5M), V(PT15M), V(PT30M), V(PT1H)).
    type: str
  window_size:
    description:
      - The period the metric is aggregated over (V(PT1M), V(PT5M), V(PT15M), V(PT30M), V(PT1H), V(PT6H), V(PT12H), V(P1D)).
      - At least O(evaluation_frequency).
    type: str
  criteria:
    description:
      - The conditions, all of which must hold for the alert to fire. Required to create the rule.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the criterion (its key).
        type: str
        required: true
      metric_name:
        description: Metric, e.g. V(node_cpu_usage_percentage) of a cluster.
        type: str
        required: true
      metric_namespace:
        description: Namespace of the metric (the resource type for platform metrics).
        type: str
      operator:
        description: Comparison with the threshold.
        type: str
        required: true
        choices: [Equals, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual]
      threshold:
        description: The threshold.
        type: float
        required: true
      time_aggregation:
        description: How the metric's values in the window are aggregated.
        type: str
        required: true
        choices: [Average, Count, Minimum, Maximum, Total]
      dimensions:
        description: Dimension filters (a set keyed by name).
        type: list
        elements: dict
        suboptions:
          name:
            description: Dimension name.
            type: str
            required: true
          operator:
            description: Whether the values are included or excluded.
            type: str
            choices: [Include, Exclude]
            default: Include
          values:
            description: Dimension values (V(*) for every value, one time series each).
            type: list
            elements: str
            required: true
  action_groups:
    description:
      - Action groups notified, each by name (in O(resource_group)) or resource id.
      - Compared as a set; an action group found in Azure but not stated is kept unless O(purge_action_groups=true).
    type: list
    elements: str
  purge_action_groups:
    description: Remove action groups of the rule that are not in O(action_groups).
    type: bool
    default: false
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.alert
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
requirements:
  - azure-mgmt-monitor >= 7, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Node CPU above 85% over 15 minutes
  phonebill.platform.metric_alert:
    name: alert-aks-cpu
    resource_group: rg-phonebill-prod
    description: Node CPU above 85% over 15 minutes
    severity: 2
    scopes:
      - "{{ phonebill_group_id }}/providers/Microsoft.ContainerService/managedClusters/aks-phonebill-prod"
    evaluation_frequency: PT5M
    window_size: PT15M
    criteria:
      - name: cpu
        metric_name: node_cpu_usage_percentage
        metric_namespace: Microsoft.ContainerService/managedClusters
        operator: GreaterThan
        threshold: 85
        time_aggregation: Average
    action_groups: [ag-phonebill-ops]
    auto_mitigate: true
'''

RETURN = r'''
resource:
  description: The alert rule as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    location: global
    properties:
      severity: 2
      evaluationFrequency: PT5M
      windowSize: PT15M
      criteria:
        odata.type: Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria
        allOf: [{name: cpu, criterionType: StaticThresholdCriterion, metricName: node_cpu_usage_percentage,
                 operator: GreaterThan, threshold: 85.0, timeAggregation: Average}]
id:
  description: Resource id of the alert rule.
  returned: when O(state=present) and the rule exists (not for a new rule in check mode)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.criteria.allOf[cpu].threshold", before: 90.0, after: 85.0}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_alerts import (
    ALERT_ARGUMENT_SPEC, SCHEDULE_RULES, SCOPES_RULE, action_group_ids, common_properties, enabled_unless_stated)
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_checks import metric_alert_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems

SINGLE_RESOURCE = 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'


def criterion(item):
    """One static-threshold criterion in REST form."""
    dimensions = item.get('dimensions')
    return dict(criterionType='StaticThresholdCriterion', name=item['name'], metricName=item['metric_name'],
                metricNamespace=item.get('metric_namespace'), operator=item['operator'], threshold=item['threshold'],
                timeAggregation=item['time_aggregation'],
                dimensions=[dict(name=d['name'], operator=d['operator'], values=d['values']) for d in dimensions]
                if dimensions is not None else None)


class MetricAlert(ArmResource):
    kind, service, operations = 'metric alert', 'monitor', 'metric_alerts'
    create_method, delete_method = 'create_or_update', 'delete'
    readonly = ArmResource.readonly + ('properties.lastUpdatedTime', 'properties.isMigrated')
    required_to_create = ('severity', 'scopes', 'criteria', 'evaluation_frequency', 'window_size')

    @property
    def rules(self):
        rules = {'properties.scopes': SCOPES_RULE,
                 'properties.criteria.allOf': compare.NamedSet(purge=True),
                 'properties.criteria.allOf[].threshold': compare.NUMBER,
                 'properties.criteria.allOf[].dimensions': compare.NamedSet(purge=True),
                 'properties.actions': compare.NamedSet('actionGroupId', purge=self.params['purge_action_groups'],
                                                        key_rule=compare.RESOURCE_ID)}
        rules.update(SCHEDULE_RULES)
        return rules

    def desired(self):
        params = self.params
        properties = common_properties(params)
        if params['criteria'] is not None:
            properties['criteria'] = {'odata.type': SINGLE_RESOURCE, 'allOf': [criterion(c) for c in params['criteria']]}
        ids = action_group_ids(self.module)
        properties['actions'] = [dict(actionGroupId=i) for i in ids] if ids is not None else None
        return compare.prune(dict(location='global', tags=params['tags'], properties=properties))

    def write(self, body):
        return super(MetricAlert, self).write(enabled_unless_stated(body))


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return metric_alert_problems(params) + name_problems('resource_group', params['resource_group'], 'resource_group')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            ALERT_ARGUMENT_SPEC,
            criteria=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                metric_name=dict(type='str', required=True),
                metric_namespace=dict(type='str'),
                operator=dict(type='str', required=True,
                              choices=['Equals', 'GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual']),
                threshold=dict(type='float', required=True),
                time_aggregation=dict(type='str', required=True, choices=['Average', 'Count', 'Minimum', 'Maximum', 'Total']),
                dimensions=dict(type='list', elements='dict', options=dict(
                    name=dict(type='str', required=True),
                    operator=dict(type='str', choices=['Include', 'Exclude'], default='Include'),
                    values=dict(type='list', elements='str', required=True))))),
            purge_action_groups=dict(type='bool', default=False),
            **dict(TAGS_ARGUMENT_SPEC, **STATE_ARGUMENT_SPEC)
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, MetricAlert(module))
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    module.exit(**result)


if __name__ == '__main__':
    main()
