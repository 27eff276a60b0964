#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: log_analytics_saved_search
short_description: Create, update or delete a saved search of a Log Analytics workspace
version_added: 0.1.0
description:
  - Ensures a saved search (C(Microsoft.OperationalInsights/workspaces/savedSearches)) of a workspace exists with the
    stated display name, category and Kusto query (and, optionally, the function alias it is callable by), or is absent.
options:
  name:
    description: Id of the saved search in the workspace.
    type: str
    required: true
  resource_group:
    description: Resource group of the workspace.
    type: str
    required: true
  workspace:
    description: Name of the Log Analytics workspace.
    type: str
    required: true
  display_name:
    description: Name shown in the portal's query list. Required to create the search.
    type: str
  category:
    description: Category the portal groups it under. Required to create the search.
    type: str
  query:
    description: The Kusto query. Required to create the search.
    type: str
  function_alias:
    description: Name the query can be called by from other queries (a workspace function).
    type: str
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - Writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
requirements:
  - azure-mgmt-loganalytics >= 13, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Errors by computer and container (SPEC 9)
  phonebill.platform.log_analytics_saved_search:
    name: phonebill-errors-by-container
    resource_group: rg-phonebill-prod
    workspace: law-phonebill-prod
    display_name: Errors by computer and container
    category: phonebill
    query: ContainerLog | where LogEntry contains "error" | summarize count() by Computer, ContainerID
'''

RETURN = r'''
resource:
  description: The saved search as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    name: phonebill-errors-by-container
    properties:
      displayName: Errors by computer and container
      category: phonebill
      query: ContainerLog | where LogEntry contains "error" | summarize count() by Computer, ContainerID
      version: 2
id:
  description: Resource id of the saved search.
  returned: when O(state=present) and the search exists (not for a new one in check mode)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.query, before: "Perf | take 10", after: "Perf | summarize avg(CounterValue) by Computer"}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_checks import saved_search_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


class SavedSearch(ArmResource):
    kind, parent_kind = 'saved search', 'workspace'
    service, operations = 'loganalytics', 'saved_searches'
    key = ('resource_group', 'workspace', 'name')
    create_method, delete_method = 'create_or_update', 'delete'
    required_to_create = ('display_name', 'category', 'query')

    def desired(self):
        params = self.params
        return compare.prune(dict(properties=dict(displayName=params['display_name'], category=params['category'],
                                                  query=params['query'], functionAlias=params['function_alias'])))


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return saved_search_problems(params) + name_problems('resource_group', params['resource_group'], 'resource_group')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            workspace=dict(type='str', required=True),
            display_name=dict(type='str'),
            category=dict(type='str'),
            query=dict(type='str'),
            function_alias=dict(type='str'),
            **STATE_ARGUMENT_SPEC
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, SavedSearch(module))
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    module.exit(**result)


if __name__ == '__main__':
    main()
