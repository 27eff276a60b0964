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
from ansible_collections.phonebill.platform.plugins.modules import aks_agent_pool
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.aks_fakes import (
    CLUSTER, CLUSTER_ID, RG, FakeAks, FakePools, pool_profile, run)

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


def test_settles_on_a_terminal_state():
    states = iter(['Updating', 'Updating', 'Succeeded'])
    clock = Clock()
    settled = waiter.wait_until_settled(lambda: {'properties': {'provisioningState': next(states)}}, 60, 'x',
                                        interval=2, clock=clock, sleep=clock.sleep)
    assert settled['properties']['provisioningState'] == 'Succeeded' and clock.now == 4


def test_settling_is_bounded():
    clock = Clock()
    with pytest.raises(waiter.OperationTimeout, match='provisioningState updating'):
        waiter.wait_until_settled(lambda: {'provisioningState': 'Updating'}, 10, 'x', interval=3,
                                  clock=clock, sleep=clock.sleep)
    assert clock.now == 10


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
