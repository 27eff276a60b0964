#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: virtual_network
short_description: Create, update or delete an Azure virtual network and its subnets
version_added: 0.1.0
description:
  - Ensures a virtual network exists with the stated address space, DNS servers, tags and subnets, or is absent.
  - Subnets are a set keyed by name. A stated subnet is created or brought to what is stated; what a subnet
    has in Azure and the task does not state is kept.
  - Subnets found in Azure but not stated are kept and listed in RV(unmanaged_subnets), unless
    O(purge_subnets=true). Azure deletes every subnet missing from a virtual network update, so the update
    always carries the subnets that exist.
  - Address checks run before any call to Azure; subnet ranges must lie inside the address space and must
    not overlap one another nor a kept subnet.
options:
  name:
    description: Name of the virtual network.
    type: str
    required: true
  resource_group:
    description: Resource group of the virtual network.
    type: str
    required: true
  location:
    description:
      - Azure region, in either form (V(Korea Central) or V(koreacentral)). Required to create.
      - A virtual network cannot move; a different region on an existing one is an error.
    type: str
  address_prefixes:
    description:
      - Address space, as CIDR blocks. Required to create. When stated, the address space is exactly these
        blocks (order does not matter).
    type: list
    elements: str
  dns_servers:
    description:
      - Custom DNS server addresses, in order. An empty list returns to Azure-provided DNS.
    type: list
    elements: str
  subnets:
    description: Subnets, a set keyed by O(subnets[].name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Subnet name (unique in the virtual network, compared without case).
        type: str
        required: true
      address_prefix:
        description: The subnet's CIDR block, inside O(address_prefixes).
        type: str
        required: true
      service_endpoints:
        description:
          - Service endpoints, by the names Azure has (any case) V(Microsoft.AzureActiveDirectory),
            V(Microsoft.AzureCosmosDB), V(Microsoft.CognitiveServices), V(Microsoft.ContainerRegistry),
            V(Microsoft.EventHub), V(Microsoft.KeyVault), V(Microsoft.ServiceBus), V(Microsoft.Sql), V(Microsoft.Storage),
            V(Microsoft.Storage.Global), V(Microsoft.Web). Any other service (Azure Cache for Redis, ...) is reached
            through a private endpoint; its name is refused before any call.
          - When stated, the subnet has exactly these; V([]) removes them all.
        type: list
        elements: str
      delegations:
        description:
          - Services the subnet is delegated to (V(Microsoft.DBforPostgreSQL/flexibleServers), ...).
          - When stated, the subnet is delegated to exactly these; V([]) removes delegation.
        type: list
        elements: str
      network_security_group:
        description: Network security group to associate, by name (same resource group) or resource id.
        type: str
      private_endpoint_network_policies:
        description: Whether network security groups and route tables apply to private endpoints in the subnet.
        type: str
        choices: [Disabled, Enabled, NetworkSecurityGroupEnabled, RouteTableEnabled]
      private_link_service_network_policies:
        description: Whether network policies apply to private link services in the subnet.
        type: str
        choices: [Disabled, Enabled]
  purge_subnets:
    description:
      - Delete subnets that exist in Azure but are not in O(subnets). Off by default, so that a subnet made
        elsewhere (a gateway's, a firewall's) is never removed by accident.
    type: bool
    default: false
  state:
    description: Whether the virtual network should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 600 seconds.
  - A subnet's network security group is only ever set or changed here, never removed.
requirements:
  - azure-mgmt-network >= 30, < 34
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Virtual network of the platform
  phonebill.platform.virtual_network:
    name: vnet-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    address_prefixes: [10.0.0.0/16]
    subnets:
      - name: snet-application
        address_prefix: 10.0.1.0/24
        service_endpoints: [Microsoft.ContainerRegistry]
        network_security_group: nsg-aks
      - name: snet-database
        address_prefix: 10.0.2.0/24
        delegations: [Microsoft.DBforPostgreSQL/flexibleServers]
    tags:
      service: phonebill

- name: Make the subnets exactly these, deleting any other
  phonebill.platform.virtual_network:
    name: vnet-phonebill-prod
    resource_group: rg-phonebill-prod
    subnets:
      - name: snet-application
        address_prefix: 10.0.1.0/24
    purge_subnets: true
'''

RETURN = r'''
resource:
  description: The virtual network as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-prod
    name: vnet-phonebill-prod
    location: koreacentral
    properties:
      addressSpace: {addressPrefixes: [10.0.0.0/16]}
      subnets:
        - name: snet-application
          id: /subscriptions/.../virtualNetworks/vnet-phonebill-prod/subnets/snet-application
          properties: {addressPrefix: 10.0.1.0/24}
subnet_ids:
  description: Id of every subnet of the virtual network, by name.
  returned: when O(state=present) and the virtual network exists (or would, in check mode)
  type: dict
  sample: {snet-application: /subscriptions/.../virtualNetworks/vnet-phonebill-prod/subnets/snet-application}
unmanaged_subnets:
  description: Subnets that exist in Azure, are not in O(subnets), and were kept.
  returned: when O(state=present)
  type: list
  elements: str
  sample: [AzureBastionSubnet]
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.subnets[snet-cache].properties.addressPrefix", before: 10.0.9.0/24, after: 10.0.3.0/24}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

import ipaddress

from ansible_collections.phonebill.platform.plugins.module_utils import compare, network_common as net
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.network_common import (
    PRIVATE_ENDPOINT_POLICIES, PRIVATE_LINK_SERVICE_POLICIES)
from ansible_collections.phonebill.platform.plugins.module_utils.validation import find, name_problems, same

SUBNETS = 'properties.subnets'


def subnet_rules(purge):
    return {
        SUBNETS: compare.NamedSet(purge=purge),
        SUBNETS + '[].properties.addressPrefix': compare.CIDR,
        SUBNETS + '[].properties.serviceEndpoints': compare.NamedSet(key='service', purge=True),
        SUBNETS + '[].properties.delegations': compare.NamedSet(purge=True),
        SUBNETS + '[].properties.delegations[].properties.serviceName': compare.IGNORE_CASE,
        SUBNETS + '[].properties.networkSecurityGroup.id': compare.RESOURCE_ID,
        SUBNETS + '[].properties.privateEndpointNetworkPolicies': compare.IGNORE_CASE,
        SUBNETS + '[].properties.privateLinkServiceNetworkPolicies': compare.IGNORE_CASE,
    }


class VirtualNetwork(ArmResource):
    kind, service, operations = 'virtual network', 'network', 'virtual_networks'
    immutable = ('location',)
    required_to_create = ('location', 'address_prefixes')

    @property
    def rules(self):
        rules = {'properties.addressSpace.addressPrefixes': compare.Set(compare.CIDR),
                 'properties.dhcpOptions.dnsServers': compare.Ordered()}
        rules.update(subnet_rules(self.params['purge_subnets']))
        return rules

    def existing_subnets(self):
        return ((self.current or {}).get('properties') or {}).get('subnets') or []

    def unmanaged(self):
        """Subnets in Azure that the task does not state (kept unless purge_subnets)."""
        if self.params['subnets'] is None:
            return [s['name'] for s in self.existing_subnets()]
        return [s['name'] for s in self.existing_subnets() if find(self.params['subnets'], s['name']) is None]

    def delegation(self, existing, service):
        """A delegation, reusing the name Azure has for the same service so it is not replaced."""
        for item in ((existing or {}).get('properties') or {}).get('delegations') or []:
            if same((item.get('properties') or {}).get('serviceName'), service):
                return {'name': item['name'], 'properties': {'serviceName': service}}
        return {'name': service.replace('/', '.'), 'properties': {'serviceName': service}}

    def subnet(self, stated):
        existing = find(self.existing_subnets(), stated['name'])
        nsg = net.resource_id(self.module, self.params['resource_group'], 'networkSecurityGroups',
                              stated['network_security_group'])
        endpoints = stated['service_endpoints']
        delegations = stated['delegations']
        return {'name': stated['name'], 'properties': {
            'addressPrefix': stated['address_prefix'],
            'serviceEndpoints': None if endpoints is None else [{'service': s} for s in endpoints],
            'delegations': None if delegations is None else [self.delegation(existing, s) for s in delegations],
            'networkSecurityGroup': {'id': nsg} if nsg else None,
            'privateEndpointNetworkPolicies': stated['private_endpoint_network_policies'],
            'privateLinkServiceNetworkPolicies': stated['private_link_service_network_policies'],
        }}

    def desired(self):
        params = self.params
        subnets = params['subnets']
        return {
            'location': params['location'],
            'tags': params['tags'],
            'properties': {
                'addressSpace': {'addressPrefixes': params['address_prefixes']},
                'dhcpOptions': {'dnsServers': params['dns_servers']},
                'subnets': None if subnets is None else [self.subnet(s) for s in subnets],
            },
        }

    def problems(self):
        """Address checks that need what exists: the current space, and subnets that stay."""
        if self.current is None:
            return []
        space = self.params['address_prefixes']
        if space is None:
            space = ((self.current.get('properties') or {}).get('addressSpace') or {}).get('addressPrefixes') or []
        space = [ipaddress.ip_network(p, strict=False) for p in space]
        kept = [] if self.params['purge_subnets'] else [find(self.existing_subnets(), n) for n in self.unmanaged()]
        kept_networks = []
        for subnet in kept:
            prefix = (subnet.get('properties') or {}).get('addressPrefix')
            if prefix:
                kept_networks.append(('subnet %s (in Azure, not stated)' % subnet['name'],
                                      ipaddress.ip_network(prefix, strict=False)))
        found = []
        for label, network in kept_networks:
            found += net.inside_problems('address_prefixes', network, space,
                                         'the address space; %s would be left outside it' % label)
        for subnet in self.params['subnets'] or []:
            option = 'subnets[%s].address_prefix' % subnet['name']
            network = ipaddress.ip_network(subnet['address_prefix'], strict=False)
            found += net.inside_problems(option, network, space)
            found += ['%s: %s overlaps %s %s; pick another range, or set purge_subnets=true to delete it'
                      % (option, network, label, other) for label, other in kept_networks if network.overlaps(other)]
        return found


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return (net.virtual_network_problems(params)
            + name_problems('resource_group', params['resource_group'], 'resource_group'))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            address_prefixes=dict(type='list', elements='str'),
            dns_servers=dict(type='list', elements='str'),
            subnets=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                address_prefix=dict(type='str', required=True),
                service_endpoints=dict(type='list', elements='str'),
                delegations=dict(type='list', elements='str'),
                network_security_group=dict(type='str'),
                private_endpoint_network_policies=dict(type='str', choices=list(PRIVATE_ENDPOINT_POLICIES)),
                private_link_service_network_policies=dict(type='str', choices=list(PRIVATE_LINK_SERVICE_POLICIES)),
            )),
            purge_subnets=dict(type='bool', default=False),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=600,
    )
    module.fail_on(validate(module.params))
    vnet = VirtualNetwork(module)
    result = reconcile(module, vnet)
    if module.params['state'] == 'present':
        subnets = (result['resource'].get('properties') or {}).get('subnets') or []
        result['subnet_ids'] = dict((s['name'], s.get('id')) for s in subnets)
        result['unmanaged_subnets'] = [] if module.params['purge_subnets'] else vnet.unmanaged()
    module.exit(**result)


if __name__ == '__main__':
    main()
