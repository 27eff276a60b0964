# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""container_registry and container_registry_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

REGISTRY = dict(name='acrphonebillit', resource_group='rg-phonebill-it', location='Korea Central', sku='Premium',
                admin_user_enabled=False, zone_redundancy=True, replications=[{'location': 'koreasouth'}],
                tags={'service': 'phonebill'})


@pytest.fixture
def group(azure):
    azure('resource_group', name='rg-phonebill-it', location='koreacentral')


def test_create_predicted_then_unchanged_with_no_write(azure, group):
    writes = azure.writes()
    predicted = azure('container_registry', check_mode=True, **REGISTRY)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('container_registry', **REGISTRY)
    assert created['differences'] == predicted['differences']
    assert created['login_server'] == 'acrphonebillit.azurecr.io'
    assert [r['name'] for r in created['replications']] == ['koreasouth']
    writes = azure.writes()
    again = azure('container_registry', **REGISTRY)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes


def test_drift_is_reported_and_repaired(azure, sandbox, group):
    created = azure('container_registry', **REGISTRY)
    sandbox.drift(created['id'], {'properties': {'adminUserEnabled': True}})
    sandbox.drift(created['replications'][0]['id'], {'properties': {'regionEndpointEnabled': False}})
    changed_args = dict(REGISTRY, replications=[{'location': 'koreasouth', 'region_endpoint_enabled': True}])
    predicted = azure('container_registry', check_mode=True, **changed_args)
    assert predicted['differences'] == [
        {'path': 'properties.adminUserEnabled', 'before': True, 'after': False},
        {'path': 'replications[koreasouth].properties.regionEndpointEnabled', 'before': False, 'after': True}]
    repaired = azure('container_registry', **changed_args)
    assert repaired['differences'] == predicted['differences']
    assert repaired['resource']['properties']['adminUserEnabled'] is False
    assert azure('container_registry', **changed_args)['changed'] is False


def test_extra_replication_kept_then_purged(azure, sandbox, group):
    created = azure('container_registry', **REGISTRY)
    sandbox.seed([{'id': created['id'] + '/replications/japaneast', 'name': 'japaneast', 'location': 'japaneast',
                   'type': 'Microsoft.ContainerRegistry/registries/replications', 'properties': {}}])
    assert azure('container_registry', **REGISTRY)['changed'] is False
    purge = dict(REGISTRY, purge_replications=True)
    writes = azure.writes()
    predicted = azure('container_registry', check_mode=True, **purge)
    assert [d['path'] for d in predicted['differences']] == ['replications[japaneast]'] and azure.writes() == writes
    purged = azure('container_registry', **purge)
    assert purged['differences'] == predicted['differences']
    found = azure('container_registry_info', name=REGISTRY['name'], resource_group=REGISTRY['resource_group'])
    assert 'japaneast' not in [r['name'] for r in found['replications']]
    assert 'koreasouth' in [r['name'] for r in found['replications']]


def test_replication_named_otherwise_in_the_region_is_kept_with_no_write(azure, sandbox, group):
    """Made elsewhere (az acr replication create --name krsouthreplica): the module matches replications by region,
    so it adopts that one instead of adding a second in koreasouth."""
    created = azure('container_registry', **dict(REGISTRY, replications=[]))
    sandbox.seed([{'id': created['id'] + '/replications/krsouthreplica', 'name': 'krsouthreplica', 'location': 'koreasouth',
                   'type': 'Microsoft.ContainerRegistry/registries/replications', 'tags': {'service': 'phonebill'},
                   'properties': {'regionEndpointEnabled': True, 'zoneRedundancy': 'Disabled'}}])
    writes = azure.writes()
    predicted = azure('container_registry', check_mode=True, **REGISTRY)
    assert predicted['changed'] is False and predicted['differences'] == []
    again = azure('container_registry', **REGISTRY)
    assert again.get('failed') is None, again.get('msg')
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes
    assert [r['name'] for r in again['replications']] == ['krsouthreplica']
    changed = azure('container_registry', **dict(REGISTRY, replications=[{'location': 'Korea South',
                                                                         'region_endpoint_enabled': False}]))
    assert [d['path'] for d in changed['differences']] == ['replications[koreasouth].properties.regionEndpointEnabled']
    found = azure('container_registry_info', name=REGISTRY['name'], resource_group=REGISTRY['resource_group'])
    assert sorted((r['name'], r['properties']['regionEndpointEnabled']) for r in found['replications']) == [
        ('koreacentral', True), ('krsouthreplica', False)]


def test_info_and_delete(azure, group):
    azure('container_registry', **REGISTRY)
    found = azure('container_registry_info', resource_group=REGISTRY['resource_group'])
    assert [r['name'] for r in found['registries']] == ['acrphonebillit']
    absent = dict(name=REGISTRY['name'], resource_group=REGISTRY['resource_group'], state='absent')
    writes = azure.writes()
    assert azure('container_registry', check_mode=True, **absent)['changed'] is True and azure.writes() == writes
    assert azure('container_registry', **absent)['changed'] is True
    assert azure('container_registry_info', name=REGISTRY['name'],
                 resource_group=REGISTRY['resource_group'])['registries'] == []
    assert azure('container_registry', **absent)['changed'] is False
