#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: container_registry_info
short_description: Read Azure Container Registries and their geo-replications
version_added: 0.1.0
description:
  - Returns one container registry by name (with its replications), those of a resource group, or those of the
    subscription, optionally only those carrying the given tags.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
  - phonebill.platform.azure.info_filters
requirements:
  - azure-mgmt-containerregistry >= 14, < 16
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the production registry
  phonebill.platform.container_registry_info:
    name: acrphonebillprod
    resource_group: rg-phonebill-prod
  register: found

- name: Its login server
  ansible.builtin.debug:
    msg: "{{ found.registries[0].properties.loginServer }}"
'''

RETURN = r'''
registries:
  description: The registries found, as Azure returns them (empty when the named registry does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/providers/Microsoft.ContainerRegistry/registries/acrphonebillprod
      name: acrphonebillprod
      location: koreacentral
      sku: {name: Premium, tier: Premium}
      properties: {loginServer: acrphonebillprod.azurecr.io, adminUserEnabled: false}
replications:
  description: The replications of the named registry, as Azure returns them.
  returned: when O(name) is given and the registry exists
  type: list
  elements: dict
  sample:
    - name: koreasouth
      location: koreasouth
      properties: {zoneRedundancy: Disabled, regionEndpointEnabled: true, provisioningState: Succeeded}
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


def validate(params):
    """Input problems that need no call to Azure: a registry name Azure could not have."""
    return name_problems('name', params['name'], 'container_registry')


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    module.fail_on(validate(module.params))
    registries = arm_info.read(module, 'container registry', lambda: module.client('containerregistry').registries,
                               by_subscription='list')
    result = dict(changed=False, registries=registries)
    if module.params['name'] and registries:
        replications = module.client('containerregistry').replications
        result['replications'] = module.call(
            'list the replications of container registry %s' % module.params['name'],
            lambda: [to_rest(r) for r in replications.list(module.params['resource_group'], module.params['name'])])
    module.exit(**result)


if __name__ == '__main__':
    main()
