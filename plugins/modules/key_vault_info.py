#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: key_vault_info
short_description: Read Azure Key Vaults
version_added: 0.2.0
description:
  - Returns one Key Vault by name, those of a resource group, or those of the subscription, optionally only those
    carrying the given tags.
  - Only the vaults' management-plane properties (SKU, tenant, authorization model, soft delete, purge protection,
    network rules, vault URI); nothing stored in a vault is read.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
  - phonebill.platform.azure.info_filters
requirements:
  - azure-mgmt-keyvault >= 13, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the production vault
  phonebill.platform.key_vault_info:
    name: kv-phonebill-prod
    resource_group: rg-phonebill-prod
  register: found

- name: Its URI, for the secret modules
  ansible.builtin.debug:
    msg: "{{ found.vaults[0].properties.vaultUri }}"
'''

RETURN = r'''
vaults:
  description: The vaults found, as Azure returns them (empty when the named vault does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/\
      providers/Microsoft.KeyVault/vaults/kv-phonebill-prod"
      name: kv-phonebill-prod
      location: koreacentral
      tags: {service: phonebill}
      properties:
        sku: {family: A, name: premium}
        tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
        enableRbacAuthorization: true
        softDeleteRetentionInDays: 90
        enablePurgeProtection: true
        publicNetworkAccess: Disabled
        vaultUri: https://kv-phonebill-prod.vault.azure.net/
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    vaults = arm_info.read(module, 'key vault', lambda: module.client('keyvault').vaults)
    module.exit(changed=False, vaults=vaults)


if __name__ == '__main__':
    main()
