# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credential never appears in what ansible-playbook prints, even at -vvv with --diff."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')

PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Group with the secret passed as a parameter (not only from the environment)
      phonebill.platform.resource_group:
        name: rg-secret-check
        location: koreacentral
        tags: {service: phonebill}
        secret: "{{ lookup('ansible.builtin.env', 'AZURE_SECRET') }}"
    - name: A failing call prints its error, still without the secret
      phonebill.platform.resource_group:
        name: rg-secret-check
        location: koreasouth
        secret: "{{ lookup('ansible.builtin.env', 'AZURE_SECRET') }}"
      ignore_errors: true
'''


def test_secret_absent_from_vvv_diff_output(sandbox, tmp_path):
    links = tmp_path / 'collections' / 'ansible_collections' / 'phonebill'
    links.mkdir(parents=True)
    os.symlink(os.path.abspath(ROOT), str(links / 'platform'))
    playbook = tmp_path / 'play.yml'
    playbook.write_text(PLAYBOOK)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'), ANSIBLE_NOCOLOR='1',
               **sandbox.ansible_env())
    secret = env['AZURE_SECRET']
    assert len(secret) >= 16
    for extra in ([], ['--check']):
        run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(playbook),
                              '-i', 'localhost,', '-c', 'local', '-e', 'ansible_python_interpreter=' + sys.executable,
                              '-vvv', '--diff'] + extra,
                             env=env, capture_output=True, text=True, timeout=300, check=False)
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-2000:]
        assert 'rg-secret-check' in output and 'cannot change after creation' in output
        assert 'runs in the task worker (no module process)' in output  # the in-process path (plugin_utils)
        assert secret not in output
