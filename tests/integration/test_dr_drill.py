# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monthly DR drill (playbooks/maintenance/dr_drill.yml) against the sandbox, its PostgreSQL backed by a real
server: a drill that passes, and the same drill in check mode.

The restored server is a real copy of the source's database (sandbox backing), so the validation query reads the
source's rows through TLS verified against the server's CA. Durations are scaled (lro_scale 0.001): the RTO of
these runs is 30 seconds; every other threshold is the inventory's.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin (PHONEBILL_REQUIRE_DATAPLANES=1 forbids skips).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.integration.dr_drill_platform import (
    BILLS, SCRATCH, SOURCE, assert_cleaned_up, backup, checks, drill, drill_settings, seed_platform)


@pytest.fixture
def platform(sandbox, postgres_server, monkeypatch):
    return seed_platform(sandbox, postgres_server, monkeypatch)


def test_drill_restores_measures_validates_and_cleans_up(sandbox, platform, postgres_server, tmp_path):
    backup(sandbox, platform, 20)
    code, output, report = drill(sandbox, tmp_path, drill_settings(postgres_server.ca_file, postgres_server.port))
    assert code == 0, output
    found = checks(report)
    assert report['status'] == 'PASS', report
    assert report['checks'][0]['name'] == 'maintenance window' and found['maintenance window']['status'] == 'PASS'
    rto = found['PostgreSQL restore time to available (RTO)']
    assert rto['status'] == 'PASS' and 1.5 <= rto['measured'] < 24, rto     # 1500 s x 0.001, and the polling
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
