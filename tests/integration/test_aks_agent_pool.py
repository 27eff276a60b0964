# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_agent_pool and aks_agent_pool_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

RG = 'rg-phonebill-it'
CLUSTER = 'aks-phonebill-it'
APP = dict(name='app', cluster_name=CLUSTER, resource_group=RG, mode='User', vm_size='Standard_D4s_v3', count=3,
           min_count=3, max_count=10, zones=['1', '2', '3'], max_surge='33%', labels={'workload': 'application'},
           taints=['application-workload=true:NoSchedule'], max_pods=30)


@pytest.fixture
def cluster(azure):
    azure('resource_group', name=RG, location='koreacentral')
    created = azure('aks_cluster', name=CLUSTER, resource_group=RG, location='koreacentral', kubernetes_version='1.33',
                    dns_prefix='phonebill-it', oidc_issuer=True,
                    agent_pools=[dict(name='system', mode='System', vm_size='Standard_D2s_v3', count=3, zones=['1', '2', '3'])])
    assert created['changed'], created.get('msg')
    return created['resource']['id']


def test_create_then_unchanged_with_no_write(azure, cluster):
    writes = azure.writes()
    predicted = azure('aks_agent_pool', check_mode=True, **APP)
    assert predicted['changed'] and azure.writes() == writes
    created = azure('aks_agent_pool', **APP)
    assert created['changed'], created.get('msg')
    assert [d['path'] for d in predicted['differences']] == [d['path'] for d in created['differences']]
    assert created['resource']['properties']['count'] == 3
    writes = azure.writes()
    again = azure('aks_agent_pool', **APP)
    assert again['changed'] is False and again['differences'] == [], again['differences']
    assert azure.writes() == writes
    names = [p['name'] for p in azure('aks_agent_pool_info', cluster_name=CLUSTER, resource_group=RG)['agent_pools']]
    assert sorted(names) == ['app', 'system']


def test_unchanged_pool_does_not_read_its_cluster(azure, sandbox, cluster):
    """The cluster's operations matter only to a write: a no-op run reads the pool alone."""
    azure('aks_agent_pool', **APP)
    sandbox.clear_requests()
    assert azure('aks_agent_pool', **APP)['changed'] is False
    assert [r['path'].split('?')[0].rsplit('/', 1)[-1] for r in sandbox.requests()] == ['app']


def test_autoscaler_count_is_not_drift_but_a_removed_taint_is(azure, sandbox, cluster):
    azure('aks_agent_pool', **APP)
    pool_id = cluster + '/agentPools/app'
    sandbox.drift(pool_id, {'properties': {'count': 7, 'nodeTaints': [], 'nodeLabels': {'workload': 'application', 'team': 'billing'}}})
    predicted = azure('aks_agent_pool', check_mode=True, **APP)
    assert predicted['differences'] == [{'path': 'properties.nodeTaints', 'before': [],
                                         'after': ['application-workload=true:NoSchedule']}]
    repaired = azure('aks_agent_pool', **APP)
    assert repaired['differences'] == predicted['differences']
    props = repaired['resource']['properties']
    assert props['count'] == 7 and props['nodeLabels'] == {'workload': 'application', 'team': 'billing'}
    assert azure('aks_agent_pool', **APP)['changed'] is False


def test_changed_pool_in_check_mode_predicts_the_real_run(azure, cluster):
    azure('aks_agent_pool', **APP)
    changed = dict(APP, max_count=12, max_surge='50%')
    writes = azure.writes()
    predicted = azure('aks_agent_pool', check_mode=True, **changed)
    assert azure.writes() == writes
    done = azure('aks_agent_pool', **changed)
    assert predicted['differences'] == done['differences'] == [
        {'path': 'properties.maxCount', 'before': 10, 'after': 12},
        {'path': 'properties.upgradeSettings.maxSurge', 'before': '33%', 'after': '50%'}]


def test_immutable_vm_size_fails_with_no_write(azure, cluster):
    azure('aks_agent_pool', **APP)
    writes = azure.writes()
    failed = azure('aks_agent_pool', **dict(APP, vm_size='Standard_D8s_v3'))
    assert failed['failed'] and failed['msg'].startswith('properties.vmSize:') and azure.writes() == writes


def test_delete_only_when_stated(azure, cluster):
    azure('aks_agent_pool', **APP)
    writes = azure.writes()
    assert azure('aks_agent_pool', check_mode=True, **dict(APP, state='absent'))['changed'] and azure.writes() == writes
    assert azure('aks_agent_pool', **dict(APP, state='absent'))['changed']
    assert azure('aks_agent_pool_info', cluster_name=CLUSTER, resource_group=RG, name='app')['agent_pools'] == []
    assert azure('aks_agent_pool', **dict(APP, state='absent'))['changed'] is False


def test_virtual_machines_pool_scale_is_refused_before_any_write(azure, sandbox, cluster):
    sandbox.seed([{'id': cluster + '/agentPools/batch', 'name': 'batch',
                   'type': 'Microsoft.ContainerService/managedClusters/agentPools',
                   'properties': {'type': 'VirtualMachines', 'mode': 'User', 'orchestratorVersion': '1.33',
                                  'nodeLabels': {'workload': 'batch'},
                                  'virtualMachinesProfile': {'scale': {'manual': [{'size': 'Standard_D2_v2', 'count': 3}]}}}}])
    batch = dict(name='batch', cluster_name=CLUSTER, resource_group=RG, mode='User', labels={'workload': 'batch'})
    writes = azure.writes()
    refused = azure('aks_agent_pool', **dict(batch, vm_size='Standard_D2_v2', min_count=1, max_count=3))
    assert refused['failed'] and refused['msg'].startswith('vm_size, min_count, max_count:') and 'None' not in refused['msg']
    assert azure.writes() == writes
    assert azure('aks_agent_pool', **batch)['changed'] is False and azure.writes() == writes
