# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""monitor_checks: the observability input rules modules and preflight share."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import monitor_checks as checks
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_alerts import Duration, action_group_id

ALERT = dict(severity=2, evaluation_frequency='PT5M', window_size='PT15M', action_groups=['ag-phonebill-ops'],
             criteria=[dict(name='cpu', metric_name='node_cpu_usage_percentage', operator='GreaterThan', threshold=85,
                            time_aggregation='Average')])


@pytest.mark.parametrize('value,minutes', [('PT5M', 5), ('PT1H', 60), ('P1D', 1440), ('P1DT2H30M', 1590), ('Pt15m', 15),
                                           ('PT', None), ('P', None), ('5 minutes', None), (5, None), (None, None)])
def test_duration_minutes(value, minutes):
    assert checks.duration_minutes(value) == minutes


def test_sound_metric_alert_has_no_problem():
    assert checks.metric_alert_problems(ALERT, 'a.') == []


@pytest.mark.parametrize('change,problem', [
    (dict(window_size='PT1M'), 'a.window_size: PT1M is shorter than evaluation_frequency PT5M, so some data would '
                               'never be evaluated; make the window at least the frequency'),
    (dict(evaluation_frequency='PT10M'), 'a.evaluation_frequency: PT10M is not a value Azure accepts here; use one of '
                                         'PT1M, PT5M, PT15M, PT30M, PT1H'),
    (dict(window_size='15m'), "a.window_size: a string '15m' is not an ISO 8601 duration; use one of "
                              "PT1M, PT5M, PT15M, PT30M, PT1H, PT6H, PT12H, P1D"),
    (dict(severity=5), 'a.severity: a number 5 is not an alert severity; use 0 (critical) to 4 (verbose)'),
    (dict(severity=True), 'a.severity: a boolean True is not an alert severity; use 0 (critical) to 4 (verbose)'),
    (dict(action_groups=['rg/ag']), "a.action_groups: 'rg/ag' is not a resource id; give the name of an action group "
                                    "of the resource group or its full id "
                                    "/subscriptions/.../providers/Microsoft.Insights/actionGroups/NAME"),
    (dict(criteria=[dict(ALERT['criteria'][0]), dict(ALERT['criteria'][0])]),
     'a.criteria[cpu].name: cpu is named twice; names identify entries, make them unique'),
    (dict(criteria=[dict(ALERT['criteria'][0], threshold='85%')]),
     "a.criteria[cpu].threshold: a string '85%' is not a number; state the threshold as a number"),
    (dict(criteria=[]), 'a.criteria: empty; state at least one criterion'),
])
def test_metric_alert_problem_names_the_option_and_the_fix(change, problem):
    assert checks.metric_alert_problems(dict(ALERT, **change), 'a.') == [problem]


def test_log_alert_windows_allow_ten_minutes_and_need_a_measure_column():
    alert = dict(severity=1, evaluation_frequency='PT5M', window_size='PT10M',
                 criteria=[dict(query='Perf', time_aggregation='Maximum', operator='GreaterThan', threshold=85,
                                failing_periods=dict(number_of_evaluation_periods=1, min_failing_periods_to_alert=2))])
    assert checks.scheduled_query_alert_problems(alert) == [
        'criteria[0].metric_measure_column: required with time_aggregation Maximum; name the column to aggregate',
        'criteria[0].failing_periods: 2 failing periods of 1 evaluated can never happen; make '
        'min_failing_periods_to_alert at most number_of_evaluation_periods']


def test_action_group_problems_never_quote_the_webhook_url():
    group = dict(short_name='phonebill-operations', email_receivers=[dict(name='m', email_address='ops at example')],
                 webhook_receivers=[dict(name='teams', service_uri='http://teams.example/hook/secret-token')])
    found = checks.action_group_problems(group)
    assert found == [
        "short_name: a string 'phonebill-operations' has more than 12 characters or none; Azure shows it in "
        "notifications, shorten it",
        "email_receivers[m].email_address: a string 'ops at example' is not an e-mail address; give one like "
        "ops@example.com",
        'webhook_receivers[teams].service_uri: not an https URL; give the webhook URL Teams (or the receiver) issued, '
        'starting with https://']
    assert 'secret-token' not in ' '.join(found)


def test_action_group_without_receiver_and_absent_one_needs_none():
    assert checks.action_group_problems(dict(short_name='ops', email_receivers=[], webhook_receivers=None)) == [
        'email_receivers: an action group without any receiver notifies nobody; state at least one e-mail or webhook '
        'receiver']
    assert checks.action_group_problems(dict(state='absent')) == []


def test_diagnostic_setting_entries():
    found = checks.diagnostic_setting_problems(dict(
        resource_id='rg/aks', logs=[dict(category='a', category_group='allLogs'), dict(category='b'), dict(category='B')],
        metrics=[dict(category=None)]))
    assert found == ['logs[a]: state either category or category_group, not both or neither',
                     'logs[B]: stated twice; state each category once',
                     'metrics[0].category: required; AllMetrics for every metric',
                     "resource_id: 'rg/aks' is not a resource id; give /subscriptions/.../providers/..."]


def test_application_insights_sampling_and_retention():
    assert checks.application_insights_problems(dict(sampling_percentage=10, retention_days=90)) == []
    assert checks.application_insights_problems(dict(sampling_percentage=0, retention_days=100)) == [
        'sampling_percentage: a number 0 is not a percentage above 0 and up to 100; e.g. 10 keeps one telemetry item '
        'in ten',
        'retention_days: a number 100 is not a retention Azure offers; use one of 30, 60, 90, 120, 180, 270, 365, 550, 730']


def test_durations_compare_by_length_and_action_groups_by_name_or_id():
    assert Duration().equal('PT1M', 'Pt1m') and Duration().equal('PT60M', 'PT1H') and not Duration().equal('PT5M', 'PT1H')
    assert action_group_id('s', 'rg', 'ag') == '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ag'
    assert action_group_id('s', 'rg', '/subscriptions/x/resourcegroups/y/providers/microsoft.insights/actiongroups/z') \
        == '/subscriptions/x/resourcegroups/y/providers/microsoft.insights/actiongroups/z'
