# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of the daily checks: metric summaries, query columns, resource verdicts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import monitor_data, resource_health

# One metric as Metrics - List answers it (GetMetric.json shape), two series, a point without value.
METRIC = {'name': {'value': 'requests/duration'}, 'unit': 'MilliSeconds', 'timeseries': [
    {'metadatavalues': [], 'data': [{'timeStamp': '2026-12-01T01:00:00Z', 'average': 900.0},
                                    {'timeStamp': '2026-12-01T00:00:00Z', 'average': 3200.0},
                                    {'timeStamp': '2026-12-01T02:00:00Z'}]},
    {'metadatavalues': [], 'data': [{'timeStamp': '2026-12-01T00:00:00Z', 'average': 50.0, 'maximum': 70.0}]}]}


def test_summary_takes_the_worst_points_and_skips_empty_intervals():
    assert monitor_data.summary(METRIC) == {
        'average': {'highest': 3200.0, 'lowest': 50.0, 'latest': 50.0, 'points': 3},
        'maximum': {'highest': 70.0, 'lowest': 70.0, 'latest': 70.0, 'points': 1}}


def test_summary_of_a_metric_without_data_is_empty():
    assert monitor_data.summary({'timeseries': [{'data': [{'timeStamp': 'x'}]}]}) == {}
    assert monitor_data.summary({'timeseries': []}) == {}


def test_timespan_ends_now_and_spans_the_duration():
    now = datetime.datetime(2026, 12, 2, 8, 0, 0, 123, tzinfo=datetime.timezone.utc)
    assert monitor_data.timespan('P7D', now) == '2026-11-25T08:00:00Z/2026-12-02T08:00:00Z'
    assert monitor_data.timespan('PT24H', now) == '2026-12-01T08:00:00Z/2026-12-02T08:00:00Z'


@pytest.mark.parametrize('value, bad', [('PT24H', False), ('P7D', False), ('PT5M', False), ('24h', True), ('P', True), ('', True)])
def test_duration_problems_name_the_option(value, bad):
    problems = monitor_data.duration_problems('period', value)
    assert bool(problems) == bad
    assert all(p.startswith('period: ') for p in problems)


def test_dimension_filter_is_the_alerts_criterion():
    assert monitor_data.dimension_filter([]) is None
    assert monitor_data.dimension_filter([{'name': 'cloud/roleName', 'values': ['kos-mock-service']}]) == \
        "cloud/roleName eq 'kos-mock-service'"
    assert monitor_data.dimension_filter([{'name': 'a', 'values': ['x', "o'k"]}, {'name': 'b', 'values': ['y']}]) == \
        "(a eq 'x' or a eq 'o''k') and b eq 'y'"


def test_query_columns_total_and_highest_numbers_also_sent_as_strings():
    tables = [{'name': 'PrimaryResult', 'columns': [{'name': 'Computer', 'type': 'string'}, {'name': 'errors', 'type': 'long'},
                                                    {'name': 'ok', 'type': 'bool'}],
               'rows': [['n1', 30, True], ['n2', '12', False]]}]
    assert monitor_data.rows(tables)[1] == {'Computer': 'n2', 'errors': '12', 'ok': False}
    assert monitor_data.column_summary(tables) == {'errors': {'total': 42.0, 'highest': 30, 'rows': 2}}
    assert monitor_data.column_summary([]) == {} and monitor_data.rows([]) == []


@pytest.mark.parametrize('found, state, availability, status, words', [
    (True, 'Succeeded', 'Available', 'PASS', 'provisioning state Succeeded, available'),
    (False, None, None, 'FAIL', 'not found'),
    (True, 'Failed', 'Available', 'FAIL', 'did not complete'),
    (True, 'Updating', 'Available', 'WARN', 'operation is in progress'),
    (True, 'UpgradingNodeImageVersion', 'Available', 'WARN', 'UpgradingNodeImageVersion'),
    (True, 'Succeeded', 'Degraded', 'WARN', 'availability Degraded'),
    (True, 'Succeeded', None, 'WARN', 'not reported'),
    (True, 'Updating', 'Unavailable', 'FAIL', 'availability Unavailable'),
    (True, None, 'Available', 'PASS', 'available'),
])
def test_resource_verdict(found, state, availability, status, words):
    verdict, detail = resource_health.verdict(found, state, availability)
    assert verdict == status and words in detail


def test_report_matches_health_to_declared_resources_without_case():
    declared = resource_health.declared_ids('sub', 'rg', [{'type': 'Microsoft.Cache/redis', 'name': 'r1'},
                                                          {'type': 'Microsoft.KeyVault/vaults', 'name': 'kv'}])
    listed = [{'id': '/subscriptions/sub/resourceGroups/RG/providers/Microsoft.Cache/Redis/r1', 'type': 'Microsoft.Cache/Redis',
               'provisioningState': 'Succeeded'}]
    statuses = [{'id': '/subscriptions/sub/resourcegroups/rg/providers/microsoft.cache/redis/r1'
                       '/providers/Microsoft.ResourceHealth/availabilityStatuses/current',
                 'properties': {'availabilityState': 'Degraded', 'summary': 'slow'}}]
    redis, vault = resource_health.report(declared, listed, statuses)
    assert (redis['status'], redis['availability_state'], redis['detail']) == ('WARN', 'Degraded', 'availability Degraded: slow')
    assert (vault['found'], vault['status'], vault['type']) == (False, 'FAIL', 'Microsoft.KeyVault/vaults')


def test_resource_problems_name_the_entry():
    assert resource_health.resource_problems([{'type': 'Microsoft.Cache/redis', 'name': 'r'}]) == []
    problems = resource_health.resource_problems([{'type': 'redis', 'name': ''}, 'x'])
    assert problems[0].startswith('resources[0].type:') and problems[1].startswith('resources[0].name:')
    assert problems[2].startswith('resources[1]:')
