# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DR drill with faults injected through the sandbox: the restore fails, the restore is slower than the RTO,
the newest restore point is older than the RPO. Each ends in a FAIL report with the measured value, the scratch
server gone and the maintenance lock released.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin (PHONEBILL_REQUIRE_DATAPLANES=1 forbids skips).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.integration.dr_drill_platform import (
    SCRATCH, assert_cleaned_up, backup, checks, drill, drill_settings, seed_platform)


@pytest.fixture
def platform(sandbox, postgres_server, monkeypatch):
    return seed_platform(sandbox, postgres_server, monkeypatch)


def test_a_failed_restore_fails_the_drill_with_a_clear_report_and_cleans_up(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 20)
    sandbox.fault('lro_failure', method='PUT', path_contains='/flexibleServers/' + SCRATCH, code='InternalServerError',
                  message='The restore of the server failed: an internal error occurred.')
    code, output, report = drill(sandbox, tmp_path, drill_settings(postgres_server.ca_file, postgres_server.port))
    assert code == 2, output
    found = checks(report)
    failed = found['PostgreSQL DR drill']
    assert failed['status'] == 'FAIL' and 'The restore of the server failed' in failed['detail'], failed
    assert failed['detail'].startswith('Restore the source server to the scratch server - %s: ' % SCRATCH)
    assert found['PostgreSQL scratch server deleted']['status'] == 'PASS'
    assert 'PostgreSQL validation query on the restored server' not in found
    assert_cleaned_up(sandbox, postgres_server, output)


def test_a_restore_slower_than_the_rto_fails_with_the_measured_time(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 20)
    sandbox.fault('slow_lro', method='PUT', path_contains='/flexibleServers/' + SCRATCH, seconds=4)
    settings = drill_settings(postgres_server.ca_file, postgres_server.port, rto_minutes=0.05, rto_warn_minutes=0.04)
    code, output, report = drill(sandbox, tmp_path, settings)
    assert code == 2, output
    rto = checks(report)['PostgreSQL restore time to available (RTO)']
    assert rto['status'] == 'FAIL' and 4.0 <= rto['measured'] < 30, rto   # 4 s and the polling, never the timeout
    assert checks(report)['PostgreSQL validation query on the restored server']['status'] == 'PASS'
    assert_cleaned_up(sandbox, postgres_server, output)


def test_a_restore_point_older_than_the_rpo_fails(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 90)
    code, output, report = drill(sandbox, tmp_path, drill_settings(postgres_server.ca_file, postgres_server.port))
    assert code == 2, output
    rpo = checks(report)['PostgreSQL restore point age (RPO)']
    assert rpo['status'] == 'FAIL' and 89.9 <= rpo['measured'] < 92, rpo
    assert_cleaned_up(sandbox, postgres_server, output)
