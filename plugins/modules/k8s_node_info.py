#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_node_info
short_description: Read the cluster's nodes - ready, schedulable, pool and kubelet version
version_added: 0.1.0
description:
  - Lists the nodes (of one AKS pool, label C(agentpool), when O(pool) is given) with their C(Ready) condition,
    whether they are cordoned, their pool and their kubelet version.
  - The upgrade and drain procedures check after each step that every node is Ready and none stays cordoned.
  - Reads only; never changes anything.
options:
  pool:
    description: Only the nodes of this AKS node pool (label C(agentpool=<pool>)).
    type: str
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
- name: Every node of the app pool
  phonebill.platform.k8s_node_info:
    kubeconfig: "{{ phonebill_kubeconfig }}"
    pool: app
  register: nodes
'''

RETURN = r'''
nodes:
  description: The nodes, sorted by name.
  returned: always
  type: list
  elements: dict
  sample: [{name: aks-app-12345678-vmss000000, pool: app, ready: true, unschedulable: false, kubelet_version: v1.33.2}]
not_ready:
  description: Names of the nodes whose C(Ready) condition is not C(True).
  returned: always
  type: list
  elements: str
cordoned:
  description: Names of the nodes marked unschedulable.
  returned: always
  type: list
  elements: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import K8sModule, to_dict


def node(item):
    """What a procedure judges of a node."""
    conditions = dict((c.get('type'), c.get('status')) for c in (item.get('status') or {}).get('conditions') or [])
    return dict(name=item['metadata']['name'], pool=(item['metadata'].get('labels') or {}).get('agentpool'),
                ready=conditions.get('Ready') == 'True', unschedulable=bool((item.get('spec') or {}).get('unschedulable')),
                kubelet_version=((item.get('status') or {}).get('nodeInfo') or {}).get('kubeletVersion'))


def main():
    module = K8sModule(supports_check_mode=True, argument_spec=dict(pool=dict(type='str')))
    pool = module.params['pool']
    listed = to_dict(module.call('list the nodes', module.dynamic.get, module.resource('v1', 'Node'),
                                 label_selector='agentpool=%s' % pool if pool else None))
    nodes = sorted((node(i) for i in listed.get('items') or []), key=lambda n: n['name'])
    module.exit(changed=False, nodes=nodes, not_ready=[n['name'] for n in nodes if not n['ready']],
                cordoned=[n['name'] for n in nodes if n['unschedulable']])


if __name__ == '__main__':
    main()
