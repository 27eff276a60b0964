#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_workload_preflight
short_description: Check the workloads plan before anything is applied to the cluster
version_added: 0.1.0
description:
  - Checks the workloads inventory (SPEC §5) and reports every problem at once, each starting with the inventory path
    of the wrong value and saying the fix, so that a bad plan fails before any object is applied.
  - "Checks: images pinned by tag or digest (no C(:latest), no untagged image); requests and limits of cpu and memory
    present, valid quantities, limits not below requests; replicas inside the autoscaler range and C(min <= max);
    metric types (cpu, memory, pods) and targets; a disruption budget that still allows a disruption; probes;
    anti-affinity; zone spread; the subnets the network policy opens exist in the VNet; every port (service,
    network policy, metrics) is 1-65535; the workload identity client id is a GUID and the service accounts using
    it are federated. A value of the wrong type (a string where a list of ports is expected) is one problem."
  - "With O(ingress), the gateway's path into the cluster: the internal load balancer address inside its C(subnet),
    not one of Azure's five reserved addresses and above the addresses the nodes of O(aks) take; ports; the router
    image pinned, at least 2 replicas, its budget; every route under C(/api/) naming a service of O(workloads); with
    O(gateway_backend), the gateway's pool address, HTTP settings port and probe path equal to O(ingress)'s."
  - "With O(app_settings), the services' own settings: the KOS-Mock endpoints (method, path, latency range, success
    rate, rate limit), the callers' circuit breaker, load balancing and health check, the L1 and L2 caches (an L1
    entry may not outlive the L2 entry it copies) and the TTL per pattern; every section a service lists in its
    C(settings) exists."
  - "With O(custom_metrics), the autoscalers' pods metrics path: the managed Prometheus scrape settings, the metrics
    adapter (images pinned, at least 2 replicas) and its rules (metric and series names, the PromQL placeholders the
    adapter fills in); every C(type=pods) metric an HPA names is produced by a rule, from a service that is scraped;
    O(query_endpoint) is an https URL."
  - The platform preflight (M(phonebill.platform.platform_preflight)) makes the same checks, all but the client id
    and the query endpoint, before anything is written to Azure.
  - Needs no cluster and no credentials; never changes anything.
options:
  workloads:
    description: The workloads plan (C(phonebill_workloads)).
    type: dict
    required: true
  vnet:
    description: The VNet (C(phonebill_vnet)), for the subnet CIDRs the network policy opens.
    type: dict
  client_id:
    description: Client id of the services identity (C(phonebill_services_identity_client_id)).
    type: str
  subjects:
    description: Service accounts federated with the services identity (C(phonebill_workload_identity_subjects)).
    type: list
    elements: str
    default: []
  ingress:
    description:
      - The gateway's path into the cluster (C(phonebill_ingress)) - C(private_ip), C(port), C(health_path), C(subnet),
        C(gateway_subnet), C(service_name), C(router) and C(routes).
    type: dict
  aks:
    description: The AKS plan (C(phonebill_aks)); its C(pools) and C(network) tell which subnet addresses the nodes take.
    type: dict
  app_settings:
    description: The services' own settings (C(phonebill_app_settings)) - sections C(kos_mock), C(kos_client), C(cache).
    type: dict
  gateway_backend:
    description: What the Application Gateway plan states for its backend pool C(aks-backend), checked against O(ingress).
    type: dict
    suboptions:
      addresses:
        description: The pool's addresses.
        type: list
        elements: str
      port:
        description: The HTTP settings port.
        type: int
      probe_path:
        description: The health probe's path.
        type: str
  custom_metrics:
    description: The autoscalers' pods metrics path (C(phonebill_custom_metrics)) - C(namespace), C(owner), C(scrape), C(adapter), C(rules).
    type: dict
  query_endpoint:
    description:
      - The Prometheus query endpoint of the Azure Monitor workspace the adapter reads. Checked with O(custom_metrics) when
        given; omit it in check mode before the workspace exists.
    type: str
extends_documentation_fragment:
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
- name: Check the workloads plan
  phonebill.platform.k8s_workload_preflight:
    workloads: "{{ phonebill_workloads }}"
    vnet: "{{ phonebill_vnet }}"
    client_id: "{{ phonebill_services_identity_client_id }}"
    subjects: "{{ phonebill_workload_identity_subjects }}"
    ingress: "{{ phonebill_ingress }}"
    aks: "{{ phonebill_aks }}"
'''

RETURN = r'''
problems:
  description: "Every problem found (the module fails when there is one), each C(<inventory path>: <what to fix>)."
  returned: always
  type: list
  elements: str
  sample: ["phonebill_workloads.services[auth-service].image: 'phonebill/auth-service:latest' uses :latest; pin a release tag or a digest"]
'''

from ansible_collections.phonebill.platform.plugins.module_utils.app_settings import app_settings_problems
from ansible_collections.phonebill.platform.plugins.module_utils.custom_metrics import custom_metrics_problems, query_endpoint_problems
from ansible_collections.phonebill.platform.plugins.module_utils.ingress_plan import gateway_backend_problems, ingress_problems
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload_plan import check_workloads
from ansible_collections.phonebill.platform.plugins.module_utils.module_base import ModuleBase


def main():
    module = ModuleBase(
        argument_spec=dict(
            workloads=dict(type='dict', required=True),
            vnet=dict(type='dict'),
            client_id=dict(type='str'),
            subjects=dict(type='list', elements='str', default=[]),
            ingress=dict(type='dict'),
            aks=dict(type='dict'),
            app_settings=dict(type='dict'),
            gateway_backend=dict(type='dict', options=dict(
                addresses=dict(type='list', elements='str'),
                port=dict(type='int'),
                probe_path=dict(type='str'),
            )),
            custom_metrics=dict(type='dict'),
            query_endpoint=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    problems = check_workloads(params['workloads'], params['vnet'], params['client_id'], params['subjects'])
    if params['ingress'] is not None:
        problems += ingress_problems(params['ingress'], params['workloads'], params['vnet'], params['aks'])
    problems += app_settings_problems(params['app_settings'], params['workloads'].get('services'), 'app_settings',
                                      'workloads.services')
    backend = params['gateway_backend']
    if backend is not None:
        problems += gateway_backend_problems(params['ingress'], backend['addresses'], backend['port'], backend['probe_path'],
                                             'gateway_backend')
    if params['custom_metrics'] is not None:
        problems += custom_metrics_problems(params['custom_metrics'], params['workloads'].get('services'), 'custom_metrics',
                                            'workloads.services')
        if params['query_endpoint'] is not None:
            problems += query_endpoint_problems(params['query_endpoint'], 'query_endpoint')
    module.fail_on(problems)
    module.exit(changed=False, problems=[])


if __name__ == '__main__':
    main()
