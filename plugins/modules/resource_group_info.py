#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: resource_group_info
short_description: Read Azure resource groups
version_added: 0.1.0
description:
  - Returns one resource group by name, or every group of the subscription, optionally only those carrying
    the given tags.
options:
  name:
    description: Name of one resource group. Without it, every group is listed.
    type: str
  tags:
    description: Only groups that carry all these tags with these values.
    type: dict
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
- name: Read the production group
  phonebill.platform.resource_group_info:
    name: rg-phonebill-prod
  register: prod_group

- name: Every group of the phonebill service
  phonebill.platform.resource_group_info:
    tags:
      service: phonebill
  register: phonebill_groups
'''

RETURN = r'''
resource_groups:
  description: The groups found, as Azure returns them (empty when the named group does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod
      name: rg-phonebill-prod
      location: koreacentral
      tags: {environment: prod}
      properties: {provisioningState: Succeeded}
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(name=dict(type='str'), tags=dict(type='dict')))
    groups = arm_info.read(module, 'resource group', lambda: module.client('resource').resource_groups, by_subscription='list')
    module.exit(changed=False, resource_groups=groups)


if __name__ == '__main__':
    main()
