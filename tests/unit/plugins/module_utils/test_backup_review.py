# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup status's judging, on Azure's shapes (BackupListByServer.json, ServerGet.json, RedisCacheGet.json)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.phonebill.platform.plugins.module_utils import backup_review
from ansible_collections.phonebill.platform.plugins.module_utils.procedure_report import check_problems, judge

UTC = datetime.timezone.utc
NOW = datetime.datetime(2021, 6, 24, 17, 0, 0, tzinfo=UTC)
POSTGRESQL = dict(retention_days=35, geo_redundant_backup=True, backup_warn_age_hours=25, backup_max_age_hours=26)
REDIS = dict(persistence='RDB', rpo_minutes=60, geo_replication_enabled=False, geo_replication_name='redis-phonebill-dr')


def server(created='2021-05-01T10:00:00.1234567Z', earliest='2021-05-20T17:00:03.000000+00:00', retention=35, geo='Enabled'):
    return dict(name='psql-phonebill-prod', systemData=dict(createdAt=created),
                properties=dict(state='Ready', backup=dict(backupRetentionDays=retention, geoRedundantBackup=geo,
                                                           earliestRestoreDate=earliest)))


# two entries of Microsoft's BackupListByServer.json example
BACKUPS = [dict(name='daily_20210623T212413', properties=dict(backupType='Full', source='Automatic', completedTime='2021-06-23T21:24:16.9401531+00:00')),
           dict(name='daily_20210624T061328', properties=dict(backupType='Full', source='Automatic', completedTime='2021-06-24T06:13:31.4962137+00:00'))]


def by_name(checks):
    assert check_problems(checks) == []
    return dict((c['name'], judge(c)) for c in checks)


def test_healthy_server_passes_with_measured_values():
    found = by_name(backup_review.postgresql_checks(server(), BACKUPS, POSTGRESQL, NOW))
    age = found['postgresql psql-phonebill-prod latest backup age']
    assert (age['status'], age['measured'], age['threshold']) == ('PASS', 10.8, '<= 26 hours, <= 25 hours to pass')
    assert 'daily_20210624T061328 (Full, Automatic) completed 2021-06-24T06:13:31Z; 2 backups listed' in age['detail']
    assert found['postgresql psql-phonebill-prod backup retention']['status'] == 'PASS'
    window = found['postgresql psql-phonebill-prod earliest restore point']
    assert (window['status'], window['measured']) == ('PASS', 35.0)
    assert found['postgresql psql-phonebill-prod geo-redundant backup']['status'] == 'PASS'


def test_backups_stopped_fail_with_age_and_threshold():
    later = NOW + datetime.timedelta(hours=20)
    age = by_name(backup_review.postgresql_checks(server(), BACKUPS, POSTGRESQL, later))['postgresql psql-phonebill-prod latest backup age']
    assert (age['status'], age['measured'], age['threshold']) == ('FAIL', 30.8, '<= 26 hours, <= 25 hours to pass')


def test_no_backup_at_all_fails():
    age = by_name(backup_review.postgresql_checks(server(), [], POSTGRESQL, NOW))['postgresql psql-phonebill-prod latest backup age']
    assert age['status'] == 'FAIL' and 'Azure lists no completed backup (server state Ready)' in age['detail']


def test_short_retention_no_geo_and_a_short_restore_window():
    found = by_name(backup_review.postgresql_checks(server(retention=7, geo='Disabled', earliest='2021-06-22T17:00:00Z'), BACKUPS, POSTGRESQL, NOW))
    assert found['postgresql psql-phonebill-prod backup retention']['status'] == 'FAIL'
    assert found['postgresql psql-phonebill-prod geo-redundant backup']['status'] == 'FAIL'
    window = found['postgresql psql-phonebill-prod earliest restore point']
    assert (window['status'], window['measured']) == ('WARN', 2.0)   # 7 days kept, only 2 reachable


def test_a_young_server_is_held_to_its_age():
    young = server(created='2021-06-22T17:00:00Z', earliest='2021-06-22T17:05:00Z')
    window = by_name(backup_review.postgresql_checks(young, BACKUPS, POSTGRESQL, NOW))['postgresql psql-phonebill-prod earliest restore point']
    assert window['status'] == 'PASS' and window['threshold'] == '>= 1.0 days to pass'


def cache(configuration):
    return dict(name='redis-phonebill-prod', properties=dict(redisConfiguration=configuration))


RDB_ON = {'rdb-backup-enabled': 'true', 'rdb-backup-frequency': '60', 'rdb-backup-max-snapshot-count': '1', 'maxclients': '7500'}


def test_redis_rdb_every_hour_without_geo_replication_passes():
    found = by_name(backup_review.redis_checks_of(cache(RDB_ON), [], REDIS))
    assert [c['status'] for c in found.values()] == ['PASS', 'PASS', 'PASS']
    assert found['redis redis-phonebill-prod RDB snapshot interval']['measured'] == 60


def test_redis_persistence_off_fails():
    found = by_name(backup_review.redis_checks_of(cache({'rdb-backup-enabled': 'false', 'maxclients': '7500'}), [], REDIS))
    persistence = found['redis redis-phonebill-prod persistence']
    assert (persistence['status'], persistence['measured'], persistence['threshold']) == ('FAIL', 'none', '= RDB')
    assert found['redis redis-phonebill-prod RDB snapshot interval']['status'] == 'WARN'   # nothing measured


def test_redis_rdb_less_often_than_the_rpo_fails():
    found = by_name(backup_review.redis_checks_of(cache(dict(RDB_ON, **{'rdb-backup-frequency': '360'})), [], REDIS))
    assert found['redis redis-phonebill-prod RDB snapshot interval']['status'] == 'FAIL'


def test_redis_geo_replication_link_as_the_inventory_states_it():
    link = dict(name='redis-phonebill-dr', properties=dict(
        linkedRedisCacheId='/subscriptions/x/resourceGroups/rg-phonebill-prod-dr/providers/Microsoft.Cache/Redis/redis-phonebill-dr',
        serverRole='Secondary', provisioningState='Succeeded'))
    wanted = dict(REDIS, geo_replication_enabled=True, persistence='AOF')
    found = by_name(backup_review.redis_checks_of(cache({'aof-backup-enabled': 'true'}), [link], wanted))
    assert found['redis redis-phonebill-prod geo-replication']['status'] == 'PASS'
    assert found['redis redis-phonebill-prod geo-replication']['measured'] == 'linked to redis-phonebill-dr as Secondary (Succeeded)'
    unlinked = by_name(backup_review.redis_checks_of(cache({'aof-backup-enabled': 'true'}), [], wanted))
    assert unlinked['redis redis-phonebill-prod geo-replication']['status'] == 'FAIL'
    assert by_name(backup_review.redis_checks_of(cache(RDB_ON), [link], REDIS))['redis redis-phonebill-prod geo-replication']['status'] == 'FAIL'


def test_threshold_problems_and_times():
    assert backup_review.postgresql_threshold_problems(POSTGRESQL) == [] and backup_review.redis_threshold_problems(REDIS) == []
    assert backup_review.postgresql_threshold_problems(dict(POSTGRESQL, retention_days=40), 'p') == [
        'p.retention_days: 40 is not what Azure keeps; give 7 to 35 days']
    assert backup_review.redis_threshold_problems(dict(REDIS, persistence='both'), 'r')[0].startswith('r.persistence:')
    assert backup_review.parse_time('2021-06-15T16:05:19.902522+02:00') == datetime.datetime(2021, 6, 15, 14, 5, 19, 902522, tzinfo=UTC)
