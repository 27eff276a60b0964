# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_checks: what Azure refuses for a cache, named by the caller's path (module option or inventory variable)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import redis_checks

SPEC_CACHE = {
    'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2},
    'shard_count': 3,
    'replicas_per_primary': 1,
    'zones': ['1', '2', '3'],
    'redis_configuration': {'rdb_backup_enabled': True, 'rdb_backup_frequency': 60, 'rdb_backup_max_snapshot_count': 7,
                            'maxmemory_policy': 'allkeys-lru'},
    'patch_schedule': [{'day_of_week': 'Saturday', 'start_hour_utc': 17, 'maintenance_window': 'PT5H'}],
}


def with_changes(**changes):
    cache = dict(SPEC_CACHE)
    cache.update(changes)
    return cache


def test_the_spec_cache_has_no_problem():
    assert redis_checks.cache_problems('phonebill_redis', SPEC_CACHE) == []


@pytest.mark.parametrize('changes, expected', [
    (dict(redis_configuration={'rdb_backup_enabled': True, 'aof_backup_enabled': True}),
     ['phonebill_redis.redis_configuration: rdb_backup_enabled and aof_backup_enabled are both on and Azure allows one '
      'persistence method per cache; turn one of them off']),
    (dict(sku={'name': 'Standard', 'family': 'C', 'capacity': 2}),
     ['phonebill_redis.sku.name: Standard caches have no shard_count, replicas_per_primary, RDB persistence '
      '(redis_configuration); use Premium or leave them out']),
    (dict(sku={'name': 'Premium', 'family': 'C', 'capacity': 2}),
     ['phonebill_redis.sku.family: Premium caches are family P, not C; state family P or leave it out']),
    (dict(sku={'name': 'Premium', 'capacity': 6}),
     ['phonebill_redis.sku.capacity: 6 is out of range; use 1 to 5 for family P']),
    (dict(sku={'name': 'Premium', 'capacity': 0}),
     ['phonebill_redis.sku.capacity: 0 is out of range; use 1 to 5 for family P']),
    (dict(sku={'name': 'Basic', 'family': 'C'}),
     ['phonebill_redis.sku.capacity: required; state the size, 0 to 6 for family C',
      'phonebill_redis.sku.name: Basic caches have no shard_count, replicas_per_primary, RDB persistence '
      '(redis_configuration); use Premium or leave them out']),
    (dict(sku={'name': 'Premium', 'capacity': True}), ['phonebill_redis.sku.capacity must be a whole number, not True']),
    (dict(sku={'name': 'Enterprise', 'capacity': 1}),
     ["phonebill_redis.sku.name: 'Enterprise' is not a Redis SKU; use one of Basic, Standard, Premium"]),
    (dict(shard_count=31), ['phonebill_redis.shard_count: 31 is out of range; use 1 to 30 shards']),
    (dict(shard_count='3'), ["phonebill_redis.shard_count must be a whole number, not '3'"]),
    (dict(replicas_per_primary=4),
     ['phonebill_redis.replicas_per_primary: 4 is out of range; use 1 to 3 replicas per primary']),
    (dict(zones='1,2,3'), ['phonebill_redis.zones must be a list of zones such as ["1", "2", "3"], not str']),
    (dict(redis_configuration=['rdb']), ['phonebill_redis.redis_configuration must be a mapping of Redis settings, not list']),
    (dict(redis_configuration={'rdb_backup_enabled': True, 'rdb_backup_frequency': 45}),
     ['phonebill_redis.redis_configuration.rdb_backup_frequency: 45 is not an RDB backup frequency; use one of '
      '15, 30, 60, 360, 720, 1440 minutes']),
    (dict(redis_configuration={'rdb_backup_max_snapshot_count': 0}),
     ['phonebill_redis.redis_configuration.rdb_backup_max_snapshot_count: 0 is not a snapshot count; use a whole '
      'number of 1 or more']),
    (dict(patch_schedule={'day_of_week': 'Saturday', 'start_hour_utc': 17}),
     ['phonebill_redis.patch_schedule must be a list of {day_of_week, start_hour_utc, maintenance_window}, not dict']),
    (dict(patch_schedule=[{'day_of_week': 'Saturday', 'start_hour_utc': 17},
                          {'day_of_week': 'Saturday', 'start_hour_utc': 24, 'maintenance_window': '5h'}]),
     ['phonebill_redis.patch_schedule[1].day_of_week: Saturday is listed twice (also phonebill_redis.patch_schedule[0]); '
      'list each day once',
      'phonebill_redis.patch_schedule[1].start_hour_utc: 24 is out of range; use 0 to 23 hours (UTC)',
      "phonebill_redis.patch_schedule[1].maintenance_window: '5h' is not an ISO 8601 time span; write hours and "
      "minutes, e.g. PT5H or PT6H30M"]),
    (dict(patch_schedule=[{'day_of_week': 'Sat'}]),
     ["phonebill_redis.patch_schedule[0].day_of_week: 'Sat' is not a day; use one of Monday, Tuesday, Wednesday, "
      "Thursday, Friday, Saturday, Sunday, Everyday, Weekend",
      'phonebill_redis.patch_schedule[0].start_hour_utc: required; state the hour (0-23, UTC) the window starts']),
])
def test_each_refusal_names_the_variable_and_the_fix(changes, expected):
    assert redis_checks.cache_problems('phonebill_redis', with_changes(**changes)) == expected


def test_a_cache_that_is_not_a_mapping_is_one_problem():
    assert redis_checks.cache_problems('phonebill_redis', ['Premium']) == [
        'phonebill_redis must be a mapping of the cache settings, not list']


def test_module_options_are_named_without_a_prefix():
    assert redis_checks.cache_problems('', with_changes(shard_count=0)) == [
        'shard_count: 0 is out of range; use 1 to 30 shards']


def test_persistence_and_geo_replication_exclude_each_other():
    configuration = {'aof_backup_enabled': 'True'}
    assert redis_checks.geo_replication_problems('phonebill_redis.redis_configuration', configuration, None) == []
    assert redis_checks.geo_replication_problems('phonebill_redis.redis_configuration', configuration,
                                                 'redis-phonebill-dr') == [
        'phonebill_redis.redis_configuration: AOF persistence is on and the cache is geo-replicated with '
        'redis-phonebill-dr, and Azure does not allow persistence on a geo-replicated cache; turn '
        'aof_backup_enabled off or leave out the geo-replication link']
    assert redis_checks.geo_replication_problems('x', {'rdb_backup_enabled': False}, 'redis-phonebill-dr') == []


def test_persistence_turned_on_needs_the_storage_connection_string():
    path = 'phonebill_redis.redis_configuration'
    assert redis_checks.storage_problems(path, {'rdb_backup_enabled': True}) == [
        'phonebill_redis.redis_configuration.rdb_storage_connection_string: required to turn RDB persistence on; state '
        'the connection string of the storage account it writes to']
    assert redis_checks.storage_problems(path, {'rdb_backup_enabled': True}, persisting=['RDB']) == []
    assert redis_checks.storage_problems(path, {'aof_backup_enabled': True, 'aof_storage_connection_string_0': 'x'}) == []
    assert redis_checks.storage_problems(path, 'rdb') == []  # the type problem is persistence_problems'


def test_configuration_read_back_from_azure():
    rest = {'rdb-backup-enabled': 'true', 'rdb-backup-frequency': '60', 'maxclients': '7500',
            'rdb-storage-connection-string': 'DefaultEndpointsProtocol=https;AccountKey=secret'}
    assert redis_checks.configuration_from_rest(rest) == {'rdb_backup_enabled': 'true', 'rdb_backup_frequency': '60'}
    assert redis_checks.persistence_methods(redis_checks.configuration_from_rest(rest)) == ['RDB']


@pytest.mark.parametrize('current, wanted, refused', [
    ('Premium', 'Standard', True), ('Standard', 'Basic', True), ('Premium', 'Basic', True),
    ('Basic', 'Standard', False), ('Standard', 'Premium', False), ('Premium', 'Premium', False),
])
def test_a_cache_scales_up_only(current, wanted, refused):
    problems = redis_checks.downgrade_problems('sku.name', current, wanted)
    assert bool(problems) is refused
    if refused:
        assert problems == ['sku.name: the cache is %s and Azure cannot scale it down to %s; state %s or create a new '
                            'cache' % (current, wanted, current)]
