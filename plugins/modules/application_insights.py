#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: application_insights
short_description: Create, update or delete a workspace-based Application Insights component
version_added: 0.1.0
description:
  - Ensures an Application Insights component (C(Microsoft.Insights/components), API 2020-02-02) exists, storing its
    telemetry in a Log Analytics workspace, with the stated application type, sampling, retention and network access,
    or is absent.
  - The instrumentation key and the connection string are masked in the result and the diff and not returned. With
    local authentication on, whoever has them can send telemetry to the component; applications should get the
    connection string from Key Vault, not from task output.
options:
  name:
    description: Name of the component.
    type: str
    required: true
  resource_group:
    description: Resource group of the component.
    type: str
    required: true
  location:
    description: Azure region. Required to create the component; it cannot move.
    type: str
  application_type:
    description: Kind of application (C(kind) and C(Application_Type)). Required to create the component.
    type: str
    choices: [web, other]
  workspace:
    description:
      - The Log Analytics workspace telemetry is stored in, by name (in O(resource_group)) or resource id.
      - Required to create the component (classic, non-workspace components are retired).
    type: str
  sampling_percentage:
    description: Percentage of telemetry kept by ingestion sampling (V(10) keeps one item in ten).
    type: float
  retention_days:
    description: Days telemetry is kept (30, 60, 90, 120, 180, 270, 365, 550 or 730).
    type: int
  public_network_access_for_ingestion:
    description: Whether telemetry can be sent from public networks.
    type: str
    choices: [Enabled, Disabled]
  public_network_access_for_query:
    description: Whether the telemetry can be queried from public networks.
    type: str
    choices: [Enabled, Disabled]
  disable_local_auth:
    description: Refuse telemetry authenticated only by the instrumentation key (Microsoft Entra ID only).
    type: bool
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - Component writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
requirements:
  - azure-mgmt-applicationinsights >= 4.1, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Application Insights of the services, 10% sampling (SPEC 9)
  phonebill.platform.application_insights:
    name: appi-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    application_type: web
    workspace: law-phonebill-prod
    sampling_percentage: 10
    retention_days: 90
'''

RETURN = r'''
resource:
  description: The component as Azure returns it (or, in check mode, as it would be), keys masked.
  returned: success
  type: dict
  sample:
    kind: web
    location: koreacentral
    properties:
      Application_Type: web
      SamplingPercentage: 10.0
      RetentionInDays: 90
      IngestionMode: LogAnalytics
      InstrumentationKey: "********"
      ConnectionString: "********"
id:
  description: Resource id of the component (what log search alerts on its telemetry name in their scopes).
  returned: when O(state=present) and the component exists (not for a new component in check mode)
  type: str
app_id:
  description: The application id (C(AppId)) the Application Insights query API takes.
  returned: when O(state=present) and the component exists
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.SamplingPercentage, before: 100.0, after: 10.0}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_checks import application_insights_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


class Component(ArmResource):
    kind, service, operations = 'Application Insights component', 'applicationinsights', 'components'
    create_method, delete_method = 'create_or_update', 'delete'
    rules = {'kind': compare.IGNORE_CASE, 'properties.Application_Type': compare.IGNORE_CASE,
             'properties.WorkspaceResourceId': compare.RESOURCE_ID, 'properties.SamplingPercentage': compare.NUMBER}
    secrets = ('properties.InstrumentationKey', 'properties.ConnectionString')
    readonly = ArmResource.readonly + tuple('properties.%s' % f for f in (
        'AppId', 'ApplicationId', 'InstrumentationKey', 'ConnectionString', 'CreationDate', 'TenantId', 'Name',
        'HockeyAppToken', 'PrivateLinkScopedResources', 'LaMigrationDate'))
    immutable = ('location', 'kind')
    required_to_create = ('location', 'application_type', 'workspace')

    def workspace_id(self):
        workspace = self.params['workspace']
        if workspace is None or workspace.startswith('/'):
            return workspace
        return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.OperationalInsights/workspaces/%s' % (
            self.module.subscription_id, self.params['resource_group'], workspace)

    def desired(self):
        params = self.params
        workspace = self.workspace_id()
        return compare.prune(dict(location=params['location'], kind=params['application_type'], tags=params['tags'],
                                  properties=dict(
                                      Application_Type=params['application_type'], WorkspaceResourceId=workspace,
                                      IngestionMode='LogAnalytics' if workspace else None,
                                      SamplingPercentage=params['sampling_percentage'],
                                      RetentionInDays=params['retention_days'],
                                      publicNetworkAccessForIngestion=params['public_network_access_for_ingestion'],
                                      publicNetworkAccessForQuery=params['public_network_access_for_query'],
                                      DisableLocalAuth=params['disable_local_auth'])))


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return application_insights_problems(params) + name_problems('resource_group', params['resource_group'],
                                                                 'resource_group')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            application_type=dict(type='str', choices=['web', 'other']),
            workspace=dict(type='str'),
            sampling_percentage=dict(type='float'),
            retention_days=dict(type='int'),
            public_network_access_for_ingestion=dict(type='str', choices=['Enabled', 'Disabled']),
            public_network_access_for_query=dict(type='str', choices=['Enabled', 'Disabled']),
            disable_local_auth=dict(type='bool'),
            **dict(TAGS_ARGUMENT_SPEC, **STATE_ARGUMENT_SPEC)
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, Component(module))
    if module.params['state'] == 'present':
        result.update(id=result['resource'].get('id'),
                      app_id=(result['resource'].get('properties') or {}).get('AppId'))
    module.exit(**result)


if __name__ == '__main__':
    main()
