# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait for long operations started with ``async``/``poll: 0``, printing what still runs, and hand back their results.

The documentation is plugins/modules/await_operations.py. The waiting itself (``OperationsWait``) is plain Python
over two callables (the status of a job, the clock), so it is unit-tested without Ansible running a play.

On the controller (connection ``local``, no ``become``: site.yml's case) a job's status is read here from its job
file (``async_status_answer``) instead of by an ``async_status`` module process per poll, which cost ~0.5-1 s of
interpreter start at load for a read of a few bytes, on the critical path of every await.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.vars.clean import remove_internal_keys

ARGUMENT_SPEC = dict(
    operations=dict(type='dict', required=True),
    result_of=dict(type='str'),
    poll_interval=dict(type='float'),
    progress_interval=dict(type='float', default=30.0),
    timeout=dict(type='float', default=3900.0),
)

#: what async_status adds around a job's own result: never part of the result handed back
JOB_KEYS = frozenset(('ansible_job_id', 'started', 'finished', 'results_file', 'stdout', 'stderr', 'stdout_lines',
                      'stderr_lines', 'erased', 'attempts'))

#: seconds between two polls when ``poll_interval`` is not given: a job file read here costs ~nothing, an
#: async_status module process on another host about a second of its CPU
POLL_INTERVAL = dict(here=0.5, module=2.0)


def async_status_answer(async_dir, job_id, mode='status'):
    """What ansible.builtin.async_status's module prints for one job, read here: the same file, the same rules.

    The job file ``<async_dir>/<job_id>`` holds async_wrapper's ``{started: true, finished: false}`` while the
    job runs, then the module's result (async_wrapper writes a temporary file and renames it over the job file).
    A file that cannot be read or parsed yet reads as running, as the module reads it (its "Could not parse job
    output" failure needs a parsed file, so it never happens); a parsed value that is no object fails the job, as
    the module fails on it; no file fails with "could not find job". ``mode='cleanup'`` removes the file. The
    answer then goes through the controller's parsing of a module's output (``ActionModule._job_status``).
    """
    invocation = dict(module_args=dict(jid=job_id, mode=mode, _async_dir=async_dir))
    log_path = os.path.join(async_dir, job_id)
    if not os.path.exists(log_path):
        return dict(failed=True, msg='could not find job', ansible_job_id=job_id, started=True, finished=True,
                    invocation=invocation)
    if mode == 'cleanup':
        os.unlink(log_path)
        return dict(ansible_job_id=job_id, erased=log_path, invocation=invocation)
    try:
        with open(log_path, encoding='utf-8', errors='surrogateescape') as job_file:
            data = json.loads(job_file.read())
    except (OSError, ValueError):  # not written yet, or only partly: running
        return dict(results_file=log_path, ansible_job_id=job_id, started=True, finished=False, invocation=invocation)
    if not isinstance(data, dict):
        return dict(failed=True, msg='job file %s holds no result object' % log_path, ansible_job_id=job_id,
                    started=True, finished=True, invocation=invocation)
    if 'started' not in data:  # the module's own result: async_wrapper's record was replaced
        data['finished'] = True
        data['ansible_job_id'] = job_id
    elif 'finished' not in data:
        data['finished'] = False
    return data


class Operation:
    """One started job: its name, its async job id (None when its start was skipped) and when it started."""

    def __init__(self, name, job_id, started, skipped=None, job_dir=None):
        self.name, self.job_id, self.started, self.skipped = name, job_id, started, skipped
        # where async_wrapper wrote the job file: its HOME's ~/.ansible_async, which need not be the
        # remote user's passwd home that the action's ~ expands to (a CI or AWX run with its own HOME)
        self.job_dir = job_dir
        self.result = None  # the job's own result once finished
        self.finished_at = None

    @property
    def running(self):
        return self.job_id is not None and self.result is None

    @property
    def failed(self):
        return bool(self.result and self.result.get('failed'))


def operations_from(registered, now):
    """Operations named as given: ``{name: registered async result}``; a loop's register gives ``name/label`` each.

    A result may carry ``started`` (epoch seconds, added where it was registered); else the wait's start counts.
    """
    found = {}
    for name, value in sorted((registered or {}).items()):
        if not isinstance(value, dict):
            raise ValueError('operations.%s: not the registered result of a task started with async and poll: 0' % name)
        started = value.get('started_at', now)
        if isinstance(value.get('results'), list):
            for item in value['results']:
                found['%s/%s' % (name, _label(item))] = _operation('%s/%s' % (name, _label(item)), item, started)
        else:
            found[name] = _operation(name, value, started)
    return found


def _label(item):
    loop_item = item.get('item')
    if isinstance(loop_item, dict) and loop_item.get('name'):
        return str(loop_item['name'])
    return str(loop_item)


def _operation(name, value, started):
    if value.get('ansible_job_id'):
        results_file = value.get('results_file')
        return Operation(name, value['ansible_job_id'], float(started),
                         job_dir=os.path.dirname(results_file) if results_file else None)
    if value.get('skipped'):
        return Operation(name, None, float(started), skipped=dict(value))
    raise ValueError('operations.%s: has no async job id; start its task with async and poll: 0 and register it' % name)


def _duration(seconds):
    seconds = int(max(0, seconds))
    return '%dm%02ds' % divmod(seconds, 60) if seconds >= 60 else '%ds' % seconds


class OperationsWait:
    """Polls every running operation until the awaited one (or all) finished; on a failure, until none runs.

    ``status(job_id)`` returns async_status's answer, ``clock()`` the time, ``sleep(s)`` waits, ``say(text)``
    prints. Nothing is left running behind a failure: the task that fails has waited for the others first.
    """

    def __init__(self, operations, status, clock, sleep, say, result_of=None, poll_interval=2.0,
                 progress_interval=30.0, timeout=3900.0):
        self.operations, self.result_of = operations, result_of
        self.status, self.clock, self.sleep, self.say = status, clock, sleep, say
        self.poll_interval, self.progress_interval, self.timeout = poll_interval, progress_interval, timeout

    def awaited(self):
        return [self.operations[self.result_of]] if self.result_of else list(self.operations.values())

    def run(self):
        """Wait; return ``(timed_out, failed operations)``.

        Each round polls the awaited operations; the others only for a progress line, or every round once an
        awaited one failed (then the wait goes on until none runs).
        """
        began = self.clock()
        next_progress = began + self.progress_interval
        failing = False
        while True:
            self._poll(self.operations.values() if failing else self.awaited())
            failed = [op for op in self.operations.values() if op.failed]
            running = [op for op in self.operations.values() if op.running]
            failing = bool([op for op in failed if op in self.awaited()])
            if failing:
                if not running:
                    return False, failed
            elif not [op for op in self.awaited() if op.running]:
                return False, []
            now = self.clock()
            if now - began >= self.timeout:
                return True, failed
            if now >= next_progress:
                self._poll(self.operations.values())
                self.say(self.progress(now, [op for op in self.operations.values() if op.failed]))
                next_progress = now + self.progress_interval
            self.sleep(self.poll_interval)

    def _poll(self, operations):
        for op in operations:
            if op.running:
                answer = self.status(op.job_id)
                if answer.get('finished'):
                    op.result = dict((k, v) for k, v in answer.items() if k not in JOB_KEYS)
                    op.finished_at = self.clock()

    def progress(self, now, failed):
        """One line: what still runs and for how long, what is awaited, what failed."""
        running = ', '.join('%s (%s)' % (op.name, _duration(now - op.started))
                            for op in self.operations.values() if op.running)
        awaited = self.result_of or 'all'
        line = 'await_operations [%s]: still running: %s' % (awaited, running or 'none')
        if failed:
            line += '; failed: %s (waiting for the others before failing)' % ', '.join(op.name for op in failed)
        return line

    def summary(self, now):
        """Per operation: running, succeeded, failed or skipped, changed, and seconds since it started."""
        out = {}
        for op in self.operations.values():
            if op.skipped is not None:
                out[op.name] = dict(status='skipped')
                continue
            status = 'running' if op.running else ('failed' if op.failed else 'succeeded')
            out[op.name] = dict(status=status, changed=bool(op.result and op.result.get('changed')),
                                seconds=round((op.finished_at or now) - op.started, 1))
        return out


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = True

    def __init__(self, *args, **kwargs):
        super(ActionModule, self).__init__(*args, **kwargs)
        self._supports_check_mode = True
        self._supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        del validation
        try:
            operations = operations_from(args['operations'], time.time())
        except ValueError as problem:
            return dict(result, failed=True, msg=str(problem))
        result_of = args['result_of']
        if result_of and result_of not in operations:
            return dict(result, failed=True,
                        msg='result_of: no operation named %s was started (started: %s); run the task that starts it '
                            'first (its role\'s tasks/start.yml, as playbooks/site.yml does)'
                            % (result_of, ', '.join(sorted(operations)) or 'none'))
        if result_of and operations[result_of].skipped is not None:
            return dict(result, **operations[result_of].skipped)

        job_dirs = dict((op.job_id, op.job_dir) for op in operations.values() if op.job_id)
        if not all(job_dirs.values()):
            async_dir = self._remote_expand_user(self.get_shell_option('async_dir', default='~/.ansible_async'))
            job_dirs = dict((job_id, job_dir or async_dir) for job_id, job_dir in job_dirs.items())
        here = self._reads_jobs_here()
        poll_interval = args['poll_interval']
        if poll_interval is None:
            poll_interval = POLL_INTERVAL['here' if here else 'module']
        display = Display()
        wait = OperationsWait(
            operations, lambda job_id: self._job_status(job_id, 'status', job_dirs[job_id], here, task_vars),
            time.time, time.sleep, display.display, result_of=result_of, poll_interval=poll_interval,
            progress_interval=args['progress_interval'], timeout=args['timeout'])
        timed_out, failed = wait.run()
        now = time.time()
        done = [op for op in operations.values() if op.result is not None]
        if not result_of or failed or timed_out:
            for op in done:  # consumed: the job files go (an operation awaited again would be unknown)
                self._job_status(op.job_id, 'cleanup', job_dirs[op.job_id], here, task_vars)
        result['operations'] = wait.summary(now)
        if timed_out:
            still = [op.name for op in operations.values() if op.running]
            return dict(result, failed=True,
                        msg='timeout: %s still running after %ds (their Azure operations go on; raise timeout or '
                            'phonebill_wait_timeout, then run again)' % (', '.join(still), args['timeout']))
        if failed:
            return dict(result, failed=True, changed=any(op.result.get('changed') for op in done),
                        msg='; '.join('%s failed: %s' % (op.name, op.result.get('msg', 'no message')) for op in failed))
        if result_of:
            result.update(operations[result_of].result)
            return result
        result['changed'] = False
        return result

    def _reads_jobs_here(self):
        """Whether the job files are this process's to read: the jobs ran on the controller as its user."""
        return self._connection.transport == 'local' and not self._play_context.become

    def _job_status(self, job_id, mode, async_dir, here, task_vars):
        """async_status's answer as ``_execute_module`` returns it: read here, or by the module where the jobs ran."""
        if not here:
            return self._execute_module(module_name='ansible.legacy.async_status', task_vars=task_vars,
                                        module_args=dict(jid=job_id, mode=mode, _async_dir=async_dir))
        answer = self._parse_returned_data(dict(stdout=json.dumps(async_status_answer(async_dir, job_id, mode))),
                                           'legacy')
        remove_internal_keys(answer)
        return answer
