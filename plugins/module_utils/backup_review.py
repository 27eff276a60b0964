# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The weekly backup status (SPEC §6, §7, §10) as checks for procedure_report.

PostgreSQL: Azure takes a snapshot a day and archives the write-ahead log
continuously; ARM lists the snapshots (`flexibleServers/{name}/backups`) and
the earliest restore point (`properties.backup.earliestRestoreDate`), not the
log's position. So the checks are the newest snapshot's age (a missed daily
snapshot means backups stopped, and with them the RPO), the restore window
against the retention, and geo-redundant backup. The restore point itself is
proven by the DR drill's point-in-time restore.

Redis: the persistence method the inventory states (RDB, as SPEC §7's note
settles it), its snapshot interval against the RPO, and the geo-replication
link as the inventory states it (off while persistence is on: Azure allows
only one of them).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.phonebill.platform.plugins.module_utils import redis_checks

CATEGORY = 'backup'
UTC = datetime.timezone.utc
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
POSTGRESQL_KEYS = ('retention_days', 'geo_redundant_backup', 'backup_warn_age_hours', 'backup_max_age_hours')
REDIS_KEYS = ('persistence', 'rpo_minutes', 'geo_replication_enabled', 'geo_replication_name')
PERSISTENCE = ('RDB', 'AOF')


def parse_time(text):
    """An ARM timestamp (Z or an offset, up to 7 fractional digits as Azure writes them) as an aware datetime."""
    match = re.match(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$', (text or '').strip())
    if not match:
        raise ValueError('%r is not an ISO 8601 time' % (text,))
    head, fraction, zone = match.groups()
    moment = datetime.datetime.fromisoformat('%s.%s' % (head, (fraction or '0')[:6].ljust(6, '0')))
    offset = datetime.timezone.utc if zone in (None, 'Z') else datetime.datetime.strptime(zone, '%z').tzinfo
    return moment.replace(tzinfo=offset).astimezone(UTC)


def _missing(thresholds, keys, path, where):
    if not isinstance(thresholds, dict):
        return ['%s: must be a mapping with %s; state them in %s' % (path, ', '.join(keys), where)]
    return ['%s.%s: missing; state it in %s' % (path, key, where) for key in keys if key not in thresholds]


def postgresql_threshold_problems(thresholds, path='postgresql'):
    """Problems of the PostgreSQL backup thresholds."""
    problems = _missing(thresholds, POSTGRESQL_KEYS, path, 'phonebill_weekly.backups.postgresql')
    if problems:
        return problems
    if not isinstance(thresholds['retention_days'], int) or not 7 <= thresholds['retention_days'] <= 35:
        problems.append('%s.retention_days: %r is not what Azure keeps; give 7 to 35 days' % (path, thresholds['retention_days']))
    for key in ('backup_warn_age_hours', 'backup_max_age_hours'):
        if isinstance(thresholds[key], bool) or not isinstance(thresholds[key], (int, float)) or thresholds[key] <= 0:
            problems.append('%s.%s: %r is not a number of hours; give a positive number' % (path, key, thresholds[key]))
    return problems


def redis_threshold_problems(thresholds, path='redis'):
    """Problems of the Redis persistence expectations."""
    problems = _missing(thresholds, REDIS_KEYS, path, 'phonebill_weekly.backups.redis')
    if problems:
        return problems
    if thresholds['persistence'] not in PERSISTENCE:
        problems.append('%s.persistence: %r is not a method Azure offers; give RDB or AOF' % (path, thresholds['persistence']))
    if isinstance(thresholds['rpo_minutes'], bool) or not isinstance(thresholds['rpo_minutes'], int) or thresholds['rpo_minutes'] <= 0:
        problems.append('%s.rpo_minutes: %r is not a number of minutes; give a positive whole number' % (path, thresholds['rpo_minutes']))
    return problems


def _hours(delta):
    return round(delta.total_seconds() / 3600.0, 1)


def latest_backup(backups):
    """The backup with the newest completedTime, or None."""
    done = [b for b in backups if (b.get('properties') or {}).get('completedTime')]
    return max(done, key=lambda b: parse_time(b['properties']['completedTime']), default=None)


def postgresql_checks(server, backups, thresholds, now):
    """Newest snapshot's age, retention, restore window and geo-redundant backup of one server."""
    name = server.get('name')
    props = server.get('properties') or {}
    backup = props.get('backup') or {}
    checks = []
    newest = latest_backup(backups)
    age_name = 'postgresql %s latest backup age' % name
    if newest is None:
        checks.append(dict(name=age_name, category=CATEGORY, status='FAIL', unit='hours',
                           detail='Azure lists no completed backup (server state %s); FAIL above %s hours'
                           % (props.get('state'), thresholds['backup_max_age_hours'])))
    else:
        completed = parse_time(newest['properties']['completedTime'])
        checks.append(dict(name=age_name, category=CATEGORY, measured=max(_hours(now - completed), 0.0), unit='hours',
                           warn_max=thresholds['backup_warn_age_hours'], max=thresholds['backup_max_age_hours'],
                           detail='%s (%s, %s) completed %s; %d backups listed; Azure takes one a day, so an older one means '
                           'backups stopped' % (newest.get('name'), newest['properties'].get('backupType'),
                                                newest['properties'].get('source'), completed.strftime('%Y-%m-%dT%H:%M:%SZ'),
                                                len(backups))))
    checks.append(dict(name='postgresql %s backup retention' % name, category=CATEGORY, measured=backup.get('backupRetentionDays'),
                       unit='days', min=thresholds['retention_days'], detail='point-in-time restore reaches back this many days'))
    checks.append(restore_window_check(name, server, thresholds, now))
    checks.append(dict(name='postgresql %s geo-redundant backup' % name, category=CATEGORY, measured=backup.get('geoRedundantBackup'),
                       expected='Enabled' if thresholds['geo_redundant_backup'] else 'Disabled',
                       detail='backups copied to the paired region (SPEC §6), set at creation only'))
    return checks


def restore_window_check(name, server, thresholds, now):
    """How far back a point-in-time restore reaches: at least the retention, or the server's age when it is younger."""
    backup = (server.get('properties') or {}).get('backup') or {}
    check = dict(name='postgresql %s earliest restore point' % name, category=CATEGORY, unit='days')
    earliest = backup.get('earliestRestoreDate')
    if not earliest:
        return dict(check, measured=None, warn_min=0, detail='Azure states no earliest restore date')
    window = now - parse_time(earliest)
    created = ((server.get('systemData') or {}).get('createdAt'))
    age = now - parse_time(created) if created else None
    retention = backup.get('backupRetentionDays') or thresholds['retention_days']
    # Azure moves the earliest point once a day: up to a day short of the retention is normal
    expected_days = min(retention, age.total_seconds() / 86400.0) if age is not None else retention
    return dict(check, measured=round(window.total_seconds() / 86400.0, 1), warn_min=round(max(expected_days - 1, 0), 1),
                detail='earliest restore point %s; retention %s days%s' % (
                    parse_time(earliest).strftime('%Y-%m-%dT%H:%M:%SZ'), retention,
                    '; server created %s' % parse_time(created).strftime('%Y-%m-%dT%H:%M:%SZ') if created else ''))


def persistence_of(cache):
    """The persistence methods a cache's redisConfiguration has on, as a text: 'RDB', 'AOF', 'RDB+AOF' or 'none'."""
    configuration = redis_checks.configuration_from_rest(((cache.get('properties') or {}).get('redisConfiguration')))
    return '+'.join(redis_checks.persistence_methods(configuration)) or 'none'


def _link_text(link):
    props = link.get('properties') or {}
    linked = (props.get('linkedRedisCacheId') or link.get('name') or '').rstrip('/').split('/')[-1]
    return 'linked to %s as %s (%s)' % (linked, props.get('serverRole'), props.get('provisioningState'))


def redis_checks_of(cache, links, thresholds):
    """Persistence method, snapshot interval vs RPO, and the geo-replication link of one cache."""
    name = cache.get('name')
    configuration = (cache.get('properties') or {}).get('redisConfiguration') or {}
    method = persistence_of(cache)
    switches = (configuration.get('rdb-backup-enabled', 'unset'), configuration.get('aof-backup-enabled', 'unset'))
    checks = [dict(name='redis %s persistence' % name, category=CATEGORY, measured=method, expected=thresholds['persistence'],
                   detail='rdb-backup-enabled %s, aof-backup-enabled %s' % switches)]
    if thresholds['persistence'] == 'RDB':
        frequency = configuration.get('rdb-backup-frequency')
        interval = int(frequency) if str(frequency or '').isdigit() else None
        checks.append(dict(name='redis %s RDB snapshot interval' % name, category=CATEGORY,
                           measured=interval if method == 'RDB' else None, unit='minutes', max=thresholds['rpo_minutes'],
                           detail='data written since the last snapshot is lost in a failure: the interval must fit the RPO'
                           + ('' if method == 'RDB' else '; RDB persistence is off')))
    wanted = thresholds['geo_replication_name']
    found = [_link_text(link) for link in links]
    measured = '; '.join(found) or 'not linked'
    if thresholds['geo_replication_enabled']:
        expected = next((text for text in found if text.startswith('linked to %s ' % wanted) and text.endswith('(Succeeded)')),
                        'linked to %s (Succeeded)' % wanted)
    else:
        expected = 'not linked'
    checks.append(dict(name='redis %s geo-replication' % name, category=CATEGORY, measured=measured, expected=expected,
                       detail='geo-replication %s in the inventory (Azure allows it only without persistence)'
                       % ('on' if thresholds['geo_replication_enabled'] else 'off')))
    return checks
