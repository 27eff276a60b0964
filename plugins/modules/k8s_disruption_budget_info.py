#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_disruption_budget_info
short_description: Read every PodDisruptionBudget and how many disruptions each allows now
version_added: 0.1.0
description:
  - Lists the PodDisruptionBudgets (C(policy/v1)) of the given namespaces, or of every namespace, with what their
    status says now (C(disruptionsAllowed), current and desired healthy pods).
  - A budget that allows no disruption stops every node drain on its pods, so an upgrade or a drain checks them first.
  - Reads only; never changes anything.
options:
  namespaces:
    description: Only these namespaces; every namespace when not given.
    type: list
    elements: str
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
- name: Every disruption budget of the cluster
  phonebill.platform.k8s_disruption_budget_info:
    kubeconfig: "{{ phonebill_kubeconfig }}"
  register: budgets
'''

RETURN = r'''
budgets:
  description: Every budget found, sorted by namespace and name.
  returned: always
  type: list
  elements: dict
  sample:
    - {namespace: phonebill-prod, name: auth-service, min_available: 2, max_unavailable: null, disruptions_allowed: 1,
       current_healthy: 3, desired_healthy: 2, expected_pods: 3}
'''

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import K8sModule, to_dict


def budget(item):
    """The fields of a budget that say whether a drain may evict one of its pods now."""
    spec, status = item.get('spec') or {}, item.get('status') or {}
    return dict(namespace=item['metadata']['namespace'], name=item['metadata']['name'],
                min_available=spec.get('minAvailable'), max_unavailable=spec.get('maxUnavailable'),
                disruptions_allowed=status.get('disruptionsAllowed', 0), current_healthy=status.get('currentHealthy'),
                desired_healthy=status.get('desiredHealthy'), expected_pods=status.get('expectedPods'))


def main():
    module = K8sModule(supports_check_mode=True, argument_spec=dict(namespaces=dict(type='list', elements='str')))
    resource = module.resource('policy/v1', 'PodDisruptionBudget')
    items = []
    for namespace in module.params['namespaces'] or [None]:
        listed = to_dict(module.call('list PodDisruptionBudgets in %s' % (namespace or 'every namespace'),
                                     module.dynamic.get, resource, namespace=namespace))
        items += listed.get('items') or []
    module.exit(changed=False, budgets=sorted((budget(i) for i in items), key=lambda b: (b['namespace'], b['name'])))


if __name__ == '__main__':
    main()
