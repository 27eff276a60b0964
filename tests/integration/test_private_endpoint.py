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


def test_delete(azure, endpoint):
    azure('private_endpoint', **endpoint)
    args = dict(name=endpoint['name'], resource_group=endpoint['resource_group'], state='absent')
    assert azure('private_endpoint', check_mode=True, **args)['changed'] is True
    assert azure('private_endpoint', **args)['changed'] is True
    assert azure('private_endpoint', **args)['changed'] is False
