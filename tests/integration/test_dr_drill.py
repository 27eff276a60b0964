# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monthly DR drill (playbooks/maintenance/dr_drill.yml) against the sandbox, its PostgreSQL backed by a real server.

The restored server is a real copy of the source's database (sandbox backing), so the validation query reads the
source's rows through TLS verified against the server's CA. Durations are scaled (lro_scale), so the RTO of these runs
is given in seconds' worth of minutes; the thresholds' shape is the inventory's.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin (PHONEBILL_REQUIRE_DATAPLANES=1 forbids skips).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import subprocess
import sys

import pytest

from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
INVENTORY = os.path.join(COLLECTION, 'inventories', 'prod')
PLAYBOOK = os.path.join(COLLECTION, 'playbooks', 'maintenance', 'dr_drill.yml')
SUB = '/subscriptions/%s/resourceGroups/%s/providers/%s'
PROD, DR = 'rg-phonebill-prod', 'rg-phonebill-prod-dr'
SOURCE, SCRATCH = 'psql-phonebill-prod', 'psql-phonebill-drdrill'
ADMIN, ADMIN_PASSWORD = 'phonebilladmin', 'Drill-Admin-Pa55word-7c1e'
LOCK = 'phonebill-maintenance-lock'
INSIDE = '2026-12-05T17:05:00Z'    # Sunday 02:05 KST
DATABASE, COPY = 'phonebill', 'phonebill_psql_phonebill_drdrill'
BILLS = 3


def utc(minutes_ago):
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
    return moment.strftime('%Y-%m-%dT%H:%M:%S.%f') + '0+00:00'


def drill_settings(ca_file, port, **postgresql):
    """phonebill_dr_drill as the inventory has it, with the RTO scaled to the sandbox's durations."""
    settings = {
        'time_budget_minutes': 75,
        'postgresql': {
            'source_server': SOURCE, 'source_resource_group': PROD,
            'scratch_server': SCRATCH, 'scratch_resource_group': DR, 'scratch_location': 'koreasouth',
            'point_in_time': 'latest',
            'rto_minutes': 0.2, 'rto_warn_minutes': 0.15,   # 12 s (a 25-minute restore x lro_scale takes 1.5 s)
            'rpo_minutes': 60, 'rpo_warn_minutes': 45,
            'restore_timeout_minutes': 1,
            'validation': {'login_host': '127.0.0.1', 'login_port': port, 'login_database': COPY,
                           'ssl_mode': 'verify-full', 'ca_cert': ca_file,
                           'query': 'SELECT count(*) AS bills, max(amount) AS largest FROM bills', 'min_value': BILLS},
        },
        'redis': {'rdb_backup_enabled': True, 'aof_backup_enabled': False, 'rdb_backup_frequency_max_minutes': 60,
                  'geo_replication_enabled': False, 'geo_replication_cache': 'redis-phonebill-dr'},
    }
    settings['postgresql'].update(postgresql)
    return settings


@pytest.fixture
def platform(sandbox, postgres_server, monkeypatch):
    """Production's PostgreSQL (bound to a real database with 3 bills), Redis, Key Vault and a backup 20 minutes old."""
    for key, value in sandbox.ansible_env().items():
        monkeypatch.setenv(key, value)
    sub = sandbox.subscription_id
    connection = postgres_server.connect()
    try:
        connection.run('DROP DATABASE IF EXISTS %s WITH (FORCE)' % COPY)
        connection.run('DROP DATABASE IF EXISTS %s WITH (FORCE)' % DATABASE)
        connection.run('CREATE DATABASE %s' % DATABASE)
    finally:
        connection.close()
    data = postgres_server.connect(database=DATABASE)
    try:
        data.run('CREATE TABLE bills (id int PRIMARY KEY, amount numeric(10, 2))')
        data.run('INSERT INTO bills VALUES (1, 12.50), (2, 33.00), (3, 7.25)')
    finally:
        data.close()
    source_id = SUB % (sub, PROD, 'Microsoft.DBforPostgreSQL/flexibleServers/' + SOURCE)
    sandbox.seed([
        {'id': '/subscriptions/%s/resourceGroups/%s' % (sub, PROD), 'location': 'koreacentral', 'tags': {'service': 'phonebill'}},
        {'id': '/subscriptions/%s/resourceGroups/%s' % (sub, DR), 'location': 'koreasouth'},
        {'id': source_id, 'location': 'koreacentral', 'sku': {'name': 'Standard_D4s_v3', 'tier': 'GeneralPurpose'},
         'systemData': {'createdAt': utc(60 * 24 * 60)},   # Azure's first full backup is the creation's
         'properties': {'version': '16', 'administratorLogin': ADMIN, 'administratorLoginPassword': ADMIN_PASSWORD,
                        'storage': {'storageSizeGB': 256},
                        'backup': {'backupRetentionDays': 35, 'geoRedundantBackup': 'Enabled',
                                   'earliestRestoreDate': utc(35 * 24 * 60)}}},
        {'id': SUB % (sub, PROD, 'Microsoft.Cache/redis/redis-phonebill-prod'), 'location': 'koreacentral',
         'properties': {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2},
                        'redisConfiguration': {'rdb-backup-enabled': 'true', 'rdb-backup-frequency': '60',
                                               'aof-backup-enabled': 'false'}}},
    ])
    sandbox.bind_postgres(source_id, **dict(postgres_server.login(), database=DATABASE))   # creates the administrator
    data = postgres_server.connect(database=DATABASE)
    try:
        data.run('ALTER TABLE bills OWNER TO %s' % ADMIN)   # the application's tables, as on Azure, are the admin's
    finally:
        data.close()
    from ansible_collections.phonebill.platform.plugins.modules import key_vault, key_vault_secret  # pylint: disable=import-outside-toplevel
    vault = run_module(key_vault.main, dict(name='kv-phonebill-prod', resource_group=PROD, location='koreacentral',
                                            sku='premium', enable_rbac_authorization=True))
    assert not vault.get('failed'), vault
    secret = run_module(key_vault_secret.main, dict(vault_uri=vault['vault_uri'], name='postgresql-admin-password',
                                                    value=ADMIN_PASSWORD))
    assert not secret.get('failed'), secret
    return source_id


def backup(sandbox, source_id, minutes_ago):
    """An automatic daily backup of the source, completed minutes_ago."""
    sandbox.seed([{'id': source_id + '/backups/daily_%d' % minutes_ago,
                   'properties': {'backupType': 'Full', 'source': 'Automatic', 'completedTime': utc(minutes_ago)}}])


def drill(sandbox, tmp_path, settings, check=False):
    """ansible-playbook dr_drill.yml as AWX would run it: (rc, output, report)."""
    reports = tmp_path / 'reports'
    (tmp_path / 'vars.json').write_text(json.dumps({'phonebill_dr_drill': settings, 'maintenance_guard_now': INSIDE,
                                                    'maintenance_guard_verify_delay_seconds': 0}))
    env = dict(os.environ, **sandbox.ansible_env())
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1', PHONEBILL_REPORT_DIR=str(reports),
               ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'))
    argv = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY,
            '-e', 'ansible_python_interpreter=%s' % sys.executable, '-e', '@%s' % (tmp_path / 'vars.json'), PLAYBOOK]
    done = subprocess.run(argv + (['--check'] if check else []), env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    found = sorted(reports.glob('dr-drill*.json')) if reports.exists() else []
    report = json.loads(found[-1].read_text()) if found else None
    return done.returncode, done.stdout + done.stderr, report


def checks(report):
    return dict((check['name'], check) for check in report['checks'])


def assert_cleaned_up(sandbox, postgres_server, output):
    scratch = SUB % (sandbox.subscription_id, DR, 'Microsoft.DBforPostgreSQL/flexibleServers/' + SCRATCH)
    with pytest.raises(RuntimeError, match='404'):
        sandbox.get(scratch)
    assert SCRATCH not in json.dumps(sandbox.backings())
    connection = postgres_server.connect()
    try:
        assert connection.run('SELECT 1 FROM pg_database WHERE datname = :name', name=COPY) == []
    finally:
        connection.close()
    tags = sandbox.get('/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, PROD)).get('tags') or {}
    assert LOCK not in tags, output   # the lock was released
    assert ADMIN_PASSWORD not in output


def test_drill_restores_measures_validates_and_cleans_up(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 20)
    code, output, report = drill(sandbox, tmp_path, drill_settings(postgres_server.ca_file, postgres_server.port))
    assert code == 0, output
    found = checks(report)
    assert report['status'] == 'PASS', report
    rto = found['PostgreSQL restore time to available (RTO)']
    assert rto['status'] == 'PASS' and 1.0 <= rto['measured'] < 12, rto     # 1500 s x 0.001, and the polling
    rpo = found['PostgreSQL restore point age (RPO)']
    assert rpo['status'] == 'PASS' and 19.9 <= rpo['measured'] < 22, rpo
    validation = found['PostgreSQL validation query on the restored server']
    assert validation['measured'] == BILLS and '"largest": 33.0' in validation['detail'], validation
    assert found['PostgreSQL scratch server deleted']['measured'] is True
    assert found['Redis RDB persistence']['status'] == 'PASS'
    assert found['Redis RDB snapshot interval']['measured'] == 60
    assert found['Redis geo-replication links']['measured'] == 0
    restore = [op for op in sandbox.operations() if op['resource_id'].endswith('/' + SCRATCH) and op['kind'] == 'put']
    assert len(restore) == 1 and restore[0]['end'] - restore[0]['start'] == pytest.approx(1.5, abs=0.01)
    assert_cleaned_up(sandbox, postgres_server, output)


def test_check_mode_reads_the_restore_points_and_says_what_it_would_do(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 30)
    writes = sandbox.writes_count()
    code, output, report = drill(sandbox, tmp_path, drill_settings(postgres_server.ca_file, postgres_server.port), check=True)
    assert code == 0, output
    found = checks(report)
    planned = found['PostgreSQL point-in-time restore (check mode)']
    assert 'would restore %s as of' % SOURCE in planned['detail'] and SCRATCH in planned['detail']
    assert 29.9 <= found['PostgreSQL restore point age (RPO)']['measured'] < 32
    assert 'PostgreSQL restore time to available (RTO)' not in found
    assert sandbox.writes_count() == writes


def test_a_failed_restore_fails_the_drill_with_a_clear_report_and_cleans_up(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 20)
    sandbox.fault('lro_failure', method='PUT', path_contains='/flexibleServers/' + SCRATCH, code='InternalServerError',
                  message='The restore of the server failed: an internal error occurred.')
    code, output, report = drill(sandbox, tmp_path, drill_settings(postgres_server.ca_file, postgres_server.port))
    assert code == 2, output
    found = checks(report)
    failed = found['PostgreSQL DR drill']
    assert failed['status'] == 'FAIL' and 'The restore of the server failed' in failed['detail'], failed
    assert failed['detail'].startswith('Restore %s to %s' % (SOURCE, SCRATCH))
    assert found['PostgreSQL scratch server deleted']['status'] == 'PASS'
    assert 'PostgreSQL validation query on the restored server' not in found
    assert_cleaned_up(sandbox, postgres_server, output)


def test_a_restore_slower_than_the_rto_fails_with_the_measured_time(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 20)
    sandbox.fault('slow_lro', method='PUT', path_contains='/flexibleServers/' + SCRATCH, seconds=4)
    code, output, report = drill(sandbox, tmp_path, drill_settings(postgres_server.ca_file, postgres_server.port,
                                                                  rto_minutes=0.05, rto_warn_minutes=0.04))
    assert code == 2, output
    rto = checks(report)['PostgreSQL restore time to available (RTO)']
    assert rto['status'] == 'FAIL' and 4.0 <= rto['measured'] < 8, rto
    assert checks(report)['PostgreSQL validation query on the restored server']['status'] == 'PASS'
    assert_cleaned_up(sandbox, postgres_server, output)


def test_a_restore_point_older_than_the_rpo_fails(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 90)
    code, output, report = drill(sandbox, tmp_path, drill_settings(postgres_server.ca_file, postgres_server.port))
    assert code == 2, output
    rpo = checks(report)['PostgreSQL restore point age (RPO)']
    assert rpo['status'] == 'FAIL' and 89.9 <= rpo['measured'] < 92, rpo
    assert_cleaned_up(sandbox, postgres_server, output)
