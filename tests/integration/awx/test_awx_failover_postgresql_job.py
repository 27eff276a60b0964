# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phonebill-failover-postgresql job template run as AWX runs it (ansible-runner), against the sandbox with the
server bound to a real PostgreSQL: launched with the survey's answers as an emergency change outside the window, a
forced failover swaps the zones and its report reaches AWX as set_stats (artifact_data); launched with the Check job
type, only the pre-checks run and nothing is written.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from awx_job import artifact_data, output
# the fixtures of the other job tests, and the seeded server; imported for pytest to find them
# pylint: disable=redefined-outer-name,unused-import
from test_awx_jobs import awx, templates  # noqa: F401,F811

from ansible_collections.phonebill.platform.tests.integration.failover_postgresql_platform import (  # noqa: F401
    OUTSIDE, restart_posts, server, settings, zones)


def test_failover_postgresql_as_awx_runs_it(sandbox, postgres_server, server, templates, awx, tmp_path):
    job, credential = awx
    template = templates['phonebill-failover-postgresql']
    answers = {'phonebill_failover_postgresql_mode': 'forced', 'phonebill_change_id': 'CHG-2026-0042',
               'phonebill_change_approver': 'dba.lead@phonebill.example'}
    assert sorted(q['variable'] for q in template['survey_spec']['spec']) == sorted(answers)
    common = dict(phonebill_failover_postgresql=settings(postgres_server), maintenance_guard_now=OUTSIDE,
                  maintenance_guard_verify_delay_seconds=0)
    reports = {'PHONEBILL_REPORT_DIR': str(tmp_path / 'reports')}

    writes = sandbox.writes_count()
    checked = job.run(dict(template, job_type='check'), credential, extra_env=reports, extra_vars=dict(common, **answers))
    assert (checked.status, checked.rc) == ('successful', 0), output(checked)[-6000:]
    report = artifact_data(checked)['phonebill_failover_postgresql_report']
    assert report['check_mode'] is True and report['counts']['FAIL'] == 0
    assert 'PostgreSQL failover (check mode)' in [c['name'] for c in report['checks']]
    assert sandbox.writes_count() == writes and not restart_posts(sandbox)

    run = job.run(template, credential, extra_env=reports, extra_vars=dict(common, **answers))
    assert (run.status, run.rc) == ('successful', 0), output(run)[-6000:]
    report = artifact_data(run)['phonebill_failover_postgresql_report']
    assert (report['procedure'], report['counts']['FAIL']) == ('failover-postgresql', 0)
    assert report['context']['mode'] == 'forced' and report['context']['change_id'] == 'CHG-2026-0042'
    assert report['context']['change_approver'] == 'dba.lead@phonebill.example'
    found = dict((c['name'], c) for c in report['checks'])
    assert found['maintenance window']['status'] == 'WARN'
    assert found['maintenance window']['detail'].startswith('emergency change CHG-2026-0042 approved by dba.lead@phonebill.example, ')
    assert found['PostgreSQL zones swapped']['measured'] is True and found['PostgreSQL time to available']['measured'] > 0
    assert zones(sandbox, server) == ('2', '1') and len(restart_posts(sandbox)) == 1
    assert credential['AZURE_SECRET'] not in output(run)
