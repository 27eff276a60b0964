# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Front Door checks modules and preflight share: each names the option and the fix."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import front_door
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import production_plan

PREFIX = 'phonebill_front_door.'


def plan():
    return copy.deepcopy(production_plan()['phonebill_front_door'])


def test_production_front_door_is_sound():
    assert front_door.front_door_problems(PREFIX, plan()) == []


def test_production_waf_policy_is_premium_with_the_spec_rules():
    policy = plan()['waf_policy']
    assert policy['mode'] == 'Prevention' and policy['sku'] == plan()['profile']['sku'] == 'Premium_AzureFrontDoor'
    assert sorted((s['type'], s['version']) for s in policy['managed_rule_sets']) == [
        ('Microsoft_BotManagerRuleSet', '1.0'), ('Microsoft_DefaultRuleSet', '2.1')]
    rate, = [r for r in policy['custom_rules'] if r['rule_type'] == 'RateLimitRule']
    assert (rate['rate_limit_threshold'], rate['rate_limit_duration_minutes'], rate['group_by']) == (100, 1, ['SocketAddr'])


@pytest.mark.parametrize('change, option', [
    (lambda p: p['profile'].update(sku='Standard_AzureFrontDoor'), PREFIX + 'waf_policy.sku'),
    (lambda p: p['waf_policy'].update(sku='Standard_AzureFrontDoor'),
     PREFIX + 'waf_policy.managed_rule_sets[Microsoft_DefaultRuleSet].type'),
    (lambda p: p['origin_groups'][0]['health_probe'].update(interval_seconds=300),
     PREFIX + 'origin_groups[og-agw-phonebill-prod].health_probe.interval_seconds'),
    (lambda p: p['origin_groups'][0]['health_probe'].update(path='api/health'),
     PREFIX + 'origin_groups[og-agw-phonebill-prod].health_probe.path'),
    (lambda p: p['origin_groups'][0]['origins'][0].update(weight=0),
     PREFIX + 'origin_groups[og-agw-phonebill-prod].origins[agw-phonebill-prod].weight'),
    (lambda p: p['origin_groups'][0]['origins'][0].update(priority=6),
     PREFIX + 'origin_groups[og-agw-phonebill-prod].origins[agw-phonebill-prod].priority'),
    (lambda p: p['routes'][0].update(patterns=['api/*']), PREFIX + 'routes[api].patterns'),
    (lambda p: p['routes'][0].update(patterns=['/*/api']), PREFIX + 'routes[api].patterns'),
    (lambda p: p['routes'][0].update(origin_group='og-missing'), PREFIX + 'routes[api].origin_group'),
    (lambda p: p['routes'][0].update(supported_protocols=['Https']), PREFIX + 'routes[api].https_redirect'),
    (lambda p: p['endpoint'].update(name='phonebill_prod'), PREFIX + 'endpoint.name'),
    (lambda p: p['endpoint'].update(name='x' * 47), PREFIX + 'endpoint.name'),
    (lambda p: p['waf_policy'].update(name='waf-phonebill-prod'), PREFIX + 'waf_policy.name'),
    (lambda p: p['profile'].update(origin_response_timeout_seconds=10),
     PREFIX + 'profile.origin_response_timeout_seconds'),
    (lambda p: p['waf_policy']['custom_rules'][0].update(rate_limit_duration_minutes=10),
     PREFIX + 'waf_policy.custom_rules[RateLimitPerClientIp].rate_limit_duration_minutes'),
    (lambda p: p['routes'].append(dict(p['routes'][0], name='api2')), PREFIX + 'routes[api2].patterns'),
])
def test_bad_front_door_names_the_option(change, option):
    bad = plan()
    change(bad)
    problems = front_door.front_door_problems(PREFIX, bad)
    assert any(p.startswith(option + ':') for p in problems), problems


def test_every_problem_at_once_and_wrong_types_are_one_problem_each():
    bad = plan()
    bad['routes'] = {'api': bad['routes'][0]}
    bad['origin_groups'][0]['health_probe'] = 'HEAD /'
    bad['waf_policy']['sku'] = 'Basic'
    problems = front_door.front_door_problems(PREFIX, bad)
    assert [p.split(' ')[0].rstrip(':') for p in problems] == [
        PREFIX + 'origin_groups[og-agw-phonebill-prod].health_probe', PREFIX + 'routes', PREFIX + 'waf_policy.sku',
        PREFIX + 'waf_policy.sku']


def test_module_route_checks_need_no_group_list():
    """A module does not know the plan's groups: only preflight names an unknown one."""
    route = dict(name='api', patterns=['/api/*'], origin_group='anything')
    assert front_door.route_problems('', route) == []
    assert front_door.route_problems('', route, ['og-agw'])[0].startswith('origin_group: anything is not one of')


def test_child_ids_by_name_or_as_given():
    module = type('M', (), {'subscription_id': 'sub'})()
    assert front_door.child_id(module, 'rg', 'afd', 'originGroups', 'og') == (
        '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Cdn/profiles/afd/originGroups/og')
    assert front_door.child_id(module, 'rg', 'afd', 'originGroups', '/x/y') == '/x/y'
    assert front_door.waf_policy_id(module, 'rg', 'waf').endswith('/FrontDoorWebApplicationFirewallPolicies/waf')
