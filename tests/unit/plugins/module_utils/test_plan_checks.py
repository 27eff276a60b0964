# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The production plan passes; each bad plan fails naming the variable."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import aks, plan_checks
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import (
    BAD_PLANS, bad_plan, production_plan)


def test_production_inventory_is_sound():
    assert plan_checks.check_plan(production_plan()) == []


@pytest.mark.parametrize('name,change,variable', BAD_PLANS, ids=[b[0] for b in BAD_PLANS])
def test_bad_plan_names_the_variable(name, change, variable):
    problems = plan_checks.check_plan(bad_plan(change))
    assert problems, name
    assert any(p.startswith(variable) for p in problems), problems


def test_all_problems_are_reported_at_once():
    def many(plan):
        plan['phonebill_maintenance_window']['duration_hours'] = 2
        plan['phonebill_aks']['network']['service_cidr'] = '10.0.0.0/16'
        plan['phonebill_registry']['name'] = 'x'
    assert len(plan_checks.check_plan(bad_plan(many))) >= 3


def test_classic_cni_capacity_is_computed():
    def classic(plan):
        plan['phonebill_aks']['network']['plugin_mode'] = None
    problem = [p for p in plan_checks.check_plan(bad_plan(classic)) if p.startswith('phonebill_aks.network:')][0]
    # 5 + 10 autoscaler nodes + 2 surge = 17 nodes x 31 addresses = 527 > 251 usable in a /24
    assert '17 nodes' in problem and '527 addresses' in problem and '251 usable' in problem


def test_a_larger_subnet_makes_classic_cni_fit():
    def classic_large(plan):
        plan['phonebill_aks']['network']['plugin_mode'] = None
        plan['phonebill_aks']['network']['pod_cidr'] = None  # classic Azure CNI gives pods subnet addresses
        plan['phonebill_vnet']['subnets'][0]['address_prefix'] = '10.0.16.0/22'
        plan['phonebill_ingress']['private_ip'] = '10.0.19.250'  # above the 527 addresses nodes and pods take
    assert plan_checks.check_plan(bad_plan(classic_large)) == []


LISTING = {'values': [
    {'version': '1.29', 'capabilities': {'supportPlan': ['AKSLongTermSupport']}, 'patchVersions': {'1.29.15': {}}},
    {'version': '1.31', 'patchVersions': {'1.31.9': {}, '1.31.10': {}}},
    {'version': '1.33', 'isDefault': True, 'capabilities': {'supportPlan': ['KubernetesOfficial']},
     'patchVersions': {'1.33.1': {}, '1.33.2': {}}},
    {'version': '1.34', 'isPreview': True, 'patchVersions': {'1.34.0': {}}},
]}


def test_offered_versions_leave_previews_out_and_sort_patches_numerically():
    standard, lts_only = aks.parse_offered(LISTING)
    assert standard == ['1.31', '1.31.9', '1.31.10', '1.33', '1.33.1', '1.33.2']
    assert lts_only == ['1.29', '1.29.15']


@pytest.mark.parametrize('stated,ok', [('1.33', True), ('1.33.2', True), ('1.33.3', False), ('1.34', False),
                                       ('1.29', False)])
def test_offered_problem_lists_the_offered_versions(stated, ok):
    problem = aks.offered_problem(stated, 'Korea Central', *aks.parse_offered(LISTING))
    assert (problem is None) is ok
    if not ok:
        assert 'not offered by AKS in koreacentral' in problem and '1.31.10, 1.33, 1.33.1, 1.33.2' in problem
    if stated == '1.29':
        assert 'Long Term Support' in problem


# The variables of the network, foundation, workspace and workloads layers (the AKS and registry ones have
# their own checks).
VARIABLES = ('phonebill_location', 'phonebill_zones', 'phonebill_resource_group', 'phonebill_resource_groups',
             'phonebill_tags', 'phonebill_vnet', 'phonebill_network_security_groups', 'phonebill_public_ips',
             'phonebill_private_dns_zones', 'phonebill_services_identity', 'phonebill_log_analytics',
             'phonebill_maintenance_window', 'phonebill_workloads', 'phonebill_workload_identity_subjects',
             'phonebill_ingress')


@pytest.mark.parametrize('variable', VARIABLES)
@pytest.mark.parametrize('wrong', ['text', 7, True, ['text'], [7], {'name': 'x'}, [{'unexpected': 1}]],
                         ids=['string', 'number', 'boolean', 'list-of-string', 'list-of-number', 'mapping',
                              'list-of-mapping'])
def test_any_type_mix_up_is_a_problem_never_a_python_error(variable, wrong):
    def mix_up(plan):
        plan[variable] = wrong
    problems = plan_checks.check_plan(bad_plan(mix_up))
    assert all(isinstance(p, str) for p in problems)
    if type(wrong) is not type(production_plan()[variable]):
        assert any(p.startswith(variable) for p in problems), problems


@pytest.mark.parametrize('name,value,variable', [
    ('address space', '10.0.0.0/16', ['phonebill_vnet', 'address_prefixes']),
    ('service endpoints', 'Microsoft.ContainerRegistry', ['phonebill_vnet', 'subnets', 0, 'service_endpoints']),
    ('zones', '123', ['phonebill_zones']),
    ('NSG ports', '6379,6380', ['phonebill_network_security_groups', 1, 'rules', 2, 'destination_port_ranges']),
    ('network policy ports', '5432', ['phonebill_workloads', 'network_policy', 'database_ports']),
])
def test_a_string_where_a_list_is_expected_is_one_problem_not_one_per_character(name, value, variable):
    def stringify(plan):
        node = plan
        for key in variable[:-1]:
            node = node[key]
        node[variable[-1]] = value
    problems = plan_checks.check_plan(bad_plan(stringify))
    assert len(problems) == 1, (name, problems)
    assert ' must be a list of ' in problems[0] and repr(value) in problems[0]


def test_a_list_given_as_a_mapping_names_the_variable_and_the_fix():
    def as_mapping(plan):
        plan['phonebill_network_security_groups'] = dict((g['name'], g) for g in plan['phonebill_network_security_groups'])
    problems = plan_checks.check_plan(bad_plan(as_mapping))
    assert problems == ['phonebill_network_security_groups must be a list of network security groups, each with name and '
                        'rules, not a mapping; write it as a YAML list ("- item" lines or [a, b])']


def test_nsg_rule_problems_name_the_rule_by_its_inventory_path():
    def broken(plan):
        rule = plan['phonebill_network_security_groups'][1]['rules'][2]
        rule.update(destination_port_ranges=['6380-6379'], direction='Outward', protocol='Sctp', access='Permit',
                    destination_address_prefix='10.0.3.0/33', priority=5000)
    problems = plan_checks.check_plan(bad_plan(broken))
    where = 'phonebill_network_security_groups[nsg-aks].rules[allow-redis].'
    assert sorted(p.split(':')[0] for p in problems) == sorted(where + field for field in (
        'priority', 'direction', 'access', 'protocol', 'destination_address_prefix', 'destination_port_ranges'))


@pytest.mark.parametrize('quota,ok', [(-1, True), (0.023, True), (5, True), (0, False), (0.02, False), (-2, False),
                                      ('5', False)])
def test_workspace_daily_quota_is_no_cap_or_at_least_the_azure_minimum(quota, ok):
    def change(plan):
        plan['phonebill_log_analytics']['daily_quota_gb'] = quota
    assert (plan_checks.check_plan(bad_plan(change)) == []) is ok


@pytest.mark.parametrize('days,ok', [(30, True), (730, True), (29, False), (731, False), ('90', False)])
def test_workspace_retention_is_30_to_730_days(days, ok):
    def change(plan):
        plan['phonebill_log_analytics']['retention_days'] = days
    assert (plan_checks.check_plan(bad_plan(change)) == []) is ok


@pytest.mark.parametrize('endpoint', ['Microsoft.Storage', 'Microsoft.Storage.Global', 'Microsoft.Sql',
                                      'Microsoft.AzureCosmosDB', 'Microsoft.KeyVault', 'Microsoft.ServiceBus',
                                      'Microsoft.EventHub', 'Microsoft.Web', 'Microsoft.ContainerRegistry',
                                      'Microsoft.CognitiveServices', 'Microsoft.AzureActiveDirectory', 'microsoft.storage'])
def test_every_service_endpoint_azure_has_is_accepted(endpoint):
    def change(plan):
        plan['phonebill_vnet']['subnets'][0]['service_endpoints'] = [endpoint]
    assert plan_checks.check_plan(bad_plan(change)) == []


def test_registry_module_and_preflight_refuse_with_the_same_words():
    """One rule: the container_registry module's checks, under the inventory's names."""
    from ansible_collections.phonebill.platform.plugins.modules import container_registry
    plan = production_plan()
    plan['phonebill_registry'].update(sku='Standard', replications=[{'location': 'koreasouth'}, {'location': 'Korea South'}])
    params = dict(name=plan['phonebill_registry']['name'], resource_group='rg-phonebill-prod', tags=None, sku='Standard',
                  replications=plan['phonebill_registry']['replications'], zone_redundancy=True,
                  public_network_access=None, purge_replications=False, location='koreacentral')
    module_problems = container_registry.validate(params)
    assert len(module_problems) == 2
    preflight = [p for p in plan_checks.check_plan(plan) if p.startswith('phonebill_registry')]
    assert preflight == ['phonebill_registry.' + p for p in module_problems]
