# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_cluster: mapping, comparison against a realistic cluster, version checks, pool merging."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.phonebill.platform.plugins.modules import aks_cluster
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.aks_fakes import (
    CLUSTER, IDENTITY_ID, RG, SUBNET, WORKSPACE, FakeAks, existing_cluster, pool_profile, run, run_without_client,
    service_principal_cluster, user_assigned_cluster, virtual_machines_pool)

SYSTEM_POOL = dict(name='system', mode='System', vm_size='Standard_D2s_v3', count=3, min_count=3, max_count=5,
                   zones=['1', '2', '3'], max_surge='33%')
ARGS = dict(
    name=CLUSTER, resource_group=RG, location='Korea Central', kubernetes_version='1.33', sku_tier='Standard',
    dns_prefix='phonebill-prod', tags={'service': 'phonebill'},
    network=dict(plugin='azure', plugin_mode='overlay', policy='azure', pod_cidr='192.168.0.0/16',
                 service_cidr='172.16.0.0/16', dns_service_ip='172.16.0.10', max_pods=30),
    vnet_subnet_id=SUBNET, orchestrator_version='1.33',
    aad=dict(azure_rbac=True), private_cluster=True, oidc_issuer=True, workload_identity=True,
    upgrade_channel='patch', node_os_upgrade_channel='NodeImage',
    addons=dict(monitoring=dict(log_analytics_workspace_id=WORKSPACE), key_vault_secrets_provider=dict()),
    agent_pools=[SYSTEM_POOL],
)


def args(**changes):
    result = copy.deepcopy(ARGS)
    result.update(changes)
    return result


@pytest.fixture
def fake():
    return FakeAks(clusters={CLUSTER: existing_cluster()})


def test_realistic_cluster_is_unchanged_and_nothing_written(fake):
    result = run(fake, aks_cluster.main, args())
    assert result['differences'] == []
    assert result['changed'] is False
    assert fake.writes == []
    # an unchanged version is not re-checked against the region
    assert not [r for r in fake.reads if r[0] == 'versions']
    assert result['resource']['properties']['oidcIssuerProfile']['issuerURL'].startswith('https://')


def test_create_states_everything_and_checks_the_version_first():
    empty = FakeAks()
    result = run(empty, aks_cluster.main, args())
    assert result['changed'] is True
    assert empty.reads[0] == ('versions', 'koreacentral')
    (_verb, _name, body), = empty.writes
    props = body['properties']
    assert body['identity'] == {'type': 'SystemAssigned'}
    assert body['sku'] == {'name': 'Base', 'tier': 'Standard'}
    assert props['networkProfile'] == {'networkPlugin': 'azure', 'networkPluginMode': 'overlay', 'networkPolicy': 'azure',
                                       'podCidr': '192.168.0.0/16', 'serviceCidr': '172.16.0.0/16',
                                       'dnsServiceIP': '172.16.0.10'}
    assert props['aadProfile'] == {'managed': True, 'enableAzureRBAC': True}
    assert props['securityProfile'] == {'workloadIdentity': {'enabled': True}}
    assert props['addonProfiles'] == {
        'omsagent': {'enabled': True, 'config': {'logAnalyticsWorkspaceResourceID': WORKSPACE, 'useAADAuth': 'true'}},
        'azureKeyvaultSecretsProvider': {'enabled': True, 'config': {'enableSecretRotation': 'true',
                                                                     'rotationPollInterval': '2m'}}}
    pool, = props['agentPoolProfiles']
    assert pool['count'] == 3 and pool['enableAutoScaling'] is True and pool['upgradeSettings'] == {'maxSurge': '33%'}
    # the cluster-wide pool settings (network.max_pods, vnet_subnet_id, orchestrator_version) reach every pool
    assert (pool['maxPods'], pool['vnetSubnetID'], pool['orchestratorVersion']) == (30, SUBNET, '1.33')
    assert 'maxPods' not in props['networkProfile']
    assert 'None' not in json.dumps(body) and 'null' not in json.dumps(body)


def test_check_mode_create_predicts_and_writes_nothing():
    empty = FakeAks()
    predicted = run(empty, aks_cluster.main, args(), check_mode=True, diff=True)
    assert predicted['changed'] is True and empty.writes == []
    created = run(empty, aks_cluster.main, args())
    assert [d['path'] for d in predicted['differences']] == [d['path'] for d in created['differences']]


def test_nested_change_is_found_and_merged_keeping_unstated_fields(fake):
    fake.clusters[CLUSTER]['properties']['addonProfiles']['azureKeyvaultSecretsProvider']['config'][
        'rotationPollInterval'] = '5m'
    result = run(fake, aks_cluster.main, args(), diff=True)
    assert result['differences'] == [{
        'path': 'properties.addonProfiles.azureKeyvaultSecretsProvider.config.rotationPollInterval',
        'before': '5m', 'after': '2m'}]
    (_verb, _name, body), = fake.writes
    props = body['properties']
    assert body['tags'] == {'service': 'phonebill', 'added-by': 'policy'}
    assert props['networkProfile']['outboundType'] == 'loadBalancer'
    assert props['addonProfiles']['omsagent']['identity']['clientId'] == 'c'  # omsAgent renamed, kept whole
    assert 'currentKubernetesVersion' not in props and 'issuerURL' not in props['oidcIssuerProfile']
    assert 'principalId' not in body['identity']
    pool, = props['agentPoolProfiles']
    assert pool['count'] == 4, 'the autoscaler count is kept, not reset to the inventory count'
    assert 'currentOrchestratorVersion' not in pool and 'nodeImageVersion' not in pool and 'provisioningState' not in pool


def test_unstated_pools_are_kept_and_a_stated_pool_merged_by_name(fake):
    fake.clusters[CLUSTER]['properties']['agentPoolProfiles'].append(pool_profile('app', mode='User', nodeTaints=['a=b:NoSchedule']))
    result = run(fake, aks_cluster.main, args(agent_pools=[dict(SYSTEM_POOL, max_count=6)]))
    assert result['differences'] == [{'path': 'properties.agentPoolProfiles[system].maxCount', 'before': 5, 'after': 6}]
    pools = dict((p['name'], p) for p in fake.writes[0][2]['properties']['agentPoolProfiles'])
    assert sorted(pools) == ['app', 'system']
    assert pools['app']['nodeTaints'] == ['a=b:NoSchedule'] and pools['system']['maxCount'] == 6


def test_pool_vm_size_cannot_change(fake):
    result = run(fake, aks_cluster.main, args(agent_pools=[dict(SYSTEM_POOL, vm_size='Standard_D4s_v3')]))
    assert result['failed'] and result['msg'].startswith('properties.agentPoolProfiles[system].vmSize:')
    assert fake.writes == []


def test_version_not_offered_fails_with_the_offered_list_before_any_write():
    empty = FakeAks()
    result = run(empty, aks_cluster.main, args(kubernetes_version='1.29', orchestrator_version='1.29'))
    assert result['failed'] and result['msg'].startswith('kubernetes_version: Kubernetes 1.29 is not offered')
    assert '1.32, 1.32.6, 1.33, 1.33.2' in result['msg'] and 'Long Term Support' in result['msg']
    assert empty.writes == []


def test_downgrade_fails_clearly(fake):
    result = run(fake, aks_cluster.main, args(kubernetes_version='1.32', orchestrator_version=None))
    assert result['failed'] and 'cannot downgrade' in result['msg'] and result['msg'].startswith('kubernetes_version:')
    assert fake.writes == []


def test_upgrade_only_to_a_version_in_the_upgrade_profile():
    cluster = existing_cluster()
    cluster['properties'].update(kubernetesVersion='1.32', currentKubernetesVersion='1.32.6')
    fake = FakeAks(clusters={CLUSTER: cluster}, upgrades=['1.32.7'])
    refused = run(fake, aks_cluster.main, args(agent_pools=None))
    assert refused['failed'] and 'can upgrade only to: 1.32.7' in refused['msg'] and fake.writes == []
    fake = FakeAks(clusters={CLUSTER: cluster}, upgrades=['1.33.2'])
    predicted = run(fake, aks_cluster.main, args(agent_pools=None), check_mode=True)
    assert predicted['differences'] == [{'path': 'properties.kubernetesVersion', 'before': '1.32', 'after': '1.33'}]
    assert fake.writes == []
    upgraded = run(fake, aks_cluster.main, args(agent_pools=None))
    assert upgraded['changed'] and fake.writes[0][2]['properties']['kubernetesVersion'] == '1.33'


def test_turning_oidc_off_is_refused(fake):
    result = run(fake, aks_cluster.main, args(oidc_issuer=False, workload_identity=False))
    assert result['failed'] and result['msg'].startswith('oidc_issuer:')


def test_create_needs_a_system_pool():
    result = run(FakeAks(), aks_cluster.main, args(agent_pools=[dict(SYSTEM_POOL, mode='User')]))
    assert result['failed'] and result['msg'].startswith('agent_pools: no pool has mode System')


@pytest.mark.parametrize('changes, start', [
    (dict(name='-bad'), 'name:'),
    (dict(kubernetes_version='latest'), 'kubernetes_version:'),
    (dict(dns_prefix='bad_prefix'), 'dns_prefix:'),
    (dict(workload_identity=True, oidc_issuer=None), 'workload_identity:'),
    (dict(network=dict(plugin='azure', plugin_mode='overlay', pod_cidr='172.16.0.0/12', service_cidr='172.16.0.0/16',
                       dns_service_ip='172.16.0.10')), 'network.service_cidr:'),
    (dict(network=dict(service_cidr='172.16.0.0/16', dns_service_ip='10.0.0.10')), 'network.dns_service_ip:'),
    (dict(network=dict(plugin='kubenet', policy='azure')), 'network.policy:'),
    (dict(addons=dict(monitoring=dict(enabled=True))), 'addons.monitoring.log_analytics_workspace_id:'),
    (dict(addons=dict(key_vault_secrets_provider=dict(rotation_poll_interval='2 minutes'))),
     'addons.key_vault_secrets_provider.rotation_poll_interval:'),
    (dict(aad=dict(admin_group_object_ids=['admins'])), 'aad.admin_group_object_ids:'),
    (dict(agent_pools=[dict(SYSTEM_POOL, count=9)]), 'agent_pools[system].count:'),
    (dict(agent_pools=[dict(SYSTEM_POOL, taints=['dedicated=x:Never'])]), 'agent_pools[system].taints:'),
    (dict(agent_pools=[SYSTEM_POOL, SYSTEM_POOL]), 'agent_pools:'),
    (dict(tags={'n': 1}), 'tags.n:'),
])
def test_bad_input_fails_before_any_client_is_built(changes, start):
    result = run_without_client(aks_cluster.main, args(**changes))
    assert result['failed'] and result['msg'].startswith(start), result['msg']


def test_delete_and_check_mode_delete(fake):
    predicted = run(fake, aks_cluster.main, dict(name=CLUSTER, resource_group=RG, state='absent'), check_mode=True)
    assert predicted['changed'] and fake.writes == []
    assert run(fake, aks_cluster.main, dict(name=CLUSTER, resource_group=RG, state='absent'))['changed']
    assert fake.writes == [('delete', CLUSTER)]
    assert run(fake, aks_cluster.main, dict(name=CLUSTER, resource_group=RG, state='absent'))['changed'] is False


def test_secret_never_in_result(fake):
    result = run(fake, aks_cluster.main, args(tags={'service': 'other'}), diff=True)
    assert 'very-secret-value' not in json.dumps(result)


def test_pool_may_follow_the_control_plane_upgrade_but_not_pass_it():
    cluster = existing_cluster()
    cluster['properties'].update(kubernetesVersion='1.32', currentKubernetesVersion='1.32.6')
    cluster['properties']['agentPoolProfiles'][0].update(orchestratorVersion='1.32', currentOrchestratorVersion='1.32.6')
    fake = FakeAks(clusters={CLUSTER: cluster}, upgrades=['1.33.2'])
    above = run(fake, aks_cluster.main, args(kubernetes_version='1.32', orchestrator_version='1.33'))
    assert above['failed'] and above['msg'].startswith('agent_pools[system].orchestrator_version: 1.33 is above')
    both = run(fake, aks_cluster.main, args())
    assert sorted(d['path'] for d in both['differences']) == [
        'properties.agentPoolProfiles[system].orchestratorVersion', 'properties.kubernetesVersion']
    pool, = fake.writes[0][2]['properties']['agentPoolProfiles']
    assert pool['orchestratorVersion'] == '1.33'


@pytest.mark.parametrize('shape', [user_assigned_cluster, service_principal_cluster])
def test_cluster_with_another_identity_is_unchanged_when_identity_is_not_stated(shape):
    fake = FakeAks(clusters={CLUSTER: shape()})
    result = run(fake, aks_cluster.main, args())
    assert result['changed'] is False and result['differences'] == [] and fake.writes == []
    # an update of something else keeps the identity the cluster has
    run(fake, aks_cluster.main, args(tags={'service': 'other'}))
    (_verb, _name, body), = fake.writes
    assert body.get('identity') == (shape().get('identity') and {
        'type': 'UserAssigned', 'userAssignedIdentities': shape()['identity']['userAssignedIdentities']})


def test_user_assigned_identity_is_compared_as_a_resource_id():
    fake = FakeAks(clusters={CLUSTER: user_assigned_cluster()})
    stated = dict(type='UserAssigned', user_assigned_identities=[IDENTITY_ID.replace('resourcegroups', 'resourceGroups') + '/'])
    result = run(fake, aks_cluster.main, args(identity=stated))
    assert result['changed'] is False and fake.writes == []


def test_identity_migration_is_a_stated_change():
    fake = FakeAks(clusters={CLUSTER: existing_cluster()})
    stated = dict(type='UserAssigned', user_assigned_identities=[IDENTITY_ID])
    predicted = run(fake, aks_cluster.main, args(identity=stated), check_mode=True)
    assert sorted(d['path'] for d in predicted['differences']) == ['identity.type', 'identity.userAssignedIdentities']
    assert fake.writes == []
    run(fake, aks_cluster.main, args(identity=stated))
    (_verb, _name, body), = fake.writes
    assert body['identity'] == {'type': 'UserAssigned', 'userAssignedIdentities': {IDENTITY_ID: {}}}


def test_service_principal_is_kept_but_never_created_nor_returned_to():
    kept = FakeAks(clusters={CLUSTER: service_principal_cluster()})
    assert run(kept, aks_cluster.main, args(identity=dict(type='None')))['changed'] is False and kept.writes == []
    managed = FakeAks(clusters={CLUSTER: user_assigned_cluster()})
    refused = run(managed, aks_cluster.main, args(identity=dict(type='None')))
    assert refused['failed'] and refused['msg'].startswith('identity.type:') and 'UserAssigned' in refused['msg']
    assert managed.writes == []
    empty = FakeAks()
    refused = run(empty, aks_cluster.main, args(identity=dict(type='None')))
    assert refused['failed'] and 'service principal' in refused['msg'] and empty.writes == []


def test_virtual_machines_pool_scale_is_refused_before_any_write(fake):
    fake.clusters[CLUSTER]['properties']['agentPoolProfiles'].append(virtual_machines_pool())
    stated = dict(name='vmpool', mode='User', vm_size='Standard_D2_v2', min_count=1, max_count=5,
                  labels={'workload': 'batch'})
    refused = run(fake, aks_cluster.main, args(agent_pools=[SYSTEM_POOL, stated]))
    assert refused['failed'] and fake.writes == []
    assert refused['msg'].startswith('agent_pools[vmpool].vm_size, min_count, max_count:')
    assert 'VirtualMachines' in refused['msg'] and 'None' not in refused['msg']
    labels_only = dict(name='vmpool', mode='User', labels={'workload': 'batch'}, taints=['batch=true:NoSchedule'])
    result = run(fake, aks_cluster.main, args(agent_pools=[SYSTEM_POOL, labels_only]))
    assert result['changed'] is False and fake.writes == []


@pytest.mark.parametrize('changes, start', [
    (dict(identity=dict(type='UserAssigned')), 'identity.user_assigned_identities:'),
    (dict(identity=dict(type='SystemAssigned', user_assigned_identities=[IDENTITY_ID])), 'identity.user_assigned_identities:'),
    (dict(identity=dict(type='UserAssigned', user_assigned_identities=['id-aks'])), 'identity.user_assigned_identities:'),
    (dict(network=dict(ARGS['network'], max_pods=300)), 'network.max_pods:'),
    (dict(network=dict(ARGS['network'], dns_service_ip='172.16.0.1')), 'network.dns_service_ip:'),
    (dict(orchestrator_version='1.33-preview'), 'orchestrator_version:'),
    (dict(agent_pools=[dict(SYSTEM_POOL, vm_size='D2s_v3')]), 'agent_pools[system].vm_size:'),
    (dict(agent_pools=[dict(SYSTEM_POOL, min_count=0, count=None)]), 'agent_pools[system].min_count:'),
])
def test_more_bad_input_fails_before_any_client_is_built(changes, start):
    result = run_without_client(aks_cluster.main, args(**changes))
    assert result['failed'] and result['msg'].startswith(start), result['msg']


@pytest.mark.parametrize('interval, ok', [('2m', True), ('1h30m', True), ('90s', True), ('0s', False),
                                          ('2 minutes', False), ('2', False), ('m', False)])
def test_rotation_poll_interval_is_a_go_duration(interval, ok):
    addons = dict(key_vault_secrets_provider=dict(rotation_poll_interval=interval, secret_rotation=True, enabled=True))
    assert (aks_cluster.addon_problems(addons) == []) is ok
