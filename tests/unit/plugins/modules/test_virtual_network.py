# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""virtual_network and virtual_network_info: subnets as a named set, address checks, no false change."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.phonebill.platform.plugins.modules import virtual_network, virtual_network_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.network_fakes import (
    PREFIX, RG, SUB, FakeClient, run, run_without_azure)

VNET_ID = PREFIX + '/virtualNetworks/vnet-phonebill-prod'
# Azure returns the NSG id of a subnet with lower-cased segments.
NSG_ID = ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/networkSecurityGroups/nsg-aks'
          % (SUB, RG.upper())).lower()


def subnet(name, prefix, **props):
    body = {'name': name, 'id': '%s/subnets/%s' % (VNET_ID, name), 'etag': 'W/"5f1c"',
            'type': 'Microsoft.Network/virtualNetworks/subnets',
            'properties': dict({'provisioningState': 'Succeeded', 'addressPrefix': prefix,
                                'delegations': [], 'privateEndpointNetworkPolicies': 'Disabled',
                                'privateLinkServiceNetworkPolicies': 'Enabled'}, **props)}
    return body


def existing_vnet():
    """The platform VNet as Azure returns it, plus a subnet someone else made."""
    return {
        'name': 'vnet-phonebill-prod', 'id': VNET_ID, 'etag': 'W/"5f1c"', 'type': 'Microsoft.Network/virtualNetworks',
        'location': 'koreacentral', 'tags': {'service': 'phonebill', 'added-by': 'policy'},
        'properties': {
            'provisioningState': 'Succeeded', 'resourceGuid': '1c1f7d3e-0000-0000-0000-000000000000',
            'addressSpace': {'addressPrefixes': ['10.0.0.0/16']},
            'enableDdosProtection': False,
            'virtualNetworkPeerings': [],
            'subnets': [
                subnet('snet-application', '10.0.1.0/24',
                       networkSecurityGroup={'id': NSG_ID},
                       serviceEndpoints=[{'service': 'Microsoft.ContainerRegistry', 'locations': ['*'],
                                          'provisioningState': 'Succeeded'}],
                       ipConfigurations=[{'id': '/subscriptions/x/nic/ipconfig1'}]),
                subnet('snet-database', '10.0.2.0/24', delegations=[{
                    'name': 'dlg-postgres', 'id': '%s/subnets/snet-database/delegations/dlg-postgres' % VNET_ID,
                    'etag': 'W/"5f1c"', 'type': 'Microsoft.Network/virtualNetworks/subnets/delegations',
                    'properties': {'provisioningState': 'Succeeded',
                                   'serviceName': 'Microsoft.DBforPostgreSQL/flexibleServers',
                                   'actions': ['Microsoft.Network/virtualNetworks/subnets/join/action']}}]),
                subnet('snet-cache', '10.0.3.0/24'),
                subnet('AzureBastionSubnet', '10.0.200.0/26'),
            ],
        },
    }


SUBNETS = [
    dict(name='snet-application', address_prefix='10.0.1.0/24', service_endpoints=['Microsoft.ContainerRegistry'],
         network_security_group='nsg-aks'),
    dict(name='snet-database', address_prefix='10.0.2.0/24', delegations=['Microsoft.DBforPostgreSQL/flexibleServers']),
    dict(name='snet-cache', address_prefix='10.0.3.0/24'),
]
ARGS = dict(name='vnet-phonebill-prod', resource_group=RG, location='Korea Central', address_prefixes=['10.0.0.0/16'],
            subnets=SUBNETS, tags={'service': 'phonebill'})


@pytest.fixture
def client():
    fake = FakeClient()
    fake.virtual_networks.add(existing_vnet(), RG, 'vnet-phonebill-prod')
    return fake


def args(**changes):
    result = copy.deepcopy(ARGS)
    result.update(changes)
    return result


def put_body(client):
    (verb, _kind, _group, _name, body), = client.writes
    assert verb == 'put'
    return body


def subnets_of(body):
    return dict((s['name'], s) for s in body['properties']['subnets'])


def test_existing_vnet_is_unchanged_and_reports_the_unstated_subnet(client):
    result = run(client, virtual_network.main, args())
    assert result['changed'] is False and result['differences'] == []
    assert client.writes == []
    assert result['unmanaged_subnets'] == ['AzureBastionSubnet']
    assert result['subnet_ids']['snet-database'] == VNET_ID + '/subnets/snet-database'


def test_nested_change_updates_one_subnet_and_carries_every_other(client):
    changed = copy.deepcopy(SUBNETS)
    changed[2]['address_prefix'] = '10.0.30.0/24'
    result = run(client, virtual_network.main, args(subnets=changed), diff=True)
    assert result['changed'] is True
    assert result['differences'] == [{'path': 'properties.subnets[snet-cache].properties.addressPrefix',
                                      'before': '10.0.3.0/24', 'after': '10.0.30.0/24'}]
    body = subnets_of(put_body(client))
    assert set(body) == {'snet-application', 'snet-database', 'snet-cache', 'AzureBastionSubnet'}
    assert body['snet-cache']['properties']['addressPrefix'] == '10.0.30.0/24'
    # what was not stated stays as Azure has it: the delegation keeps its name, endpoints their locations
    assert body['snet-database']['properties']['delegations'][0]['name'] == 'dlg-postgres'
    assert body['snet-application']['properties']['serviceEndpoints'][0]['locations'] == ['*']
    assert body['snet-application']['properties']['networkSecurityGroup']['id'].lower() == NSG_ID
    assert put_body(client)['tags'] == {'service': 'phonebill', 'added-by': 'policy'}
    assert 'id' not in put_body(client) and 'provisioningState' not in put_body(client)['properties']


def test_service_endpoint_and_nsg_changes_are_found(client):
    changed = copy.deepcopy(SUBNETS)
    changed[0]['service_endpoints'] = ['Microsoft.ContainerRegistry', 'Microsoft.Storage']
    changed[2]['network_security_group'] = 'nsg-aks'
    result = run(client, virtual_network.main, args(subnets=changed))
    paths = sorted(d['path'] for d in result['differences'])
    assert paths == ['properties.subnets[snet-application].properties.serviceEndpoints[Microsoft.Storage]',
                     'properties.subnets[snet-cache].properties.networkSecurityGroup']
    body = subnets_of(put_body(client))
    assert [e['service'] for e in body['snet-application']['properties']['serviceEndpoints']] == [
        'Microsoft.ContainerRegistry', 'Microsoft.Storage']


def test_purge_subnets_removes_the_unstated_subnet(client):
    result = run(client, virtual_network.main, args(purge_subnets=True))
    assert [d['path'] for d in result['differences']] == ['properties.subnets[AzureBastionSubnet]']
    assert result['unmanaged_subnets'] == []
    assert 'AzureBastionSubnet' not in subnets_of(put_body(client))


def test_create_in_check_mode_writes_nothing_and_predicts_the_real_run():
    empty = FakeClient()
    predicted = run(empty, virtual_network.main, args(), check_mode=True, diff=True)
    assert predicted['changed'] is True and empty.writes == []
    created = run(empty, virtual_network.main, args())
    assert created['differences'] == predicted['differences']
    body = put_body(empty)
    delegation = subnets_of(body)['snet-database']['properties']['delegations'][0]
    assert delegation == {'name': 'Microsoft.DBforPostgreSQL.flexibleServers',
                          'properties': {'serviceName': 'Microsoft.DBforPostgreSQL/flexibleServers'}}
    assert subnets_of(body)['snet-application']['properties']['networkSecurityGroup']['id'] == (
        PREFIX + '/networkSecurityGroups/nsg-aks')
    assert 'None' not in str(body)
    assert run(empty, virtual_network.main, args())['changed'] is False
    assert len(empty.writes) == 1


def test_stated_subnet_overlapping_a_kept_subnet_fails_before_writing(client):
    changed = copy.deepcopy(SUBNETS) + [dict(name='snet-new', address_prefix='10.0.200.0/24')]
    result = run(client, virtual_network.main, args(subnets=changed))
    assert result['failed'] and result['msg'].startswith('subnets[snet-new].address_prefix: 10.0.200.0/24 overlaps '
                                                         'subnet AzureBastionSubnet')
    assert client.writes == []


def test_shrinking_the_space_under_a_kept_subnet_fails(client):
    result = run(client, virtual_network.main, args(address_prefixes=['10.0.0.0/20']))
    assert result['failed'] and result['msg'].startswith('address_prefixes: 10.0.200.0/26 lies outside')
    assert client.writes == []


def test_location_cannot_move(client):
    result = run(client, virtual_network.main, args(location='koreasouth'))
    assert result['failed'] and result['msg'].startswith('location: virtual network vnet-phonebill-prod has')
    assert client.writes == []


@pytest.mark.parametrize('changes, message', [
    (dict(subnets=[dict(name='a', address_prefix='10.1.0.0/24')]), 'subnets[a].address_prefix: 10.1.0.0/24 lies outside'),
    (dict(subnets=[dict(name='a', address_prefix='10.0.1.0/24'), dict(name='b', address_prefix='10.0.1.128/25')]),
     'subnets[b].address_prefix: 10.0.1.128/25 overlaps subnet a'),
    (dict(subnets=[dict(name='a', address_prefix='10.0.1.5/24')]), 'subnets[a].address_prefix: \'10.0.1.5/24\' has host bits'),
    (dict(subnets=[dict(name='a', address_prefix='10.0.1/24')]), 'subnets[a].address_prefix: \'10.0.1/24\' is not a CIDR'),
    (dict(subnets=[dict(name='a', address_prefix='10.0.1.0/24'), dict(name='A', address_prefix='10.0.2.0/24')]),
     'subnets[A].name: subnet A is listed twice'),
    (dict(subnets=[dict(name='a', address_prefix='10.0.1.0/24', delegations=['postgres'])]), 'subnets[a].delegations:'),
    (dict(subnets=[dict(name='a', address_prefix='10.0.1.0/24', service_endpoints=['Storage'])]),
     'subnets[a].service_endpoints:'),
    (dict(subnets=[dict(name='a', address_prefix='10.0.1.0/24', service_endpoints=['Microsoft.Cache'])]),
     "subnets[a].service_endpoints: 'Microsoft.Cache' is not a service endpoint Azure has"),
    (dict(tags={'env?': 'prod'}), 'tags.env?: tag names cannot contain ?'),
    (dict(subnets=[dict(name='a', address_prefix='10.0.1.0/24', network_security_group='/subscriptions/x/nsg')]),
     'subnets[a].network_security_group:'),
    (dict(address_prefixes=['10.0.0.0/16', '10.0.128.0/17']), 'address_prefixes: 10.0.0.0/16 and 10.0.128.0/17 overlap'),
    (dict(dns_servers=['dns.example.com']), 'dns_servers:'),
    (dict(name='vnet/bad'), 'name:'),
    (dict(tags={'n': 1}), 'tags.n:'),
])
def test_bad_input_fails_before_any_call(changes, message):
    result = run_without_azure(virtual_network.main, args(**changes))
    assert result['failed'] and result['msg'].startswith(message), result['msg']


def test_delete(client):
    assert run(client, virtual_network.main, dict(name='vnet-phonebill-prod', resource_group=RG, state='absent'),
               check_mode=True)['changed'] is True
    assert client.writes == []
    assert run(client, virtual_network.main, dict(name='vnet-phonebill-prod', resource_group=RG,
                                                  state='absent'))['changed'] is True
    assert client.writes == [('delete', 'virtual_networks', RG, 'vnet-phonebill-prod')]
    assert run(client, virtual_network.main, dict(name='vnet-phonebill-prod', resource_group=RG,
                                                  state='absent'))['changed'] is False


def test_info_reads_one_network_with_subnet_ids(client):
    result = run(client, virtual_network_info.main, dict(name='vnet-phonebill-prod', resource_group=RG))
    assert [v['name'] for v in result['virtual_networks']] == ['vnet-phonebill-prod']
    assert result['subnet_ids']['vnet-phonebill-prod']['snet-cache'] == VNET_ID + '/subnets/snet-cache'
    assert run(client, virtual_network_info.main, dict(name='missing', resource_group=RG))['virtual_networks'] == []
    assert len(run(client, virtual_network_info.main, dict(tags={'service': 'phonebill'}))['virtual_networks']) == 1


def test_info_name_without_group_fails_before_any_call():
    result = run_without_azure(virtual_network_info.main, dict(name='vnet-phonebill-prod'))
    assert result['failed'] and result['msg'].startswith('resource_group: required with name')
