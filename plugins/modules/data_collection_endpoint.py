#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: data_collection_endpoint
short_description: Create, update or delete an Azure Monitor data collection endpoint
version_added: 0.1.0
description:
  - Ensures a data collection endpoint (C(Microsoft.Insights/dataCollectionEndpoints), API 2023-03-11) exists with
    the stated kind, network access, description and tags, or is absent.
  - For managed Prometheus on AKS, Microsoft's template names it C(MSProm-<region>-<cluster>) with kind V(Linux); the
    metrics add-on reads its configuration from the endpoint (the C(configurationAccessEndpoint) association,
    M(phonebill.platform.data_collection_rule_association)) and the rule sends through it.
  - The kind and the region are fixed when the endpoint is made; a task stating others fails and changes nothing.
options:
  name:
    description: Name of the endpoint (3-44 letters, digits and C(-)).
    type: str
    required: true
  resource_group:
    description: Resource group of the endpoint.
    type: str
    required: true
  location:
    description: Azure region (the cluster's). Required to create.
    type: str
  kind:
    description: The operating system of the agents using the endpoint; V(Linux) for the AKS metrics add-on.
    type: str
    choices: [Linux, Windows]
  public_network_access:
    description: Whether agents reach the endpoint from public networks.
    type: str
    choices: [Enabled, Disabled, SecuredByPerimeter]
  description:
    description: What the endpoint is for.
    type: str
  state:
    description: Whether the endpoint should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - Writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
requirements:
  - azure-mgmt-monitor >= 7, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Data collection endpoint of the cluster's Prometheus metrics
  phonebill.platform.data_collection_endpoint:
    name: MSProm-koreacentral-aks-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    kind: Linux
    public_network_access: Enabled
'''

RETURN = r'''
resource:
  description: The endpoint as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Insights/dataCollectionEndpoints/MSProm-koreacentral-aks-phonebill-prod
    kind: Linux
    location: koreacentral
    properties:
      configurationAccess: {endpoint: "https://msprom-koreacentral-aks-phonebill-prod-a1b2.koreacentral-1.handler.control.monitor.azure.com"}
      metricsIngestion: {endpoint: "https://msprom-koreacentral-aks-phonebill-prod-a1b2.koreacentral-1.metrics.ingest.monitor.azure.com"}
      networkAcls: {publicNetworkAccess: Enabled}
      provisioningState: Succeeded
id:
  description: Resource id of the endpoint.
  returned: when O(state=present) and the endpoint exists (not for a new one in check mode)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.networkAcls.publicNetworkAccess, before: Disabled, after: Enabled}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, prometheus
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC


class DataCollectionEndpoint(ArmResource):
    kind, service, operations = 'data collection endpoint', 'monitor', 'data_collection_endpoints'
    create_method, delete_method = 'create', 'delete'
    rules = {'kind': compare.IGNORE_CASE, 'properties.networkAcls.publicNetworkAccess': compare.IGNORE_CASE}
    readonly = ArmResource.readonly + ('properties.immutableId', 'properties.configurationAccess',
                                       'properties.logsIngestion', 'properties.metricsIngestion',
                                       'properties.failoverConfiguration', 'properties.metadata',
                                       'properties.privateLinkScopedResources')
    immutable = ('location', 'kind')
    required_to_create = ('location',)

    def desired(self):
        params = self.params
        access = params['public_network_access']
        return {'location': params['location'], 'tags': params['tags'], 'kind': params['kind'],
                'properties': {'description': params['description'],
                               'networkAcls': {'publicNetworkAccess': access} if access else None}}


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return prometheus.resource_problems(params, 'data_collection_endpoint')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            kind=dict(type='str', choices=['Linux', 'Windows']),
            public_network_access=dict(type='str', choices=['Enabled', 'Disabled', 'SecuredByPerimeter']),
            description=dict(type='str'),
            **dict(TAGS_ARGUMENT_SPEC, **STATE_ARGUMENT_SPEC)
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, DataCollectionEndpoint(module))
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    module.exit(**result)


if __name__ == '__main__':
    main()
