#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: scheduled_query_alert
short_description: Create, update or delete an Azure Monitor log search alert rule
version_added: 0.1.0
description:
  - Ensures a log search alert rule (C(Microsoft.Insights/scheduledQueryRules), kind C(LogAlert), API 2023-12-01)
    exists with the stated Kusto conditions, schedule, severity and action groups, or is absent.
  - Used where a metric alone cannot say it, such as a rate computed from Application Insights requests or a count
    of container restarts in Container Insights.
  - Conditions have no name in Azure, so they are compared in order; every difference is reported.
options:
  location:
    description:
      - Region of the rule, the region of the workspace or component it queries. Required to create it; it cannot move.
    type: str
  scopes:
    description: Resource id of the workspace or Application Insights component queried. Required to create the rule.
    type: list
    elements: str
  evaluation_frequency:
    description: How often the query runs, an ISO 8601 duration from V(PT1M) to V(P1D).
    type: str
  window_size:
    description: The period the query covers, at least O(evaluation_frequency) and at most V(P2D).
    type: str
  criteria:
    description: The conditions, in order. Required to create the rule.
    type: list
    elements: dict
    suboptions:
      query:
        description: Kusto query.
        type: str
        required: true
      time_aggregation:
        description: How the query's rows are aggregated.
        type: str
        required: true
        choices: [Average, Count, Minimum, Maximum, Total]
      metric_measure_column:
        description: Column aggregated (required unless O(criteria[].time_aggregation=Count)).
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
      failing_periods:
        description: How many of the last evaluations must fail before it fires.
        type: dict
        suboptions:
          number_of_evaluation_periods:
            description: Evaluations looked at.
            type: int
            default: 1
          min_failing_periods_to_alert:
            description: Failing evaluations among them that fire the alert.
            type: int
            default: 1
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
- name: Failed requests above 5% over 5 minutes (SPEC 9, critical)
  phonebill.platform.scheduled_query_alert:
    name: alert-failed-requests
    resource_group: rg-phonebill-prod
    location: koreacentral
    severity: 0
    scopes:
      - "{{ phonebill_group_id }}/providers/Microsoft.Insights/components/appi-phonebill-prod"
    evaluation_frequency: PT5M
    window_size: PT5M
    criteria:
      - query: requests | summarize failed_percent = 100.0 * countif(success == false) / count()
        time_aggregation: Maximum
        metric_measure_column: failed_percent
        operator: GreaterThan
        threshold: 5
    action_groups: [ag-phonebill-ops]
'''

RETURN = r'''
resource:
  description: The rule as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    kind: LogAlert
    location: koreacentral
    properties:
      severity: 0
      evaluationFrequency: PT5M
      windowSize: PT5M
      criteria: {allOf: [{query: "requests | ...", timeAggregation: Maximum, operator: GreaterThan, threshold: 5.0}]}
id:
  description: Resource id of the rule.
  returned: when O(state=present) and the rule exists (not for a new rule in check mode)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.windowSize, before: PT15M, after: PT5M}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_alerts import (
    ALERT_ARGUMENT_SPEC, SCHEDULE_RULES, SCOPES_RULE, action_group_ids, common_properties)
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_checks import scheduled_query_alert_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


def condition(item):
    """One condition in REST form."""
    periods = item.get('failing_periods')
    return dict(query=item['query'], timeAggregation=item['time_aggregation'],
                metricMeasureColumn=item.get('metric_measure_column'), operator=item['operator'],
                threshold=item['threshold'],
                failingPeriods=dict(numberOfEvaluationPeriods=periods['number_of_evaluation_periods'],
                                    minFailingPeriodsToAlert=periods['min_failing_periods_to_alert'])
                if periods else None)


class ScheduledQueryAlert(ArmResource):
    kind, service, operations = 'log search alert', 'monitor', 'scheduled_query_rules'
    create_method, delete_method = 'create_or_update', 'delete'
    readonly = ArmResource.readonly + ('properties.createdWithApiVersion', 'properties.isLegacyLogAnalyticsRule',
                                       'properties.isWorkspaceAlertsStorageConfigured')
    rules = dict(SCHEDULE_RULES, **{'properties.scopes': SCOPES_RULE,
                                    'properties.criteria.allOf[].threshold': compare.NUMBER,
                                    'properties.actions.actionGroups': SCOPES_RULE})
    immutable = ('location', 'kind')
    required_to_create = ('location', 'severity', 'scopes', 'criteria', 'evaluation_frequency', 'window_size')

    def desired(self):
        params = self.params
        properties = common_properties(params)
        if params['criteria'] is not None:
            properties['criteria'] = dict(allOf=[condition(c) for c in params['criteria']])
        ids = action_group_ids(self.module)
        properties['actions'] = dict(actionGroups=ids) if ids is not None else None
        return compare.prune(dict(location=params['location'], kind='LogAlert', tags=params['tags'],
                                  properties=properties))


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return scheduled_query_alert_problems(params) + name_problems('resource_group', params['resource_group'],
                                                                  'resource_group')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            ALERT_ARGUMENT_SPEC,
            location=dict(type='str'),
            criteria=dict(type='list', elements='dict', options=dict(
                query=dict(type='str', required=True),
                time_aggregation=dict(type='str', required=True, choices=['Average', 'Count', 'Minimum', 'Maximum', 'Total']),
                metric_measure_column=dict(type='str'),
                operator=dict(type='str', required=True,
                              choices=['Equals', 'GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual']),
                threshold=dict(type='float', required=True),
                failing_periods=dict(type='dict', options=dict(
                    number_of_evaluation_periods=dict(type='int', default=1),
                    min_failing_periods_to_alert=dict(type='int', default=1))))),
            **dict(TAGS_ARGUMENT_SPEC, **STATE_ARGUMENT_SPEC)
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, ScheduledQueryAlert(module))
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    module.exit(**result)


if __name__ == '__main__':
    main()
