# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""private_endpoint (endpoint and private DNS zone group) against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

GROUP = dict(name='rg-phonebill-it', location='koreacentral')
VNET = dict(name='vnet-phonebill-it', resource_group='rg-phonebill-it', location='koreacentral',
            address_prefixes=['10.0.0.0/16'], subnets=[dict(name='snet-cache', address_prefix='10.0.3.0/24')])
ZONES = ('privatelink.redis.cache.windows.net', 'privatelink.vaultcore.azure.net')


@pytest.fixture
def endpoint(azure, sandbox):
    """Group, network, zones and a target resource to connect to; returns the endpoint's arguments."""
    assert azure('resource_group', **GROUP)['changed'] is True
    azure('virtual_network', **VNET)
    for zone in ZONES:
        azure('private_dns_zone', name=zone, resource_group='rg-phonebill-it')
    group_id = azure('resource_group_info', name='rg-phonebill-it')['resource_groups'][0]['id']
    target, = sandbox.seed([{'id': group_id + '/providers/Microsoft.KeyVault/vaults/kv-phonebill-it',
                             'name': 'kv-phonebill-it', 'type': 'Microsoft.KeyVault/vaults',
                             'location': 'koreacentral', 'properties': {}}])
    return dict(name='pe-kv-phonebill-it', resource_group='rg-phonebill-it', location='Korea Central',
                virtual_network='vnet-phonebill-it', subnet='snet-cache', private_link_resource_id=target['id'],
                group_ids=['vault'], tags={'service': 'phonebill'},
                private_dns_zone_group=dict(private_dns_zones=[ZONES[1]]))


def test_create_predicted_then_unchanged_with_no_write(azure, endpoint):
    writes = azure.writes()
    predicted = azure('private_endpoint', check_mode=True, **endpoint)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('private_endpoint', **endpoint)
    assert created['changed'] is True, created.get('msg')
    assert created['differences'] == predicted['differences']
    assert created['private_dns_zone_group']['properties']['privateDnsZoneConfigs'][0]['properties'][
        'privateDnsZoneId'].lower().endswith('/privatednszones/privatelink.vaultcore.azure.net')
    writes = azure.writes()
    again = azure('private_endpoint', **endpoint)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes


def test_zone_group_change_predicted_drift_repaired_subnet_refused(azure, sandbox, endpoint):
    created = azure('private_endpoint', **endpoint)
    both = dict(endpoint, private_dns_zone_group=dict(private_dns_zones=list(ZONES)))
    predicted = azure('private_endpoint', check_mode=True, **both)
    assert [d['path'] for d in predicted['differences']] == [
        'privateDnsZoneGroups[default].properties.privateDnsZoneConfigs[privatelink-redis-cache-windows-net]']
    done = azure('private_endpoint', **both)
    assert done['differences'] == predicted['differences']
    sandbox.drift(created['resource']['id'], {'tags': {'service': 'other'}})
    repaired = azure('private_endpoint', **both)
    assert repaired['differences'] == [{'path': 'tags.service', 'before': 'other', 'after': 'phonebill'}]
    assert azure('private_endpoint', **both)['changed'] is False
    writes = azure.writes()
    refused = azure('private_endpoint', **dict(both, subnet='snet-other'))
    assert refused['failed'] and refused['msg'].startswith('properties.subnet.id: private endpoint')
    assert azure.writes() == writes


def test_connection_azure_returns_without_name_is_found_by_its_id(azure, sandbox, endpoint):
    """The endpoint as Microsoft's PrivateEndpointGet example returns it: the connection has an id, no name."""
    group_id = azure('resource_group_info', name='rg-phonebill-it')['resource_groups'][0]['id']
    endpoint_id = group_id + '/providers/Microsoft.Network/privateEndpoints/' + endpoint['name']
    subnet_id = group_id + '/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-it/subnets/snet-cache'
    sandbox.seed([{'id': endpoint_id, 'name': endpoint['name'], 'type': 'Microsoft.Network/privateEndpoints',
                   'location': 'koreacentral', 'tags': endpoint['tags'], 'properties': {
                       'subnet': {'id': subnet_id}, 'privateLinkServiceConnections': [{
                           'id': endpoint_id + '/privateLinkServiceConnections/plsconnection1',
                           'properties': {'privateLinkServiceId': endpoint['private_link_resource_id'],
                                          'groupIds': ['vault'], 'requestMessage': 'Please approve my connection.'}}]}}])
    args = dict(endpoint, private_dns_zone_group=None)
    writes = azure.writes()
    for connection_name in (None, 'plsconnection1'):
        result = azure('private_endpoint', connection_name=connection_name, **args)
        assert result.get('failed') is None, result.get('msg')
        assert result['changed'] is False and result['differences'] == [] and azure.writes() == writes
    tagged = azure('private_endpoint', **dict(args, tags={'service': 'phonebill', 'tier': 'data'}))
    assert [d['path'] for d in tagged['differences']] == ['tags.tier']
    connection, = tagged['resource']['properties']['privateLinkServiceConnections']
    assert connection['id'].endswith('/privateLinkServiceConnections/plsconnection1')


def test_delete(azure, endpoint):
    azure('private_endpoint', **endpoint)
    args = dict(name=endpoint['name'], resource_group=endpoint['resource_group'], state='absent')
    assert azure('private_endpoint', check_mode=True, **args)['changed'] is True
    assert azure('private_endpoint', **args)['changed'] is True
    assert azure('private_endpoint', **args)['changed'] is False
