# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""private_dns_zone: a global zone and its links as child resources, each written only when it differs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.modules import private_dns_zone
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.network_fakes import (
    PREFIX, RG, FakeClient, run, run_without_azure)

ZONE = 'privatelink.postgres.database.azure.com'
ZONE_ID = PREFIX + '/privateDnsZones/' + ZONE
ARGS = dict(name=ZONE, resource_group=RG, tags={'service': 'phonebill'},
            virtual_network_links=[dict(name='vnet-phonebill-prod', virtual_network='vnet-phonebill-prod')])


def zone():
    return {'name': ZONE, 'id': ZONE_ID, 'etag': '3c1e', 'type': 'Microsoft.Network/privateDnsZones',
            'location': 'global', 'tags': {'service': 'phonebill'},
            'properties': {'provisioningState': 'Succeeded', 'maxNumberOfRecordSets': 25000, 'numberOfRecordSets': 1,
                           'maxNumberOfVirtualNetworkLinks': 1000, 'numberOfVirtualNetworkLinks': 2,
                           'maxNumberOfVirtualNetworkLinksWithRegistration': 100,
                           'numberOfVirtualNetworkLinksWithRegistration': 0}}


def link(name, vnet_id, registration=False):
    return {'name': name, 'id': '%s/virtualNetworkLinks/%s' % (ZONE_ID, name), 'etag': '"5e"',
            'type': 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', 'location': 'global',
            'tags': {'service': 'phonebill'},
            'properties': {'provisioningState': 'Succeeded', 'virtualNetwork': {'id': vnet_id},
                           'registrationEnabled': registration, 'virtualNetworkLinkState': 'Completed'}}


@pytest.fixture
def client():
    fake = FakeClient()
    fake.private_zones.add(zone(), RG, ZONE)
    # Azure lower-cases the resource group segment of the linked network's id
    fake.virtual_network_links.add(link('vnet-phonebill-prod', (PREFIX + '/virtualNetworks/vnet-phonebill-prod').replace(
        'resourceGroups', 'resourcegroups')), RG, ZONE, 'vnet-phonebill-prod')
    fake.virtual_network_links.add(link('hub-link', '/subscriptions/x/resourceGroups/hub/providers/Microsoft.Network/'
                                                    'virtualNetworks/vnet-hub'), RG, ZONE, 'hub-link')
    return fake


def test_existing_zone_and_link_are_unchanged(client):
    result = run(client, private_dns_zone.main, ARGS)
    assert result['changed'] is False and result['differences'] == [] and client.writes == []
    assert result['unmanaged_virtual_network_links'] == ['hub-link']
    assert [link['name'] for link in result['virtual_network_links']] == ['vnet-phonebill-prod']


def test_link_change_writes_only_the_link(client):
    args = dict(ARGS, virtual_network_links=[dict(name='vnet-phonebill-prod', virtual_network='vnet-phonebill-prod',
                                                  registration_enabled=True)])
    result = run(client, private_dns_zone.main, args, diff=True)
    assert result['differences'] == [{'path': 'virtualNetworkLinks[vnet-phonebill-prod].properties.registrationEnabled',
                                      'before': False, 'after': True}]
    (verb, kind, _group, _zone, name, body), = client.writes
    assert (verb, kind, name) == ('put', 'virtual_network_links', 'vnet-phonebill-prod')
    assert body['location'] == 'global' and 'virtualNetworkLinkState' not in body['properties']


def test_link_cannot_move_to_another_network(client):
    args = dict(ARGS, virtual_network_links=[dict(name='vnet-phonebill-prod', virtual_network='vnet-other')])
    result = run(client, private_dns_zone.main, args)
    assert result['failed'] and result['msg'].startswith('properties.virtualNetwork.id: virtual network link')
    assert client.writes == []


def test_purge_deletes_the_unstated_link(client):
    result = run(client, private_dns_zone.main, dict(ARGS, purge_virtual_network_links=True))
    assert [d['path'] for d in result['differences']] == ['virtualNetworkLinks[hub-link]']
    assert client.writes == [('delete', 'virtual_network_links', RG, ZONE, 'hub-link')]


def test_create_in_check_mode_predicts_zone_and_link_then_real_run():
    empty = FakeClient()
    predicted = run(empty, private_dns_zone.main, ARGS, check_mode=True, diff=True)
    assert predicted['changed'] is True and empty.writes == []
    assert sorted(d['path'] for d in predicted['differences']) == [
        'location', 'tags', 'virtualNetworkLinks[vnet-phonebill-prod].location',
        'virtualNetworkLinks[vnet-phonebill-prod].properties', 'virtualNetworkLinks[vnet-phonebill-prod].tags']
    created = run(empty, private_dns_zone.main, ARGS)
    assert created['differences'] == predicted['differences']
    assert [w[:2] for w in empty.writes] == [('put', 'private_zones'), ('put', 'virtual_network_links')]
    assert empty.writes[1][-1]['properties']['virtualNetwork']['id'] == PREFIX + '/virtualNetworks/vnet-phonebill-prod'
    assert run(empty, private_dns_zone.main, ARGS)['changed'] is False and len(empty.writes) == 2


def test_absent_deletes_links_then_zone(client):
    result = run(client, private_dns_zone.main, dict(name=ZONE, resource_group=RG, state='absent'), check_mode=True)
    assert result['changed'] is True and client.writes == []
    run(client, private_dns_zone.main, dict(name=ZONE, resource_group=RG, state='absent'))
    assert [w[:2] + w[-1:] for w in client.writes] == [('delete', 'virtual_network_links', 'hub-link'),
                                                       ('delete', 'virtual_network_links', 'vnet-phonebill-prod'),
                                                       ('delete', 'private_zones', ZONE)]


@pytest.mark.parametrize('changes, message', [
    (dict(name='localhost'), 'name:'),
    (dict(name='Bad_Zone.example.com'), 'name:'),
    (dict(tags={'k' * 513: 'v'}), 'tags.%s: tag names are at most 512 characters' % ('k' * 513)),
    (dict(virtual_network_links=[dict(name='l', virtual_network='/subscriptions/x')]),
     'virtual_network_links[l].virtual_network:'),
    (dict(virtual_network_links=[dict(name='l', virtual_network='v'), dict(name='L', virtual_network='w')]),
     'virtual_network_links[L].name: link L is listed twice'),
])
def test_bad_input_fails_before_any_call(changes, message):
    result = run_without_azure(private_dns_zone.main, dict(ARGS, **changes))
    assert result['failed'] and result['msg'].startswith(message), result['msg']
