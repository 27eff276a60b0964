#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: log_analytics_query
short_description: Run a read-only Kusto query against a Log Analytics workspace or a resource's logs
version_added: 0.1.0
description:
  - Runs a query with the Log Analytics query API (C(POST /v1/workspaces/{workspaceId}/query), or
    C(POST /v1/{resourceId}/query) for a resource's own logs such as an Application Insights component's
    C(requests)) over the O(period) ending now.
  - Returns the tables as Azure answers them, the first table's rows as dictionaries and, per numeric column, the
    total and the highest value, so a check can count errors or hold a query alert's measure against its threshold.
  - A query cannot change data; the module never changes anything.
options:
  workspace_id:
    description: The workspace's customer id (a GUID, the C(customerId) of the workspace). Exclusive with O(resource_id).
    type: str
  resource_id:
    description: ARM id of a workspace or another resource (resource-centric query). Exclusive with O(workspace_id).
    type: str
  query:
    description: The Kusto query.
    type: str
    required: true
  period:
    description: The query's timespan, an ISO 8601 duration ending now (C(PT24H), C(P7D)).
    type: str
    default: PT24H
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-core >= 1.38, < 2
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Count the error lines of the day
  phonebill.platform.log_analytics_query:
    resource_id: "{{ workspace_id }}"
    query: ContainerLog | where LogEntry has "error" | summarize errors = count()
    period: PT24H
  register: errors

- name: How many
  ansible.builtin.debug:
    msg: "{{ errors.columns.errors.total | default(0) }}"
'''

RETURN = r'''
tables:
  description: The tables as Azure returns them (C(name), C(columns) with C(name) and C(type), C(rows)).
  returned: always
  type: list
  elements: dict
rows:
  description: The first table's rows as dictionaries by column name.
  returned: always
  type: list
  elements: dict
columns:
  description: Per numeric column of the first table, C(total), C(highest) and C(rows) (absent when no row).
  returned: always
  type: dict
  sample: {errors: {total: 42, highest: 30, rows: 2}}
'''

import re

from ansible_collections.phonebill.platform.plugins.module_utils import monitor_data
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule

GUID = re.compile(r'^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$')


def validate(params):
    """Input problems needing no call to Azure."""
    problems = monitor_data.duration_problems('period', params['period'])
    if params['workspace_id'] and not GUID.match(params['workspace_id']):
        problems.append('workspace_id: %r is not a GUID; give the workspace customerId (or use resource_id with the '
                        'workspace ARM id)' % params['workspace_id'])
    if params['resource_id'] and not params['resource_id'].lower().startswith('/subscriptions/'):
        problems.append('resource_id: %r is not an ARM id; give /subscriptions/.../providers/...' % params['resource_id'])
    if not params['query'].strip():
        problems.append('query: empty; give the Kusto query')
    return problems


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        workspace_id=dict(type='str'),
        resource_id=dict(type='str'),
        query=dict(type='str', required=True),
        period=dict(type='str', default='PT24H')),
        required_one_of=[('workspace_id', 'resource_id')], mutually_exclusive=[('workspace_id', 'resource_id')])
    params = module.params
    module.fail_on(validate(params))
    scope = '/workspaces/%s' % params['workspace_id'] if params['workspace_id'] else params['resource_id']
    answer = module.call('query the logs of %s' % scope, monitor_data.query, module, scope, params['query'],
                         params['period'])
    tables = answer.get('tables') or []
    module.exit(changed=False, tables=tables, rows=monitor_data.rows(tables), columns=monitor_data.column_summary(tables))


if __name__ == '__main__':
    main()
