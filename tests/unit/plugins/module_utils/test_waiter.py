# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting is bounded, reports the status URL, and re-attaches to running operations."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import waiter

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
