#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: private_endpoint
short_description: Create, update or delete an Azure private endpoint and its private DNS zone group
version_added: 0.1.0
description:
  - Ensures a private endpoint exists in the stated subnet, connected to the stated resource (a PostgreSQL
    server, a Redis cache, a key vault, ...), with the stated private DNS zone group, or is absent.
  - The subnet, the target resource and its group ids are fixed when the endpoint is made; a task that states
    others for an existing endpoint fails, naming what Azure has, and changes nothing.
  - The private DNS zone group is a child resource with its own operations; it registers the endpoint's
    address in the stated private DNS zones.
options:
  name:
    description: Name of the private endpoint.
    type: str
    required: true
  resource_group:
    description: Resource group of the private endpoint.
    type: str
    required: true
  location:
    description: Azure region, the region of the subnet's virtual network. Required to create.
    type: str
  subnet:
    description:
      - The subnet the endpoint takes its address from, by resource id, or by name with O(virtual_network).
      - Required to create.
    type: str
  virtual_network:
    description: The subnet's virtual network, by name (same resource group) or id, when O(subnet) is a name.
    type: str
  private_link_resource_id:
    description:
      - Resource id of the resource the endpoint connects to.
      - Required to create, unless it is listed in O(unknown) in check mode.
    type: str
  group_ids:
    description:
      - Sub-resources of the target to connect (V(postgresqlServer), V(redisCache), V(vault), ...).
      - Order and case do not matter.
    type: list
    elements: str
  connection_name:
    description:
      - Name of the private link service connection.
      - Defaults to the name of the existing connection, or to O(name) for a new endpoint.
      - A connection Azure returns without a name (only its id) is known by the last segment of its id.
    type: str
  private_dns_zone_group:
    description: The endpoint's private DNS zone group. Without it, the zone group is left as it is.
    type: dict
    suboptions:
      name:
        description: Name of the zone group.
        type: str
        default: default
      private_dns_zones:
        description:
          - Private DNS zones the endpoint's records go in, by resource id, or by name (same resource group).
          - The zone group holds exactly these zones.
        type: list
        elements: str
        required: true
  unknown:
    description:
      - Options whose value check mode cannot know because it comes from a resource check mode did not create;
        V(private_link_resource_id) for a resource not created yet (a vault, a cache).
      - Check mode then predicts the endpoint with the target shown as C((known after a real run)) and writes nothing.
      - A real run fails on any option listed here before it calls Azure.
    type: list
    elements: str
    choices: [private_link_resource_id]
    default: []
  state:
    description: Whether the private endpoint should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 900 seconds, for each of the endpoint's and the zone group's operations.
requirements:
  - azure-mgmt-network >= 30, < 34
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Private endpoint of the Redis cache in the cache subnet
  phonebill.platform.private_endpoint:
    name: pe-redis-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    virtual_network: vnet-phonebill-prod
    subnet: snet-cache
    private_link_resource_id: "{{ redis.resource.id }}"
    group_ids: [redisCache]
    private_dns_zone_group:
      private_dns_zones: [privatelink.redis.cache.windows.net]
'''

RETURN = r'''
resource:
  description: The private endpoint as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/privateEndpoints/pe-redis-phonebill-prod
    name: pe-redis-phonebill-prod
    location: koreacentral
    properties:
      subnet: {id: /subscriptions/.../virtualNetworks/vnet-phonebill-prod/subnets/snet-cache}
      privateLinkServiceConnections:
        - name: pe-redis-phonebill-prod
          properties: {privateLinkServiceId: /subscriptions/.../redis/redis-phonebill-prod, groupIds: [redisCache]}
private_dns_zone_group:
  description: The zone group as Azure returns it (or, in check mode, as it would be).
  returned: when O(private_dns_zone_group) is stated and O(state=present)
  type: dict
  sample:
    name: default
    properties:
      privateDnsZoneConfigs:
        - name: privatelink-redis-cache-windows-net
          properties: {privateDnsZoneId: /subscriptions/.../privateDnsZones/privatelink.redis.cache.windows.net}
differences:
  description:
    - Every stated field that differed from Azure, with the value before and after.
    - The zone group's paths start with C(privateDnsZoneGroups[<name>]).
  returned: always
  type: list
  elements: dict
  sample: [{path: tags.environment, before: staging, after: prod}]
status_url:
  description: Where the status of the endpoint's operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, network_common as net, unknown
from ansible_collections.phonebill.platform.plugins.module_utils.arm_children import reconcile_children
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems

CONNECTIONS = 'properties.privateLinkServiceConnections'
CONFIGS = 'properties.privateDnsZoneConfigs'
ZONE_GROUPS = 'privateDnsZoneGroups'


class Endpoint(ArmResource):
    kind, service, operations = 'private endpoint', 'network', 'private_endpoints'
    rules = {
        'properties.subnet.id': compare.RESOURCE_ID,
        CONNECTIONS: compare.NamedSet(),
        CONNECTIONS + '[].properties.privateLinkServiceId': compare.RESOURCE_ID,
        CONNECTIONS + '[].properties.groupIds': compare.Set(compare.IGNORE_CASE),
    }
    readonly = ArmResource.readonly + ('properties.networkInterfaces', 'properties.customDnsConfigs',
                                       'properties.resourceGuid')
    immutable = ('location', 'properties.subnet.id', CONNECTIONS + '[].properties.privateLinkServiceId',
                 CONNECTIONS + '[].properties.groupIds')

    @property
    def required_to_create(self):
        return tuple(option for option in ('location', 'subnet', 'private_link_resource_id')
                     if option not in self.params['unknown'])

    def connection_name(self):
        """The stated name, else the one connection Azure has (named by its id if Azure gives no name), else the endpoint's."""
        existing = ((self.current or {}).get('properties') or {}).get('privateLinkServiceConnections') or []
        if self.params['connection_name']:
            return self.params['connection_name']
        return compare.item_name(existing[0]) if len(existing) == 1 else self.params['name']

    def desired(self):
        params = self.params
        # a target check mode only predicts is shown as such in the predicted endpoint
        target = unknown.UNKNOWN if 'private_link_resource_id' in params['unknown'] else params['private_link_resource_id']
        connections = None
        if target or params['group_ids'] is not None:
            connections = [{'name': self.connection_name(), 'properties': {
                'privateLinkServiceId': target, 'groupIds': params['group_ids']}}]
        return {'location': params['location'], 'tags': params['tags'], 'properties': {
            'subnet': {'id': subnet_id(self.module)},
            'privateLinkServiceConnections': connections,
        }}


class ZoneGroup(ArmResource):
    kind, parent_kind = 'private DNS zone group', 'private endpoint'
    service, operations = 'network', 'private_dns_zone_groups'
    rules = {CONFIGS: compare.NamedSet(purge=True),
             CONFIGS + '[].properties.privateDnsZoneId': compare.RESOURCE_ID}

    @property
    def stated(self):
        return self.params['private_dns_zone_group']

    @property
    def where(self):
        return self.params['resource_group'], self.params['name'], self.stated['name']

    def config(self, zone_id):
        """A zone config, reusing the name Azure has for the same zone so it is not replaced."""
        for item in ((self.current or {}).get('properties') or {}).get('privateDnsZoneConfigs') or []:
            if compare.RESOURCE_ID.equal((item.get('properties') or {}).get('privateDnsZoneId'), zone_id):
                return {'name': compare.item_name(item), 'properties': {'privateDnsZoneId': zone_id}}
        return {'name': zone_id.rstrip('/').rsplit('/', 1)[-1].replace('.', '-'), 'properties': {'privateDnsZoneId': zone_id}}

    def desired(self):
        group = self.params['resource_group']
        zones = [net.resource_id(self.module, group, 'privateDnsZones', zone) for zone in self.stated['private_dns_zones']]
        return {'properties': {'privateDnsZoneConfigs': [self.config(zone) for zone in zones]}}


def subnet_id(module):
    params = module.params
    if params['subnet'] is None or params['subnet'].startswith('/'):
        return params['subnet']
    vnet = net.resource_id(module, params['resource_group'], 'virtualNetworks', params['virtual_network'])
    return '%s/subnets/%s' % (vnet, params['subnet'])


def subnet_problems(params):
    """The subnet by id alone, or by name with its virtual network."""
    subnet, vnet = params['subnet'], params['virtual_network']
    if subnet is None:
        return []
    if subnet.startswith('/'):
        problems = []
        if not net.ID_PATTERN.match(subnet) or '/subnets/' not in subnet.lower():
            problems.append('subnet: %r is not a subnet id; give .../virtualNetworks/<vnet>/subnets/<subnet>, or the '
                            'subnet name with virtual_network' % subnet)
        if vnet is not None:
            problems.append('virtual_network: the subnet is given by id, which names its virtual network; leave '
                            'virtual_network out')
        return problems
    problems = name_problems('subnet', subnet, 'network', 'subnet name')
    if vnet is None:
        problems.append('virtual_network: required when subnet is a name (%s); state the virtual network, or give '
                        'the subnet by id' % subnet)
    return problems + net.reference_problems('virtual_network', vnet, 'virtual network')


def zone_group_problems(group):
    if group is None:
        return []
    problems = name_problems('private_dns_zone_group.name', group['name'], 'network', 'zone group name')
    if not group['private_dns_zones']:
        problems.append('private_dns_zone_group.private_dns_zones: the list is empty; state at least one zone')
    for zone in group['private_dns_zones'] or []:
        if zone.startswith('/') and not (net.ID_PATTERN.match(zone) and '/privatednszones/' in zone.lower()):
            problems.append('private_dns_zone_group.private_dns_zones: %r is not a private DNS zone id; give '
                            '.../providers/Microsoft.Network/privateDnsZones/<zone>, or the zone name' % zone)
    return problems


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    problems = (name_problems('name', params['name'], 'network', 'name')
                + name_problems('resource_group', params['resource_group'], 'resource_group')
                + tag_problems('tags', params['tags'])
                + subnet_problems(params))
    target = params['private_link_resource_id']
    if target is not None and not net.ID_PATTERN.match(target):
        problems.append('private_link_resource_id: %r is not a resource id; give the full id of the resource to '
                        'connect to (/subscriptions/.../providers/...)' % target)
    if params['group_ids'] == []:
        problems.append('group_ids: the list is empty; state the sub-resource to connect, e.g. [redisCache]')
    return (problems + name_problems('connection_name', params['connection_name'], 'network', 'connection name')
            + zone_group_problems(params['private_dns_zone_group']))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            subnet=dict(type='str'),
            virtual_network=dict(type='str'),
            private_link_resource_id=dict(type='str'),
            group_ids=dict(type='list', elements='str'),
            connection_name=dict(type='str'),
            private_dns_zone_group=dict(type='dict', options=dict(
                name=dict(type='str', default='default'),
                private_dns_zones=dict(type='list', elements='str', required=True),
            )),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
            **unknown.unknown_spec(['private_link_resource_id'])
        ),
        long_running=True,
        default_timeout=900,
    )
    module.fail_on(validate(module.params) + unknown.unknown_problems(module.params, module.check_mode))
    result = reconcile(module, Endpoint(module))
    if module.params['state'] == 'present' and module.params['private_dns_zone_group'] is not None:
        group = module.params['private_dns_zone_group']
        child = reconcile_children(module, ZONE_GROUPS, lambda key, item: ZoneGroup(module), {group['name']: group})
        result['changed'] = result['changed'] or child['changed']
        result['differences'].extend(child['differences'])
        result['private_dns_zone_group'] = child['resources'][0] if child['resources'] else {}
        if 'diff' in result:
            result['diff']['before'][ZONE_GROUPS] = child['before']
            result['diff']['after'][ZONE_GROUPS] = child['resources']
    module.exit(**result)


if __name__ == '__main__':
    main()
