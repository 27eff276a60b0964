# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""gateway_checks: the subnet arithmetic, the addresses Azure keeps, the geo-block rule, type mix-ups."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import gateway_checks, plan_checks
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import bad_plan, production_plan

GATEWAY = production_plan()['phonebill_gateway']


@pytest.mark.parametrize('prefix, maximum, fits', [
    ('10.0.4.0/24', 125, True),     # 251 usable: the Azure maximum of 125 instances and the private IP fit
    ('10.0.4.0/25', 122, True),     # 123 usable = 122 instances + 1 private frontend
    ('10.0.4.0/25', 123, False),
    ('10.0.4.0/28', 10, True),      # 11 usable = 10 + 1
    ('10.0.4.0/28', 11, False),
])
def test_subnet_capacity_counts_instances_the_private_frontend_and_azures_five(prefix, maximum, fits):
    gateway = dict(GATEWAY, autoscale=dict(min_capacity=2, max_capacity=maximum))
    problems = gateway_checks.subnet_capacity_problems('phonebill_gateway.', gateway, ipaddress.ip_network(prefix))
    assert (problems == []) is fits, problems


@pytest.mark.parametrize('address, problem', [
    ('10.0.4.10', None),
    ('10.0.4.4', None),
    ('10.0.4.0', 'one of the addresses Azure keeps'),
    ('10.0.4.3', 'one of the addresses Azure keeps'),
    ('10.0.4.255', 'one of the addresses Azure keeps'),
    ('10.0.5.10', 'lies outside the gateway subnet 10.0.4.0/24'),
])
def test_private_frontend_ip_inside_the_subnet_and_not_kept_by_azure(address, problem):
    gateway = dict(GATEWAY, frontend_ip_configurations=[dict(name='private-frontend', private_ip_address=address)])
    problems = gateway_checks.private_ip_problems('', gateway, ipaddress.ip_network('10.0.4.0/24'))
    if problem is None:
        assert problems == []
    else:
        only, = problems
        assert only.startswith('frontend_ip_configurations[private-frontend].private_ip_address: ') and problem in only


def test_geo_block_rule_exists_only_with_countries():
    assert gateway_checks.geo_block_rule(dict(name='GeoBlocking', priority=20, countries=[])) is None
    rule = gateway_checks.geo_block_rule(dict(name='GeoBlocking', priority=20, countries=['KP', 'IR']))
    assert rule['match_conditions'] == [dict(match_variables=[dict(variable_name='RemoteAddr')], operator='GeoMatch',
                                             match_values=['KP', 'IR'])]
    assert rule['action'] == 'Block' and rule['rule_type'] == 'MatchRule'


def test_a_reference_into_a_set_that_is_not_stated_is_not_refused():
    """A listener may name a certificate managed elsewhere (the set not stated): Azure has it, not the inventory."""
    gateway = dict(GATEWAY, ssl_certificates=None)
    assert [p for p in gateway_checks.gateway_problems('', gateway) if 'ssl_certificate' in p] == []


@pytest.mark.parametrize('variable', ['phonebill_gateway', 'phonebill_waf_policy'])
@pytest.mark.parametrize('wrong', ['text', 7, ['text'], {'name': 'x'}, {'name': 'x', 'routing_rules': 'r',
                                                                        'custom_rules': [7], 'autoscale': [1]}],
                         ids=['string', 'number', 'list', 'mapping', 'mapping-of-wrong-types'])
def test_type_mix_ups_are_problems_never_python_errors(variable, wrong):
    def mix_up(plan):
        plan[variable] = wrong
    problems = plan_checks.check_plan(bad_plan(mix_up))
    assert problems and all(isinstance(p, str) for p in problems)
    assert any(p.startswith(variable) for p in problems), problems


def test_every_problem_of_the_gateway_at_once():
    def many(plan):
        plan['phonebill_gateway']['sku'] = 'Standard_v2'
        plan['phonebill_gateway']['routing_rules'][0]['listener'] = 'nope'
        plan['phonebill_waf_policy']['geo_blocking']['countries'] = ['XYZ']
    problems = plan_checks.check_plan(bad_plan(many))
    assert [p.split(':')[0] for p in problems] == [
        'phonebill_waf_policy.geo_blocking.countries', 'phonebill_gateway.sku',
        'phonebill_gateway.routing_rules[api-routing].listener']
