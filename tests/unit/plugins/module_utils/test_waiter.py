# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting is bounded, reports the status URL, and re-attaches to running operations."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
from unittest import mock

import pytest
from azure.core.exceptions import ResourceExistsError

from ansible_collections.phonebill.platform.plugins.module_utils import waiter
from ansible_collections.phonebill.platform.plugins.modules import aks_agent_pool, aks_cluster
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.aks_fakes import (
    CLUSTER, CLUSTER_ID, RG, FakeAks, FakePools, existing_cluster, pool_profile, run)

STATUS = 'https://management.azure.com/subscriptions/s/providers/Microsoft.ContainerService/locations/koreacentral/operations/1'


def poller(done):
    operation = mock.Mock(get_polling_url=lambda: STATUS)
    return mock.Mock(done=lambda: done, result=lambda: 'resource',
                     polling_method=lambda: mock.Mock(_operation=operation))


def test_finished_operation_returns_its_result():
    running = poller(True)
    assert waiter.wait_for_poller(running, 30, 'create cluster') == 'resource'
    running.wait.assert_called_once_with(timeout=30)


def test_timeout_names_the_status_url():
    with pytest.raises(waiter.OperationTimeout) as caught:
        waiter.wait_for_poller(poller(False), 5, 'create cluster aks-phonebill-prod')
    assert caught.value.status_url == STATUS
    assert 'within 5 seconds' in str(caught.value) and STATUS in str(caught.value)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_settles_when_nothing_runs_any_more():
    states = iter(['Updating', 'Upgrading', 'Succeeded'])
    clock = Clock()
    waiter.wait_until_settled(lambda: waiter.running('pool app', {'properties': {'provisioningState': next(states)}}),
                              60, 'x', interval=2, clock=clock, sleep=clock.sleep)
    assert clock.now == 4


def test_settling_is_bounded_and_names_what_still_runs():
    clock = Clock()
    with pytest.raises(waiter.OperationTimeout, match=r'x \(pool app is Upgrading; cluster c is Updating\) did not '
                                                      r'finish within 10 seconds'):
        waiter.wait_until_settled(lambda: ['pool app is Upgrading', 'cluster c is Updating'], 10, 'x', interval=3,
                                  clock=clock, sleep=clock.sleep)
    assert clock.now == 10


@pytest.mark.parametrize('resource, expected', [
    ({'properties': {'provisioningState': 'UpgradingNodeImageVersion'}}, ['pool app is UpgradingNodeImageVersion']),
    ({'provisioningState': 'Scaling'}, ['pool app is Scaling']),
    ({'properties': {'provisioningState': 'Succeeded'}}, []),
    ({'properties': {'provisioningState': 'Failed'}}, []),
    (None, []),
])
def test_running_names_the_resource_and_its_state_as_azure_spells_it(resource, expected):
    assert waiter.running('pool app', resource) == expected


def test_provisioning_state_at_either_level():
    assert waiter.provisioning_state(None) == ''
    assert waiter.provisioning_state({'properties': {'provisioningState': 'Creating'}}) == 'creating'
    assert waiter.provisioning_state({'provisioningState': 'Succeeded'}) == 'succeeded'


@pytest.mark.parametrize('state', ['UpgradingNodeImageVersion', 'Migrating', 'Updating', 'RebalancingFutureState'])
def test_any_non_terminal_state_is_in_progress(state):
    assert waiter.in_progress({'properties': {'provisioningState': state}})


@pytest.mark.parametrize('state', ['Succeeded', 'Failed', 'Canceled', None])
def test_terminal_or_missing_state_is_not_in_progress(state):
    assert not waiter.in_progress({'properties': {'provisioningState': state}} if state else {'properties': {}})


class BusyPools(FakePools):
    """Agent pools where an operation runs on `app` for its first `busy_reads` reads; a write meanwhile is a 409, as in Azure."""

    def __init__(self, store, state, busy_reads):
        super(BusyPools, self).__init__(store)
        self.state, self.busy_reads = state, busy_reads

    def get(self, group, cluster, name):
        pool = super(BusyPools, self).get(group, cluster, name)
        if self.busy_reads:
            self.busy_reads -= 1
            pool['properties']['provisioningState'] = self.state
        return pool

    def begin_create_or_update(self, group, cluster, name, body):
        if self.busy_reads:
            raise ResourceExistsError('(AnotherOperationInProgress) Operation is in progress on resource %s.' % name)
        return super(BusyPools, self).begin_create_or_update(group, cluster, name, body)


@pytest.mark.parametrize('state', ['UpgradingNodeImageVersion', 'Migrating', 'ReconcilingFutureState'])
def test_pool_in_any_transitional_state_is_waited_for_not_written_over(monkeypatch, state):
    """A pool Azure is still working on (whatever the state is called) is re-attached, then updated."""
    props = pool_profile('app', mode='User', vmSize='Standard_D4s_v3', count=3, maxCount=10, minCount=3)
    props.pop('name')
    fake = FakeAks(pools={'app': {'id': CLUSTER_ID + '/agentPools/app', 'name': 'app',
                                  'type': 'Microsoft.ContainerService/managedClusters/agentPools', 'properties': props}})
    fake.agent_pools = BusyPools(fake, state, busy_reads=3)
    clock = Clock()
    monkeypatch.setattr(waiter, 'wait_until_settled',
                        functools.partial(waiter.wait_until_settled, clock=clock, sleep=clock.sleep))
    result = run(fake, aks_agent_pool.main, dict(name='app', cluster_name=CLUSTER, resource_group=RG,
                                                      min_count=3, max_count=12))
    assert result.get('failed') is not True, result['msg']
    assert result['differences'] == [{'path': 'properties.maxCount', 'before': 10, 'after': 12}]
    assert clock.now == 4  # read busy at 0, 2 and 4... settled on the fourth read
    assert [w[0] for w in fake.writes] == ['put'] and fake.writes[0][2]['properties']['maxCount'] == 12


class BusyClusters(object):
    """The cluster reads as `state` for its first `busy_reads` reads (an upgrade AKS or someone else runs)."""

    def __init__(self, clusters, state, busy_reads):
        self.clusters, self.state, self.busy_reads = clusters, state, busy_reads

    def __getattr__(self, name):
        return getattr(self.clusters, name)

    def get(self, group, name):
        cluster = self.clusters.get(group, name)
        if self.busy_reads:
            self.busy_reads -= 1
            cluster['properties']['provisioningState'] = self.state
        return cluster


def app_pool_fake():
    props = pool_profile('app', mode='User', vmSize='Standard_D4s_v3', count=3, maxCount=10, minCount=3)
    props.pop('name')
    return FakeAks(clusters={CLUSTER: existing_cluster()},
                   pools={'app': {'id': CLUSTER_ID + '/agentPools/app', 'name': 'app',
                                  'type': 'Microsoft.ContainerService/managedClusters/agentPools', 'properties': props}})


def test_pool_waits_for_an_upgrade_of_its_cluster(monkeypatch):
    """AKS refuses a pool write while the cluster upgrades: the pool module waits for the cluster first."""
    fake = app_pool_fake()
    fake.managed_clusters = BusyClusters(fake.managed_clusters, 'Upgrading', busy_reads=2)
    clock = Clock()
    monkeypatch.setattr(waiter, 'wait_until_settled',
                        functools.partial(waiter.wait_until_settled, clock=clock, sleep=clock.sleep))
    result = run(fake, aks_agent_pool.main, dict(name='app', cluster_name=CLUSTER, resource_group=RG, min_count=3, max_count=12))
    assert result.get('failed') is not True, result['msg']
    assert clock.now == 2 and [w[0] for w in fake.writes] == ['put']


def test_cluster_waits_for_a_pool_upgrading():
    """A cluster write while one of its pools is upgrading would be refused: the cluster module waits for the pool."""
    fake = FakeAks(clusters={CLUSTER: existing_cluster()})
    fake.clusters[CLUSTER]['properties']['agentPoolProfiles'][0]['provisioningState'] = 'UpgradingNodeImageVersion'
    result = run(fake, aks_cluster.main, dict(name=CLUSTER, resource_group=RG, timeout=1, tags={'x': 'y'}))
    assert result['failed'] and fake.writes == []
    assert ('node pool system of AKS cluster %s is UpgradingNodeImageVersion) did not finish within 1 seconds; '
            'nothing was written' % CLUSTER) in result['msg']


def test_check_mode_reports_an_operation_in_progress_without_waiting(monkeypatch):
    fake = app_pool_fake()
    fake.managed_clusters = BusyClusters(fake.managed_clusters, 'Upgrading', busy_reads=100)
    monkeypatch.setattr(waiter, 'wait_until_settled', mock.Mock(side_effect=AssertionError('check mode waits for nothing')))
    result = run(fake, aks_agent_pool.main, dict(name='app', cluster_name=CLUSTER, resource_group=RG, min_count=3, max_count=12),
                 check_mode=True)
    assert result['changed'] is True and fake.writes == []
    assert result['operations_in_progress'] == ['AKS cluster %s is Upgrading' % CLUSTER]
