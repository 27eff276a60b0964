#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_drain
short_description: Drain a Kubernetes node or a whole node pool through the Eviction API, or uncordon it
version_added: 0.1.0
description:
  - With O(state=drained), cordons the node (or every node of the pool, label C(agentpool=<pool>)), then evicts
    each of its pods through the Eviction API (C(policy/v1)), so every PodDisruptionBudget is honoured; an eviction
    the API refuses (C(429 TooManyRequests), the budget allows no disruption now) is tried again with a growing
    pause (0.5 s doubled up to 5 s) until O(timeout) passes. With O(wait=true) it then waits until the evicted pods
    are gone (their controllers create the replacements on other nodes).
  - DaemonSet pods and mirror pods stay where they are, as with C(kubectl drain --ignore-daemonsets). A pod with
    C(emptyDir) volumes, or one no controller manages, would be lost for good, so the drain refuses to start, naming
    it, unless O(delete_emptydir_data) (or O(force)) says so. Such a refusal comes before anything is cordoned.
  - When the drain cannot finish (a budget never allows the disruption before O(timeout), an eviction fails), the
    module fails listing each pod not evicted with the reason the API gave, and, with O(uncordon_on_failure=true),
    makes the nodes it cordoned schedulable again. Nodes that were cordoned before the run stay cordoned.
  - With O(state=uncordoned), makes the node or the pool's nodes schedulable again.
  - Check mode changes nothing and reports the nodes that would be cordoned and the pods that would be evicted,
    skipped or would block the drain.
options:
  node:
    description: Name of the node. Exactly one of O(node) and O(pool).
    type: str
  pool:
    description: Name of the AKS node pool; every node labelled C(agentpool=<pool>). Exactly one of O(node) and O(pool).
    type: str
  state:
    description: V(drained) cordons and evicts; V(uncordoned) makes the nodes schedulable again.
    type: str
    choices: [drained, uncordoned]
    default: drained
  delete_emptydir_data:
    description: Evict pods with C(emptyDir) volumes too; their data is lost.
    type: bool
    default: false
  force:
    description: Evict pods no controller manages too; they are not recreated.
    type: bool
    default: false
  grace_period_seconds:
    description: Termination grace period of the evicted pods; each pod's own when not given.
    type: int
  uncordon_on_failure:
    description: Make the nodes this run cordoned schedulable again when the drain fails or times out.
    type: bool
    default: true
extends_documentation_fragment:
  - phonebill.platform.k8s
  - phonebill.platform.k8s.wait
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
notes:
  - The default O(timeout) is 600 seconds; it bounds the evictions and the wait for the evicted pods together.
  - Run it inside the maintenance window and under the maintenance lock (see C(docs/maintenance.md)).
  - O(pool) cordons every node of the pool before the first eviction, so the evicted pods must fit on other pools.
    Pods that only the pool's taint admits (the services on C(app)) stay Pending, their budgets then refuse further
    evictions, and the drain stops at O(timeout) with nothing lost. To replace the nodes of such a pool, drain them
    one O(node) at a time.
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Drain one node, honouring the disruption budgets, for at most 15 minutes
  phonebill.platform.k8s_drain:
    kubeconfig: "{{ phonebill_kubeconfig }}"
    node: aks-app-07461427-vmss000001
    timeout: 900

- name: Drain the whole application pool (the services' budgets pace the evictions)
  phonebill.platform.k8s_drain:
    pool: app
    delete_emptydir_data: true
    timeout: 1800

- name: Put the pool back in service
  phonebill.platform.k8s_drain:
    pool: app
    state: uncordoned
'''

RETURN = r'''
nodes:
  description: The nodes drained or uncordoned.
  returned: always
  type: list
  elements: str
  sample: [aks-app-07461427-vmss000001]
cordoned:
  description: Nodes this run cordoned (or in check mode would cordon); nodes already cordoned are not listed.
  returned: when O(state=drained)
  type: list
  elements: str
evicted:
  description: Pods evicted (C(namespace/name)); in check mode, those that would be.
  returned: when O(state=drained)
  type: list
  elements: str
skipped:
  description: Pods left in place (DaemonSet and mirror pods), each with C(pod), C(node) and C(reason).
  returned: when O(state=drained)
  type: list
  elements: dict
  sample: [{pod: kube-system/azure-ip-masq-agent-x2v5k, node: aks-app-07461427-vmss000001, reason: DaemonSet pod}]
not_evicted:
  description: Pods that could not be evicted or block the drain, each with C(pod), C(node) and C(reason).
  returned: when O(state=drained)
  type: list
  elements: dict
  sample: [{pod: phonebill-prod/auth-service-5d9c-7xk2p, node: aks-app-07461427-vmss000001,
            reason: The disruption budget auth-service needs 2 healthy pods and has 2 currently}]
terminating:
  description: Evicted pods still there when the drain stopped.
  returned: when the drain failed while waiting
  type: list
  elements: str
uncordoned:
  description: Nodes made schedulable again (by O(state=uncordoned), or after a failure with O(uncordon_on_failure=true)).
  returned: when O(state=uncordoned) or the drain failed
  type: list
  elements: str
'''

import time

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import K8sModule, describe_error, to_dict
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_drain import (
    BLOCKED, EVICT, SKIP, namespace_terminating, next_backoff, plan, pod_key, refusal_reason)


class Cluster:
    """The reads and writes of a drain: nodes, their pods, cordon, evict."""

    def __init__(self, module):
        self.module = module
        self.nodes_api = module.resource('v1', 'Node')
        self.pods_api = module.resource('v1', 'Pod')
        self.core = module.lib.client.CoreV1Api(module.api_client)

    def nodes(self, node, pool):
        if node:
            found = to_dict(self.module.get_or_none('read Node %s' % node, self.module.dynamic.get, self.nodes_api, name=node))
            if found is None:
                self.module.fail('node: %s is not a node of the cluster' % node)
            return [found]
        listed = to_dict(self.module.call('list the nodes of pool %s' % pool, self.module.dynamic.get, self.nodes_api,
                                          label_selector='agentpool=%s' % pool))
        found = sorted(listed.get('items') or [], key=lambda n: n['metadata']['name'])
        if not found:
            self.module.fail('pool: no node carries the label agentpool=%s; state a pool of the cluster' % pool)
        return found

    def pods_on(self, node_name):
        listed = to_dict(self.module.call('list the pods of node %s' % node_name, self.module.dynamic.get, self.pods_api,
                                          field_selector='spec.nodeName=%s' % node_name))
        return listed.get('items') or []

    def set_unschedulable(self, node_name, unschedulable):
        self.module.call('%s node %s' % ('cordon' if unschedulable else 'uncordon', node_name), self.module.dynamic.patch,
                         self.nodes_api, name=node_name, body={'spec': {'unschedulable': unschedulable}},
                         content_type='application/merge-patch+json')

    def evict(self, pod, grace_period_seconds):
        """None when evicted (or already gone), else (retry, reason): retry is True for a 429 (budget, throttling)."""
        metadata = pod['metadata']
        body = {'apiVersion': 'policy/v1', 'kind': 'Eviction',
                'metadata': {'name': metadata['name'], 'namespace': metadata['namespace']}}
        if grace_period_seconds is not None:
            body['deleteOptions'] = {'gracePeriodSeconds': grace_period_seconds}
        try:
            self.core.create_namespaced_pod_eviction(metadata['name'], metadata['namespace'], body)
        except self.module.lib.api_exception as exc:
            if exc.status == 404:
                return None
            message, details = describe_error(exc, 'evict pod %s' % pod_key(pod))
            if exc.status == 403 and namespace_terminating(exc.body):
                # refused for every pod of a namespace being deleted: the namespace controller deletes it
                return None if metadata.get('deletionTimestamp') else (True, refusal_reason(details, message))
            return exc.status == 429, refusal_reason(details, message)
        return None

    def gone(self, pod):
        """Whether the pod no longer exists (a pod of the same name with another uid is its replacement)."""
        metadata = pod['metadata']
        current = to_dict(self.module.get_or_none('read Pod %s' % pod_key(pod), self.module.dynamic.get, self.pods_api,
                                                  name=metadata['name'], namespace=metadata['namespace']))
        return current is None or current['metadata'].get('uid') != metadata.get('uid')


class Drain:
    def __init__(self, module, cluster, nodes):
        self.module, self.cluster = module, cluster
        self.params = module.params
        self.node_names = [n['metadata']['name'] for n in nodes]
        self.cordoned = [n['metadata']['name'] for n in nodes if not (n.get('spec') or {}).get('unschedulable')]
        self.deadline = time.monotonic() + module.timeout
        self.started = time.monotonic()

    def run(self):
        pods = [pod for name in self.node_names for pod in self.cluster.pods_on(name)]
        groups, to_evict = plan(pods, self.params['delete_emptydir_data'], self.params['force'])
        result = dict(nodes=self.node_names, cordoned=self.cordoned, evicted=[p['pod'] for p in groups[EVICT]],
                      skipped=groups[SKIP], not_evicted=groups[BLOCKED])
        if groups[BLOCKED]:
            self.module.fail('%s: the drain would lose %d pod(s), nothing was cordoned:\n- %s'
                             % (self.subject(), len(groups[BLOCKED]), self.listed(groups[BLOCKED])), **result)
        if self.module.check_mode:
            self.module.exit(changed=bool(self.cordoned or to_evict), **result)
        for name in self.cordoned:
            self.cluster.set_unschedulable(name, True)
        evicted = self.evict_all(to_evict, result)
        result['evicted'] = [pod_key(p) for p in evicted]
        if self.params['wait']:
            self.wait_gone(evicted, result)
        self.module.exit(changed=bool(self.cordoned or evicted), **result)

    def subject(self):
        return 'node %s' % self.params['node'] if self.params['node'] else 'pool %s' % self.params['pool']

    @staticmethod
    def listed(entries):
        return '\n- '.join('%(pod)s on %(node)s: %(reason)s' % e for e in entries)

    def evict_all(self, pods, result):
        """The pods evicted; retries refused evictions until the deadline, then aborts."""
        pending, evicted, pause = list(pods), [], None
        while pending:
            refused, failed = [], []
            for pod in pending:
                outcome = self.cluster.evict(pod, self.params['grace_period_seconds'])
                if outcome is None:
                    evicted.append(pod)
                else:
                    (refused if outcome[0] else failed).append((pod, outcome[1]))
            progressed = len(refused) + len(failed) < len(pending)
            pending = [pod for pod, reason in refused]
            if failed or (pending and time.monotonic() >= self.deadline):
                result['evicted'] = [pod_key(p) for p in evicted]
                self.abort('could not evict %d pod(s)' % len(failed + refused),
                           [dict(pod=pod_key(p), node=p['spec'].get('nodeName'), reason=why) for p, why in failed + refused],
                           result)
            if pending:
                pause = next_backoff(pause, progressed)
                time.sleep(min(pause, max(self.deadline - time.monotonic(), 0)))
        return evicted

    def wait_gone(self, evicted, result):
        remaining = list(evicted)
        while remaining:
            remaining = [pod for pod in remaining if not self.cluster.gone(pod)]
            if remaining and time.monotonic() >= self.deadline:
                result['terminating'] = [pod_key(p) for p in remaining]
                self.abort('%d evicted pod(s) still terminating: %s' % (len(remaining), ', '.join(result['terminating'])),
                           [], result)
            if remaining:
                time.sleep(1)

    def abort(self, what, not_evicted, result):
        result['not_evicted'] = not_evicted
        result['uncordoned'] = []
        if self.params['uncordon_on_failure']:
            for name in self.cordoned:
                self.cluster.set_unschedulable(name, False)
            result['uncordoned'] = list(self.cordoned)
        after = ' after %d seconds (timeout %s)' % (time.monotonic() - self.started, self.module.timeout)
        message = '%s: drain stopped%s: %s' % (self.subject(), after, what)
        if not_evicted:
            message += ':\n- %s' % self.listed(not_evicted)
        message += ('\n%s made schedulable again' % ', '.join(result['uncordoned']) if result['uncordoned']
                    else '\nthe nodes stay cordoned')
        self.module.fail(message, **result)


def main():
    module = K8sModule(
        supports_check_mode=True,
        argument_spec=dict(
            node=dict(type='str'),
            pool=dict(type='str'),
            state=dict(type='str', choices=['drained', 'uncordoned'], default='drained'),
            delete_emptydir_data=dict(type='bool', default=False),
            force=dict(type='bool', default=False),
            grace_period_seconds=dict(type='int'),
            uncordon_on_failure=dict(type='bool', default=True),
        ),
        mutually_exclusive=[('node', 'pool')],
        required_one_of=[('node', 'pool')],
        long_running=True,
        default_timeout=600,
    )
    params = module.params
    grace = params['grace_period_seconds']
    module.fail_on(['grace_period_seconds: %d is negative; state 0 or more seconds, or leave it out for each pod\'s own'
                    % grace] if grace is not None and grace < 0 else [])
    cluster = Cluster(module)
    nodes = cluster.nodes(params['node'], params['pool'])
    if params['state'] == 'uncordoned':
        cordoned = [n['metadata']['name'] for n in nodes if (n.get('spec') or {}).get('unschedulable')]
        if not module.check_mode:
            for name in cordoned:
                cluster.set_unschedulable(name, False)
        module.exit(changed=bool(cordoned), nodes=[n['metadata']['name'] for n in nodes], uncordoned=cordoned)
    Drain(module, cluster, nodes).run()


if __name__ == '__main__':
    main()
