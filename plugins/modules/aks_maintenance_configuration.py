#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: aks_maintenance_configuration
short_description: Planned maintenance windows of an AKS cluster
version_added: 0.1.0
description:
  - Ensures one of the three maintenance configurations of an AKS cluster has the stated weekly window, or is absent.
  - V(aksManagedAutoUpgradeSchedule) (cluster auto-upgrades) and V(aksManagedNodeOSUpgradeSchedule) (node OS
    upgrades) take the window as Azure does, in local time with its UTC offset; the window is at least 4 hours.
  - V(default) takes hour slots in UTC; the module converts the local window, so Sunday 02:00 for 2 hours at
    V(+09:00) becomes Saturday hour slots 17 and 18 UTC.
  - The window is validated (day, HH:MM, duration, offset) before any call to Azure.
options:
  name:
    description: Which maintenance configuration.
    type: str
    required: true
    choices: [default, aksManagedAutoUpgradeSchedule, aksManagedNodeOSUpgradeSchedule]
  cluster_name:
    description: Name of the AKS cluster.
    type: str
    required: true
  resource_group:
    description: Resource group of the cluster.
    type: str
    required: true
  day_of_week:
    description: Local day the window starts on. Required with O(state=present).
    type: str
    choices: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]
  start_time:
    description:
      - Local start time, C(HH:MM) (24 hours). Required with O(state=present).
      - For V(default), the start must fall on a whole UTC hour.
    type: str
  duration_hours:
    description: Length of the window in hours; 4 to 24 for the managed schedules, 1 to 24 for V(default).
    type: int
  utc_offset:
    description: Offset of the local time from UTC, C(+HH:MM) or C(-HH:MM) (V(+09:00) for KST).
    type: str
    default: '+00:00'
  interval_weeks:
    description: Every how many weeks the window recurs (1-4). Managed schedules only.
    type: int
    default: 1
  purge_time_in_week:
    description:
      - For V(default), remove the days Azure has that the window does not cover, so maintenance happens only in it.
      - Without it, other days found in Azure are kept.
    type: bool
    default: false
  state:
    description: Whether the configuration should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - Only weekly schedules are stated by this module; a daily or monthly schedule found in Azure is replaced.
seealso:
  - module: phonebill.platform.aks_cluster
requirements:
  - azure-mgmt-containerservice >= 40, < 42
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Cluster auto-upgrades on Sundays from 02:00 KST, for 4 hours (the managed minimum)
  phonebill.platform.aks_maintenance_configuration:
    name: aksManagedAutoUpgradeSchedule
    cluster_name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    day_of_week: Sunday
    start_time: "02:00"
    duration_hours: 4
    utc_offset: "+09:00"

- name: Other planned maintenance only on Sunday 02:00-04:00 KST (Saturday 17-19 UTC)
  phonebill.platform.aks_maintenance_configuration:
    name: default
    cluster_name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    day_of_week: Sunday
    start_time: "02:00"
    duration_hours: 2
    utc_offset: "+09:00"
    purge_time_in_week: true
'''

RETURN = r'''
resource:
  description: The configuration as Azure returns it (or, in check mode, as it would be), in REST form.
  returned: success
  type: dict
  sample:
    name: aksManagedAutoUpgradeSchedule
    properties:
      maintenanceWindow:
        schedule: {weekly: {dayOfWeek: Sunday, intervalWeeks: 1}}
        startTime: "02:00"
        durationHours: 4
        utcOffset: "+09:00"
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.timeInWeek[Saturday].hourSlots", before: [1, 2], after: [17, 18]}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import aks, compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, to_rest

MANAGED = ('aksManagedAutoUpgradeSchedule', 'aksManagedNodeOSUpgradeSchedule')


class MaintenanceConfiguration(ArmResource):
    kind, parent_kind = 'maintenance configuration', 'AKS cluster'
    service, operations = 'containerservice', 'maintenance_configurations'
    key = ('resource_group', 'cluster_name', 'name')
    create_method, delete_method = 'create_or_update', 'delete'

    @property
    def rules(self):
        return {
            'properties.timeInWeek': compare.NamedSet('day', purge=self.params['purge_time_in_week']),
            'properties.timeInWeek[].hourSlots': compare.Set(),
            'properties.maintenanceWindow.schedule': compare.Mapping(purge=True),
            'properties.maintenanceWindow.schedule.weekly.dayOfWeek': compare.IGNORE_CASE,
        }

    def get(self):
        """The configuration; schedule kinds Azure returns as null are dropped (only one kind is ever set)."""
        actual = to_rest(self.read())
        schedule = ((actual or {}).get('properties') or {}).get('maintenanceWindow', {}) or {}
        if isinstance(schedule.get('schedule'), dict):
            schedule['schedule'] = dict((k, v) for k, v in schedule['schedule'].items() if v is not None)
        return actual

    def desired(self):
        params = self.params
        if params['name'] == 'default':
            return dict(properties=dict(timeInWeek=aks.hour_slots_utc(
                params['day_of_week'], params['start_time'], params['duration_hours'], params['utc_offset'])))
        return dict(properties=dict(maintenanceWindow=dict(
            schedule=dict(weekly=dict(dayOfWeek=params['day_of_week'], intervalWeeks=params['interval_weeks'])),
            startTime=params['start_time'], durationHours=params['duration_hours'], utcOffset=params['utc_offset'])))

    def write(self, body):
        return super(MaintenanceConfiguration, self).write(compare.prune(body))


def validate(params):
    """Input errors that need no call to Azure: the window must be one Azure accepts (the checks preflight makes)."""
    if params['state'] == 'absent':
        return []
    missing = ['%s: required to state the window of %s' % (option, params['name'])
               for option in ('day_of_week', 'start_time', 'duration_hours') if params[option] in (None, '')]
    if missing:
        return missing
    found = (aks.start_time_problems('start_time', params['start_time'])
             + aks.utc_offset_problems('utc_offset', params['utc_offset'])
             + aks.duration_problems('duration_hours', params['duration_hours'],
                                     aks.MANAGED_MIN_HOURS if params['name'] in MANAGED else 1))
    if not 1 <= params['interval_weeks'] <= 4:
        found.append('interval_weeks: %d is out of range; state 1 to 4' % params['interval_weeks'])
    if not found and params['name'] == 'default':
        found += aks.whole_utc_hour_problems('start_time', params['day_of_week'], params['start_time'],
                                             params['duration_hours'], params['utc_offset'])
    return found


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        name=dict(type='str', required=True, choices=['default'] + list(MANAGED)),
        cluster_name=dict(type='str', required=True),
        resource_group=dict(type='str', required=True),
        day_of_week=dict(type='str', choices=list(aks.DAYS)),
        start_time=dict(type='str'),
        duration_hours=dict(type='int'),
        utc_offset=dict(type='str', default='+00:00'),
        interval_weeks=dict(type='int', default=1),
        purge_time_in_week=dict(type='bool', default=False),
        **STATE_ARGUMENT_SPEC,
    ))
    module.fail_on(validate(module.params))
    module.exit(**reconcile(module, MaintenanceConfiguration(module)))


if __name__ == '__main__':
    main()
