#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: resource_health_info
short_description: Read whether the declared Azure resources exist, settled and available
version_added: 0.1.0
description:
  - For every resource the inventory declares in one resource group, reads its provisioning state (the resource
    group listing with C($expand=provisioningState)) and its Resource Health availability
    (C(Microsoft.ResourceHealth/availabilityStatuses) of the resource group), two requests in all.
  - Judges each one (SPEC §10 daily checks) PASS, WARN or FAIL. FAIL when it is missing, its provisioning state is
    C(Failed) or C(Canceled), or Azure reports it C(Unavailable). WARN when an operation is in progress (any state
    that is not terminal, such as C(Updating), C(Upgrading), C(Scaling)), or it is C(Degraded) or C(Unknown).
  - Reads only; never changes anything.
options:
  resource_group:
    description: Resource group of the resources.
    type: str
    required: true
  resources:
    description: The declared resources, each by C(type) (C(Namespace/type)) and C(name).
    type: list
    elements: dict
    required: true
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-resource >= 26, < 27
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the health of the platform's resources
  phonebill.platform.resource_health_info:
    resource_group: rg-phonebill-prod
    resources:
      - {type: Microsoft.ContainerService/managedClusters, name: aks-phonebill-prod}
      - {type: Microsoft.Cache/redis, name: redis-phonebill-prod}
  register: health

- name: Show what is not healthy
  ansible.builtin.debug:
    msg: "{{ health.resources | rejectattr('status', 'equalto', 'PASS') | map(attribute='detail') }}"
'''

RETURN = r'''
healthy:
  description: Whether every declared resource is PASS.
  returned: always
  type: bool
resources:
  description: One entry per declared resource, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ARM id.
      type: str
    name:
      description: Name.
      type: str
    type:
      description: Resource type.
      type: str
    found:
      description: Whether it exists.
      type: bool
    provisioning_state:
      description: Its provisioning state (null when missing).
      type: str
      sample: Succeeded
    availability_state:
      description: Resource Health's C(availabilityState) (C(Available), C(Degraded), C(Unavailable), C(Unknown)).
      type: str
    summary:
      description: Resource Health's summary.
      type: str
    status:
      description: The verdict, C(PASS), C(WARN) or C(FAIL).
      type: str
    detail:
      description: Why.
      type: str
      sample: "provisioning state Updating: an operation is in progress"
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_rest, resource_health
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest


def _statuses(module, group):
    path = '/subscriptions/%s/resourceGroups/%s%s' % (module.subscription_id, group, resource_health.HEALTH_PATH)
    found, version = [], resource_health.API_VERSION
    while path:  # a nextLink carries its own api-version
        page = module.call('read the Resource Health of resource group %s' % group,
                           arm_rest.send, module, 'GET', path, version) or {}
        found += page.get('value') or []
        path, version = page.get('nextLink'), None
    return found


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        resource_group=dict(type='str', required=True),
        resources=dict(type='list', elements='dict', required=True)))
    params = module.params
    module.fail_on(resource_health.resource_problems(params['resources']))
    group = params['resource_group']
    client = module.client('resource')
    listed = module.call('list the resources of resource group %s' % group,
                         lambda: [to_rest(item) for item in client.resources.list_by_resource_group(
                             group, expand='provisioningState')])
    declared = resource_health.declared_ids(module.subscription_id, group, params['resources'])
    resources = resource_health.report(declared, listed, _statuses(module, group))
    module.exit(changed=False, healthy=all(item['status'] == 'PASS' for item in resources), resources=resources)


if __name__ == '__main__':
    main()
