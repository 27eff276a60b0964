# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""container_registry and its info module: registry mapping, replications as a set by location."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

import pytest
from azure.mgmt.containerregistry import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import container_registry, container_registry_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

GROUP, NAME = 'rg-phonebill-prod', 'acrphonebillprod'
REGISTRY_ID = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ContainerRegistry/registries/%s' % (SUB, GROUP, NAME)
ARGS = dict(name=NAME, resource_group=GROUP, location='Korea Central', sku='Premium', admin_user_enabled=False,
            zone_redundancy=True, replications=[{'location': 'Korea South'}], tags={'service': 'phonebill'})


def fill_registry(key, body, previous):
    """Azure's registry: tier, login server, and the server defaults of everything not sent."""
    group, name = key
    body.update(id='/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ContainerRegistry/registries/%s'
                % (SUB, group, name), name=name, type='Microsoft.ContainerRegistry/registries',
                location=body['location'].replace(' ', '').lower())
    body['sku'] = dict(body['sku'], tier=body['sku']['name'])
    properties = body.setdefault('properties', {})
    for field, default in (('adminUserEnabled', False), ('zoneRedundancy', 'Disabled'),
                           ('publicNetworkAccess', 'Enabled'), ('anonymousPullEnabled', False),
                           ('networkRuleBypassOptions', 'AzureServices'), ('dataEndpointEnabled', False),
                           ('policies', {'retentionPolicy': {'days': 7, 'status': 'disabled'}})):
        properties.setdefault(field, default)
    properties.update(loginServer='%s.azurecr.io' % name, provisioningState='Succeeded',
                      creationDate=(previous or {}).get('properties', {}).get('creationDate', '2025-01-01T00:00:00Z'))
    return body


def fill_replication(key, body, previous):  # pylint: disable=unused-argument
    group, registry, name = key
    body.update(id='/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ContainerRegistry/registries/%s/'
                   'replications/%s' % (SUB, group, registry, name), name=name,
                type='Microsoft.ContainerRegistry/registries/replications',
                location=body['location'].replace(' ', '').lower())
    properties = body.setdefault('properties', {})
    properties.setdefault('zoneRedundancy', 'Disabled')
    properties.setdefault('regionEndpointEnabled', True)
    properties.update(provisioningState='Succeeded', status={'displayStatus': 'Ready'})
    return body


class FakeRegistryService:
    def __init__(self):
        self.registries = Collection(models.Registry, fill_registry, lro=True)
        self.replications = Collection(models.Replication, fill_replication, lro=True)

    def client(self):
        return mock.Mock(
            registries=Operations(self.registries, 2, get='get', begin_create='put', begin_delete='delete',
                                  list_by_resource_group='list', list='list'),
            replications=Operations(self.replications, 3, get='get', begin_create='put', begin_delete='delete',
                                    list='list'))

    def writes(self):
        return self.registries.writes + self.replications.writes


@pytest.fixture
def acr():
    """The production registry as Azure shows it: home replication included, as Azure lists it."""
    service = FakeRegistryService()
    service.registries.seed((GROUP, NAME), fill_registry((GROUP, NAME), {
        'location': 'koreacentral', 'sku': {'name': 'Premium'}, 'tags': {'service': 'phonebill', 'added-by': 'policy'},
        'properties': {'zoneRedundancy': 'Enabled'}}, None))
    for location in ('koreacentral', 'koreasouth'):
        service.replications.seed((GROUP, NAME, location), fill_replication(
            (GROUP, NAME, location), {'location': location, 'tags': {'service': 'phonebill'}}, None))
    return service


def run(service, args, main=container_registry.main, **kwargs):
    with mock.patch.object(AzureModule, 'client', client_factory({'containerregistry': service.client()})):
        return run_module(main, dict(AUTH, **args), **kwargs)


def test_existing_registry_and_replications_are_unchanged(acr):
    result = run(acr, ARGS)
    assert result['changed'] is False and result['differences'] == []
    assert acr.writes() == []
    assert result['login_server'] == 'acrphonebillprod.azurecr.io' and result['id'] == REGISTRY_ID
    assert [r['name'] for r in result['replications']] == ['koreasouth']


def test_create_in_check_mode_predicts_registry_and_replication():
    empty = FakeRegistryService()
    predicted = run(empty, ARGS, check_mode=True, diff=True)
    assert predicted['changed'] is True and empty.writes() == []
    paths = [d['path'] for d in predicted['differences']]
    assert 'replications[koreasouth].location' in paths and 'sku' in paths
    created = run(empty, ARGS)
    assert [d['path'] for d in created['differences']] == paths
    (_verb, _key, body), = empty.registries.writes
    assert body == {'location': 'Korea Central', 'tags': {'service': 'phonebill'}, 'sku': {'name': 'Premium'},
                    'properties': {'adminUserEnabled': False, 'zoneRedundancy': 'Enabled'}}
    (_verb, key, replication), = empty.replications.writes
    assert key == (GROUP, NAME, 'koreasouth')
    assert replication == {'location': 'Korea South', 'tags': {'service': 'phonebill'}}
    assert run(empty, ARGS)['changed'] is False and len(empty.writes()) == 2


def test_admin_user_drift_is_repaired_keeping_server_settings(acr):
    acr.registries.items[(GROUP.lower(), NAME)]['properties']['adminUserEnabled'] = True
    result = run(acr, ARGS)
    assert result['differences'] == [{'path': 'properties.adminUserEnabled', 'before': True, 'after': False}]
    (_verb, _key, body), = acr.registries.writes
    assert body['properties']['adminUserEnabled'] is False
    assert body['properties']['policies'] == {'retentionPolicy': {'days': 7, 'status': 'disabled'}}
    assert body['tags'] == {'service': 'phonebill', 'added-by': 'policy'}
    assert 'loginServer' not in body['properties'] and 'tier' not in body['sku']


def test_nested_replication_change_is_detected(acr):
    result = run(acr, dict(ARGS, replications=[{'location': 'koreasouth', 'region_endpoint_enabled': False}]))
    assert result['differences'] == [{'path': 'replications[koreasouth].properties.regionEndpointEnabled',
                                      'before': True, 'after': False}]
    (_verb, key, body), = acr.replications.writes
    assert key == (GROUP, NAME, 'koreasouth') and body['properties']['regionEndpointEnabled'] is False


def test_extra_replication_is_kept_unless_purged_and_home_is_never_purged(acr):
    key = (GROUP, NAME, 'japaneast')
    acr.replications.seed(key, fill_replication(key, {'location': 'japaneast'}, None))
    assert run(acr, ARGS)['changed'] is False
    purge = dict(ARGS, purge_replications=True)
    predicted = run(acr, purge, check_mode=True)
    assert [d['path'] for d in predicted['differences']] == ['replications[japaneast]'] and acr.writes() == []
    assert run(acr, purge)['changed'] is True
    assert acr.replications.writes == [('delete', (GROUP, NAME, 'japaneast'))]


def test_zone_redundancy_cannot_change(acr):
    result = run(acr, dict(ARGS, zone_redundancy=False))
    assert result['failed'] and result['msg'].startswith('properties.zoneRedundancy:')
    assert acr.writes() == []


def test_home_region_of_an_existing_registry_cannot_be_a_replication(acr):
    args = dict(ARGS, replications=[{'location': 'Korea Central'}])
    args.pop('location')
    result = run(acr, args)
    assert result['failed'] and result['msg'].startswith('replications[Korea Central].location: Korea Central is the '
                                                         'home region of container registry acrphonebillprod')
    assert acr.writes() == []


def seed_replication(service, name, location, **properties):
    key = (GROUP, NAME, name)
    service.replications.seed(key, fill_replication(key, {'location': location, 'tags': {'service': 'phonebill'},
                                                          'properties': properties}, None))


@pytest.fixture
def renamed():
    """A registry whose replications are not named after their region (az acr replication create --name ...)."""
    service = FakeRegistryService()
    service.registries.seed((GROUP, NAME), fill_registry((GROUP, NAME), {
        'location': 'koreacentral', 'sku': {'name': 'Premium'}, 'tags': {'service': 'phonebill'},
        'properties': {'zoneRedundancy': 'Enabled'}}, None))
    seed_replication(service, 'krcentralhome', 'koreacentral')
    seed_replication(service, 'krsouthreplica', 'koreasouth')
    return service


def test_replication_with_another_name_in_the_region_is_the_one_stated(renamed):
    result = run(renamed, ARGS)
    assert result.get('failed') is None, result.get('msg')
    assert result['changed'] is False and result['differences'] == [] and renamed.writes() == []
    assert [r['name'] for r in result['replications']] == ['krsouthreplica']


def test_change_of_a_renamed_replication_writes_it_under_its_own_name(renamed):
    result = run(renamed, dict(ARGS, replications=[{'location': 'koreasouth', 'region_endpoint_enabled': False}]))
    assert [d['path'] for d in result['differences']] == ['replications[koreasouth].properties.regionEndpointEnabled']
    (_verb, key, body), = renamed.replications.writes
    assert key == (GROUP, NAME, 'krsouthreplica') and body['location'] == 'koreasouth'


def test_purge_deletes_by_azure_name_and_keeps_the_renamed_home_replication(renamed):
    seed_replication(renamed, 'jpreplica', 'japaneast')
    purge = dict(ARGS, purge_replications=True)
    predicted = run(renamed, purge, check_mode=True)
    assert [d['path'] for d in predicted['differences']] == ['replications[japaneast]'] and renamed.writes() == []
    assert run(renamed, purge)['changed'] is True
    assert renamed.replications.writes == [('delete', (GROUP, NAME, 'jpreplica'))]


def test_delete(acr):
    args = dict(name=NAME, resource_group=GROUP, state='absent')
    assert run(acr, args, check_mode=True)['changed'] is True and acr.writes() == []
    assert run(acr, args)['changed'] is True
    assert acr.registries.writes == [('delete', (GROUP, NAME))] and acr.replications.writes == []


@pytest.mark.parametrize('changes, option', [
    (dict(name='acr-phonebill'), 'name:'),
    (dict(name='acr'), 'name:'),
    (dict(name='a' * 51), 'name:'),
    (dict(resource_group='rg phonebill?'), 'resource_group:'),
    (dict(sku='Standard'), 'sku: Standard does not support replications, zone_redundancy'),
    (dict(sku='Basic', replications=[], zone_redundancy=None, public_network_access='Disabled'),
     'sku: Basic does not support public_network_access'),
    (dict(replications=[{'location': 'koreasouth'}, {'location': 'Korea South'}]),
     'replications[Korea South].location: the region is listed twice (also as koreasouth)'),
    (dict(replications=[{'location': 'koreacentral'}]), 'replications[koreacentral].location:'),
    (dict(replications=[{'location': 'koreasouth', 'tags': {'a<b': 'x'}}]), 'replications[koreasouth].tags.a<b:'),
    (dict(replications=None, purge_replications=True), 'purge_replications:'),
    (dict(tags={'n': 1}), 'tags.n:'),
    (dict(tags={'n': 'v' * 257}), 'tags.n:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(container_registry.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option), result['msg']


PARAMS = dict(dict.fromkeys(('public_network_access', 'purge_tags')), purge_replications=False, **ARGS)


@pytest.mark.parametrize('replications', [{'location': 'koreasouth'}, 'koreasouth', ['koreasouth']])
def test_replications_of_another_type_are_one_problem(replications):
    assert container_registry.validate(dict(PARAMS, replications=replications)) == [
        'replications must be a list of mappings, each with a location (e.g. [{location: koreasouth}]), not %r'
        % (replications,)]


def test_every_problem_is_reported_at_once():
    problems = container_registry.validate(dict(PARAMS, name='acr', tags={'n': 1}, sku='Standard',
                                                replications=[{'location': 'Korea Central'}]))
    assert [p.split(':')[0] for p in problems] == ['name', 'tags.n', 'sku', 'replications[Korea Central].location']
    assert container_registry.validate(PARAMS) == []


def test_info_refuses_a_name_no_registry_can_have():
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(container_registry_info.main, dict(AUTH, name='acr-phonebill', resource_group=GROUP))
    assert result['failed'] and result['msg'].startswith('name:'), result['msg']


def test_info_returns_the_registry_and_its_replications(acr):
    found = run(acr, dict(name=NAME, resource_group=GROUP), main=container_registry_info.main)
    assert [r['properties']['loginServer'] for r in found['registries']] == ['acrphonebillprod.azurecr.io']
    assert sorted(r['name'] for r in found['replications']) == ['koreacentral', 'koreasouth']
    assert run(acr, dict(tags={'service': 'other'}), main=container_registry_info.main)['registries'] == []
