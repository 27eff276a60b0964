# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_maintenance_configuration: managed windows, UTC hour slots of `default`, validation."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import aks
from ansible_collections.phonebill.platform.plugins.modules import aks_maintenance_configuration
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.aks_fakes import (
    CLUSTER, CLUSTER_ID, RG, FakeAks, run, run_without_client)

WINDOW = dict(cluster_name=CLUSTER, resource_group=RG, day_of_week='Sunday', start_time='02:00', duration_hours=4,
              utc_offset='+09:00')


def managed(name='aksManagedAutoUpgradeSchedule'):
    """As Azure returns it: startDate filled in, the other schedule kinds null."""
    return {'id': CLUSTER_ID + '/maintenanceConfigurations/' + name, 'name': name,
            'type': 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
            'systemData': {'createdAt': '2025-01-01T00:00:00Z'},
            'properties': {'maintenanceWindow': {
                'schedule': {'daily': None, 'weekly': {'intervalWeeks': 1, 'dayOfWeek': 'Sunday'},
                             'absoluteMonthly': None, 'relativeMonthly': None},
                'durationHours': 4, 'utcOffset': '+09:00', 'startDate': '2025-01-05', 'startTime': '02:00',
                'notAllowedDates': None}}}


def test_kst_sunday_morning_is_saturday_evening_utc():
    assert aks.hour_slots_utc('Sunday', '02:00', 2, '+09:00') == [{'day': 'Saturday', 'hourSlots': [17, 18]}]
    assert aks.hour_slots_utc('Monday', '23:00', 3, '+00:00') == [{'day': 'Monday', 'hourSlots': [23]},
                                                                  {'day': 'Tuesday', 'hourSlots': [0, 1]}]
    assert aks.hour_slots_utc('Monday', '01:00', 2, '-05:00') == [{'day': 'Monday', 'hourSlots': [6, 7]}]
    assert aks.hour_slots_utc('Sunday', '02:00', 2, '+05:30') is None


def test_managed_schedule_unchanged_then_changed_keeping_start_date():
    fake = FakeAks(configurations={'aksManagedAutoUpgradeSchedule': managed()})
    unchanged = run(fake, aks_maintenance_configuration.main, dict(WINDOW, name='aksManagedAutoUpgradeSchedule'))
    assert unchanged['changed'] is False and fake.writes == []
    changed = run(fake, aks_maintenance_configuration.main, dict(WINDOW, name='aksManagedAutoUpgradeSchedule', duration_hours=6))
    assert changed['differences'] == [{'path': 'properties.maintenanceWindow.durationHours', 'before': 4, 'after': 6}]
    body = fake.writes[0][2]
    assert body['properties']['maintenanceWindow']['startDate'] == '2025-01-05'
    assert body['properties']['maintenanceWindow']['schedule'] == {'weekly': {'intervalWeeks': 1, 'dayOfWeek': 'Sunday'}}


def test_daily_schedule_found_in_azure_is_replaced_by_the_weekly_one():
    found = managed('aksManagedNodeOSUpgradeSchedule')
    found['properties']['maintenanceWindow']['schedule'] = {'daily': {'intervalDays': 1}}
    fake = FakeAks(configurations={'aksManagedNodeOSUpgradeSchedule': found})
    result = run(fake, aks_maintenance_configuration.main, dict(WINDOW, name='aksManagedNodeOSUpgradeSchedule'))
    assert sorted(d['path'] for d in result['differences']) == [
        'properties.maintenanceWindow.schedule.daily', 'properties.maintenanceWindow.schedule.weekly']
    assert fake.writes[0][2]['properties']['maintenanceWindow']['schedule'] == {
        'weekly': {'dayOfWeek': 'Sunday', 'intervalWeeks': 1}}


def test_default_configuration_in_utc_hour_slots_with_purge():
    fake = FakeAks()
    stated = dict(WINDOW, name='default', duration_hours=2, purge_time_in_week=True)
    predicted = run(fake, aks_maintenance_configuration.main, stated, check_mode=True)
    assert predicted['changed'] and fake.writes == []
    run(fake, aks_maintenance_configuration.main, stated)
    assert fake.writes[0][2] == {'properties': {'timeInWeek': [{'day': 'Saturday', 'hourSlots': [17, 18]}]}}
    fake.configurations['default']['properties']['timeInWeek'] = [{'day': 'Saturday', 'hourSlots': [18, 17]},
                                                                  {'day': 'Wednesday', 'hourSlots': [1]}]
    result = run(fake, aks_maintenance_configuration.main, stated)
    assert [d['path'] for d in result['differences']] == ['properties.timeInWeek[Wednesday]']
    assert fake.writes[-1][2]['properties']['timeInWeek'] == [{'day': 'Saturday', 'hourSlots': [17, 18]}]


@pytest.mark.parametrize('changes, start', [
    (dict(name='aksManagedAutoUpgradeSchedule', duration_hours=2), 'duration_hours:'),
    (dict(name='default', duration_hours=25), 'duration_hours:'),
    (dict(name='default', start_time='2:00'), 'start_time:'),
    (dict(name='default', start_time='02:30'), 'start_time:'),
    (dict(name='default', utc_offset='KST'), 'utc_offset:'),
    (dict(name='default', utc_offset='+9:00'), 'utc_offset:'),
    (dict(name='default', start_time=''), 'start_time:'),
    (dict(name='aksManagedAutoUpgradeSchedule', interval_weeks=5), 'interval_weeks:'),
])
def test_bad_window_fails_before_any_client_is_built(changes, start):
    result = run_without_client(aks_maintenance_configuration.main, dict(WINDOW, **changes))
    assert result['failed'] and result['msg'].startswith(start), result['msg']


def test_missing_day_fails_before_any_client_is_built():
    window = dict(WINDOW, name='default')
    del window['day_of_week']
    result = run_without_client(aks_maintenance_configuration.main, window)
    assert result['failed'] and result['msg'].startswith('day_of_week:')


def test_bad_day_name_is_refused_by_choices():
    result = run_without_client(aks_maintenance_configuration.main, dict(WINDOW, name='default', day_of_week='Sun'))
    assert result['failed'] and 'day_of_week' in result['msg']
