# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How await_operations waits: progress lines, a failure among running jobs, the timeout, results handed back."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.phonebill.platform.plugins.action import await_operations
from ansible_collections.phonebill.platform.plugins.action.await_operations import (
    OperationsWait, async_status_answer, operations_from)


class Jobs:
    """Fake async jobs on a fake clock: each finishes at a given time with a given result."""

    def __init__(self, finishing):
        self.now = 1000.0
        self.finishing = finishing  # job id -> (time it finishes, its result)
        self.polls = []
        self.lines = []

    def status(self, job_id):
        self.polls.append((self.now, job_id))
        at, result = self.finishing[job_id]
        if self.now >= at:
            return dict(result, ansible_job_id=job_id, started=True, finished=True, results_file='/x/' + job_id)
        return dict(ansible_job_id=job_id, started=True, finished=False)

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds

    def wait(self, registered, **options):
        operations = operations_from(registered, self.now)
        wait = OperationsWait(operations, self.status, self.clock, self.sleep, self.lines.append, **options)
        timed_out, failed = wait.run()
        return wait, operations, timed_out, [op.name for op in failed]


def started(job_id, at=1000.0):
    return dict(ansible_job_id=job_id, started=True, finished=False, started_at=at)


AKS_RESULT = dict(changed=True, id='/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks',
                  diff=dict(before={}, after={'name': 'aks'}), differences=[dict(path='name', before=None, after='aks')])


def test_result_of_returns_as_soon_as_that_job_ends_with_its_own_result_and_leaves_the_others_running():
    jobs = Jobs({'j-aks': (1360.0, AKS_RESULT), 'j-redis': (2500.0, dict(changed=True))})
    wait, operations, timed_out, failed = jobs.wait(dict(aks_cluster=started('j-aks'), cache_redis=started('j-redis')),
                                                    result_of='aks_cluster', poll_interval=10.0, progress_interval=60.0)
    assert (timed_out, failed) == (False, [])
    assert operations['aks_cluster'].result == AKS_RESULT  # async bookkeeping (job id, results file) removed
    assert operations['cache_redis'].running
    assert 1360.0 <= jobs.now < 1370.0
    summary = wait.summary(jobs.now)
    assert summary['aks_cluster'] == dict(status='succeeded', changed=True, seconds=360.0)
    assert summary['cache_redis']['status'] == 'running'


def test_progress_lines_name_what_still_runs_and_for_how_long_every_interval():
    jobs = Jobs({'j-aks': (1100.0, AKS_RESULT), 'j-redis': (1150.0, dict(changed=False))})
    jobs.wait(dict(aks_cluster=started('j-aks', at=940.0), cache_redis=started('j-redis')),
              poll_interval=5.0, progress_interval=60.0)
    assert jobs.lines == [
        'await_operations [all]: still running: aks_cluster (2m00s), cache_redis (1m00s)',
        'await_operations [all]: still running: cache_redis (2m00s)',
    ]


def test_a_failed_job_fails_only_after_the_other_running_jobs_finished():
    failure = dict(failed=True, changed=False, msg='PostgreSQL: InternalServerError')
    jobs = Jobs({'j-aks': (1100.0, AKS_RESULT), 'j-pg': (1020.0, failure), 'j-redis': (1500.0, dict(changed=True))})
    wait, operations, timed_out, failed = jobs.wait(
        dict(aks_cluster=started('j-aks'), database_server=started('j-pg'), cache_redis=started('j-redis')),
        result_of='database_server', poll_interval=10.0, progress_interval=100.0)
    assert (timed_out, failed) == (False, ['database_server'])
    assert not [op for op in operations.values() if op.running]  # nothing left behind
    assert jobs.now >= 1500.0
    assert any('failed: database_server (waiting for the others before failing)' in line for line in jobs.lines)
    assert wait.summary(jobs.now)['database_server']['status'] == 'failed'


def test_a_failure_of_another_job_does_not_fail_the_wait_for_one_that_succeeded():
    failure = dict(failed=True, msg='boom')
    jobs = Jobs({'j-aks': (1100.0, AKS_RESULT), 'j-pg': (1020.0, failure)})
    _wait, _operations, timed_out, failed = jobs.wait(dict(aks_cluster=started('j-aks'), database_server=started('j-pg')),
                                                      result_of='aks_cluster', poll_interval=10.0)
    assert (timed_out, failed) == (False, [])


def test_waiting_for_all_reports_every_failed_job():
    jobs = Jobs({'j-a': (1010.0, dict(failed=True, msg='a')), 'j-b': (1030.0, dict(failed=True, msg='b')),
                 'j-c': (1050.0, dict(changed=True))})
    _wait, _operations, timed_out, failed = jobs.wait(dict(a=started('j-a'), b=started('j-b'), c=started('j-c')),
                                                      poll_interval=10.0)
    assert (timed_out, sorted(failed)) == (False, ['a', 'b'])
    assert jobs.now >= 1050.0


def test_timeout_stops_waiting_and_says_what_still_runs():
    jobs = Jobs({'j-redis': (9000.0, dict(changed=True)), 'j-aks': (1100.0, AKS_RESULT)})
    wait, operations, timed_out, failed = jobs.wait(dict(cache_redis=started('j-redis'), aks_cluster=started('j-aks')),
                                                    poll_interval=10.0, progress_interval=1000.0, timeout=300.0)
    assert (timed_out, failed) == (True, [])
    assert 1300.0 <= jobs.now < 1320.0
    assert [op.name for op in operations.values() if op.running] == ['cache_redis']
    assert wait.summary(jobs.now)['aks_cluster']['status'] == 'succeeded'


def test_finished_jobs_are_not_polled_again():
    jobs = Jobs({'j-aks': (1000.0, AKS_RESULT), 'j-redis': (1040.0, dict(changed=True))})
    jobs.wait(dict(aks_cluster=started('j-aks'), cache_redis=started('j-redis')), poll_interval=10.0,
              progress_interval=1000.0)
    assert [job for _at, job in jobs.polls].count('j-aks') == 1
    assert [job for _at, job in jobs.polls].count('j-redis') == 5


def test_a_loop_register_gives_one_operation_per_item_named_by_the_items_name():
    loop = dict(started_at=900.0, changed=False, results=[
        dict(ansible_job_id='j-1', item={'name': 'replica-1', 'location': 'koreasouth'}),
        dict(ansible_job_id='j-2', item={'name': 'replica-2'}),
    ])
    operations = operations_from(dict(database_replicas=loop), 1000.0)
    assert sorted(operations) == ['database_replicas/replica-1', 'database_replicas/replica-2']
    assert operations['database_replicas/replica-2'].job_id == 'j-2'
    assert operations['database_replicas/replica-2'].started == 900.0


def test_a_skipped_start_is_a_skipped_operation_never_polled():
    operations = operations_from(dict(cache_redis=dict(skipped=True, changed=False, skip_reason='Conditional result was False')), 5.0)
    assert operations['cache_redis'].skipped['skipped'] is True
    assert not operations['cache_redis'].running


@pytest.mark.parametrize('value, message', [
    ('job-1', 'operations.x: not the registered result of a task started with async and poll: 0'),
    (dict(changed=True), 'operations.x: has no async job id; start its task with async and poll: 0 and register it'),
])
def test_something_else_than_a_started_job_is_refused_naming_it(value, message):
    with pytest.raises(ValueError) as problem:
        operations_from(dict(x=value), 0.0)
    assert str(problem.value) == message


class FakeTask:
    """What ActionBase.run reads of a task: its arguments, no async, no check mode."""

    def __init__(self, args):
        self.args, self.async_val, self.check_mode, self.diff = args, 0, False, False
        self.action = 'phonebill.platform.await_operations'

    def get_name(self):
        return 'await'


def action(args, jobs, monkeypatch):
    """The action plugin with async_status answered by ``jobs`` (and cleanups recorded) instead of run on a host."""
    from unittest import mock

    plugin = await_operations.ActionModule(FakeTask(args), mock.MagicMock(), mock.MagicMock(), loader=None,
                                           templar=mock.MagicMock(), shared_loader_obj=None)
    cleaned = []

    def execute_module(module_name, task_vars, module_args):
        assert module_name == 'ansible.legacy.async_status'
        if module_args['mode'] == 'cleanup':
            cleaned.append(module_args['jid'])
            return dict(erased=module_args['jid'])
        return jobs.status(module_args['jid'])

    monkeypatch.setattr(plugin, '_execute_module', execute_module)
    monkeypatch.setattr(plugin, '_remote_expand_user', lambda path: path)
    monkeypatch.setattr(plugin, 'get_shell_option', lambda option, default=None: default)
    monkeypatch.setattr(await_operations.time, 'time', jobs.clock)
    monkeypatch.setattr(await_operations.time, 'sleep', jobs.sleep)
    return plugin, cleaned


def test_the_task_returns_the_awaited_modules_result_as_its_own_and_keeps_the_job_files(monkeypatch):
    jobs = Jobs({'j-aks': (1030.0, AKS_RESULT), 'j-redis': (5000.0, dict(changed=True))})
    plugin, cleaned = action(dict(operations=dict(aks_cluster=started('j-aks'), cache_redis=started('j-redis')),
                                  result_of='aks_cluster', poll_interval=10.0), jobs, monkeypatch)
    result = plugin.run(task_vars={})
    assert (result['changed'], result['id'], result['diff'], result['differences']) == (
        True, AKS_RESULT['id'], AKS_RESULT['diff'], AKS_RESULT['differences'])
    assert 'failed' not in result and 'ansible_job_id' not in result
    assert result['operations']['cache_redis']['status'] == 'running'
    assert cleaned == []  # the last await of the play removes them


def test_the_task_fails_naming_the_failed_operation_and_removes_every_job_file(monkeypatch):
    jobs = Jobs({'j-pg': (1010.0, dict(failed=True, msg='InternalServerError')), 'j-redis': (1100.0, dict(changed=True))})
    plugin, cleaned = action(dict(operations=dict(database_server=started('j-pg'), cache_redis=started('j-redis')),
                                  result_of='database_server', poll_interval=10.0), jobs, monkeypatch)
    result = plugin.run(task_vars={})
    assert result['failed'] is True
    assert result['msg'] == 'database_server failed: InternalServerError'
    assert jobs.now >= 1100.0 and sorted(cleaned) == ['j-pg', 'j-redis']


def test_the_task_times_out_naming_what_still_runs(monkeypatch):
    jobs = Jobs({'j-redis': (9000.0, dict(changed=True))})
    plugin, _cleaned = action(dict(operations=dict(cache_redis=started('j-redis')), poll_interval=10.0, timeout=60.0),
                              jobs, monkeypatch)
    result = plugin.run(task_vars={})
    assert result['failed'] is True
    assert result['msg'].startswith('timeout: cache_redis still running after 60s')


def test_an_operation_never_started_is_refused_naming_the_fix(monkeypatch):
    plugin, _cleaned = action(dict(operations=dict(cache_redis=started('j-redis')), result_of='aks_cluster'),
                              Jobs({}), monkeypatch)
    result = plugin.run(task_vars={})
    assert result['failed'] is True
    assert result['msg'].startswith('result_of: no operation named aks_cluster was started (started: cache_redis); ')


def test_operations_not_awaited_are_polled_only_for_the_progress_lines():
    jobs = Jobs({'j-aks': (1100.0, AKS_RESULT), 'j-redis': (5000.0, dict(changed=True))})
    jobs.wait(dict(aks_cluster=started('j-aks'), cache_redis=started('j-redis')), result_of='aks_cluster',
              poll_interval=10.0, progress_interval=50.0)
    assert [at for at, job in jobs.polls if job == 'j-redis'] == [1050.0]
    assert jobs.lines == ['await_operations [aks_cluster]: still running: aks_cluster (50s), cache_redis (50s)']


# --- the job status read on the controller (async_status's answers without its module process) ---

def write_job(directory, job_id, content):
    (directory / job_id).write_text(content if isinstance(content, str) else json.dumps(content))
    return str(directory / job_id)


def test_a_job_still_running_reads_as_started_not_finished(tmp_path):
    path = write_job(tmp_path, 'j1', dict(started=True, finished=False, ansible_job_id='j1'))
    answer = async_status_answer(str(tmp_path), 'j1')
    assert (answer['started'], answer['finished'], answer['ansible_job_id']) == (True, False, 'j1')
    assert 'failed' not in answer and os.path.exists(path)


def test_a_job_finished_ok_reads_as_the_modules_result_marked_finished(tmp_path):
    write_job(tmp_path, 'j1', AKS_RESULT)
    answer = async_status_answer(str(tmp_path), 'j1')
    assert answer == dict(AKS_RESULT, finished=True, ansible_job_id='j1')


def test_a_job_finished_failed_reads_as_the_modules_failure(tmp_path):
    write_job(tmp_path, 'j1', dict(failed=True, changed=False, msg='InternalServerError'))
    answer = async_status_answer(str(tmp_path), 'j1')
    assert answer == dict(failed=True, changed=False, msg='InternalServerError', finished=True, ansible_job_id='j1')


def test_a_missing_job_file_is_a_finished_failure_naming_the_job(tmp_path):
    answer = async_status_answer(str(tmp_path), 'j-gone')
    assert (answer['failed'], answer['msg'], answer['started'], answer['finished'], answer['ansible_job_id']) == (
        True, 'could not find job', True, True, 'j-gone')


@pytest.mark.parametrize('content', ['', '{"changed": true, "id": "/subscriptions/s/resourceGr'])
def test_a_job_file_empty_or_cut_short_reads_as_running(tmp_path, content):
    write_job(tmp_path, 'j1', content)
    answer = async_status_answer(str(tmp_path), 'j1')
    assert (answer['started'], answer['finished'], answer['results_file']) == (True, False, str(tmp_path / 'j1'))
    assert 'failed' not in answer


def test_a_job_file_holding_no_object_is_a_finished_failure(tmp_path):
    write_job(tmp_path, 'j1', '[1, 2]')
    answer = async_status_answer(str(tmp_path), 'j1')
    assert (answer['failed'], answer['finished']) == (True, True)
    assert answer['msg'] == 'job file %s holds no result object' % (tmp_path / 'j1')


def test_cleanup_removes_the_job_file_and_a_second_cleanup_finds_no_job(tmp_path):
    path = write_job(tmp_path, 'j1', AKS_RESULT)
    assert async_status_answer(str(tmp_path), 'j1', 'cleanup')['erased'] == path
    assert not os.path.exists(path)
    assert async_status_answer(str(tmp_path), 'j1', 'cleanup')['msg'] == 'could not find job'


def test_on_the_controller_the_jobs_are_read_from_their_files_and_no_module_runs(monkeypatch, tmp_path):
    """The whole task on a local connection: the awaited result as async_status gives it, the job files kept."""
    jobs = Jobs({})
    aks = write_job(tmp_path, 'j-aks', dict(AKS_RESULT, invocation=dict(module_args=dict(name='aks'))))
    redis = write_job(tmp_path, 'j-redis', dict(started=True, finished=False, ansible_job_id='j-redis'))
    operations = dict(aks_cluster=dict(started('j-aks'), results_file=aks),
                      cache_redis=dict(started('j-redis'), results_file=redis))
    plugin, _cleaned = action(dict(operations=operations, result_of='aks_cluster'), jobs, monkeypatch)
    plugin._connection.transport = 'local'
    plugin._play_context.become = False
    monkeypatch.setattr(plugin, '_execute_module', None)  # no module process: calling it fails the test
    result = plugin.run(task_vars={})
    assert (result['changed'], result['id'], result['diff'], result['invocation']) == (
        True, AKS_RESULT['id'], AKS_RESULT['diff'], dict(module_args=dict(name='aks')))
    assert 'ansible_job_id' not in result and 'finished' not in result
    assert result['operations']['cache_redis']['status'] == 'running'
    assert os.path.exists(aks) and os.path.exists(redis)


def test_on_the_controller_a_wait_for_all_polls_every_half_second_and_removes_the_job_files(monkeypatch, tmp_path):
    jobs = Jobs({})
    redis = write_job(tmp_path, 'j-redis', dict(started=True, finished=False, ansible_job_id='j-redis'))
    plugin, _cleaned = action(dict(operations=dict(cache_redis=dict(started('j-redis'), results_file=redis))), jobs,
                              monkeypatch)
    plugin._connection.transport = 'local'
    plugin._play_context.become = False

    def sleep(seconds):  # the job finishes during the third wait
        jobs.sleep(seconds)
        if jobs.now >= 1001.5:
            write_job(tmp_path, 'j-redis', dict(changed=True))

    monkeypatch.setattr(await_operations.time, 'sleep', sleep)
    result = plugin.run(task_vars={})
    assert (result['changed'], result['operations']['cache_redis']['status']) == (False, 'succeeded')
    assert jobs.now == 1001.5
    assert not os.path.exists(redis)


def test_a_job_on_another_host_is_polled_with_async_status_every_two_seconds(monkeypatch):
    jobs = Jobs({'j-redis': (1003.0, dict(changed=True))})
    plugin, cleaned = action(dict(operations=dict(cache_redis=started('j-redis'))), jobs, monkeypatch)
    plugin._connection.transport = 'ssh'
    result = plugin.run(task_vars={})
    assert result['operations']['cache_redis']['status'] == 'succeeded'
    assert [at for at, _job in jobs.polls] == [1000.0, 1002.0, 1004.0]
    assert cleaned == ['j-redis']
