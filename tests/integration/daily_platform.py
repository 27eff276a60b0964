# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The production platform as the daily checks find it in the sandbox: resources seeded as Azure returns them,
a quiet day of telemetry (every metric alert's metric at half its threshold), for the daily playbook's tests and
its AWX job test."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

INVENTORY = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'inventories', 'prod'))
GROUP = 'rg-phonebill-prod'
RESOURCES = {
    'Microsoft.Network/virtualNetworks': ('vnet-phonebill-prod', {'addressSpace': {'addressPrefixes': ['10.0.0.0/16']}}),
    'Microsoft.ContainerService/managedClusters': ('aks-phonebill-prod', {'kubernetesVersion': '1.32.6'}),
    'Microsoft.Network/applicationGateways': ('agw-phonebill-prod', {}),
    'Microsoft.DBforPostgreSQL/flexibleServers': ('psql-phonebill-prod', {'state': 'Ready'}),
    'Microsoft.Cache/redis': ('redis-phonebill-prod', {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2}}),
    'Microsoft.KeyVault/vaults': ('kv-phonebill-prod', {}),
    'Microsoft.ContainerRegistry/registries': ('acrphonebillprod', {}),
    'Microsoft.OperationalInsights/workspaces': ('law-phonebill-prod', {'retentionInDays': 90}),
    'Microsoft.Insights/components': ('appi-phonebill-prod', {'Application_Type': 'web'}),
}


def _inventory(name):
    with open(os.path.join(INVENTORY, 'group_vars', 'all', name)) as stream:
        return yaml.safe_load(stream)


def rid(sandbox, kind):
    return '/subscriptions/%s/resourceGroups/%s/providers/%s/%s' % (sandbox.subscription_id, GROUP, kind, RESOURCES[kind][0])


def seed_healthy_platform(sandbox):
    """Every declared resource, Succeeded and Available, with a quiet day of telemetry."""
    sandbox.seed([dict(id=rid(sandbox, kind), type=kind, location='koreacentral',
                       properties=dict(props, provisioningState='Succeeded'))
                  for kind, (name, props) in RESOURCES.items()])
    for alert in _inventory('observability.yml')['phonebill_metric_alerts']:
        for criterion in alert['criteria']:
            kind = alert['resource_type']
            sandbox.seed_metric(rid(sandbox, kind), criterion['metric_name'],
                                [{criterion['time_aggregation'].lower(): criterion['threshold'] * 0.5}] * 12)
    # both response-time alerts read requests/duration: the whole service's, and KOS-Mock's by its role name
    sandbox.seed_metric(rid(sandbox, 'Microsoft.Insights/components'), 'requests/duration', None, series=[
        {'dimensions': {'cloud/roleName': 'kos-mock-service'}, 'data': [{'average': 500.0}] * 12},
        {'dimensions': {'cloud/roleName': 'bill-inquiry-service'}, 'data': [{'average': 1500.0}] * 12}])
    sandbox.seed_metric(rid(sandbox, 'Microsoft.DBforPostgreSQL/flexibleServers'), 'storage_percent', [{'maximum': 41.0}])
    sandbox.seed_metric(rid(sandbox, 'Microsoft.Cache/redis'), 'usedmemorypercentage', [{'maximum': 35.0}])
    for metric in daily_business_metrics():  # each success rate halfway between its threshold and 100%
        seed_business_metric(sandbox, metric, (metric['min'] + 100) / 2.0)


def errors_query():
    searches = _inventory('observability.yml')['phonebill_saved_searches']
    return [s['query'] for s in searches if s['name'] == 'phonebill-errors-by-container'][0]


def deploy_services(kubeconfig, namespace):
    """The inventory's services as plain Deployments on the app pool (kwok marks their pods Ready)."""
    from kubernetes import client, config  # pylint: disable=import-outside-toplevel
    api = config.new_client_from_config(kubeconfig)
    client.CoreV1Api(api).create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))
    for service in _inventory('workloads.yml')['phonebill_workloads']['services']:
        labels = {'app': service['name']}
        pod = client.V1PodSpec(
            containers=[client.V1Container(name='app', image='phonebill/%s:1.0.0' % service['name'])],
            node_selector={'agentpool': 'app'},
            tolerations=[client.V1Toleration(key='application-workload', operator='Equal', value='true',
                                             effect='NoSchedule')])
        client.AppsV1Api(api).create_namespaced_deployment(namespace, client.V1Deployment(
            metadata=client.V1ObjectMeta(name=service['name'], labels=labels),
            spec=client.V1DeploymentSpec(replicas=2, selector=client.V1LabelSelector(match_labels=labels),
                                         template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels=labels),
                                                                           spec=pod))))


def daily_business_metrics():
    """The business metrics (business_metrics.yml) the daily checks read."""
    inventory = _inventory('business_metrics.yml')
    categories = inventory['phonebill_daily_business_metrics']['categories']
    return [m for m in inventory['phonebill_business_metrics'] if m['category'] in categories]


def seed_business_metric(sandbox, metric, value):
    """What the metric's query answers on the workspace: one row, its value column."""
    sandbox.seed_query(rid(sandbox, 'Microsoft.OperationalInsights/workspaces'), metric['query'], [{
        'name': 'PrimaryResult', 'columns': [{'name': metric['column'], 'type': 'real'}], 'rows': [[value]]}])
