#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: data_collection_rule
short_description: Create, update or delete the data collection rule sending an AKS cluster's Prometheus metrics to a workspace
version_added: 0.1.0
description:
  - Ensures a data collection rule (C(Microsoft.Insights/dataCollectionRules), API 2023-03-11, kind V(Linux)) exists
    in the shape Microsoft's template for managed Prometheus on AKS gives it, or is absent - a Prometheus forwarder
    data source (C(PrometheusDataSource)) on the stream C(Microsoft-PrometheusMetrics), the Azure Monitor workspace as
    destination (C(MonitoringAccount1)), one data flow between them, sent through the stated data collection endpoint.
  - Data sources and destinations are named sets matched by name; ones found in Azure but not stated (added by
    someone else) are kept.
  - The rule starts collecting once associated with the cluster (M(phonebill.platform.data_collection_rule_association)).
options:
  name:
    description: Name of the rule (Microsoft's convention C(MSProm-<region>-<cluster>)).
    type: str
    required: true
  resource_group:
    description: Resource group of the rule.
    type: str
    required: true
  location:
    description: Azure region (the cluster's and the endpoint's). Required to create.
    type: str
  data_collection_endpoint:
    description: Resource id of the data collection endpoint the metrics go through. Required to create.
    type: str
  monitor_workspace:
    description: Resource id of the Azure Monitor workspace (C(Microsoft.Monitor/accounts)) storing the metrics. Required to create.
    type: str
  description:
    description: What the rule is for.
    type: str
  state:
    description: Whether the rule should exist. Deleting it stops the collection of every cluster associated with it.
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
- name: Prometheus metrics of the cluster to the Azure Monitor workspace
  phonebill.platform.data_collection_rule:
    name: MSProm-koreacentral-aks-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    data_collection_endpoint: "{{ group_id }}/providers/Microsoft.Insights/dataCollectionEndpoints/MSProm-koreacentral-aks-phonebill-prod"
    monitor_workspace: "{{ group_id }}/providers/Microsoft.Monitor/accounts/amw-phonebill-prod"
    description: DCR for Azure Monitor Metrics Profile (Managed Prometheus)
'''

RETURN = r'''
resource:
  description: The rule as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    kind: Linux
    location: koreacentral
    properties:
      dataCollectionEndpointId: /subscriptions/.../dataCollectionEndpoints/MSProm-koreacentral-aks-phonebill-prod
      dataSources:
        prometheusForwarder: [{name: PrometheusDataSource, streams: [Microsoft-PrometheusMetrics], labelIncludeFilter: {}}]
      destinations:
        monitoringAccounts: [{name: MonitoringAccount1, accountResourceId: /subscriptions/.../accounts/amw-phonebill-prod}]
      dataFlows: [{streams: [Microsoft-PrometheusMetrics], destinations: [MonitoringAccount1]}]
      immutableId: dcr-0123456789abcdef0123456789abcdef
id:
  description: Resource id of the rule (what the association names).
  returned: when O(state=present) and the rule exists (not for a new one in check mode)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.destinations.monitoringAccounts[MonitoringAccount1].accountResourceId", before: /old, after: /new}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, prometheus
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC

FORWARDERS = 'properties.dataSources.prometheusForwarder'
ACCOUNTS = 'properties.destinations.monitoringAccounts'


class DataCollectionRule(ArmResource):
    kind, service, operations = 'data collection rule', 'monitor', 'data_collection_rules'
    create_method, delete_method = 'create', 'delete'
    rules = {
        'kind': compare.IGNORE_CASE,
        'properties.dataCollectionEndpointId': compare.RESOURCE_ID,
        FORWARDERS: compare.NamedSet('name'),
        FORWARDERS + '[].streams': compare.Set(),
        ACCOUNTS: compare.NamedSet('name'),
        ACCOUNTS + '[].accountResourceId': compare.RESOURCE_ID,
        'properties.dataFlows[].streams': compare.Set(),
        'properties.dataFlows[].destinations': compare.Set(),
    }
    readonly = ArmResource.readonly + ('properties.immutableId', 'properties.endpoints', 'properties.metadata')
    immutable = ('location', 'kind')
    required_to_create = ('location', 'data_collection_endpoint', 'monitor_workspace')

    def desired(self):
        params = self.params
        workspace = params['monitor_workspace']
        return {
            'location': params['location'], 'tags': params['tags'], 'kind': 'Linux',
            'properties': {
                'description': params['description'],
                'dataCollectionEndpointId': params['data_collection_endpoint'],
                'dataSources': {'prometheusForwarder': [
                    {'name': prometheus.DATA_SOURCE, 'streams': [prometheus.STREAM], 'labelIncludeFilter': {}}]},
                'destinations': {'monitoringAccounts': [
                    {'name': prometheus.DESTINATION, 'accountResourceId': workspace}]} if workspace else None,
                'dataFlows': [{'streams': [prometheus.STREAM], 'destinations': [prometheus.DESTINATION]}],
            },
        }


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return (prometheus.resource_problems(params, 'data_collection_rule')
            + prometheus.resource_id_problems('data_collection_endpoint', params['data_collection_endpoint'],
                                              'data collection endpoint')
            + prometheus.resource_id_problems('monitor_workspace', params['monitor_workspace'], 'Azure Monitor workspace'))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            data_collection_endpoint=dict(type='str'),
            monitor_workspace=dict(type='str'),
            description=dict(type='str'),
            **dict(TAGS_ARGUMENT_SPEC, **STATE_ARGUMENT_SPEC)
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, DataCollectionRule(module))
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    module.exit(**result)


if __name__ == '__main__':
    main()
