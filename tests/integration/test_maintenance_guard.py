# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The maintenance_guard role with the production inventory against the sandbox (ansible-playbook).

Window first, then the lock, the procedure in a block, the lock released in `always`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
INVENTORY = os.path.join(COLLECTION, 'inventories', 'prod')
GROUP = 'rg-phonebill-prod'   # phonebill_resource_group of the production inventory
TAG = 'phonebill-maintenance-lock'
INSIDE = '2026-12-05T17:10:00Z'    # Sunday 02:10 KST
OUTSIDE = '2026-12-05T16:59:59Z'   # Sunday 01:59:59 KST

PLAYBOOK = '''
- name: A maintenance procedure
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Guard, lock, procedure, release
      ansible.builtin.include_role:
        name: phonebill.platform.maintenance_guard
      vars:
        maintenance_guard_procedure: test procedure
        maintenance_guard_procedure_tasks: {tasks}
        maintenance_guard_time_budget_minutes: 30
        maintenance_guard_verify_delay_seconds: 0
'''

PROCEDURE = '''
- name: Read the lock while the procedure runs
  phonebill.platform.resource_group_info:
    name: {group}
  register: procedure_group

- name: Record it
  ansible.builtin.copy:
    content: "{{{{ procedure_group.resource_groups[0].tags | to_json }}}}"
    dest: {seen}
    mode: "0600"

- name: Fail when asked to
  ansible.builtin.fail:
    msg: the procedure failed
  when: procedure_fails | default(false) | bool
'''


@pytest.fixture
def group(azure):
    return azure('resource_group', name=GROUP, location='koreacentral', tags={'service': 'phonebill'})['resource']['id']


def play(sandbox, tmp_path, **extra):
    """ansible-playbook the guard around the recording procedure; (returncode, output, tags seen by the procedure)."""
    seen = tmp_path / 'seen.json'
    if seen.exists():
        seen.unlink()
    (tmp_path / 'procedure.yml').write_text(PROCEDURE.format(group=GROUP, seen=seen))
    (tmp_path / 'play.yml').write_text(PLAYBOOK.format(tasks=tmp_path / 'procedure.yml'))
    (tmp_path / 'vars.json').write_text(json.dumps(extra))
    env = dict(os.environ, **sandbox.ansible_env())
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1', ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'))
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY,
                           '-e', 'ansible_python_interpreter=%s' % sys.executable, '-e', '@%s' % (tmp_path / 'vars.json'),
                           str(tmp_path / 'play.yml')], env=env, capture_output=True, text=True, timeout=300, check=False)
    return done.returncode, done.stdout + done.stderr, json.loads(seen.read_text()) if seen.exists() else None


def tags(azure):
    return azure('resource_group_info', name=GROUP)['resource_groups'][0]['tags']


def test_inside_the_window_the_procedure_runs_under_the_lock(azure, sandbox, group, tmp_path):
    code, output, seen = play(sandbox, tmp_path, maintenance_guard_now=INSIDE, awx_job_id=4711, awx_user_name='awx')
    assert code == 0, output
    assert seen[TAG].startswith('awx@') and '|awx-job-4711|' in seen[TAG]   # held while the procedure ran
    assert tags(azure) == {'service': 'phonebill'}                          # released after


def test_a_failed_procedure_releases_the_lock(azure, sandbox, group, tmp_path):
    code, output, seen = play(sandbox, tmp_path, maintenance_guard_now=INSIDE, procedure_fails=True)
    assert code == 2 and 'the procedure failed' in output, output
    assert TAG in seen and tags(azure) == {'service': 'phonebill'}


def test_outside_the_window_nothing_is_touched(azure, sandbox, group, tmp_path):
    writes = azure.writes()
    code, output, seen = play(sandbox, tmp_path, maintenance_guard_now=OUTSIDE)
    assert code == 2 and seen is None
    assert 'the next window opens at 2026-12-05T17:00:00Z (Sunday 2026-12-06 02:00:00 +09:00)' in output, output
    assert azure.writes() == writes


def test_emergency_change_outside_the_window(azure, sandbox, group, tmp_path):
    code, output, seen = play(sandbox, tmp_path, maintenance_guard_now=OUTSIDE, phonebill_change_id='CHG-2026-0042',
                              phonebill_change_approver='oncall.lead@phonebill.example')
    assert code == 0 and TAG in seen, output
    assert 'emergency change CHG-2026-0042 approved by oncall.lead@phonebill.example' in output


@pytest.mark.parametrize('old', [dict(maintenance_guard_emergency_change_id='CHG-2026-0042'),
                                 dict(maintenance_guard_approver='oncall.lead@phonebill.example')])
def test_the_old_approval_names_are_refused_naming_the_new_ones(azure, sandbox, group, tmp_path, old):
    """An approval under the released names is never silently ignored: inside the window too, nothing runs."""
    writes = azure.writes()
    code, output, seen = play(sandbox, tmp_path, maintenance_guard_now=INSIDE, **dict(
        old, phonebill_change_id='CHG-2026-0042', phonebill_change_approver='oncall.lead@phonebill.example'))
    assert code == 2 and seen is None, output
    assert ('maintenance_guard_emergency_change_id and maintenance_guard_approver are no longer read: give the approved '
            'change as phonebill_change_id and phonebill_change_approver') in ' '.join(output.split())
    assert azure.writes() == writes


def test_another_live_run_holds_the_lock(azure, sandbox, group, tmp_path):
    other = azure('maintenance_lock', resource_group=GROUP, owner='ops@jumphost', run_id='manual-1', verify_delay_seconds=0)
    code, output, seen = play(sandbox, tmp_path, maintenance_guard_now=INSIDE)
    assert code == 2 and seen is None, output
    assert 'the maintenance lock is held by ops@jumphost (run manual-1)' in output
    assert tags(azure)[TAG] == other['lock']['value']   # the other run's lock is not released by this one
