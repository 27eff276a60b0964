# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_linked_server: the link as RedisCacheLinkedServer_Get.json shows it, refusals before any write."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from unittest import mock

import pytest
from azure.mgmt.redis import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import redis_linked_server
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import AUTH, Collection, Operations, client_factory
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.redis_fakes import CACHE_ID, GROUP, NAME, FakeRedis, caches

DR = 'redis-phonebill-dr'
DR_ID = CACHE_ID.replace(NAME, DR)
ARGS = dict(name=NAME, resource_group=GROUP, linked_cache_name=DR)
PREMIUM = {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2}, 'shardCount': 3}


def fill_link(key, body, previous):
    """RedisCacheLinkedServer_Create.json: Azure adds both host names."""
    group, name, linked = key
    body.update(id='%s/linkedServers/%s' % (CACHE_ID.replace(NAME, name), linked), name=linked,
                type='Microsoft.Cache/Redis/linkedServers')
    body['properties'].update(primaryHostName='%s.redis.cache.windows.net' % name, provisioningState='Succeeded',
                              geoReplicatedPrimaryHostName='%s.geo.redis.cache.windows.net' % linked)
    return body


@pytest.fixture
def azure():
    return mock.Mock(caches=caches({'location': 'koreacentral', 'properties': copy.deepcopy(PREMIUM)},
                                   {'name': DR, 'location': 'koreasouth', 'properties': copy.deepcopy(PREMIUM)}),
                     links=Collection(models.RedisLinkedServerWithProperties, fill_link, lro=True))


def run(azure, args, **kwargs):
    client = mock.Mock(redis=FakeRedis(azure.caches),
                       linked_server=Operations(azure.links, 3, get='get', begin_create='put', begin_delete='delete'))
    with mock.patch.object(AzureModule, 'client', client_factory({'redis': client})):
        return run_module(redis_linked_server.main, dict(AUTH, **args), **kwargs)


def test_link_predicted_created_then_unchanged(azure):
    predicted = run(azure, ARGS, check_mode=True)
    assert predicted['changed'] is True and azure.links.writes == []
    created = run(azure, ARGS)
    assert created['differences'] == predicted['differences']
    (_verb, key, body), = azure.links.writes
    assert key == (GROUP, NAME, DR) and body == {'properties': {
        'linkedRedisCacheId': DR_ID, 'linkedRedisCacheLocation': 'koreasouth', 'serverRole': 'Secondary'}}
    assert created['geo_replicated_primary_host_name'] == 'redis-phonebill-dr.geo.redis.cache.windows.net'
    again = run(azure, ARGS)
    assert again['changed'] is False and len(azure.links.writes) == 1


def test_an_existing_link_in_azure_forms_is_unchanged(azure):
    """Azure's id casing and region display name (RedisCacheLinkedServer_Get.json) are the same link."""
    azure.links.seed((GROUP, NAME, DR), fill_link((GROUP, NAME, DR), {'properties': {
        'linkedRedisCacheId': DR_ID.lower(), 'linkedRedisCacheLocation': 'Korea South', 'serverRole': 'Secondary'}}, None))
    azure.caches.items[(GROUP.lower(), DR)]['properties']['linkedServers'] = [{'id': DR_ID + '/linkedServers/' + NAME}]
    result = run(azure, ARGS)
    assert result['changed'] is False and azure.links.writes == []


@pytest.mark.parametrize('cache, change, message', [
    (DR, {'sku': {'name': 'Standard', 'family': 'C', 'capacity': 2}, 'shardCount': None},
     'linked_cache_name: redis-phonebill-dr is Standard and geo-replication needs Premium caches'),
    (NAME, {'redisConfiguration': {'rdb-backup-enabled': 'true'}},
     'name: RDB persistence is on and the cache is geo-replicated with redis-phonebill-dr'),
    (DR, {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 1}},
     'linked_cache_name: redis-phonebill-dr has capacity 1 and redis-phonebill-prod has 2; a secondary must be the '
     'same size as its primary or larger'),
    (DR, {'shardCount': 2},
     'linked_cache_name: redis-phonebill-dr has shard count 2 and redis-phonebill-prod has 3; linked caches need the '
     'same shard count'),
    (DR, {'linkedServers': [{'id': DR_ID + '/linkedServers/redis-phonebill-other'}]},
     'linked_cache_name: redis-phonebill-dr is already geo-replicated; remove its link first'),
])
def test_links_azure_refuses_fail_before_any_write(azure, cache, change, message):
    azure.caches.items[(GROUP.lower(), cache)]['properties'].update(change)
    result = run(azure, ARGS)
    assert result['failed'] and result['problems'][0].startswith(message) and azure.links.writes == []


def test_a_larger_secondary_is_linked_as_azure_links_it(azure):
    azure.caches.items[(GROUP.lower(), DR)]['properties']['sku'] = {'name': 'Premium', 'family': 'P', 'capacity': 3}
    result = run(azure, ARGS)
    assert result['changed'] is True and len(azure.links.writes) == 1


def test_missing_cache_fails_but_check_mode_predicts_with_a_warning(azure):
    azure.caches.items.pop((GROUP.lower(), DR))
    failed = run(azure, ARGS)
    assert failed['failed'] and failed['msg'] == ('linked_cache_name: Redis cache redis-phonebill-dr does not exist; '
                                                  'create it before linking')
    with mock.patch.object(AzureModule, 'warn') as warn:
        predicted = run(azure, ARGS, check_mode=True)
    assert predicted['changed'] is True and azure.links.writes == []
    assert predicted['resource']['properties']['linkedRedisCacheId'] == DR_ID
    warn.assert_called_once()


def test_unlink_predicted_then_done(azure):
    run(azure, ARGS)
    absent = dict(ARGS, state='absent')
    assert run(azure, absent, check_mode=True)['changed'] is True and len(azure.links.writes) == 1
    assert run(azure, absent)['changed'] is True and azure.links.writes[-1] == ('delete', (GROUP, NAME, DR))
    assert run(azure, absent)['changed'] is False


@pytest.mark.parametrize('changes, option', [
    (dict(linked_cache_name=NAME), 'linked_cache_name: redis-phonebill-prod is the primary cache itself'),
    (dict(linked_cache_name='dr--cache'), 'linked_cache_name:'),
    (dict(name='-prod'), 'name:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(redis_linked_server.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option)
