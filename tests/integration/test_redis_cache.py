# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_cache and redis_cache_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

CONNECTION = 'DefaultEndpointsProtocol=https;AccountName=stphonebillit;AccountKey=c3RvcmFnZS1rZXktaXQ='
CACHE = dict(name='redis-phonebill-it', resource_group='rg-phonebill-it', location='Korea Central',
             sku=dict(name='Premium', family='P', capacity=2), shard_count=3, replicas_per_primary=1,
             zones=['1', '2', '3'], minimum_tls_version='1.2', enable_non_ssl_port=False, public_network_access='Disabled',
             redis_version='6',
             redis_configuration=dict(rdb_backup_enabled=True, rdb_backup_frequency=60, rdb_backup_max_snapshot_count=7,
                                      rdb_storage_connection_string=CONNECTION, maxmemory_policy='allkeys-lru'),
             patch_schedule=[dict(day_of_week='Saturday', start_hour_utc=17, maintenance_window='PT5H')],
             tags={'service': 'phonebill'})
ABSENT = dict(name=CACHE['name'], resource_group=CACHE['resource_group'], state='absent')


@pytest.fixture
def group(azure):
    azure('resource_group', name='rg-phonebill-it', location='koreacentral')


def keys(sandbox, cache_id):
    """The cache's access keys, read as any client would."""
    from azure.mgmt.redis import RedisManagementClient  # pylint: disable=import-outside-toplevel
    client = RedisManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs())
    found = client.redis.list_keys(CACHE['resource_group'], cache_id.rsplit('/', 1)[-1])
    return [found.primary_key, found.secondary_key]


def test_create_predicted_then_unchanged_with_no_write(azure, sandbox, group):
    writes = azure.writes()
    predicted = azure('redis_cache', check_mode=True, **CACHE)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('redis_cache', **CACHE)
    assert created['differences'] == predicted['differences']
    assert created['host_name'] == 'redis-phonebill-it.redis.cache.windows.net' and created['ssl_port'] == 6380
    assert created['patch_schedule']['properties']['scheduleEntries'] == [
        {'dayOfWeek': 'Saturday', 'startHourUtc': 17, 'maintenanceWindow': 'PT5H'}]
    writes = azure.writes()
    again = azure('redis_cache', **CACHE)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes
    check = azure('redis_cache', check_mode=True, **CACHE)
    assert check['changed'] is False and azure.writes() == writes
    text = json.dumps([predicted, created, again, check])
    assert CONNECTION not in text and 'accessKeys' not in text
    assert not any(key in text for key in keys(sandbox, created['id']))


def test_drift_is_reported_and_repaired(azure, sandbox, group):
    created = azure('redis_cache', **CACHE)
    sandbox.drift(created['id'], {'properties': {'minimumTlsVersion': '1.0', 'enableNonSslPort': True,
                                                 'redisConfiguration': {'maxmemory-policy': 'volatile-lru'}}})
    sandbox.drift(created['id'] + '/patchSchedules/default',
                  {'properties': {'scheduleEntries': [{'dayOfWeek': 'Monday', 'startHourUtc': 3}]}})
    writes = azure.writes()
    predicted = azure('redis_cache', check_mode=True, **CACHE)
    assert predicted['differences'] == [
        {'path': 'properties.minimumTlsVersion', 'before': '1.0', 'after': '1.2'},
        {'path': 'properties.enableNonSslPort', 'before': True, 'after': False},
        {'path': 'properties.redisConfiguration.maxmemory-policy', 'before': 'volatile-lru', 'after': 'allkeys-lru'},
        {'path': 'patch_schedule.properties.scheduleEntries[Saturday]', 'before': None,
         'after': {'dayOfWeek': 'Saturday', 'startHourUtc': 17, 'maintenanceWindow': 'PT5H'}},
        {'path': 'patch_schedule.properties.scheduleEntries[Monday]',
         'before': {'dayOfWeek': 'Monday', 'startHourUtc': 3}, 'after': None}]
    assert azure.writes() == writes
    repaired = azure('redis_cache', **CACHE)
    assert repaired['differences'] == predicted['differences']
    assert [r['method'] for r in sandbox.requests() if r['write']][-2:] == ['PATCH', 'PUT']
    assert azure('redis_cache', **CACHE)['changed'] is False


def test_refusals_before_any_write(azure, group):
    azure('redis_cache', **CACHE)
    writes = azure.writes()
    downgrade = azure('redis_cache', **dict(CACHE, sku=dict(name='Standard', capacity=2), shard_count=None,
                                            replicas_per_primary=None, zones=None, redis_configuration=None))
    assert downgrade['failed'] and downgrade['msg'].startswith('sku.name: the cache is Premium')
    zones = azure('redis_cache', **dict(CACHE, zones=['1']))
    assert zones['failed'] and zones['msg'].startswith('zones:')
    both = azure('redis_cache', **dict(CACHE, redis_configuration=dict(rdb_backup_enabled=True, aof_backup_enabled=True)))
    assert both['failed'] and both['msg'].startswith('redis_configuration: rdb_backup_enabled and aof_backup_enabled')
    assert azure.writes() == writes


def test_info_then_delete(azure, group):
    azure('redis_cache', **CACHE)
    found = azure('redis_cache_info', resource_group=CACHE['resource_group'])
    assert [c['name'] for c in found['caches']] == [CACHE['name']]
    one = azure('redis_cache_info', name=CACHE['name'], resource_group=CACHE['resource_group'])
    assert one['caches'][0]['properties']['sku']['capacity'] == 2
    assert one['patch_schedule']['properties']['scheduleEntries'][0]['dayOfWeek'] == 'Saturday'
    writes = azure.writes()
    assert azure('redis_cache', check_mode=True, **ABSENT)['changed'] is True and azure.writes() == writes
    assert azure('redis_cache', **ABSENT)['changed'] is True
    assert azure('redis_cache_info', name=CACHE['name'], resource_group=CACHE['resource_group'])['caches'] == []
    assert azure('redis_cache', **ABSENT)['changed'] is False
