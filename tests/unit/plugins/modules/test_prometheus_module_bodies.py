# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The managed Prometheus modules' REST bodies against Azure's answer forms (fakes, no sandbox)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

from azure.mgmt.monitor import models as monitor

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import data_collection_rule, data_collection_rule_association
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

GROUP = 'rg-phonebill-prod'
GROUP_ID = '/subscriptions/%s/resourceGroups/%s' % (SUB, GROUP)
ENDPOINT = GROUP_ID + '/providers/Microsoft.Insights/dataCollectionEndpoints/MSProm-koreacentral-aks'
WORKSPACE = GROUP_ID + '/providers/Microsoft.Monitor/accounts/amw-phonebill-prod'
RULE = dict(name='MSProm-koreacentral-aks', resource_group=GROUP, location='koreacentral',
            data_collection_endpoint=ENDPOINT, monitor_workspace=WORKSPACE)


def run(module, operations, args, **kwargs):
    with mock.patch.object(AzureModule, 'client', client_factory({'monitor': operations})):
        return run_module(module.main, dict(AUTH, **args), **kwargs)


def rule_fill(key, body, previous):
    """Azure's answer: lower-cased ids, an immutable id, the label filter as an empty object."""
    body.update(id=GROUP_ID.lower() + '/providers/microsoft.insights/datacollectionrules/' + key[1], name=key[1],
                type='Microsoft.Insights/dataCollectionRules')
    props = body['properties']
    props.update(immutableId='dcr-00000000000000000000000000000000', provisioningState='Succeeded',
                 dataCollectionEndpointId=props['dataCollectionEndpointId'].lower())
    for account in props['destinations']['monitoringAccounts']:
        account['accountResourceId'] = account['accountResourceId'].lower()
    return body


def test_rule_is_microsofts_prometheus_shape_and_reads_back_unchanged():
    rules = Collection(monitor.DataCollectionRuleResource, rule_fill)
    ops = Operations(rules, 2, get='get', create='put', delete='delete')
    created = run(data_collection_rule, mock.Mock(data_collection_rules=ops), RULE)
    assert created['changed'] is True, created.get('msg')
    _put, _key, body = rules.writes[0]
    assert body['kind'] == 'Linux'
    props = body['properties']
    assert props['dataCollectionEndpointId'] == ENDPOINT
    assert props['dataSources'] == {'prometheusForwarder': [
        {'name': 'PrometheusDataSource', 'streams': ['Microsoft-PrometheusMetrics']}]}
    assert props['destinations'] == {'monitoringAccounts': [{'name': 'MonitoringAccount1', 'accountResourceId': WORKSPACE}]}
    assert props['dataFlows'] == [{'streams': ['Microsoft-PrometheusMetrics'], 'destinations': ['MonitoringAccount1']}]

    again = run(data_collection_rule, mock.Mock(data_collection_rules=ops), RULE)
    assert again['changed'] is False and again['differences'] == [] and len(rules.writes) == 1


def test_rule_moved_to_another_workspace_is_one_difference_by_destination_name():
    rules = Collection(monitor.DataCollectionRuleResource, rule_fill)
    ops = Operations(rules, 2, get='get', create='put', delete='delete')
    run(data_collection_rule, mock.Mock(data_collection_rules=ops), RULE)
    other = WORKSPACE.replace('amw-phonebill-prod', 'amw-other')
    predicted = run(data_collection_rule, mock.Mock(data_collection_rules=ops), dict(RULE, monitor_workspace=other),
                    check_mode=True)
    assert predicted['differences'] == [{'path': 'properties.destinations.monitoringAccounts[MonitoringAccount1].accountResourceId',
                                         'before': WORKSPACE.lower(), 'after': other}]
    assert len(rules.writes) == 1


def test_association_sends_the_cluster_id_without_its_leading_slash():
    cluster = GROUP_ID + '/providers/Microsoft.ContainerService/managedClusters/aks'
    rule_id = GROUP_ID + '/providers/Microsoft.Insights/dataCollectionRules/MSProm-koreacentral-aks'

    def fill(key, body, previous):
        body.update(id='/%s/providers/Microsoft.Insights/dataCollectionRuleAssociations/%s' % key, name=key[1])
        return body
    associations = Collection(monitor.DataCollectionRuleAssociationProxyOnlyResource, fill)
    associations.seed((cluster.lstrip('/'), 'other'), {'name': 'other', 'properties': {}})
    ops = Operations(associations, 2, get='get', create='put', delete='delete', list_by_resource='list')
    created = run(data_collection_rule_association, mock.Mock(data_collection_rule_associations=ops),
                  dict(name='ContainerInsightsMetricsExtension', resource_id=cluster, data_collection_rule=rule_id))
    assert created['changed'] is True, created.get('msg')
    assert associations.writes == [('put', (cluster.lstrip('/'), 'ContainerInsightsMetricsExtension'),
                                    {'properties': {'dataCollectionRuleId': rule_id}})]
