#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: aks_agent_pool_info
short_description: Read the node pools of an AKS cluster
version_added: 0.1.0
description:
  - Returns one node pool by name, or every pool of the cluster.
  - Used to find pools that exist in Azure but not in the inventory; this module never changes anything.
options:
  cluster_name:
    description: Name of the AKS cluster.
    type: str
    required: true
  resource_group:
    description: Resource group of the cluster.
    type: str
    required: true
  name:
    description: Name of one pool. Without it, every pool of the cluster is listed.
    type: str
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-containerservice >= 40, < 42
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Every pool of the production cluster
  phonebill.platform.aks_agent_pool_info:
    cluster_name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
  register: pools

- name: Names of the pools
  ansible.builtin.debug:
    msg: "{{ pools.agent_pools | map(attribute='name') | list }}"
'''

RETURN = r'''
agent_pools:
  description: The pools found, as Azure returns them (empty when the pool or the cluster does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: >-
        /subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-phonebill-prod/providers/
        Microsoft.ContainerService/managedClusters/aks-phonebill-prod/agentPools/system
      name: system
      properties: {mode: System, vmSize: Standard_D2s_v3, count: 3, availabilityZones: ["1", "2", "3"]}
'''

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        cluster_name=dict(type='str', required=True),
        resource_group=dict(type='str', required=True),
        name=dict(type='str'),
    ))
    params = module.params
    pools = module.client('containerservice').agent_pools
    cluster = 'AKS cluster %s' % params['cluster_name']
    if params['name']:
        found = module.get_or_none('read node pool %s of %s' % (params['name'], cluster), pools.get,
                                   params['resource_group'], params['cluster_name'], params['name'])
        found = [found] if found is not None else []
    else:
        found = module.get_or_none('list the node pools of %s' % cluster, lambda: list(
            pools.list(params['resource_group'], params['cluster_name']))) or []
    module.exit(changed=False, agent_pools=[to_rest(p) for p in found])


if __name__ == '__main__':
    main()
