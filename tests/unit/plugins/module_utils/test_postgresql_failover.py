# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Judging whether a flexible server may fail over, and what the failover did (module_utils/postgresql_failover)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import postgresql_failover as failover

LABEL = 'PostgreSQL flexible server psql-phonebill-prod'


def server(state='Ready', mode='ZoneRedundant', ha_state='Healthy', zone='1', standby='2', provisioning='Succeeded'):
    return {'properties': {'state': state, 'availabilityZone': zone, 'provisioningState': provisioning,
                           'highAvailability': {'mode': mode, 'state': ha_state, 'standbyAvailabilityZone': standby}}}


def test_a_ready_server_with_a_healthy_standby_may_fail_over():
    assert failover.refusal_problems(LABEL, server()) == []


def test_no_high_availability_is_refused_naming_the_fix():
    problems = failover.refusal_problems(LABEL, server(mode='Disabled', ha_state='NotEnabled'))
    assert problems == ['%s has no high availability (highAvailability.mode Disabled), so there is no standby to fail '
                        'over to; enable ZoneRedundant or SameZone HA (postgresql_flexible_server high_availability)' % LABEL]
    assert 'no high availability' in failover.refusal_problems(LABEL, {'properties': {'state': 'Ready'}})[0]


@pytest.mark.parametrize('ha_state', ['ReplicatingData', 'FailingOver', 'CreatingStandby', 'RecreatingStandby', None])
def test_a_standby_that_is_not_healthy_is_refused_naming_its_state(ha_state):
    problems = failover.refusal_problems(LABEL, server(ha_state=ha_state))
    assert len(problems) == 1 and 'its standby is %s, not Healthy' % (ha_state or 'unknown') in problems[0]


def test_a_server_not_ready_or_busy_is_refused_with_every_reason():
    problems = failover.refusal_problems(LABEL, server(state='Restarting', ha_state='FailingOver', provisioning='Updating'))
    assert len(problems) == 3
    assert 'is Restarting, not Ready' in problems[1]
    assert problems[2] == '%s is Updating; wait for that operation to finish' % LABEL


def test_zones_and_their_swap():
    before = failover.zones(server())
    assert before == {'primary': '1', 'standby': '2'}
    assert failover.swapped(before) == {'primary': '2', 'standby': '1'}
    assert failover.zones_swapped(before, {'primary': '2', 'standby': '1'})
    assert not failover.zones_swapped(before, before)
    assert not failover.zones_swapped(before, {'primary': '2', 'standby': '3'})
    # a server without zones (a region without availability zones) cannot show a swap
    assert not failover.zones_swapped({'primary': None, 'standby': None}, {'primary': None, 'standby': None})


def test_restart_parameters_are_azure_s():
    assert failover.restart_parameters('planned') == {'restartWithFailover': True, 'failoverMode': 'PlannedFailover'}
    assert failover.restart_parameters('forced') == {'restartWithFailover': True, 'failoverMode': 'ForcedFailover'}
