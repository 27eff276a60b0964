# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""maintenance_lock against the sandbox: take, contention, release, stale takeover, release on failure."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import subprocess
import sys

import pytest

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
GROUP = 'rg-phonebill-it'
TAG = 'phonebill-maintenance-lock'
RUN_A = dict(resource_group=GROUP, owner='awx@phonebill-ops', run_id='awx-job-4711', verify_delay_seconds=0)
RUN_B = dict(RUN_A, run_id='awx-job-4712')


@pytest.fixture
def group(azure):
    created = azure('resource_group', name=GROUP, location='koreacentral', tags={'service': 'phonebill'})
    return created['resource']['id']


def tags(azure):
    return azure('resource_group_info', name=GROUP)['resource_groups'][0]['tags']


def utc(text):
    return datetime.datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)


def test_take_hold_and_release(azure, group):
    predicted = azure('maintenance_lock', check_mode=True, **RUN_A)
    assert predicted['changed'] and azure.writes() == 1   # the resource group's creation only
    taken = azure('maintenance_lock', ttl_minutes=90, **RUN_A)
    assert taken['changed'] and taken['previous'] is None
    assert taken['diff'] == dict(before={TAG: None}, after={TAG: taken['lock']['value']})
    expires = utc(taken['lock']['expires'])
    now = datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(minutes=89) < expires - now <= datetime.timedelta(minutes=90)
    assert tags(azure) == {'service': 'phonebill', TAG: 'awx@phonebill-ops|awx-job-4711|%s' % taken['lock']['expires']}
    writes = azure.writes()
    held = azure('maintenance_lock', **RUN_A)
    assert not held['changed'] and held['lock'] == taken['lock'] and azure.writes() == writes
    assert azure('maintenance_lock', state='absent', check_mode=True, **RUN_A)['changed'] and azure.writes() == writes
    released = azure('maintenance_lock', state='absent', **RUN_A)
    assert released['changed'] and released['previous'] == taken['lock']
    assert tags(azure) == {'service': 'phonebill'}
    assert not azure('maintenance_lock', state='absent', **RUN_A)['changed']


def test_another_live_holder_is_named_and_kept(azure, group):
    taken = azure('maintenance_lock', **RUN_A)
    refused = azure('maintenance_lock', **RUN_B)
    assert refused['failed'] and refused['holder'] == taken['lock']
    assert refused['msg'] == ('%s: the maintenance lock is held by awx@phonebill-ops (run awx-job-4711) until %s; wait for '
                              'that run to end, or clear it if it crashed (state=absent, force=true)'
                              % (GROUP, taken['lock']['expires']))
    not_ours = azure('maintenance_lock', state='absent', **RUN_B)
    assert not_ours['failed'] and 'held by awx@phonebill-ops (run awx-job-4711)' in not_ours['msg']
    assert tags(azure)[TAG] == taken['lock']['value']
    forced = azure('maintenance_lock', state='absent', force=True, **RUN_B)
    assert forced['changed'] and TAG not in tags(azure)


def test_stale_lock_is_taken_over_with_a_warning(azure, sandbox, group, monkeypatch):
    stale = 'awx@phonebill-ops|awx-job-4000|2026-01-04T19:30:00Z'
    sandbox.drift(group, {'tags': {'service': 'phonebill', TAG: stale}})
    warnings = []
    monkeypatch.setattr('ansible.module_utils.basic.AnsibleModule.warn', lambda self, msg: warnings.append(msg))
    taken = azure('maintenance_lock', **RUN_B)
    assert taken['changed'] and taken['previous']['value'] == stale
    assert tags(azure)[TAG] == taken['lock']['value']
    assert len(warnings) == 1 and warnings[0].startswith(
        '%s: stale maintenance lock of awx@phonebill-ops (run awx-job-4000) until 2026-01-04T19:30:00Z taken over' % GROUP)


def test_unreadable_lock_tag_is_taken_over(azure, sandbox, group):
    sandbox.drift(group, {'tags': {'service': 'phonebill', TAG: 'locked by bob'}})
    taken = azure('maintenance_lock', **RUN_A)
    assert taken['changed'] and tags(azure)[TAG] == taken['lock']['value']


def run_in_process_of_its_own(sandbox, args_file):
    """The module as Ansible runs it: its own Python process, arguments in a file."""
    path = os.path.join(COLLECTION, 'plugins', 'modules', 'maintenance_lock.py')
    env = dict(os.environ, **sandbox.ansible_env())
    env['PYTHONPATH'] = os.pathsep.join([COLLECTIONS_ROOT, env.get('PYTHONPATH', '')])
    return subprocess.Popen([sys.executable, path, args_file], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_concurrent_runs_exactly_one_wins(azure, sandbox, group, tmp_path):
    """Both runs read "no lock" and both write: ARM throttles each first write for 2 s (a real 429 with
    Retry-After), so both reads happen before either write; the read-back after 5 s tells the one winner."""
    sandbox.fault('throttle', method='PATCH', path_contains='/resourceGroups/%s' % GROUP, count=2, retry_after=2)
    runs = {}
    for run_id in ('awx-job-5001', 'awx-job-5002'):
        args_file = tmp_path / ('%s.json' % run_id)
        args_file.write_text(json.dumps(dict(ANSIBLE_MODULE_ARGS=dict(RUN_A, run_id=run_id, verify_delay_seconds=5))))
        runs[run_id] = run_in_process_of_its_own(sandbox, str(args_file))
    results = {}
    for run_id, process in runs.items():
        out, err = process.communicate(timeout=120)
        results[run_id] = json.loads(out[out.index('{'):]) if '{' in out else dict(failed=True, msg=err)
    winners = [run_id for run_id, result in results.items() if not result.get('failed')]
    assert len(winners) == 1, results
    loser = next(result for run_id, result in results.items() if run_id not in winners)
    assert loser['msg'].startswith('%s: the maintenance lock was taken by another run at the same time: awx@phonebill-ops '
                                   '(run %s) until' % (GROUP, winners[0])), loser
    assert loser['holder'] == results[winners[0]]['lock']
    assert tags(azure)[TAG] == results[winners[0]]['lock']['value']
    patches = [r for r in sandbox.requests() if r.get('method') == 'PATCH']
    assert len(patches) == 4, patches   # each run: one throttled write, one written


PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: A procedure that fails under the lock
      block:
        - name: Take the lock
          phonebill.platform.maintenance_lock:
            resource_group: {group}
            owner: awx@phonebill-ops
            run_id: awx-job-6001
            verify_delay_seconds: 0
          register: maintenance_lock
        - name: Record what the lock was while the procedure ran
          ansible.builtin.copy:
            content: "{{{{ maintenance_lock.lock | to_json }}}}"
            dest: {held}
        - name: The procedure fails
          ansible.builtin.fail:
            msg: procedure failed
      always:
        - name: Release the lock
          phonebill.platform.maintenance_lock:
            resource_group: {group}
            owner: "{{{{ maintenance_lock.lock.owner }}}}"
            run_id: "{{{{ maintenance_lock.lock.run_id }}}}"
            state: absent
          when: maintenance_lock.lock is defined
'''


def test_lock_released_when_the_procedure_fails(azure, sandbox, group, tmp_path):
    held = tmp_path / 'held.json'
    playbook = tmp_path / 'procedure.yml'
    playbook.write_text(PLAYBOOK.format(group=GROUP, held=held))
    env = dict(os.environ, **sandbox.ansible_env())
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1', ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'))
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
                           '-e', 'ansible_python_interpreter=%s' % sys.executable, str(playbook)],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 2 and 'procedure failed' in output, output
    assert json.loads(held.read_text())['run_id'] == 'awx-job-6001'   # it was taken ...
    assert TAG not in tags(azure), output                              # ... and released
