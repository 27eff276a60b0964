# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_cluster and aks_cluster_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import stat

import pytest

RG = 'rg-phonebill-it'


def cluster_args(sandbox, **changes):
    group_id = '/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, RG)
    args = dict(
        name='aks-phonebill-it', resource_group=RG, location='Korea Central', kubernetes_version='1.33',
        sku_tier='Standard', dns_prefix='phonebill-it', tags={'service': 'phonebill'},
        network=dict(plugin='azure', plugin_mode='overlay', policy='azure', pod_cidr='192.168.0.0/16',
                     service_cidr='172.16.0.0/16', dns_service_ip='172.16.0.10', max_pods=30),
        aad=dict(azure_rbac=True, admin_group_object_ids=[]), private_cluster=True, oidc_issuer=True,
        workload_identity=True, upgrade_channel='patch', node_os_upgrade_channel='NodeImage',
        addons=dict(monitoring=dict(log_analytics_workspace_id=group_id + '/providers/Microsoft.OperationalInsights/workspaces/law-it'),
                    key_vault_secrets_provider=dict(secret_rotation=True)),
        agent_pools=[dict(name='system', mode='System', vm_size='Standard_D2s_v3', count=3, min_count=3, max_count=5,
                          zones=['1', '2', '3'], max_surge='33%',
                          vnet_subnet_id=group_id + '/providers/Microsoft.Network/virtualNetworks/vnet-it/subnets/snet-application')],
        orchestrator_version='1.33',
    )
    args.update(changes)
    return args


@pytest.fixture
def group(azure):
    """The resource group and the subnet the system pool joins (Azure refuses a pool on a missing subnet)."""
    assert azure('resource_group', name=RG, location='koreacentral')['changed']
    assert azure('virtual_network', name='vnet-it', resource_group=RG, location='koreacentral',
                 address_prefixes=['10.0.0.0/16'],
                 subnets=[dict(name='snet-application', address_prefix='10.0.1.0/24')])['changed']


def test_create_then_unchanged_with_no_write(azure, sandbox, group):
    args = cluster_args(sandbox)
    writes = azure.writes()
    predicted = azure('aks_cluster', check_mode=True, **args)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('aks_cluster', **args)
    assert created['changed'] is True, created.get('msg')
    assert [d['path'] for d in predicted['differences']] == [d['path'] for d in created['differences']]
    props = created['resource']['properties']
    assert props['oidcIssuerProfile']['issuerURL'].startswith('https://')
    assert props['identityProfile']['kubeletidentity']['objectId']
    assert props['securityProfile']['workloadIdentity']['enabled'] is True
    writes = azure.writes()
    again = azure('aks_cluster', **args)
    assert again['changed'] is False and again['differences'] == [], again['differences']
    assert azure.writes() == writes


def test_drift_is_reported_and_repaired_keeping_other_pools(azure, sandbox, group):
    args = cluster_args(sandbox)
    cluster_id = azure('aks_cluster', **args)['resource']['id']
    sandbox.drift(cluster_id, {'properties': {'autoUpgradeProfile': {'upgradeChannel': 'rapid'},
                                              'addonProfiles': {'azureKeyvaultSecretsProvider': {'config': {'enableSecretRotation': 'false'}}}}})
    sandbox.seed([{'id': cluster_id + '/agentPools/legacy', 'name': 'legacy',
                   'type': 'Microsoft.ContainerService/managedClusters/agentPools',
                   'properties': {'mode': 'User', 'vmSize': 'Standard_D2s_v3', 'count': 1}}])
    predicted = azure('aks_cluster', check_mode=True, **args)
    assert sorted(d['path'] for d in predicted['differences']) == [
        'properties.addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation',
        'properties.autoUpgradeProfile.upgradeChannel']
    repaired = azure('aks_cluster', **args)
    assert repaired['differences'] == predicted['differences']
    assert sorted(p['name'] for p in repaired['resource']['properties']['agentPoolProfiles']) == ['legacy', 'system']
    writes = azure.writes()
    assert azure('aks_cluster', **args)['changed'] is False and azure.writes() == writes
    pools = azure('aks_agent_pool_info', cluster_name=args['name'], resource_group=RG)['agent_pools']
    assert sorted(p['name'] for p in pools) == ['legacy', 'system']


def test_version_not_offered_fails_with_the_list_and_writes_nothing(azure, sandbox, group):
    writes = azure.writes()
    failed = azure('aks_cluster', **cluster_args(sandbox, kubernetes_version='1.29', orchestrator_version='1.29'))
    assert failed['failed'] and failed['msg'].startswith('kubernetes_version: Kubernetes 1.29 is not offered')
    assert '1.33.2' in failed['msg']
    assert azure.writes() == writes


def test_upgrade_to_an_offered_version_and_downgrade_refused(azure, sandbox, group):
    pools = [dict(cluster_args(sandbox)['agent_pools'][0], orchestrator_version='1.32')]
    assert azure('aks_cluster', **cluster_args(sandbox, kubernetes_version='1.32', agent_pools=pools))['changed']
    writes = azure.writes()
    refused = azure('aks_cluster', **cluster_args(sandbox, kubernetes_version='1.31', agent_pools=None))
    assert refused['failed'] and 'cannot downgrade' in refused['msg'] and azure.writes() == writes
    predicted = azure('aks_cluster', check_mode=True, **cluster_args(sandbox, agent_pools=None))
    assert predicted['differences'] == [{'path': 'properties.kubernetesVersion', 'before': '1.32', 'after': '1.33'}]
    upgraded = azure('aks_cluster', **cluster_args(sandbox, agent_pools=None))
    assert upgraded['differences'] == predicted['differences']
    assert upgraded['resource']['properties']['currentKubernetesVersion'].startswith('1.33')


def test_info_versions_and_kubeconfig_written_privately(azure, sandbox, group, tmp_path):
    azure('aks_cluster', **cluster_args(sandbox))
    path = str(tmp_path / 'kubeconfig')
    info = azure('aks_cluster_info', name='aks-phonebill-it', resource_group=RG, kubernetes_versions_location='koreacentral',
                 kubeconfig_path=path)
    assert [c['name'] for c in info['clusters']] == ['aks-phonebill-it']
    assert '1.33' in [v['version'] for v in info['kubernetes_versions']]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as handle:
        content = handle.read()
    assert 'token' in content
    assert content not in json.dumps(info) and 'token' not in json.dumps(info)


def test_delete(azure, sandbox, group):
    args = cluster_args(sandbox)
    azure('aks_cluster', **args)
    gone = dict(name=args['name'], resource_group=RG, state='absent')
    writes = azure.writes()
    assert azure('aks_cluster', check_mode=True, **gone)['changed'] and azure.writes() == writes
    assert azure('aks_cluster', **gone)['changed']
    assert azure('aks_cluster_info', name=args['name'], resource_group=RG)['clusters'] == []
    assert azure('aks_cluster', **copy.deepcopy(gone))['changed'] is False


def _cluster_id(sandbox, args):
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ContainerService/managedClusters/%s' % (
        sandbox.subscription_id, RG, args['name'])


def _seed_cluster(sandbox, args, identity=None, service_principal=None):
    """A cluster another tool created with the inventory's settings (and its own identity), seeded as Azure holds it."""
    pool = args['agent_pools'][0]
    props = {
        'kubernetesVersion': '1.33', 'dnsPrefix': args['dns_prefix'], 'enableRBAC': True,
        'networkProfile': {'networkPlugin': 'azure', 'networkPluginMode': 'overlay', 'networkPolicy': 'azure',
                           'podCidr': '192.168.0.0/16', 'serviceCidr': '172.16.0.0/16', 'dnsServiceIP': '172.16.0.10'},
        'aadProfile': {'managed': True, 'enableAzureRBAC': True, 'adminGroupObjectIDs': []},
        'apiServerAccessProfile': {'enablePrivateCluster': True}, 'oidcIssuerProfile': {'enabled': True},
        'securityProfile': {'workloadIdentity': {'enabled': True}},
        'autoUpgradeProfile': {'upgradeChannel': 'patch', 'nodeOSUpgradeChannel': 'NodeImage'},
        'addonProfiles': {
            'omsagent': {'enabled': True, 'config': {
                'logAnalyticsWorkspaceResourceID': args['addons']['monitoring']['log_analytics_workspace_id'], 'useAADAuth': 'true'}},
            'azureKeyvaultSecretsProvider': {'enabled': True, 'config': {'enableSecretRotation': 'true', 'rotationPollInterval': '2m'}}},
        'agentPoolProfiles': [{
            'name': 'system', 'mode': 'System', 'vmSize': pool['vm_size'], 'count': 4, 'enableAutoScaling': True,
            'minCount': 3, 'maxCount': 5, 'availabilityZones': ['1', '2', '3'], 'upgradeSettings': {'maxSurge': '33%'},
            'maxPods': 30, 'orchestratorVersion': '1.33', 'vnetSubnetID': pool['vnet_subnet_id']}],
    }
    if service_principal:
        props['servicePrincipalProfile'] = {'clientId': service_principal}
    body = dict(id=_cluster_id(sandbox, args), location='koreacentral', tags=args['tags'],
                sku={'name': 'Base', 'tier': 'Standard'}, properties=props)
    if identity:
        body['identity'] = identity
    sandbox.seed([body])


@pytest.mark.parametrize('kind', ['UserAssigned', 'service principal'])
def test_cluster_with_another_identity_is_left_alone_when_identity_is_not_stated(azure, sandbox, group, kind):
    args = cluster_args(sandbox)
    if kind == 'UserAssigned':
        uai = azure('user_assigned_identity', name='id-aks-control', resource_group=RG, location='koreacentral')
        _seed_cluster(sandbox, args, identity={'type': 'UserAssigned', 'userAssignedIdentities': {uai['resource']['id']: {}}})
    else:
        _seed_cluster(sandbox, args, service_principal='a0000000-0000-0000-0000-000000000003')
    writes = azure.writes()
    result = azure('aks_cluster', **args)
    assert result['changed'] is False and result['differences'] == [], result['differences']
    assert azure.writes() == writes


def test_identity_migration_is_a_stated_change(azure, sandbox, group):
    args = cluster_args(sandbox)
    azure('aks_cluster', **args)
    uai = azure('user_assigned_identity', name='id-aks-control', resource_group=RG, location='koreacentral')['resource']['id']
    stated = cluster_args(sandbox, identity=dict(type='UserAssigned', user_assigned_identities=[uai]))
    writes = azure.writes()
    predicted = azure('aks_cluster', check_mode=True, **stated)
    assert sorted(d['path'] for d in predicted['differences']) == ['identity.type', 'identity.userAssignedIdentities']
    assert azure.writes() == writes
    moved = azure('aks_cluster', **stated)
    assert moved['changed'] and moved['resource']['identity']['type'] == 'UserAssigned'
    assert moved['resource']['properties']['servicePrincipalProfile'] == {'clientId': 'msi'}
    writes = azure.writes()
    assert azure('aks_cluster', **stated)['changed'] is False and azure.writes() == writes
