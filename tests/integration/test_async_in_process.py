# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An Azure module's async task runs without a module process, and every reader of async jobs reads it (issue 10).

A real ansible-playbook run against the sandbox: ``poll: 0`` read by ``ansible.builtin.async_status``, ``poll: 1``
(the task executor polls it), ``poll: 0`` awaited by ``phonebill.platform.await_operations``. ``-vvv`` shows each
start as an async job forked from the worker and no module process for the Azure module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))

PLAY = '''
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Start a resource group, read by async_status
      phonebill.platform.resource_group: {name: rg-async-status, location: koreacentral}
      async: 120
      poll: 0
      register: started
    - name: Wait for it with async_status
      ansible.builtin.async_status: {jid: "{{ started.ansible_job_id }}"}
      register: status
      until: status.finished
      retries: 120
      delay: 0.5
    - name: Create another, polled by Ansible
      phonebill.platform.resource_group: {name: rg-async-poll, location: koreacentral}
      async: 120
      poll: 1
      register: polled
    - name: Start the first again (nothing to change), awaited
      phonebill.platform.resource_group: {name: rg-async-status, location: koreacentral}
      async: 120
      poll: 0
      register: again
    - name: Await it
      phonebill.platform.await_operations:
        operations: {again: "{{ again }}"}
        result_of: again
      register: awaited
    - name: Hand the registers to the test
      ansible.builtin.copy:
        content: "{{ dict(started=started, status=status, polled=polled, again=again, awaited=awaited) | to_json }}"
        dest: "{{ registers_file }}"
        mode: '0600'
'''


def test_async_starts_run_without_a_module_process_and_every_reader_gets_the_result(sandbox, tmp_path):
    links = tmp_path / 'collections' / 'ansible_collections' / 'phonebill'
    links.mkdir(parents=True)
    os.symlink(ROOT, str(links / 'platform'))
    (tmp_path / 'play.yml').write_text(PLAY)
    jobs = tmp_path / 'jobs'
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_ASYNC_DIR=str(jobs), **sandbox.ansible_env())
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(tmp_path / 'play.yml'),
                          '-i', 'localhost,', '-vvv', '-e', 'registers_file=%s' % (tmp_path / 'registers.json'),
                          '-e', 'ansible_python_interpreter=%s' % sys.executable],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    registers = json.loads((tmp_path / 'registers.json').read_text())

    started = registers['started']
    assert (started['started'], started['finished'], started['changed']) == (True, False, True)
    assert started['results_file'] == str(jobs / started['ansible_job_id'])
    status = registers['status']
    assert (status['finished'], status['changed']) == (True, True)
    assert status['resource']['id'].endswith('/resourceGroups/rg-async-status')
    polled = registers['polled']
    assert (polled['finished'], polled['changed']) == (True, True)
    assert polled['resource']['id'].endswith('/resourceGroups/rg-async-poll')
    assert registers['awaited']['changed'] is False
    assert sorted(resource_id.rsplit('/', 1)[1] for resource_id in sandbox.snapshot()['resources']) == [
        'rg-async-poll', 'rg-async-status']

    starts = re.findall(r'phonebill\.platform\.resource_group: runs as async job (j\d+\.\d+) in a process forked', run.stdout)
    assert len(starts) == 3, run.stdout[-6000:]
    assert 'phonebill.platform.resource_group: runs in a module process' not in run.stdout
    modules = re.findall(r'^Using module file \S+/([^/\s]+)$', run.stdout, re.MULTILINE)
    # module processes: Ansible's own polls and the copy, never the Azure module or async_wrapper
    assert 'async_status.py' in modules and set(modules) <= {'async_status.py', 'copy.py', 'stat.py'}, modules
    # the job files left are those nobody cleans up (async_status in status mode, an await with result_of):
    # the poll's was removed by Ansible; no temporary file, nothing else
    assert sorted(os.listdir(str(jobs))) == sorted([started['ansible_job_id'], registers['again']['ansible_job_id']])
