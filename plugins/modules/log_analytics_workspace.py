#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: log_analytics_workspace
short_description: Create, update or delete an Azure Log Analytics workspace
version_added: 0.1.0
description:
  - Ensures a Log Analytics workspace (C(Microsoft.OperationalInsights/workspaces)) exists with the stated SKU,
    retention, daily ingestion cap and tags, or is absent.
  - Returns the workspace (customer) id agents send to, and the resource id the AKS monitoring add-on names.
  - Only what is stated is compared and changed; tags set elsewhere stay unless O(purge_tags=true).
options:
  name:
    description: Name of the workspace (4-63 letters, digits and C(-), starting and ending with a letter or digit).
    type: str
    required: true
  resource_group:
    description: Resource group of the workspace.
    type: str
    required: true
  location:
    description:
      - Azure region, in either form (V(Korea Central) or V(koreacentral)).
      - Required to create the workspace; a workspace cannot move.
    type: str
  sku:
    description:
      - Pricing tier. A new workspace without it gets Azure's default, V(PerGB2018).
    type: str
    choices: [PerGB2018]
  retention_days:
    description: Days data is kept (30-730).
    type: int
  daily_quota_gb:
    description:
      - Daily ingestion cap in GB (C(workspaceCapping.dailyQuotaGb)); ingestion stops for the day when reached.
      - V(-1) means no cap; otherwise at least V(0.023), the smallest cap Azure takes.
    type: float
  force_delete:
    description:
      - With O(state=absent), delete the workspace and its data at once and release the name.
      - Without it, Azure keeps a deleted workspace recoverable for 14 days (creating it again with the same name,
        group and region recovers it).
    type: bool
    default: false
  state:
    description: Whether the workspace should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 600 seconds.
requirements:
  - azure-mgmt-loganalytics >= 13, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Workspace Container Insights writes to (SPEC 90 days, 5 GB a day)
  phonebill.platform.log_analytics_workspace:
    name: law-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    sku: PerGB2018
    retention_days: 90
    daily_quota_gb: 5
    tags:
      service: phonebill
  register: workspace

- name: Lift the daily cap
  phonebill.platform.log_analytics_workspace:
    name: law-phonebill-prod
    resource_group: rg-phonebill-prod
    daily_quota_gb: -1
'''

RETURN = r'''
resource:
  description: The workspace as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/\
      providers/Microsoft.OperationalInsights/workspaces/law-phonebill-prod"
    name: law-phonebill-prod
    location: koreacentral
    properties:
      customerId: 0f9e8d7c-6b5a-4c3d-2e1f-0123456789ab
      sku: {name: PerGB2018}
      retentionInDays: 90
      workspaceCapping: {dailyQuotaGb: 5.0}
id:
  description: Resource id of the workspace (what the AKS monitoring add-on's C(logAnalyticsWorkspaceResourceID) names).
  returned: when O(state=present) and the workspace exists (not for a new workspace in check mode)
  type: str
customer_id:
  description: Workspace id (C(customerId)) agents and queries use.
  returned: when O(state=present) and the workspace exists
  type: str
  sample: 0f9e8d7c-6b5a-4c3d-2e1f-0123456789ab
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.retentionInDays, before: 30, after: 90}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, workspace_problems


class Workspace(ArmResource):
    kind, service, operations = 'Log Analytics workspace', 'loganalytics', 'workspaces'
    rules = {'properties.sku.name': compare.IGNORE_CASE,
             'properties.workspaceCapping.dailyQuotaGb': compare.NUMBER}
    readonly = ArmResource.readonly + ('properties.customerId', 'properties.createdDate', 'properties.modifiedDate',
                                       'properties.sku.lastSkuUpdate', 'properties.workspaceCapping.quotaNextResetTime',
                                       'properties.workspaceCapping.dataIngestionStatus',
                                       'properties.privateLinkScopedResources', 'properties.failover')
    immutable = ('location',)
    required_to_create = ('location',)

    def desired(self):
        params = self.params
        return compare.prune(dict(location=params['location'], tags=params['tags'],
                                  properties=dict(sku=dict(name=params['sku']), retentionInDays=params['retention_days'],
                                                  workspaceCapping=dict(dailyQuotaGb=params['daily_quota_gb']))))

    def remove(self):
        return self.ops.begin_delete(*self.where, force=self.params['force_delete'] or None)


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return workspace_problems(params) + name_problems('resource_group', params['resource_group'], 'resource_group')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            sku=dict(type='str', choices=['PerGB2018']),
            retention_days=dict(type='int'),
            daily_quota_gb=dict(type='float'),
            **TAGS_ARGUMENT_SPEC,
            force_delete=dict(type='bool', default=False),
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=600,
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, Workspace(module))
    if module.params['state'] == 'present':
        properties = result['resource'].get('properties') or {}
        result.update(id=result['resource'].get('id'), customer_id=properties.get('customerId'))
    module.exit(**result)


if __name__ == '__main__':
    main()
