# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/upgrade.yml on the sandbox (scaled AKS upgrade durations) and the real control plane.

The control plane first, then one pool at a time (each write after the previous operation ended, seen in the
sandbox's request and operation logs); the window running out between pools stops the run with a report of
what was and was not upgraded, and the lock is released.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.integration.k8s.upgrade_run import (
    CLUSTER, create_cluster, lock_released, writes)
from ansible_collections.phonebill.platform.tests.integration.maintenance_run import INSIDE, LATE, outcomes, run_maintenance

pytestmark = pytest.mark.usefixtures('kubeconfig')


def run_upgrade(sandbox, tmp_path, namespace, now):
    return run_maintenance(sandbox, tmp_path, 'upgrade.yml', phonebill_upgrade_target_version='1.34.1',
                           maintenance_guard_now=now, phonebill_workload_namespace=namespace,
                           phonebill_upgrade_check_hpa_metrics=False, phonebill_kubeconfig=str(tmp_path / 'aks.config'))


def test_control_plane_then_one_pool_at_a_time(azure, sandbox, kubeconfig, scratch_namespace, tmp_path):
    create_cluster(azure, sandbox, kubeconfig)
    sandbox.clear_requests()
    rc, output, report = run_upgrade(sandbox, tmp_path, scratch_namespace, INSIDE)
    assert rc == 0, output
    assert report['status'] == 'PASS', report
    found = outcomes(report)
    assert report['checks'][0]['name'] == 'maintenance window' and found['maintenance window'][0] == 'PASS'
    assert [found[n][0] for n in ('target version offered', 'version skew', 'disruption budgets allow a disruption',
                                  'no operation in progress', 'control plane upgraded', 'node pool system upgraded',
                                  'node pool app upgraded', 'versions at the target', 'nodes Ready')] == ['PASS'] * 9
    assert writes(sandbox) == [
        ('PUT', 'managedClusters/' + CLUSTER), ('PUT', 'agentPools/system'), ('PUT', 'agentPools/app')]
    upgrades = [op for op in sandbox.operations() if op['kind'] == 'put'][-3:]
    assert [op['resource_id'].rsplit('/', 1)[-1] for op in upgrades] == [CLUSTER, 'system', 'app']
    assert all(later['start'] >= earlier['completed'] for earlier, later in zip(upgrades, upgrades[1:]))
    assert upgrades[1]['end'] - upgrades[1]['start'] == pytest.approx(3 * 300 * 0.001, abs=0.01)  # 3 rounds of 1 node
    assert lock_released(sandbox)


def test_the_window_running_out_between_pools_stops_and_reports(azure, sandbox, kubeconfig, scratch_namespace, tmp_path):
    create_cluster(azure, sandbox, kubeconfig, app_count=5, app_surge='1')   # app: 5 rounds, 50 min > 40 min left
    sandbox.clear_requests()
    rc, output, report = run_upgrade(sandbox, tmp_path, scratch_namespace, LATE)
    assert rc != 0 and report is not None, output
    found = outcomes(report)
    assert found['control plane upgraded'][0] == found['node pool system upgraded'][0] == 'PASS'
    assert found['node pool app upgraded'][0] == 'FAIL'
    assert found['node pool app upgraded'][1].startswith('not started, needs 50 minutes: upgrade, node pool app:')
    assert found['versions at the target'] == ('FAIL', 'not upgraded: node pool app')
    assert ('PUT', 'agentPools/app') not in writes(sandbox)
    assert lock_released(sandbox)
