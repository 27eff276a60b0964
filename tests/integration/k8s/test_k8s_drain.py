# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""phonebill.platform.k8s_drain against the real API server, scheduler and disruption controller (kwok nodes).

The tests drain nodes of the system pool (the workloads role's pods run on the app pool only):
pods are first placed on the node to drain by cordoning its siblings for a moment.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import remove_namespace, wait_for

TOLERATE_APP = [dict(key='application-workload', operator='Equal', value='true', effect='NoSchedule')]


def deployment(name, replicas, pool='system', tolerations=None, volumes=None):
    affinity = dict(nodeAffinity=dict(requiredDuringSchedulingIgnoredDuringExecution=dict(nodeSelectorTerms=[dict(
        matchExpressions=[dict(key='agentpool', operator='In', values=[pool] if isinstance(pool, str) else pool)])])))
    spec = dict(containers=[dict(name='c', image='example/app:1.0')], affinity=affinity, terminationGracePeriodSeconds=1,
                tolerations=tolerations or [])
    if volumes:
        spec['volumes'] = volumes
    return dict(apiVersion='apps/v1', kind='Deployment', metadata=dict(name=name), spec=dict(
        replicas=replicas, selector=dict(matchLabels=dict(app=name)),
        template=dict(metadata=dict(labels=dict(app=name)), spec=spec)))


def budget(name, min_available):
    return dict(apiVersion='policy/v1', kind='PodDisruptionBudget', metadata=dict(name=name),
                spec=dict(minAvailable=min_available, selector=dict(matchLabels=dict(app=name))))


class Nodes:
    def __init__(self, cluster):
        self.cluster = cluster

    def of_pool(self, pool):
        return sorted(n.metadata.name for n in self.cluster.core.list_node(label_selector='agentpool=%s' % pool).items)

    def unschedulable(self, name):
        return bool(self.cluster.core.read_node(name).spec.unschedulable)

    def set_unschedulable(self, names, value):
        for name in names:
            self.cluster.core.patch_node(name, {'spec': {'unschedulable': value}})


#: what a site.yml run of another test of this control plane leaves on the nodes (the metrics adapter): the drain
#: tests count the pods they evict, so the nodes hold only their own
LEFT_BY_SITE_RUNS = ('custom-metrics',)


@pytest.fixture
def nodes(cluster):
    """The nodes helper, with no other test's workloads left on them; every node schedulable again afterwards,
    whatever the test did."""
    for namespace in LEFT_BY_SITE_RUNS:
        remove_namespace(cluster.core, namespace)
    helper = Nodes(cluster)
    yield helper
    helper.set_unschedulable(helper.of_pool('system') + helper.of_pool('app'), None)


def pods(cluster, namespace, app):
    """{name: (node, uid)} of the running (not terminating) pods of an app."""
    return dict((p.metadata.name, (p.spec.node_name, p.metadata.uid))
                for p in cluster.core.list_namespaced_pod(namespace, label_selector='app=%s' % app).items
                if not p.metadata.deletion_timestamp and p.status.phase == 'Running')


def create(cluster, namespace, manifest):
    kind = manifest['kind']
    if kind == 'Deployment':
        cluster.apps.create_namespaced_deployment(namespace, manifest)
    elif kind == 'DaemonSet':
        cluster.apps.create_namespaced_daemon_set(namespace, manifest)
    elif kind == 'PodDisruptionBudget':
        cluster.policy.create_namespaced_pod_disruption_budget(namespace, manifest)


def place(cluster, nodes, namespace, manifest, on, replicas):
    """Create a deployment with all its pods on the node(s) `on`; the siblings are cordoned meanwhile."""
    pool_nodes = nodes.of_pool('system') + nodes.of_pool('app')
    others = [n for n in pool_nodes if n not in on]
    nodes.set_unschedulable(others, True)
    try:
        create(cluster, namespace, manifest)
        app = manifest['metadata']['name']
        wait_for('%d pods of %s running' % (replicas, app), lambda: len(pods(cluster, namespace, app)) == replicas)
    finally:
        nodes.set_unschedulable(others, None)
    return pods(cluster, namespace, manifest['metadata']['name'])


def budget_status(cluster, namespace, name):
    return cluster.policy.read_namespaced_pod_disruption_budget(name, namespace).status


def test_drain_waits_for_the_budget_and_pods_land_elsewhere(k8s, cluster, nodes, scratch_namespace):
    ns = scratch_namespace
    node = nodes.of_pool('system')[0]
    before = place(cluster, nodes, ns, deployment('web', 1), [node], 1)
    create(cluster, ns, budget('web', 1))
    wait_for('budget observed', lambda: budget_status(cluster, ns, 'web').observed_generation == 1
             and budget_status(cluster, ns, 'web').current_healthy == 1)
    assert budget_status(cluster, ns, 'web').disruptions_allowed == 0
    result = {}
    drain = threading.Thread(target=lambda: result.update(k8s('k8s_drain', node=node, timeout=120)))
    drain.start()
    try:
        wait_for('node cordoned', lambda: nodes.unschedulable(node))
        time.sleep(3)   # several refused evictions (429): the only pod is still there
        assert pods(cluster, ns, 'web') == before
        cluster.apps.patch_namespaced_deployment_scale('web', ns, {'spec': {'replicas': 2}})
    finally:
        drain.join(timeout=150)
    assert not result.get('failed'), result
    assert result['changed'] and result['cordoned'] == [node] and result['evicted'] == ['%s/%s' % (ns, name) for name in before]
    assert result['not_evicted'] == [] and nodes.unschedulable(node)
    after = pods(cluster, ns, 'web')
    assert not set(after) & set(before)   # the evicted pod is gone ...
    assert len(after) == 2 and all(where != node for where, uid in after.values())   # ... and none runs on the node


def test_timeout_aborts_uncordons_and_names_the_budget(k8s, cluster, nodes, scratch_namespace):
    ns = scratch_namespace
    node = nodes.of_pool('system')[1]
    before = place(cluster, nodes, ns, deployment('api', 1), [node], 1)
    create(cluster, ns, budget('api', 1))
    wait_for('budget observed', lambda: budget_status(cluster, ns, 'api').current_healthy == 1)
    started = time.monotonic()
    result = k8s('k8s_drain', node=node, timeout=4)
    assert result['failed'] and time.monotonic() - started < 15
    pod = '%s/%s' % (ns, list(before)[0])
    assert result['not_evicted'] == [dict(pod=pod, node=node, reason=result['not_evicted'][0]['reason'])]
    assert 'disruption budget api needs 1 healthy pods and has 1 currently' in result['not_evicted'][0]['reason']
    assert result['msg'].startswith('node %s: drain stopped after' % node) and 'could not evict 1 pod(s)' in result['msg']
    assert result['uncordoned'] == [node] and not nodes.unschedulable(node)
    assert pods(cluster, ns, 'api') == before


def test_already_cordoned_node_stays_cordoned_after_an_abort(k8s, cluster, nodes, scratch_namespace):
    ns = scratch_namespace
    node = nodes.of_pool('system')[1]
    place(cluster, nodes, ns, deployment('api', 1), [node], 1)
    create(cluster, ns, budget('api', 1))
    wait_for('budget observed', lambda: budget_status(cluster, ns, 'api').current_healthy == 1)
    nodes.set_unschedulable([node], True)
    result = k8s('k8s_drain', node=node, timeout=2)
    assert result['failed'] and result['cordoned'] == [] and result['uncordoned'] == []
    assert nodes.unschedulable(node) and 'the nodes stay cordoned' in result['msg']


def test_daemonset_pods_are_untouched_and_check_mode_changes_nothing(k8s, cluster, nodes, scratch_namespace):
    ns = scratch_namespace
    node = nodes.of_pool('system')[2]
    daemon_set = dict(apiVersion='apps/v1', kind='DaemonSet', metadata=dict(name='agent'), spec=dict(
        selector=dict(matchLabels=dict(app='agent')), template=dict(metadata=dict(labels=dict(app='agent')), spec=dict(
            containers=[dict(name='c', image='example/agent:1.0')], nodeSelector=dict(agentpool='system')))))
    create(cluster, ns, daemon_set)
    wait_for('a DaemonSet pod on every system node', lambda: len(pods(cluster, ns, 'agent')) == 3)
    agents = pods(cluster, ns, 'agent')
    web = place(cluster, nodes, ns, deployment('web', 2), [node], 2)
    predicted = k8s('k8s_drain', node=node, check_mode=True)
    agent_on_node = next(name for name, (where, uid) in agents.items() if where == node)
    assert predicted['changed'] and predicted['cordoned'] == [node]
    assert predicted['evicted'] == sorted('%s/%s' % (ns, name) for name in web)
    assert [s['pod'] for s in predicted['skipped']] == ['%s/%s' % (ns, agent_on_node)]
    assert predicted['skipped'][0]['reason'].startswith('DaemonSet pod (agent)')
    assert not nodes.unschedulable(node) and pods(cluster, ns, 'web') == web
    drained = k8s('k8s_drain', node=node, timeout=120)
    assert not drained.get('failed'), drained
    assert drained['evicted'] == predicted['evicted'] and drained['skipped'] == predicted['skipped']
    assert pods(cluster, ns, 'agent') == agents   # same pods, same uids, same nodes
    assert all(where != node for where, uid in pods(cluster, ns, 'web').values())
    again = k8s('k8s_drain', node=node, timeout=30)
    assert not again['changed'] and again['evicted'] == [] and again['cordoned'] == []
    uncordoned = k8s('k8s_drain', node=node, state='uncordoned')
    assert uncordoned['changed'] and uncordoned['uncordoned'] == [node] and not nodes.unschedulable(node)
    assert not k8s('k8s_drain', node=node, state='uncordoned')['changed']


def test_emptydir_pod_blocks_before_cordon_unless_asked(k8s, cluster, nodes, scratch_namespace):
    ns = scratch_namespace
    node = nodes.of_pool('system')[0]
    cache = place(cluster, nodes, ns, deployment('cache', 1, volumes=[dict(name='scratch', emptyDir={})]), [node], 1)
    refused = k8s('k8s_drain', node=node)
    assert refused['failed'] and 'nothing was cordoned' in refused['msg'] and not nodes.unschedulable(node)
    assert refused['not_evicted'][0]['reason'].startswith('uses emptyDir volume(s) scratch')
    drained = k8s('k8s_drain', node=node, delete_emptydir_data=True, timeout=120)
    assert not drained.get('failed') and drained['evicted'] == ['%s/%s' % (ns, name) for name in cache]


def test_pool_drain_moves_every_pod_off_the_pool(k8s, cluster, nodes, scratch_namespace):
    ns = scratch_namespace
    system = nodes.of_pool('system')
    before = place(cluster, nodes, ns, deployment('spread', 3, pool=['system', 'app'], tolerations=TOLERATE_APP), system, 3)
    create(cluster, ns, budget('spread', 2))   # one disruption at a time
    wait_for('budget observed', lambda: budget_status(cluster, ns, 'spread').current_healthy == 3)
    result = k8s('k8s_drain', pool='system', timeout=180)
    assert not result.get('failed'), result
    assert result['nodes'] == system and result['cordoned'] == system
    # the spread pods the drain found on the pool (the ReplicaSet may have replaced one of those
    # placed there before the drain started, so names are not compared one to one)
    assert before and result['evicted'] and all(pod.startswith('%s/spread-' % ns) for pod in result['evicted'])
    # the drain waits for the evicted pods to be gone; their replacements start running just after
    wait_for('3 spread pods running', lambda: len(pods(cluster, ns, 'spread')) == 3)
    after = pods(cluster, ns, 'spread')
    assert all(where not in system for where, uid in after.values())
    back = k8s('k8s_drain', pool='system', state='uncordoned')
    assert back['uncordoned'] == system and not any(nodes.unschedulable(n) for n in system)


def test_unknown_node_and_pool(k8s):
    assert k8s('k8s_drain', node='aks-nope-0')['msg'] == 'node: aks-nope-0 is not a node of the cluster'
    assert k8s('k8s_drain', pool='nope')['msg'].startswith('pool: no node carries the label agentpool=nope')
