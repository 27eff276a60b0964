# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The observability modules' REST bodies and comparisons against Azure's answer forms (fakes, no sandbox)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from unittest import mock

from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.applicationinsights.v2020_02_02 import models as insights
from azure.mgmt.monitor import models as monitor

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import (
    action_group, application_insights, diagnostic_setting, metric_alert)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

GROUP = 'rg-phonebill-prod'
CLUSTER = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ContainerService/managedClusters/aks' % (SUB, GROUP)
HOOK = 'https://contoso.webhook.office.com/webhookb2/x/IncomingWebhook/y/token-1234'


def insights_id(kind, group, name):
    return '/subscriptions/%s/resourceGroups/%s/providers/microsoft.insights/%s/%s' % (SUB, group, kind, name)


def run(module, service, operations, args, **kwargs):
    with mock.patch.object(AzureModule, 'client', client_factory({service: operations})):
        return run_module(module.main, dict(AUTH, **args), **kwargs)


def alert_fill(key, body, previous):
    """Azure's metric alert: criterion types, webhook properties, lastUpdatedTime."""
    body.update(id=insights_id('metricalerts', *key), name=key[1], type='Microsoft.Insights/metricAlerts')
    for criterion in body['properties']['criteria']['allOf']:
        criterion.setdefault('criterionType', 'StaticThresholdCriterion')
        criterion.setdefault('dimensions', [])
    for action in body['properties'].get('actions', []):
        action.setdefault('webHookProperties', {})
    body['properties'].update(lastUpdatedTime='2025-01-01T00:00:00Z', isMigrated=False)
    return body


ALERT = dict(name='alert-cpu', resource_group=GROUP, severity=2, scopes=[CLUSTER], evaluation_frequency='PT5M',
             window_size='PT15M', action_groups=['ag-ops'],
             criteria=[dict(name='cpu', metric_name='node_cpu_usage_percentage', operator='GreaterThan', threshold=85,
                            time_aggregation='Average')])


def test_metric_alert_body_is_single_resource_criteria_with_action_group_ids():
    alerts = Collection(monitor.MetricAlertResource, alert_fill)
    ops = Operations(alerts, 2, get='get', create_or_update='put', delete='delete')
    created = run(metric_alert, 'monitor', mock.Mock(metric_alerts=ops), ALERT)
    assert created['changed'] is True
    _put, _key, body = alerts.writes[0]
    assert body['location'] == 'global'
    assert body['properties']['criteria'] == {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
        'allOf': [{'criterionType': 'StaticThresholdCriterion', 'name': 'cpu', 'metricName': 'node_cpu_usage_percentage',
                   'operator': 'GreaterThan', 'threshold': 85.0, 'timeAggregation': 'Average'}]}
    assert body['properties']['actions'] == [{'actionGroupId': '/subscriptions/%s/resourceGroups/%s/providers/'
                                                               'Microsoft.Insights/actionGroups/ag-ops' % (SUB, GROUP)}]
    again = run(metric_alert, 'monitor', mock.Mock(metric_alerts=ops), ALERT)
    assert again['changed'] is False and len(alerts.writes) == 1


def test_metric_alert_reads_azure_forms_as_unchanged():
    """Lower-cased ids, a float threshold, another duration spelling: no difference."""
    alerts = Collection(monitor.MetricAlertResource, alert_fill)
    alerts.seed((GROUP, 'alert-cpu'), alert_fill((GROUP, 'alert-cpu'), {
        'location': 'global', 'properties': {
            'severity': 2, 'enabled': True, 'scopes': [CLUSTER.lower()], 'evaluationFrequency': 'PT5M',
            'windowSize': 'PT15M', 'autoMitigate': True,
            'criteria': {'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
                         'allOf': [{'name': 'cpu', 'metricName': 'node_cpu_usage_percentage', 'operator': 'GreaterThan',
                                    'threshold': 85.0, 'timeAggregation': 'Average'}]},
            'actions': [{'actionGroupId': insights_id('actiongroups', GROUP.lower(), 'ag-ops')}]}}, None))
    ops = Operations(alerts, 2, get='get', create_or_update='put', delete='delete')
    result = run(metric_alert, 'monitor', mock.Mock(metric_alerts=ops), ALERT)
    assert result['changed'] is False and alerts.writes == []


def group_fill(key, body, previous):
    body.update(id=insights_id('actionGroups', *key), name=key[1], type='Microsoft.Insights/ActionGroups',
                location='Global')
    for receiver in body['properties'].get('emailReceivers', []):
        receiver['status'] = 'Enabled'
    return body


def test_action_group_masks_the_webhook_and_puts_enabled():
    groups = Collection(monitor.ActionGroupResource, group_fill)
    ops = Operations(groups, 2, get='get', create_or_update='put', delete='delete')
    args = dict(name='ag-ops', resource_group=GROUP, short_name='ops', webhook_receivers=[dict(name='teams', service_uri=HOOK)])
    created = run(action_group, 'monitor', mock.Mock(action_groups=ops), args, diff=True)
    assert groups.writes[0][2]['properties']['enabled'] is True
    assert groups.writes[0][2]['properties']['webhookReceivers'][0]['serviceUri'] == HOOK
    assert 'token-1234' not in json.dumps(created)
    assert created['diff']['after']['properties']['webhookReceivers'][0]['serviceUri'] == '********'


def component_fill(key, body, previous):
    body.update(id='/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Insights/components/%s' % ((SUB,) + key),
                name=key[1], type='Microsoft.Insights/components')
    body['properties'].update(AppId='887f4bfd-b5fd-40d7-9fc3-123456789abc', InstrumentationKey='bc095013-ikey',
                              ConnectionString='InstrumentationKey=bc095013-ikey;IngestionEndpoint=https://x/',
                              provisioningState='Succeeded')
    return body


def test_application_insights_is_workspace_based_and_never_returns_its_key():
    components = Collection(insights.ApplicationInsightsComponent, component_fill)
    ops = Operations(components, 2, get='get', create_or_update='put', delete='delete')
    args = dict(name='appi', resource_group=GROUP, location='koreacentral', application_type='web', workspace='law',
                sampling_percentage=10)
    created = run(application_insights, 'applicationinsights', mock.Mock(components=ops), args, diff=True)
    body = components.writes[0][2]
    assert body['kind'] == 'web' and body['properties']['IngestionMode'] == 'LogAnalytics'
    assert body['properties']['WorkspaceResourceId'].endswith('/resourceGroups/%s/providers/'
                                                              'Microsoft.OperationalInsights/workspaces/law' % GROUP)
    assert created['app_id'] == '887f4bfd-b5fd-40d7-9fc3-123456789abc'
    assert 'bc095013-ikey' not in json.dumps(created)


def test_diagnostic_setting_category_check_reads_what_azure_lists():
    listed = {'value': [{'name': 'kube-audit', 'properties': {'categoryType': 'Logs', 'categoryGroups': ['allLogs', 'audit']}},
                        {'name': 'AllMetrics', 'properties': {'categoryType': 'Metrics', 'categoryGroups': []}}]}

    def send(module, method, path, api_version, body=None, query=None):
        if path.endswith('diagnosticSettingsCategories'):
            return listed
        if method == 'GET':
            raise ResourceNotFoundError('not found')
        raise AssertionError('no write expected, got %s %s' % (method, path))

    args = dict(name='to-law', resource_id=CLUSTER, workspace='/subscriptions/s/rg/x',
                logs=[dict(category='kube-audit'), dict(category_group='allLogs'), dict(category='kube-scheduler')],
                metrics=[dict(category='AllMetrics')])
    with mock.patch.object(diagnostic_setting.arm_rest, 'send', side_effect=send):
        result = run_module(diagnostic_setting.main, dict(AUTH, **args))
    assert result['failed']
    assert result['msg'] == ('logs[kube-scheduler].category: kube-scheduler is not a category of '
                             'Microsoft.ContainerService/managedClusters; use one of kube-audit')
