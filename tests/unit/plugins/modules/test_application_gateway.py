# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""application_gateway: named sets by name (removals, changes, extras), ids built from names, checks before Azure.

The existing gateway is shaped as Azure returns one (Microsoft's ApplicationGatewayGet example, 2024-03-01):
children with ids under the gateway, the gateway's etag, their own provisioningState, Azure's defaults.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import unknown
from ansible_collections.phonebill.platform.plugins.modules import application_gateway
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.network_fakes import (
    PREFIX, RG, SUB, FakeClient, run, run_without_azure)

GW = PREFIX + '/applicationGateways/agw-phonebill-prod'
VAULT = 'https://kv-phonebill-prod.vault.azure.net/'
ARGS = dict(
    name='agw-phonebill-prod', resource_group=RG, location='koreacentral', sku='WAF_v2',
    autoscale=dict(min_capacity=2, max_capacity=10), zones=['1', '2', '3'], identity='id-agw-phonebill-prod',
    virtual_network='vnet-phonebill-prod', subnet='snet-gateway',
    frontend_ip_configurations=[dict(name='public-frontend', public_ip='pip-agw-phonebill-prod'),
                                dict(name='private-frontend', private_ip_address='10.0.4.10')],
    frontend_ports=[dict(name='port-443', port=443)], key_vault_uri=VAULT,
    ssl_certificates=[dict(name='ssl-wildcard-cert', key_vault_secret='ssl-wildcard-cert')],
    backend_pools=[dict(name='aks-backend', ip_addresses=['10.0.1.250'])],
    probes=[dict(name='aks-readiness', protocol='Http', path='/actuator/health/readiness',
                 pick_host_name_from_backend_http_settings=True)],
    http_settings=[dict(name='aks-http', port=80, protocol='Http', probe='aks-readiness',
                        pick_host_name_from_backend_address=True)],
    listeners=[dict(name='https-listener', frontend_ip='public-frontend', frontend_port='port-443', protocol='Https',
                    ssl_certificate='ssl-wildcard-cert')],
    url_path_maps=[dict(name='api-paths', default_backend_pool='aks-backend', default_http_settings='aks-http',
                        path_rules=[dict(name='api', paths=['/api/*'], backend_pool='aks-backend', http_settings='aks-http')])],
    routing_rules=[dict(name='api-routing', priority=100, rule_type='PathBasedRouting', listener='https-listener',
                        url_path_map='api-paths')],
    firewall_policy='waf-phonebill-prod', tags={'service': 'phonebill'})


def child(collection, name, **props):
    return {'name': name, 'id': '%s/%s/%s' % (GW, collection, name), 'etag': 'W/"7"',
            'type': 'Microsoft.Network/applicationGateways/' + collection,
            'properties': dict(props, provisioningState='Succeeded')}


def existing_gateway():
    subnet = PREFIX + '/virtualNetworks/vnet-phonebill-prod/subnets/snet-gateway'
    identity = ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ManagedIdentity/userAssignedIdentities/'
                'id-agw-phonebill-prod' % (SUB, RG))
    return {
        'name': 'agw-phonebill-prod', 'id': GW, 'etag': 'W/"7"', 'type': 'Microsoft.Network/applicationGateways',
        'location': 'koreacentral', 'tags': {'service': 'phonebill'}, 'zones': ['3', '1', '2'],
        'identity': {'type': 'UserAssigned', 'userAssignedIdentities': {
            identity: {'principalId': '11111111-0000-0000-0000-000000000000', 'clientId': '22222222-0000-0000-0000-000000000000'}}},
        'properties': {
            'provisioningState': 'Succeeded', 'resourceGuid': 'c0c0c0c0-0000-0000-0000-000000000000',
            'operationalState': 'Running', 'sku': {'name': 'WAF_v2', 'tier': 'WAF_v2'},
            'autoscaleConfiguration': {'minCapacity': 2, 'maxCapacity': 10},
            'gatewayIPConfigurations': [child('gatewayIPConfigurations', 'appGatewayIpConfig', subnet={'id': subnet})],
            'sslCertificates': [child('sslCertificates', 'ssl-wildcard-cert', keyVaultSecretId=VAULT + 'secrets/ssl-wildcard-cert')],
            'frontendIPConfigurations': [
                child('frontendIPConfigurations', 'public-frontend', privateIPAllocationMethod='Dynamic',
                      publicIPAddress={'id': PREFIX + '/publicIPAddresses/pip-agw-phonebill-prod'}),
                child('frontendIPConfigurations', 'private-frontend', privateIPAddress='10.0.4.10',
                      privateIPAllocationMethod='Static', subnet={'id': subnet})],
            'frontendPorts': [child('frontendPorts', 'port-443', port=443)],
            'backendAddressPools': [child('backendAddressPools', 'aks-backend', backendAddresses=[{'ipAddress': '10.0.1.250'}])],
            'probes': [child('probes', 'aks-readiness', protocol='Http', path='/actuator/health/readiness', interval=30,
                             timeout=30, unhealthyThreshold=3, pickHostNameFromBackendHttpSettings=True, minServers=0,
                             match={})],
            'backendHttpSettingsCollection': [child('backendHttpSettingsCollection', 'aks-http', port=80, protocol='Http',
                                                    cookieBasedAffinity='Disabled', requestTimeout=30,
                                                    pickHostNameFromBackendAddress=True,
                                                    probe={'id': GW + '/probes/aks-readiness'})],
            'httpListeners': [child('httpListeners', 'https-listener', protocol='Https', requireServerNameIndication=False,
                                    frontendIPConfiguration={'id': GW + '/frontendIPConfigurations/public-frontend'},
                                    frontendPort={'id': GW + '/frontendPorts/port-443'},
                                    sslCertificate={'id': GW + '/sslCertificates/ssl-wildcard-cert'})],
            'urlPathMaps': [child('urlPathMaps', 'api-paths',
                                  defaultBackendAddressPool={'id': GW + '/backendAddressPools/aks-backend'},
                                  defaultBackendHttpSettings={'id': GW + '/backendHttpSettingsCollection/aks-http'},
                                  pathRules=[{'name': 'api', 'id': GW + '/urlPathMaps/api-paths/pathRules/api', 'properties': {
                                      'provisioningState': 'Succeeded', 'paths': ['/api/*'],
                                      'backendAddressPool': {'id': GW + '/backendAddressPools/aks-backend'},
                                      'backendHttpSettings': {'id': GW + '/backendHttpSettingsCollection/aks-http'}}}])],
            'requestRoutingRules': [child('requestRoutingRules', 'api-routing', ruleType='PathBasedRouting', priority=100,
                                          httpListener={'id': GW + '/httpListeners/https-listener'},
                                          urlPathMap={'id': GW + '/urlPathMaps/api-paths'})],
            'firewallPolicy': {'id': PREFIX + '/ApplicationGatewayWebApplicationFirewallPolicies/waf-phonebill-prod'},
        },
    }


@pytest.fixture
def client():
    fake = FakeClient()
    fake.application_gateways.add(existing_gateway(), RG, 'agw-phonebill-prod')
    fake.subnets.add({'name': 'snet-gateway', 'properties': {'addressPrefix': '10.0.4.0/24'}},
                     RG, 'vnet-phonebill-prod', 'snet-gateway')
    return fake


def test_gateway_as_azure_returns_it_is_unchanged(client):
    result = run(client, application_gateway.main, ARGS)
    assert result.get('failed') is None, result.get('msg')
    assert result['changed'] is False and result['differences'] == [] and client.writes == []
    assert [k for k in result if k.startswith('unmanaged_') and result[k]] == []


def test_removed_listener_is_found_and_extras_are_kept_and_reported(client):
    drifted = existing_gateway()
    props = drifted['properties']
    props['httpListeners'] = [child('httpListeners', 'legacy-listener', protocol='Http',
                                    frontendIPConfiguration={'id': GW + '/frontendIPConfigurations/public-frontend'},
                                    frontendPort={'id': GW + '/frontendPorts/port-443'})]
    props['requestRoutingRules'][0]['properties']['priority'] = 300
    client.application_gateways.add(drifted, RG, 'agw-phonebill-prod')
    result = run(client, application_gateway.main, ARGS)
    assert sorted(d['path'] for d in result['differences']) == [
        'properties.httpListeners[https-listener]', 'properties.requestRoutingRules[api-routing].properties.priority']
    assert result['unmanaged_listeners'] == ['legacy-listener']
    (_verb, _kind, _group, _name, body), = client.writes
    listeners = dict((item['name'], item) for item in body['properties']['httpListeners'])
    assert sorted(listeners) == ['https-listener', 'legacy-listener']
    # the module built the sub-resource ids from the gateway id and the names
    assert listeners['https-listener']['properties']['sslCertificate'] == {'id': GW + '/sslCertificates/ssl-wildcard-cert'}
    assert body['properties']['requestRoutingRules'][0]['properties']['priority'] == 100
    # what Azure keeps is not sent back as written by the client
    assert 'operationalState' not in body['properties'] and 'resourceGuid' not in body['properties']
    assert list(body['identity']['userAssignedIdentities'].values()) == [{}]


def test_purge_removes_what_is_not_stated(client):
    drifted = existing_gateway()
    drifted['properties']['backendAddressPools'].append(child('backendAddressPools', 'legacy-pool', backendAddresses=[]))
    client.application_gateways.add(drifted, RG, 'agw-phonebill-prod')
    kept = run(client, application_gateway.main, ARGS, check_mode=True)
    assert kept['changed'] is False and kept['unmanaged_backend_pools'] == ['legacy-pool']
    purged = run(client, application_gateway.main, dict(ARGS, purge=True))
    assert [d['path'] for d in purged['differences']] == ['properties.backendAddressPools[legacy-pool]']
    (_verb, _kind, _group, _name, body), = client.writes
    assert [p['name'] for p in body['properties']['backendAddressPools']] == ['aks-backend']


def test_changed_path_and_pool_are_found_by_name_not_position(client):
    changed = copy.deepcopy(ARGS)
    changed['url_path_maps'][0]['path_rules'][0]['paths'] = ['/api/*', '/v2/api/*']
    changed['backend_pools'] = [dict(name='aks-backend', ip_addresses=['10.0.1.251'])]
    result = run(client, application_gateway.main, changed, check_mode=True)
    assert sorted((d['path'], d['before'], d['after']) for d in result['differences']) == [
        ('properties.backendAddressPools[aks-backend].properties.backendAddresses', [{'ipAddress': '10.0.1.250'}],
         [{'ipAddress': '10.0.1.251'}]),
        ('properties.urlPathMaps[api-paths].properties.pathRules[api].properties.paths', ['/api/*'],
         ['/api/*', '/v2/api/*'])]
    assert client.writes == []


def test_vault_unknown_in_check_mode_is_predicted_and_refused_in_a_real_run():
    empty = FakeClient()
    args = dict(ARGS, key_vault_uri=None, unknown=['key_vault_uri'])
    predicted = run(empty, application_gateway.main, args, check_mode=True)
    assert predicted['changed'] is True and empty.writes == []
    certificate, = predicted['resource']['properties']['sslCertificates']
    assert certificate['properties']['keyVaultSecretId'] == unknown.UNKNOWN
    refused = run_without_azure(application_gateway.main, args)
    assert refused['failed'] and refused['msg'].startswith('key_vault_uri: is unknown')


def test_gateway_subnet_as_azure_has_it_must_hold_the_autoscale_maximum(client):
    client.subnets.add({'name': 'snet-gateway', 'properties': {'addressPrefix': '10.0.4.0/27'}},
                       RG, 'vnet-phonebill-prod', 'snet-gateway')
    result = run(client, application_gateway.main, dict(ARGS, autoscale=dict(min_capacity=2, max_capacity=30)))
    assert result['failed'] and client.writes == []
    assert result['msg'].startswith('autoscale.max_capacity: 30 instances and 1 private frontend address(es) need 31 '
                                    'addresses, but the gateway subnet 10.0.4.0/27 has 27 usable')


@pytest.mark.parametrize('changes, message', [
    (dict(sku='Standard_v2'), 'sku: Standard_v2 cannot carry a WAF policy'),
    (dict(autoscale=dict(min_capacity=5, max_capacity=3)), 'autoscale: min_capacity 5 is above max_capacity 3'),
    (dict(listeners=[dict(ARGS['listeners'][0], frontend_port='port-80')]),
     "listeners[https-listener].frontend_port: 'port-80' is not one of frontend_ports (port-443)"),
    (dict(listeners=[dict(ARGS['listeners'][0], ssl_certificate=None)]),
     'listeners[https-listener].ssl_certificate: required; name one of ssl_certificates'),
    (dict(routing_rules=ARGS['routing_rules'] + [dict(ARGS['routing_rules'][0], name='api-routing-2')]),
     'routing_rules[api-routing-2].priority: 100 is also the priority of routing_rules[api-routing]'),
    (dict(url_path_maps=[dict(ARGS['url_path_maps'][0], default_backend_pool='aks')]),
     "url_path_maps[api-paths].default_backend_pool: 'aks' is not one of backend_pools"),
    (dict(frontend_ip_configurations=[dict(name='private-frontend', private_ip_address='10.0.4')],
          listeners=[dict(ARGS['listeners'][0], frontend_ip='private-frontend')]),
     "frontend_ip_configurations[private-frontend].private_ip_address: '10.0.4' is not an IP address"),
    (dict(key_vault_uri=None), 'key_vault_uri: required by ssl_certificates ssl-wildcard-cert'),
    (dict(subnet='snet-gateway', virtual_network=None), 'virtual_network: required when subnet is a name'),
])
def test_bad_input_fails_before_any_call(changes, message):
    result = run_without_azure(application_gateway.main, dict(ARGS, **changes))
    assert result['failed'] and message in result['msg'], result['msg']


def test_waf_sku_without_a_policy_is_refused_on_create():
    empty = FakeClient()
    result = run(empty, application_gateway.main, dict(ARGS, firewall_policy=None))
    assert result['failed'] and result['msg'].startswith('firewall_policy: required with sku WAF_v2')
    assert empty.writes == []
