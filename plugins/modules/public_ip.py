#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: public_ip
short_description: Create, update or delete an Azure public IP address
version_added: 0.1.0
description:
  - Ensures a public IP address exists with the stated SKU, allocation, zones, DNS label, idle timeout and
    tags, or is absent.
  - The SKU, the zones, the IP version and the region are fixed when the address is made; a task that states
    other values for an existing address fails, naming what Azure has, and changes nothing.
options:
  name:
    description: Name of the public IP address.
    type: str
    required: true
  resource_group:
    description: Resource group of the public IP address.
    type: str
    required: true
  location:
    description: Azure region, in either form (V(Korea Central) or V(koreacentral)). Required to create.
    type: str
  sku:
    description: SKU. V(Standard) addresses are static and may be zonal or zone-redundant.
    type: str
    choices: [Basic, Standard]
  tier:
    description: V(Regional), or V(Global) for a cross-region load balancer's address.
    type: str
    choices: [Regional, Global]
  allocation_method:
    description: V(Static) or V(Dynamic); V(Standard) addresses are always static.
    type: str
    choices: [Static, Dynamic]
  version:
    description: IP version.
    type: str
    choices: [IPv4, IPv6]
  zones:
    description:
      - Availability zones (V(["1", "2", "3"]) is zone-redundant). Order does not matter.
      - Only V(Standard) addresses have zones.
    type: list
    elements: str
  domain_name_label:
    description:
      - DNS label; the address gets the name C(<label>.<region>.cloudapp.azure.com).
      - 3-63 lower-case letters, digits and C(-), starting with a letter.
    type: str
  idle_timeout:
    description: Minutes (4-30) an idle TCP connection is kept.
    type: int
  state:
    description: Whether the public IP address should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 600 seconds.
requirements:
  - azure-mgmt-network >= 30, < 34
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Zone-redundant static address of the Application Gateway
  phonebill.platform.public_ip:
    name: pip-agw-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    sku: Standard
    allocation_method: Static
    zones: ["1", "2", "3"]
    domain_name_label: phonebill-prod
'''

RETURN = r'''
resource:
  description: The public IP address as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/publicIPAddresses/pip-agw-phonebill-prod
    name: pip-agw-phonebill-prod
    location: koreacentral
    sku: {name: Standard, tier: Regional}
    zones: ["1", "2", "3"]
    properties:
      publicIPAllocationMethod: Static
      ipAddress: 20.41.0.10
      dnsSettings: {domainNameLabel: phonebill-prod, fqdn: phonebill-prod.koreacentral.cloudapp.azure.com}
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.idleTimeoutInMinutes, before: 4, after: 10}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, network_common as net
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


class PublicIp(ArmResource):
    kind, service, operations = 'public IP', 'network', 'public_ip_addresses'
    rules = {
        'sku.name': compare.IGNORE_CASE,
        'sku.tier': compare.IGNORE_CASE,
        'zones': compare.Set(),
        'properties.publicIPAllocationMethod': compare.IGNORE_CASE,
        'properties.publicIPAddressVersion': compare.IGNORE_CASE,
    }
    readonly = ArmResource.readonly + ('properties.ipAddress', 'properties.resourceGuid', 'properties.ipConfiguration',
                                       'properties.dnsSettings.fqdn')
    immutable = ('location', 'sku.name', 'sku.tier', 'zones', 'properties.publicIPAddressVersion')
    required_to_create = ('location',)

    def desired(self):
        params = self.params
        return {
            'location': params['location'],
            'tags': params['tags'],
            'sku': {'name': params['sku'], 'tier': params['tier']},
            'zones': params['zones'],
            'properties': {
                'publicIPAllocationMethod': params['allocation_method'],
                'publicIPAddressVersion': params['version'],
                'idleTimeoutInMinutes': params['idle_timeout'],
                'dnsSettings': {'domainNameLabel': params['domain_name_label']},
            },
        }


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return net.public_ip_problems(params) + name_problems('resource_group', params['resource_group'], 'resource_group')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            sku=dict(type='str', choices=['Basic', 'Standard']),
            tier=dict(type='str', choices=['Regional', 'Global']),
            allocation_method=dict(type='str', choices=['Static', 'Dynamic']),
            version=dict(type='str', choices=['IPv4', 'IPv6']),
            zones=dict(type='list', elements='str'),
            domain_name_label=dict(type='str'),
            idle_timeout=dict(type='int'),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=600,
    )
    module.fail_on(validate(module.params))
    module.exit(**reconcile(module, PublicIp(module)))


if __name__ == '__main__':
    main()
