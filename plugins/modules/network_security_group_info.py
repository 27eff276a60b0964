#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: network_security_group_info
short_description: Read Azure network security groups and their rules
version_added: 0.1.0
description:
  - Returns one network security group by name, those of a resource group, or those of the subscription,
    optionally only those carrying the given tags.
  - Rules come as Azure returns them, the default security rules included.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
  - phonebill.platform.azure.info_filters
requirements:
  - azure-mgmt-network >= 30, < 34
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the NSGs of the platform
  phonebill.platform.network_security_group_info:
    resource_group: rg-phonebill-prod
    tags:
      service: phonebill
  register: platform_nsgs
'''

RETURN = r'''
network_security_groups:
  description: The network security groups found, as Azure returns them (empty when the named one does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-aks
      name: nsg-aks
      location: koreacentral
      properties:
        securityRules:
          - name: allow-postgresql
            properties: {priority: 100, direction: Outbound, access: Allow, protocol: Tcp,
                         destinationAddressPrefix: 10.0.2.0/24, destinationPortRange: "5432"}
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    found = arm_info.read(module, 'network security group', lambda: module.client('network').network_security_groups,
                          by_group='list', by_subscription='list_all')
    module.exit(changed=False, network_security_groups=found)


if __name__ == '__main__':
    main()
