# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/drain.yml on the real control plane: a drain a disruption budget blocks ends in a report
naming the pod not evicted and the budget's reason, the node is schedulable again and the lock released."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import wait_for
from ansible_collections.phonebill.platform.tests.integration.k8s.upgrade_run import (
    create_cluster, lock_released)
from ansible_collections.phonebill.platform.tests.integration.maintenance_run import INSIDE, outcomes, run_maintenance

pytestmark = pytest.mark.usefixtures('kubeconfig')

ON_SYSTEM = dict(nodeAffinity=dict(requiredDuringSchedulingIgnoredDuringExecution=dict(nodeSelectorTerms=[dict(
    matchExpressions=[dict(key='agentpool', operator='In', values=['system'])])])))


def test_a_drain_blocked_by_a_budget_reports_the_pod_and_uncordons(azure, sandbox, kubeconfig, k8s, cluster,
                                                                   scratch_namespace, tmp_path):
    create_cluster(azure, sandbox, kubeconfig)
    assert k8s('k8s_apply', namespace=scratch_namespace, definitions=[
        dict(apiVersion='apps/v1', kind='Deployment', metadata=dict(name='blocked'), spec=dict(
            replicas=1, selector=dict(matchLabels=dict(app='blocked')), template=dict(
                metadata=dict(labels=dict(app='blocked')),
                spec=dict(containers=[dict(name='c', image='example/app:1.0')], affinity=ON_SYSTEM,
                          terminationGracePeriodSeconds=1)))),
        dict(apiVersion='policy/v1', kind='PodDisruptionBudget', metadata=dict(name='blocked'),
             spec=dict(minAvailable=1, selector=dict(matchLabels=dict(app='blocked'))))])['changed']
    pod = wait_for('the pod scheduled and the budget computed', lambda: [
        p for p in cluster.core.list_namespaced_pod(scratch_namespace, label_selector='app=blocked').items
        if p.spec.node_name and cluster.policy.read_namespaced_pod_disruption_budget(
            'blocked', scratch_namespace).status.current_healthy == 1])[0]
    node = pod.spec.node_name
    rc, output, report = run_maintenance(sandbox, tmp_path, 'drain.yml', maintenance_guard_now=INSIDE,
                                         phonebill_drain_node=node, phonebill_kubeconfig=str(tmp_path / 'aks.config'),
                                         phonebill_drain=dict(time_budget_minutes=30, timeout_seconds=4))
    assert rc != 0 and report is not None, output
    found = outcomes(report)
    assert report['checks'][0]['name'] == 'maintenance window' and found['maintenance window'][0] == 'PASS'
    assert found['node %s drained' % node][0] == 'FAIL'
    status, detail = found['node %s pods not evicted' % node]
    assert status == 'FAIL' and detail.startswith('%s/%s: ' % (scratch_namespace, pod.metadata.name))
    assert 'blocked' in detail and 'disruption budget' in detail.lower(), detail
    assert found['node %s pods skipped' % node][0] == 'PASS'
    assert not cluster.core.read_node(node).spec.unschedulable   # the drain cordoned it, the abort uncordoned it
    assert lock_released(sandbox)
    assert json.dumps(report).count(pod.metadata.name) >= 1
