# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_cache: Azure's completed forms, PATCH of the stated fields, refusals before any write, no key in any output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from unittest import mock

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import redis_cache
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import AUTH, client_factory
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.redis_fakes import (
    CACHE_ID, GROUP, KEYS, NAME, FakeRedis, caches, schedule_operations, schedules)

CONNECTION = 'DefaultEndpointsProtocol=https;AccountName=stphonebill;AccountKey=c3RvcmFnZS1rZXk='
ARGS = dict(name=NAME, resource_group=GROUP, location='Korea Central', sku=dict(name='Premium', family='P', capacity=2),
            shard_count=3, replicas_per_primary=1, zones=['1', '2', '3'], minimum_tls_version='1.2',
            enable_non_ssl_port=False, public_network_access='Disabled', redis_version='6',
            redis_configuration=dict(rdb_backup_enabled=True, rdb_backup_frequency=60, rdb_backup_max_snapshot_count=7,
                                     rdb_storage_connection_string=CONNECTION, maxmemory_policy='allkeys-lru'),
            patch_schedule=[dict(day_of_week='Saturday', start_hour_utc=17, maintenance_window='PT5H')],
            tags={'service': 'phonebill'})

# The production cache as Azure returns it (RedisCacheGet.json shape): lower-case region, full version,
# configuration values as strings, Azure's own settings next to the stated ones, no connection string.
EXISTING = {'name': NAME, 'location': 'koreacentral', 'zones': ['3', '1', '2'], 'tags': {'service': 'phonebill'},
            'properties': {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2}, 'shardCount': 3,
                           'replicasPerPrimary': 1, 'minimumTlsVersion': '1.2', 'enableNonSslPort': False,
                           'publicNetworkAccess': 'Disabled', 'redisVersion': '6',
                           'redisConfiguration': {'rdb-backup-enabled': 'True', 'rdb-backup-frequency': '60',
                                                  'rdb-backup-max-snapshot-count': '7', 'maxmemory-policy': 'allkeys-lru'}}}
SCHEDULE = {'properties': {'scheduleEntries': [{'dayOfWeek': 'Saturday', 'startHourUtc': 17, 'maintenanceWindow': 'PT5H'}]}}


def existing(**properties):
    body = json.loads(json.dumps(EXISTING))
    body['properties'].update(properties)
    return body


@pytest.fixture
def azure():
    """The caches and schedules of a subscription where the production cache exists with its schedule."""
    fake = mock.Mock(caches=caches(existing()), schedules=schedules())
    fake.schedules.seed((GROUP, NAME, 'default'), fake.schedules.fill((GROUP, NAME, 'default'), json.loads(json.dumps(SCHEDULE)), None))
    return fake


def run(azure, args, **kwargs):
    redis = FakeRedis(azure.caches)
    client = mock.Mock(redis=redis, patch_schedules=schedule_operations(azure.schedules))
    with mock.patch.object(AzureModule, 'client', client_factory({'redis': client})):
        result = run_module(redis_cache.main, dict(AUTH, **args), **kwargs)
    result['sent'] = redis.sent
    return result


def writes(azure):
    return azure.caches.writes + azure.schedules.writes


def test_existing_cache_in_azure_forms_is_unchanged(azure):
    result = run(azure, ARGS, diff=True)
    assert result['changed'] is False and result['differences'] == [] and writes(azure) == []
    assert result['host_name'] == 'redis-phonebill-prod.redis.cache.windows.net' and result['ssl_port'] == 6380
    assert result['patch_schedule']['name'] == 'redis-phonebill-prod/default'


def test_create_predicted_then_created_with_the_connection_string_then_unchanged():
    empty = mock.Mock(caches=caches(), schedules=schedules())
    predicted = run(empty, ARGS, check_mode=True)
    assert predicted['changed'] is True and writes(empty) == [] and predicted['id'] is None
    created = run(empty, ARGS, diff=True)
    assert created['differences'] == predicted['differences']
    (verb, body), = created['sent']
    assert verb == 'create' and body['properties']['redisConfiguration'] == {
        'rdb-backup-enabled': 'true', 'rdb-backup-frequency': '60', 'rdb-backup-max-snapshot-count': '7',
        'rdb-storage-connection-string': CONNECTION, 'maxmemory-policy': 'allkeys-lru'}
    assert body['properties']['sku'] == {'name': 'Premium', 'family': 'P', 'capacity': 2}
    assert empty.schedules.writes[0][2] == SCHEDULE
    assert created['resource']['properties']['redisVersion'] == '6.0.14'
    again = run(empty, ARGS)
    assert again['changed'] is False and again['sent'] == [] and len(writes(empty)) == 2


def test_no_access_key_or_connection_string_in_any_output():
    """Azure's create answer carries the access keys; the result, diff and differences never do."""
    empty = mock.Mock(caches=caches(), schedules=schedules())
    outputs = [run(empty, ARGS, check_mode=True, diff=True), run(empty, ARGS, diff=True),
               run(empty, dict(ARGS, update_storage_connection_strings='always'), diff=True)]
    for output in outputs:
        output.pop('sent')
        text = json.dumps(output)
        assert KEYS['primaryKey'] not in text and KEYS['secondaryKey'] not in text and CONNECTION not in text
        assert 'accessKeys' not in text
    assert {'path': 'properties.redisConfiguration.rdb-storage-connection-string', 'before': None,
            'after': '********'} in outputs[2]['differences']


def test_connection_strings_are_sent_again_only_when_asked(azure):
    assert run(azure, ARGS)['changed'] is False
    result = run(azure, dict(ARGS, update_storage_connection_strings='always'))
    (verb, patch), = result['sent']
    assert verb == 'update' and patch['properties']['redisConfiguration']['rdb-storage-connection-string'] == CONNECTION


def test_persistence_turned_on_later_sends_its_connection_strings(azure):
    """Azure needs the storage account of a method turned on; it never gives the strings back to compare."""
    switch = dict(ARGS, redis_configuration=dict(rdb_backup_enabled=False, aof_backup_enabled=True,
                                                 aof_storage_connection_string_0=CONNECTION,
                                                 rdb_storage_connection_string='DefaultEndpointsProtocol=https;old'))
    result = run(azure, switch, diff=True)
    (verb, patch), = result['sent']
    configuration = patch['properties']['redisConfiguration']
    assert verb == 'update' and configuration['aof-storage-connection-string-0'] == CONNECTION
    assert 'rdb-storage-connection-string' not in configuration
    assert {'path': 'properties.redisConfiguration.aof-storage-connection-string-0', 'before': None,
            'after': '********'} in result['differences']
    assert CONNECTION not in json.dumps(dict(result, sent=None))
    assert run(azure, switch)['changed'] is False


def test_drift_is_repaired_by_a_patch_of_the_stated_fields_only(azure):
    azure.caches.seed((GROUP, NAME), azure.caches.fill((GROUP, NAME), existing(
        minimumTlsVersion='1.0', redisConfiguration={'rdb-backup-enabled': 'true', 'rdb-backup-frequency': '15',
                                                     'rdb-backup-max-snapshot-count': '7', 'maxmemory-policy': 'allkeys-lru'}),
        None))
    args = dict(ARGS)
    args.pop('patch_schedule')
    predicted = run(azure, args, check_mode=True)
    assert predicted['differences'] == [
        {'path': 'properties.minimumTlsVersion', 'before': '1.0', 'after': '1.2'},
        {'path': 'properties.redisConfiguration.rdb-backup-frequency', 'before': '15', 'after': '60'}]
    assert predicted['sent'] == []
    repaired = run(azure, args)
    assert repaired['differences'] == predicted['differences']
    (verb, patch), = repaired['sent']
    assert verb == 'update' and 'location' not in patch and 'zones' not in patch
    assert sorted(patch['properties']) == ['enableNonSslPort', 'minimumTlsVersion', 'publicNetworkAccess', 'redisConfiguration',
                                           'redisVersion', 'replicasPerPrimary', 'shardCount', 'sku']
    assert 'rdb-storage-connection-string' not in patch['properties']['redisConfiguration']
    assert patch['properties']['redisConfiguration']['maxclients'] == '7500'
    assert run(azure, args)['changed'] is False


def test_unstated_fields_are_not_touched(azure):
    result = run(azure, dict(name=NAME, resource_group=GROUP, tags={'owner': 'platform'}))
    (verb, patch), = result['sent']
    assert verb == 'update' and patch == {'tags': {'service': 'phonebill', 'owner': 'platform'}}
    assert azure.schedules.writes == []


def test_patch_schedule_changed_and_removed_only_when_asked(azure):
    sunday = dict(ARGS, patch_schedule=[dict(day_of_week='Sunday', start_hour_utc=17)])
    predicted = run(azure, sunday, check_mode=True)
    assert [d['path'] for d in predicted['differences']] == [
        'patch_schedule.properties.scheduleEntries[Sunday]', 'patch_schedule.properties.scheduleEntries[Saturday]']
    assert writes(azure) == []
    run(azure, sunday)
    assert azure.schedules.writes[-1][2]['properties']['scheduleEntries'] == [{'dayOfWeek': 'Sunday', 'startHourUtc': 17}]
    removed = run(azure, dict(ARGS, patch_schedule=[]))
    assert removed['changed'] is True and azure.schedules.writes[-1][0] == 'delete'
    assert [d['path'] for d in removed['differences']] == ['patch_schedule']


@pytest.mark.parametrize('changes, message', [
    (dict(sku=dict(name='Standard', family='C', capacity=2), shard_count=None, replicas_per_primary=None, zones=None,
          redis_configuration=None),
     'sku.name: the cache is Premium and Azure cannot scale it down to Standard; state Premium or create a new cache'),
    (dict(zones=['1']), "zones: Redis cache redis-phonebill-prod has ['1', '2', '3'] and it cannot change after creation"),
])
def test_changes_azure_refuses_fail_before_any_write(azure, changes, message):
    azure.caches.seed((GROUP, NAME), azure.caches.fill((GROUP, NAME), existing(), None))
    azure.caches.items[(GROUP.lower(), NAME.lower())]['zones'] = ['1', '2', '3']
    result = run(azure, dict(ARGS, **changes))
    assert result['failed'] and result['msg'].startswith(message) and writes(azure) == []


def test_premium_features_on_an_existing_standard_cache_are_refused(azure):
    azure.caches.seed((GROUP, NAME), azure.caches.fill((GROUP, NAME), existing(
        sku={'name': 'Standard', 'family': 'C', 'capacity': 2}, shardCount=None), None))
    result = run(azure, dict(name=NAME, resource_group=GROUP, shard_count=3))
    assert result['failed'] and writes(azure) == []
    assert result['msg'] == 'sku.name: Standard caches have no shard_count; use Premium or leave it out'


def test_persistence_on_a_geo_replicated_cache_is_refused(azure):
    azure.caches.seed((GROUP, NAME), azure.caches.fill((GROUP, NAME), existing(
        redisConfiguration={}, linkedServers=[{'id': CACHE_ID + '/linkedServers/redis-phonebill-dr'}]), None))
    result = run(azure, dict(name=NAME, resource_group=GROUP, redis_configuration=dict(
        aof_backup_enabled=True, aof_storage_connection_string_0=CONNECTION)))
    assert result['failed'] and writes(azure) == []
    assert result['msg'].startswith('redis_configuration: AOF persistence is on and the cache is geo-replicated with '
                                    'redis-phonebill-dr')


def test_persistence_turned_on_needs_its_storage_account(azure):
    """Creating with RDB on, or turning AOF on later, without a connection string; RDB already on needs none."""
    empty = mock.Mock(caches=caches(), schedules=schedules())
    configuration = dict(ARGS['redis_configuration'], rdb_storage_connection_string=None)
    created = run(empty, dict(ARGS, redis_configuration=configuration))
    assert created['failed'] and writes(empty) == [] and created['msg'] == (
        'redis_configuration.rdb_storage_connection_string: required to turn RDB persistence on; state the connection '
        'string of the storage account it writes to')
    assert run(azure, dict(ARGS, redis_configuration=configuration))['changed'] is False
    aof_on = dict(rdb_backup_enabled=False, aof_backup_enabled=True)
    aof = run(azure, dict(name=NAME, resource_group=GROUP, redis_configuration=aof_on))
    assert aof['failed'] and aof['msg'].startswith('redis_configuration.aof_storage_connection_string_0: required')
    assert writes(azure) == []


def test_delete_predicted_then_done(azure):
    absent = dict(name=NAME, resource_group=GROUP, state='absent')
    assert run(azure, absent, check_mode=True)['changed'] is True and writes(azure) == []
    assert run(azure, absent)['changed'] is True and azure.caches.writes == [('delete', (GROUP, NAME))]
    assert run(azure, absent)['changed'] is False


@pytest.mark.parametrize('changes, option', [
    (dict(name='redis--phonebill'), 'name:'),
    (dict(name='-redis'), 'name:'),
    (dict(name='r' * 64), 'name:'),
    (dict(sku=dict(name='Premium', family='C', capacity=2)), 'sku.family:'),
    (dict(sku=dict(name='Premium', capacity=6)), 'sku.capacity:'),
    (dict(sku=dict(name='Standard', capacity=1), shard_count=None, replicas_per_primary=None), 'sku.name:'),
    (dict(redis_configuration=dict(rdb_backup_enabled=True, aof_backup_enabled=True)), 'redis_configuration:'),
    (dict(shard_count=31), 'shard_count:'),
    (dict(replicas_per_primary=0), 'replicas_per_primary:'),
    (dict(patch_schedule=[dict(day_of_week='Saturday', start_hour_utc=25)]), 'patch_schedule[0].start_hour_utc:'),
    (dict(patch_schedule=[dict(day_of_week='Saturday', start_hour_utc=17, maintenance_window='5 hours')]),
     'patch_schedule[0].maintenance_window:'),
    (dict(tags={'n': 1}), 'tags.n:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(redis_cache.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option)


def test_maintenance_window_compared_by_length(azure):
    """Azure keeps the window as a duration and answers PT5H to PT300M."""
    same = dict(ARGS, patch_schedule=[dict(day_of_week='Saturday', start_hour_utc=17, maintenance_window='PT300M')])
    assert run(azure, same)['changed'] is False and writes(azure) == []
    longer = run(azure, dict(ARGS, patch_schedule=[dict(day_of_week='Saturday', start_hour_utc=17, maintenance_window='PT6H')]))
    assert longer['differences'] == [{'path': 'patch_schedule.properties.scheduleEntries[Saturday].maintenanceWindow',
                                      'before': 'PT5H', 'after': 'PT6H'}]


def test_new_cache_not_waited_for_leaves_the_schedule_for_the_next_run():
    empty = mock.Mock(caches=caches(), schedules=schedules())
    with mock.patch.object(AzureModule, 'warn') as warn:
        result = run(empty, dict(ARGS, wait=False))
    assert result['changed'] is True and result['status_url'] and empty.schedules.writes == []
    assert 'patch schedule is left for the next run' in warn.call_args[0][0]
