#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: monitor_workspace
short_description: Create, update or delete an Azure Monitor workspace (managed Prometheus metrics store)
version_added: 0.1.0
description:
  - Ensures an Azure Monitor workspace (C(Microsoft.Monitor/accounts), API 2023-04-03) exists with the stated
    public network access and tags, or is absent.
  - The workspace stores the Prometheus metrics the AKS metrics add-on sends through a data collection rule
    (M(phonebill.platform.data_collection_rule)); PromQL queries go to its query endpoint, returned as RV(query_endpoint).
  - Azure creates a managed resource group C(MA_<name>_<region>_managed) holding the workspace's default data
    collection endpoint and rule; they are returned, never written by this module.
  - A region that does not offer Azure Monitor workspaces is refused before any call to Azure.
options:
  name:
    description: Name of the workspace (4-44 letters, digits and C(-)).
    type: str
    required: true
  resource_group:
    description: Resource group of the workspace.
    type: str
    required: true
  location:
    description: Azure region, in either form (V(Korea Central) or V(koreacentral)). Required to create; cannot change.
    type: str
  public_network_access:
    description: Whether the workspace is reachable (queries, ingestion) from public networks.
    type: str
    choices: [Enabled, Disabled]
  state:
    description: Whether the workspace should exist. Deleting it deletes its metrics and its managed resource group.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - Creating and updating are synchronous in Azure; O(wait) and O(timeout) apply to the deletion, a long-running
    operation. The default O(timeout) is 600 seconds.
requirements:
  - azure-mgmt-monitor >= 7, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Azure Monitor workspace of the cluster's Prometheus metrics
  phonebill.platform.monitor_workspace:
    name: amw-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    public_network_access: Enabled
  register: prometheus_workspace

- name: The PromQL endpoint the custom metrics adapter queries
  ansible.builtin.debug:
    msg: "{{ prometheus_workspace.query_endpoint }}"
'''

RETURN = r'''
resource:
  description: The workspace as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Monitor/accounts/amw-phonebill-prod
    name: amw-phonebill-prod
    location: koreacentral
    properties:
      accountId: 2df515bf-c3ce-4920-84d4-1d9d16542d9f
      metrics:
        prometheusQueryEndpoint: https://amw-phonebill-prod-a1b2.koreacentral.prometheus.monitor.azure.com
        internalId: mac_2df515bf-c3ce-4920-84d4-1d9d16542d9f
      provisioningState: Succeeded
      publicNetworkAccess: Enabled
id:
  description: Resource id of the workspace (the data collection rule's destination).
  returned: when O(state=present) and the workspace exists (not for a new one in check mode)
  type: str
query_endpoint:
  description: The Prometheus query endpoint (PromQL over HTTPS, Entra ID tokens for C(https://prometheus.monitor.azure.com)).
  returned: when O(state=present) and the workspace exists (not for a new one in check mode)
  type: str
  sample: https://amw-phonebill-prod-a1b2.koreacentral.prometheus.monitor.azure.com
default_data_collection_rule:
  description: Resource id of the data collection rule Azure created with the workspace (in its managed resource group).
  returned: when O(state=present) and the workspace exists (not for a new one in check mode)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.publicNetworkAccess, before: Disabled, after: Enabled}]
status_url:
  description: Where the status of a deletion not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and a deletion was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, prometheus
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC


class MonitorWorkspace(ArmResource):
    kind, service, operations = 'Azure Monitor workspace', 'monitor', 'azure_monitor_workspaces'
    create_method = 'create'
    rules = {'properties.publicNetworkAccess': compare.IGNORE_CASE}
    readonly = ArmResource.readonly + ('properties.accountId', 'properties.metrics', 'properties.defaultIngestionSettings',
                                       'properties.privateEndpointConnections')
    immutable = ('location',)
    required_to_create = ('location',)

    def desired(self):
        params = self.params
        return {'location': params['location'], 'tags': params['tags'],
                'properties': {'publicNetworkAccess': params['public_network_access']}}


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return (prometheus.resource_problems(params, 'monitor_workspace')
            + prometheus.workspace_region_problems('location', params['location']))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            public_network_access=dict(type='str', choices=['Enabled', 'Disabled']),
            **dict(TAGS_ARGUMENT_SPEC, **STATE_ARGUMENT_SPEC)
        ),
        long_running=True,
        default_timeout=600,
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, MonitorWorkspace(module))
    if module.params['state'] == 'present':
        props = result['resource'].get('properties') or {}
        result.update(id=result['resource'].get('id'),
                      query_endpoint=(props.get('metrics') or {}).get('prometheusQueryEndpoint'),
                      default_data_collection_rule=(props.get('defaultIngestionSettings') or {}).get(
                          'dataCollectionRuleResourceId'))
    module.exit(**result)


if __name__ == '__main__':
    main()
