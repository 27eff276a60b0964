# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_cache_info: one cache with its schedule and links, or all of a group; never a key or connection string."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from unittest import mock

from azure.mgmt.redis import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import redis_cache_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import AUTH, Collection, Operations, client_factory
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.redis_fakes import (
    CACHE_ID, GROUP, KEYS, NAME, FakeRedis, caches, schedule_operations, schedules)

CONNECTION = 'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=c2VjcmV0'
# RedisCacheLinkedServer_Get.json
LINK = {'id': CACHE_ID + '/linkedServers/redis-phonebill-dr', 'name': 'redis-phonebill-dr',
        'type': 'Microsoft.Cache/Redis/linkedServers',
        'properties': {'linkedRedisCacheId': CACHE_ID.replace(NAME, 'redis-phonebill-dr'), 'linkedRedisCacheLocation': 'Korea South',
                       'geoReplicatedPrimaryHostName': 'redis-phonebill-dr.geo.redis.cache.windows.net',
                       'primaryHostName': 'redis-phonebill-prod.redis.cache.windows.net', 'provisioningState': 'Succeeded',
                       'serverRole': 'Secondary'}}


def run(args, seeded_caches, seeded_schedules=None):
    links = Collection(models.RedisLinkedServerWithProperties, lambda key, body, previous: body)
    links.seed((GROUP, NAME, 'redis-phonebill-dr'), LINK)
    client = mock.Mock(redis=FakeRedis(seeded_caches), patch_schedules=schedule_operations(seeded_schedules or schedules()),
                       linked_server=Operations(links, 3, get='get', list='list'))
    with mock.patch.object(AzureModule, 'client', client_factory({'redis': client})):
        return run_module(redis_cache_info.main, dict(AUTH, **args))


def test_one_cache_with_its_schedule_and_links_never_a_secret():
    seeded = caches({'location': 'koreacentral', 'properties': {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2}}})
    # as if Azure gave them back: the module must not pass them on
    seeded.items[(GROUP.lower(), NAME.lower())]['properties'].update(accessKeys=dict(KEYS))
    seeded.items[(GROUP.lower(), NAME.lower())]['properties']['redisConfiguration']['rdb-storage-connection-string'] = CONNECTION
    result = run(dict(name=NAME, resource_group=GROUP), seeded)
    assert [c['name'] for c in result['caches']] == [NAME] and result['changed'] is False
    assert result['patch_schedule'] is None
    assert [link['properties']['serverRole'] for link in result['linked_servers']] == ['Secondary']
    text = json.dumps(result)
    assert KEYS['primaryKey'] not in text and CONNECTION not in text and 'accessKeys' not in text
    assert result['caches'][0]['properties']['redisConfiguration']['maxclients'] == '7500'


def test_all_of_a_group_or_subscription_without_children_and_a_missing_one_is_empty():
    seeded = caches({'location': 'koreacentral', 'properties': {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2}}},
                    {'name': 'redis-phonebill-b', 'location': 'koreacentral',
                     'properties': {'sku': {'name': 'Standard', 'family': 'C', 'capacity': 1}}})
    found = run(dict(resource_group=GROUP), seeded)
    assert sorted(c['name'] for c in found['caches']) == ['redis-phonebill-b', NAME] and 'patch_schedule' not in found
    assert len(run(dict(), seeded)['caches']) == 2  # the whole subscription
    missing = run(dict(name='redis-phonebill-none', resource_group=GROUP), seeded)
    assert missing['caches'] == [] and 'linked_servers' not in missing


def test_name_without_group_fails_before_any_client():
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(redis_cache_info.main, dict(AUTH, name=NAME))
    assert result['failed'] and result['msg'].startswith('resource_group: required with name')
