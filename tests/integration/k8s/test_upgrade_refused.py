# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/upgrade.yml refusing or stopping: nothing upgraded past the problem, a clear report, lock released.

A disruption budget at zero allowed disruptions (real Kubernetes) and a pool already upgrading (the sandbox's control
API) fail the pre-checks and nothing is written; an upgrade that fails in Azure stops before the next pool.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import wait_for
from ansible_collections.phonebill.platform.tests.integration.k8s.upgrade_run import (
    CLUSTER, create_cluster, lock_released, writes)
from ansible_collections.phonebill.platform.tests.integration.maintenance_run import INSIDE, outcomes, run_maintenance

pytestmark = pytest.mark.usefixtures('kubeconfig')


def run_upgrade(sandbox, tmp_path, namespace):
    return run_maintenance(sandbox, tmp_path, 'upgrade.yml', phonebill_upgrade_target_version='1.34.1',
                           maintenance_guard_now=INSIDE, phonebill_workload_namespace=namespace,
                           phonebill_upgrade_check_hpa_metrics=False, phonebill_kubeconfig=str(tmp_path / 'aks.config'))


def test_a_budget_allowing_no_disruption_fails_the_pre_checks_and_nothing_is_upgraded(
        azure, sandbox, kubeconfig, k8s, cluster, scratch_namespace, tmp_path):
    create_cluster(azure, sandbox, kubeconfig)
    applied = k8s('k8s_apply', namespace=scratch_namespace, definitions=[
        dict(apiVersion='apps/v1', kind='Deployment', metadata=dict(name='single'), spec=dict(
            replicas=1, selector=dict(matchLabels=dict(app='single')), template=dict(
                metadata=dict(labels=dict(app='single')),
                spec=dict(containers=[dict(name='c', image='example/app:1.0')], terminationGracePeriodSeconds=1)))),
        dict(apiVersion='policy/v1', kind='PodDisruptionBudget', metadata=dict(name='single'),
             spec=dict(minAvailable=1, selector=dict(matchLabels=dict(app='single'))))])
    assert applied['changed'], applied
    wait_for('the budget computed', lambda: (cluster.policy.read_namespaced_pod_disruption_budget(
        'single', scratch_namespace).status.current_healthy == 1))
    sandbox.clear_requests()
    rc, output, report = run_upgrade(sandbox, tmp_path, scratch_namespace)
    assert rc != 0 and report is not None, output
    status, detail = outcomes(report)['disruption budgets allow a disruption']
    assert (status, detail) == ('FAIL', 'allow no disruption now: %s/single' % scratch_namespace)
    assert writes(sandbox) == [] and 'control plane upgraded' not in outcomes(report)
    assert lock_released(sandbox)


def test_a_pool_already_upgrading_stops_before_anything_is_written(azure, sandbox, kubeconfig, scratch_namespace, tmp_path):
    cluster_id = create_cluster(azure, sandbox, kubeconfig)
    sandbox.hold(cluster_id + '/agentPools/app', 'Upgrading', seconds=120)
    sandbox.clear_requests()
    rc, output, report = run_upgrade(sandbox, tmp_path, scratch_namespace)
    assert rc != 0 and report is not None, output
    assert outcomes(report)['no operation in progress'] == ('FAIL', 'node pool app is Upgrading')
    assert writes(sandbox) == [] and lock_released(sandbox)


def test_an_upgrade_failing_in_azure_stops_before_the_next_pool(azure, sandbox, kubeconfig, scratch_namespace, tmp_path):
    create_cluster(azure, sandbox, kubeconfig)
    sandbox.fault('lro_failure', method='PUT', path_contains='agentPools/system', code='UpgradeFailed',
                  message='Drain of node aks-system-0 did not complete: pods with PodDisruptionBudget.')
    sandbox.clear_requests()
    rc, output, report = run_upgrade(sandbox, tmp_path, scratch_namespace)
    assert rc != 0 and report is not None, output
    found = outcomes(report)
    assert found['control plane upgraded'][0] == 'PASS'
    assert found['node pool system upgraded'][0] == 'FAIL' and 'UpgradeFailed' in found['node pool system upgraded'][1]
    assert 'node pool app upgraded' not in found
    assert found['versions at the target'] == ('FAIL', 'not upgraded: node pool system, node pool app')
    assert writes(sandbox) == [('PUT', 'managedClusters/' + CLUSTER), ('PUT', 'agentPools/system')]
    assert lock_released(sandbox)
