# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Async tasks run in a process forked from the worker, with async_wrapper's job file, time limit and answers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from unittest import mock

import pytest

from azure.core.credentials import AccessToken

from ansible_collections.phonebill.platform.plugins.action.await_operations import async_status_answer
from ansible_collections.phonebill.platform.plugins.module_utils import auth
from ansible_collections.phonebill.platform.plugins.plugin_utils import async_job, in_process
from ansible_collections.phonebill.platform.tests.unit.plugins.plugin_utils.test_in_process import SECRET, action, run

#: stands for the warm ARM token the worker holds in memory (auth.WARM_TOKENS): the job has it, no file may
TOKEN = 'eyJ0eXAiOiJKV1Qi.warm-token-of-the-worker'


def async_action(args, async_dir, async_val=60, **task):
    plugin = action(args, async_val=async_val, **task)
    plugin._connection._shell.get_option.side_effect = lambda name, **kwargs: dict(
        async_dir=str(async_dir)).get(name, '~/.ansible/tmp')
    return plugin


def finished(async_dir, job_id, timeout=30.0):
    """async_status's answer once the job finished (read as await_operations reads it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = async_status_answer(str(async_dir), job_id)
        if answer.get('finished'):
            return answer
        time.sleep(0.05)
    raise AssertionError('job %s did not finish in %ss' % (job_id, timeout))


def job_file(async_dir, job_id):
    with open(os.path.join(str(async_dir), job_id), encoding='utf-8') as handle:
        return json.load(handle)


def test_an_async_task_answers_as_async_wrapper_and_its_job_file_holds_the_module_result(tmp_path, monkeypatch):
    monkeypatch.setitem(auth.WARM_TOKENS, ('identity', 'scope'), AccessToken(TOKEN, int(time.time()) + 3600))
    with mock.patch.object(in_process.display, 'vvv') as vvv:
        started = run(async_action(dict(name='a', secret=SECRET), tmp_path))
    job_id = started['ansible_job_id']
    assert started == dict(started=True, finished=False, failed=False, changed=True, ansible_job_id=job_id,
                           results_file=str(tmp_path / job_id), _ansible_parsed=True)
    assert job_id.startswith('j') and job_id.split('.')[1].isdigit()
    assert 'runs as async job %s in a process forked from the task worker' % job_id in vvv.call_args[0][0]

    answer = finished(tmp_path, job_id)
    assert answer['changed'] is True and answer['echo'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert answer['invocation']['module_args']['secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    synchronous = run(action(dict(name='a', secret=SECRET)))
    assert job_file(tmp_path, job_id) == dict((key, value) for key, value in synchronous.items()
                                              if key != '_ansible_parsed')
    on_disk = os.listdir(str(tmp_path))
    assert on_disk == [job_id]  # no .tmp left, nothing else written
    content = (tmp_path / job_id).read_text()
    assert SECRET not in content and TOKEN not in content


def test_the_first_job_file_is_there_when_the_task_returns_and_the_job_is_killed_after_its_async_seconds(tmp_path):
    started = run(async_action(dict(name='a', behave='hang'), tmp_path, async_val=2))
    job_id = started['ansible_job_id']
    assert job_file(tmp_path, job_id) == dict(started=True, finished=False, ansible_job_id=job_id)
    assert async_status_answer(str(tmp_path), job_id)['finished'] is False

    answer = finished(tmp_path, job_id, timeout=10)  # killed after the async seconds, as async_wrapper does
    assert answer == dict(msg='Timeout exceeded', failed=True, child_pid=answer['child_pid'], finished=True,
                          ansible_job_id=job_id)
    with pytest.raises(ProcessLookupError):  # the whole process group is gone
        os.killpg(answer['child_pid'], 0)


def test_the_job_runs_detached_with_its_own_session_process_group_and_dev_null_streams(tmp_path):
    def where_it_runs():
        return json.dumps(dict(sid=os.getsid(0), pgid=os.getpgid(0), pid=os.getpid(),
                               streams=[os.path.realpath('/proc/self/fd/%d' % fd) for fd in (0, 1, 2)],
                               async_dir=os.environ['ANSIBLE_ASYNC_DIR'], task_env=os.environ['TASK_ENV']))

    answer = async_job.start(where_it_runs, 'test', 30, dict(ANSIBLE_ASYNC_DIR=str(tmp_path), TASK_ENV='set'))
    job = finished(tmp_path, answer['ansible_job_id'])
    assert job['sid'] != os.getsid(0) and job['pgid'] == job['pid']
    assert job['streams'] == ['/dev/null'] * 3
    assert (job['async_dir'], job['task_env']) == (str(tmp_path), 'set')
    assert 'TASK_ENV' not in os.environ  # the worker's environment is untouched


def test_the_play_output_is_not_held_open_by_a_running_job(tmp_path):
    """ansible-playbook's stdout ends when the play ends, not when the jobs it started do (a caller reads to EOF)."""
    script = textwrap.dedent('''
        import sys, time
        from ansible_collections.phonebill.platform.plugins.plugin_utils import async_job
        answer = async_job.start(lambda: (time.sleep(20), '{}')[1], 'test', 60, dict(ANSIBLE_ASYNC_DIR=sys.argv[1]))
        print(answer['ansible_job_id'])
    ''')
    began = time.monotonic()
    worker = subprocess.run([sys.executable, '-c', script, str(tmp_path)], stdout=subprocess.PIPE, timeout=15,
                            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)), check=True, text=True)
    assert time.monotonic() - began < 10
    job_id = worker.stdout.strip()
    assert job_file(tmp_path, job_id) == dict(started=True, finished=False, ansible_job_id=job_id)


def test_output_that_is_no_result_is_a_failure_with_the_output_as_async_wrapper_writes_it(tmp_path):
    answer = async_job.start(lambda: 'no json here', 'phonebill.platform.echo', 30, dict(ANSIBLE_ASYNC_DIR=str(tmp_path)))
    job = finished(tmp_path, answer['ansible_job_id'])
    assert (job['failed'], job['cmd'], job['data']) == (True, 'phonebill.platform.echo', 'no json here')
    assert 'No start of json char found' in job['msg']


def test_a_job_that_dies_before_its_result_is_a_failure_not_a_job_running_forever(tmp_path):
    answer = async_job.start(lambda: os.kill(os.getpid(), signal.SIGKILL), 'phonebill.platform.echo', 30,
                             dict(ANSIBLE_ASYNC_DIR=str(tmp_path)))
    job = finished(tmp_path, answer['ansible_job_id'])
    assert (job['failed'], job['msg']) == (True, 'the job ended without a result (exit status -9)')


def test_junk_around_the_result_becomes_a_warning_as_async_wrapper_makes_it():
    result = async_job.job_result('noise\n{"changed": false, "warnings": ["own"]}\ntrailing', 'j1.2', 'x')
    assert result == dict(changed=False, warnings=['own', 'Module invocation had junk after the JSON data: trailing'])


def test_a_job_directory_that_cannot_be_made_fails_the_task_with_the_reason(tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('')
    result = run(async_action(dict(name='a'), blocker / 'jobs'))
    assert result['failed'] is True
    assert result['msg'].startswith('could not create directory: %s' % (blocker / 'jobs'))


def test_the_async_dir_is_expanded_with_the_task_environment_home(tmp_path):
    plugin = async_action(dict(name='a'), '~/jobs')
    plugin._task.environment = [dict(HOME=str(tmp_path))]
    started = run(plugin)
    assert started['results_file'] == str(tmp_path / 'jobs' / started['ansible_job_id'])
    assert finished(tmp_path / 'jobs', started['ansible_job_id'])['changed'] is True


@pytest.mark.parametrize('task, reason', [
    (dict(transport='ssh'), 'connection ssh does not run on the controller'),
    (dict(become=True), 'become runs the module as another user'),
])
def test_an_async_task_the_worker_cannot_run_takes_async_wrapper_and_says_why(tmp_path, task, reason):
    plugin = async_action(dict(name='a'), tmp_path, **task)
    with mock.patch.object(in_process.display, 'vvv') as vvv:
        result = run(plugin)
    assert result['ran'] == 'module process'
    assert reason in vvv.call_args[0][0]
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize('turned_off, sdk_problem, reason', [
    ('0', None, 'PHONEBILL_IN_PROCESS is off'),
    (None, 'the Azure SDK is not importable on the controller (azure-identity)', 'the Azure SDK is not importable'),
])
def test_an_async_task_takes_async_wrapper_when_the_runner_is_off_or_has_no_sdk(
        tmp_path, monkeypatch, turned_off, sdk_problem, reason):
    if turned_off:
        monkeypatch.setenv('PHONEBILL_IN_PROCESS', turned_off)
    monkeypatch.setattr(in_process, 'SDK_PROBLEM', sdk_problem)
    with mock.patch.object(in_process.display, 'vvv') as vvv:
        result = run(async_action(dict(name='a'), tmp_path))
    assert result['ran'] == 'module process' and reason in vvv.call_args[0][0]
    assert os.listdir(str(tmp_path)) == []
