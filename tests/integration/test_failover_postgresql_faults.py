# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/failover_postgresql.yml with faults injected through the sandbox: the failover fails, it is slower than
the threshold, the standby is not healthy, another run holds the lock. Each ends in a clear FAIL report with the lock released and nothing
half-done.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# server: a fixture, imported for pytest to find it
from ansible_collections.phonebill.platform.tests.integration import dr_drill_platform as dr
from ansible_collections.phonebill.platform.tests.integration.failover_postgresql_platform import (  # noqa: F401 pylint: disable=unused-import
    GROUP, failover, lock_released, restart_posts, server, settings, zones)
from ansible_collections.phonebill.platform.tests.integration.maintenance_run import checks
from ansible_collections.phonebill.platform.tests.integration.procedure_platform import writes_besides_the_lock


def test_a_failover_azure_fails_ends_in_a_fail_report_with_the_server_on_its_primary(sandbox, server, postgres_server, tmp_path):
    sandbox.fault('lro_failure', method='POST', path_contains='/restart', code='InternalServerError',
                  message='The failover of the server failed: the standby could not be promoted.')
    code, output, report = failover(sandbox, tmp_path, postgres_server, phonebill_failover_postgresql_mode='forced')
    assert code == 2, output
    found = checks(report)
    failed = found['PostgreSQL failover']
    assert failed['status'] == 'FAIL' and 'the standby could not be promoted' in failed['detail'], failed
    assert failed['detail'].startswith('Fail over, measured')
    left = found['PostgreSQL server after the failed failover']
    assert left['status'] == 'PASS' and left['detail'] == 'primary in zone 1, standby Healthy in zone 2'
    assert 'PostgreSQL failover not started' not in found and report['context']['mode'] == 'forced'
    assert zones(sandbox, server) == ('1', '2') and lock_released(sandbox)


def test_a_failover_slower_than_the_threshold_fails_with_the_measured_time(sandbox, server, postgres_server, tmp_path):
    sandbox.fault('slow_lro', method='POST', path_contains='/restart', seconds=3)
    slow = settings(postgres_server, max_seconds_to_available=2, warn_seconds_to_available=1)
    code, output, report = failover(sandbox, tmp_path, postgres_server, phonebill_failover_postgresql=slow)
    assert code == 2, output
    found = checks(report)
    timed = found['PostgreSQL time to available']
    assert timed['status'] == 'FAIL' and 3.0 <= timed['measured'] < 20, timed   # 3 s and the polling, never the timeout
    assert [c['name'] for c in report['checks'] if c['status'] == 'FAIL'] == ['PostgreSQL time to available']
    assert found['PostgreSQL query through the data plane after the failover']['status'] == 'PASS'
    assert zones(sandbox, server) == ('2', '1') and lock_released(sandbox)


def test_a_standby_that_is_not_healthy_is_refused_before_any_write(sandbox, server, postgres_server, tmp_path):
    sandbox.drift(server, {'properties': {'highAvailability': {'state': 'ReplicatingData'}}})
    sandbox.clear_requests()
    code, output, report = failover(sandbox, tmp_path, postgres_server)
    assert code == 2, output
    found = checks(report)
    assert found['PostgreSQL HA standby Healthy before the failover']['measured'] == 'ReplicatingData'
    assert found['PostgreSQL HA standby Healthy before the failover']['status'] == 'FAIL'
    assert 'not a healthy HA pair' in found['PostgreSQL failover']['detail']
    assert not restart_posts(sandbox) and not writes_besides_the_lock(sandbox, GROUP.format(sub=sandbox.subscription_id))
    assert zones(sandbox, server) == ('1', '2') and lock_released(sandbox)


def test_a_run_stopped_after_the_guard_reports_the_failover_not_started(azure, sandbox, server, postgres_server, tmp_path):
    """Another live run holds the lock: the failure after the guard is in the report (caught in rescue), the run fails."""
    other = dict(resource_group=dr.PROD, owner='ops@jumphost', run_id='manual-1')
    azure('maintenance_lock', verify_delay_seconds=0, **other)
    try:
        code, output, report = failover(sandbox, tmp_path, postgres_server)
    finally:
        azure('maintenance_lock', state='absent', **other)
    assert code == 2, output
    found = checks(report)
    assert found['maintenance window']['status'] == 'PASS'
    stopped = found['PostgreSQL failover not started']
    assert stopped['status'] == 'FAIL' and 'the maintenance lock is held by ops@jumphost (run manual-1)' in stopped['detail']
    assert not restart_posts(sandbox) and zones(sandbox, server) == ('1', '2') and lock_released(sandbox)
