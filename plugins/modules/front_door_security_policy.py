#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: front_door_security_policy
short_description: Attach a Front Door WAF policy to the domains of an Azure Front Door profile
version_added: 0.1.0
description:
  - Ensures a security policy (C(Microsoft.Cdn/profiles/securityPolicies)) of type C(WebApplicationFirewall) exists,
    associating a Front Door WAF policy (M(phonebill.platform.front_door_waf_policy)) with the stated endpoints'
    domains for the stated path patterns, or is absent.
  - A real run refuses, before writing, a WAF policy that does not exist or whose SKU is not the profile's (Azure
    attaches only a policy of the profile's tier). In check mode these checks are left to preflight (the policy
    may be one an earlier task only predicted).
options:
  name:
    description: Security policy name (1-90 letters, digits and -).
    type: str
    required: true
  waf_policy:
    description: The Front Door WAF policy, by name (in O(resource_group)) or resource id. Required to create.
    type: str
  domains:
    description:
      - The domains protected, as endpoint names of O(profile) (their default domain) or resource ids of endpoints or
        custom domains. Required to create.
    type: list
    elements: str
  patterns:
    description: Path patterns protected on those domains.
    type: list
    elements: str
    default: ["/*"]
  state:
    description: Whether the security policy should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
  - phonebill.platform.azure.front_door_child
requirements:
  - azure-mgmt-frontdoor >= 2, < 3
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The WAF in front of every path of the endpoint
  phonebill.platform.front_door_security_policy:
    name: sp-phonebill-prod-waf
    profile: afd-phonebill-prod
    resource_group: rg-phonebill-prod
    waf_policy: wafafdphonebillprod
    domains: [phonebill-prod]
'''

RETURN = r'''
resource:
  description: The security policy as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../profiles/afd-phonebill-prod/securityPolicies/sp-phonebill-prod-waf
    properties:
      parameters:
        type: WebApplicationFirewall
        wafPolicy: {id: /subscriptions/.../FrontDoorWebApplicationFirewallPolicies/wafafdphonebillprod}
        associations: [{domains: [{id: /subscriptions/.../afdEndpoints/phonebill-prod}], patternsToMatch: [/*]}]
id:
  description: Resource id of the security policy (empty in check mode before it exists).
  returned: when O(state=present)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.front_door import (
    ProfileChild, child_id, parent_problems, pattern_problems, reconcile_with_id, waf_policy_id)
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, same

PARAMETERS = 'properties.parameters'


class SecurityPolicy(ProfileChild):
    kind, operations = 'Front Door security policy', 'security_policies'
    rules = {PARAMETERS + '.wafPolicy.id': compare.RESOURCE_ID,
             PARAMETERS + '.associations[].domains[].id': compare.RESOURCE_ID,
             PARAMETERS + '.associations[].patternsToMatch': compare.Set()}
    required_to_create = ('waf_policy', 'domains')
    profile_sku = policy_sku = None

    def lookup(self):
        """The SKUs of the profile and of the WAF policy before a write (a real run only; check mode leaves them to preflight)."""
        params = self.params
        if self.module.check_mode or not params['waf_policy'] or self.unchanged():
            return
        name = params['waf_policy'].rstrip('/').rsplit('/', 1)[-1]
        group = params['waf_policy'].split('/')[4] if params['waf_policy'].startswith('/') else params['resource_group']
        profile = to_rest(self.module.get_or_none('read Front Door profile %s' % params['profile'],
                                                  self.module.client('cdn').profiles.get,
                                                  params['resource_group'], params['profile']))
        policy = to_rest(self.module.get_or_none('read Front Door WAF policy %s' % name,
                                                 self.module.client('frontdoor').policies.get, group, name))
        self.profile_sku = ((profile or {}).get('sku') or {}).get('name')
        self.policy_sku = ((policy or {}).get('sku') or {}).get('name') if policy else False

    def problems(self):
        if self.policy_sku is False:
            return ['waf_policy: Front Door WAF policy %s does not exist; create it first '
                    '(phonebill.platform.front_door_waf_policy) or name an existing one' % self.params['waf_policy']]
        if self.policy_sku and self.profile_sku and not same(self.policy_sku, self.profile_sku):
            skus = (self.policy_sku, self.params['profile'], self.profile_sku, self.profile_sku)
            return ['waf_policy: the policy is %s and profile %s is %s; a security policy attaches only a WAF policy of '
                    'the profile\'s SKU: recreate the policy with sku %s' % skus]
        return []

    def desired(self):
        params, module = self.params, self.module
        domains = None if params['domains'] is None else [
            {'id': child_id(module, params['resource_group'], params['profile'], 'afdEndpoints', domain)}
            for domain in params['domains']]
        association = {'domains': domains, 'patternsToMatch': params['patterns']}
        return {'properties': {'parameters': {
            'type': 'WebApplicationFirewall',
            'wafPolicy': {'id': waf_policy_id(module, params['resource_group'], params['waf_policy'])},
            'associations': [association] if domains is not None else None}}}


def validate(params):
    """Input problems that need no call to Azure."""
    return (name_problems('name', params['name'], 'front_door_child', 'security policy name') + parent_problems(params)
            + pattern_problems('patterns', params['patterns']))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            profile=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            waf_policy=dict(type='str'),
            domains=dict(type='list', elements='str'),
            patterns=dict(type='list', elements='str', default=['/*']),
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=1200,
    )
    module.fail_on(validate(module.params))
    module.exit(**reconcile_with_id(module, SecurityPolicy(module)))


if __name__ == '__main__':
    main()
