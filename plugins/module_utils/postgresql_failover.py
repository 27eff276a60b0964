# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a PostgreSQL flexible server may fail over to its HA standby, and what a failover did.

Azure's HA failover is a restart with failover (``POST .../flexibleServers/{name}/restart`` with
``restartWithFailover: true`` and a ``failoverMode``). It needs high availability whose standby is ``Healthy``
(HighAvailabilityState): a standby still being created, catching up (``ReplicatingData``) or already failing over
cannot take over without losing data or failing half-way, so these checks refuse first, naming the state. A
finished failover swaps the zones: the standby's zone becomes the primary's and the old primary the standby.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import waiter

# The option's values and Azure's FailoverMode for each (the switchover modes belong to read replicas' promotion).
MODES = {'planned': 'PlannedFailover', 'forced': 'ForcedFailover'}


def facts(server):
    """{state, ha_mode, ha_state, primary_zone, standby_zone} of a server in REST form (None where Azure says nothing)."""
    properties = (server or {}).get('properties') or {}
    ha = properties.get('highAvailability') or {}
    return {'state': properties.get('state'), 'ha_mode': ha.get('mode'), 'ha_state': ha.get('state'),
            'primary_zone': properties.get('availabilityZone'), 'standby_zone': ha.get('standbyAvailabilityZone')}


def zones(server):
    """{'primary': zone, 'standby': zone} of a server in REST form."""
    found = facts(server)
    return {'primary': found['primary_zone'], 'standby': found['standby_zone']}


def swapped(before):
    """The zones a successful failover leaves: the standby's zone serves, the old primary's holds the standby."""
    return {'primary': before['standby'], 'standby': before['primary']}


def zones_swapped(before, after):
    """Whether the failover moved the primary to the old standby's zone and the standby to the old primary's."""
    return bool(before['primary'] and before['standby']) and after == swapped(before)


def refusal_problems(label, server):
    """Why `server` (REST form) must not fail over now, as 'what is wrong; the fix' lines ([] when it may)."""
    found = facts(server)
    problems = []
    if str(found['ha_mode'] or 'Disabled').lower() == 'disabled':
        problems.append('%s has no high availability (highAvailability.mode %s), so there is no standby to fail over '
                        'to; enable ZoneRedundant or SameZone HA (postgresql_flexible_server high_availability)'
                        % (label, found['ha_mode'] or 'Disabled'))
    elif str(found['ha_state'] or '').lower() != 'healthy':
        problems.append('%s: its standby is %s, not Healthy, so a failover could lose data or stop half-way; wait until '
                        'Azure reports the standby Healthy (ReplicatingData: still catching up; FailingOver: a failover '
                        'already runs)' % (label, found['ha_state'] or 'unknown'))
    if str(found['state'] or '').lower() != 'ready':
        problems.append('%s is %s, not Ready; fail over only a server that serves (start a Stopped server first)'
                        % (label, found['state'] or 'in an unknown state'))
    problems += ['%s; wait for that operation to finish' % line for line in waiter.running(label, server)]
    return problems


def restart_parameters(mode):
    """The restart request's body for a failover in `mode` (a key of MODES)."""
    return {'restartWithFailover': True, 'failoverMode': MODES[mode]}
