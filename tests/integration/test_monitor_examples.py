# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resources in the forms Azure answers, seeded into the sandbox, read as unchanged: no write.

Each body follows the response of one of Microsoft's REST examples
(Azure/azure-rest-api-specs) with the platform's names: createOrUpdateActionGroup.json
(location "Global", type "Microsoft.Insights/ActionGroups", lower-case provider in the
id, e-mail receivers with a status), createOrUpdateMetricAlertSingleResource.json
(a "hidden-link" tag, action group ids lower-cased, threshold 80.50),
createOrUpdateScheduledQueryRule.json (2023-12-01: lower-case type, resolve
configuration, custom properties), createOrUpdateDiagnosticSetting.json
(2021-05-01-preview: category group entries with a retention policy), ComponentsCreate.json
(2020-02-02: PascalCase properties, a display-name location, read-only keys)
and WorkspacesSavedSearchesCreateOrUpdate.json (etag, version 2, function parameters).

Two forms of the examples no SDK client can read, so Azure cannot be sending them: the
metric alert's durations "Pt1m"/"Pt15m" (azure-mgmt-monitor's isodate refuses them:
DeserializationError) and the component's `"tags": ""` (msrest cannot read a string as a
dict). Those bodies use "PT1M"/"PT15M" and `{}`; test_sdk_cannot_read_the_example_forms
keeps the finding honest.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

GROUP = 'rg-phonebill-ex'


def ids(sub):
    group = '/subscriptions/%s/resourceGroups/%s' % (sub, GROUP)
    lower = '/subscriptions/%s/resourcegroups/%s' % (sub, GROUP)
    return dict(group=group, lower=lower,
                cluster=group + '/providers/Microsoft.ContainerService/managedClusters/aks-phonebill-ex',
                workspace=lower + '/providers/microsoft.operationalinsights/workspaces/law-phonebill-ex',
                action_group=lower + '/providers/microsoft.insights/actiongroups/ag-phonebill-ex')


def action_group(i):
    body = {'id': i['lower'] + '/providers/microsoft.insights/actionGroups/ag-phonebill-ex', 'name': 'ag-phonebill-ex',
            'type': 'Microsoft.Insights/ActionGroups', 'location': 'Global', 'tags': {},
            'properties': {'groupShortName': 'phonebill', 'enabled': True,
                           'emailReceivers': [{'name': "Ops team's email", 'emailAddress': 'ops@phonebill.example',
                                               'status': 'Enabled', 'useCommonAlertSchema': False},
                                              {'name': "On-call's email", 'emailAddress': 'oncall@phonebill.example',
                                               'status': 'Enabled', 'useCommonAlertSchema': True}],
                           'smsReceivers': [{'name': "On-call's mobile", 'countryCode': '82', 'phoneNumber': '1012345678',
                                             'status': 'Enabled'}],
                           'webhookReceivers': [{'name': 'Sample webhook 1', 'serviceUri': 'http://www.example.com/webhook1',
                                                 'useCommonAlertSchema': True}],
                           'armRoleReceivers': [], 'azureAppPushReceivers': [], 'itsmReceivers': [],
                           'voiceReceivers': [], 'logicAppReceivers': [], 'azureFunctionReceivers': [],
                           'automationRunbookReceivers': [], 'eventHubReceivers': []}}
    args = dict(name='ag-phonebill-ex', resource_group=GROUP, short_name='phonebill', enabled=True,
                email_receivers=[dict(name="On-call's email", email_address='oncall@phonebill.example'),
                                 dict(name="Ops team's email", email_address='ops@phonebill.example',
                                      use_common_alert_schema=False)])
    return body, args


def metric_alert(i):
    body = {'id': i['group'] + '/providers/microsoft.insights/metricalerts/alert-cpu-ex', 'type': 'Microsoft.Insights/metricAlerts',
            'location': 'global', 'tags': {'hidden-link:%s' % i['cluster']: 'Resource'},
            'properties': {'description': 'CPU above 80.5%', 'severity': 3, 'enabled': True, 'scopes': [i['cluster']],
                           'evaluationFrequency': 'PT1M', 'windowSize': 'PT15M',
                           'criteria': {'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
                                        'allOf': [{'criterionType': 'StaticThresholdCriterion', 'name': 'High_CPU_80',
                                                   'metricName': 'node_cpu_usage_percentage', 'dimensions': [],
                                                   'operator': 'GreaterThan', 'threshold': 80.50,
                                                   'timeAggregation': 'Average'}]},
                           'autoMitigate': False,
                           'actions': [{'actionGroupId': i['action_group'], 'webHookProperties': {'key11': 'value11'}}]}}
    args = dict(name='alert-cpu-ex', resource_group=GROUP, description='CPU above 80.5%', severity=3, enabled=True,
                scopes=[i['cluster'].replace('managedClusters', 'managedclusters')], evaluation_frequency='PT1M',
                window_size='PT15M', auto_mitigate=False, action_groups=['ag-phonebill-ex'],
                criteria=[dict(name='High_CPU_80', metric_name='node_cpu_usage_percentage', operator='GreaterThan',
                               threshold=80.5, time_aggregation='Average')])
    return body, args


def scheduled_query_rule(i):
    body = {'id': i['lower'] + '/providers/microsoft.insights/scheduledqueryrules/perf', 'name': 'perf',
            'type': 'microsoft.insights/scheduledqueryrules', 'location': 'koreacentral', 'tags': {}, 'kind': 'LogAlert',
            'properties': {'description': 'Performance rule', 'severity': 4, 'enabled': True, 'evaluationFrequency': 'PT5M',
                           'scopes': [i['workspace']], 'windowSize': 'PT10M',
                           'criteria': {'allOf': [{'query': 'Perf | where ObjectName == "Processor"',
                                                   'timeAggregation': 'Average', 'metricMeasureColumn': '% Processor Time',
                                                   'resourceIdColumn': '_ResourceId',
                                                   'dimensions': [{'name': 'Computer', 'operator': 'Include', 'values': ['*']}],
                                                   'operator': 'GreaterThan', 'threshold': 70,
                                                   'failingPeriods': {'numberOfEvaluationPeriods': 1,
                                                                      'minFailingPeriodsToAlert': 1}}]},
                           'muteActionsDuration': 'PT30M',
                           'actions': {'actionGroups': [i['action_group']], 'customProperties': {'key11': 'value11'}},
                           'ruleResolveConfiguration': {'autoResolved': True, 'timeToResolve': 'PT10M'},
                           'isWorkspaceAlertsStorageConfigured': True, 'checkWorkspaceAlertsStorageConfigured': True,
                           'skipQueryValidation': True}}
    args = dict(name='perf', resource_group=GROUP, location='Korea Central', description='Performance rule', severity=4,
                enabled=True, evaluation_frequency='PT5M', window_size='PT10M', scopes=[i['workspace']],
                action_groups=['ag-phonebill-ex'],
                criteria=[dict(query='Perf | where ObjectName == "Processor"', time_aggregation='Average',
                               metric_measure_column='% Processor Time', operator='GreaterThan', threshold=70,
                               failing_periods=dict(number_of_evaluation_periods=1, min_failing_periods_to_alert=1))])
    return body, args


def diagnostic_setting(i):
    body = {'id': i['cluster'].lower() + '/providers/microsoft.insights/diagnosticSettings/mysetting',
            'type': 'Microsoft.Insights/diagnosticSettings', 'name': 'mysetting',
            'properties': {'storageAccountId': None, 'workspaceId': i['workspace'], 'eventHubAuthorizationRuleId': None,
                           'eventHubName': None,
                           'metrics': [{'category': 'AllMetrics', 'enabled': True, 'retentionPolicy': {'enabled': False, 'days': 0}}],
                           'logs': [{'categoryGroup': 'allLogs', 'enabled': True,
                                     'retentionPolicy': {'enabled': False, 'days': 0}}],
                           'logAnalyticsDestinationType': 'Dedicated'}}
    args = dict(name='mysetting', resource_id=i['cluster'], workspace=i['workspace'].replace('resourcegroups', 'resourceGroups'),
                logs=[dict(category_group='allLogs')], metrics=[dict(category='AllMetrics')],
                log_analytics_destination_type='Dedicated')
    return body, args


def component(i):
    body = {'id': i['group'] + '/providers/Microsoft.Insights/components/my-component', 'name': 'my-component',
            'type': 'Microsoft.Insights/components', 'location': 'Korea Central', 'tags': {}, 'kind': 'web',
            'properties': {'ApplicationId': 'my-component', 'AppId': '887f4bfd-b5fd-40d7-9fc3-123456789abc',
                           'Application_Type': 'web', 'Flow_Type': 'Bluefield', 'Request_Source': 'rest',
                           'InstrumentationKey': 'bc095013-3cf2-45ac-ab47-123456789abc',
                           'CreationDate': '2017-01-24T01:05:38.5934061+00:00',
                           'TenantId': 'f438d567-7177-4fe1-a5e3-123456789abc', 'HockeyAppId': '', 'HockeyAppToken': '',
                           'provisioningState': 'Succeeded', 'SamplingPercentage': 10.0,
                           'WorkspaceResourceId': i['workspace'],
                           'ConnectionString': 'InstrumentationKey=bc095013-3cf2-45ac-ab47-123456789abc',
                           'DisableIpMasking': False, 'publicNetworkAccessForQuery': 'Enabled',
                           'publicNetworkAccessForIngestion': 'Enabled', 'IngestionMode': 'LogAnalytics'}}
    args = dict(name='my-component', resource_group=GROUP, location='koreacentral', application_type='web',
                workspace='law-phonebill-ex', sampling_percentage=10, public_network_access_for_query='Enabled',
                public_network_access_for_ingestion='Enabled')
    return body, args


def saved_search(i):
    body = {'id': i['workspace'] + '/savedSearches/phonebill-heartbeat',
            'etag': "W/\"datetime'2017-10-02T23%3A15%3A41.0709875Z'\"",
            'properties': {'category': 'Saved Search Test Category', 'displayName': 'Create or Update Saved Search Test',
                           'functionAlias': 'heartbeat_func', 'functionParameters': 'a:int=1',
                           'query': 'Heartbeat | summarize Count() by Computer | take a', 'version': 2}}
    args = dict(name='phonebill-heartbeat', resource_group=GROUP, workspace='law-phonebill-ex',
                display_name='Create or Update Saved Search Test', category='Saved Search Test Category',
                query='Heartbeat | summarize Count() by Computer | take a', function_alias='heartbeat_func')
    return body, args


EXAMPLES = [('action_group', action_group), ('metric_alert', metric_alert),
            ('scheduled_query_alert', scheduled_query_rule), ('diagnostic_setting', diagnostic_setting),
            ('application_insights', component), ('log_analytics_saved_search', saved_search)]


@pytest.mark.parametrize('module,example', EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_seeded_reads_as_unchanged_with_no_write(azure, sandbox, module, example):
    i = ids(sandbox.subscription_id)
    sandbox.seed([{'id': i['group'], 'location': 'koreacentral'},
                  {'id': i['workspace'], 'location': 'koreacentral', 'properties': {}},
                  {'id': i['cluster'], 'location': 'koreacentral', 'properties': {'kubernetesVersion': '1.33'}}])
    body, args = example(i)
    sandbox.seed([body])
    writes = azure.writes()
    result = azure(module, **args)
    assert not result.get('failed'), result.get('msg')
    assert result['changed'] is False and result['differences'] == [], result['differences']
    assert azure.writes() == writes
    assert azure(module, check_mode=True, **args)['changed'] is False


@pytest.mark.parametrize('model,path,value', [
    ('MetricAlertResource', ('properties', 'evaluationFrequency'), 'Pt1m'),
    ('ApplicationInsightsComponent', ('tags',), ''),
], ids=['metric-alert-duration-case', 'component-tags-as-string'])
def test_sdk_cannot_read_the_example_forms(sandbox, model, path, value):
    """Why the bodies above differ from the examples in these two places."""
    from azure.core.exceptions import DeserializationError
    from azure.mgmt.applicationinsights.v2020_02_02 import models as insights
    from azure.mgmt.monitor import models as monitor

    body, _args = (metric_alert if model == 'MetricAlertResource' else component)(ids(sandbox.subscription_id))
    node = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(DeserializationError):
        getattr(monitor if model == 'MetricAlertResource' else insights, model).deserialize(body)
