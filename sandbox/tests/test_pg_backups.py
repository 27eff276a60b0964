"""Automatic PostgreSQL backups on the sandbox's clock, through the real SDK client."""

from datetime import datetime, timedelta, timezone

import pytest
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient

from azure_sandbox.pg_backups import parse_time

SERVER = "/subscriptions/{sub}/resourceGroups/rg-backups/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-backups"


def _seed(sandbox, days_ago, retention=7):
    created = (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
    server_id = SERVER.format(sub=sandbox.subscription_id)
    sandbox.seed([{"id": server_id, "location": "koreacentral", "sku": {"name": "Standard_D2s_v3", "tier": "GeneralPurpose"},
                   "systemData": {"createdAt": created},
                   "properties": {"version": "16", "state": "Ready", "administratorLogin": "pgadmin",
                                  "backup": {"backupRetentionDays": retention, "geoRedundantBackup": "Enabled",
                                             "earliestRestoreDate": created}}}])
    return server_id


@pytest.fixture
def backups(sandbox):
    client = PostgreSQLManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs())
    return lambda: list(client.backups_automatic_and_on_demand.list_by_server("rg-backups", "psql-backups"))


def test_daily_snapshots_since_creation_within_retention(sandbox, backups):
    _seed(sandbox, days_ago=10.5, retention=7)
    found = backups()
    # one a day, only those within the 7 retention days: days 3.5 .. 10.5 ago are kept from day 10.5 on
    assert len(found) == 7
    assert all(b.properties.backup_type == "Full" and b.properties.source == "Automatic" for b in found)
    assert all(b.name.startswith("daily_") and b.type == "Microsoft.DBforPostgreSQL/flexibleServers/backups" for b in found)
    newest = max(b.properties.completed_time for b in found)
    assert timedelta(hours=11) < datetime.now(timezone.utc) - newest < timedelta(hours=13)


def test_a_new_server_lists_its_first_snapshot(sandbox, backups):
    _seed(sandbox, days_ago=0)
    assert len(backups()) == 1


def test_backups_stopped_fault_lists_nothing_after_it(sandbox, backups):
    server_id = _seed(sandbox, days_ago=3.1)
    stopped = datetime.now(timezone.utc) - timedelta(hours=30)
    sandbox.config(postgresql_backups_stopped={server_id.upper(): stopped.isoformat()})
    found = backups()
    assert len(found) == 2   # created 74 h ago: snapshots at 74 h and 50 h ago; 26 h ago is after the stop
    assert max(b.properties.completed_time for b in found) <= stopped


def test_parse_time_reads_azure_timestamps():
    assert parse_time("2021-06-15T16:05:19.902522+00:00") == datetime(2021, 6, 15, 16, 5, 19, 902522, tzinfo=timezone.utc)
    assert parse_time("2026-12-02T14:08:26.1234567Z") == datetime(2026, 12, 2, 14, 8, 26, 123456, tzinfo=timezone.utc)


def test_earliest_restore_date_is_the_retention_start_once_the_server_is_older(sandbox):
    server_id = _seed(sandbox, days_ago=40, retention=35)
    earliest = parse_time(sandbox.get(server_id)["properties"]["backup"]["earliestRestoreDate"])
    assert abs((datetime.now(timezone.utc) - earliest) - timedelta(days=35)) < timedelta(minutes=1)
    young = _seed(sandbox, days_ago=2, retention=35)
    earliest = parse_time(sandbox.get(young)["properties"]["backup"]["earliestRestoreDate"])
    assert abs((datetime.now(timezone.utc) - earliest) - timedelta(days=2)) < timedelta(minutes=1)
