#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: data_collection_rule_association
short_description: Associate a data collection rule or endpoint with an Azure resource (an AKS cluster)
version_added: 0.1.0
description:
  - Ensures a data collection rule association (C(Microsoft.Insights/dataCollectionRuleAssociations), API 2023-03-11,
    an extension resource of the resource it is on) exists naming the stated rule or endpoint, or is absent.
  - For managed Prometheus on AKS, Microsoft's set has two on the cluster - C(ContainerInsightsMetricsExtension) naming
    the Prometheus rule (M(phonebill.platform.data_collection_rule)), and C(configurationAccessEndpoint) naming the
    data collection endpoint the metrics add-on reads its configuration from.
  - A resource that does not exist fails naming it (in check mode a warning, since an earlier task of the run may
    create it); nothing is written.
options:
  name:
    description: Name of the association (V(ContainerInsightsMetricsExtension), V(configurationAccessEndpoint)).
    type: str
    required: true
  resource_id:
    description: Resource id of the resource the association is on (the AKS cluster).
    type: str
    required: true
  data_collection_rule:
    description: Resource id of the data collection rule. State this or O(data_collection_endpoint).
    type: str
  data_collection_endpoint:
    description: Resource id of the data collection endpoint (the C(configurationAccessEndpoint) association).
    type: str
  description:
    description: What the association is for.
    type: str
  state:
    description: Whether the association should exist. Deleting it stops the collection from the resource.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - Writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
requirements:
  - azure-mgmt-monitor >= 7, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The cluster's Prometheus metrics collected by the rule
  phonebill.platform.data_collection_rule_association:
    name: ContainerInsightsMetricsExtension
    resource_id: "{{ group_id }}/providers/Microsoft.ContainerService/managedClusters/aks-phonebill-prod"
    data_collection_rule: "{{ group_id }}/providers/Microsoft.Insights/dataCollectionRules/MSProm-koreacentral-aks-phonebill-prod"
    description: Association of data collection rule. Deleting this association will break the data collection for this AKS Cluster.

- name: The metrics add-on reads its configuration from the endpoint
  phonebill.platform.data_collection_rule_association:
    name: configurationAccessEndpoint
    resource_id: "{{ group_id }}/providers/Microsoft.ContainerService/managedClusters/aks-phonebill-prod"
    data_collection_endpoint: "{{ group_id }}/providers/Microsoft.Insights/dataCollectionEndpoints/MSProm-koreacentral-aks-phonebill-prod"
'''

RETURN = r'''
resource:
  description: The association as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../managedClusters/aks-phonebill-prod/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsMetricsExtension
    name: ContainerInsightsMetricsExtension
    properties:
      dataCollectionRuleId: /subscriptions/.../dataCollectionRules/MSProm-koreacentral-aks-phonebill-prod
id:
  description: Resource id of the association.
  returned: when O(state=present) and the association exists (not for a new one in check mode)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.dataCollectionRuleId, before: /old, after: /new}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, prometheus
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC


class DataCollectionRuleAssociation(ArmResource):
    kind, service, operations = 'data collection rule association', 'monitor', 'data_collection_rule_associations'
    key = ('resource_id', 'name')
    create_method, delete_method = 'create', 'delete'
    rules = {'properties.dataCollectionRuleId': compare.RESOURCE_ID,
             'properties.dataCollectionEndpointId': compare.RESOURCE_ID}
    readonly = ArmResource.readonly + ('properties.metadata',)

    @property
    def where(self):
        """The SDK puts the resource id after a slash of its own."""
        return (self.params['resource_id'].strip('/'), self.params['name'])

    @property
    def label(self):
        return 'data collection rule association %s of %s' % (self.params['name'], self.params['resource_id'])

    def lookup(self):
        """Azure answers 404 for the associations of a resource that does not exist: name it before writing.

        An association that exists is on a resource that exists: nothing to list then.
        """
        if self.current is not None:
            return
        listed = self.module.get_or_none('list the associations of %s' % self.params['resource_id'],
                                         lambda: list(self.ops.list_by_resource(self.where[0])))
        if listed is not None:
            return
        message = ('resource_id: %s does not exist; create the cluster before its data collection rule association, '
                   'or remove the association from the inventory' % self.params['resource_id'])
        if not self.module.check_mode:
            self.module.fail(message)
        self.module.warn('%s (check mode: an earlier task of the run may create it)' % message)

    def desired(self):
        params = self.params
        return {'properties': {'description': params['description'],
                               'dataCollectionRuleId': params['data_collection_rule'],
                               'dataCollectionEndpointId': params['data_collection_endpoint']}}


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return prometheus.association_problems('', params)


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_id=dict(type='str', required=True),
            data_collection_rule=dict(type='str'),
            data_collection_endpoint=dict(type='str'),
            description=dict(type='str'),
            **STATE_ARGUMENT_SPEC
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, DataCollectionRuleAssociation(module))
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    module.exit(**result)


if __name__ == '__main__':
    main()
