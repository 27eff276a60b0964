#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: virtual_network_info
short_description: Read Azure virtual networks and their subnets
version_added: 0.1.0
description:
  - Returns one virtual network by name, those of a resource group, or those of the subscription, optionally
    only those carrying the given tags.
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
- name: Read the platform network
  phonebill.platform.virtual_network_info:
    name: vnet-phonebill-prod
    resource_group: rg-phonebill-prod
  register: platform_vnet

- name: Id of the database subnet
  ansible.builtin.debug:
    msg: "{{ platform_vnet.subnet_ids['vnet-phonebill-prod']['snet-database'] }}"
'''

RETURN = r'''
virtual_networks:
  description: The virtual networks found, as Azure returns them (empty when the named one does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-prod
      name: vnet-phonebill-prod
      location: koreacentral
      properties:
        addressSpace: {addressPrefixes: [10.0.0.0/16]}
        subnets: [{name: snet-application, properties: {addressPrefix: 10.0.1.0/24}}]
subnet_ids:
  description: For each virtual network found, by name, the id of each of its subnets, by name.
  returned: always
  type: dict
  sample: {vnet-phonebill-prod: {snet-application: /subscriptions/.../subnets/snet-application}}
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    found = arm_info.read(module, 'virtual network', lambda: module.client('network').virtual_networks,
                          by_group='list', by_subscription='list_all')
    subnet_ids = dict((vnet['name'], dict((s['name'], s.get('id')) for s in (vnet.get('properties') or {}).get('subnets') or []))
                      for vnet in found)
    module.exit(changed=False, virtual_networks=found, subnet_ids=subnet_ids)


if __name__ == '__main__':
    main()
