# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_linked_server against the sandbox: a primary in Korea Central replicated to Korea South."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

GROUP = 'rg-phonebill-it'
CACHE = dict(resource_group=GROUP, sku=dict(name='Premium', capacity=2), shard_count=3, replicas_per_primary=1,
             minimum_tls_version='1.2', enable_non_ssl_port=False)
STORAGE = 'DefaultEndpointsProtocol=https;AccountName=stphonebillit;AccountKey=c3Q='
LINK = dict(name='redis-phonebill-it', resource_group=GROUP, linked_cache_name='redis-phonebill-it-dr')


@pytest.fixture
def caches(azure):
    azure('resource_group', name=GROUP, location='koreacentral')
    primary = azure('redis_cache', name='redis-phonebill-it', location='koreacentral', **CACHE)
    secondary = azure('redis_cache', name='redis-phonebill-it-dr', location='koreasouth', **CACHE)
    return primary, secondary


def test_link_predicted_created_unchanged_then_removed(azure, sandbox, caches):
    primary, secondary = caches
    writes = azure.writes()
    predicted = azure('redis_linked_server', check_mode=True, **LINK)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('redis_linked_server', **LINK)
    assert created['differences'] == predicted['differences']
    assert created['resource']['properties']['linkedRedisCacheId'] == secondary['id']
    assert created['geo_replicated_primary_host_name'] == 'redis-phonebill-it-dr.geo.redis.cache.windows.net'
    writes = azure.writes()
    again = azure('redis_linked_server', **LINK)
    assert again['changed'] is False and azure('redis_linked_server', check_mode=True, **LINK)['changed'] is False
    assert azure.writes() == writes

    # both caches now list the link, so persistence on either is refused before any write
    found = azure('redis_cache_info', name=LINK['linked_cache_name'], resource_group=GROUP)
    assert [link['properties']['serverRole'] for link in found['linked_servers']] == ['Primary']
    persistence = azure('redis_cache', name=LINK['name'], resource_group=GROUP,
                        redis_configuration=dict(rdb_backup_enabled=True, rdb_backup_frequency=60,
                                                 rdb_storage_connection_string=STORAGE))
    assert persistence['failed'] and persistence['msg'].startswith('redis_configuration: RDB persistence is on')
    assert azure.writes() == writes

    absent = dict(LINK, state='absent')
    assert azure('redis_linked_server', check_mode=True, **absent)['changed'] is True and azure.writes() == writes
    assert azure('redis_linked_server', **absent)['changed'] is True
    assert azure('redis_linked_server', **absent)['changed'] is False
    assert azure('redis_cache_info', name=LINK['linked_cache_name'], resource_group=GROUP)['linked_servers'] == []
    assert primary['id']


def test_removed_link_is_reported_and_restored(azure, sandbox, caches):
    created = azure('redis_linked_server', **LINK)
    sandbox.drift(created['resource']['id'], delete=True)
    predicted = azure('redis_linked_server', check_mode=True, **LINK)
    assert predicted['differences'] == [{'path': 'properties', 'before': None, 'after': {
        'linkedRedisCacheId': created['resource']['properties']['linkedRedisCacheId'],
        'linkedRedisCacheLocation': 'koreasouth', 'serverRole': 'Secondary'}}]
    restored = azure('redis_linked_server', **LINK)
    assert restored['differences'] == predicted['differences']
    assert azure('redis_linked_server', **LINK)['changed'] is False


def test_persistence_refused_before_linking(azure, caches):
    persisting = azure('redis_cache', name=LINK['linked_cache_name'], resource_group=GROUP,
                       redis_configuration=dict(aof_backup_enabled=True, aof_storage_connection_string_0=STORAGE))
    assert persisting['changed'] is True, persisting
    writes = azure.writes()
    refused = azure('redis_linked_server', **LINK)
    assert refused['failed'] and refused['msg'].startswith('linked_cache_name: AOF persistence is on')
    assert azure.writes() == writes


def test_a_larger_secondary_links_and_a_smaller_one_is_refused_before_any_write(azure):
    """Azure links a secondary of the same size or larger (Microsoft Learn, passive geo-replication)."""
    azure('resource_group', name=GROUP, location='koreacentral')
    azure('redis_cache', name='redis-phonebill-it', location='koreacentral', **CACHE)
    azure('redis_cache', name='redis-phonebill-it-dr', location='koreasouth', **dict(CACHE, sku=dict(name='Premium', capacity=1)))
    writes = azure.writes()
    refused = azure('redis_linked_server', **LINK)
    assert refused['failed'] and 'a secondary must be the same size as its primary or larger' in refused['msg']
    assert azure.writes() == writes
    azure('redis_cache', name='redis-phonebill-it-dr', location='koreasouth', **dict(CACHE, sku=dict(name='Premium', capacity=3)))
    linked = azure('redis_linked_server', **LINK)
    assert linked['changed'] is True and azure('redis_linked_server', **LINK)['changed'] is False
