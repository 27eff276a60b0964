# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Front Door Standard/Premium (profile, endpoint, origin group, route, WAF policy, security policy) against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

RG = 'rg-phonebill-it'
PROFILE = dict(name='afd-phonebill-it', resource_group=RG, sku='Premium_AzureFrontDoor',
               origin_response_timeout_seconds=60, tags={'service': 'phonebill'})
ENDPOINT = dict(name='phonebill-it', profile='afd-phonebill-it', resource_group=RG, enabled=True,
                tags={'service': 'phonebill'})
GATEWAY = 'phonebill-it.koreacentral.cloudapp.azure.com'
ORIGIN_GROUP = dict(name='og-agw', profile='afd-phonebill-it', resource_group=RG,
                    health_probe=dict(path='/api/health', protocol='Https', interval_seconds=30, request_type='HEAD'),
                    load_balancing=dict(sample_size=4, successful_samples_required=3, additional_latency_ms=50),
                    origins=[dict(name='agw', host_name=GATEWAY, origin_host_header=GATEWAY, priority=1, weight=1000)])
ROUTE = dict(name='api', endpoint='phonebill-it', profile='afd-phonebill-it', resource_group=RG, origin_group='og-agw',
             patterns=['/api/*'], supported_protocols=['Http', 'Https'], forwarding_protocol='HttpsOnly',
             https_redirect=True, link_to_default_domain=True)
RATE_LIMIT = dict(name='RateLimitPerClientIp', priority=100, rule_type='RateLimitRule', action='Block',
                  rate_limit_threshold=100, rate_limit_duration_minutes=1, group_by=['SocketAddr'],
                  match_conditions=[dict(match_variable='RemoteAddr', operator='IPMatch', match_value=['0.0.0.0/0', '::/0'])])
WAF = dict(name='wafafdphonebillit', resource_group=RG, sku='Premium_AzureFrontDoor', mode='Prevention', enabled=True,
           managed_rule_sets=[dict(type='Microsoft_DefaultRuleSet', version='2.1', action='Block'),
                              dict(type='Microsoft_BotManagerRuleSet', version='1.0', action='Block')],
           custom_rules=[RATE_LIMIT], tags={'service': 'phonebill'})
SECURITY_POLICY = dict(name='sp-phonebill-it-waf', profile='afd-phonebill-it', resource_group=RG,
                       waf_policy='wafafdphonebillit', domains=['phonebill-it'], patterns=['/*'])
# In dependency order: each module's own state is created by the one before.
CHAIN = [('front_door_profile', PROFILE), ('front_door_endpoint', ENDPOINT), ('front_door_origin_group', ORIGIN_GROUP),
         ('front_door_route', ROUTE), ('front_door_waf_policy', WAF), ('front_door_security_policy', SECURITY_POLICY)]


def converge(azure, module, args):
    """Check mode predicts without writing, the real run makes what it predicted, the next one writes nothing."""
    writes = azure.writes()
    predicted = azure(module, check_mode=True, **args)
    assert predicted.get('failed') is None, predicted.get('msg')
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure(module, **args)
    assert created.get('failed') is None, created.get('msg')
    assert created['changed'] is True and created['differences'] == predicted['differences']
    writes = azure.writes()
    again = azure(module, **args)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes, again['differences']
    return created


@pytest.fixture
def front_door(azure):
    assert azure('resource_group', name=RG, location='koreacentral')['changed'] is True
    return dict((module, converge(azure, module, args)) for module, args in CHAIN)


def test_whole_front_door_is_created_as_stated(azure, front_door):
    profile = front_door['front_door_profile']
    assert profile['resource']['location'] == 'global' and profile['front_door_id']
    assert profile['resource']['properties']['originResponseTimeoutSeconds'] == 60
    assert front_door['front_door_endpoint']['host_name'].startswith('phonebill-it-')
    assert front_door['front_door_endpoint']['host_name'].endswith('.z01.azurefd.net')
    origin, = front_door['front_door_origin_group']['origins']
    assert origin['properties']['hostName'] == GATEWAY and origin['properties']['originHostHeader'] == GATEWAY
    route = front_door['front_door_route']['resource']['properties']
    assert route['originGroup']['id'].endswith('/originGroups/og-agw') and route['forwardingProtocol'] == 'HttpsOnly'
    waf = front_door['front_door_waf_policy']['resource']
    assert waf['location'].lower() == 'global' and waf['properties']['policySettings']['mode'] == 'Prevention'
    rule, = waf['properties']['customRules']['rules']
    assert (rule['rateLimitThreshold'], rule['rateLimitDurationInMinutes'], rule['groupBy']) == (
        100, 1, [{'variableName': 'SocketAddr'}])
    info = azure('front_door_profile_info', name=PROFILE['name'], resource_group=RG)
    endpoint, = info['endpoints']
    assert [r['name'] for r in endpoint['routes']] == ['api']
    assert [o['name'] for o in info['origin_groups'][0]['origins']] == ['agw']
    policy, = info['security_policies']
    assert policy['properties']['parameters']['wafPolicy']['id'].lower() == waf['id'].lower()
    # The WAF policy lists the security policy that attaches it, as Azure does.
    links = azure('front_door_waf_policy', **WAF)['resource']['properties']['securityPolicyLinks']
    assert [link['id'].lower() for link in links] == [policy['id'].lower()]


def test_profile_and_endpoint_drift_is_reported_and_repaired(azure, sandbox, front_door):
    sandbox.drift(front_door['front_door_profile']['id'], {'properties': {'originResponseTimeoutSeconds': 30}})
    sandbox.drift(front_door['front_door_endpoint']['id'], {'properties': {'enabledState': 'Disabled'}})
    for module, args, path, before, after in (
            ('front_door_profile', PROFILE, 'properties.originResponseTimeoutSeconds', 30, 60),
            ('front_door_endpoint', ENDPOINT, 'properties.enabledState', 'Disabled', 'Enabled')):
        writes = azure.writes()
        predicted = azure(module, check_mode=True, **args)
        assert predicted['differences'] == [dict(path=path, before=before, after=after)] and azure.writes() == writes
        assert azure(module, **args)['differences'] == predicted['differences']
        assert azure(module, **args)['changed'] is False


def test_origin_drift_repaired_and_foreign_origin_kept_until_purged(azure, sandbox, front_door):
    origin = front_door['front_door_origin_group']['origins'][0]
    sandbox.drift(origin['id'], {'properties': {'weight': 50}})
    group_id = front_door['front_door_origin_group']['id']
    sandbox.seed([{'id': group_id + '/origins/legacy', 'name': 'legacy', 'type': 'Microsoft.Cdn/profiles/originGroups/origins',
                   'properties': {'hostName': 'legacy.example.net', 'enabledState': 'Enabled'}}])
    predicted = azure('front_door_origin_group', check_mode=True, **ORIGIN_GROUP)
    assert predicted['differences'] == [dict(path='origins[agw].properties.weight', before=50, after=1000)]
    assert predicted['unmanaged_origins'] == ['legacy']
    assert azure('front_door_origin_group', **ORIGIN_GROUP)['differences'] == predicted['differences']
    purged = azure('front_door_origin_group', purge_origins=True, **ORIGIN_GROUP)
    assert [d['path'] for d in purged['differences']] == ['origins[legacy]']
    again = azure('front_door_origin_group', **ORIGIN_GROUP)
    assert again['changed'] is False and again['unmanaged_origins'] == []


def test_route_drift_is_reported_and_repaired(azure, sandbox, front_door):
    sandbox.drift(front_door['front_door_route']['id'], {'properties': {'forwardingProtocol': 'MatchRequest',
                                                                        'patternsToMatch': ['/api/*', '/old/*']}})
    predicted = azure('front_door_route', check_mode=True, **ROUTE)
    assert sorted(d['path'] for d in predicted['differences']) == ['properties.forwardingProtocol',
                                                                   'properties.patternsToMatch']
    assert azure('front_door_route', **ROUTE)['differences'] == predicted['differences']
    assert azure('front_door_route', **ROUTE)['changed'] is False


def test_waf_rule_drift_repaired_by_name_and_foreign_rule_kept(azure, sandbox, front_door):
    waf = front_door['front_door_waf_policy']['resource']
    rules = waf['properties']['customRules']['rules']
    foreign = dict(name='AllowOffice', priority=10, ruleType='MatchRule', action='Allow', enabledState='Enabled',
                   matchConditions=[dict(matchVariable='RemoteAddr', operator='IPMatch', matchValue=['203.0.113.0/24'])])
    # Azure's order changes and the stated rule's threshold drifts: found by name, never by position.
    sandbox.drift(waf['id'], {'properties': {'customRules': {'rules': [foreign, dict(rules[0], rateLimitThreshold=1000)]}}})
    predicted = azure('front_door_waf_policy', check_mode=True, **WAF)
    assert predicted['differences'] == [dict(path='properties.customRules.rules[RateLimitPerClientIp].rateLimitThreshold',
                                             before=1000, after=100)]
    repaired = azure('front_door_waf_policy', **WAF)
    assert sorted(r['name'] for r in repaired['resource']['properties']['customRules']['rules']) == [
        'AllowOffice', 'RateLimitPerClientIp']
    purged = azure('front_door_waf_policy', purge_custom_rules=True, **WAF)
    assert [d['path'] for d in purged['differences']] == ['properties.customRules.rules[AllowOffice]']
    assert azure('front_door_waf_policy', purge_custom_rules=True, **WAF)['changed'] is False


def test_security_policy_drift_is_reported_and_repaired(azure, sandbox, front_door):
    sp = front_door['front_door_security_policy']['resource']
    association = dict(sp['properties']['parameters']['associations'][0], patternsToMatch=['/api/*'])
    sandbox.drift(sp['id'], {'properties': {'parameters': dict(sp['properties']['parameters'], associations=[association])}})
    predicted = azure('front_door_security_policy', check_mode=True, **SECURITY_POLICY)
    assert [d['path'] for d in predicted['differences']] == ['properties.parameters.associations']
    assert azure('front_door_security_policy', **SECURITY_POLICY)['changed'] is True
    assert azure('front_door_security_policy', **SECURITY_POLICY)['changed'] is False


def test_route_to_unknown_origin_group_refused_before_any_write(azure, front_door):
    writes = azure.writes()
    refused = azure('front_door_route', **dict(ROUTE, name='web', patterns=['/web/*'], origin_group='og-missing'))
    assert refused['failed'] and refused['msg'].startswith('origin_group: Front Door origin group og-missing does not exist')
    assert azure.writes() == writes


def test_waf_policy_of_another_sku_refused_before_any_write(azure, front_door):
    standard = dict(WAF, name='wafstandard', sku='Standard_AzureFrontDoor', managed_rule_sets=None)
    converge(azure, 'front_door_waf_policy', standard)
    writes = azure.writes()
    refused = azure('front_door_security_policy', **dict(SECURITY_POLICY, waf_policy='wafstandard'))
    assert refused['failed'] and 'Standard_AzureFrontDoor' in refused['msg'] and 'Premium_AzureFrontDoor' in refused['msg']
    assert refused['msg'].startswith('waf_policy:') and azure.writes() == writes


def test_premium_rule_sets_on_standard_policy_refused_before_any_call(azure):
    writes = azure.writes()
    refused = azure('front_door_waf_policy', **dict(WAF, sku='Standard_AzureFrontDoor'))
    assert refused['failed'] and 'managed_rule_sets[Microsoft_DefaultRuleSet].type' in refused['msg']
    assert azure.writes() == writes


def test_delete_in_reverse_order(azure, front_door):
    for module, args in reversed(CHAIN):
        gone = dict((k, args[k]) for k in ('name', 'resource_group', 'profile', 'endpoint') if k in args)
        writes = azure.writes()
        assert azure(module, check_mode=True, state='absent', **gone)['changed'] is True and azure.writes() == writes
        deleted = azure(module, state='absent', **gone)
        assert deleted['changed'] is True, deleted.get('msg')
        assert azure(module, state='absent', **gone)['changed'] is False
    assert azure('front_door_profile_info', name=PROFILE['name'], resource_group=RG)['profiles'] == []
