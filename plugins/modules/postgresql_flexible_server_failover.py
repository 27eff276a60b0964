#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: postgresql_flexible_server_failover
short_description: Fail an Azure Database for PostgreSQL flexible server over to its HA standby, measured
version_added: 0.1.0
description:
  - Fails the server over to its high-availability standby with Azure's restart with failover
    (C(POST .../flexibleServers/{name}/restart), C(restartWithFailover=true)), planned or forced, and measures how
    long Azure took until the server was available again (SPEC §10 asks for under 60 seconds).
  - A failover is an action, not a state, so every run that is not in check mode fails over once (C(changed=true)).
  - Before anything is sent, the server is read, and the failover is refused (the module fails, nothing is written)
    when the server has no high availability, when its standby is not C(Healthy) (for instance C(ReplicatingData)
    while it catches up, or C(FailingOver)), when the server is not C(Ready), or when an operation runs on it.
  - A finished failover swaps the zones, the standby's zone serving and the old primary's holding the new standby.
    The module reads the server again and returns the zones before and after and whether they swapped.
  - A failover that Azure ends C(Failed) fails the module with Azure's error; Azure keeps the server on the primary
    it had.
options:
  name:
    description: Name of the flexible server.
    type: str
    required: true
  resource_group:
    description: Resource group of the server.
    type: str
    required: true
  mode:
    description:
      - V(planned) (Azure's C(PlannedFailover)) lets the primary finish writing before the standby takes over, without
        data loss; use it for drills and maintenance.
      - V(forced) (C(ForcedFailover)) stops the primary's database process first, then fails over; use it when the
        primary does not answer.
    type: str
    choices: [planned, forced]
    default: planned
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Check mode reads the server, refuses as a real run would, and returns the zones the failover would leave
        (RV(zones_after)); nothing is sent to Azure besides the read.
  diff_mode:
    support: full
  platform:
    platforms: posix
notes:
  - The default O(timeout) is 600 seconds; Azure usually fails over within one or two minutes. RV(seconds_to_available)
    is measured by the controller from the request to the end of the operation, so keep O(timeout) above the target
    to measure a slow failover instead of failing on it.
requirements:
  - azure-mgmt-postgresqlflexibleservers >= 2, < 4
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Planned failover of production to its standby, measured
  phonebill.platform.postgresql_flexible_server_failover:
    name: psql-phonebill-prod
    resource_group: rg-phonebill-prod
    mode: planned
    timeout: 600
  register: failover

- name: The primary now serves from the old standby's zone
  ansible.builtin.assert:
    that: failover.zones_swapped and failover.seconds_to_available < 60
'''

RETURN = r'''
mode:
  description: Azure's failover mode used (or, in check mode, that would be used).
  returned: always
  type: str
  sample: PlannedFailover
zones_before:
  description: The primary's and the standby's availability zones before the failover.
  returned: always
  type: dict
  sample: {primary: '1', standby: '2'}
zones_after:
  description: The zones read after the failover (in check mode, and with O(wait=false), the zones it would leave).
  returned: always
  type: dict
  sample: {primary: '2', standby: '1'}
zones_swapped:
  description: Whether RV(zones_after) is RV(zones_before) swapped (in check mode, the prediction's, so V(true)).
  returned: always
  type: bool
state:
  description: The server's state (C(Ready), ...) read after the failover (before it, in check mode).
  returned: always
  type: str
high_availability_state:
  description: The standby's state read after the failover (before it, in check mode).
  returned: always
  type: str
  sample: Healthy
seconds_to_available:
  description: Seconds from the failover request until Azure reported it done; null in check mode or with O(wait=false).
  returned: always
  type: float
  sample: 42.7
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false)
  type: str
'''

import time

from ansible_collections.phonebill.platform.plugins.module_utils import postgresql_failover as failover
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.postgresql_checks import server_name_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    found = server_name_problems('name', params['name'])
    return found + name_problems('resource_group', params['resource_group'], 'resource_group')


def main():
    module = AzureModule(supports_check_mode=True, long_running=True, default_timeout=600, argument_spec=dict(
        name=dict(type='str', required=True),
        resource_group=dict(type='str', required=True),
        mode=dict(type='str', choices=list(failover.MODES), default='planned'),
    ))
    params = module.params
    module.fail_on(validate(params))
    label = 'PostgreSQL flexible server %s' % params['name']
    servers = module.client('postgresql').servers
    where = (params['resource_group'], params['name'])

    def read():
        return to_rest(module.get_or_none('read %s' % label, servers.get, *where))

    before = read()
    if before is None:
        module.fail('%s does not exist in resource group %s; name an existing server' % (label, params['resource_group']))
    module.fail_on(failover.refusal_problems(label, before))
    zones_before = failover.zones(before)
    result = dict(changed=True, mode=failover.MODES[params['mode']], zones_before=zones_before,
                  zones_after=failover.swapped(zones_before), zones_swapped=True, seconds_to_available=None,
                  state=failover.facts(before)['state'], high_availability_state=failover.facts(before)['ha_state'])
    if not module.check_mode:
        started = time.monotonic()
        status_url = module.run_operation('fail over %s (%s)' % (label, result['mode']), lambda: servers.begin_restart(
            *where, parameters=failover.restart_parameters(params['mode'])))[1]
        if status_url:
            result['status_url'] = status_url
        else:
            result['seconds_to_available'] = round(time.monotonic() - started, 3)
            after = read() or {}
            result.update(zones_after=failover.zones(after), state=failover.facts(after)['state'],
                          high_availability_state=failover.facts(after)['ha_state'])
            result['zones_swapped'] = failover.zones_swapped(zones_before, result['zones_after'])
            if not result['zones_swapped']:
                module.warn('%s: the failover finished but the zones did not swap (before %s, after %s)'
                            % (label, zones_before, result['zones_after']))
    if module.diff_mode:
        result['diff'] = dict(before=dict(zones=zones_before), after=dict(zones=result['zones_after']))
    module.exit(**result)


if __name__ == '__main__':
    main()
