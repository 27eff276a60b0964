# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a PostgreSQL failover test runs against: the DR drill's production platform (its server bound to a real
database, the administrator's password in Key Vault) with zone-redundant HA, and the procedure's settings pointing
the data-plane query at the real server. Shared by the playbook tests and the AWX job test."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.phonebill.platform.tests.integration import dr_drill_platform as dr
from ansible_collections.phonebill.platform.tests.integration.maintenance_run import COLLECTION, run_maintenance

PLAYBOOK = os.path.join(COLLECTION, 'playbooks', 'failover_postgresql.yml')
OUTSIDE = '2026-12-02T10:00:00Z'   # a Wednesday, 19:00 KST
INSIDE = dr.INSIDE
GROUP = '/subscriptions/{sub}/resourceGroups/' + dr.PROD


def seed_platform(sandbox, postgres_server, monkeypatch):
    """Production's server, primary in zone 1 with its standby Healthy in zone 2 (database.yml); its id."""
    server_id = dr.seed_platform(sandbox, postgres_server, monkeypatch)
    sandbox.drift(server_id, {'properties': {'availabilityZone': '1', 'highAvailability': {
        'mode': 'ZoneRedundant', 'standbyAvailabilityZone': '2', 'state': 'Healthy'}}})
    return server_id


@pytest.fixture
def server(sandbox, postgres_server, monkeypatch):
    """The seeded platform's server id."""
    return seed_platform(sandbox, postgres_server, monkeypatch)


def lock_released(sandbox):
    return dr.LOCK not in (sandbox.get(GROUP.format(sub=sandbox.subscription_id)).get('tags') or {})


def settings(postgres_server, **changes):
    """phonebill_failover_postgresql as the inventory has it, the query through the real server."""
    found = {'server': dr.SOURCE, 'resource_group': dr.PROD, 'mode': 'planned', 'time_budget_minutes': 15,
             'max_seconds_to_available': 60, 'warn_seconds_to_available': 45, 'timeout_seconds': 60,
             'validation': {'login_host': '127.0.0.1', 'login_port': postgres_server.port, 'login_database': dr.DATABASE,
                            'ssl_mode': 'verify-full', 'ca_cert': postgres_server.ca_file,
                            'query': 'SELECT NOT pg_is_in_recovery() AS primary_takes_writes'}}
    found.update(changes)
    return found


def failover(sandbox, tmp_path, postgres_server, check=False, **extra):
    """ansible-playbook failover_postgresql.yml: (rc, output, report)."""
    extra.setdefault('phonebill_failover_postgresql', settings(postgres_server))
    return run_maintenance(sandbox, tmp_path, PLAYBOOK, check=check, **extra)


def zones(sandbox, server_id):
    properties = sandbox.get(server_id)['properties']
    return properties['availabilityZone'], properties['highAvailability']['standbyAvailabilityZone']


def restart_posts(sandbox):
    return [r for r in sandbox.requests() if r['method'] == 'POST' and r['path'].lower().endswith('/restart')]
