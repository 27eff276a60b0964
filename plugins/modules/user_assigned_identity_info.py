#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: user_assigned_identity_info
short_description: Read Azure user-assigned managed identities
version_added: 0.1.0
description:
  - Returns one user-assigned identity by name, those of a resource group, or those of the subscription,
    optionally only those carrying the given tags.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
  - phonebill.platform.azure.info_filters
requirements:
  - azure-mgmt-msi >= 7.1, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the services identity
  phonebill.platform.user_assigned_identity_info:
    name: phonebill-services
    resource_group: rg-phonebill-prod
  register: found

- name: Its client id, for the service account annotation
  ansible.builtin.debug:
    msg: "{{ found.identities[0].properties.clientId }}"
'''

RETURN = r'''
identities:
  description: The identities found, as Azure returns them (empty when the named identity does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-phonebill-prod/\
      providers/Microsoft.ManagedIdentity/userAssignedIdentities/phonebill-services"
      name: phonebill-services
      location: koreacentral
      tags: {service: phonebill}
      properties:
        principalId: 6f1c2e0a-1111-4a5b-9c8d-0123456789ab
        clientId: 2b9d0c4e-2222-4f6a-8b7c-0123456789ab
        tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    identities = arm_info.read(module, 'user-assigned identity', lambda: module.client('msi').user_assigned_identities)
    module.exit(changed=False, identities=identities)


if __name__ == '__main__':
    main()
