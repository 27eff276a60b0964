#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: application_gateway_info
short_description: Read Azure Application Gateways
version_added: 0.1.0
description:
  - Returns one Application Gateway by name, those of a resource group, or those of the subscription, optionally
    only those carrying the given tags.
  - Each comes as Azure returns it, with its listeners, rules, pools, probes, settings, certificates (their Key Vault
    secret ids, never certificate data) and C(operationalState).
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
- name: Read the platform's gateway
  phonebill.platform.application_gateway_info:
    name: agw-phonebill-prod
    resource_group: rg-phonebill-prod
  register: platform_gateway
'''

RETURN = r'''
application_gateways:
  description: The gateways found, as Azure returns them (empty when the named one does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/applicationGateways/agw-phonebill-prod
      name: agw-phonebill-prod
      location: koreacentral
      properties:
        sku: {name: WAF_v2, tier: WAF_v2}
        operationalState: Running
        firewallPolicy:
          id: /subscriptions/.../providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-phonebill-prod
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    found = arm_info.read(module, 'application gateway', lambda: module.client('network').application_gateways,
                          by_group='list', by_subscription='list_all')
    module.exit(changed=False, application_gateways=found)


if __name__ == '__main__':
    main()
