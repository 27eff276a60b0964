#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cost_query_info
short_description: Read actual costs through the Azure Cost Management Query API
version_added: 0.1.0
description:
  - Asks Cost Management (C(POST {scope}/providers/Microsoft.CostManagement/query)) for the cost of a scope over a
    timeframe, grouped by up to two dimensions, and returns its table as Azure answers it and as one dict per row.
  - The query is a read; nothing in Azure changes. Pages (C(nextLink)) are followed.
  - Also returns the costs by SPEC §11 budget line (C(by_component)), each row mapped by its resource type, else its
    meter category (C(phonebill.platform) C(cost_analysis.component_of)), when the grouping has either dimension.
options:
  scope:
    description:
      - The ARM scope to read, such as C(/subscriptions/{id}) or C(/subscriptions/{id}/resourceGroups/{name}).
      - Defaults to the subscription of the credentials.
    type: str
  type:
    description: Which costs; C(ActualCost) as billed, C(AmortizedCost) with reservations spread over their term.
    type: str
    choices: [ActualCost, AmortizedCost, Usage]
    default: ActualCost
  timeframe:
    description: The period; C(Custom) needs O(time_from) and O(time_to).
    type: str
    choices: [MonthToDate, BillingMonthToDate, TheLastMonth, TheLastBillingMonth, WeekToDate, Custom]
    default: MonthToDate
  time_from:
    description: Start of a C(Custom) timeframe (ISO 8601).
    type: str
  time_to:
    description: End of a C(Custom) timeframe (ISO 8601).
    type: str
  resource_groups:
    description:
      - Only the costs of these resource groups (a C(ResourceGroupName In) filter), for example the platform's group and
        the AKS node resource group, where Azure bills the nodes.
    type: list
    elements: str
  group_by:
    description: Dimensions to group by (Cost Management allows two).
    type: list
    elements: str
    default: [ResourceType, MeterCategory]
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-resource >= 26, < 27
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Month-to-date costs of the platform's and the AKS nodes' resource groups by resource type and meter
  phonebill.platform.cost_query_info:
    resource_groups: [rg-phonebill-prod, MC_rg-phonebill-prod_aks-phonebill-prod_koreacentral]
  register: costs

- name: Show the cost of each SPEC budget line
  ansible.builtin.debug:
    var: costs.by_component
'''

RETURN = r'''
columns:
  description: The table's columns as Azure returns them (the cost first, then the dimensions, then the currency).
  returned: always
  type: list
  elements: dict
  sample: [{name: Cost, type: Number}, {name: ResourceType, type: String}, {name: MeterCategory, type: String},
           {name: Currency, type: String}]
rows:
  description: One dict per row of the table, keyed by column name.
  returned: always
  type: list
  elements: dict
  sample: [{Cost: 312.5, ResourceType: microsoft.cache/redis, MeterCategory: Redis Cache, Currency: USD}]
by_component:
  description: Cost per SPEC §11 budget line (C(aks_nodes), C(postgresql), C(redis), C(application_gateway),
    C(load_balancer), C(storage), C(networking), C(monitoring)) and C(other) for what has no line.
  returned: always
  type: dict
  sample: {aks_nodes: 600.0, postgresql: 225.0, redis: 125.0, other: 27.5}
currency:
  description: The currency of the costs (the first row's); null without rows.
  returned: always
  type: str
  sample: USD
as_of:
  description: The date (UTC) the query ran, the last day a C(MonthToDate) query covers.
  returned: always
  type: str
  sample: "2026-12-15"
'''

import datetime

from ansible_collections.phonebill.platform.plugins.module_utils import arm_rest, cost_analysis
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule

API_VERSION = '2023-11-01'
MAX_GROUPINGS = 2


def validate(params):
    """Input problems, before any call to Azure."""
    problems = []
    if params['timeframe'] == 'Custom' and not (params['time_from'] and params['time_to']):
        problems.append('time_from: required with timeframe Custom (and time_to); give both as ISO 8601 dates')
    if params['timeframe'] != 'Custom' and (params['time_from'] or params['time_to']):
        problems.append('time_from: only with timeframe Custom; drop time_from/time_to or set timeframe: Custom')
    if len(params['group_by']) > MAX_GROUPINGS:
        problems.append('group_by: %d dimensions; Cost Management groups by at most %d' % (len(params['group_by']), MAX_GROUPINGS))
    if params['scope'] and not params['scope'].lower().startswith(('/subscriptions/', '/providers/')):
        problems.append('scope: %r is not an ARM scope; give /subscriptions/{id}[/resourceGroups/{name}]' % params['scope'])
    return problems


def definition(params):
    """The QueryDefinition body: cost summed, grouped by the dimensions asked for."""
    body = dict(type=params['type'], timeframe=params['timeframe'],
                dataset=dict(granularity='None', aggregation=dict(totalCost=dict(name='Cost', function='Sum')),
                             grouping=[dict(type='Dimension', name=name) for name in params['group_by']]))
    if params['resource_groups']:
        body['dataset']['filter'] = dict(dimensions=dict(name='ResourceGroupName', operator='In',
                                                         values=params['resource_groups']))
    if params['timeframe'] == 'Custom':
        body['timePeriod'] = {'from': params['time_from'], 'to': params['time_to']}
    return body


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        scope=dict(type='str'),
        type=dict(type='str', choices=['ActualCost', 'AmortizedCost', 'Usage'], default='ActualCost'),
        timeframe=dict(type='str', default='MonthToDate',
                       choices=['MonthToDate', 'BillingMonthToDate', 'TheLastMonth', 'TheLastBillingMonth', 'WeekToDate', 'Custom']),
        time_from=dict(type='str'),
        time_to=dict(type='str'),
        resource_groups=dict(type='list', elements='str'),
        group_by=dict(type='list', elements='str', default=['ResourceType', 'MeterCategory']),
    ))
    params = module.params
    module.fail_on(validate(params))
    scope = (params['scope'] or '/subscriptions/%s' % module.subscription_id).rstrip('/')
    as_of = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    body = definition(params)
    answer = module.call('query the costs of %s' % scope, arm_rest.send, module, 'POST',
                         scope + '/providers/Microsoft.CostManagement/query', API_VERSION, body=body) or {}
    props = answer.get('properties') or {}
    columns, table = props.get('columns') or [], list(props.get('rows') or [])
    while props.get('nextLink'):
        page = module.call('read the next page of the costs of %s' % scope, arm_rest.send, module, 'POST',
                           props['nextLink'], None, body=body) or {}
        props = page.get('properties') or {}
        table.extend(props.get('rows') or [])
    rows = cost_analysis.records(columns, table)
    module.exit(changed=False, columns=columns, rows=rows, by_component=cost_analysis.costs_by_component(rows),
                currency=rows[0].get('Currency') if rows else None, as_of=as_of)


if __name__ == '__main__':
    main()
