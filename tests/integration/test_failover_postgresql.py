# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/failover_postgresql.yml on the sandbox, its server bound to a real PostgreSQL: check mode runs only the
pre-checks, a planned failover swaps the zones and answers queries, and outside the window it is refused unless it is
an approved emergency change (faults: test_failover_postgresql_faults.py).

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.tests.integration import dr_drill_platform as dr
# server: a fixture, imported for pytest to find it
from ansible_collections.phonebill.platform.tests.integration.failover_postgresql_platform import (  # noqa: F401 pylint: disable=unused-import
    OUTSIDE, failover, lock_released, restart_posts, server, zones)
from ansible_collections.phonebill.platform.tests.integration.maintenance_run import checks


def test_check_mode_runs_the_pre_checks_then_a_planned_failover_swaps_the_zones(sandbox, server, postgres_server, tmp_path):
    writes = sandbox.writes_count()
    code, output, report = failover(sandbox, tmp_path, postgres_server, check=True)
    assert code == 0, output
    assert sandbox.writes_count() == writes and not restart_posts(sandbox)
    checked = checks(report)
    assert checked['PostgreSQL HA standby Healthy before the failover']['status'] == 'PASS'
    assert checked['PostgreSQL query through the data plane before the failover']['status'] == 'PASS'
    assert 'from zone 1 to zone 2' in checked['PostgreSQL failover (check mode)']['detail']
    assert 'PostgreSQL time to available' not in checked and report['check_mode'] is True

    code, output, report = failover(sandbox, tmp_path, postgres_server)
    assert code == 0, output
    done = checks(report)
    assert report['status'] in ('PASS', 'WARN') and report['counts']['FAIL'] == 0, report
    assert done['maintenance window']['status'] == 'PASS'
    assert done['PostgreSQL zones swapped']['detail'] == 'primary zone 1 -> 2, standby zone 2 -> 1'
    assert 0 < done['PostgreSQL time to available']['measured'] < 60
    assert done['PostgreSQL query through the data plane after the failover']['measured'] is True
    assert done['PostgreSQL server Ready after the failover']['measured'] == 'Ready'
    assert zones(sandbox, server) == ('2', '1') and len(restart_posts(sandbox)) == 1
    assert restart_posts(sandbox)[0].get('body', {}).get('failoverMode', 'PlannedFailover') == 'PlannedFailover'
    assert lock_released(sandbox) and dr.ADMIN_PASSWORD not in output


def test_outside_the_window_it_is_refused_unless_an_approved_emergency_change(sandbox, server, postgres_server, tmp_path):
    sandbox.clear_requests()
    code, output, report = failover(sandbox, tmp_path, postgres_server, maintenance_guard_now=OUTSIDE)
    assert code == 2, output
    guard = report['checks'][0]
    assert guard['name'] == 'maintenance window' and guard['status'] == 'FAIL'
    assert 'the next window opens' in guard['detail'] and len(report['checks']) == 1
    assert not [r for r in sandbox.requests() if r.get('write')] and zones(sandbox, server) == ('1', '2')

    code, output, report = failover(sandbox, tmp_path, postgres_server, maintenance_guard_now=OUTSIDE,
                                    phonebill_change_id='CHG0012345',
                                    phonebill_change_approver='oncall.lead@phonebill.example')
    assert code == 0, output
    guard = checks(report)['maintenance window']
    assert guard['status'] == 'WARN' and guard['detail'].startswith(
        'emergency change CHG0012345 approved by oncall.lead@phonebill.example, outside the window')
    assert zones(sandbox, server) == ('2', '1') and lock_released(sandbox)
