# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The weekly review's read modules in-process against the sandbox: reads only (also in check mode), bad thresholds
refused before any request, a missing resource reported as a FAIL check."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.tests.integration.weekly_platform import GROUP, seed_platform

POSTGRESQL = dict(retention_days=35, geo_redundant_backup=True, backup_warn_age_hours=25, backup_max_age_hours=26)
REDIS = dict(persistence='RDB', rpo_minutes=60, geo_replication_enabled=False, geo_replication_name='redis-phonebill-dr')


def test_postgresql_backups_read_in_check_mode_without_writes(azure, sandbox):
    seed_platform(sandbox)
    writes = azure.writes()
    normal = azure('postgresql_flexible_server_backup_info', name='psql-phonebill-prod', resource_group=GROUP, review=POSTGRESQL)
    checked = azure('postgresql_flexible_server_backup_info', check_mode=True, name='psql-phonebill-prod', resource_group=GROUP,
                    review=POSTGRESQL)
    assert normal['changed'] is False and azure.writes() == writes
    assert len(normal['backups']) == 35 and normal['latest_backup']['name'].startswith('daily_')   # daily, 35 days kept
    assert normal['backups'][-1] == normal['latest_backup']
    assert normal['backup']['geoRedundantBackup'] == 'Enabled' and normal['backup']['state'] == 'Ready'
    assert [c['name'] for c in checked['checks']] == [c['name'] for c in normal['checks']]
    assert len(normal['checks']) == 4


def test_redis_persistence_read_without_secrets(azure, sandbox):
    seed_platform(sandbox)
    writes = azure.writes()
    found = azure('redis_cache_persistence_info', check_mode=True, name='redis-phonebill-prod', resource_group=GROUP, review=REDIS)
    assert found['persistence'] == {'methods': 'RDB', 'rdb_backup_enabled': 'true', 'rdb_backup_frequency': '60',
                                    'rdb_backup_max_snapshot_count': '1'}
    assert found['linked_servers'] == [] and [c['name'] for c in found['checks']] == [
        'redis redis-phonebill-prod persistence', 'redis redis-phonebill-prod RDB snapshot interval', 'redis redis-phonebill-prod geo-replication']
    assert azure.writes() == writes


def test_bad_thresholds_are_refused_before_any_request(azure, sandbox):
    sandbox.requests()
    before = len(sandbox.requests())
    bad = azure('postgresql_flexible_server_backup_info', name='psql-phonebill-prod', resource_group=GROUP,
                review=dict(POSTGRESQL, retention_days=90))
    assert bad['failed'] and 'review.retention_days: 90 is not what Azure keeps; give 7 to 35 days' in bad['msg']
    bad = azure('redis_cache_persistence_info', name='redis-phonebill-prod', resource_group=GROUP, review=dict(REDIS, rpo_minutes=0))
    assert bad['failed'] and 'review.rpo_minutes: 0 is not a number of minutes' in bad['msg']
    bad = azure('k8s_capacity_info', kubeconfig='/nonexistent', review=dict(pool_warn_percent_of_max=80, pool_fail_at_max=True,
                                                                            pending_pods_max=0))
    assert bad['failed'] and 'agent_pools: required with review' in bad['msg']
    assert len(sandbox.requests()) == before


def test_missing_server_and_cache_are_failed_checks(azure, sandbox):
    sandbox.seed([dict(id='/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, GROUP), location='koreacentral')])
    server = azure('postgresql_flexible_server_backup_info', name='psql-phonebill-prod', resource_group=GROUP, review=POSTGRESQL)
    cache = azure('redis_cache_persistence_info', name='redis-phonebill-prod', resource_group=GROUP, review=REDIS)
    assert (server['exists'], server['checks'][0]['status'], server['checks'][0]['detail']) == (False, 'FAIL', 'the server does not exist')
    assert (cache['exists'], cache['checks'][0]['status']) == (False, 'FAIL')
