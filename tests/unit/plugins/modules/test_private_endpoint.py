# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""private_endpoint: endpoint and DNS zone group, immutable target and subnet, names reused from Azure."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.modules import private_endpoint
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.network_fakes import (
    PREFIX, RG, SUB, FakeClient, run, run_without_azure)

REDIS_ID = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Cache/Redis/redis-phonebill-prod' % (SUB, RG)
SUBNET_ID = PREFIX + '/virtualNetworks/vnet-phonebill-prod/subnets/snet-cache'
ZONE_ID = PREFIX + '/privateDnsZones/privatelink.redis.cache.windows.net'
ARGS = dict(name='pe-redis', resource_group=RG, location='Korea Central', virtual_network='vnet-phonebill-prod',
            subnet='snet-cache', private_link_resource_id=REDIS_ID, group_ids=['rediscache'],
            private_dns_zone_group=dict(private_dns_zones=['privatelink.redis.cache.windows.net']))


def endpoint():
    return {'name': 'pe-redis', 'id': PREFIX + '/privateEndpoints/pe-redis', 'etag': 'W/"1"',
            'type': 'Microsoft.Network/privateEndpoints', 'location': 'koreacentral',
            'properties': {
                'provisioningState': 'Succeeded', 'resourceGuid': 'c2c2c2c2-0000-0000-0000-000000000000',
                'subnet': {'id': SUBNET_ID.lower()},
                'privateLinkServiceConnections': [{
                    'name': 'pe-redis-connection', 'id': PREFIX + '/privateEndpoints/pe-redis/privateLinkServiceConnections/x',
                    'properties': {'provisioningState': 'Succeeded', 'privateLinkServiceId': REDIS_ID.lower(),
                                   'groupIds': ['redisCache'],
                                   'privateLinkServiceConnectionState': {'status': 'Approved',
                                                                         'description': 'Auto-Approved',
                                                                         'actionsRequired': 'None'}}}],
                'manualPrivateLinkServiceConnections': [],
                'networkInterfaces': [{'id': PREFIX + '/networkInterfaces/pe-redis.nic.1'}],
                'customDnsConfigs': [{'fqdn': 'redis-phonebill-prod.redis.cache.windows.net',
                                      'ipAddresses': ['10.0.3.4']}]}}


def zone_group():
    return {'name': 'default', 'id': PREFIX + '/privateEndpoints/pe-redis/privateDnsZoneGroups/default',
            'etag': 'W/"1"', 'properties': {'provisioningState': 'Succeeded', 'privateDnsZoneConfigs': [
                {'name': 'redis-config', 'id': 'x', 'properties': {'privateDnsZoneId': ZONE_ID.lower(), 'recordSets': [
                    {'recordType': 'A', 'recordSetName': 'redis-phonebill-prod', 'ipAddresses': ['10.0.3.4']}]}}]}}


@pytest.fixture
def client():
    fake = FakeClient()
    fake.private_endpoints.add(endpoint(), RG, 'pe-redis')
    fake.private_dns_zone_groups.add(zone_group(), RG, 'pe-redis', 'default')
    return fake


def test_existing_endpoint_and_zone_group_are_unchanged(client):
    result = run(client, private_endpoint.main, ARGS)
    assert result['changed'] is False and result['differences'] == [] and client.writes == []
    assert result['private_dns_zone_group']['name'] == 'default'


def test_added_zone_writes_only_the_zone_group_keeping_the_existing_config(client):
    other = PREFIX + '/privateDnsZones/privatelink.vaultcore.azure.net'
    args = dict(ARGS, private_dns_zone_group=dict(private_dns_zones=[ZONE_ID, other]))
    result = run(client, private_endpoint.main, args, diff=True)
    assert [d['path'] for d in result['differences']] == [
        'privateDnsZoneGroups[default].properties.privateDnsZoneConfigs[privatelink-vaultcore-azure-net]']
    (verb, kind, _group, _pe, name, body), = client.writes
    assert (verb, kind, name) == ('put', 'private_dns_zone_groups', 'default')
    assert [c['name'] for c in body['properties']['privateDnsZoneConfigs']] == [
        'redis-config', 'privatelink-vaultcore-azure-net']


def test_tag_change_keeps_the_connection_azure_named(client):
    result = run(client, private_endpoint.main, dict(ARGS, tags={'service': 'phonebill'}))
    assert [d['path'] for d in result['differences']] == ['tags']
    body = client.writes[0][-1]
    assert [c['name'] for c in body['properties']['privateLinkServiceConnections']] == ['pe-redis-connection']
    assert 'networkInterfaces' not in body['properties']


@pytest.mark.parametrize('changes, path', [
    (dict(subnet='snet-application'), 'properties.subnet.id'),
    (dict(group_ids=['redisCache', 'other']), 'properties.privateLinkServiceConnections[pe-redis-connection]'),
])
def test_subnet_and_target_cannot_change(client, changes, path):
    result = run(client, private_endpoint.main, dict(ARGS, **changes))
    assert result['failed'] and result['msg'].startswith(path), result['msg']
    assert client.writes == []


def test_create_in_check_mode_then_real_run():
    empty = FakeClient()
    predicted = run(empty, private_endpoint.main, ARGS, check_mode=True)
    assert predicted['changed'] is True and empty.writes == []
    created = run(empty, private_endpoint.main, ARGS)
    assert created['differences'] == predicted['differences']
    assert [w[:2] for w in empty.writes] == [('put', 'private_endpoints'), ('put', 'private_dns_zone_groups')]
    assert empty.writes[0][-1]['properties']['subnet']['id'] == SUBNET_ID
    assert empty.writes[1][-1]['properties']['privateDnsZoneConfigs'][0] == {
        'name': 'privatelink-redis-cache-windows-net', 'properties': {'privateDnsZoneId': ZONE_ID}}
    assert run(empty, private_endpoint.main, ARGS)['changed'] is False and len(empty.writes) == 2


def endpoint_as_microsoft_documents_it():
    """The endpoint with its connection as Microsoft's PrivateEndpointGet example shows it: an id, no name.

    Azure/azure-rest-api-specs, specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/
    examples/PrivateEndpointGet.json.
    """
    document = endpoint()
    connection, = document['properties']['privateLinkServiceConnections']
    del connection['name']
    connection['id'] = PREFIX + '/privateEndpoints/pe-redis/privateLinkServiceConnections/plsconnection1'
    connection['properties']['requestMessage'] = 'Please approve my connection.'
    document['properties'].update(applicationSecurityGroups=[], ipConfigurations=[], customNetworkInterfaceName='')
    return document


@pytest.fixture
def unnamed(client):
    client.private_endpoints.add(endpoint_as_microsoft_documents_it(), RG, 'pe-redis')
    return client


@pytest.mark.parametrize('connection_name', [None, 'plsconnection1', 'PLSConnection1'])
def test_connection_without_name_is_found_by_its_id_and_unchanged(unnamed, connection_name):
    result = run(unnamed, private_endpoint.main, dict(ARGS, connection_name=connection_name))
    assert result.get('failed') is None, result.get('msg')
    assert result['changed'] is False and result['differences'] == [] and unnamed.writes == []


def test_change_beside_an_unnamed_connection_keeps_it_by_id(unnamed):
    result = run(unnamed, private_endpoint.main, dict(ARGS, tags={'service': 'phonebill'}))
    assert [d['path'] for d in result['differences']] == ['tags']
    (_verb, _kind, _group, _name, body), = unnamed.writes
    connection, = body['properties']['privateLinkServiceConnections']
    assert connection['name'] == 'plsconnection1' and connection['id'].endswith('/plsconnection1')


ZONE_IDS = dict(private_dns_zone_group=dict(name='default', private_dns_zones=[REDIS_ID]))


@pytest.mark.parametrize('changes, message', [
    (dict(name='pe redis'), 'name:'),
    (dict(name='pe-redis-'), 'name:'),
    (dict(resource_group='rg-phonebill-prod.'), 'resource_group:'),
    (dict(tags={'cost/center': 'x'}), 'tags.cost/center:'),
    (dict(tags={'service': 1}), 'tags.service:'),
    (dict(virtual_network=None), 'virtual_network: required when subnet is a name'),
    (dict(subnet=SUBNET_ID), 'virtual_network: the subnet is given by id'),
    (dict(subnet='/subscriptions/x/whatever', virtual_network=None), 'subnet:'),
    (dict(subnet='snet cache'), 'subnet:'),
    (dict(virtual_network='vnet phonebill'), 'virtual_network:'),
    (dict(virtual_network='/subscriptions/x/virtualNetworks'), 'virtual_network:'),
    (dict(private_link_resource_id='redis-phonebill-prod'), 'private_link_resource_id:'),
    (dict(group_ids=[]), 'group_ids:'),
    (dict(connection_name='conn/1'), 'connection_name:'),
    (dict(private_dns_zone_group=dict(name='zone group', private_dns_zones=['privatelink.redis.cache.windows.net'])),
     'private_dns_zone_group.name:'),
    (dict(private_dns_zone_group=dict(private_dns_zones=[])), 'private_dns_zone_group.private_dns_zones:'),
    (ZONE_IDS, 'private_dns_zone_group.private_dns_zones:'),
])
def test_bad_input_fails_before_any_call(changes, message):
    result = run_without_azure(private_endpoint.main, dict(ARGS, **changes))
    assert result['failed'] and result['msg'].startswith(message), result['msg']


PARAMS = dict(dict.fromkeys(('connection_name', 'tags')), **ARGS)
PARAMS['private_dns_zone_group'] = dict(name='default', **ARGS['private_dns_zone_group'])


def test_every_problem_is_reported_at_once():
    problems = private_endpoint.validate(dict(PARAMS, name='pe redis', group_ids=[], subnet=SUBNET_ID))
    assert [p.split(':')[0] for p in problems] == ['name', 'virtual_network', 'group_ids']
    assert private_endpoint.validate(PARAMS) == []


def test_target_check_mode_only_predicts_is_shown_unknown_and_a_real_run_refuses_it():
    args = dict(ARGS, unknown=['private_link_resource_id'])
    del args['private_link_resource_id']
    empty = FakeClient()
    predicted = run(empty, private_endpoint.main, args, check_mode=True)
    assert predicted['changed'] is True and empty.writes == []
    connection = predicted['resource']['properties']['privateLinkServiceConnections'][0]
    assert connection['properties']['privateLinkServiceId'] == '(known after a real run)'
    refused = run(empty, private_endpoint.main, args)
    assert refused['failed'] and refused['msg'].startswith('private_link_resource_id: is unknown') and empty.writes == []


def test_target_is_required_to_create_unless_unknown():
    args = dict(ARGS)
    del args['private_link_resource_id']
    result = run(FakeClient(), private_endpoint.main, args, check_mode=True)
    assert result['failed'] and 'private_link_resource_id: required to create private endpoint pe-redis' in result['msg']
