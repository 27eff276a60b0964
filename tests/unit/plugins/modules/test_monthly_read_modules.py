# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The read modules of the monthly procedure: input checks before any call, the query they send, their filters; and
operations_checks refusing bad expectations before judging."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.modules import cost_query_info, operations_checks, role_assignment_info
from ansible_collections.phonebill.platform.plugins.modules import security_alert_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

COST_DEFAULTS = dict(scope=None, type='ActualCost', timeframe='MonthToDate', time_from=None, time_to=None,
                     resource_groups=None, group_by=['ResourceType', 'MeterCategory'])


def test_the_cost_query_is_azures_query_definition():
    body = cost_query_info.definition(dict(COST_DEFAULTS, resource_groups=['rg-a', 'MC_rg-a_aks_koreacentral']))
    assert body == {'type': 'ActualCost', 'timeframe': 'MonthToDate', 'dataset': {
        'granularity': 'None', 'aggregation': {'totalCost': {'name': 'Cost', 'function': 'Sum'}},
        'grouping': [{'type': 'Dimension', 'name': 'ResourceType'}, {'type': 'Dimension', 'name': 'MeterCategory'}],
        'filter': {'dimensions': {'name': 'ResourceGroupName', 'operator': 'In', 'values': ['rg-a', 'MC_rg-a_aks_koreacentral']}}}}
    custom = cost_query_info.definition(dict(COST_DEFAULTS, timeframe='Custom', time_from='2026-11-01', time_to='2026-11-30'))
    assert custom['timePeriod'] == {'from': '2026-11-01', 'to': '2026-11-30'}


@pytest.mark.parametrize('change,problem', [
    (dict(timeframe='Custom'), 'time_from: required with timeframe Custom'),
    (dict(time_from='2026-11-01'), 'time_from: only with timeframe Custom'),
    (dict(group_by=['ResourceType', 'MeterCategory', 'ResourceId']), 'group_by: 3 dimensions'),
    (dict(scope='rg-phonebill-prod'), "scope: 'rg-phonebill-prod' is not an ARM scope"),
])
def test_bad_cost_queries_are_refused_before_any_call(change, problem):
    assert [p for p in cost_query_info.validate(dict(COST_DEFAULTS, **change)) if p.startswith(problem)]


def test_alert_filters_ignore_case():
    alert = dict(properties=dict(status='active', severity='High'))
    assert security_alert_info.wanted(alert, ['Active'], ['High'])
    assert not security_alert_info.wanted(alert, ['Resolved'], None)
    assert security_alert_info.wanted(alert, None, None)


def test_role_assignments_at_or_below_the_scope_and_inherited_on_request():
    vault = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv'

    def made_at(scope):
        return dict(properties=dict(scope=scope))
    assert role_assignment_info.in_scope(made_at(vault), vault, False)
    assert role_assignment_info.in_scope(made_at(vault + '/secrets/ssl-wildcard-cert'), vault.upper(), False)
    assert not role_assignment_info.in_scope(made_at('/subscriptions/s'), vault, False)
    assert role_assignment_info.in_scope(made_at('/subscriptions/s'), vault, True)
    assert not role_assignment_info.in_scope(made_at(vault + '-other'), vault, True)


def test_operations_checks_refuses_bad_expectations_all_at_once():
    result = run_module(operations_checks.main, dict(judge='cost', facts={}, expected=dict(budget=dict(aks_nodes='many')),
                                                     now='yesterday'))
    assert result['failed']
    message = result['msg']
    for expected in ('expected.warn_percent: missing', 'expected.budget.aks_nodes', "now: 'yesterday' is not an ISO 8601 time"):
        assert expected in message


def test_operations_checks_returns_the_judges_checks():
    result = run_module(operations_checks.main, dict(judge='security_alerts', facts=dict(alerts=[
        dict(name='a', properties=dict(severity='High', status='Active', alertDisplayName='x'))]),
        expected=dict(fail_severities=['High'], warn_severities=['Medium'])))
    assert result['changed'] is False
    assert [(c['name'], c['measured']) for c in result['checks']] == [('defender alerts high', 1), ('defender alerts medium', 0)]
