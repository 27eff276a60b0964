# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Azure Cache for Redis refuses, as pure checks the modules and preflight share.

Azure refuses these only after a create has been accepted (or minutes into
one): RDB and AOF persistence together, persistence with geo-replication,
clustering, replicas or persistence below Premium, a capacity the
family does not have. Each function takes the path the caller names the value
by (`redis_configuration` in a module, `phonebill_redis.redis_configuration`
in preflight) and the value in the modules' option form, and returns
'path: what is wrong; the fix' lines.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

SKUS = ('Basic', 'Standard', 'Premium')
# The family follows the SKU: C for Basic and Standard, P for Premium; capacities per family.
FAMILY = {'Basic': 'C', 'Standard': 'C', 'Premium': 'P'}
CAPACITIES = {'C': (0, 6), 'P': (1, 5)}
SHARDS = (1, 30)
REPLICAS_PER_PRIMARY = (1, 3)
RDB_FREQUENCIES = (15, 30, 60, 360, 720, 1440)
PATCH_DAYS = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Everyday', 'Weekend')
# ISO 8601 time span of hours and minutes (PT5H, PT6H30M), what scheduleEntries.maintenanceWindow takes.
TIME_SPAN = re.compile(r'^PT(?=\d)(\d+H)?(\d+M)?$')
# A SKU can only grow: Basic -> Standard -> Premium (Microsoft Learn, "Scale an Azure Cache for Redis instance").
TIER_ORDER = dict((name, rank) for rank, name in enumerate(SKUS))

# redis_configuration option -> Azure's redisConfiguration key (values are strings in Azure).
CONFIGURATION_KEYS = {
    'rdb_backup_enabled': 'rdb-backup-enabled',
    'rdb_backup_frequency': 'rdb-backup-frequency',
    'rdb_backup_max_snapshot_count': 'rdb-backup-max-snapshot-count',
    'rdb_storage_connection_string': 'rdb-storage-connection-string',
    'aof_backup_enabled': 'aof-backup-enabled',
    'aof_storage_connection_string_0': 'aof-storage-connection-string-0',
    'aof_storage_connection_string_1': 'aof-storage-connection-string-1',
    'maxmemory_policy': 'maxmemory-policy',
    'maxmemory_reserved': 'maxmemory-reserved',
    'maxfragmentationmemory_reserved': 'maxfragmentationmemory-reserved',
}
CONNECTION_STRINGS = ('rdb_storage_connection_string', 'aof_storage_connection_string_0', 'aof_storage_connection_string_1')
# Where they sit in a cache's REST document: secrets, masked or removed in anything returned.
CONNECTION_STRING_PATHS = tuple('properties.redisConfiguration.' + CONFIGURATION_KEYS[option] for option in CONNECTION_STRINGS)


def at(path, key):
    """The full name of key under path ('' at the top of a module's options)."""
    return '%s.%s' % (path, key) if path else key


def enabled(value):
    """An Azure 'true'/'false' string or a bool as a bool (None: not stated)."""
    if value is None:
        return None
    return str(value).lower() == 'true'


def configuration_from_rest(rest):
    """Azure's redisConfiguration as redis_configuration options (connection strings left out)."""
    rest = rest or {}
    return dict((option, rest.get(key)) for option, key in CONFIGURATION_KEYS.items()
                if option not in CONNECTION_STRINGS and key in rest)


def persistence_methods(configuration):
    """The persistence methods a redis_configuration turns on ('RDB', 'AOF')."""
    configuration = configuration if isinstance(configuration, dict) else {}
    return [method for method, option in (('RDB', 'rdb_backup_enabled'), ('AOF', 'aof_backup_enabled'))
            if enabled(configuration.get(option))]


def _whole_number(path, value, low, high, what):
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int):
        return ['%s must be a whole number, not %r' % (path, value)]
    if not low <= value <= high:
        return ['%s: %d is out of range; use %d to %d %s' % (path, value, low, high, what)]
    return []


def sku_problems(path, sku):
    """sku: {name, family, capacity}; the family must be the SKU's and the capacity one it has."""
    if sku is None:
        return []
    if not isinstance(sku, dict):
        return ['%s must be a mapping with name, family and capacity, not %s' % (path, type(sku).__name__)]
    name, family, capacity = sku.get('name'), sku.get('family'), sku.get('capacity')
    if name not in SKUS:
        return ['%s: %r is not a Redis SKU; use one of %s' % (at(path, 'name'), name, ', '.join(SKUS))]
    found = []
    family = family if family is not None else FAMILY[name]
    if family != FAMILY[name]:
        found.append('%s: %s caches are family %s, not %s; state family %s or leave it out'
                     % (at(path, 'family'), name, FAMILY[name], family, FAMILY[name]))
    low, high = CAPACITIES[FAMILY[name]]
    if capacity is None:
        found.append('%s: required; state the size, %d to %d for family %s' % (at(path, 'capacity'), low, high, FAMILY[name]))
    found.extend(_whole_number(at(path, 'capacity'), capacity, low, high, 'for family %s' % FAMILY[name]))
    return found


def premium_problems(path, cache, sku_name):
    """Clustering, replicas per primary and persistence need Premium; shard and replica counts have bounds."""
    found = _whole_number(at(path, 'shard_count'), cache.get('shard_count'), SHARDS[0], SHARDS[1], 'shards')
    found += _whole_number(at(path, 'replicas_per_primary'), cache.get('replicas_per_primary'),
                           REPLICAS_PER_PRIMARY[0], REPLICAS_PER_PRIMARY[1], 'replicas per primary')
    zones = cache.get('zones')
    if zones is not None and not isinstance(zones, list):
        found.append('%s must be a list of zones such as ["1", "2", "3"], not %s' % (at(path, 'zones'), type(zones).__name__))
    if sku_name is None or sku_name == 'Premium':
        return found
    premium_only = [option for option in ('shard_count', 'replicas_per_primary') if cache.get(option)]
    premium_only += ['%s persistence (redis_configuration)' % method
                     for method in persistence_methods(cache.get('redis_configuration'))]
    if premium_only:
        found.append('%s: %s caches have no %s; use Premium or leave %s out'
                     % (at(path, 'sku.name'), sku_name, ', '.join(premium_only),
                        'it' if len(premium_only) == 1 else 'them'))
    return found


def persistence_problems(path, configuration):
    """redis_configuration: one persistence method at most, with the frequencies Azure offers."""
    if configuration is None:
        return []
    if not isinstance(configuration, dict):
        return ['%s must be a mapping of Redis settings, not %s' % (path, type(configuration).__name__)]
    found = []
    if persistence_methods(configuration) == ['RDB', 'AOF']:
        found.append('%s: rdb_backup_enabled and aof_backup_enabled are both on and Azure allows one persistence '
                     'method per cache; turn one of them off' % path)
    frequency = configuration.get('rdb_backup_frequency')
    if frequency is not None and (isinstance(frequency, bool) or frequency not in RDB_FREQUENCIES):
        found.append('%s: %r is not an RDB backup frequency; use one of %s minutes'
                     % (at(path, 'rdb_backup_frequency'), frequency, ', '.join(map(str, RDB_FREQUENCIES))))
    count = configuration.get('rdb_backup_max_snapshot_count')
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        found.append('%s: %r is not a snapshot count; use a whole number of 1 or more'
                     % (at(path, 'rdb_backup_max_snapshot_count'), count))
    return found


# The storage account each persistence method writes to.
STORAGE_FOR = {'RDB': 'rdb_storage_connection_string', 'AOF': 'aof_storage_connection_string_0'}


def storage_problems(path, configuration, persisting=()):
    """A persistence method turned on needs its storage connection string (persisting: the methods already on)."""
    configuration = configuration if isinstance(configuration, dict) else {}
    return ['%s: required to turn %s persistence on; state the connection string of the storage account it writes to'
            % (at(path, STORAGE_FOR[method]), method)
            for method in persistence_methods(configuration)
            if method not in persisting and not configuration.get(STORAGE_FOR[method])]


def geo_replication_problems(path, configuration, linked_to):
    """Persistence and geo-replication exclude each other (linked_to: the other cache, or None)."""
    methods = persistence_methods(configuration)
    if not linked_to or not methods:
        return []
    return ['%s: %s persistence is on and the cache is geo-replicated with %s, and Azure does not allow persistence '
            'on a geo-replicated cache; turn %s off or leave out the geo-replication link'
            % (path, ' and '.join(methods), linked_to, ' and '.join(m.lower() + '_backup_enabled' for m in methods))]


def patch_schedule_problems(path, schedule):
    """patch_schedule: entries of {day_of_week, start_hour_utc, maintenance_window}, each day once."""
    if schedule is None:
        return []
    if not isinstance(schedule, list):
        return ['%s must be a list of {day_of_week, start_hour_utc, maintenance_window}, not %s'
                % (path, type(schedule).__name__)]
    found, seen = [], {}
    for index, entry in enumerate(schedule):
        where = '%s[%d]' % (path, index)
        if not isinstance(entry, dict):
            found.append('%s must be a mapping with day_of_week and start_hour_utc, not %s' % (where, type(entry).__name__))
            continue
        day = entry.get('day_of_week')
        if day not in PATCH_DAYS:
            found.append('%s: %r is not a day; use one of %s' % (at(where, 'day_of_week'), day, ', '.join(PATCH_DAYS)))
        elif day in seen:
            found.append('%s: %s is listed twice (also %s[%d]); list each day once' % (at(where, 'day_of_week'), day, path, seen[day]))
        else:
            seen[day] = index
        found += _whole_number(at(where, 'start_hour_utc'), entry.get('start_hour_utc'), 0, 23, 'hours (UTC)')
        if entry.get('start_hour_utc') is None:
            found.append('%s: required; state the hour (0-23, UTC) the window starts' % at(where, 'start_hour_utc'))
        window = entry.get('maintenance_window')
        if window is not None and not (isinstance(window, str) and TIME_SPAN.match(window)):
            found.append('%s: %r is not an ISO 8601 time span; write hours and minutes, e.g. PT5H or PT6H30M'
                         % (at(where, 'maintenance_window'), window))
    return found


def cache_problems(path, cache):
    """Every check above over one cache in the modules' option form (the inventory's too)."""
    if cache is None:
        return []
    if not isinstance(cache, dict):
        return ['%s must be a mapping of the cache settings, not %s' % (path or 'cache', type(cache).__name__)]
    sku = cache.get('sku')
    found = sku_problems(at(path, 'sku'), sku)
    sku_name = sku.get('name') if isinstance(sku, dict) and sku.get('name') in SKUS else None
    found += premium_problems(path, cache, sku_name)
    found += persistence_problems(at(path, 'redis_configuration'), cache.get('redis_configuration'))
    found += patch_schedule_problems(at(path, 'patch_schedule'), cache.get('patch_schedule'))
    return found


def downgrade_problems(path, current_sku, wanted_sku):
    """A cache can move to a higher tier only (Basic -> Standard -> Premium), never down."""
    if current_sku not in TIER_ORDER or wanted_sku not in TIER_ORDER or TIER_ORDER[wanted_sku] >= TIER_ORDER[current_sku]:
        return []
    return ['%s: the cache is %s and Azure cannot scale it down to %s; state %s or create a new cache'
            % (path, current_sku, wanted_sku, current_sku)]
