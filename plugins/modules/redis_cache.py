#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: redis_cache
short_description: Create, update or delete an Azure Cache for Redis and its patch schedule
version_added: 0.1.0
description:
  - Ensures an Azure Cache for Redis (C(Microsoft.Cache/redis)) exists with the stated SKU, clustering, replicas,
    zones, TLS, network access, Redis version, configuration (persistence, memory policy) and tags, or is absent.
  - The patch schedule (C(redis/<name>/patchSchedules/default)), the weekly windows in which Azure updates the
    cache, is managed with the cache when O(patch_schedule) is stated.
  - Only what is stated is compared and changed. An existing cache is changed with a PATCH of the stated fields
    (a PUT would recreate it, with downtime).
  - Refused before any write, naming the setting and the fix, as Azure would refuse them later or half-way
    through; a lower SKU (Premium to Standard, Standard to Basic); a family that is not the SKU's; a capacity
    the family does not have; clustering, replicas per primary or persistence below Premium; RDB and AOF persistence
    together; persistence turned on without the connection string of its storage account; persistence on a
    geo-replicated cache; zones or region changed after creation.
  - Access keys are never returned, not even in the create result where Azure sends them; reading or
    regenerating them is M(phonebill.platform.redis_cache_keys)'s explicit action.
options:
  name:
    description: Name of the cache (1-63 letters, digits and C(-), unique across Azure; the host is
      C(<name>.redis.cache.windows.net)).
    type: str
    required: true
  resource_group:
    description: Resource group of the cache.
    type: str
    required: true
  location:
    description:
      - Azure region, in either form (V(Korea Central) or V(koreacentral)).
      - Required to create the cache; a cache cannot move.
    type: str
  sku:
    description:
      - Pricing tier and size. Required to create the cache.
      - A cache can move up (Basic to Standard to Premium) and change size within its family; never down.
    type: dict
    suboptions:
      name:
        description: Tier. Clustering, replicas per primary and persistence need V(Premium).
        type: str
        required: true
        choices: [Basic, Standard, Premium]
      family:
        description: V(C) for Basic and Standard, V(P) for Premium. Defaults to the tier's family.
        type: str
        choices: [C, P]
      capacity:
        description: Size within the family, V(0) to V(6) for V(C), V(1) to V(5) for V(P) (V(2) is P2, 6 GB).
        type: int
        required: true
  shard_count:
    description: Number of shards of a clustered Premium cache (1-30).
    type: int
  replicas_per_primary:
    description: Replicas of each primary (1-3). Premium only.
    type: int
  zones:
    description:
      - Availability zones the cache's nodes are spread over (V(["1", "2", "3"]) is zone redundant). Order does
        not matter.
      - Set at creation only; a different set on an existing cache is an error.
    type: list
    elements: str
  minimum_tls_version:
    description: Oldest TLS version clients may use.
    type: str
    choices: ['1.0', '1.1', '1.2']
  enable_non_ssl_port:
    description: Whether the non-TLS port 6379 is open. Keep it off; clients then use 6380 only.
    type: bool
  public_network_access:
    description: Whether the cache is reachable from public networks; V(Disabled) leaves private endpoints only.
    type: str
    choices: [Enabled, Disabled]
  redis_version:
    description:
      - Major Redis version. Azure reports the full version (C(6.0.14)); only the major version is compared.
      - V(latest) asks for the newest at creation and is not compared afterwards.
    type: str
    choices: ['4', '6', 'latest']
  redis_configuration:
    description:
      - Redis settings (C(redisConfiguration)). Only the stated settings are compared and changed.
      - Persistence (RDB or AOF, never both) needs V(Premium) and is not allowed on a geo-replicated cache.
    type: dict
    suboptions:
      rdb_backup_enabled:
        description: RDB persistence (periodic snapshots to a storage account).
        type: bool
      rdb_backup_frequency:
        description: Minutes between RDB snapshots.
        type: int
        choices: [15, 30, 60, 360, 720, 1440]
      rdb_backup_max_snapshot_count:
        description: Number of RDB snapshots kept.
        type: int
      rdb_storage_connection_string:
        description:
          - Connection string of the storage account RDB snapshots go to. Never logged or returned.
          - Required to turn RDB persistence on (at creation or later).
          - Azure does not return it, so it cannot be compared; see O(update_storage_connection_strings).
        type: str
      aof_backup_enabled:
        description: AOF persistence (every write logged to a storage account).
        type: bool
      aof_storage_connection_string_0:
        description:
          - Connection string of the first AOF storage account. Never logged or returned.
          - Required to turn AOF persistence on (at creation or later).
        type: str
      aof_storage_connection_string_1:
        description: Connection string of the second AOF storage account. Never logged or returned.
        type: str
      maxmemory_policy:
        description: Eviction policy when memory is full.
        type: str
        choices: [volatile-lru, allkeys-lru, volatile-lfu, allkeys-lfu, volatile-random, allkeys-random, volatile-ttl,
                  noeviction]
      maxmemory_reserved:
        description: Megabytes reserved for non-cache operations.
        type: int
      maxfragmentationmemory_reserved:
        description: Megabytes reserved for memory fragmentation.
        type: int
  update_storage_connection_strings:
    description:
      - When the storage connection strings of O(redis_configuration) are sent.
      - V(on_create) sends them when the cache is created, and those of a persistence method when it is turned on.
        Azure never returns them, so a later change cannot be seen; state V(always) to send them on every run (the
        task then always reports a change, masked).
    type: str
    choices: [on_create, always]
    default: on_create
  patch_schedule:
    description:
      - Weekly windows in which Azure may update the cache, compared as a set by day.
      - An empty list deletes the schedule (Azure then updates at any time); left out, the schedule is not touched.
    type: list
    elements: dict
    suboptions:
      day_of_week:
        description: Day the window opens, or V(Everyday) or V(Weekend).
        type: str
        required: true
        choices: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday, Everyday, Weekend]
      start_hour_utc:
        description: Hour (0-23, UTC) the window opens. 02:00 KST is V(17) of the day before.
        type: int
        required: true
      maintenance_window:
        description: Length of the window as an ISO 8601 time span; Azure's default is V(PT5H).
        type: str
  state:
    description: Whether the cache should exist. Deleting it deletes its data.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 3600 seconds; Azure takes about 20 minutes to create a Premium cache, longer when
    clustered.
  - With O(wait=false) on a new cache, the patch schedule is set by a later run, once the cache exists; the
    module warns when it leaves it.
requirements:
  - azure-mgmt-redis >= 14.5, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Production cache (SPEC 7), updated on Saturdays 17:00 UTC (Sunday 02:00 KST)
  phonebill.platform.redis_cache:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    sku: {name: Premium, family: P, capacity: 2}
    shard_count: 3
    replicas_per_primary: 1
    zones: ["1", "2", "3"]
    minimum_tls_version: '1.2'
    enable_non_ssl_port: false
    public_network_access: Disabled
    redis_version: '6'
    redis_configuration:
      rdb_backup_enabled: true
      rdb_backup_frequency: 60
      rdb_backup_max_snapshot_count: 7
      rdb_storage_connection_string: "{{ redis_backup_connection_string }}"
      maxmemory_policy: allkeys-lru
    patch_schedule:
      - day_of_week: Saturday
        start_hour_utc: 17
        maintenance_window: PT5H
    tags:
      service: phonebill
  register: cache

- name: Delete the staging cache
  phonebill.platform.redis_cache:
    name: redis-phonebill-staging
    resource_group: rg-phonebill-staging
    state: absent
'''

RETURN = r'''
resource:
  description: The cache as Azure returns it (or, in check mode, as it would be), without access keys; storage
    connection strings masked.
  returned: success
  type: dict
  sample:
    id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/providers/Microsoft.Cache/Redis/redis-phonebill-prod
    name: redis-phonebill-prod
    location: koreacentral
    zones: ["1", "2", "3"]
    properties:
      sku: {name: Premium, family: P, capacity: 2}
      shardCount: 3
      replicasPerPrimary: 1
      hostName: redis-phonebill-prod.redis.cache.windows.net
      sslPort: 6380
      enableNonSslPort: false
      minimumTlsVersion: '1.2'
      redisVersion: 6.0.14
      redisConfiguration: {rdb-backup-enabled: 'true', rdb-backup-frequency: '60', maxmemory-policy: allkeys-lru}
      provisioningState: Succeeded
patch_schedule:
  description: The patch schedule as Azure returns it (or, in check mode, as it would be).
  returned: when O(patch_schedule) is stated and not empty
  type: dict
  sample:
    name: redis-phonebill-prod/default
    properties:
      scheduleEntries: [{dayOfWeek: Saturday, startHourUtc: 17, maintenanceWindow: PT5H}]
id:
  description: Resource id of the cache (what private endpoints and linked servers name).
  returned: when O(state=present) and the cache exists (not for a new cache in check mode)
  type: str
host_name:
  description: Host name clients connect to (TLS on C(ssl_port)).
  returned: when O(state=present) and the cache exists
  type: str
  sample: redis-phonebill-prod.redis.cache.windows.net
ssl_port:
  description: TLS port.
  returned: when O(state=present) and the cache exists
  type: int
  sample: 6380
differences:
  description:
    - Every stated field that differed from Azure, with the value before and after (connection strings masked).
    - Patch schedule paths start with C(patch_schedule).
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.minimumTlsVersion, before: '1.0', after: '1.2'}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, redis_checks
from ansible_collections.phonebill.platform.plugins.module_utils.arm_children import ModuleView, prefixed
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems

CONFIGURATION = 'properties.redisConfiguration'
ACCESS_KEYS = 'properties.accessKeys'


class MajorVersion(compare.Rule):
    """Azure answers '6.0.14' to '6'; 'latest' is whatever Azure had at creation."""

    def equal(self, desired, actual):
        if desired is None or str(desired).lower() == 'latest':
            return True
        return str(actual or '').split('.', maxsplit=1)[0] == str(desired).split('.', maxsplit=1)[0]


class TimeSpan(compare.Rule):
    """ISO 8601 time spans by length: Azure answers PT5H to PT300M."""

    def normalize(self, value):
        match = redis_checks.TIME_SPAN.match(value) if isinstance(value, str) else None
        if not match:
            return value
        hours, minutes = (int(part[:-1]) if part else 0 for part in match.groups())
        return hours * 60 + minutes


# The connection strings each persistence method writes with.
CONNECTION_STRINGS_OF = {'RDB': ('rdb_storage_connection_string',),
                         'AOF': ('aof_storage_connection_string_0', 'aof_storage_connection_string_1')}


def configuration_body(configuration, connection_strings):
    """redis_configuration options as Azure's redisConfiguration (string values; None: not stated).

    connection_strings: the connection string options to send; Azure never returns them, so they are sent only
    when they are needed or asked for.
    """
    body = {}
    for option, key in redis_checks.CONFIGURATION_KEYS.items():
        value = (configuration or {}).get(option)
        if value is None or (option in redis_checks.CONNECTION_STRINGS and option not in connection_strings):
            continue
        body[key] = ('true' if value else 'false') if isinstance(value, bool) else str(value)
    return body


def sku_body(sku):
    if not sku:
        return None
    return {'name': sku['name'], 'family': sku.get('family') or redis_checks.FAMILY[sku['name']], 'capacity': sku['capacity']}


class RedisCache(ArmResource):
    kind, service, operations = 'Redis cache', 'redis', 'redis'
    create_method = 'begin_create'
    rules = {
        'properties.sku.name': compare.IGNORE_CASE,
        'properties.sku.family': compare.IGNORE_CASE,
        'zones': compare.Set(),
        'properties.redisVersion': MajorVersion(),
        'properties.publicNetworkAccess': compare.IGNORE_CASE,
        CONFIGURATION + '.rdb-backup-enabled': compare.IGNORE_CASE,
        CONFIGURATION + '.aof-backup-enabled': compare.IGNORE_CASE,
        CONFIGURATION + '.maxmemory-policy': compare.IGNORE_CASE,
    }
    secrets = redis_checks.CONNECTION_STRING_PATHS
    immutable = ('location', 'zones')
    required_to_create = ('location', 'sku')

    def problems(self):
        params = self.params
        if self.current is None:
            return redis_checks.storage_problems('redis_configuration', params['redis_configuration'])
        properties = self.current.get('properties') or {}
        current_sku = (properties.get('sku') or {}).get('name')
        if params['sku']:
            found = redis_checks.downgrade_problems('sku.name', current_sku, params['sku']['name'])
        else:
            found = redis_checks.premium_problems('', params, current_sku)
        linked = [server.get('id', '').rsplit('/', 1)[-1] for server in properties.get('linkedServers') or []]
        persisting = redis_checks.persistence_methods(redis_checks.configuration_from_rest(properties.get('redisConfiguration')))
        return (found + redis_checks.geo_replication_problems('redis_configuration', params['redis_configuration'], ', '.join(linked))
                + redis_checks.storage_problems('redis_configuration', params['redis_configuration'], persisting))

    def connection_strings(self):
        """The connection strings to send: all on create or when asked, else those of a persistence method turned on now."""
        if self.current is None or self.params['update_storage_connection_strings'] == 'always':
            return redis_checks.CONNECTION_STRINGS
        current = (self.current.get('properties') or {}).get('redisConfiguration')
        persisting = redis_checks.persistence_methods(redis_checks.configuration_from_rest(current))
        return [option for method in redis_checks.persistence_methods(self.params['redis_configuration'])
                if method not in persisting for option in CONNECTION_STRINGS_OF[method]]

    def desired(self):
        params = self.params
        return {
            'location': params['location'],
            'tags': params['tags'],
            'zones': params['zones'],
            'properties': {
                'sku': sku_body(params['sku']),
                'shardCount': params['shard_count'],
                'replicasPerPrimary': params['replicas_per_primary'],
                'minimumTlsVersion': params['minimum_tls_version'],
                'enableNonSslPort': params['enable_non_ssl_port'],
                'publicNetworkAccess': params['public_network_access'],
                'redisVersion': params['redis_version'],
                'redisConfiguration': configuration_body(params['redis_configuration'], self.connection_strings()),
            },
        }

    def write(self, body):
        """Create with PUT; change an existing cache with a PATCH of the stated fields (a PUT recreates it)."""
        if self.current is None:
            return super(RedisCache, self).write(body)
        stated = compare.prune(self.desired())
        patch = dict((key, body[key]) for key in stated if key not in self.immutable and key != 'properties' and key in body)
        properties = dict((key, body['properties'][key]) for key in stated.get('properties', {})
                          if key in body.get('properties', {}))
        if properties:
            patch['properties'] = properties
        return self.ops.begin_update(*(self.where + (patch,)))


class PatchSchedule(ArmResource):
    kind, parent_kind = 'patch schedule', 'Redis cache'
    service, operations = 'redis', 'patch_schedules'
    create_method, delete_method = 'create_or_update', 'delete'
    rules = {'properties.scheduleEntries': compare.NamedSet('dayOfWeek', purge=True),
             'properties.scheduleEntries[].maintenanceWindow': TimeSpan()}
    readonly = ArmResource.readonly + ('location',)

    @property
    def where(self):
        return self.params['resource_group'], self.params['name'], 'default'

    def desired(self):
        return {'properties': {'scheduleEntries': [
            {'dayOfWeek': entry['day_of_week'], 'startHourUtc': entry['start_hour_utc'],
             'maintenanceWindow': entry.get('maintenance_window')}
            for entry in self.params['patch_schedule']]}}


def validate(params):
    """Input errors that need no call to Azure, as problems."""
    return (name_problems('name', params['name'], 'redis_cache')
            + name_problems('resource_group', params['resource_group'], 'resource_group')
            + tag_problems('tags', params['tags'])
            + redis_checks.cache_problems('', params))


def without_keys(document):
    """A result document without the access keys Azure sends back on create."""
    return compare.strip(document, (ACCESS_KEYS,)) if document else document


def reconcile_patch_schedule(module, result):
    """The cache's patch schedule brought to patch_schedule, after the cache itself."""
    state = 'present' if module.params['patch_schedule'] else 'absent'
    schedule = reconcile(ModuleView(module, state=state), PatchSchedule(module))
    result['changed'] = result['changed'] or schedule['changed']
    result['differences'].extend(prefixed(schedule['differences'], 'patch_schedule'))
    if state == 'present':
        result['patch_schedule'] = schedule['resource']
    if 'diff' in result:
        result['diff']['before']['patch_schedule'] = schedule['diff']['before']
        result['diff']['after']['patch_schedule'] = schedule['diff']['after']


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            sku=dict(type='dict', options=dict(
                name=dict(type='str', required=True, choices=list(redis_checks.SKUS)),
                family=dict(type='str', choices=['C', 'P']),
                capacity=dict(type='int', required=True),
            )),
            shard_count=dict(type='int'),
            replicas_per_primary=dict(type='int'),
            zones=dict(type='list', elements='str'),
            minimum_tls_version=dict(type='str', choices=['1.0', '1.1', '1.2']),
            enable_non_ssl_port=dict(type='bool'),
            public_network_access=dict(type='str', choices=['Enabled', 'Disabled']),
            redis_version=dict(type='str', choices=['4', '6', 'latest']),
            redis_configuration=dict(type='dict', options=dict(
                rdb_backup_enabled=dict(type='bool'),
                rdb_backup_frequency=dict(type='int', choices=list(redis_checks.RDB_FREQUENCIES)),
                rdb_backup_max_snapshot_count=dict(type='int'),
                rdb_storage_connection_string=dict(type='str', no_log=True),
                aof_backup_enabled=dict(type='bool'),
                aof_storage_connection_string_0=dict(type='str', no_log=True),
                aof_storage_connection_string_1=dict(type='str', no_log=True),
                maxmemory_policy=dict(type='str', choices=['volatile-lru', 'allkeys-lru', 'volatile-lfu', 'allkeys-lfu',
                                                           'volatile-random', 'allkeys-random', 'volatile-ttl',
                                                           'noeviction']),
                maxmemory_reserved=dict(type='int'),
                maxfragmentationmemory_reserved=dict(type='int'),
            )),
            update_storage_connection_strings=dict(type='str', choices=['on_create', 'always'], default='on_create'),
            patch_schedule=dict(type='list', elements='dict', options=dict(
                day_of_week=dict(type='str', required=True, choices=list(redis_checks.PATCH_DAYS)),
                start_hour_utc=dict(type='int', required=True),
                maintenance_window=dict(type='str'),
            )),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=3600,
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, RedisCache(module))
    result['resource'] = without_keys(result['resource'])
    if 'diff' in result:
        result['diff'] = dict((side, without_keys(document)) for side, document in result['diff'].items())
    if module.params['state'] == 'absent':
        module.exit(**result)
    if module.params['patch_schedule'] is not None:
        if result.get('status_url') and not result['resource'].get('id'):
            module.warn('Redis cache %s is still being created (wait=false); its patch schedule is left for the next run'
                        % module.params['name'])
        else:
            reconcile_patch_schedule(module, result)
    properties = result['resource'].get('properties') or {}
    result.update(id=result['resource'].get('id'), host_name=properties.get('hostName'), ssl_port=properties.get('sslPort'))
    module.exit(**result)


if __name__ == '__main__':
    main()
