# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""private_dns_zone (zone and virtual network links) against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

GROUP = dict(name='rg-phonebill-it', location='koreacentral')
VNET = dict(name='vnet-phonebill-it', resource_group='rg-phonebill-it', location='koreacentral',
            address_prefixes=['10.0.0.0/16'])
ZONE = dict(name='privatelink.postgres.database.azure.com', resource_group='rg-phonebill-it',
            tags={'service': 'phonebill'},
            virtual_network_links=[dict(name='vnet-phonebill-it', virtual_network='vnet-phonebill-it')])


@pytest.fixture
def group(azure):
    assert azure('resource_group', **GROUP)['changed'] is True
    return azure('virtual_network', **VNET)['resource']['id']


def test_create_predicted_then_unchanged_with_no_write(azure, sandbox, group):
    writes = azure.writes()
    predicted = azure('private_dns_zone', check_mode=True, **ZONE)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('private_dns_zone', **ZONE)
    assert created['changed'] is True and created['differences'] == predicted['differences']
    assert created['resource']['location'] == 'global'
    link, = created['virtual_network_links']
    assert link['properties']['virtualNetwork']['id'].lower() == group.lower()
    sandbox.clear_requests()
    again = azure('private_dns_zone', **ZONE)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == 0
    # the links come from their list: no GET of each
    assert [r['path'].split('?')[0].rsplit('/', 1)[-1] for r in sandbox.requests()] == [
        ZONE['name'], 'virtualNetworkLinks']


def test_link_drift_is_reported_and_repaired_and_foreign_links_kept(azure, sandbox, group):
    created = azure('private_dns_zone', **ZONE)
    link_id = created['virtual_network_links'][0]['id']
    sandbox.drift(link_id, {'properties': {'registrationEnabled': True}})
    sandbox.seed([{'id': created['resource']['id'] + '/virtualNetworkLinks/hub', 'name': 'hub', 'location': 'global',
                   'type': 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
                   'properties': {'virtualNetwork': {'id': group}, 'registrationEnabled': False}}])
    predicted = azure('private_dns_zone', check_mode=True, **ZONE)
    assert predicted['differences'] == [{
        'path': 'virtualNetworkLinks[vnet-phonebill-it].properties.registrationEnabled', 'before': True,
        'after': False}]
    assert predicted['unmanaged_virtual_network_links'] == ['hub']
    repaired = azure('private_dns_zone', **ZONE)
    assert repaired['differences'] == predicted['differences']
    assert azure('private_dns_zone', **ZONE)['changed'] is False
    purged = azure('private_dns_zone', purge_virtual_network_links=True, **ZONE)
    assert [d['path'] for d in purged['differences']] == ['virtualNetworkLinks[hub]']
    assert azure('private_dns_zone', **ZONE)['unmanaged_virtual_network_links'] == []


def test_delete_removes_links_then_zone(azure, group):
    azure('private_dns_zone', **ZONE)
    args = dict(name=ZONE['name'], resource_group=ZONE['resource_group'], state='absent')
    writes = azure.writes()
    assert azure('private_dns_zone', check_mode=True, **args)['changed'] is True
    assert azure.writes() == writes
    deleted = azure('private_dns_zone', **args)
    assert deleted['changed'] is True, deleted.get('msg')
    assert [d['path'] for d in deleted['differences']] == ['virtualNetworkLinks[vnet-phonebill-it]', '']
    assert azure('private_dns_zone', **args)['changed'] is False
