#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: waf_policy_info
short_description: Read Application Gateway WAF policies
version_added: 0.1.0
description:
  - Returns one Application Gateway WAF policy (C(Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies))
    by name, those of a resource group, or those of the subscription, optionally only those carrying the given tags.
  - Each comes as Azure returns it, with the gateways that use it (C(properties.applicationGateways)).
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
- name: Read the platform's WAF policy
  phonebill.platform.waf_policy_info:
    name: waf-phonebill-prod
    resource_group: rg-phonebill-prod
  register: platform_waf
'''

RETURN = r'''
waf_policies:
  description: The policies found, as Azure returns them (empty when the named one does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-phonebill-prod
      name: waf-phonebill-prod
      properties:
        policySettings: {mode: Prevention, state: Enabled}
        managedRules:
          managedRuleSets: [{ruleSetType: OWASP, ruleSetVersion: "3.2"}]
        applicationGateways: [{id: /subscriptions/.../providers/Microsoft.Network/applicationGateways/agw-phonebill-prod}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    found = arm_info.read(module, 'WAF policy', lambda: module.client('network').web_application_firewall_policies,
                          by_group='list', by_subscription='list_all')
    module.exit(changed=False, waf_policies=found)


if __name__ == '__main__':
    main()
