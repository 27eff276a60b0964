#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: waf_policy
short_description: Create, update or delete an Application Gateway WAF policy
version_added: 0.1.0
description:
  - Ensures a Web Application Firewall policy of Application Gateway
    (C(Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies)) exists with the stated policy settings,
    managed rule sets, exclusions and custom rules, or is absent. A gateway uses it through its C(firewall_policy)
    (M(phonebill.platform.application_gateway)), which needs the WAF_v2 SKU.
  - Custom rules are a set keyed by name; managed rule sets a set keyed by type. Items found in Azure but not stated
    are kept and listed in RV(unmanaged_custom_rules) and RV(unmanaged_rule_sets), unless O(purge=true).
  - The geo-block rule (O(geo_blocking)) blocks a list of countries that may be empty. Azure requires at least one
    value in every match condition, so while the list is empty the rule is left out of the policy, and removed
    from Azure if it exists (also without O(purge)); it comes back when a country is listed.
options:
  name:
    description: Name of the policy.
    type: str
    required: true
  resource_group:
    description: Resource group of the policy.
    type: str
    required: true
  location:
    description: Azure region, in either form (V(Korea Central) or V(koreacentral)). Required to create.
    type: str
  policy_settings:
    description: How the policy inspects requests.
    type: dict
    suboptions:
      mode:
        description: V(Prevention) blocks what the rules match; V(Detection) only logs it.
        type: str
        choices: [Prevention, Detection]
      state:
        description: V(Enabled) or V(Disabled).
        type: str
        choices: [Enabled, Disabled]
      request_body_check:
        description: Inspect request bodies.
        type: bool
      max_request_body_size_kb:
        description: Largest body inspected (8-2000 KB).
        type: int
      file_upload_limit_mb:
        description: Largest file upload accepted (1-4000 MB).
        type: int
  managed_rule_sets:
    description: Managed rule sets, a set keyed by type (OWASP, Microsoft_BotManagerRuleSet, ...).
    type: list
    elements: dict
    suboptions:
      type:
        description: Rule set type, e.g. V(OWASP), V(Microsoft_BotManagerRuleSet).
        type: str
        required: true
      version:
        description: Rule set version, e.g. V(3.2), V(1.0).
        type: str
        required: true
  exclusions:
    description: Request parts the managed rules do not inspect, in order.
    type: list
    elements: dict
    suboptions:
      match_variable:
        description: E.g. V(RequestHeaderNames), V(RequestArgNames), V(RequestCookieNames).
        type: str
        required: true
      selector_match_operator:
        description: V(Equals), V(StartsWith), V(EndsWith), V(Contains) or V(EqualsAny).
        type: str
        required: true
      selector:
        description: The name matched.
        type: str
        required: true
  custom_rules:
    description: Custom rules, a set keyed by name, evaluated by priority before the managed rules.
    type: list
    elements: dict
    suboptions:
      name:
        description: Rule name, up to 128 letters and digits.
        type: str
        required: true
      priority:
        description: 1 (first) to 100, unique among the rules.
        type: int
        required: true
      rule_type:
        description: V(MatchRule), or V(RateLimitRule) (counts requests per O(custom_rules[].group_by)).
        type: str
        required: true
      action:
        description: V(Block), V(Allow), V(Log) or V(JSChallenge).
        type: str
        required: true
      state:
        description: V(Enabled) or V(Disabled).
        type: str
      rate_limit_duration:
        description: V(OneMin) or V(FiveMins), for a V(RateLimitRule).
        type: str
      rate_limit_threshold:
        description: Requests allowed per duration, for a V(RateLimitRule).
        type: int
      group_by:
        description: What requests are counted per, for a V(RateLimitRule) (V(ClientAddr), V(GeoLocation), V(None)).
        type: list
        elements: str
      match_conditions:
        description: Conditions, all of which must match.
        type: list
        elements: dict
        required: true
        suboptions:
          match_variables:
            description: What is inspected.
            type: list
            elements: dict
            required: true
            suboptions:
              variable_name:
                description: E.g. V(RemoteAddr), V(RequestUri), V(RequestHeaders).
                type: str
                required: true
              selector:
                description: Header, cookie or argument name, for the variables that have one.
                type: str
          operator:
            description: E.g. V(IPMatch), V(GeoMatch), V(Contains), V(Any).
            type: str
            required: true
          negation:
            description: Match when the condition does not hold.
            type: bool
          match_values:
            description: Values matched (a set); at least one unless O(custom_rules[].match_conditions[].operator=Any).
            type: list
            elements: str
          transforms:
            description: Transformations applied before matching (V(Lowercase), V(UrlDecode), ...).
            type: list
            elements: str
  geo_blocking:
    description:
      - A rule blocking requests from a list of countries (C(RemoteAddr) C(GeoMatch)); the list may be empty.
      - While O(geo_blocking.countries) is empty the rule is not in the policy (Azure refuses a condition without
        values); a rule of that name in Azure is then removed.
    type: dict
    suboptions:
      name:
        description: Rule name.
        type: str
        required: true
      priority:
        description: Rule priority, 1 to 100, unique among the rules.
        type: int
        required: true
      countries:
        description: Two-letter country codes (ISO 3166-1).
        type: list
        elements: str
        default: []
      action:
        description: Action on a match.
        type: str
        default: Block
  purge:
    description: Delete custom rules and managed rule sets that exist in Azure but are not stated.
    type: bool
    default: false
  state:
    description: Whether the policy should exist. Azure refuses to delete a policy a gateway still uses.
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
- name: OWASP 3.2 in Prevention mode, bot protection, rate limit per client
  phonebill.platform.waf_policy:
    name: waf-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    policy_settings: {mode: Prevention, state: Enabled, request_body_check: true}
    managed_rule_sets:
      - {type: OWASP, version: "3.2"}
      - {type: Microsoft_BotManagerRuleSet, version: "1.0"}
    custom_rules:
      - name: RateLimiting
        priority: 10
        rule_type: RateLimitRule
        action: Block
        rate_limit_duration: OneMin
        rate_limit_threshold: 100
        group_by: [ClientAddr]
        match_conditions:
          - {match_variables: [{variable_name: RemoteAddr}], operator: IPMatch, negation: true,
             match_values: [10.0.0.0/16]}
    geo_blocking: {name: GeoBlocking, priority: 20, countries: []}
'''

RETURN = r'''
resource:
  description: The policy as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-phonebill-prod
    name: waf-phonebill-prod
    properties:
      policySettings: {mode: Prevention, state: Enabled, requestBodyCheck: true}
      managedRules:
        managedRuleSets: [{ruleSetType: OWASP, ruleSetVersion: "3.2"}]
unmanaged_custom_rules:
  description: Custom rules that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
unmanaged_rule_sets:
  description: Managed rule set types that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.customRules[RateLimiting].rateLimitThreshold", before: 200, after: 100}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and a deletion was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, gateway_checks
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import canonical, name_problems, same

CUSTOM = 'properties.customRules'
RULE_SETS = 'properties.managedRules.managedRuleSets'


class WafPolicy(ArmResource):
    kind, service, operations = 'WAF policy', 'network', 'web_application_firewall_policies'
    create_method = 'create_or_update'
    readonly = ArmResource.readonly + ('properties.resourceState', 'properties.applicationGateways',
                                       'properties.httpListeners', 'properties.pathBasedRules')
    immutable = ('location',)
    required_to_create = ('location', 'managed_rule_sets')

    @property
    def rules(self):
        purge = self.params['purge']
        geo = self.params['geo_blocking']
        absent = [geo['name']] if geo and not gateway_checks.geo_block_rule(geo) else []
        condition = CUSTOM + '[].matchConditions[].'
        return {
            CUSTOM: compare.NamedSet(purge=purge, absent=absent),
            CUSTOM + '[].ruleType': compare.IGNORE_CASE,
            CUSTOM + '[].action': compare.IGNORE_CASE,
            CUSTOM + '[].state': compare.IGNORE_CASE,
            condition + 'operator': compare.IGNORE_CASE,
            condition + 'matchValues': compare.Set(),
            condition + 'transforms': compare.Set(),
            RULE_SETS: compare.NamedSet(key='ruleSetType', purge=purge),
            'properties.policySettings.mode': compare.IGNORE_CASE,
            'properties.policySettings.state': compare.IGNORE_CASE,
        }

    def custom_rules(self):
        rules = list(self.params['custom_rules'] or [])
        geo = gateway_checks.geo_block_rule(self.params['geo_blocking'])
        if geo:
            rules.append(dict(geo, rate_limit_duration=None, rate_limit_threshold=None, group_by=None,
                              match_conditions=[dict(c, negation=None, transforms=None) for c in geo['match_conditions']]))
        if self.params['custom_rules'] is None and self.params['geo_blocking'] is None:
            return None
        return [custom_rule_body(rule) for rule in rules]

    def desired(self):
        params = self.params
        settings = params['policy_settings'] or {}
        rule_sets = params['managed_rule_sets']
        exclusions = params['exclusions']
        return {
            'location': params['location'],
            'tags': params['tags'],
            'properties': {
                'policySettings': {
                    'mode': settings.get('mode'), 'state': settings.get('state'),
                    'requestBodyCheck': settings.get('request_body_check'),
                    'maxRequestBodySizeInKb': settings.get('max_request_body_size_kb'),
                    'fileUploadLimitInMb': settings.get('file_upload_limit_mb'),
                },
                'managedRules': {
                    'managedRuleSets': None if rule_sets is None else [
                        {'ruleSetType': r['type'], 'ruleSetVersion': r['version']} for r in rule_sets],
                    'exclusions': None if exclusions is None else [
                        {'matchVariable': e['match_variable'], 'selectorMatchOperator': e['selector_match_operator'],
                         'selector': e['selector']} for e in exclusions],
                },
                'customRules': self.custom_rules(),
            },
        }

    def unmanaged(self):
        props = (self.current or {}).get('properties') or {}
        stated_rules = [r['name'] for r in self.params['custom_rules'] or []]
        if self.params['geo_blocking']:
            stated_rules.append(self.params['geo_blocking']['name'])
        stated_sets = [r['type'] for r in self.params['managed_rule_sets'] or []]
        rules = [r.get('name') for r in props.get('customRules') or []
                 if not any(same(r.get('name'), name) for name in stated_rules)]
        sets = [r.get('ruleSetType') for r in (props.get('managedRules') or {}).get('managedRuleSets') or []
                if not any(same(r.get('ruleSetType'), kind) for kind in stated_sets)]
        return (rules if self.params['custom_rules'] is not None else [],
                sets if self.params['managed_rule_sets'] is not None else [])


def custom_rule_body(rule):
    """One custom rule in Azure's form (Azure spells the negation field `negationConditon`)."""
    group_by = rule['group_by']
    return {
        'name': rule['name'], 'priority': rule['priority'],
        'ruleType': canonical(rule['rule_type'], gateway_checks.CUSTOM_RULE_TYPES),
        'action': canonical(rule['action'], gateway_checks.WAF_ACTIONS),
        'state': rule['state'] and canonical(rule['state'], gateway_checks.STATES),
        'rateLimitDuration': rule['rate_limit_duration'], 'rateLimitThreshold': rule['rate_limit_threshold'],
        'groupByUserSession': group_by and [{'groupByVariables': [{'variableName': v} for v in group_by]}],
        'matchConditions': [{
            'matchVariables': [{'variableName': v['variable_name'], 'selector': v.get('selector')}
                               for v in condition['match_variables']],
            'operator': condition['operator'], 'negationConditon': condition['negation'],
            'matchValues': condition['match_values'] or [], 'transforms': condition['transforms'],
        } for condition in rule['match_conditions']],
    }


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on phonebill_waf_policy)."""
    return (name_problems('resource_group', params['resource_group'], 'resource_group')
            + gateway_checks.waf_policy_problems('', params))


def main():
    condition = dict(
        match_variables=dict(type='list', elements='dict', required=True, options=dict(
            variable_name=dict(type='str', required=True), selector=dict(type='str'))),
        operator=dict(type='str', required=True),
        negation=dict(type='bool'),
        match_values=dict(type='list', elements='str'),
        transforms=dict(type='list', elements='str'),
    )
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            policy_settings=dict(type='dict', options=dict(
                mode=dict(type='str', choices=list(gateway_checks.WAF_MODES)),
                state=dict(type='str', choices=list(gateway_checks.STATES)),
                request_body_check=dict(type='bool'),
                max_request_body_size_kb=dict(type='int'),
                file_upload_limit_mb=dict(type='int'))),
            managed_rule_sets=dict(type='list', elements='dict', options=dict(
                type=dict(type='str', required=True), version=dict(type='str', required=True))),
            exclusions=dict(type='list', elements='dict', options=dict(
                match_variable=dict(type='str', required=True), selector_match_operator=dict(type='str', required=True),
                selector=dict(type='str', required=True))),
            custom_rules=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True), priority=dict(type='int', required=True),
                rule_type=dict(type='str', required=True), action=dict(type='str', required=True),
                state=dict(type='str'), rate_limit_duration=dict(type='str'), rate_limit_threshold=dict(type='int'),
                group_by=dict(type='list', elements='str'),
                match_conditions=dict(type='list', elements='dict', required=True, options=condition))),
            geo_blocking=dict(type='dict', options=dict(
                name=dict(type='str', required=True), priority=dict(type='int', required=True),
                countries=dict(type='list', elements='str', default=[]), action=dict(type='str', default='Block'))),
            purge=dict(type='bool', default=False),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=600,
    )
    module.fail_on(validate(module.params))
    policy = WafPolicy(module)
    result = reconcile(module, policy)
    if module.params['state'] == 'present':
        rules, sets = ([], []) if module.params['purge'] else policy.unmanaged()
        result.update(unmanaged_custom_rules=rules, unmanaged_rule_sets=sets)
    module.exit(**result)


if __name__ == '__main__':
    main()
