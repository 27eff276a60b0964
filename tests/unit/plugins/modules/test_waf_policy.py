# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""waf_policy: custom rules and rule sets as named sets, the geo-block rule that follows its country list.

The existing policy is shaped as Microsoft's WafPolicyGet example (2024-05-01) returns one: Azure's defaults
filled in (state, transforms, negationConditon, ruleGroupOverrides) and the read-only lists of its users.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.modules import waf_policy
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.network_fakes import (
    PREFIX, RG, FakeClient, run, run_without_azure)

RATE_LIMIT = dict(name='RateLimiting', priority=10, rule_type='RateLimitRule', action='Block',
                  rate_limit_duration='OneMin', rate_limit_threshold=100, group_by=['ClientAddr'],
                  match_conditions=[dict(match_variables=[dict(variable_name='RemoteAddr')], operator='IPMatch',
                                         negation=True, match_values=['10.0.0.0/16'])])
ARGS = dict(name='waf-phonebill-prod', resource_group=RG, location='koreacentral',
            policy_settings=dict(mode='Prevention', state='Enabled', request_body_check=True),
            managed_rule_sets=[dict(type='OWASP', version='3.2'), dict(type='Microsoft_BotManagerRuleSet', version='1.0')],
            custom_rules=[RATE_LIMIT], geo_blocking=dict(name='GeoBlocking', priority=20, countries=[]))


def rate_limit_rule(threshold=100):
    return {'name': 'RateLimiting', 'priority': 10, 'ruleType': 'RateLimitRule', 'action': 'Block', 'state': 'Enabled',
            'rateLimitDuration': 'OneMin', 'rateLimitThreshold': threshold,
            'groupByUserSession': [{'groupByVariables': [{'variableName': 'ClientAddr'}]}],
            'matchConditions': [{'matchVariables': [{'variableName': 'RemoteAddr', 'selector': None}],
                                 'operator': 'IPMatch', 'negationConditon': True, 'matchValues': ['10.0.0.0/16'],
                                 'transforms': []}]}


def geo_rule():
    return {'name': 'GeoBlocking', 'priority': 20, 'ruleType': 'MatchRule', 'action': 'Block', 'state': 'Enabled',
            'matchConditions': [{'matchVariables': [{'variableName': 'RemoteAddr', 'selector': None}],
                                 'operator': 'GeoMatch', 'negationConditon': False, 'matchValues': ['KP'],
                                 'transforms': []}]}


def existing_policy(*rules):
    return {
        'name': 'waf-phonebill-prod', 'id': PREFIX + '/ApplicationGatewayWebApplicationFirewallPolicies/waf-phonebill-prod',
        'type': 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', 'location': 'koreacentral',
        'etag': 'W/"3"', 'properties': {
            'provisioningState': 'Succeeded', 'resourceState': 'Enabled',
            'policySettings': {'state': 'Enabled', 'mode': 'Prevention', 'requestBodyCheck': True,
                               'maxRequestBodySizeInKb': 128, 'fileUploadLimitInMb': 100, 'requestBodyEnforcement': True},
            'managedRules': {'exclusions': [], 'managedRuleSets': [
                {'ruleSetType': 'OWASP', 'ruleSetVersion': '3.2', 'ruleGroupOverrides': []},
                {'ruleSetType': 'Microsoft_BotManagerRuleSet', 'ruleSetVersion': '1.0', 'ruleGroupOverrides': []}]},
            'customRules': list(rules) or [rate_limit_rule()],
            'applicationGateways': [{'id': PREFIX + '/applicationGateways/agw-phonebill-prod'}],
            'httpListeners': [], 'pathBasedRules': []}}


def client_with(policy):
    fake = FakeClient()
    fake.web_application_firewall_policies.add(policy, RG, 'waf-phonebill-prod')
    return fake


def test_policy_as_azure_returns_it_is_unchanged():
    client = client_with(existing_policy())
    result = run(client, waf_policy.main, ARGS)
    assert result.get('failed') is None, result.get('msg')
    assert result['changed'] is False and result['differences'] == [] and client.writes == []
    assert result['unmanaged_custom_rules'] == [] and result['unmanaged_rule_sets'] == []


def test_emptied_country_list_removes_the_geo_rule_and_keeps_a_hand_made_rule():
    hand_made = dict(geo_rule(), name='AllowOffice', priority=5, action='Allow', matchConditions=[])
    client = client_with(existing_policy(rate_limit_rule(500), geo_rule(), hand_made))
    result = run(client, waf_policy.main, ARGS)
    assert sorted((d['path'], d['after']) for d in result['differences']) == [
        ('properties.customRules[GeoBlocking]', None), ('properties.customRules[RateLimiting].rateLimitThreshold', 100)]
    assert result['unmanaged_custom_rules'] == ['AllowOffice']
    (_verb, _kind, _group, _name, body), = client.writes
    assert [r['name'] for r in body['properties']['customRules']] == ['RateLimiting', 'AllowOffice']
    # what Azure keeps about the policy's users is not written back
    assert 'applicationGateways' not in body['properties']


def test_listed_country_adds_the_geo_rule():
    client = client_with(existing_policy())
    result = run(client, waf_policy.main, dict(ARGS, geo_blocking=dict(name='GeoBlocking', priority=20, countries=['KP'])),
                 check_mode=True)
    difference, = result['differences']
    assert difference['path'] == 'properties.customRules[GeoBlocking]' and client.writes == []
    condition, = difference['after']['matchConditions']
    assert condition['operator'] == 'GeoMatch' and condition['matchValues'] == ['KP']
    assert condition['matchVariables'] == [{'variableName': 'RemoteAddr'}]


def test_bot_manager_removed_by_hand_is_found():
    policy = existing_policy()
    del policy['properties']['managedRules']['managedRuleSets'][1]
    result = run(client_with(policy), waf_policy.main, ARGS, check_mode=True)
    assert [d['path'] for d in result['differences']] == ['properties.managedRules.managedRuleSets[Microsoft_BotManagerRuleSet]']


@pytest.mark.parametrize('changes, message', [
    (dict(custom_rules=[dict(RATE_LIMIT, rate_limit_threshold=None)]),
     'custom_rules[RateLimiting].rate_limit_threshold: required by a RateLimitRule'),
    (dict(custom_rules=[dict(RATE_LIMIT, priority=20)]),
     'geo_blocking.priority: 20 is also the priority of custom_rules[RateLimiting]'),
    (dict(custom_rules=[dict(RATE_LIMIT, name='Rate-Limiting')]), "custom_rules[Rate-Limiting].name: 'Rate-Limiting' is not"),
    (dict(geo_blocking=dict(name='GeoBlocking', priority=20, countries=['Korea'], action='Block')),
     "geo_blocking.countries: 'Korea' is not a two-letter country code"),
    (dict(custom_rules=[dict(RATE_LIMIT, match_conditions=[dict(RATE_LIMIT['match_conditions'][0], match_values=[])])]),
     'custom_rules[RateLimiting].match_conditions[0].match_values: Azure requires at least one value'),
    (dict(managed_rule_sets=[]), 'managed_rule_sets: Azure requires at least one managed rule set'),
])
def test_bad_input_fails_before_any_call(changes, message):
    result = run_without_azure(waf_policy.main, dict(ARGS, **changes))
    assert result['failed'] and message in result['msg'], result['msg']
