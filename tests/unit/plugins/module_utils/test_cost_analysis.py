# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cost rows mapped to the SPEC §11 budget lines, forecast and judged as procedure_report judges them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import cost_analysis as cost
from ansible_collections.phonebill.platform.plugins.module_utils.procedure_report import judge

BUDGET = dict(aks_nodes=1200, postgresql=450, redis=250, application_gateway=150, load_balancer=50, storage=100,
              networking=150, monitoring=100, total=2450)
MID_DECEMBER = datetime.date(2026, 12, 15)   # 15 of 31 days


@pytest.mark.parametrize('resource_type,meter,component', [
    ('microsoft.compute/virtualmachinescalesets', 'Virtual Machines', 'aks_nodes'),
    ('Microsoft.ContainerService/managedClusters', None, 'aks_nodes'),
    ('microsoft.dbforpostgresql/flexibleservers', 'Azure Database for PostgreSQL', 'postgresql'),
    ('microsoft.cache/redis', 'Redis Cache', 'redis'),
    ('microsoft.network/applicationgateways', 'Application Gateway', 'application_gateway'),
    ('microsoft.network/loadbalancers', 'Load Balancer', 'load_balancer'),
    ('microsoft.compute/disks', 'Storage', 'storage'),
    ('microsoft.cdn/profiles', 'Azure Front Door Service', 'networking'),
    ('microsoft.operationalinsights/workspaces', 'Log Analytics', 'monitoring'),
    (None, 'Bandwidth', 'networking'),
    ('', 'Azure Monitor', 'monitoring'),
    ('microsoft.keyvault/vaults', 'Key Vault', 'other'),
    ('microsoft.containerregistry/registries', 'Container Registry', 'other'),
])
def test_every_row_lands_on_one_budget_line(resource_type, meter, component):
    assert cost.component_of(resource_type, meter) == component


def test_the_query_table_becomes_costs_by_component():
    # the columns/rows shape of Cost Management's answer (BillingAccountQueryGrouping.json)
    columns = [dict(name='PreTaxCost', type='Number'), dict(name='ResourceType', type='String'),
               dict(name='MeterCategory', type='String'), dict(name='Currency', type='String')]
    rows = [[300.5, 'microsoft.compute/virtualmachinescalesets', 'Virtual Machines', 'USD'],
            [299.5, 'microsoft.compute/virtualmachinescalesets', 'Virtual Machines', 'USD'],
            [12.0, 'microsoft.keyvault/vaults', 'Key Vault', 'USD'],
            [40.0, None, 'Bandwidth', 'USD']]
    by_component = cost.costs_by_component(cost.records(columns, rows))
    assert by_component['aks_nodes'] == 600.0
    assert by_component['networking'] == 40.0
    assert by_component['other'] == 12.0
    assert by_component['redis'] == 0.0
    assert set(by_component) == set(cost.COMPONENTS) | {'other'}


def test_the_forecast_projects_the_month_to_date_to_the_month_end():
    assert cost.forecast(150.0, MID_DECEMBER) == pytest.approx(310.0)
    assert cost.forecast(100.0, datetime.date(2027, 2, 28)) == 100.0


def _by_name(checks):
    return dict((c['name'], judge(c)) for c in checks)


def test_on_budget_passes_near_it_warns_over_it_fails():
    share = 15 / 31.0
    spent = dict((c, BUDGET[c] * 0.8 * share) for c in cost.COMPONENTS)
    spent.update(redis=250 * 0.95 * share, postgresql=450 * 1.2 * share, other=0.0)
    judged = _by_name(cost.budget_checks(spent, BUDGET, MID_DECEMBER, 90, 110))
    assert judged['cost aks_nodes forecast']['status'] == 'PASS'
    assert judged['cost redis forecast']['status'] == 'WARN'
    failed = judged['cost postgresql forecast']
    assert failed['status'] == 'FAIL'
    assert failed['measured'] == pytest.approx(540.0)
    assert failed['threshold'] and '495' in failed['threshold']
    assert 'budget 450.00 USD' in failed['detail'] and 'day 15 of 31' in failed['detail']
    assert judged['cost without a budget line']['status'] == 'PASS'


def test_the_total_fails_once_the_month_to_date_passes_the_budget():
    spent = dict((c, 0.0) for c in cost.COMPONENTS)
    spent.update(aks_nodes=2800.0, other=0.0)
    judged = _by_name(cost.budget_checks(spent, BUDGET, MID_DECEMBER, 90, 110))
    assert judged['cost total month to date']['status'] == 'FAIL'
    assert judged['cost total forecast']['measured'] == pytest.approx(2800.0 * 31 / 15, abs=0.01)


def test_costs_without_a_budget_line_warn():
    spent = dict((c, 0.0) for c in cost.COMPONENTS)
    spent['other'] = 5.0
    assert _by_name(cost.budget_checks(spent, BUDGET, MID_DECEMBER, 90, 110))['cost without a budget line']['status'] == 'WARN'


def test_a_bad_budget_table_names_each_line():
    problems = cost.budget_problems(dict(aks_nodes='lots', redis=-1, firewall=10), 'expected.')
    assert 'expected.budget.aks_nodes: \'lots\' is not an amount; give USD a month as a number >= 0' in problems
    assert any(p.startswith('expected.budget.redis: -1') for p in problems)
    assert any(p.startswith('expected.budget.firewall: not a SPEC budget line') for p in problems)
    assert any(p.startswith('expected.budget.postgresql: missing') for p in problems)
    assert cost.budget_problems(BUDGET) == []
