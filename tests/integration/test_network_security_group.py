# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""network_security_group and network_security_group_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

GROUP = dict(name='rg-phonebill-it', location='koreacentral')
RULES = [
    dict(name='allow-gateway-http', priority=100, direction='Inbound', access='Allow', protocol='Tcp',
         source_address_prefix='10.0.4.0/24', destination_port_ranges=['80', '443']),
    dict(name='allow-postgresql', priority=100, direction='Outbound', access='Allow', protocol='Tcp',
         destination_address_prefix='10.0.2.0/24', destination_port_ranges=['5432']),
    dict(name='allow-internet-lb', priority=110, direction='Inbound', access='Allow', protocol='*',
         source_address_prefix='AzureLoadBalancer'),
]
NSG = dict(name='nsg-aks', resource_group='rg-phonebill-it', location='Korea Central', tags={'service': 'phonebill'},
           rules=RULES)


@pytest.fixture
def group(azure):
    assert azure('resource_group', **GROUP)['changed'] is True


def test_create_predicted_then_unchanged_with_no_write(azure, group):
    writes = azure.writes()
    predicted = azure('network_security_group', check_mode=True, **NSG)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('network_security_group', **NSG)
    assert created['changed'] is True and created['differences'] == predicted['differences']
    writes = azure.writes()
    again = azure('network_security_group', **NSG)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes
    found = azure('network_security_group_info', name='nsg-aks', resource_group='rg-phonebill-it')
    raw = dict((r['name'], r['properties']) for r in found['network_security_groups'][0]['properties']['securityRules'])
    # one value goes to the single field (Azure refuses service tags in the list field)
    assert raw['allow-internet-lb']['sourceAddressPrefix'] == 'AzureLoadBalancer'
    assert sorted(raw['allow-gateway-http']['destinationPortRanges']) == ['443', '80']
    assert found['network_security_groups'][0]['properties']['defaultSecurityRules']


def test_check_mode_on_a_change_predicts_the_real_run(azure, group):
    azure('network_security_group', **NSG)
    changed = copy.deepcopy(NSG)
    changed['rules'][1]['destination_port_ranges'] = ['5432', '6432']
    predicted = azure('network_security_group', check_mode=True, **changed)
    assert predicted['differences'] == [{
        'path': 'properties.securityRules[allow-postgresql].properties.destinationPortRanges',
        'before': ['5432'], 'after': ['5432', '6432']}]
    done = azure('network_security_group', **changed)
    assert done['differences'] == predicted['differences']
    assert azure('network_security_group', **changed)['changed'] is False


def test_rule_drift_is_reported_and_repaired_and_foreign_rules_kept(azure, sandbox, group):
    created = azure('network_security_group', **NSG)
    rule_id = created['resource']['id'] + '/securityRules/allow-postgresql'
    sandbox.drift(rule_id, {'properties': {'access': 'Deny'}})
    sandbox.seed([{'id': created['resource']['id'] + '/securityRules/allow-ops', 'name': 'allow-ops',
                   'type': 'Microsoft.Network/networkSecurityGroups/securityRules',
                   'properties': {'priority': 300, 'direction': 'Inbound', 'access': 'Allow', 'protocol': 'Tcp',
                                  'sourceAddressPrefix': '192.168.0.0/24', 'sourcePortRange': '*',
                                  'destinationAddressPrefix': '*', 'destinationPortRange': '22'}}])
    predicted = azure('network_security_group', check_mode=True, **NSG)
    assert predicted['differences'] == [{'path': 'properties.securityRules[allow-postgresql].properties.access',
                                         'before': 'Deny', 'after': 'Allow'}]
    assert predicted['unmanaged_rules'] == ['allow-ops']
    repaired = azure('network_security_group', **NSG)
    assert repaired['differences'] == predicted['differences']
    assert 'allow-ops' in [r['name'] for r in repaired['resource']['properties']['securityRules']]
    assert azure('network_security_group', **NSG)['changed'] is False
    purged = azure('network_security_group', purge_rules=True, **NSG)
    assert [d['path'] for d in purged['differences']] == ['properties.securityRules[allow-ops]']


def test_delete(azure, group):
    azure('network_security_group', **NSG)
    args = dict(name='nsg-aks', resource_group='rg-phonebill-it', state='absent')
    assert azure('network_security_group', check_mode=True, **args)['changed'] is True
    assert azure('network_security_group', **args)['changed'] is True
    assert azure('network_security_group', **args)['changed'] is False
