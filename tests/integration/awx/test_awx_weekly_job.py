# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phonebill-weekly-maintenance job template run as AWX runs it (ansible-runner), against the sandbox and the
control plane: the weekly report reaches AWX as set_stats (artifact_data), and a run outside the window is a failed
job that still exports its report and writes nothing to Azure."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

import pytest

from awx_job import artifact_data, output
# the fixtures of the other job tests; imported for pytest to find them
# pylint: disable=redefined-outer-name,unused-import
from test_awx_jobs import awx, templates  # noqa: F401,F811

from ansible_collections.phonebill.platform.tests.integration.weekly_platform import INSIDE, OUTSIDE, seed_platform


@pytest.fixture
def weekly_vars(sandbox, control_plane):
    seed_platform(sandbox)
    return dict(phonebill_kubeconfig=control_plane, phonebill_workload_namespace='weekly-%s' % uuid.uuid4().hex[:8],
                maintenance_guard_verify_delay_seconds=0)


def test_weekly_maintenance_job_exports_its_report(sandbox, templates, awx, weekly_vars, tmp_path):
    job, credential = awx
    run = job.run(templates['phonebill-weekly-maintenance'], credential, extra_env={'PHONEBILL_REPORT_DIR': str(tmp_path / 'reports')},
                  extra_vars=dict(weekly_vars, maintenance_guard_now=INSIDE, awx_job_id=4242, awx_user_name='awx'))
    assert (run.status, run.rc) == ('successful', 0), output(run)[-6000:]
    report = artifact_data(run)['phonebill_weekly_report']
    assert (report['procedure'], report['status'], report['counts']['FAIL']) == ('weekly', 'PASS', 0)
    names = [check['name'] for check in report['checks']]
    assert names[0] == 'maintenance window' and 'node pool app nodes vs autoscaler' in names
    assert 'postgresql psql-phonebill-prod latest backup age' in names and 'redis redis-phonebill-prod persistence' in names
    assert credential['AZURE_SECRET'] not in output(run)

    writes = sandbox.writes_count()
    refused = job.run(templates['phonebill-weekly-maintenance'], credential, extra_env={'PHONEBILL_REPORT_DIR': str(tmp_path / 'reports')},
                      extra_vars=dict(weekly_vars, maintenance_guard_now=OUTSIDE))
    assert (refused.status, refused.rc) == ('failed', 2)
    report = artifact_data(refused)['phonebill_weekly_report']
    assert report['status'] == 'FAIL' and report['checks'][0]['name'] == 'maintenance window'
    assert 'the next window opens' in report['checks'][0]['detail']
    assert sandbox.writes_count() == writes

    # an approval under the names released to AWX users earlier is refused, naming the new ones, never silently ignored
    renamed = job.run(templates['phonebill-weekly-maintenance'], credential, extra_env={'PHONEBILL_REPORT_DIR': str(tmp_path / 'reports')},
                      extra_vars=dict(weekly_vars, maintenance_guard_now=OUTSIDE, maintenance_guard_emergency_change_id='CHG-2026-0042',
                                      maintenance_guard_approver='oncall.lead@phonebill.example'))
    assert (renamed.status, renamed.rc) == ('failed', 2)
    check = artifact_data(renamed)['phonebill_weekly_report']['checks'][0]
    assert (check['name'], check['status']) == ('maintenance window', 'FAIL')
    assert 'give the approved change as phonebill_change_id and phonebill_change_approver' in check['detail']
    assert sandbox.writes_count() == writes
