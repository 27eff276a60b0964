#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: redis_linked_server
short_description: Link an Azure Cache for Redis to a secondary cache for geo-replication, or remove the link
version_added: 0.1.0
description:
  - Ensures the passive geo-replication link (C(Microsoft.Cache/redis/linkedServers)) from a primary cache to a
    secondary cache exists, or is absent. The primary replicates to the secondary, which is read-only while linked.
  - Azure shows the link on both caches (the secondary lists the primary with the role V(Primary)); removing it from
    the primary removes both, and both caches keep their data.
  - Refused before any write, as Azure would refuse them later (a cache that is not Premium, a secondary smaller
    than its primary, caches of different shard counts, data persistence (RDB or AOF) on either cache, a secondary
    already linked elsewhere). A larger secondary is linked, as Azure links it.
    A link cannot be changed; linking to another cache needs the old link removed first.
  - Failing over (unlinking and pointing the applications at the secondary) is a manual, approved step of the DR
    procedure, not something this module does.
options:
  name:
    description: Name of the primary cache.
    type: str
    required: true
  resource_group:
    description: Resource group of the primary cache.
    type: str
    required: true
  linked_cache_name:
    description: Name of the secondary cache (the link is named after it).
    type: str
    required: true
  linked_cache_resource_group:
    description: Resource group of the secondary cache. Defaults to O(resource_group).
    type: str
  state:
    description: Whether the link should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 3600 seconds; Azure copies the primary's data to the secondary before the link is
    ready.
  - In check mode, a link to a cache that does not exist yet (created by an earlier task of the same check run) is
    predicted with a warning instead of failing.
requirements:
  - azure-mgmt-redis >= 14.5, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Replicate the production cache to the DR region (SPEC 7)
  phonebill.platform.redis_linked_server:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
    linked_cache_name: redis-phonebill-dr
    linked_cache_resource_group: rg-phonebill-dr

- name: Remove the link (first step of a failover)
  phonebill.platform.redis_linked_server:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
    linked_cache_name: redis-phonebill-dr
    state: absent
'''

RETURN = r'''
resource:
  description: The link as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Cache/Redis/redis-phonebill-prod/linkedServers/redis-phonebill-dr
    name: redis-phonebill-dr
    properties:
      linkedRedisCacheId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-dr/providers/Microsoft.Cache/Redis/redis-phonebill-dr
      linkedRedisCacheLocation: koreasouth
      serverRole: Secondary
      primaryHostName: redis-phonebill-prod.redis.cache.windows.net
      geoReplicatedPrimaryHostName: redis-phonebill-dr.geo.redis.cache.windows.net
      provisioningState: Succeeded
geo_replicated_primary_host_name:
  description: Host name that always points at the current geo-primary, for clients that should follow a failover.
  returned: when O(state=present) and the link exists
  type: str
  sample: redis-phonebill-dr.geo.redis.cache.windows.net
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties, before: null, after: {linkedRedisCacheLocation: koreasouth, serverRole: Secondary}}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, redis_checks
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


def property_at(cache, dotted):
    value = (cache or {}).get('properties') or {}
    for key in dotted.split('.'):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def link_problems(primary, secondary):
    """Why Azure would refuse to geo-replicate primary to secondary (REST-form caches)."""
    found = []
    for option, cache in (('name', primary), ('linked_cache_name', secondary)):
        if str(property_at(cache, 'sku.name')).lower() != 'premium':
            found.append('%s: %s is %s and geo-replication needs Premium caches; scale it to Premium first'
                         % (option, cache['name'], property_at(cache, 'sku.name')))
        configuration = redis_checks.configuration_from_rest(property_at(cache, 'redisConfiguration'))
        found += redis_checks.geo_replication_problems(
            option, configuration, secondary['name'] if cache is primary else primary['name'])
    # Microsoft Learn, passive geo-replication: the secondary is the same size or larger; clustered caches have the
    # same number of shards.
    capacity, primary_capacity = property_at(secondary, 'sku.capacity'), property_at(primary, 'sku.capacity')
    if capacity is not None and primary_capacity is not None and capacity < primary_capacity:
        found.append('linked_cache_name: %s has capacity %s and %s has %s; a secondary must be the same size as its '
                     'primary or larger' % (secondary['name'], capacity, primary['name'], primary_capacity))
    if property_at(primary, 'shardCount') != property_at(secondary, 'shardCount'):
        found.append('linked_cache_name: %s has shard count %s and %s has %s; linked caches need the same shard count'
                     % (secondary['name'], property_at(secondary, 'shardCount'), primary['name'],
                        property_at(primary, 'shardCount')))
    if property_at(secondary, 'linkedServers'):
        found.append('linked_cache_name: %s is already geo-replicated; remove its link first' % secondary['name'])
    return found


class LinkedServer(ArmResource):
    kind, parent_kind = 'geo-replication link', 'Redis cache'
    service, operations = 'redis', 'linked_server'
    key = ('resource_group', 'name', 'linked_cache_name')
    create_method = 'begin_create'
    rules = {'properties.linkedRedisCacheId': compare.RESOURCE_ID,
             'properties.linkedRedisCacheLocation': compare.LOCATION,
             'properties.serverRole': compare.IGNORE_CASE}
    readonly = ArmResource.readonly + ('properties.primaryHostName', 'properties.geoReplicatedPrimaryHostName')
    immutable = tuple(rules)
    primary = secondary = None

    def read_cache(self, group, name):
        return to_rest(self.module.get_or_none('read Redis cache %s' % name, self.module.client('redis').redis.get, group, name))

    def lookup(self):
        params = self.params
        self.primary = self.read_cache(params['resource_group'], params['name'])
        self.secondary = self.read_cache(params['linked_cache_resource_group'] or params['resource_group'],
                                         params['linked_cache_name'])

    @property
    def missing(self):
        """(option, name) of the caches lookup() did not find."""
        return [(option, self.params[option]) for option, cache in (('name', self.primary), ('linked_cache_name', self.secondary))
                if cache is None]

    def problems(self):
        if self.current is not None:  # linked already; a link cannot change (immutable)
            return []
        if self.missing:
            # in check mode an earlier task of the same run may be about to create them: predicted from the names
            return [] if self.module.check_mode else ['%s: Redis cache %s does not exist; create it before linking' % pair
                                                      for pair in self.missing]
        return link_problems(self.primary, self.secondary)

    def desired(self):
        params = self.params
        linked_id = (self.secondary or {}).get('id') or '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Cache/Redis/%s' % (
            self.module.subscription_id, params['linked_cache_resource_group'] or params['resource_group'],
            params['linked_cache_name'])
        return {'properties': {'linkedRedisCacheId': linked_id,
                               'linkedRedisCacheLocation': (self.secondary or {}).get('location'),
                               'serverRole': 'Secondary'}}


def validate(params):
    """Input errors that need no call to Azure, as problems."""
    problems = (name_problems('name', params['name'], 'redis_cache')
                + name_problems('resource_group', params['resource_group'], 'resource_group')
                + name_problems('linked_cache_name', params['linked_cache_name'], 'redis_cache')
                + name_problems('linked_cache_resource_group', params['linked_cache_resource_group'], 'resource_group'))
    same_group = (params['linked_cache_resource_group'] or params['resource_group']).lower() == params['resource_group'].lower()
    if same_group and params['linked_cache_name'].lower() == params['name'].lower():
        problems.append('linked_cache_name: %s is the primary cache itself; name the secondary cache' % params['name'])
    return problems


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            linked_cache_name=dict(type='str', required=True),
            linked_cache_resource_group=dict(type='str'),
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=3600,
    )
    module.fail_on(validate(module.params))
    link = LinkedServer(module)
    result = reconcile(module, link)
    if module.params['state'] == 'present' and link.current is None and link.missing:
        module.warn('Redis cache %s does not exist yet; the link is predicted from the names only'
                    % ', '.join(name for _option, name in link.missing))
    if module.params['state'] == 'present':
        result['geo_replicated_primary_host_name'] = (result['resource'].get('properties') or {}).get('geoReplicatedPrimaryHostName')
    module.exit(**result)


if __name__ == '__main__':
    main()
