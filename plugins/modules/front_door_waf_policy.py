#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: front_door_waf_policy
short_description: Create, update or delete an Azure Front Door WAF policy
version_added: 0.1.0
description:
  - Ensures a Front Door web application firewall policy
    (C(Microsoft.Network/FrontDoorWebApplicationFirewallPolicies)) exists with the stated mode, managed rule sets and
    custom rules, or is absent. M(phonebill.platform.front_door_security_policy) attaches it to an endpoint.
  - Custom rules are a set keyed by name and managed rule sets a set keyed by type, never compared by position. Rules
    and rule sets found in Azure but not stated are kept, unless O(purge_custom_rules) or O(purge_managed_rule_sets).
  - The policy's SKU must be the SKU of the profile it protects; Microsoft-managed rule sets
    (C(Microsoft_DefaultRuleSet), C(Microsoft_BotManagerRuleSet)) need C(Premium_AzureFrontDoor).
options:
  name:
    description: Policy name (1-128 letters and digits, starting with a letter; Azure allows no C(-) here).
    type: str
    required: true
  resource_group:
    description: Resource group of the policy.
    type: str
    required: true
  sku:
    description: SKU of the policy, the SKU of the Front Door profile it protects. Required to create.
    type: str
    choices: [Standard_AzureFrontDoor, Premium_AzureFrontDoor]
  mode:
    description: C(Prevention) blocks matching requests, C(Detection) only logs them.
    type: str
    choices: [Prevention, Detection]
  enabled:
    description: Whether the policy is enforced.
    type: bool
  request_body_check:
    description: Whether request bodies are inspected.
    type: bool
  custom_block_response_status_code:
    description: HTTP status of a blocked request (Azure answers 403 when not stated).
    type: int
  managed_rule_sets:
    description: Managed rule sets, a set keyed by O(managed_rule_sets[].type).
    type: list
    elements: dict
    suboptions:
      type:
        description: Rule set type (C(Microsoft_DefaultRuleSet), C(Microsoft_BotManagerRuleSet)).
        type: str
        required: true
      version:
        description: Rule set version (C(2.1), C(1.0)).
        type: str
        required: true
      action:
        description: What a match of the set does (C(Block) for the default rule set 2.x in Prevention mode).
        type: str
        choices: [Allow, Block, Log, Redirect, AnomalyScoring, JSChallenge, CAPTCHA]
  purge_managed_rule_sets:
    description: Remove managed rule sets that are not in O(managed_rule_sets).
    type: bool
    default: false
  custom_rules:
    description: Custom rules, a set keyed by O(custom_rules[].name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Rule name (letters and digits, starting with a letter).
        type: str
        required: true
      priority:
        description: Lower priorities are evaluated first; unique in the policy.
        type: int
        required: true
      rule_type:
        description: C(RateLimitRule) counts requests per client over O(custom_rules[].rate_limit_duration_minutes).
        type: str
        required: true
        choices: [MatchRule, RateLimitRule]
      action:
        description: What a match does.
        type: str
        required: true
        choices: [Allow, Block, Log, Redirect, AnomalyScoring, JSChallenge, CAPTCHA]
      enabled:
        description: Whether the rule is evaluated.
        type: bool
      rate_limit_threshold:
        description: Requests a client may send per window (rate-limit rules).
        type: int
      rate_limit_duration_minutes:
        description: Length of the rate-limit window (1 or 5 minutes).
        type: int
      group_by:
        description: What a rate limit counts per (C(SocketAddr) is the client IP address).
        type: list
        elements: str
        choices: [SocketAddr, GeoLocation, None]
      match_conditions:
        description: Conditions that all must match.
        type: list
        elements: dict
        required: true
        suboptions:
          match_variable:
            description: What is inspected (C(RemoteAddr), C(SocketAddr), C(RequestUri), C(RequestHeader), ...).
            type: str
            required: true
          operator:
            description: How it is compared (C(IPMatch), C(GeoMatch), C(Contains), C(Any), ...).
            type: str
            required: true
          match_value:
            description: Values compared against; compared as a set.
            type: list
            elements: str
            required: true
          selector:
            description: Header, cookie or argument name, for the variables that have one.
            type: str
          negate:
            description: Match when the condition does not hold.
            type: bool
          transforms:
            description: Transforms applied before matching (C(Lowercase), C(UrlDecode), ...).
            type: list
            elements: str
  purge_custom_rules:
    description: Remove custom rules that are not in O(custom_rules).
    type: bool
    default: false
  tags:
    description: Tags of the policy. Values are strings.
  purge_tags:
    description: Remove tags that are not in O(tags).
  state:
    description: Whether the policy should exist. Azure refuses to delete a policy a security policy still attaches.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 1200 seconds.
requirements:
  - azure-mgmt-frontdoor >= 2, < 3
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Front Door WAF of the phonebill API (SPEC section 3)
  phonebill.platform.front_door_waf_policy:
    name: wafafdphonebillprod
    resource_group: rg-phonebill-prod
    sku: Premium_AzureFrontDoor
    mode: Prevention
    managed_rule_sets:
      - {type: Microsoft_DefaultRuleSet, version: "2.1", action: Block}
      - {type: Microsoft_BotManagerRuleSet, version: "1.0", action: Block}
    custom_rules:
      - name: RateLimitPerClientIp
        priority: 100
        rule_type: RateLimitRule
        action: Block
        rate_limit_threshold: 100
        rate_limit_duration_minutes: 1
        group_by: [SocketAddr]
        match_conditions:
          - {match_variable: RemoteAddr, operator: IPMatch, match_value: ["0.0.0.0/0", "::/0"]}
'''

RETURN = r'''
resource:
  description: The policy as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../providers/Microsoft.Network/FrontDoorWebApplicationFirewallPolicies/wafafdphonebillprod
    location: Global
    sku: {name: Premium_AzureFrontDoor}
    properties:
      policySettings: {enabledState: Enabled, mode: Prevention}
      managedRules: {managedRuleSets: [{ruleSetType: Microsoft_DefaultRuleSet, ruleSetVersion: "2.1", ruleSetAction: Block}]}
      securityPolicyLinks: [{id: /subscriptions/.../profiles/afd-phonebill-prod/securityPolicies/sp-phonebill-prod-waf}]
id:
  description: Resource id of the policy (empty in check mode before it exists).
  returned: when O(state=present)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.customRules.rules[RateLimitPerClientIp].rateLimitThreshold", before: 1000, after: 100}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.front_door import (
    GROUP_BY, RULE_TYPES, SKUS, WAF_ACTIONS, WAF_MODES, enabled, reconcile_with_id, waf_policy_problems)
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems

RULES = 'properties.customRules.rules'
RULE_SETS = 'properties.managedRules.managedRuleSets'


class WafPolicy(ArmResource):
    kind, service, operations = 'Front Door WAF policy', 'frontdoor', 'policies'
    readonly = ArmResource.readonly + ('properties.resourceState', 'properties.frontendEndpointLinks',
                                       'properties.securityPolicyLinks', 'properties.routingRuleLinks')
    immutable = ('sku.name',)
    required_to_create = ('sku',)

    @property
    def rules(self):
        return {'sku.name': compare.IGNORE_CASE,
                'properties.policySettings.mode': compare.IGNORE_CASE,
                RULES: compare.NamedSet(purge=self.params['purge_custom_rules']),
                RULES + '[].matchConditions[].matchValue': compare.Set(compare.IGNORE_CASE),
                RULE_SETS: compare.NamedSet(key='ruleSetType', purge=self.params['purge_managed_rule_sets'])}

    def desired(self):
        params = self.params
        rule_sets = None if params['managed_rule_sets'] is None else [
            {'ruleSetType': item['type'], 'ruleSetVersion': item['version'], 'ruleSetAction': item['action']}
            for item in params['managed_rule_sets']]
        custom = None if params['custom_rules'] is None else [custom_rule(rule) for rule in params['custom_rules']]
        # Front Door WAF policies are global: the location is Azure's, stated only to create one.
        location = 'Global' if self.current is None else None
        return {'location': location, 'tags': params['tags'], 'sku': {'name': params['sku']}, 'properties': {
            'policySettings': {'enabledState': enabled(params['enabled']), 'mode': params['mode'],
                               'requestBodyCheck': enabled(params['request_body_check']),
                               'customBlockResponseStatusCode': params['custom_block_response_status_code']},
            'managedRules': {'managedRuleSets': rule_sets}, 'customRules': {'rules': custom}}}


def custom_rule(rule):
    """A custom rule in the REST form."""
    return {'name': rule['name'], 'priority': rule['priority'], 'ruleType': rule['rule_type'], 'action': rule['action'],
            'enabledState': enabled(rule['enabled']), 'rateLimitThreshold': rule['rate_limit_threshold'],
            'rateLimitDurationInMinutes': rule['rate_limit_duration_minutes'],
            'groupBy': None if rule['group_by'] is None else [{'variableName': v} for v in rule['group_by']],
            'matchConditions': [{'matchVariable': c['match_variable'], 'operator': c['operator'],
                                 'matchValue': c['match_value'], 'selector': c['selector'],
                                 'negateCondition': c['negate'], 'transforms': c['transforms']}
                                for c in rule['match_conditions']]}


def validate(params):
    """Input problems that need no call to Azure (the checks preflight makes on phonebill_front_door.waf_policy)."""
    return (waf_policy_problems('', params) + name_problems('resource_group', params['resource_group'], 'resource_group')
            + tag_problems('tags', params['tags']))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            sku=dict(type='str', choices=list(SKUS)),
            mode=dict(type='str', choices=list(WAF_MODES)),
            enabled=dict(type='bool'),
            request_body_check=dict(type='bool'),
            custom_block_response_status_code=dict(type='int'),
            managed_rule_sets=dict(type='list', elements='dict', options=dict(
                type=dict(type='str', required=True),
                version=dict(type='str', required=True),
                action=dict(type='str', choices=list(WAF_ACTIONS)),
            )),
            purge_managed_rule_sets=dict(type='bool', default=False),
            custom_rules=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                priority=dict(type='int', required=True),
                rule_type=dict(type='str', required=True, choices=list(RULE_TYPES)),
                action=dict(type='str', required=True, choices=list(WAF_ACTIONS)),
                enabled=dict(type='bool'),
                rate_limit_threshold=dict(type='int'),
                rate_limit_duration_minutes=dict(type='int'),
                group_by=dict(type='list', elements='str', choices=list(GROUP_BY)),
                match_conditions=dict(type='list', elements='dict', required=True, options=dict(
                    match_variable=dict(type='str', required=True),
                    operator=dict(type='str', required=True),
                    match_value=dict(type='list', elements='str', required=True),
                    selector=dict(type='str'),
                    negate=dict(type='bool'),
                    transforms=dict(type='list', elements='str'),
                )),
            )),
            purge_custom_rules=dict(type='bool', default=False),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=1200,
    )
    module.fail_on(validate(module.params))
    module.exit(**reconcile_with_id(module, WafPolicy(module)))


if __name__ == '__main__':
    main()
