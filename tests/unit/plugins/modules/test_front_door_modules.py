# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Front Door modules over SDK-shaped fakes: the REST bodies they write, what they keep, what they refuse early."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

import pytest
from azure.mgmt.cdn import models as cdn_models
from azure.mgmt.frontdoor import models as frontdoor_models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import (
    front_door_origin_group, front_door_profile, front_door_route, front_door_waf_policy)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

RG, PROFILE = 'rg-phonebill-prod', 'afd-phonebill-prod'
PROFILE_ID = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Cdn/profiles/%s' % (SUB, RG, PROFILE)


def served(key, body, previous):  # pylint: disable=unused-argument
    body.setdefault('properties', {}).update(provisioningState='Succeeded', deploymentStatus='Succeeded')
    body.update(name=key[-1])
    return body


class FakeFrontDoor:
    def __init__(self):
        self.profiles = Collection(cdn_models.Profile, served, lro=True)
        self.origin_groups = Collection(cdn_models.AFDOriginGroup, served, lro=True)
        self.origins = Collection(cdn_models.AFDOrigin, served, lro=True)
        self.routes = Collection(cdn_models.Route, served, lro=True)
        self.policies = Collection(frontdoor_models.WebApplicationFirewallPolicy, served, lro=True)

    def clients(self):
        cdn = mock.Mock(
            profiles=Operations(self.profiles, 2, get='get', begin_create='put', begin_delete='delete'),
            afd_origin_groups=Operations(self.origin_groups, 3, get='get', begin_create='put', begin_delete='delete'),
            afd_origins=Operations(self.origins, 4, get='get', begin_create='put', begin_delete='delete',
                                   list_by_origin_group='list'),
            routes=Operations(self.routes, 4, get='get', begin_create='put', begin_delete='delete'))
        frontdoor = mock.Mock(policies=Operations(self.policies, 2, get='get', begin_create_or_update='put',
                                                  begin_delete='delete'))
        return dict(cdn=cdn, frontdoor=frontdoor)

    def writes(self):
        return [w for c in (self.profiles, self.origin_groups, self.origins, self.routes, self.policies) for w in c.writes]


@pytest.fixture
def azure():
    fake = FakeFrontDoor()
    with mock.patch.object(AzureModule, 'client', client_factory(fake.clients())):
        yield fake


def run(module, args, check_mode=False):
    return run_module(module.main, dict(AUTH, **args), check_mode=check_mode, diff=True)


def test_profile_body_is_global_and_sku_cannot_change(azure):
    args = dict(name=PROFILE, resource_group=RG, sku='Premium_AzureFrontDoor', origin_response_timeout_seconds=60)
    created = run(front_door_profile, args)
    (_verb, _key, body), = azure.writes()
    assert body == {'location': 'global', 'sku': {'name': 'Premium_AzureFrontDoor'},
                    'properties': {'originResponseTimeoutSeconds': 60}}
    assert created['changed'] is True
    refused = run(front_door_profile, dict(args, sku='Standard_AzureFrontDoor'))
    assert refused['failed'] and refused['msg'].startswith("sku.name: Front Door profile afd-phonebill-prod has "
                                                           "'Premium_AzureFrontDoor' and it cannot change")
    assert len(azure.writes()) == 1


def test_route_update_keeps_what_others_set(azure):
    route_id = PROFILE_ID + '/afdEndpoints/phonebill-prod/routes/api'
    azure.routes.seed((RG, PROFILE, 'phonebill-prod', 'api'), {
        'id': route_id, 'name': 'api', 'properties': {
            'originGroup': {'id': PROFILE_ID.lower() + '/origingroups/og-agw'}, 'patternsToMatch': ['/api/*'],
            'supportedProtocols': ['Https', 'Http'], 'forwardingProtocol': 'MatchRequest', 'httpsRedirect': 'Enabled',
            'linkToDefaultDomain': 'Enabled', 'endpointName': 'phonebill-prod', 'deploymentStatus': 'Succeeded',
            'cacheConfiguration': {'queryStringCachingBehavior': 'IgnoreQueryString'},
            'ruleSets': [{'id': PROFILE_ID + '/ruleSets/headers'}], 'provisioningState': 'Succeeded'}})
    azure.origin_groups.seed((RG, PROFILE, 'og-agw'), {'id': PROFILE_ID + '/originGroups/og-agw', 'name': 'og-agw'})
    result = run(front_door_route, dict(name='api', endpoint='phonebill-prod', profile=PROFILE, resource_group=RG,
                                        origin_group='og-agw', patterns=['/api/*'], supported_protocols=['Http', 'Https'],
                                        forwarding_protocol='HttpsOnly', https_redirect=True))
    assert result['differences'] == [{'path': 'properties.forwardingProtocol', 'before': 'MatchRequest',
                                      'after': 'HttpsOnly'}]
    (_verb, _key, body), = azure.writes()
    assert body['properties']['cacheConfiguration'] == {'queryStringCachingBehavior': 'IgnoreQueryString'}
    assert body['properties']['ruleSets'] == [{'id': PROFILE_ID + '/ruleSets/headers'}]
    assert 'endpointName' not in body['properties'] and 'deploymentStatus' not in body['properties']


def test_origins_are_a_set_by_name(azure):
    group = (RG, PROFILE, 'og-agw')
    azure.origin_groups.seed(group, {'id': PROFILE_ID + '/originGroups/og-agw', 'name': 'og-agw', 'properties': {}})
    for name, host in (('legacy', 'old.example.net'), ('agw', 'phonebill-prod.koreacentral.cloudapp.azure.com')):
        azure.origins.seed(group + (name,), {'id': PROFILE_ID + '/originGroups/og-agw/origins/' + name, 'name': name,
                                             'properties': {'hostName': host, 'weight': 50, 'originGroupName': 'og-agw'}})
    args = dict(name='og-agw', profile=PROFILE, resource_group=RG,
                origins=[dict(name='AGW', host_name='phonebill-prod.koreacentral.cloudapp.azure.com', weight=1000)])
    result = run(front_door_origin_group, args)
    assert result['differences'] == [{'path': 'origins[AGW].properties.weight', 'before': 50, 'after': 1000}]
    assert result['unmanaged_origins'] == ['legacy']
    (_verb, key, body), = azure.writes()
    assert key == (RG, PROFILE, 'og-agw', 'AGW') and 'originGroupName' not in body['properties']


def test_waf_rules_compared_by_name_and_extras_kept(azure):
    rate = dict(name='RateLimitPerClientIp', priority=100, rule_type='RateLimitRule', action='Block',
                rate_limit_threshold=100, rate_limit_duration_minutes=1, group_by=['SocketAddr'],
                match_conditions=[dict(match_variable='RemoteAddr', operator='IPMatch', match_value=['0.0.0.0/0'])])
    azure.policies.seed((RG, 'wafafd'), {
        'id': 'x', 'name': 'wafafd', 'location': 'Global', 'sku': {'name': 'Premium_AzureFrontDoor'},
        'properties': {'policySettings': {'mode': 'Prevention'}, 'customRules': {'rules': [
            {'name': 'AllowOffice', 'priority': 10, 'ruleType': 'MatchRule', 'action': 'Allow', 'matchConditions': [
                {'matchVariable': 'RemoteAddr', 'operator': 'IPMatch', 'matchValue': ['203.0.113.0/24']}]},
            {'name': 'RateLimitPerClientIp', 'priority': 100, 'ruleType': 'RateLimitRule', 'action': 'Block',
             'rateLimitThreshold': 1000, 'rateLimitDurationInMinutes': 1, 'groupBy': [{'variableName': 'SocketAddr'}],
             'matchConditions': [{'matchVariable': 'RemoteAddr', 'operator': 'IPMatch', 'matchValue': ['0.0.0.0/0']}]}]},
            'securityPolicyLinks': [{'id': PROFILE_ID + '/securityPolicies/sp'}]}})
    result = run(front_door_waf_policy, dict(name='wafafd', resource_group=RG, mode='Prevention', custom_rules=[rate]))
    assert result['differences'] == [{'path': 'properties.customRules.rules[RateLimitPerClientIp].rateLimitThreshold',
                                      'before': 1000, 'after': 100}]
    (_verb, _key, body), = azure.writes()
    assert [r['name'] for r in body['properties']['customRules']['rules']] == ['AllowOffice', 'RateLimitPerClientIp']
    assert 'securityPolicyLinks' not in body['properties'] and body['location'] == 'Global'


@pytest.mark.parametrize('module, args, message', [
    (front_door_profile, dict(name='afd_prod', resource_group=RG), "name: 'afd_prod' is not a valid front door profile"),
    (front_door_origin_group, dict(name='og', profile=PROFILE, resource_group=RG,
                                   health_probe=dict(interval_seconds=0)), 'health_probe.interval_seconds: 0 is out of range'),
    (front_door_route, dict(name='api', endpoint='e', profile=PROFILE, resource_group=RG, patterns=['api/*']),
     "patterns: 'api/*' does not start with /"),
    (front_door_waf_policy, dict(name='waf-prod', resource_group=RG), "name: 'waf-prod' is not a valid front door waf"),
])
def test_bad_input_fails_before_any_call(module, args, message):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client before validation')):
        result = run(module, args)
    assert result['failed'] and message in result['msg'], result['msg']
