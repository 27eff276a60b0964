# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The daily checks' read modules against the sandbox: metrics, Log Analytics queries, resource health."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

RG = 'rg-daily'


def _id(sandbox, kind, name):
    return '/subscriptions/%s/resourceGroups/%s/providers/%s/%s' % (sandbox.subscription_id, RG, kind, name)


@pytest.fixture
def platform(sandbox):
    """A PostgreSQL server, a Redis cache and a workspace, as Azure returns them."""
    ids = dict(pg=_id(sandbox, 'Microsoft.DBforPostgreSQL/flexibleServers', 'psql-daily'),
               redis=_id(sandbox, 'Microsoft.Cache/redis', 'redis-daily'),
               law=_id(sandbox, 'Microsoft.OperationalInsights/workspaces', 'law-daily'))
    sandbox.seed([
        {'id': ids['pg'], 'type': 'Microsoft.DBforPostgreSQL/flexibleServers', 'location': 'koreacentral',
         'sku': {'name': 'Standard_D4s_v3', 'tier': 'GeneralPurpose'}, 'properties': {'state': 'Ready'}},
        {'id': ids['redis'], 'type': 'Microsoft.Cache/redis', 'location': 'koreacentral',
         'properties': {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2}, 'provisioningState': 'Succeeded'}},
        {'id': ids['law'], 'type': 'Microsoft.OperationalInsights/workspaces', 'location': 'koreacentral',
         'properties': {'retentionInDays': 90}}])
    sandbox.clear_requests()
    return ids


def test_metrics_summary_is_the_worst_point_of_the_period(azure, sandbox, platform):
    sandbox.seed_metric(platform['pg'], 'storage_percent', [{'maximum': 40.0}, {'maximum': 83.5}, {'maximum': 61.0}],
                        unit='Percent')
    result = azure('monitor_metrics_info', resource_id=platform['pg'], metrics=['storage_percent'],
                   aggregations=['Maximum'], period='PT6H', interval='PT1H')
    metric = result['metrics'][0]
    assert metric['name'] == 'storage_percent' and metric['unit'] == 'Percent'
    assert metric['summary'] == {'maximum': {'highest': 83.5, 'lowest': 40.0, 'latest': 61.0, 'points': 3}}
    assert len(metric['timeseries'][0]['data']) == 6  # one point per hour, the early ones without a value
    assert result['interval'] == 'PT1H' and azure.writes() == 0


def test_metric_dimension_filter_selects_the_alerts_series(azure, sandbox, platform):
    sandbox.seed_metric(platform['redis'], 'usedmemorypercentage', None, series=[
        {'dimensions': {'ShardId': '0'}, 'data': [{'maximum': 91.0}]},
        {'dimensions': {'ShardId': '1'}, 'data': [{'maximum': 12.0}]}])
    result = azure('monitor_metrics_info', resource_id=platform['redis'], metrics=['usedmemorypercentage'],
                   aggregations=['Maximum'], period='PT1H', interval='PT5M',
                   dimensions=[{'name': 'ShardId', 'values': ['1']}])
    assert result['metrics'][0]['summary']['maximum']['highest'] == 12.0


def test_unknown_metric_is_refused_as_azure_refuses_it(azure, platform):
    result = azure('monitor_metrics_info', resource_id=platform['pg'], metrics=['storage_pct'])
    assert result['failed'] and 'Failed to find metric configuration' in result['msg']


def test_bad_period_fails_before_any_request(azure, sandbox, platform):
    result = azure('monitor_metrics_info', resource_id=platform['pg'], metrics=['storage_percent'], period='24h')
    assert result['failed'] and result['msg'].startswith('period:')
    assert sandbox.requests() == []


def test_query_answers_the_seeded_tables_by_workspace_and_resource_id(azure, sandbox, platform):
    query = 'ContainerLog | summarize errors = count() by Computer'
    sandbox.seed_query(platform['law'], query, [{'name': 'PrimaryResult',
                                                 'columns': [{'name': 'Computer', 'type': 'string'},
                                                             {'name': 'errors', 'type': 'long'}],
                                                 'rows': [['node-1', 30], ['node-2', 12]]}])
    by_id = azure('log_analytics_query', resource_id=platform['law'], query=query, period='PT24H')
    assert by_id['rows'] == [{'Computer': 'node-1', 'errors': 30}, {'Computer': 'node-2', 'errors': 12}]
    assert by_id['columns'] == {'errors': {'total': 42, 'highest': 30, 'rows': 2}}
    customer_id = sandbox.get(platform['law'])['properties']['customerId']
    by_guid = azure('log_analytics_query', workspace_id=customer_id, query='ContainerLog |  summarize errors = count()\n by Computer')
    assert by_guid['columns']['errors']['total'] == 42
    unseeded = azure('log_analytics_query', workspace_id=customer_id, query='Perf | take 1')
    assert unseeded['rows'] == [] and unseeded['columns'] == {}
    assert azure.writes() == 0
    assert {r['resource_type'] for r in sandbox.requests()} == {'Microsoft.OperationalInsights/query'}


def test_query_of_a_missing_workspace_names_it(azure, sandbox):
    result = azure('log_analytics_query', workspace_id='00000000-0000-0000-0000-000000000001', query='Usage')
    assert result['failed'] and 'WorkspaceNotFoundError' in result['msg']


def test_resource_health_judges_state_and_availability(azure, sandbox, platform):
    sandbox.hold(platform['redis'], 'Updating', 30)
    sandbox.seed_health(platform['pg'], 'Unavailable', summary='The server is down')
    result = azure('resource_health_info', resource_group=RG, resources=[
        {'type': 'Microsoft.DBforPostgreSQL/flexibleServers', 'name': 'psql-daily'},
        {'type': 'Microsoft.Cache/redis', 'name': 'redis-daily'},
        {'type': 'Microsoft.OperationalInsights/workspaces', 'name': 'law-daily'},
        {'type': 'Microsoft.KeyVault/vaults', 'name': 'kv-missing'}])
    by_name = dict((item['name'], item) for item in result['resources'])
    assert not result['healthy']
    assert by_name['psql-daily']['status'] == 'FAIL' and 'Unavailable: The server is down' in by_name['psql-daily']['detail']
    assert by_name['redis-daily']['status'] == 'WARN' and by_name['redis-daily']['provisioning_state'] == 'Updating'
    assert by_name['law-daily']['status'] == 'PASS' and by_name['law-daily']['availability_state'] == 'Available'
    assert by_name['kv-missing']['status'] == 'FAIL' and not by_name['kv-missing']['found']
    assert azure.writes() == 0 and len(sandbox.requests()) == 2
