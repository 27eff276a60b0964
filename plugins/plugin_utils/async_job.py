# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An Ansible async job run by a process forked from the task worker, with ``async_wrapper``'s job file.

Why: ``async_wrapper`` is a module process that starts the module in another one, so an ``async`` task paid the
interpreter start and the SDK imports (~1-2 s of CPU, several seconds at load) that the in-process runner saves
for every other task. ``start`` keeps ``async_wrapper``'s contract, so ``ansible.builtin.async_status``, the task
executor's ``poll`` and ``phonebill.platform.await_operations`` read these jobs unchanged:

- the job's processes outlive the worker: a first child leaves the worker's session (``setsid``) and forks the
  supervisor (the double fork of ``async_wrapper``'s ``daemonize_self``); their stdin, stdout and stderr are
  ``/dev/null``, so no reader of the play's output waits for the job;
- the job id is ``j<random>.<pid of the first child>``, the job file ``<ANSIBLE_ASYNC_DIR or ~/.ansible_async>/<id>``
  (the task's environment applied, as the module process has it); it holds ``{"started": true, "finished": false,
  "ansible_job_id": id}`` before the task returns, then the module's result (its JSON with the junk-line warnings,
  else a failure with its output), each written to ``<file>.tmp`` and renamed over it; umask 022;
- the supervisor kills the job's process group after the ``async`` seconds and writes ``{"msg": "Timeout exceeded",
  "failed": true, "child_pid": pid}``; a job that ends without writing its result (killed, out of memory) gets a
  failure as ``async_wrapper`` writes one for a module process that printed nothing;
- the task's answer is ``async_wrapper``'s: ``{"failed": false, "started": true, "finished": false,
  "ansible_job_id": id, "results_file": path}``, or a failure saying why the job could not start.

The module's credentials and tokens stay in the memory of the job's processes: the job file holds the module's
output only, masked by the module itself (``no_log``), exactly as ``async_wrapper`` writes it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import os
import secrets
import signal
import time
import traceback

from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.json_utils import _filter_non_json_lines

#: async_wrapper's job directory when the shell's async_dir is not in the environment
DEFAULT_ASYNC_DIR = '~/.ansible_async'

#: the longest the supervisor sleeps between two looks at the job (async_wrapper's step is 5 s)
SUPERVISOR_STEP = 1.0

#: signals whose worker handlers (Ansible's interrupt and task timeout handling) make no sense in a detached job
RESET_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM)


def write_job_file(job_path, info):
    """Write the job file as async_wrapper's ``jwrite``: to ``<file>.tmp``, renamed over it (a reader never sees half)."""
    temporary = job_path + '.tmp'
    with open(temporary, 'w', encoding='utf-8', errors='surrogateescape') as job_file:
        job_file.write(json.dumps(info))
    os.rename(temporary, job_path)


def job_result(output, job_id, name):
    """The job file's final content from a module's stdout, as ``async_wrapper``'s ``_run_module`` makes it."""
    try:
        filtered, junk_warnings = _filter_non_json_lines(output, objects_only=True)
        result = json.loads(filtered)
        if junk_warnings:
            warnings = result.get('warnings', [])
            result['warnings'] = (warnings if isinstance(warnings, list) else [warnings]) + junk_warnings
        return result
    except Exception:  # pylint: disable=broad-exception-caught  # async_wrapper's answer for any unreadable output
        return {'failed': True, 'cmd': name, 'data': output, 'stderr': '', 'msg': traceback.format_exc(),
                'ansible_job_id': job_id}


def start(run, name, time_limit, environment):
    """Start ``run()`` (-> the module's stdout text) as a detached async job; the answer ``async_wrapper`` prints.

    ``environment``: the task's, with ``ANSIBLE_ASYNC_DIR`` as the action sets it for ``async_wrapper``.
    ``name`` says what runs, in a failure whose output cannot be read.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the first child: it answers through the pipe and leaves; its own child is the supervisor
        os.close(read_end)
        answer = {'failed': True, 'msg': 'FATAL ERROR: the job did not start'}
        try:
            answer = _start_job(run, name, time_limit, environment, write_end)
        except Exception as exc:  # pylint: disable=broad-exception-caught  # async_wrapper's answer for any failure
            answer = {'failed': True, 'msg': 'FATAL ERROR: %s' % exc}
        finally:
            with contextlib.suppress(Exception):
                with os.fdopen(write_end, 'wb') as pipe:
                    pipe.write(json.dumps(answer).encode('utf-8', 'surrogateescape'))
            os._exit(0)  # pylint: disable=protected-access  # no atexit handlers, no buffered output of the worker
    os.close(write_end)
    try:
        with os.fdopen(read_end, 'rb') as pipe:
            text = pipe.read().decode('utf-8', 'surrogateescape')
    finally:
        os.waitpid(pid, 0)
    try:
        return json.loads(text)
    except ValueError:  # the first child died before it answered
        return {'failed': True, 'msg': 'FATAL ERROR: the async job exited prematurely: %r' % text}


def _start_job(run, name, time_limit, environment, answer_end):
    """In the first child: the job directory, the first job file, the detached supervisor; the task's answer."""
    os.environ.update(environment)
    job_id = 'j%d.%d' % (secrets.randbelow(999999999999), os.getpid())
    job_dir = os.path.expanduser(os.environ.get('ANSIBLE_ASYNC_DIR', DEFAULT_ASYNC_DIR))
    job_path = os.path.join(job_dir, job_id)
    try:
        os.makedirs(job_dir, exist_ok=True)
    except Exception as exc:  # pylint: disable=broad-exception-caught  # async_wrapper's answer
        return {'failed': True, 'msg': 'could not create directory: %s - %s' % (job_dir, to_text(exc)),
                'exception': traceback.format_exc()}
    os.setsid()  # out of the worker's session: the end of the play, or its Ctrl-C, does not reach the job
    os.umask(0o022)
    write_job_file(job_path, {'started': True, 'finished': False, 'ansible_job_id': job_id})
    if os.fork() == 0:  # the supervisor: no session leader, so it never gets a controlling terminal
        os.close(answer_end)  # else the worker would wait for the job's end to read its answer
        try:
            _supervise(run, name, job_id, job_path, time_limit)
        finally:
            os._exit(0)  # pylint: disable=protected-access
    return {'failed': False, 'started': True, 'finished': False, 'ansible_job_id': job_id, 'results_file': job_path}


def _supervise(run, name, job_id, job_path, time_limit):
    """Run the job in a process group of its own, kill the group after ``time_limit`` seconds."""
    for number in RESET_SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    with open(os.devnull, 'r+b') as dev_null:
        for stream in (0, 1, 2):
            os.dup2(dev_null.fileno(), stream)
    job_pid = os.fork()
    if job_pid == 0:
        status = 1
        try:
            os.setpgid(0, 0)
            write_job_file(job_path, job_result(run(), job_id, name))
            status = 0  # the result is in the job file
        finally:
            os._exit(status)  # pylint: disable=protected-access
    with contextlib.suppress(OSError):  # set by both: whichever runs first (the job may even be gone already)
        os.setpgid(job_pid, job_pid)
    deadline = time.monotonic() + int(time_limit)
    while True:
        ended, status = os.waitpid(job_pid, os.WNOHANG)
        if ended:
            if status:  # killed, or it could not write: a reader must not wait for a result that never comes
                write_job_file(job_path, {
                    'failed': True, 'cmd': name, 'data': '', 'stderr': '', 'ansible_job_id': job_id,
                    'msg': 'the job ended without a result (exit status %d)' % os.waitstatus_to_exitcode(status)})
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            with contextlib.suppress(OSError):
                os.killpg(job_pid, signal.SIGKILL)
            os.waitpid(job_pid, 0)
            write_job_file(job_path, {'msg': 'Timeout exceeded', 'failed': True, 'child_pid': job_pid})
            return
        time.sleep(min(SUPERVISOR_STEP, remaining))
