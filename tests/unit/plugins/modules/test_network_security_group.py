# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""network_security_group and its info module: rules as a set, Azure's two port/prefix fields, checks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import network_common as net
from ansible_collections.phonebill.platform.plugins.modules import network_security_group, network_security_group_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.network_fakes import (
    PREFIX, RG, FakeClient, run, run_without_azure)

NSG_ID = PREFIX + '/networkSecurityGroups/nsg-aks'


def azure_rule(name, priority, direction, **props):
    """A rule as Azure returns it: a lone value in the single field, the list field empty."""
    base = {'provisioningState': 'Succeeded', 'protocol': 'TCP', 'access': 'Allow', 'priority': priority,
            'direction': direction, 'sourcePortRange': '*', 'sourceAddressPrefix': '*', 'destinationAddressPrefix': '*',
            'sourcePortRanges': [], 'destinationPortRanges': [], 'sourceAddressPrefixes': [],
            'destinationAddressPrefixes': []}
    base.update(props)
    for single in ('sourcePortRange', 'sourceAddressPrefix', 'destinationAddressPrefix'):
        if base[single + ('es' if single.endswith('Prefix') else 's')]:
            base.pop(single)
    return {'name': name, 'id': '%s/securityRules/%s' % (NSG_ID, name), 'etag': 'W/"7a"',
            'type': 'Microsoft.Network/networkSecurityGroups/securityRules', 'properties': base}


def existing_nsg():
    default = azure_rule('DenyAllInBound', 65500, 'Inbound', access='Deny', protocol='*', destinationPortRange='*')
    return {
        'name': 'nsg-aks', 'id': NSG_ID, 'etag': 'W/"7a"', 'type': 'Microsoft.Network/networkSecurityGroups',
        'location': 'koreacentral', 'tags': {'service': 'phonebill'},
        'properties': {
            'provisioningState': 'Succeeded', 'resourceGuid': 'a0a0a0a0-0000-0000-0000-000000000000',
            'securityRules': [
                azure_rule('allow-gateway-http', 100, 'Inbound', sourceAddressPrefix='10.0.4.0/24',
                           destinationPortRanges=['443', '80']),
                azure_rule('allow-postgresql', 100, 'Outbound', destinationAddressPrefix='10.0.2.0/24',
                           destinationPortRange='5432'),
                azure_rule('allow-redis', 110, 'Outbound', destinationAddressPrefix='10.0.3.0/24',
                           destinationPortRange='6379'),
                azure_rule('allow-jump-host', 120, 'Inbound', sourceAddressPrefix='10.0.9.4/32',
                           destinationPortRange='22'),
                azure_rule('allow-ops-vpn', 130, 'Inbound', sourceAddressPrefixes=['192.168.1.0/24', '192.168.2.0/24'],
                           destinationPortRange='443'),
            ],
            'defaultSecurityRules': [default],
        },
    }


RULES = [
    dict(name='allow-gateway-http', priority=100, direction='inbound', access='allow', protocol='tcp',
         source_address_prefix='10.0.4.0/24', destination_address_prefix='*', destination_port_ranges=['80', '443']),
    dict(name='allow-postgresql', priority=100, direction='Outbound', access='Allow', protocol='Tcp',
         destination_address_prefix='10.0.2.0/24', destination_port_ranges=['5432']),
    dict(name='allow-redis', priority=110, direction='Outbound', access='Allow', protocol='Tcp',
         destination_address_prefix='10.0.3.0/24', destination_port_range='6379'),
    dict(name='allow-jump-host', priority=120, direction='Inbound', access='Allow', protocol='Tcp',
         source_address_prefix='10.0.9.4', destination_port_range='22'),
]
ARGS = dict(name='nsg-aks', resource_group=RG, location='Korea Central', rules=RULES, tags={'service': 'phonebill'})


@pytest.fixture
def client():
    fake = FakeClient()
    fake.network_security_groups.add(existing_nsg(), RG, 'nsg-aks')
    return fake


def args(**changes):
    result = copy.deepcopy(ARGS)
    result.update(changes)
    return result


def written_rules(client):
    (_verb, _kind, _group, _name, body), = client.writes
    return dict((r['name'], r['properties']) for r in body['properties']['securityRules'])


def test_existing_rules_in_azure_form_are_unchanged(client):
    """Case of enums, order of ports, single vs list field, /32: no change, no write."""
    result = run(client, network_security_group.main, args())
    assert result['changed'] is False and result['differences'] == []
    assert client.writes == []
    assert result['unmanaged_rules'] == ['allow-ops-vpn']
    rule = result['resource']['properties']['securityRules'][1]
    assert rule['properties']['destinationPortRanges'] == ['5432'] and 'destinationPortRange' not in rule['properties']


def test_added_port_is_found_and_written_in_azure_form(client):
    rules = copy.deepcopy(RULES)
    rules[2]['destination_port_range'] = None
    rules[2]['destination_port_ranges'] = ['6379', '6380']
    result = run(client, network_security_group.main, args(rules=rules), diff=True)
    assert result['differences'] == [{'path': 'properties.securityRules[allow-redis].properties.destinationPortRanges',
                                      'before': ['6379'], 'after': ['6379', '6380']}]
    written = written_rules(client)
    assert written['allow-redis']['destinationPortRanges'] == ['6379', '6380']
    assert 'destinationPortRange' not in written['allow-redis']
    # single values go back to the single field (Azure refuses service tags and * in lists)
    assert written['allow-redis']['sourceAddressPrefix'] == '*' and written['allow-redis']['sourceAddressPrefixes'] == []
    assert written['allow-jump-host']['sourceAddressPrefix'] in ('10.0.9.4', '10.0.9.4/32')
    # a rule that is not stated is kept as it is
    assert written['allow-ops-vpn']['sourceAddressPrefixes'] == ['192.168.1.0/24', '192.168.2.0/24']
    assert 'defaultSecurityRules' not in client.writes[0][-1]['properties']
    assert result['diff']['after']['properties']['securityRules'][2]['properties']['destinationPortRanges'] == [
        '6379', '6380']


def test_purge_rules_removes_the_unstated_rule(client):
    result = run(client, network_security_group.main, args(purge_rules=True))
    assert [d['path'] for d in result['differences']] == ['properties.securityRules[allow-ops-vpn]']
    assert 'allow-ops-vpn' not in written_rules(client)


def test_priority_taken_by_a_kept_rule_fails_before_writing(client):
    rules = copy.deepcopy(RULES) + [dict(name='allow-new', priority=130, direction='Inbound', access='Allow',
                                         protocol='Udp', destination_port_range='53')]
    result = run(client, network_security_group.main, args(rules=rules))
    assert result['failed'] and result['msg'].startswith('rules[allow-new].priority: Inbound 130 is taken by rule '
                                                         'allow-ops-vpn')
    assert client.writes == []


def test_create_in_check_mode_then_real_run_then_unchanged():
    empty = FakeClient()
    predicted = run(empty, network_security_group.main, args(), check_mode=True, diff=True)
    assert predicted['changed'] is True and empty.writes == []
    created = run(empty, network_security_group.main, args(), diff=True)
    assert created['differences'] == predicted['differences']
    after = created['diff']['after']['properties']['securityRules']
    assert after == predicted['diff']['after']['properties']['securityRules']
    assert written_rules(empty)['allow-gateway-http']['direction'] == 'Inbound'
    assert written_rules(empty)['allow-gateway-http']['protocol'] == 'Tcp'
    assert run(empty, network_security_group.main, args())['changed'] is False
    assert len(empty.writes) == 1


def bad_rule(**changes):
    rule = dict(name='r', priority=200, direction='Inbound', access='Allow', protocol='Tcp')
    rule.update(changes)
    return [rule]


@pytest.mark.parametrize('rules, message', [
    (bad_rule(priority=99), 'rules[r].priority: 99 is out of range'),
    (bad_rule(priority=4097), 'rules[r].priority: 4097 is out of range'),
    (bad_rule() + [dict(bad_rule(name='s')[0])], 'rules[s].priority: Inbound priority 200 is also used by rule r'),
    (bad_rule(direction='Sideways'), 'rules[r].direction:'),
    (bad_rule(access='Permit'), 'rules[r].access:'),
    (bad_rule(protocol='Sctp'), 'rules[r].protocol:'),
    (bad_rule(destination_port_range='70000'), 'rules[r].destination_port_range: \'70000\' is not a port range'),
    (bad_rule(destination_port_ranges=['90-80']), 'rules[r].destination_port_ranges: \'90-80\' is not a port range'),
    (bad_rule(destination_port_ranges=['80', '*']), 'rules[r].destination_port_ranges: * (any port) cannot be listed'),
    (bad_rule(source_address_prefixes=['10.0.0.0/8', 'Internet']), 'rules[r].source_address_prefixes: Internet cannot'),
    (bad_rule(source_address_prefix='10.0.0.0/33'), 'rules[r].source_address_prefix:'),
    (bad_rule(source_address_prefix='*', source_address_prefixes=['10.0.0.0/8']),
     'rules[r]: state source_address_prefix or source_address_prefixes, not both'),
    (bad_rule(destination_port_ranges=[]), 'rules[r].destination_port_ranges: the list is empty'),
    (bad_rule() + bad_rule(name='R', priority=300), 'rules[R].name: rule R is listed twice'),
    (bad_rule(destination_port_ranges=['443-80']), 'rules[r].destination_port_ranges: \'443-80\' is not a port range'),
    (bad_rule(destination_address_prefixes=['10.0.2.0/33']), 'rules[r].destination_address_prefixes: \'10.0.2.0/33\''),
])
def test_bad_rules_fail_before_any_call(rules, message):
    result = run_without_azure(network_security_group.main, args(rules=rules))
    assert result['failed'] and result['msg'].startswith(message), result['msg']


def test_info_lists_the_groups_of_a_resource_group(client):
    found = run(client, network_security_group_info.main, dict(resource_group=RG))['network_security_groups']
    assert [g['name'] for g in found] == ['nsg-aks']
    assert found[0]['properties']['defaultSecurityRules']


def test_info_name_without_group_fails_before_any_call():
    result = run_without_azure(network_security_group_info.main, dict(name='nsg-aks'))
    assert result['failed'] and result['msg'].startswith('resource_group:')


def test_every_bad_field_of_a_rule_is_reported_at_once():
    rules = bad_rule(priority=5000, direction='Sideways', access='Permit', protocol='Sctp',
                     destination_port_ranges=['443-80'], source_address_prefix='10.0.0.0/33')
    result = run_without_azure(network_security_group.main, args(rules=rules, tags={'a&b': 'c'}))
    assert result['failed']
    assert sorted(p.split(':')[0] for p in result['problems']) == [
        'rules[r].access', 'rules[r].destination_port_ranges', 'rules[r].direction', 'rules[r].priority',
        'rules[r].protocol', 'rules[r].source_address_prefix', 'tags.a&b']
    assert result['msg'].startswith('7 problems:\n- ')


def test_module_and_preflight_share_the_rule_checks():
    """The module's refusal of a rule is the one preflight gives, under the inventory path."""
    rule = dict(name='r', priority=200, direction='Inbound', access='Allow', protocol='Tcp',
                destination_port_ranges=['6380-6379'])
    module_problems = run_without_azure(network_security_group.main, args(rules=[rule]))['problems']
    plan_problems = net.security_group_problems(dict(name='nsg-aks', rules=[rule]), 'phonebill_network_security_groups[nsg-aks].')
    assert ['phonebill_network_security_groups[nsg-aks].' + p for p in module_problems] == plan_problems
