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
