# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Managed Prometheus for AKS against the sandbox: workspace, endpoint, rule, association, the cluster's profile.

Every module goes through create, no-op, check mode, drift and delete; Microsoft's
REST examples (AzureMonitorWorkspaces_Get, DataCollectionRuleAssociationsGet),
seeded as Azure answers them, read as unchanged; Azure's refusals (a region
without workspaces, an association on a missing cluster) stop before any write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

GROUP = 'rg-phonebill-prom'
GROUP_ID = '/subscriptions/{sub}/resourceGroups/%s' % GROUP
CLUSTER_ID = GROUP_ID + '/providers/Microsoft.ContainerService/managedClusters/aks-phonebill-prom'
WORKSPACE_ID = GROUP_ID + '/providers/Microsoft.Monitor/accounts/amw-phonebill-prom'
MSPROM = 'MSProm-koreacentral-aks-phonebill-prom'
ENDPOINT_ID = GROUP_ID + '/providers/Microsoft.Insights/dataCollectionEndpoints/' + MSPROM
RULE_ID = GROUP_ID + '/providers/Microsoft.Insights/dataCollectionRules/' + MSPROM
ASSOCIATIONS = CLUSTER_ID + '/providers/Microsoft.Insights/dataCollectionRuleAssociations/'

WORKSPACE = dict(name='amw-phonebill-prom', resource_group=GROUP, location='koreacentral',
                 public_network_access='Enabled', tags={'service': 'phonebill'})
ENDPOINT = dict(name=MSPROM, resource_group=GROUP, location='koreacentral', kind='Linux', public_network_access='Enabled')
RULE = dict(name=MSPROM, resource_group=GROUP, location='koreacentral', data_collection_endpoint=ENDPOINT_ID,
            monitor_workspace=WORKSPACE_ID, description='DCR for Azure Monitor Metrics Profile (Managed Prometheus)')
RULE_ASSOCIATION = dict(name='ContainerInsightsMetricsExtension', resource_id=CLUSTER_ID, data_collection_rule=RULE_ID)
ENDPOINT_ASSOCIATION = dict(name='configurationAccessEndpoint', resource_id=CLUSTER_ID,
                            data_collection_endpoint=ENDPOINT_ID)

# (module, arguments, id, what must exist first, drift patch, the difference it must show, delete key)
CASES = [
    ('monitor_workspace', WORKSPACE, WORKSPACE_ID, (), {'properties': {'publicNetworkAccess': 'Disabled'}},
     ('properties.publicNetworkAccess', 'Disabled', 'Enabled'), ('name', 'resource_group')),
    ('data_collection_endpoint', ENDPOINT, ENDPOINT_ID, (), {'properties': {'networkAcls': {'publicNetworkAccess': 'Disabled'}}},
     ('properties.networkAcls.publicNetworkAccess', 'Disabled', 'Enabled'), ('name', 'resource_group')),
    ('data_collection_rule', RULE, RULE_ID, ('monitor_workspace', 'data_collection_endpoint'),
     {'properties': {'dataFlows': [{'streams': ['Microsoft-PrometheusMetrics'], 'destinations': ['MonitoringAccount1']},
                                   {'streams': ['Microsoft-PrometheusMetrics'], 'destinations': ['MonitoringAccount1']}]}},
     None, ('name', 'resource_group')),
    ('data_collection_rule_association', RULE_ASSOCIATION, ASSOCIATIONS + 'ContainerInsightsMetricsExtension',
     ('monitor_workspace', 'data_collection_endpoint', 'data_collection_rule'),
     {'properties': {'dataCollectionRuleId': GROUP_ID + '/providers/Microsoft.Insights/dataCollectionRules/other'}},
     ('properties.dataCollectionRuleId', GROUP_ID + '/providers/Microsoft.Insights/dataCollectionRules/other', RULE_ID),
     ('name', 'resource_id')),
    ('data_collection_rule_association', ENDPOINT_ASSOCIATION, ASSOCIATIONS + 'configurationAccessEndpoint',
     ('data_collection_endpoint',), {'properties': {'dataCollectionEndpointId': None}}, None, ('name', 'resource_id')),
]
PREREQUISITES = {'monitor_workspace': WORKSPACE, 'data_collection_endpoint': ENDPOINT, 'data_collection_rule': RULE}


def with_subscription(value, subscription):
    return json.loads(json.dumps(value).replace('{sub}', subscription))


@pytest.fixture
def platform(azure, sandbox):
    """A group with the AKS cluster the rule collects from (seeded: creating one takes minutes)."""
    sub = sandbox.subscription_id
    azure('resource_group', name=GROUP, location='koreacentral')
    sandbox.seed([{'id': with_subscription(CLUSTER_ID, sub), 'location': 'koreacentral',
                   'type': 'Microsoft.ContainerService/managedClusters', 'properties': {'kubernetesVersion': '1.33'}}])
    return sub


@pytest.mark.parametrize('module,args,rid,needs,patch,difference,key', CASES,
                         ids=['workspace', 'endpoint', 'rule', 'rule-association', 'endpoint-association'])
def test_lifecycle(azure, sandbox, platform, module, args, rid, needs, patch, difference, key):
    args, rid, patch, difference = (with_subscription(v, platform) for v in (args, rid, patch, difference))
    for needed in needs:
        assert not azure(needed, **with_subscription(PREREQUISITES[needed], platform)).get('failed')

    writes = azure.writes()
    predicted = azure(module, check_mode=True, **args)
    assert predicted['changed'] is True and azure.writes() == writes, predicted.get('msg')
    created = azure(module, **args)
    assert created['changed'] is True and not created.get('failed'), created.get('msg')
    assert created['id'].lower() == rid.lower() and azure.writes() == writes + 1

    writes = azure.writes()
    again = azure(module, **args)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes

    before = sandbox.get(rid)
    sandbox.drift(rid, patch)
    drifted = azure(module, check_mode=True, **args)
    assert drifted['changed'] is True and azure.writes() == writes, drifted.get('msg')
    if difference:
        assert dict(zip(('path', 'before', 'after'), difference)) in drifted['differences'], drifted['differences']
    repaired = azure(module, **args)
    assert repaired['differences'] == drifted['differences'] and azure.writes() == writes + 1
    assert azure(module, **args)['changed'] is False
    assert _stated(sandbox.get(rid)) == _stated(before)

    keys = dict((k, args[k]) for k in key)
    assert azure(module, state='absent', **keys)['changed'] is True
    with pytest.raises(RuntimeError, match='404'):
        sandbox.get(rid)
    assert azure(module, state='absent', **keys)['changed'] is False


def _stated(resource):
    """What the modules state of a resource (server-generated fields left out)."""
    props = dict(resource.get('properties') or {})
    for generated in ('provisioningState', 'immutableId', 'configurationAccess', 'logsIngestion', 'metricsIngestion',
                      'accountId', 'metrics', 'defaultIngestionSettings'):
        props.pop(generated, None)
    return props


def test_workspace_returns_its_query_endpoint_and_the_info_twin_reads_it(azure, platform):
    created = azure('monitor_workspace', **WORKSPACE)
    assert created['query_endpoint'].startswith('https://amw-phonebill-prom-')
    assert created['query_endpoint'].endswith('.koreacentral.prometheus.monitor.azure.com')
    assert '/resourceGroups/MA_amw-phonebill-prom_koreacentral_managed/' in created['default_data_collection_rule']
    found = azure('monitor_workspace_info', name='amw-phonebill-prom', resource_group=GROUP)
    assert [w['properties']['metrics']['prometheusQueryEndpoint'] for w in found['workspaces']] == [created['query_endpoint']]
    assert azure('monitor_workspace_info', name='amw-missing', resource_group=GROUP)['workspaces'] == []


def test_rule_keeps_a_destination_added_in_the_portal(azure, sandbox, platform):
    for needed in ('monitor_workspace', 'data_collection_endpoint'):
        azure(needed, **with_subscription(PREREQUISITES[needed], platform))
    args = with_subscription(RULE, platform)
    created = azure('data_collection_rule', **args)
    accounts = created['resource']['properties']['destinations']['monitoringAccounts']
    extra = dict(name='MonitoringAccount2', accountResourceId=with_subscription(WORKSPACE_ID, platform))
    sandbox.drift(created['id'], {'properties': {'destinations': {'monitoringAccounts': accounts + [extra]}}})
    again = azure('data_collection_rule', **args)
    assert again['changed'] is False, again['differences']
    names = [a['name'] for a in sandbox.get(created['id'])['properties']['destinations']['monitoringAccounts']]
    assert sorted(names) == ['MonitoringAccount1', 'MonitoringAccount2']


def test_association_on_a_missing_cluster_names_it_and_writes_nothing(azure, sandbox, platform, monkeypatch):
    args = with_subscription(dict(ENDPOINT_ASSOCIATION, resource_id=CLUSTER_ID.replace('aks-phonebill-prom', 'aks-gone')),
                             platform)
    azure('data_collection_endpoint', **ENDPOINT)
    writes = azure.writes()
    result = azure('data_collection_rule_association', **args)
    assert result['failed'] and 'aks-gone does not exist' in result['msg'] and azure.writes() == writes
    warnings = []
    monkeypatch.setattr('ansible.module_utils.basic.AnsibleModule.warn', lambda self, msg: warnings.append(msg))
    predicted = azure('data_collection_rule_association', check_mode=True, **args)
    assert predicted['changed'] is True and azure.writes() == writes
    assert warnings == [result['msg'] + ' (check mode: an earlier task of the run may create it)']


@pytest.mark.parametrize('module,args,problem', [
    ('monitor_workspace', dict(WORKSPACE, location='koreasouth'), 'location: Azure Monitor workspaces are not offered'),
    ('monitor_workspace', dict(WORKSPACE, name='-amw'), "name: '-amw' is not a valid monitor workspace name"),
    ('data_collection_rule', dict(RULE, monitor_workspace='amw-phonebill-prom'), 'monitor_workspace: '),
    ('data_collection_rule_association', dict(RULE_ASSOCIATION, data_collection_endpoint=ENDPOINT_ID),
     'data_collection_rule: state either'),
    ('data_collection_rule_association', dict(RULE_ASSOCIATION, data_collection_rule=None), 'not neither'),
], ids=['workspace-region', 'workspace-name', 'rule-workspace-not-an-id', 'association-both', 'association-neither'])
def test_bad_input_fails_before_any_request(azure, sandbox, platform, module, args, problem):
    requests = len(sandbox.requests())
    result = azure(module, **with_subscription(args, platform))
    assert result['failed'] and problem in result['msg'], result['msg']
    assert len(sandbox.requests()) == requests


def test_sandbox_refuses_what_azure_refuses(azure, sandbox, platform):
    """Through the real SDK client: a workspace where none are offered, a flow to an undeclared destination,
    an endpoint association under another name."""
    from azure.core.exceptions import HttpResponseError
    from azure.mgmt.monitor import MonitorManagementClient
    client = MonitorManagementClient(sandbox.credential(), platform, **sandbox.mgmt_kwargs())
    with pytest.raises(HttpResponseError, match='LocationNotAvailableForResourceType'):
        client.azure_monitor_workspaces.create(GROUP, 'amw-south', {'location': 'koreasouth'})
    azure('data_collection_endpoint', **ENDPOINT)
    flows = {'location': 'koreacentral', 'kind': 'Linux', 'properties': {
        'dataSources': {'prometheusForwarder': [{'name': 'PrometheusDataSource', 'streams': ['Microsoft-PrometheusMetrics']}]},
        'destinations': {'monitoringAccounts': [{'name': 'MonitoringAccount1',
                                                 'accountResourceId': with_subscription(WORKSPACE_ID, platform)}]},
        'dataFlows': [{'streams': ['Microsoft-PrometheusMetrics'], 'destinations': ['MonitoringAccount1']}]}}
    with pytest.raises(HttpResponseError, match='InvalidPayload'):  # the workspace does not exist
        client.data_collection_rules.create(GROUP, 'dcr-bad', flows)
    with pytest.raises(HttpResponseError, match="must be named 'configurationAccessEndpoint'"):
        client.data_collection_rule_associations.create(
            with_subscription(CLUSTER_ID, platform).lstrip('/'), 'other',
            {'properties': {'dataCollectionEndpointId': with_subscription(ENDPOINT_ID, platform)}})


def test_cluster_metrics_profile_changes_only_what_is_stated(azure, sandbox, platform):
    rid = with_subscription(CLUSTER_ID, platform)
    sandbox.drift(rid, {'properties': {'azureMonitorProfile': {'metrics': {'enabled': False}}}})
    metrics = dict(enabled=True, labels_allowlist='pods=[app.kubernetes.io/name]',
                   annotations_allowlist='pods=[prometheus.io/scrape,prometheus.io/path]')
    args = dict(name='aks-phonebill-prom', resource_group=GROUP, prometheus_metrics=metrics)
    writes = azure.writes()
    predicted = azure('aks_cluster', check_mode=True, **args)
    assert predicted['changed'] is True and azure.writes() == writes, predicted.get('msg')
    assert {'path': 'properties.azureMonitorProfile.metrics.enabled', 'before': False, 'after': True} in predicted['differences']
    updated = azure('aks_cluster', **args)
    assert updated['changed'] is True and not updated.get('failed'), updated.get('msg')
    cluster = sandbox.get(rid)
    assert cluster['properties']['kubernetesVersion'] == '1.33'
    assert cluster['properties']['azureMonitorProfile']['metrics'] == {
        'enabled': True, 'kubeStateMetrics': {'metricLabelsAllowlist': 'pods=[app.kubernetes.io/name]',
                                              'metricAnnotationsAllowList': 'pods=[prometheus.io/scrape,prometheus.io/path]'}}
    writes = azure.writes()
    assert azure('aks_cluster', **args)['changed'] is False and azure.writes() == writes
    bad = azure('aks_cluster', **dict(args, prometheus_metrics=dict(metrics, labels_allowlist='pods=app')))
    assert bad['failed'] and 'prometheus_metrics.labels_allowlist' in bad['msg'] and azure.writes() == writes


def _workspace_example(sub):
    """AzureMonitorWorkspaces_Get (2025-05-03-preview, fields of 2023-04-03) with the platform's names."""
    rid = GROUP_ID.format(sub=sub) + '/providers/Microsoft.Monitor/accounts/amw-phonebill-prom'
    managed = '/subscriptions/%s/resourceGroups/MA_amw-phonebill-prom_koreacentral_managed/providers/Microsoft.Insights' % sub
    return {'id': rid, 'name': 'amw-phonebill-prom', 'type': 'Microsoft.Monitor/accounts', 'location': 'koreacentral',
            'tags': {'service': 'phonebill'}, 'etag': '"9400ec61-0000-4700-0000-66857bc60000"',
            'systemData': {'createdBy': 'user1', 'createdByType': 'User', 'createdAt': '2021-04-01T12:34:56.1234567Z',
                           'lastModifiedBy': 'user2', 'lastModifiedByType': 'User',
                           'lastModifiedAt': '2021-04-02T12:34:56.1234567Z'},
            'properties': {'accountId': '2df515bf-c3ce-4920-84d4-1d9d16542d9f',
                           'metrics': {'prometheusQueryEndpoint':
                                       'https://amw-phonebill-prom-v8hx.koreacentral.prometheus.monitor.azure.com',
                                       'internalId': 'mac_2df515bf-c3ce-4920-84d4-1d9d16542d9f'},
                           'provisioningState': 'Succeeded',
                           'defaultIngestionSettings': {
                               'dataCollectionRuleResourceId': managed + '/dataCollectionRules/amw-phonebill-prom',
                               'dataCollectionEndpointResourceId': managed + '/dataCollectionEndpoints/amw-phonebill-prom'},
                           'publicNetworkAccess': 'Enabled'}}


def _association_example(sub):
    """DataCollectionRuleAssociationsGet (2023-03-11) on the cluster, with a lower-case provider in the rule id."""
    cluster = with_subscription(CLUSTER_ID, sub)
    return {'id': cluster + '/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsMetricsExtension',
            'name': 'ContainerInsightsMetricsExtension', 'type': 'Microsoft.Insights/dataCollectionRuleAssociations',
            'etag': '00000836-0000-0100-0000-65fdd8bc0000',
            'systemData': {'createdBy': 'user1', 'createdByType': 'User', 'createdAt': '2024-03-22T19:15:08.2155156Z',
                           'lastModifiedBy': 'user1', 'lastModifiedByType': 'User',
                           'lastModifiedAt': '2024-03-22T19:15:08.2155156Z'},
            'properties': {'dataCollectionRuleId': with_subscription(RULE_ID, sub).replace('/resourceGroups/', '/resourcegroups/')
                           .replace('Microsoft.Insights', 'microsoft.insights')}}


def test_microsofts_examples_read_as_unchanged(azure, sandbox, platform):
    sandbox.seed([_workspace_example(platform), _association_example(platform)])
    writes = azure.writes()
    workspace = azure('monitor_workspace', **WORKSPACE)
    assert workspace['changed'] is False and workspace['differences'] == [], workspace.get('msg')
    assert workspace['query_endpoint'] == 'https://amw-phonebill-prom-v8hx.koreacentral.prometheus.monitor.azure.com'
    association = azure('data_collection_rule_association', **with_subscription(RULE_ASSOCIATION, platform))
    assert association['changed'] is False and association['differences'] == [], association.get('msg')
    assert azure.writes() == writes
