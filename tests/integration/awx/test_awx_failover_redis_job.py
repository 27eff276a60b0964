# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phonebill-failover-redis job template run as AWX runs it (ansible-runner), against the sandbox with each cache
backed by a real redis-server: launched as a Check job it runs the pre-checks only and writes nothing; launched as a
Run job with the survey's change id and approver it promotes the DR cache. Both export the report as set_stats
(artifact_data).

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin (PHONEBILL_REQUIRE_DATAPLANES=1 forbids skips).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from awx_job import artifact_data, output
# the fixtures of the other job tests; imported for pytest to find them
# pylint: disable=redefined-outer-name,unused-import
from test_awx_jobs import awx, templates  # noqa: F401,F811

from ansible_collections.phonebill.platform.tests.integration.maintenance_run import INSIDE
from ansible_collections.phonebill.platform.tests.integration.redis_failover_platform import (  # noqa: F401
    CHANGE, PRIMARY, SECONDARY, settings, vault_uri)


@pytest.fixture
def failover_vars(vault_uri, second_redis_server):
    return dict(CHANGE, phonebill_failover_redis=settings(second_redis_server), maintenance_guard_now=INSIDE,
                maintenance_guard_verify_delay_seconds=0)


def test_failover_job_checks_then_promotes_and_exports_its_report(sandbox, templates, awx, failover_vars,
                                                                  second_redis_server, tmp_path):
    job, credential = awx
    template = templates['phonebill-failover-redis']
    assert [question['variable'] for question in template['survey_spec']['spec']] == list(CHANGE)
    reports = {'PHONEBILL_REPORT_DIR': str(tmp_path / 'reports')}

    writes = sandbox.writes_count()
    checked = job.run(dict(template, job_type='check'), credential, extra_env=reports, extra_vars=failover_vars)
    assert (checked.status, checked.rc) == ('successful', 0), output(checked)[-6000:]
    report = artifact_data(checked)['phonebill_failover_redis_report']
    assert report['check_mode'] is True and report['status'] == 'PASS'
    assert report['context']['roles_after'] == {PRIMARY: 'standalone', SECONDARY: 'standalone'}   # predicted
    assert sandbox.writes_count() == writes

    run = job.run(template, credential, extra_env=reports, extra_vars=dict(failover_vars, awx_job_id=4343, awx_user_name='awx'))
    assert (run.status, run.rc) == ('successful', 0), output(run)[-6000:]
    report = artifact_data(run)['phonebill_failover_redis_report']
    assert (report['procedure'], report['status'], report['counts']['FAIL']) == ('failover-redis', 'WARN', 0)
    found = dict((check['name'], check) for check in report['checks'])
    assert found['%s takes writes (SET, GET, DEL)' % SECONDARY]['status'] == 'PASS'
    assert report['context']['change_id'] == CHANGE['phonebill_change_id']
    dr = second_redis_server.admin_client()
    try:
        assert dr.info('replication')['role'] == 'master'
    finally:
        dr.close()
    assert credential['AZURE_SECRET'] not in output(run)
