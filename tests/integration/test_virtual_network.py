# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""virtual_network and virtual_network_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

GROUP = dict(name='rg-phonebill-it', location='koreacentral')
NSG = dict(name='nsg-aks', resource_group='rg-phonebill-it', location='koreacentral')
VNET = dict(name='vnet-phonebill-it', resource_group='rg-phonebill-it', location='Korea Central',
            address_prefixes=['10.0.0.0/16'], tags={'service': 'phonebill'}, subnets=[
                dict(name='snet-application', address_prefix='10.0.1.0/24',
                     service_endpoints=['Microsoft.ContainerRegistry'], network_security_group='nsg-aks'),
                dict(name='snet-database', address_prefix='10.0.2.0/24',
                     delegations=['Microsoft.DBforPostgreSQL/flexibleServers']),
                dict(name='snet-cache', address_prefix='10.0.3.0/24'),
            ])


@pytest.fixture
def group(azure):
    assert azure('resource_group', **GROUP)['changed'] is True
    assert azure('network_security_group', **NSG)['changed'] is True


def test_create_predicted_then_unchanged_with_no_write(azure, group):
    writes = azure.writes()
    predicted = azure('virtual_network', check_mode=True, **VNET)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('virtual_network', **VNET)
    assert created['changed'] is True
    assert created['differences'] == predicted['differences']
    assert sorted(created['subnet_ids']) == ['snet-application', 'snet-cache', 'snet-database']
    assert created['subnet_ids']['snet-cache'].lower().endswith('/virtualnetworks/vnet-phonebill-it/subnets/snet-cache')
    writes = azure.writes()
    again = azure('virtual_network', **VNET)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes
    info = azure('virtual_network_info', name=VNET['name'], resource_group=VNET['resource_group'])
    assert info['subnet_ids'][VNET['name']] == created['subnet_ids']


def test_check_mode_on_a_change_predicts_the_real_run(azure, group):
    azure('virtual_network', **VNET)
    changed = copy.deepcopy(VNET)
    changed['subnets'][2]['service_endpoints'] = ['Microsoft.Storage']
    changed['subnets'].append(dict(name='snet-gateway', address_prefix='10.0.4.0/24'))
    writes = azure.writes()
    predicted = azure('virtual_network', check_mode=True, **changed)
    assert azure.writes() == writes
    assert sorted(d['path'] for d in predicted['differences']) == [
        'properties.subnets[snet-cache].properties.serviceEndpoints[Microsoft.Storage]',
        'properties.subnets[snet-gateway]']
    done = azure('virtual_network', **changed)
    assert done['differences'] == predicted['differences']
    assert azure('virtual_network', **changed)['changed'] is False


def test_subnet_drift_is_reported_and_repaired_and_foreign_subnets_are_kept(azure, sandbox, group):
    created = azure('virtual_network', **VNET)
    sandbox.drift(created['subnet_ids']['snet-cache'], {'properties': {'addressPrefix': '10.0.9.0/24'}})
    sandbox.seed([{'id': created['resource']['id'] + '/subnets/AzureBastionSubnet', 'name': 'AzureBastionSubnet',
                   'type': 'Microsoft.Network/virtualNetworks/subnets',
                   'properties': {'addressPrefix': '10.0.200.0/26'}}])
    predicted = azure('virtual_network', check_mode=True, **VNET)
    assert predicted['differences'] == [{'path': 'properties.subnets[snet-cache].properties.addressPrefix',
                                         'before': '10.0.9.0/24', 'after': '10.0.3.0/24'}]
    assert predicted['unmanaged_subnets'] == ['AzureBastionSubnet']
    repaired = azure('virtual_network', **VNET)
    assert repaired['differences'] == predicted['differences']
    assert 'AzureBastionSubnet' in repaired['subnet_ids']
    again = azure('virtual_network', **VNET)
    assert again['changed'] is False and again['unmanaged_subnets'] == ['AzureBastionSubnet']
    purged = azure('virtual_network', purge_subnets=True, **VNET)
    assert [d['path'] for d in purged['differences']] == ['properties.subnets[AzureBastionSubnet]']
    assert 'AzureBastionSubnet' not in purged['subnet_ids']


def test_nsg_association_by_name_matches_the_returned_id(azure, group):
    created = azure('virtual_network', **VNET)
    subnets = dict((s['name'], s) for s in created['resource']['properties']['subnets'])
    nsg_id = subnets['snet-application']['properties']['networkSecurityGroup']['id']
    assert nsg_id.lower().endswith('/networksecuritygroups/nsg-aks')
    by_id = copy.deepcopy(VNET)
    by_id['subnets'][0]['network_security_group'] = nsg_id.upper().replace('/SUBSCRIPTIONS/', '/subscriptions/')
    assert azure('virtual_network', **by_id)['changed'] is False


def test_delete(azure, group):
    azure('virtual_network', **VNET)
    args = dict(name=VNET['name'], resource_group=VNET['resource_group'], state='absent')
    assert azure('virtual_network', check_mode=True, **args)['changed'] is True
    assert azure('virtual_network', **args)['changed'] is True
    assert azure('virtual_network_info', name=VNET['name'], resource_group=VNET['resource_group'])['virtual_networks'] == []
    assert azure('virtual_network', **args)['changed'] is False


def test_bad_subnets_are_all_refused_before_any_request(azure, group):
    """An unknown service endpoint (Azure's InvalidServiceNameOnSubnet) and a bad tag, together, with no write."""
    bad = copy.deepcopy(VNET)
    bad['subnets'][2]['service_endpoints'] = ['Microsoft.Cache']
    bad['tags'] = {'cost/center': 'billing'}
    writes = azure.writes()
    result = azure('virtual_network', **bad)
    assert result['failed'] and azure.writes() == writes
    assert sorted(p.split(':')[0] for p in result['problems']) == [
        'subnets[snet-cache].service_endpoints', 'tags.cost/center']
