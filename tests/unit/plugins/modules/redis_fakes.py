# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure Cache for Redis as the SDK sees it, completed as Microsoft's REST examples show (api-version 2024-11-01).

RedisCacheCreate.json: the create answer carries `accessKeys`, the version becomes the full one ('6' -> '6.0.14'),
Azure adds replicasPerMaster, updateChannel, zonalAllocationPolicy, instances and its own configuration values
(maxclients, maxmemory-reserved, maxmemory-delta). A storage connection string is never given back
(Azure/azure-rest-api-specs#3037). RedisCachePatchSchedulesCreateOrUpdate.json: the schedule is named
'<cache>/default' and carries the cache's location.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from azure.mgmt.redis import models

from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    SUB, Collection, Operations, as_model, poller)

GROUP, NAME = 'rg-phonebill-prod', 'redis-phonebill-prod'
CACHE_ID = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Cache/Redis/%s' % (SUB, GROUP, NAME)
KEYS = {'primaryKey': 'pRiMaRyKeY0123456789abcdefghijklmnopqrstuv=', 'secondaryKey': 'sEcOnDaRyKeY0123456789abcdefghijklmnopq='}
VERSIONS = {'4': '4.0.14', '6': '6.0.14', 'latest': '6.0.14'}
CONNECTION_STRINGS = ('rdb-storage-connection-string', 'aof-storage-connection-string-0', 'aof-storage-connection-string-1')


def fill_cache(key, body, previous):
    group, name = key
    previous = previous or {}
    body.update(id='/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Cache/Redis/%s' % (SUB, group, name),
                name=name, type='Microsoft.Cache/Redis', location=body.get('location', previous.get('location')))
    body.setdefault('tags', {})
    properties = body.setdefault('properties', {})
    version = str(properties.get('redisVersion', '6'))
    properties['redisVersion'] = VERSIONS.get(version, version)
    replicas = properties.setdefault('replicasPerPrimary', 1)
    properties['replicasPerMaster'] = replicas
    properties.setdefault('enableNonSslPort', False)
    properties.setdefault('minimumTlsVersion', '1.2')
    properties.setdefault('publicNetworkAccess', 'Enabled')
    properties.update(provisioningState='Succeeded', updateChannel='Stable', hostName='%s.redis.cache.windows.net' % name,
                      port=6379, sslPort=6380, zonalAllocationPolicy='UserDefined' if body.get('zones') else 'Automatic',
                      linkedServers=properties.get('linkedServers', []))
    configuration = properties.setdefault('redisConfiguration', {})
    for secret in CONNECTION_STRINGS:
        configuration.pop(secret, None)
    configuration.update({'maxclients': '7500', 'maxmemory-reserved': configuration.get('maxmemory-reserved', '200'),
                          'maxmemory-delta': '200', 'maxfragmentationmemory-reserved': '300'})
    shards = properties.get('shardCount') or 1
    properties['instances'] = [{'sslPort': 15000 + index, 'nonSslPort': 13000 + index, 'shardId': index // (replicas + 1),
                                'isMaster': index % (replicas + 1) == 0, 'isPrimary': index % (replicas + 1) == 0}
                               for index in range(shards * (replicas + 1))]
    return body


def merge_patch(target, patch):
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and key != 'tags':
            merge_patch(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


class FakeRedis(Operations):
    """redis: begin_create answers with the access keys (as Azure's create does), begin_update is a merge PATCH."""

    def __init__(self, collection):
        super(FakeRedis, self).__init__(collection, 2, get='get', begin_delete='delete',
                                        list_by_resource_group='list', list_by_subscription='list')
        self.sent = []

    def begin_create(self, group, name, body):
        self.sent.append(('create', copy.deepcopy(body)))
        created = self.collection.put((group, name), body).result().serialize(keep_readonly=True)
        created['properties']['accessKeys'] = dict(KEYS)
        return poller(as_model(models.RedisResource, created))

    def begin_update(self, group, name, patch):
        self.sent.append(('update', copy.deepcopy(patch)))
        current = self.collection.get(group, name).serialize(keep_readonly=True)
        return self.collection.put((group, name), merge_patch(current, patch))


def fill_schedule(key, body, previous):
    group, name, default = key
    body.update(id='%s/patchSchedules/%s' % (CACHE_ID.replace(NAME, name).replace(GROUP, group), default),
                name='%s/%s' % (name, default), type='Microsoft.Cache/Redis/PatchSchedules', location='Korea Central')
    return body


def caches(*seeded):
    collection = Collection(models.RedisResource, fill_cache, lro=True)
    for body in seeded:
        collection.seed((GROUP, body.get('name', NAME)), fill_cache((GROUP, body.get('name', NAME)), copy.deepcopy(body), None))
    return collection


def schedules():
    return Collection(models.RedisPatchSchedule, fill_schedule)


def schedule_operations(collection):
    return Operations(collection, 3, get='get', create_or_update='put', delete='delete')
