#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_capacity_info
short_description: Read a cluster's capacity - nodes per pool, pods no node fits, autoscalers - and review it
version_added: 0.1.0
description:
  - Reads the nodes of each AKS node pool (label C(agentpool)), how many are ready and cordoned; the pending pods the
    scheduler found no node for; and every horizontal pod autoscaler with its replicas, limits, conditions and metrics.
  - With O(review) and O(agent_pools), also judges them for the weekly capacity review (SPEC §10) and returns
    RV(checks) for C(phonebill.platform.procedure_report) - each pool's nodes against its autoscaler's minimum and
    maximum, pods no node fits, autoscalers at their maximum or without metrics.
  - Reads only; never changes anything.
options:
  namespaces:
    description: Namespaces whose pods and autoscalers are read; every namespace when not given.
    type: list
    elements: str
  agent_pools:
    description:
      - The cluster's node pools as Azure returns them (RV(phonebill.platform.aks_agent_pool_info#module:agent_pools)),
        for their autoscaler limits. Needed with O(review).
    type: list
    elements: dict
  review:
    description:
      - Thresholds of the capacity review (the inventory's C(phonebill_weekly.capacity)); RV(checks) is empty without them.
    type: dict
    suboptions:
      pool_warn_percent_of_max:
        description: WARN when a pool has more nodes than this percentage of its autoscaler maximum.
        type: float
        required: true
      pool_fail_at_max:
        description: FAIL when a pool is at its autoscaler maximum (else only above it).
        type: bool
        required: true
      pending_pods_max:
        description: FAIL when more pods than this fit no node.
        type: int
        required: true
extends_documentation_fragment:
  - phonebill.platform.k8s
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the node pools' autoscaler limits
  phonebill.platform.aks_agent_pool_info:
    cluster_name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
  register: pools

- name: Review the capacity
  phonebill.platform.k8s_capacity_info:
    kubeconfig: "{{ phonebill_kubeconfig }}"
    agent_pools: "{{ pools.agent_pools }}"
    review:
      pool_warn_percent_of_max: 80
      pool_fail_at_max: true
      pending_pods_max: 0
  register: capacity

- name: Add the checks to the procedure's report
  ansible.builtin.set_fact:
    procedure_checks: "{{ procedure_checks | default([]) + capacity.checks }}"
'''

RETURN = r'''
nodes:
  description: Per node pool (label C(agentpool); C(none) for nodes without it), its nodes.
  returned: always
  type: dict
  sample: {app: {count: 3, ready: 3, cordoned: 0, names: [aks-app-0, aks-app-1, aks-app-2]}}
pending_pods:
  description: Pods the scheduler found no node for, with its message.
  returned: always
  type: list
  elements: dict
  sample: [{namespace: phonebill-prod, name: auth-service-7c9-x1, message: "0/6 nodes are available: 3 Insufficient cpu."}]
autoscalers:
  description: Every horizontal pod autoscaler read.
  returned: always
  type: list
  elements: dict
  sample:
    - {namespace: phonebill-prod, name: auth-service, min_replicas: 3, max_replicas: 10, current_replicas: 10,
       desired_replicas: 10, at_maximum: true, metrics_unknown: null}
checks:
  description:
    - The review's checks in the shape of C(phonebill.platform.procedure_report)'s
      O(phonebill.platform.procedure_report#module:checks); empty without O(review).
  returned: always
  type: list
  elements: dict
'''

from ansible_collections.phonebill.platform.plugins.module_utils import capacity_review
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import K8sModule, to_dict

POOL_LABEL = 'agentpool'


def _list(module, api_version, kind, namespaces, **selectors):
    resource = module.resource(api_version, kind)
    items = []
    for namespace in namespaces or [None]:
        listed = to_dict(module.call('list %s%s' % (kind, ' in %s' % namespace if namespace else ''), module.dynamic.get,
                                     resource, namespace=namespace, **selectors))
        items.extend(listed.get('items') or [])
    return items


def node_ready(node):
    return any(c.get('type') == 'Ready' and c.get('status') == 'True' for c in (node.get('status') or {}).get('conditions') or [])


def nodes_by_pool(nodes):
    pools = {}
    for node in sorted(nodes, key=lambda n: n['metadata']['name']):
        pool = pools.setdefault(((node['metadata'].get('labels') or {}).get(POOL_LABEL)) or 'none',
                                dict(count=0, ready=0, cordoned=0, names=[]))
        pool['count'] += 1
        pool['ready'] += 1 if node_ready(node) else 0
        pool['cordoned'] += 1 if (node.get('spec') or {}).get('unschedulable') else 0
        pool['names'].append(node['metadata']['name'])
    return pools


def autoscaler_summary(hpa):
    spec, status = hpa.get('spec') or {}, hpa.get('status') or {}
    current = status.get('currentReplicas')
    return dict(namespace=hpa['metadata'].get('namespace'), name=hpa['metadata']['name'], min_replicas=spec.get('minReplicas', 1),
                max_replicas=spec.get('maxReplicas'), current_replicas=current, desired_replicas=status.get('desiredReplicas'),
                at_maximum=current is not None and current >= spec.get('maxReplicas'),
                metrics_unknown=capacity_review.metrics_unknown(hpa))


def main():
    module = K8sModule(
        supports_check_mode=True,
        argument_spec=dict(
            namespaces=dict(type='list', elements='str'),
            agent_pools=dict(type='list', elements='dict'),
            review=dict(type='dict', options=dict(
                pool_warn_percent_of_max=dict(type='float', required=True),
                pool_fail_at_max=dict(type='bool', required=True),
                pending_pods_max=dict(type='int', required=True),
            )),
        ),
    )
    params = module.params
    review = params['review']
    problems = capacity_review.threshold_problems(review, 'review') if review is not None else []
    if review is not None and params['agent_pools'] is None:
        problems.append('agent_pools: required with review; pass the agent_pools of phonebill.platform.aks_agent_pool_info')
    module.fail_on(problems)
    nodes = _list(module, 'v1', 'Node', None)
    pods = _list(module, 'v1', 'Pod', params['namespaces'], field_selector='status.phase=Pending')
    autoscalers = _list(module, 'autoscaling/v2', 'HorizontalPodAutoscaler', params['namespaces'])
    pools = nodes_by_pool(nodes)
    pending = [dict(namespace=p['metadata'].get('namespace'), name=p['metadata']['name'], message=capacity_review.unschedulable(p))
               for p in pods if capacity_review.unschedulable(p) is not None]
    checks = capacity_review.checks(params['agent_pools'], pools, pods, autoscalers, review) if review is not None else []
    module.exit(changed=False, nodes=pools, pending_pods=pending, autoscalers=[autoscaler_summary(h) for h in autoscalers],
                checks=checks)


if __name__ == '__main__':
    main()
