# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The comparison engine against payloads shaped like Azure's real GET responses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.phonebill.platform.plugins.module_utils import compare

SUB = '00000000-0000-0000-0000-000000000001'
RG_ID = '/subscriptions/%s/resourceGroups/rg-phonebill-prod' % SUB
NSG_ID = RG_ID + '/providers/Microsoft.Network/networkSecurityGroups/nsg-aks'

# What Azure returns for a VNet created with two subnets: lower-cased location,
# ids, etags, provisioning states, server defaults and a tag added by policy.
VNET_ACTUAL = {
    'id': RG_ID + '/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-prod',
    'name': 'vnet-phonebill-prod',
    'type': 'Microsoft.Network/virtualNetworks',
    'etag': 'W/"6c1b1c6e-0000-0000-0000-000000000000"',
    'location': 'koreacentral',
    'tags': {'environment': 'prod', 'CreatedBy-Policy': 'governance'},
    'properties': {
        'provisioningState': 'Succeeded',
        'resourceGuid': 'a2c2b1f4-0000-0000-0000-000000000000',
        'addressSpace': {'addressPrefixes': ['10.0.0.0/16']},
        'enableDdosProtection': False,
        'privateEndpointVNetPolicies': 'Disabled',
        'subnets': [
            {
                'id': RG_ID + '/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-prod/subnets/Gateway',
                'name': 'Gateway',
                'etag': 'W/"x"',
                'type': 'Microsoft.Network/virtualNetworks/subnets',
                'properties': {'provisioningState': 'Succeeded', 'addressPrefix': '10.0.4.0/24',
                               'delegations': [], 'privateEndpointNetworkPolicies': 'Disabled',
                               'privateLinkServiceNetworkPolicies': 'Enabled'},
            },
            {
                'id': RG_ID + '/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-prod/subnets/Application',
                'name': 'Application',
                'etag': 'W/"x"',
                'type': 'Microsoft.Network/virtualNetworks/subnets',
                'properties': {
                    'provisioningState': 'Succeeded',
                    'addressPrefix': '10.0.1.0/24',
                    'networkSecurityGroup': {'id': NSG_ID.replace('rg-phonebill-prod', 'RG-PHONEBILL-PROD')},
                    'serviceEndpoints': [{'service': 'Microsoft.ContainerRegistry', 'locations': ['*'],
                                          'provisioningState': 'Succeeded'}],
                    'delegations': [],
                    'privateEndpointNetworkPolicies': 'Disabled',
                },
            },
        ],
    },
}

VNET_RULES = {
    'location': compare.LOCATION,
    'tags': compare.Mapping(purge=False),
    'properties.addressSpace.addressPrefixes': compare.Set(compare.CIDR),
    'properties.subnets[].properties.addressPrefix': compare.CIDR,
    'properties.subnets[].properties.networkSecurityGroup.id': compare.RESOURCE_ID,
    'properties.subnets[].properties.serviceEndpoints': compare.NamedSet('service'),
}


def vnet_desired(**changes):
    desired = {
        'location': 'Korea Central',
        'tags': {'environment': 'prod'},
        'properties': {
            'addressSpace': {'addressPrefixes': ['10.0.0.0/16']},
            'subnets': [
                {'name': 'application', 'properties': {
                    'addressPrefix': '10.0.1.0/24',
                    'networkSecurityGroup': {'id': NSG_ID},
                    'serviceEndpoints': [{'service': 'Microsoft.ContainerRegistry'}]}},
                {'name': 'Gateway', 'properties': {'addressPrefix': '10.0.4.0/24'}},
            ],
        },
    }
    desired.update(changes)
    return desired


def test_server_defaults_casing_and_policy_tags_are_not_changes():
    assert compare.Comparator(VNET_RULES).differences(vnet_desired(), VNET_ACTUAL) == []


def test_subnets_match_by_name_not_position():
    desired = vnet_desired()
    desired['properties']['subnets'].reverse()
    assert compare.Comparator(VNET_RULES).differences(desired, VNET_ACTUAL) == []


def test_nested_change_is_reported_with_its_path():
    desired = vnet_desired()
    desired['properties']['subnets'][1]['properties']['addressPrefix'] = '10.0.5.0/24'
    found = compare.Comparator(VNET_RULES).differences(desired, VNET_ACTUAL)
    assert [d.as_dict() for d in found] == [{
        'path': 'properties.subnets[Gateway].properties.addressPrefix',
        'before': '10.0.4.0/24', 'after': '10.0.5.0/24'}]


def test_every_difference_is_reported_not_the_first():
    desired = vnet_desired(tags={'environment': 'staging', 'owner': 'billing'})
    desired['properties']['addressSpace']['addressPrefixes'] = ['10.0.0.0/16', '10.1.0.0/16']
    desired['properties']['subnets'].append({'name': 'Cache', 'properties': {'addressPrefix': '10.0.3.0/24'}})
    paths = sorted(d.path for d in compare.Comparator(VNET_RULES).differences(desired, VNET_ACTUAL))
    assert paths == ['properties.addressSpace.addressPrefixes', 'properties.subnets[Cache]',
                     'tags.environment', 'tags.owner']


def test_unstated_extra_items_are_kept_but_purge_reports_them():
    desired = vnet_desired()
    desired['properties']['subnets'] = desired['properties']['subnets'][:1]
    assert compare.Comparator(VNET_RULES).differences(desired, VNET_ACTUAL) == []
    purging = dict(VNET_RULES)
    purging['properties.subnets'] = compare.NamedSet('name', purge=True)
    found = compare.Comparator(purging).differences(desired, VNET_ACTUAL)
    assert [(d.path, d.after) for d in found] == [('properties.subnets[Gateway]', None)]


def test_policy_tag_reported_only_with_purge_tags():
    rules = dict(VNET_RULES, tags=compare.Mapping(purge=True))
    found = compare.Comparator(rules).differences(vnet_desired(), VNET_ACTUAL)
    assert [(d.path, d.before, d.after) for d in found] == [('tags.CreatedBy-Policy', 'governance', None)]


def test_single_host_prefix_is_the_address():
    rules = {'properties.sourceAddressPrefixes': compare.Set(compare.CIDR)}
    desired = {'properties': {'sourceAddressPrefixes': ['1.2.3.4', '10.0.4.0/24']}}
    actual = {'properties': {'sourceAddressPrefixes': ['10.0.4.0/24', '1.2.3.4/32'], 'priority': 100}}
    assert compare.Comparator(rules).differences(desired, actual) == []
    assert compare.CIDR.normalize('Internet') == 'Internet'
    assert compare.CIDR.normalize('*') == '*'


def test_enum_case_only_where_the_rule_says():
    actual = {'sku': {'name': 'premium', 'tier': 'Premium'}}
    assert compare.Comparator({'sku.name': compare.IGNORE_CASE}).differences(
        {'sku': {'name': 'Premium'}}, actual) == []
    assert len(compare.Comparator().differences({'sku': {'name': 'Premium'}}, actual)) == 1


def test_zones_are_a_set_by_default_and_ordered_lists_keep_order():
    actual = {'zones': ['3', '1', '2'], 'dnsServers': ['10.0.0.4', '10.0.0.5']}
    assert compare.Comparator().differences({'zones': ['1', '2', '3']}, actual) == []
    rules = {'dnsServers': compare.Ordered()}
    found = compare.Comparator(rules).differences({'dnsServers': ['10.0.0.5', '10.0.0.4']}, actual)
    assert [d.path for d in found] == ['dnsServers']


def test_merge_keeps_what_was_configured_elsewhere():
    desired = vnet_desired(tags={'environment': 'prod', 'owner': 'billing'})
    desired['properties']['subnets'] = [{'name': 'Gateway', 'properties': {'addressPrefix': '10.0.4.0/25'}}]
    merged = compare.Comparator(VNET_RULES).merge(desired, VNET_ACTUAL)
    assert merged['tags'] == {'environment': 'prod', 'owner': 'billing', 'CreatedBy-Policy': 'governance'}
    subnets = dict((s['name'], s) for s in merged['properties']['subnets'])
    assert set(subnets) == {'Gateway', 'Application'}
    assert subnets['Gateway']['properties']['addressPrefix'] == '10.0.4.0/25'
    assert subnets['Gateway']['properties']['privateLinkServiceNetworkPolicies'] == 'Enabled'
    assert subnets['Application'] == VNET_ACTUAL['properties']['subnets'][1]
    assert merged['properties']['enableDdosProtection'] is False
    assert VNET_ACTUAL['properties']['subnets'][0]['properties']['addressPrefix'] == '10.0.4.0/24'


def test_merge_with_purge_drops_unstated_items_and_tags():
    rules = dict(VNET_RULES, tags=compare.Mapping(purge=True))
    rules['properties.subnets'] = compare.NamedSet('name', purge=True)
    desired = vnet_desired()
    desired['properties']['subnets'] = desired['properties']['subnets'][1:]
    merged = compare.Comparator(rules).merge(desired, VNET_ACTUAL)
    assert merged['tags'] == {'environment': 'prod'}
    assert [s['name'] for s in merged['properties']['subnets']] == ['Gateway']


def test_merged_body_compares_equal_to_what_it_was_built_from():
    desired = vnet_desired(tags={'owner': 'billing'})
    comparator = compare.Comparator(VNET_RULES)
    merged = comparator.merge(desired, VNET_ACTUAL)
    assert comparator.differences(desired, merged) == []


def test_secrets_are_masked_in_differences_and_documents():
    comparator = compare.Comparator(secrets=('properties.administratorLoginPassword',))
    actual = {'properties': {'administratorLogin': 'pgadmin', 'administratorLoginPassword': 'old-S3cret!'}}
    desired = {'properties': {'administratorLoginPassword': 'new-S3cret!'}}
    found = comparator.differences(desired, actual)
    assert [d.as_dict() for d in found] == [{'path': 'properties.administratorLoginPassword',
                                            'before': compare.MASK, 'after': compare.MASK}]
    masked = comparator.mask(comparator.merge(desired, actual))
    assert masked == {'properties': {'administratorLogin': 'pgadmin',
                                     'administratorLoginPassword': compare.MASK}}
    assert 'S3cret' not in repr(found) + repr(masked)


def test_secret_inside_named_list_items_is_masked():
    comparator = compare.Comparator(secrets=('properties.sslCertificates[].properties.password',))
    desired = {'properties': {'sslCertificates': [{'name': 'wildcard', 'properties': {'password': 'p@ss'}}]}}
    found = comparator.differences(desired, {'properties': {'sslCertificates': []}})
    assert 'p@ss' not in repr([d.as_dict() for d in found])
    assert found[0].after['properties']['password'] == compare.MASK


def test_unstated_values_are_not_compared():
    desired = {'location': None, 'tags': None, 'properties': {'addressSpace': None}}
    assert compare.Comparator(VNET_RULES).differences(desired, VNET_ACTUAL) == []


def test_strip_removes_read_only_paths_without_touching_the_source():
    source = copy.deepcopy(VNET_ACTUAL)
    body = compare.strip(source, ('id', 'etag', 'properties.provisioningState', 'missing.path'))
    assert 'id' not in body and 'etag' not in body and 'provisioningState' not in body['properties']
    assert source == VNET_ACTUAL


def test_generic_path_of_shown_paths():
    assert compare.generic_path('properties.subnets[Gateway].properties.x') == 'properties.subnets[].properties.x'
    assert compare.generic_path('a[0].b[c.d]') == 'a[].b[]'


def test_strip_drops_dicts_it_empties():
    body = compare.strip({'location': 'x', 'properties': {'provisioningState': 'Succeeded'}},
                         ('properties.provisioningState',))
    assert body == {'location': 'x'}


def test_prune_drops_unstated_values_and_the_objects_they_empty():
    body = {'location': 'koreacentral', 'tags': None,
            'properties': {'sku': {'name': None}, 'zones': ['1'], 'enabled': False, 'count': 0}}
    assert compare.prune(body) == {'location': 'koreacentral',
                                   'properties': {'zones': ['1'], 'enabled': False, 'count': 0}}


def test_set_without_purge_keeps_azure_items_and_counts_only_missing_ones():
    rules = {'nodeTaints': compare.Set(purge=False)}
    actual = {'nodeTaints': ['CriticalAddonsOnly=true:NoSchedule', 'application-workload=true:NoSchedule']}
    assert compare.Comparator(rules).differences({'nodeTaints': ['application-workload=true:NoSchedule']}, actual) == []
    desired = {'nodeTaints': ['dedicated=billing:NoSchedule']}
    found = compare.Comparator(rules).differences(desired, actual)
    assert found[0].after == actual['nodeTaints'] + ['dedicated=billing:NoSchedule']
    assert compare.Comparator(rules).merge(desired, actual)['nodeTaints'] == found[0].after
    exact = compare.Comparator({'nodeTaints': compare.Set()})
    assert exact.merge(desired, actual)['nodeTaints'] == ['dedicated=billing:NoSchedule']


# A private endpoint as Microsoft's PrivateEndpointGet example returns it
# (Azure/azure-rest-api-specs, Microsoft.Network/stable/2024-05-01/examples/PrivateEndpointGet.json):
# the connection carries its id and no name.
PE_ID = RG_ID + '/providers/Microsoft.Network/privateEndpoints/testPe'
PLS_ID = RG_ID + '/providers/Microsoft.Network/privateLinkServices/testPls'
PE_ACTUAL = {
    'name': 'testPe', 'id': PE_ID, 'type': 'Microsoft.Network/privateEndpoints', 'location': 'eastus',
    'properties': {
        'provisioningState': 'Succeeded',
        'privateLinkServiceConnections': [{
            'id': PE_ID + '/privateLinkServiceConnections/plsconnection1',
            'properties': {'privateLinkServiceId': PLS_ID, 'groupIds': ['groupIdFromResource'],
                           'requestMessage': 'Please approve my connection.',
                           'privateLinkServiceConnectionState': {'status': 'Approved', 'description': 'Auto-approved',
                                                                 'actionsRequired': 'None'}}}],
        'manualPrivateLinkServiceConnections': [],
        'subnet': {'id': RG_ID + '/providers/Microsoft.Network/virtualNetworks/myVnet/subnets/mySubnet'},
        'networkInterfaces': [{'id': RG_ID + '/providers/Microsoft.Network/networkInterfaces/testPe.nic.abcd1234'}],
        'customDnsConfigs': [{'fqdn': 'abc.cosmos.com', 'ipAddresses': ['192.168.0.4']}],
        'ipConfigurations': [{'name': 'pestaticconfig', 'properties': {
            'groupId': 'file', 'memberName': 'file', 'privateIPAddress': '192.168.0.6'}}],
    },
}
PE_CONNECTIONS = 'properties.privateLinkServiceConnections'


def pe_desired(name='plsconnection1', group='groupIdFromResource'):
    return {'properties': {'privateLinkServiceConnections': [
        {'name': name, 'properties': {'privateLinkServiceId': PLS_ID, 'groupIds': [group]}}]}}


def test_named_set_finds_an_item_azure_returns_without_name_by_its_id():
    comparator = compare.Comparator({PE_CONNECTIONS: compare.NamedSet()})
    assert comparator.differences(pe_desired(), PE_ACTUAL) == []
    assert [d.path for d in comparator.differences(pe_desired(group='other'), PE_ACTUAL)] == [
        PE_CONNECTIONS + '[plsconnection1].properties.groupIds']


def test_merge_updates_the_unnamed_item_in_place_keeping_its_id():
    comparator = compare.Comparator({PE_CONNECTIONS: compare.NamedSet()})
    merged = comparator.merge(pe_desired(group='other'), PE_ACTUAL)['properties']['privateLinkServiceConnections']
    assert len(merged) == 1
    assert merged[0]['id'] == PE_ACTUAL['properties']['privateLinkServiceConnections'][0]['id']
    assert merged[0]['name'] == 'plsconnection1' and merged[0]['properties']['groupIds'] == ['other']


def test_list_without_rule_of_named_items_also_matches_by_id():
    assert compare.Comparator().differences(pe_desired(), PE_ACTUAL) == []


def test_purged_unnamed_item_is_reported_by_its_id():
    comparator = compare.Comparator({PE_CONNECTIONS: compare.NamedSet(purge=True)})
    found = comparator.differences(pe_desired(name='other-connection'), PE_ACTUAL)
    assert [(d.path, d.before is None) for d in found] == [
        (PE_CONNECTIONS + '[other-connection]', True), (PE_CONNECTIONS + '[plsconnection1]', False)]


def test_item_name_prefers_the_name_then_the_id_leaf():
    assert compare.item_name({'name': 'a', 'id': '/x/b'}) == 'a'
    assert compare.item_name({'id': '/x/privateLinkServiceConnections/b/'}) == 'b'
    assert compare.item_name({'properties': {}}) is None


def test_named_set_removes_an_absent_key_and_keeps_other_extras():
    """An item the user states must not exist goes (reported), without purging what else Azure has."""
    rule = compare.NamedSet(absent=['GeoBlocking'])
    comparator = compare.Comparator({'rules': rule})
    actual = {'rules': [{'name': 'RateLimiting', 'priority': 10}, {'name': 'geoblocking', 'priority': 20},
                        {'name': 'AllowOffice', 'priority': 5}]}
    desired = {'rules': [{'name': 'RateLimiting', 'priority': 10}]}
    assert [d.as_dict() for d in comparator.differences(desired, actual)] == [
        {'path': 'rules[geoblocking]', 'before': {'name': 'geoblocking', 'priority': 20}, 'after': None}]
    assert [r['name'] for r in comparator.merge(desired, actual)['rules']] == ['RateLimiting', 'AllowOffice']
