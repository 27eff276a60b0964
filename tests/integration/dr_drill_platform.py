# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a DR drill test runs against: production's PostgreSQL (bound to a real database), Redis and Key Vault.

Shared by the playbook tests (test_dr_drill*.py) and the AWX job test. The restored server is a real copy of the
source's database (sandbox backing); the drill's settings are the inventory's with the RTO scaled to lro_scale.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.phonebill.platform.tests.integration.maintenance_run import INSIDE, checks, run_maintenance  # noqa: F401 pylint: disable=unused-import
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

SUB = '/subscriptions/%s/resourceGroups/%s/providers/%s'
PROD, DR = 'rg-phonebill-prod', 'rg-phonebill-prod-dr'
SOURCE, SCRATCH = 'psql-phonebill-prod', 'psql-phonebill-drdrill'
ADMIN, ADMIN_PASSWORD = 'phonebilladmin', 'Drill-Admin-Pa55word-7c1e'
LOCK = 'phonebill-maintenance-lock'
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
            'rto_minutes': 0.5, 'rto_warn_minutes': 0.4,   # 30 s (a 25-minute restore x lro_scale takes 1.5 s)
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


def seed_platform(sandbox, postgres_server, monkeypatch):
    """Production's PostgreSQL (bound to a real database with 3 bills), Redis, Key Vault and a backup 20 minutes old."""
    for key, value in sandbox.ansible_env().items():   # the vault is written by the collection's modules
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
         # the daily snapshots (sandbox pg_backups) fall 12 h before now: the newest restore point is the seeded backup
         'systemData': {'createdAt': utc(60 * 24 * 60 + 12 * 60)},
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


def assert_cleaned_up(sandbox, postgres_server, output):
    """The scratch server, its binding and its database copy are gone, the lock released, no password printed."""
    scratch = SUB % (sandbox.subscription_id, DR, 'Microsoft.DBforPostgreSQL/flexibleServers/' + SCRATCH)
    with pytest.raises(RuntimeError, match='404'):
        sandbox.get(scratch)
    assert SCRATCH not in str(sandbox.backings())
    connection = postgres_server.connect()
    try:
        assert connection.run('SELECT 1 FROM pg_database WHERE datname = :name', name=COPY) == []
    finally:
        connection.close()
    tags = sandbox.get('/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, PROD)).get('tags') or {}
    assert LOCK not in tags, output   # the lock was released
    assert ADMIN_PASSWORD not in output


def drill(sandbox, tmp_path, settings, check=False):
    """ansible-playbook dr_drill.yml with the drill's SETTINGS; (rc, output, report)."""
    return run_maintenance(sandbox, tmp_path, 'dr_drill.yml', check=check, phonebill_dr_drill=settings)
