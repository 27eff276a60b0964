# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_agent_pool: autoscaled count not compared, taints and labels as sets, immutables, versions."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import aks
from ansible_collections.phonebill.platform.plugins.modules import aks_agent_pool
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.aks_fakes import (
    CLUSTER, CLUSTER_ID, RG, SUBNET, FakeAks, pool_profile, run, run_without_client, virtual_machines_pool)

APP = dict(name='app', cluster_name=CLUSTER, resource_group=RG, mode='User', vm_size='Standard_D4s_v3', count=3,
           min_count=3, max_count=10, zones=['1', '2', '3'], max_surge='33%', labels={'workload': 'application'},
           taints=['application-workload=true:NoSchedule'], vnet_subnet_id=SUBNET, max_pods=30, orchestrator_version='1.33')


def existing_app():
    """The pool as GET agentPools/app returns it: count moved by the autoscaler, a taint added by hand."""
    props = pool_profile('app', mode='User', vmSize='Standard_D4s_v3', count=7, maxCount=10,
                         nodeLabels={'workload': 'application', 'team': 'billing'},
                         nodeTaints=['application-workload=true:NoSchedule', 'debug=true:PreferNoSchedule'])
    props.pop('name')
    return {'id': CLUSTER_ID + '/agentPools/app', 'name': 'app',
            'type': 'Microsoft.ContainerService/managedClusters/agentPools', 'properties': props}


@pytest.fixture
def fake():
    return FakeAks(pools={'app': existing_app()})


def test_realistic_pool_is_unchanged_and_count_not_compared_while_autoscaling(fake):
    result = run(fake, aks_agent_pool.main, APP)
    assert result['changed'] is False and result['differences'] == [] and fake.writes == []


def test_taint_added_merges_with_taints_found_in_azure(fake):
    result = run(fake, aks_agent_pool.main, dict(APP, taints=['application-workload=true:NoSchedule', 'gpu=no:NoExecute']))
    assert result['differences'] == [{
        'path': 'properties.nodeTaints',
        'before': ['application-workload=true:NoSchedule', 'debug=true:PreferNoSchedule'],
        'after': ['application-workload=true:NoSchedule', 'debug=true:PreferNoSchedule', 'gpu=no:NoExecute']}]
    body = fake.writes[0][2]
    assert body['properties']['count'] == 7 and body['properties']['nodeLabels']['team'] == 'billing'
    assert 'currentOrchestratorVersion' not in body['properties'] and 'id' not in body


def test_purge_taints_and_labels_remove_what_is_not_stated(fake):
    result = run(fake, aks_agent_pool.main, dict(APP, purge_taints=True, purge_labels=True), check_mode=True)
    assert sorted(d['path'] for d in result['differences']) == ['properties.nodeLabels.team', 'properties.nodeTaints']
    assert fake.writes == []
    run(fake, aks_agent_pool.main, dict(APP, purge_taints=True, purge_labels=True))
    props = fake.writes[0][2]['properties']
    assert props['nodeTaints'] == ['application-workload=true:NoSchedule'] and props['nodeLabels'] == {'workload': 'application'}


def test_count_is_compared_when_autoscaling_is_off(fake):
    fake.pools['app']['properties'].update(enableAutoScaling=False, count=3)
    del fake.pools['app']['properties']['minCount'], fake.pools['app']['properties']['maxCount']
    stated = dict(APP, count=5, enable_auto_scaling=False, min_count=None, max_count=None)
    result = run(fake, aks_agent_pool.main, stated)
    assert result['differences'] == [{'path': 'properties.count', 'before': 3, 'after': 5}]


def test_zones_and_vm_size_are_immutable(fake):
    result = run(fake, aks_agent_pool.main, dict(APP, zones=['1', '2'], vm_size='Standard_D8s_v3'))
    assert result['failed'] and 'properties.vmSize:' in result['msg'] and 'properties.availabilityZones:' in result['msg']
    assert 'cannot change after creation' in result['msg'] and fake.writes == []


def test_create_sends_min_count_as_initial_count_when_count_not_stated():
    empty = FakeAks()
    result = run(empty, aks_agent_pool.main, dict(APP, count=None))
    assert result['changed'] is True
    props = empty.writes[0][2]['properties']
    assert props['count'] == 3 and props['enableAutoScaling'] is True and 'None' not in str(props)


def test_pool_downgrade_fails_and_upgrade_checks_the_profile(fake):
    refused = run(fake, aks_agent_pool.main, dict(APP, orchestrator_version='1.32'))
    assert refused['failed'] and refused['msg'].startswith('orchestrator_version:') and 'cannot downgrade' in refused['msg']
    fake.pools['app']['properties'].update(orchestratorVersion='1.32', currentOrchestratorVersion='1.32.6')
    refused = run(fake, aks_agent_pool.main, dict(APP, orchestrator_version='1.34'))
    assert refused['failed'] and 'can upgrade only to: 1.33.2' in refused['msg']
    upgraded = run(fake, aks_agent_pool.main, APP)
    assert upgraded['differences'] == [{'path': 'properties.orchestratorVersion', 'before': '1.32', 'after': '1.33'}]
    assert ('pool_upgrade_profile', 'app') in fake.reads


def test_delete_only_when_stated(fake):
    assert run(fake, aks_agent_pool.main, dict(APP, state='absent'), check_mode=True)['changed'] and fake.writes == []
    assert run(fake, aks_agent_pool.main, dict(APP, state='absent'))['changed']
    assert fake.writes == [('delete', 'app')]


@pytest.mark.parametrize('changes, start', [
    (dict(name='App_1'), 'name:'),
    (dict(count=11), 'count:'),
    (dict(min_count=5, max_count=3, count=None), 'min_count:'),
    (dict(min_count=None), 'min_count, max_count:'),
    (dict(enable_auto_scaling=False), 'min_count, max_count:'),
    (dict(taints=['application-workload=true']), 'taints:'),
    (dict(taints=['a=b:noschedule']), 'taints:'),
    (dict(labels={'replicas': 3}), 'labels.replicas:'),
    (dict(labels={'kubernetes.azure.com/mode': 'x'}), 'labels.kubernetes.azure.com/mode:'),
    (dict(max_surge='150%'), 'max_surge:'),
    (dict(max_pods=500), 'max_pods:'),
    (dict(orchestrator_version='v1.33'), 'orchestrator_version:'),
])
def test_bad_input_fails_before_any_client_is_built(changes, start):
    result = run_without_client(aks_agent_pool.main, dict(APP, **changes))
    assert result['failed'] and result['msg'].startswith(start), result['msg']


def existing_virtual_machines_pool():
    props = virtual_machines_pool('batch')
    props.pop('name')
    return {'id': CLUSTER_ID + '/agentPools/batch', 'name': 'batch',
            'type': 'Microsoft.ContainerService/managedClusters/agentPools', 'properties': props}


BATCH = dict(name='batch', cluster_name=CLUSTER, resource_group=RG, mode='User', labels={'workload': 'batch'},
             taints=['batch=true:NoSchedule'], orchestrator_version='1.33')


def test_virtual_machines_pool_without_scale_options_is_unchanged():
    fake = FakeAks(pools={'batch': existing_virtual_machines_pool()})
    result = run(fake, aks_agent_pool.main, BATCH)
    assert result['changed'] is False and result['differences'] == [] and fake.writes == []


@pytest.mark.parametrize('scale', [dict(vm_size='Standard_D2_v2'), dict(min_count=1, max_count=5), dict(count=5)])
def test_virtual_machines_pool_scale_is_refused_clearly_before_any_write(scale):
    fake = FakeAks(pools={'batch': existing_virtual_machines_pool()})
    result = run(fake, aks_agent_pool.main, dict(BATCH, **scale))
    assert result['failed'] and fake.writes == []
    assert result['msg'].startswith(', '.join(sorted(scale, key=list(aks.SCALE_OPTIONS).index)) + ':')
    assert 'virtualMachinesProfile.scale' in result['msg'] and 'None' not in result['msg']


def test_immutable_field_a_pool_was_created_without_is_not_shown_as_none(fake):
    del fake.pools['app']['properties']['osDiskSizeGB']
    result = run(fake, aks_agent_pool.main, dict(APP, os_disk_size_gb=128))
    assert result['failed'] and fake.writes == []
    assert result['msg'].startswith('properties.osDiskSizeGB:') and 'created without it' in result['msg']
    assert 'None' not in result['msg']
