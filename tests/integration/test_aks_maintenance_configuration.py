# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_maintenance_configuration against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

RG = 'rg-phonebill-it'
CLUSTER = 'aks-phonebill-it'
WINDOW = dict(cluster_name=CLUSTER, resource_group=RG, day_of_week='Sunday', start_time='02:00', utc_offset='+09:00')
MANAGED = ['aksManagedAutoUpgradeSchedule', 'aksManagedNodeOSUpgradeSchedule']


@pytest.fixture
def cluster(azure):
    azure('resource_group', name=RG, location='koreacentral')
    created = azure('aks_cluster', name=CLUSTER, resource_group=RG, location='koreacentral', dns_prefix='phonebill-it',
                    agent_pools=[dict(name='system', mode='System', vm_size='Standard_D2s_v3', count=1)])
    assert created['changed'], created.get('msg')
    return created['resource']['id']


@pytest.mark.parametrize('name, hours', [(MANAGED[0], 4), (MANAGED[1], 4), ('default', 2)])
def test_create_then_unchanged_with_no_write(azure, cluster, name, hours):
    args = dict(WINDOW, name=name, duration_hours=hours, purge_time_in_week=True)
    writes = azure.writes()
    predicted = azure('aks_maintenance_configuration', check_mode=True, **args)
    assert predicted['changed'] and azure.writes() == writes
    created = azure('aks_maintenance_configuration', **args)
    assert created['changed'], created.get('msg')
    assert [d['path'] for d in predicted['differences']] == [d['path'] for d in created['differences']]
    if name == 'default':
        assert created['resource']['properties']['timeInWeek'] == [{'day': 'Saturday', 'hourSlots': [17, 18]}]
    else:
        assert created['resource']['properties']['maintenanceWindow']['utcOffset'] == '+09:00'
    writes = azure.writes()
    again = azure('aks_maintenance_configuration', **args)
    assert again['changed'] is False and again['differences'] == [], again['differences']
    assert azure.writes() == writes


def test_drift_is_reported_and_repaired(azure, sandbox, cluster):
    args = dict(WINDOW, name=MANAGED[0], duration_hours=4)
    config_id = azure('aks_maintenance_configuration', **args)['resource']['id']
    sandbox.drift(config_id, {'properties': {'maintenanceWindow': {'startTime': '13:00', 'durationHours': 8}}})
    predicted = azure('aks_maintenance_configuration', check_mode=True, **args)
    assert sorted(d['path'] for d in predicted['differences']) == [
        'properties.maintenanceWindow.durationHours', 'properties.maintenanceWindow.startTime']
    repaired = azure('aks_maintenance_configuration', **args)
    assert repaired['differences'] == predicted['differences']
    assert azure('aks_maintenance_configuration', **args)['changed'] is False


def test_short_managed_window_fails_before_any_call(azure, cluster):
    writes = azure.writes()
    failed = azure('aks_maintenance_configuration', **dict(WINDOW, name=MANAGED[1], duration_hours=2))
    assert failed['failed'] and failed['msg'].startswith('duration_hours:') and azure.writes() == writes


def test_delete(azure, cluster):
    args = dict(WINDOW, name='default', duration_hours=2)
    azure('aks_maintenance_configuration', **args)
    gone = dict(name='default', cluster_name=CLUSTER, resource_group=RG, state='absent')
    writes = azure.writes()
    assert azure('aks_maintenance_configuration', check_mode=True, **gone)['changed'] and azure.writes() == writes
    assert azure('aks_maintenance_configuration', **gone)['changed']
    assert azure('aks_maintenance_configuration', **gone)['changed'] is False
