#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: aks_upgrade_info
short_description: Read what a controlled AKS upgrade or node image upgrade needs, and judge its pre-checks
version_added: 0.1.0
description:
  - Reads the cluster, its upgrade profile (the versions the control plane can move to), every node pool with its
    own upgrade profile (the latest node image AKS offers it) and the subnets of the pools.
  - Returns each pool's version, node image (and whether it is behind the latest), provisioning state, surge nodes and
    the time its upgrade is allowed (O(minutes_per_batch) per round of surge nodes), and every operation in progress
    (any provisioning state that is not terminal, for example C(Upgrading) or C(UpgradingNodeImageVersion)).
  - With O(target_version), also judges the pre-checks of a controlled upgrade as C(procedure_report) checks - the
    target offered by the upgrade profile, the version skew (one minor version at a time, pools at most three
    minor versions behind), the surge capacity of each subnet, every disruption budget allowing a disruption, and no
    operation in progress - and lists the pools still below the target, system pools first.
  - Reads only; never changes anything.
options:
  cluster_name:
    description: Name of the AKS cluster.
    type: str
    required: true
  resource_group:
    description: Resource group of the cluster.
    type: str
    required: true
  target_version:
    description: The Kubernetes version the upgrade moves to (V(1.34) or V(1.34.1)); turns on the pre-checks.
    type: str
  minutes_per_batch:
    description: Minutes a pool upgrade is allowed per round of surge nodes (node created, old node drained, removed).
    type: int
    default: 10
  disruption_budgets:
    description:
      - The cluster's PodDisruptionBudgets as C(phonebill.platform.k8s_disruption_budget_info) returns them
        (C(namespace), C(name), C(disruptions_allowed)); each must allow a disruption for the pre-checks to pass.
    type: list
    elements: dict
    default: []
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-containerservice >= 40, < 42
  - azure-mgmt-network >= 30, < 34
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Pre-checks of an upgrade to 1.34
  phonebill.platform.aks_upgrade_info:
    cluster_name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    target_version: "1.34"
    disruption_budgets: "{{ budgets.budgets }}"
  register: upgrade

- name: Pools whose node image is behind
  ansible.builtin.debug:
    msg: "{{ upgrade.pools | selectattr('image_behind') | map(attribute='name') | list }}"
'''

RETURN = r'''
control_plane:
  description: The control plane's running version, provisioning state and the versions it can upgrade to.
  returned: always
  type: dict
  sample: {version: "1.33.2", state: Succeeded, upgrades: ["1.34.1"]}
pools:
  description: Every node pool, system pools first.
  returned: always
  type: list
  elements: dict
  sample:
    - {name: system, mode: System, state: Succeeded, version: "1.33.2", node_image_version: AKSUbuntu-2204gen2containerd-202507.21.0,
       latest_node_image_version: AKSUbuntu-2204gen2containerd-202508.04.0, image_behind: true, count: 3,
       max_surge: "33%", surge_nodes: 1, batches: 3, budget_minutes: 30, max_pods: 30, subnet_id: /subscriptions/...}
operations_in_progress:
  description: Every operation running on the cluster or a pool, as C(AKS cluster NAME is STATE) lines.
  returned: always
  type: list
  elements: str
checks:
  description: The pre-checks (with O(target_version)), each a C(procedure_report) check with its status.
  returned: always
  type: list
  elements: dict
pools_to_upgrade:
  description: With O(target_version), the pools below it, in the order to upgrade them (system pools first).
  returned: always
  type: list
  elements: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import aks, aks_upgrade
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest


def subnet_prefixes(module, pools):
    """Address prefix of each pool's subnet by lower-cased id (a subnet that cannot be read is left out)."""
    found = {}
    for subnet_id in set((p['subnet_id'] or '').lower() for p in pools if p['subnet_id']):
        parts = subnet_id.split('/')
        if len(parts) < 11:
            continue
        subnet = to_rest(module.get_or_none('read subnet %s' % parts[10], module.client('network').subnets.get,
                                            parts[4], parts[8], parts[10]))
        prefix = ((subnet or {}).get('properties') or {}).get('addressPrefix')
        if prefix:
            found[subnet_id] = prefix
    return found


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        cluster_name=dict(type='str', required=True),
        resource_group=dict(type='str', required=True),
        target_version=dict(type='str'),
        minutes_per_batch=dict(type='int', default=10),
        disruption_budgets=dict(type='list', elements='dict', default=[]),
    ))
    params = module.params
    module.fail_on(aks.version_problems('target_version', params['target_version'])
                   + (['minutes_per_batch: %s is not positive; give the minutes one round of surge nodes takes'
                       % params['minutes_per_batch']] if params['minutes_per_batch'] < 1 else []))
    service = module.client('containerservice')
    where = (params['resource_group'], params['cluster_name'])
    label = 'AKS cluster %s' % params['cluster_name']
    cluster = to_rest(module.call('read %s' % label, service.managed_clusters.get, *where))
    profile = to_rest(module.call('read the upgrade profile of %s' % label, service.managed_clusters.get_upgrade_profile, *where))
    listed = [to_rest(p) for p in module.call('list the node pools of %s' % label, lambda: list(service.agent_pools.list(*where)))]
    pools = []
    for pool in listed:
        pool_profile = to_rest(module.call('read the upgrade profile of node pool %s' % pool['name'],
                                           service.agent_pools.get_upgrade_profile, *(where + (pool['name'],))))
        latest = ((pool_profile or {}).get('properties') or {}).get('latestNodeImageVersion')
        pools.append(aks_upgrade.pool_facts(pool, latest, params['minutes_per_batch']))
    pools.sort(key=lambda p: (p['mode'] != 'System', p['name']))
    props = cluster.get('properties') or {}
    control_plane = dict(version=props.get('currentKubernetesVersion') or props.get('kubernetesVersion'),
                         state=props.get('provisioningState'),
                         upgrades=aks.upgrade_targets(profile, 'properties', 'controlPlaneProfile'))
    in_progress = aks_upgrade.running(params['cluster_name'], cluster, listed)
    checks, to_upgrade = [], []
    target = params['target_version']
    if target:
        overlay = ((props.get('networkProfile') or {}).get('networkPluginMode') or '').lower() == 'overlay'
        checks = aks_upgrade.prechecks(target, control_plane['version'], control_plane['upgrades'], pools,
                                       subnet_prefixes(module, pools), overlay, params['disruption_budgets'], in_progress)
        to_upgrade = [p['name'] for p in pools if p['version'] and aks.version_cmp(target, p['version']) > 0]
    module.exit(changed=False, control_plane=control_plane, pools=pools, operations_in_progress=in_progress,
                checks=checks, pools_to_upgrade=to_upgrade)


if __name__ == '__main__':
    main()
