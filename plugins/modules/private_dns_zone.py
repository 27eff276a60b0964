#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: private_dns_zone
short_description: Create, update or delete an Azure private DNS zone and its virtual network links
version_added: 0.1.0
description:
  - Ensures a private DNS zone exists with the stated tags and virtual network links, or is absent.
  - A private DNS zone is a global resource (location C(global)); its virtual network links are child
    resources, each read and written on its own.
  - Links are a set keyed by name. Links found in Azure but not stated are kept and listed in
    RV(unmanaged_virtual_network_links), unless O(purge_virtual_network_links=true).
  - With O(state=absent) the zone's links are deleted first (Azure refuses to delete a zone that still has
    links), then the zone and its record sets.
options:
  name:
    description: Zone name, a DNS domain (V(privatelink.postgres.database.azure.com)).
    type: str
    required: true
  resource_group:
    description: Resource group of the zone.
    type: str
    required: true
  virtual_network_links:
    description: Links from virtual networks to the zone, a set keyed by O(virtual_network_links[].name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Link name (unique in the zone, compared without case).
        type: str
        required: true
      virtual_network:
        description:
          - The linked virtual network, by name (same resource group as the zone) or resource id.
          - A link cannot be moved to another virtual network; a different one on an existing link is an error.
        type: str
        required: true
      registration_enabled:
        description: Register the virtual machines of the virtual network in the zone automatically.
        type: bool
        default: false
  purge_virtual_network_links:
    description: Delete links that exist in Azure but are not in O(virtual_network_links).
    type: bool
    default: false
  tags:
    description: Tags to set on the zone and on its stated links. Values are strings.
  purge_tags:
    description: Remove tags that are not in O(tags), on the zone and its stated links.
  state:
    description: Whether the zone should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 600 seconds, for each of the zone's and the links' operations.
requirements:
  - azure-mgmt-privatedns >= 1.2, < 3
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Zone of the PostgreSQL private endpoints, linked to the platform network
  phonebill.platform.private_dns_zone:
    name: privatelink.postgres.database.azure.com
    resource_group: rg-phonebill-prod
    virtual_network_links:
      - name: vnet-phonebill-prod
        virtual_network: vnet-phonebill-prod
    tags:
      service: phonebill
  register: postgres_zone

- name: Delete a zone and its links
  phonebill.platform.private_dns_zone:
    name: privatelink.example.azure.com
    resource_group: rg-phonebill-prod
    state: absent
'''

RETURN = r'''
resource:
  description: The zone as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com
    name: privatelink.postgres.database.azure.com
    location: global
    properties: {numberOfVirtualNetworkLinks: 1}
virtual_network_links:
  description: The stated links as Azure returns them (or, in check mode, as they would be).
  returned: when O(state=present)
  type: list
  elements: dict
  sample:
    - name: vnet-phonebill-prod
      location: global
      properties:
        virtualNetwork: {id: /subscriptions/.../virtualNetworks/vnet-phonebill-prod}
        registrationEnabled: false
        virtualNetworkLinkState: Completed
unmanaged_virtual_network_links:
  description: Links that exist in Azure, are not in O(virtual_network_links), and were kept.
  returned: when O(state=present)
  type: list
  elements: str
differences:
  description:
    - Every stated field that differed from Azure, with the value before and after.
    - A link's paths start with C(virtualNetworkLinks[<name>]).
  returned: always
  type: list
  elements: dict
  sample: [{path: "virtualNetworkLinks[vnet-phonebill-prod].properties.registrationEnabled", before: true, after: false}]
status_url:
  description: Where the status of the zone's operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, network_common as net
from ansible_collections.phonebill.platform.plugins.module_utils.arm_children import reconcile_children
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems
LINKS = 'virtualNetworkLinks'


class Zone(ArmResource):
    kind, service, operations = 'private DNS zone', 'privatedns', 'private_zones'
    readonly = ArmResource.readonly + tuple('properties.%s' % k for k in (
        'maxNumberOfRecordSets', 'numberOfRecordSets', 'maxNumberOfVirtualNetworkLinks',
        'numberOfVirtualNetworkLinks', 'maxNumberOfVirtualNetworkLinksWithRegistration',
        'numberOfVirtualNetworkLinksWithRegistration', 'internalId'))
    immutable = ('location',)

    def desired(self):
        return {'location': 'global', 'tags': self.params['tags']}


class Link(ArmResource):
    kind, parent_kind = 'virtual network link', 'private DNS zone'
    service, operations = 'privatedns', 'virtual_network_links'
    rules = {'properties.virtualNetwork.id': compare.RESOURCE_ID}
    readonly = ArmResource.readonly + ('properties.virtualNetworkLinkState',)
    immutable = ('properties.virtualNetwork.id',)

    def __init__(self, module, stated):
        super(Link, self).__init__(module)
        self.stated = stated

    @property
    def where(self):
        return self.params['resource_group'], self.params['name'], self.stated['name']

    def desired(self):
        vnet = net.resource_id(self.module, self.params['resource_group'], 'virtualNetworks',
                               self.stated['virtual_network'])
        return {'location': 'global', 'tags': self.params['tags'], 'properties': {
            'virtualNetwork': {'id': vnet}, 'registrationEnabled': self.stated['registration_enabled']}}


def reconcile_links(module, stated, zone_exists, purge):
    """The zone's links brought to the stated set (name: item); with purge, the others deleted."""
    existing = dict((link['name'], link) for link in existing_links(module)) if zone_exists else []
    return reconcile_children(module, LINKS, lambda name, item: Link(module, item or dict(name=name)), stated, existing, purge)


def existing_links(module):
    links = module.client('privatedns').virtual_network_links
    return [to_rest(link) for link in module.call('list the virtual network links of private DNS zone %s'
                                                  % module.params['name'],
                                                  lambda: list(links.list(module.params['resource_group'],
                                                                          module.params['name'])))]


def validate(params):
    """Input errors that need no call to Azure."""
    found = net.dns_zone_name_problems('name', params['name'])
    found += name_problems('resource_group', params['resource_group'], 'resource_group')
    found += tag_problems('tags', params['tags'])
    seen = set()
    for link in params['virtual_network_links'] or []:
        option = 'virtual_network_links[%s]' % link['name']
        found += name_problems(option + '.name', link['name'], 'network', 'link name')
        if link['name'].lower() in seen:
            found.append('%s.name: link %s is listed twice; link names are unique without case' % (option, link['name']))
        seen.add(link['name'].lower())
        found += net.reference_problems(option + '.virtual_network', link['virtual_network'], 'virtual network')
    return found


def absent(module, zone):
    """Delete the links, then the zone: Azure refuses to delete a zone that still has links."""
    actual = zone.get()
    if actual is None:
        return reconcile(module, zone)
    links = reconcile_links(module, {}, True, purge=True)
    result = reconcile(module, zone)
    result['differences'] = links['differences'] + result['differences']
    return result


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            virtual_network_links=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                virtual_network=dict(type='str', required=True),
                registration_enabled=dict(type='bool', default=False),
            )),
            purge_virtual_network_links=dict(type='bool', default=False),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=600,
    )
    module.fail_on(validate(module.params))
    params = module.params
    zone = Zone(module)
    if params['state'] == 'absent':
        module.exit(**absent(module, zone))
    result = reconcile(module, zone)
    zone_exists = bool(result['resource'].get('id'))
    stated = dict((link['name'], link) for link in params['virtual_network_links'] or [])
    links = reconcile_links(module, stated, zone_exists, params['purge_virtual_network_links'])
    result['changed'] = result['changed'] or links['changed']
    result['differences'].extend(links['differences'])
    result['virtual_network_links'] = links['resources']
    result['unmanaged_virtual_network_links'] = links['unmanaged']
    if 'diff' in result:
        result['diff']['before'][LINKS] = links['before']
        result['diff']['after'][LINKS] = links['resources']
    module.exit(**result)


if __name__ == '__main__':
    main()
