#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: platform_preflight
short_description: Check the whole platform plan before anything is written
version_added: 0.1.0
description:
  - Checks the inventory's plan of the platform and reports every problem at once, each naming the inventory
    variable and the fix, before any resource is written.
  - "Offline checks: resource names against Azure's rules; CIDRs valid, subnets inside the VNet and not overlapping;
    the AKS service and pod ranges outside the VNet and apart; the DNS service IP inside the service range;
    node pools C(min_count <= count <= max_count), zones, taints, max surge; that the nodes the autoscalers allow
    fit the application subnet; NSG rules (priorities, directions, protocols, accesses, ports, prefixes); service
    endpoint names; tags; workspace retention and daily cap; the maintenance window; registry replication; the
    workloads plan (ports 1-65535 included). These are the checks the modules make, so a rule lives once."
  - A value of the wrong type (a mapping where a list is expected) is one problem naming the variable.
  - With O(check_azure=true) it also asks Azure (read-only) whether the stated Kubernetes version is offered in
    the region, unless the cluster already runs it.
  - Never writes anything; the same in check mode.
options:
  plan:
    description:
      - The inventory variables of the platform, by name (C(phonebill_vnet), C(phonebill_aks), C(phonebill_network_security_groups),
        C(phonebill_maintenance_window), C(phonebill_registry), C(phonebill_log_analytics), C(phonebill_resource_groups),
        C(phonebill_tags), C(phonebill_zones), C(phonebill_public_ips), C(phonebill_location), C(phonebill_resource_group),
        C(phonebill_services_identity), C(phonebill_private_dns_zones), C(phonebill_workloads),
        C(phonebill_workload_identity_subjects)). Absent variables are not checked.
    type: dict
    required: true
  check_azure:
    description: Also make the read-only checks that need Azure (Kubernetes versions offered in the region).
    type: bool
    default: true
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
requirements:
  - azure-mgmt-containerservice >= 40, < 42 (only with O(check_azure=true))
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Check the plan before building anything
  phonebill.platform.platform_preflight:
    plan:
      phonebill_location: "{{ phonebill_location }}"
      phonebill_vnet: "{{ phonebill_vnet }}"
      phonebill_aks: "{{ phonebill_aks }}"
      phonebill_maintenance_window: "{{ phonebill_maintenance_window }}"
'''

RETURN = r'''
problems:
  description: Every problem found, each starting with the inventory variable it is about (empty when the plan is sound).
  returned: always
  type: list
  elements: str
  sample: ["phonebill_vnet.subnets[snet-cache].address_prefix: 10.0.2.0/24 overlaps subnet snet-database (10.0.2.0/24); give each subnet its own range"]
kubernetes_versions:
  description: The Kubernetes versions (minor and patch) AKS offers in the region on the standard support plan.
  returned: when O(check_azure=true) and the plan has C(phonebill_aks)
  type: list
  elements: str
  sample: ["1.32", "1.32.5", "1.33", "1.33.1", "1.33.2"]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import aks
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.plan_checks import check_plan


def azure_problems(module, plan):
    """Read-only checks against Azure: is the stated Kubernetes version offered (or already running)?"""
    stated = (plan.get('phonebill_aks') or {}).get('kubernetes_version')
    if not stated:
        return [], None
    location = plan.get('phonebill_location', 'koreacentral')
    standard, lts_only = aks.offered_versions(module, location)
    cluster = None
    if plan.get('phonebill_resource_group'):
        cluster = to_rest(module.get_or_none('read cluster %s' % plan['phonebill_aks'].get('name'),
                                             module.client('containerservice').managed_clusters.get,
                                             plan['phonebill_resource_group'], plan['phonebill_aks'].get('name')))
    running = ((cluster or {}).get('properties') or {}).get('currentKubernetesVersion')
    if running and aks.VERSION.equal(stated, running):
        problem = None  # a cluster keeps its version after Azure stops offering it for new clusters
    else:
        problem = aks.offered_problem(stated, location, standard, lts_only)
    return (['phonebill_aks.kubernetes_version: %s' % problem] if problem else []), standard


def main():
    module = AzureModule(supports_check_mode=True,
                         argument_spec=dict(plan=dict(type='dict', required=True),
                                            check_azure=dict(type='bool', default=True)))
    problems = check_plan(module.params['plan'])
    result = dict(changed=False)
    if problems:
        module.fail('the plan has %d problem(s):\n- %s' % (len(problems), '\n- '.join(problems)), problems=problems)
    if module.params['check_azure']:
        problems, offered = azure_problems(module, module.params['plan'])
        if offered is not None:
            result['kubernetes_versions'] = offered
        if problems:
            module.fail('the plan has %d problem(s):\n- %s' % (len(problems), '\n- '.join(problems)),
                        problems=problems, **result)
    module.exit(problems=[], **result)


if __name__ == '__main__':
    main()
