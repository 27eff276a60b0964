#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: aks_agent_pool
short_description: Create, update or delete a node pool of an AKS cluster
version_added: 0.1.0
description:
  - Ensures a node pool (agent pool) of an existing AKS cluster has the stated VM size, zones, scaling, labels,
    taints, upgrade surge, mode and Kubernetes version, or is absent.
  - While auto-scaling is on, the node count belongs to the autoscaler; O(count) only sets the initial size and is
    not compared. O(min_count) <= O(count) <= O(max_count) is checked before any call.
  - VM size, zones, subnet, max pods and OS disk size cannot change once the pool exists; a different value fails
    with the value the pool has.
  - A pool is deleted only with O(state=absent).
  - Pools of type C(VirtualMachines) keep their VM sizes and node counts in C(virtualMachinesProfile.scale), which
    this module does not manage. Stating O(vm_size), O(count), O(enable_auto_scaling), O(min_count) or O(max_count)
    for such a pool fails before any write, naming the options to leave out. Its labels, taints, surge, mode and
    version are managed as usual.
  - The input checks are the ones M(phonebill.platform.platform_preflight) makes on the inventory's pools.
options:
  name:
    description: Pool name (1-12 lower-case letters and digits, starting with a letter).
    type: str
    required: true
  cluster_name:
    description: Name of the AKS cluster.
    type: str
    required: true
  resource_group:
    description: Resource group of the cluster.
    type: str
    required: true
  mode:
    description: V(System) pools run the cluster's own pods; V(User) pools run workloads.
    type: str
    choices: [System, User]
  vm_size:
    description: VM size of the nodes. Required to create; cannot change.
    type: str
  count:
    description: Number of nodes; with auto-scaling, the initial count (default O(min_count)) and not compared.
    type: int
  enable_auto_scaling:
    description: Cluster autoscaler on or off. Defaults to on when O(min_count) and O(max_count) are stated.
    type: bool
  min_count:
    description: Autoscaler lower bound.
    type: int
  max_count:
    description: Autoscaler upper bound.
    type: int
  zones:
    description: Availability zones (compared as a set). Cannot change.
    type: list
    elements: str
    choices: ['1', '2', '3']
  max_surge:
    description: Extra nodes during an upgrade, a count (V(1)) or a percentage (V(33%)).
    type: str
  labels:
    description: Kubernetes node labels (string values). Labels not stated are kept unless O(purge_labels=true).
    type: dict
  purge_labels:
    description: Remove node labels that are not in O(labels).
    type: bool
    default: false
  taints:
    description:
      - Kubernetes node taints (a set), C(key=value:Effect) with C(Effect) V(NoSchedule), V(PreferNoSchedule) or
        V(NoExecute). Taints not stated are kept unless O(purge_taints=true).
    type: list
    elements: str
  purge_taints:
    description: Remove node taints that are not in O(taints).
    type: bool
    default: false
  orchestrator_version:
    description:
      - Kubernetes version of the nodes, V(1.33) (any patch) or V(1.33.2). At most the control plane's version.
      - Raising it upgrades the pool, to a version the pool's upgrade profile lists; lowering it fails.
    type: str
  vnet_subnet_id:
    description: Subnet of the nodes. Cannot change.
    type: str
  max_pods:
    description: Maximum pods per node (10-250). Cannot change.
    type: int
  os_disk_size_gb:
    description: OS disk size. Cannot change.
    type: int
  state:
    description: Whether the pool should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 1800 seconds.
seealso:
  - module: phonebill.platform.aks_agent_pool_info
  - module: phonebill.platform.aks_cluster
requirements:
  - azure-mgmt-containerservice >= 40, < 42
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Application pool, tainted for the application workloads
  phonebill.platform.aks_agent_pool:
    name: app
    cluster_name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    mode: User
    vm_size: Standard_D4s_v3
    count: 3
    min_count: 3
    max_count: 10
    zones: ["1", "2", "3"]
    max_surge: "33%"
    labels:
      workload: application
    taints:
      - application-workload=true:NoSchedule

- name: Remove a pool that is no longer used
  phonebill.platform.aks_agent_pool:
    name: batch
    cluster_name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    state: absent
'''

RETURN = r'''
resource:
  description: The pool as Azure returns it (or, in check mode, as it would be), in REST form.
  returned: success
  type: dict
  sample:
    id: >-
      /subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-phonebill-prod/providers/
      Microsoft.ContainerService/managedClusters/aks-phonebill-prod/agentPools/app
    name: app
    properties:
      mode: User
      vmSize: Standard_D4s_v3
      count: 4
      enableAutoScaling: true
      minCount: 3
      maxCount: 10
      availabilityZones: ["1", "2", "3"]
      nodeTaints: ["application-workload=true:NoSchedule"]
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.maxCount, before: 5, after: 10}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import aks, compare, waiter
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, to_rest


class AgentPool(ArmResource):
    kind, parent_kind = 'node pool', 'AKS cluster'
    service, operations, key = 'containerservice', 'agent_pools', ('resource_group', 'cluster_name', 'name')
    readonly = ArmResource.readonly + tuple('properties.%s' % field for field in aks.POOL_READONLY)
    immutable = aks.pool_immutable('properties')
    required_to_create = ('vm_size',)
    #: the versions the pool can upgrade to, read when the stated version is an upgrade
    upgrades = ()

    @property
    def rules(self):
        return aks.pool_rules('properties', self.params['purge_labels'], self.params['purge_taints'])

    @property
    def existing(self):
        """The pool's current properties, None when it does not exist."""
        return (self.current.get('properties') or {}) if self.current is not None else None

    def running(self):
        """The pool's operation and its cluster's: AKS refuses a pool write while the cluster upgrades.

        An unchanged pool is not written, so nothing collides: its cluster is not read then.
        """
        if self.unchanged():
            return super(AgentPool, self).running()
        cluster = self.module.get_or_none('read AKS cluster %s' % self.params['cluster_name'],
                                          self.module.client(self.service).managed_clusters.get,
                                          self.params['resource_group'], self.params['cluster_name'])
        return (super(AgentPool, self).running()
                + waiter.running('AKS cluster %s' % self.params['cluster_name'], to_rest(cluster)))

    def lookup(self):
        move = aks.pool_version_move(self.params['orchestrator_version'], self.existing)
        if move is not None and move[1] > 0:
            profile = self.module.call('read the upgrade profile of %s' % self.label, self.ops.get_upgrade_profile, *self.where)
            self.upgrades = aks.upgrade_targets(profile, 'properties')

    def problems(self):
        return (aks.pool_type_problems('', self.params, self.existing)
                + aks.pool_version_problems('orchestrator_version', self.label, self.params['orchestrator_version'],
                                            self.existing, self.upgrades))

    def desired(self):
        return dict(properties=aks.pool_properties(self.params, self.existing))

    def write(self, body):
        return super(AgentPool, self).write(compare.prune(dict(body, properties=aks.clean_pool(body.get('properties') or {}))))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            cluster_name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            purge_labels=dict(type='bool', default=False),
            purge_taints=dict(type='bool', default=False),
            **STATE_ARGUMENT_SPEC,
            **aks.pool_spec()
        ),
        long_running=True,
        default_timeout=1800,
    )
    module.fail_on(aks.pool_problems('', module.params))
    module.exit(**reconcile(module, AgentPool(module)))


if __name__ == '__main__':
    main()
