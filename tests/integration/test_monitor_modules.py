# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The observability modules against the sandbox: every one through create, no-op, check mode, drift, delete.

Each case states the module's arguments, a change made behind its back
through the sandbox's control API and the difference the module must report
for it. Behaviour only some of them have (masked webhook URLs, refused
categories, a missing resource) has its own test below.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

GROUP = 'rg-phonebill-it'
SUB_PLACEHOLDER = '{sub}'
GROUP_ID = '/subscriptions/{sub}/resourceGroups/%s' % GROUP
WORKSPACE_ID = GROUP_ID + '/providers/Microsoft.OperationalInsights/workspaces/law-phonebill-it'
CLUSTER_ID = GROUP_ID + '/providers/Microsoft.ContainerService/managedClusters/aks-phonebill-it'
COMPONENT_ID = GROUP_ID + '/providers/Microsoft.Insights/components/appi-phonebill-it'
WEBHOOK = 'https://contoso.webhook.office.com/webhookb2/0000/IncomingWebhook/abc/secret-token-value'

ACTION_GROUP = dict(name='ag-phonebill-it', resource_group=GROUP, short_name='phonebillit',
                    email_receivers=[dict(name='ops-mail', email_address='ops@phonebill.example')],
                    webhook_receivers=[dict(name='ops-teams', service_uri=WEBHOOK)])
METRIC_ALERT = dict(name='alert-cpu', resource_group=GROUP, description='Node CPU above 85% over 10 minutes', severity=2,
                    scopes=[CLUSTER_ID], evaluation_frequency='PT5M', window_size='PT15M', auto_mitigate=True,
                    criteria=[dict(name='cpu', metric_name='node_cpu_usage_percentage',
                                   metric_namespace='Microsoft.ContainerService/managedClusters', operator='GreaterThan',
                                   threshold=85, time_aggregation='Average')],
                    action_groups=['ag-phonebill-it'])
LOG_ALERT = dict(name='alert-failed-requests', resource_group=GROUP, location='koreacentral', severity=0,
                 scopes=[COMPONENT_ID], evaluation_frequency='PT5M', window_size='PT5M',
                 criteria=[dict(query='requests | summarize failed = 100.0 * countif(success == false) / count()',
                                time_aggregation='Maximum', metric_measure_column='failed', operator='GreaterThan',
                                threshold=5)],
                 action_groups=['ag-phonebill-it'])
COMPONENT = dict(name='appi-phonebill-it', resource_group=GROUP, location='koreacentral', application_type='web',
                 workspace='law-phonebill-it', sampling_percentage=10, retention_days=90)
DIAGNOSTIC = dict(name='to-law', resource_id=CLUSTER_ID, workspace=WORKSPACE_ID,
                  logs=[dict(category='kube-audit-admin'), dict(category_group='audit')],
                  metrics=[dict(category='AllMetrics')], log_analytics_destination_type='Dedicated')
SAVED_SEARCH = dict(name='phonebill-avg-cpu', resource_group=GROUP, workspace='law-phonebill-it',
                    display_name='Average processor time by computer', category='phonebill',
                    query='Perf | where CounterName == "% Processor Time" | summarize avg(CounterValue) by Computer')

# (module, arguments, id of the resource to drift, drift patch, the difference it must show)
CASES = [
    ('action_group', ACTION_GROUP, GROUP_ID + '/providers/Microsoft.Insights/actionGroups/ag-phonebill-it',
     {'properties': {'groupShortName': 'other'}}, ('properties.groupShortName', 'other', 'phonebillit')),
    ('metric_alert', METRIC_ALERT, GROUP_ID + '/providers/Microsoft.Insights/metricAlerts/alert-cpu',
     {'properties': {'windowSize': 'PT30M'}}, ('properties.windowSize', 'PT30M', 'PT15M')),
    ('scheduled_query_alert', LOG_ALERT, GROUP_ID + '/providers/Microsoft.Insights/scheduledQueryRules/alert-failed-requests',
     {'properties': {'severity': 3}}, ('properties.severity', 3, 0)),
    ('application_insights', COMPONENT, COMPONENT_ID,
     {'properties': {'SamplingPercentage': 100}}, ('properties.SamplingPercentage', 100, 10.0)),
    ('diagnostic_setting', DIAGNOSTIC, CLUSTER_ID + '/providers/Microsoft.Insights/diagnosticSettings/to-law',
     {'properties': {'logAnalyticsDestinationType': 'AzureDiagnostics'}},
     ('properties.logAnalyticsDestinationType', 'AzureDiagnostics', 'Dedicated')),
    ('log_analytics_saved_search', SAVED_SEARCH, WORKSPACE_ID + '/savedSearches/phonebill-avg-cpu',
     {'properties': {'query': 'Perf | take 10'}}, ('properties.query', 'Perf | take 10', SAVED_SEARCH['query'])),
]


def with_subscription(value, subscription):
    """The arguments with the sandbox's subscription in the resource ids."""
    return json.loads(json.dumps(value).replace(SUB_PLACEHOLDER, subscription))


@pytest.fixture
def platform(azure, sandbox):
    """A group with a workspace, a cluster and a component to watch, and the action group alerts notify."""
    sub = sandbox.subscription_id
    azure('resource_group', name=GROUP, location='koreacentral')
    azure('log_analytics_workspace', name='law-phonebill-it', resource_group=GROUP, location='koreacentral')
    sandbox.seed([{'id': with_subscription(CLUSTER_ID, sub), 'location': 'koreacentral',
                   'type': 'Microsoft.ContainerService/managedClusters', 'properties': {'kubernetesVersion': '1.33'}},
                  {'id': with_subscription(COMPONENT_ID, sub), 'location': 'koreacentral', 'kind': 'web',
                   'type': 'Microsoft.Insights/components', 'properties': {'Application_Type': 'web'}}])
    return sub


def _prepare(azure, platform, module):
    if module in ('metric_alert', 'scheduled_query_alert'):
        azure('action_group', **ACTION_GROUP)
    if module == 'application_insights':
        azure.sandbox.drift(with_subscription(COMPONENT_ID, platform), delete=True)


@pytest.mark.parametrize('module,args,rid,patch,difference', CASES, ids=[c[0] for c in CASES])
def test_lifecycle(azure, sandbox, platform, module, args, rid, patch, difference):
    args, rid = with_subscription(args, platform), with_subscription(rid, platform)
    _prepare(azure, platform, module)

    writes = azure.writes()
    predicted = azure(module, check_mode=True, **args)
    assert predicted['changed'] is True and azure.writes() == writes, predicted.get('msg')
    created = azure(module, **args)
    assert created['changed'] is True and not created.get('failed'), created.get('msg')
    assert created['id'].lower() == rid.lower()
    assert azure.writes() == writes + 1

    writes = azure.writes()
    again = azure(module, **args)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes

    sandbox.drift(rid, patch)
    drifted = azure(module, check_mode=True, **args)
    path, before, after = difference
    assert drifted['changed'] is True and azure.writes() == writes
    assert {'path': path, 'before': before, 'after': after} in drifted['differences'], drifted['differences']
    repaired = azure(module, **args)
    assert repaired['differences'] == drifted['differences'] and azure.writes() == writes + 1
    assert azure(module, **args)['changed'] is False

    key = dict((k, args[k]) for k in ('name', 'resource_group', 'workspace', 'resource_id') if k in args)
    assert azure(module, state='absent', **key)['changed'] is True
    with pytest.raises(RuntimeError, match='404'):
        sandbox.get(rid)
    assert azure(module, state='absent', **key)['changed'] is False


def test_webhook_url_never_in_the_result(azure, platform):
    created = azure('action_group', **ACTION_GROUP)
    changed = dict(ACTION_GROUP, webhook_receivers=[dict(name='ops-teams', service_uri=WEBHOOK + '-rotated')])
    rotated = azure('action_group', **changed)
    for result in (created, rotated):
        assert 'secret-token-value' not in json.dumps(result)
    assert rotated['differences'] == [{'path': 'properties.webhookReceivers[ops-teams].serviceUri',
                                       'before': '********', 'after': '********'}]
    assert rotated['resource']['properties']['webhookReceivers'][0]['serviceUri'] == '********'


def test_receiver_added_in_the_portal_is_reported_and_kept_unless_purged(azure, sandbox, platform):
    created = azure('action_group', **ACTION_GROUP)
    receivers = created['resource']['properties']['emailReceivers']
    sandbox.drift(created['id'], {'properties': {'emailReceivers': receivers + [
        {'name': 'former-oncall', 'emailAddress': 'old@phonebill.example', 'useCommonAlertSchema': True}]}})
    kept = azure('action_group', **ACTION_GROUP)
    assert kept['changed'] is False and kept['unmanaged_receivers'] == ['emailReceivers/former-oncall']
    purged = azure('action_group', purge_receivers=True, **ACTION_GROUP)
    assert purged['differences'][0]['path'] == 'properties.emailReceivers[former-oncall]'
    assert [r['name'] for r in sandbox.get(created['id'])['properties']['emailReceivers']] == ['ops-mail']


def test_criterion_removed_in_azure_is_put_back_and_an_extra_one_removed(azure, sandbox, platform):
    azure('action_group', **ACTION_GROUP)
    args = with_subscription(METRIC_ALERT, platform)
    created = azure('metric_alert', **args)
    extra = dict(created['resource']['properties']['criteria']['allOf'][0], name='memory',
                 metricName='node_memory_working_set_percentage')
    sandbox.drift(created['id'], {'properties': {'criteria': {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria', 'allOf': [extra]}}})
    repaired = azure('metric_alert', **args)
    assert [d['path'] for d in repaired['differences']] == ['properties.criteria.allOf[cpu]',
                                                            'properties.criteria.allOf[memory]']
    assert [c['name'] for c in sandbox.get(created['id'])['properties']['criteria']['allOf']] == ['cpu']


def test_category_the_resource_type_does_not_have_fails_before_any_write(azure, platform):
    args = with_subscription(dict(DIAGNOSTIC, logs=[dict(category='ApplicationGatewayFirewallLog')]), platform)
    writes = azure.writes()
    result = azure('diagnostic_setting', **args)
    assert result['failed'] and azure.writes() == writes
    assert result['msg'].startswith('logs[ApplicationGatewayFirewallLog].category: ApplicationGatewayFirewallLog is '
                                    'not a category of Microsoft.ContainerService/managedClusters; use one of ')
    assert 'kube-audit-admin' in result['msg']


def test_unchanged_setting_reads_only_itself_and_a_change_is_checked_against_the_categories(azure, sandbox, platform):
    """A no-op run sends one GET; the categories Azure offers are read only before a write."""
    args = with_subscription(DIAGNOSTIC, platform)
    azure('diagnostic_setting', **args)
    sandbox.clear_requests()
    assert azure('diagnostic_setting', **args)['changed'] is False
    assert [r['path'].split('?')[0].rsplit('/', 2)[-2] for r in sandbox.requests()] == ['diagnosticSettings']
    refused = azure('diagnostic_setting', **dict(args, logs=[dict(category='ApplicationGatewayFirewallLog')]))
    assert refused['failed'] and azure.writes() == 0
    assert refused['msg'].startswith('logs[ApplicationGatewayFirewallLog].category: ')


def test_setting_on_a_missing_resource_names_it(azure, platform, monkeypatch):
    gateway = GROUP_ID + '/providers/Microsoft.Network/applicationGateways/agw-phonebill-it'
    args = with_subscription(dict(DIAGNOSTIC, resource_id=gateway,
                                  logs=[dict(category='ApplicationGatewayFirewallLog')]), platform)
    writes = azure.writes()
    result = azure('diagnostic_setting', **args)
    assert result['failed'] and azure.writes() == writes
    assert result['msg'] == ('resource_id: %s does not exist; create it before its diagnostic setting, or remove the '
                             'setting from the inventory' % args['resource_id'])
    warnings = []
    monkeypatch.setattr('ansible.module_utils.basic.AnsibleModule.warn', lambda self, msg: warnings.append(msg))
    predicted = azure('diagnostic_setting', check_mode=True, **args)
    assert predicted['changed'] is True and azure.writes() == writes
    assert warnings == [result['msg'] + ' (check mode: an earlier task of the run may create it)']


@pytest.mark.parametrize('module,args,problem', [
    ('metric_alert', dict(METRIC_ALERT, window_size='PT1M'), 'window_size: PT1M is shorter than evaluation_frequency PT5M'),
    ('metric_alert', dict(METRIC_ALERT, evaluation_frequency='PT10M'), 'evaluation_frequency: PT10M is not a value Azure'),
    ('metric_alert', dict(METRIC_ALERT, severity=5), 'severity: a number 5 is not an alert severity'),
    ('scheduled_query_alert', dict(LOG_ALERT, window_size='5 minutes'), 'window_size: a string'),
    ('action_group', dict(ACTION_GROUP, email_receivers=[], webhook_receivers=[]), 'email_receivers: an action group without'),
    ('action_group', dict(ACTION_GROUP, short_name='phonebill-operations'), 'short_name: a string'),
    ('action_group', dict(ACTION_GROUP, webhook_receivers=[dict(name='t', service_uri='http://x.example/hook')]),
     'webhook_receivers[t].service_uri: not an https URL'),
    ('application_insights', dict(COMPONENT, sampling_percentage=0), 'sampling_percentage: a number 0.0 is not'),
], ids=['window-shorter', 'frequency-not-offered', 'severity-5', 'window-not-iso', 'no-receiver', 'short-name-long',
        'webhook-http', 'sampling-zero'])
def test_bad_input_fails_before_any_request(azure, sandbox, module, args, problem):
    before = sandbox.counters()['total']
    result = azure(module, **with_subscription(args, sandbox.subscription_id))
    assert result['failed'] and problem in result['msg'], result['msg']
    assert 'secret-token-value' not in json.dumps(result)
    assert sandbox.counters()['total'] == before


def test_info_twins_read_one_by_name_the_group_and_nothing_for_a_missing_name(azure, platform):
    azure('action_group', **ACTION_GROUP)
    azure('metric_alert', **with_subscription(METRIC_ALERT, platform))
    azure('scheduled_query_alert', **with_subscription(LOG_ALERT, platform))
    for module, name, kind in (('metric_alert_info', 'alert-cpu', 'Microsoft.Insights/metricAlerts'),
                               ('scheduled_query_alert_info', 'alert-failed-requests', 'Microsoft.Insights/scheduledQueryRules')):
        one = azure(module, name=name, resource_group=GROUP)
        assert [a['name'] for a in one['alerts']] == [name] and one['alerts'][0]['type'] == kind
        assert one['changed'] is False
        assert [a['name'] for a in azure(module, resource_group=GROUP)['alerts']] == [name]
        assert azure(module, name='absent', resource_group=GROUP)['alerts'] == []
    severity = azure('metric_alert_info', name='alert-cpu', resource_group=GROUP)['alerts'][0]['properties']['severity']
    assert severity == METRIC_ALERT['severity']
