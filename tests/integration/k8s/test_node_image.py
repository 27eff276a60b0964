# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/tasks/node_image.yml (weekly's security patches) under the guard, on the sandbox.

Only pools behind the latest image are upgraded, one at a time, after waiting for an operation already running on
one; a second run writes nothing; a pool whose rounds no longer fit in the window waits for the next one (WARN).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.integration.k8s.upgrade_run import (
    create_cluster, lock_released)
from ansible_collections.phonebill.platform.tests.integration.maintenance_run import (
    COLLECTION, INSIDE, LATE, outcomes, run_maintenance)

pytestmark = pytest.mark.usefixtures('kubeconfig')
LATEST = 'AKSUbuntu-2204gen2containerd-202508.04.0'

PLAY = '''
- name: Node images in the window
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Guarded, then reported
      block:
        - name: Guard, lock, node images, release
          ansible.builtin.include_role:
            name: phonebill.platform.maintenance_guard
          vars:
            maintenance_guard_procedure: node-image
            maintenance_guard_procedure_tasks: {tasks}
            maintenance_guard_time_budget_minutes: 10
      always:
        - name: Report
          ansible.builtin.include_role:
            name: phonebill.platform.procedure_report
          vars:
            procedure_report_procedure: node-image
            procedure_report_checks: "{{{{ procedure_checks | default([]) }}}}"
'''


def run_node_image(sandbox, tmp_path, now):
    play = tmp_path / 'node_image_play.yml'
    play.write_text(PLAY.format(tasks='%s/playbooks/maintenance/tasks/node_image.yml' % COLLECTION))
    return run_maintenance(sandbox, tmp_path, str(play), maintenance_guard_now=now,
                           phonebill_kubeconfig=str(tmp_path / 'aks.config'))


def image_upgrades(sandbox):
    return [r['path'].split('/')[-2] for r in sandbox.requests()
            if r['method'] == 'POST' and r['path'].endswith('/upgradeNodeImageVersion') and r['status'] < 300]


def test_pools_behind_are_upgraded_one_at_a_time_and_a_second_run_writes_nothing(azure, sandbox, kubeconfig, tmp_path):
    cluster_id = create_cluster(azure, sandbox, kubeconfig)
    sandbox.hold(cluster_id + '/agentPools/system', 'UpgradingNodeImageVersion', seconds=2)  # auto-upgrade running
    sandbox.clear_requests()
    rc, output, report = run_node_image(sandbox, tmp_path, INSIDE)
    assert rc == 0, output
    found = outcomes(report)
    assert found['node image of pool system'][0] == found['node image of pool app'][0] == 'PASS'
    assert found['node image of pool app'][1] == 'AKSUbuntu-2204gen2containerd-202507.21.0 -> %s' % LATEST
    assert image_upgrades(sandbox) == ['system', 'app']
    actions = [op for op in sandbox.operations() if op['kind'] == 'action'][-2:]
    assert actions[1]['start'] >= actions[0]['completed']
    assert lock_released(sandbox)

    sandbox.clear_requests()
    rc, output, report = run_node_image(sandbox, tmp_path, INSIDE)
    assert rc == 0, output
    assert outcomes(report)['node image of pool app'] == ('PASS', '%s is the latest' % LATEST)
    assert image_upgrades(sandbox) == []


def test_a_pool_that_no_longer_fits_in_the_window_waits_for_the_next(azure, sandbox, kubeconfig, tmp_path):
    create_cluster(azure, sandbox, kubeconfig, app_count=5, app_surge='1')   # app: 5 rounds, 50 min > 40 min left
    sandbox.clear_requests()
    rc, output, report = run_node_image(sandbox, tmp_path, LATE)
    assert rc == 0, output   # a WARN: the next window (or AKS's own channel) takes it
    status, detail = outcomes(report)['node image of pool app']
    assert status == 'WARN' and 'not started, needs 50 minutes' in detail
    assert image_upgrades(sandbox) == ['system'] and lock_released(sandbox)
