#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: application_gateway
short_description: Create, update or delete an Azure Application Gateway v2 (Standard_v2 or WAF_v2)
version_added: 0.1.0
description:
  - Ensures an Application Gateway v2 exists with the stated SKU, autoscale range, zones, identity, frontends,
    certificates, backend pools, probes, HTTP settings, listeners, URL path maps, routing rules and WAF policy, or is
    absent.
  - Frontend IPs, frontend ports, certificates, backend pools, probes, HTTP settings, listeners, URL path maps and
    routing rules are each a set keyed by name (without case), never compared by position, so a removed or changed
    item is found. Items found in Azure but not stated are kept and listed in RV(unmanaged_listeners) and the other
    C(unmanaged_*) lists, unless O(purge=true).
  - Items refer to one another by name (a listener names its frontend IP, port and certificate); the module builds
    the sub-resource ids from the gateway's id.
  - Every input problem is reported before any call to Azure, all at once; that the gateway subnet holds the
    autoscale maximum and the private frontend IP is checked against the subnet as Azure has it, before any write.
options:
  name:
    description: Name of the gateway.
    type: str
    required: true
  resource_group:
    description: Resource group of the gateway, and of the resources named below by name.
    type: str
    required: true
  location:
    description: Azure region, in either form (V(Korea Central) or V(koreacentral)). Required to create; cannot change.
    type: str
  sku:
    description:
      - V(WAF_v2), or V(Standard_v2) (the SKU tier is the same). Required to create.
      - Only V(WAF_v2) can carry a WAF policy (O(firewall_policy)); Standard_v2 with a policy is refused before any
        call.
    type: str
    choices: [Standard_v2, WAF_v2]
  autoscale:
    description: Autoscale range, in instances. A v2 gateway takes one address of its subnet per instance.
    type: dict
    suboptions:
      min_capacity:
        description: Instances kept running (0-125).
        type: int
        required: true
      max_capacity:
        description: Most instances (2-125).
        type: int
        required: true
  zones:
    description: Availability zones (V("1"), V("2"), V("3")). Fixed at creation.
    type: list
    elements: str
  identity:
    description:
      - The user-assigned identity the gateway reads Key Vault certificates with, by name (in O(resource_group)) or
        resource id. The identity needs C(Key Vault Secrets User) on the certificate's secret.
    type: str
  virtual_network:
    description: Virtual network of O(subnet) given by name.
    type: str
  subnet:
    description:
      - The gateway subnet, by name (with O(virtual_network)) or resource id. Azure wants it dedicated to gateways.
      - Holds the gateway IP configuration and the private frontend IPs.
    type: str
  frontend_ip_configurations:
    description: Frontend IPs, a set keyed by name; each has O(frontend_ip_configurations[].public_ip) or
      O(frontend_ip_configurations[].private_ip_address).
    type: list
    elements: dict
    suboptions:
      name:
        description: Frontend name, referred to by listeners.
        type: str
        required: true
      public_ip:
        description: A Standard static public IP, by name (in O(resource_group)) or resource id.
        type: str
      private_ip_address:
        description: A static address of the gateway subnet (not one of the five Azure keeps).
        type: str
  frontend_ports:
    description: Frontend ports, a set keyed by name.
    type: list
    elements: dict
    suboptions:
      name:
        description: Port name, referred to by listeners.
        type: str
        required: true
      port:
        description: The port (65200-65535 are the v2 gateway's own).
        type: int
        required: true
  key_vault_uri:
    description:
      - The vault of the certificates named by O(ssl_certificates[].key_vault_secret) (its C(vaultUri),
        e.g. V(https://kv-phonebill-prod.vault.azure.net/)).
    type: str
  ssl_certificates:
    description:
      - TLS certificates read from Key Vault by the gateway's O(identity), a set keyed by name.
      - The gateway refers to the versionless secret id, so it follows the certificate's renewals.
    type: list
    elements: dict
    suboptions:
      name:
        description: Certificate name, referred to by listeners.
        type: str
        required: true
      key_vault_secret:
        description: Name of the certificate (its backing secret) in the vault O(key_vault_uri).
        type: str
      key_vault_secret_id:
        description: The full versionless secret id, for a certificate of another vault.
        type: str
  backend_pools:
    description: Backend address pools, a set keyed by name.
    type: list
    elements: dict
    suboptions:
      name:
        description: Pool name.
        type: str
        required: true
      ip_addresses:
        description: Backend IP addresses (a set).
        type: list
        elements: str
      fqdns:
        description: Backend host names (a set).
        type: list
        elements: str
  probes:
    description: Health probes, a set keyed by name.
    type: list
    elements: dict
    suboptions:
      name:
        description: Probe name, referred to by HTTP settings.
        type: str
        required: true
      protocol:
        description: V(Http) or V(Https).
        type: str
        required: true
      path:
        description: Path probed, starting with C(/).
        type: str
        required: true
      host:
        description: Host header sent; leave out with O(probes[].pick_host_name_from_backend_http_settings=true).
        type: str
      pick_host_name_from_backend_http_settings:
        description: Take the host header from the HTTP settings.
        type: bool
      interval:
        description: Seconds between probes.
        type: int
      timeout:
        description: Seconds a probe may take.
        type: int
      unhealthy_threshold:
        description: Failed probes before a backend is taken out.
        type: int
      status_codes:
        description: Healthy status codes or ranges (e.g. V(200-399)).
        type: list
        elements: str
  http_settings:
    description: Backend HTTP settings, a set keyed by name.
    type: list
    elements: dict
    suboptions:
      name:
        description: Settings name.
        type: str
        required: true
      port:
        description: Backend port.
        type: int
        required: true
      protocol:
        description: V(Http) or V(Https).
        type: str
        required: true
      cookie_based_affinity:
        description: V(Enabled) or V(Disabled).
        type: str
      request_timeout:
        description: Seconds the gateway waits for a backend answer.
        type: int
      probe:
        description: Name of the probe of O(probes) that checks this backend.
        type: str
      host_name:
        description: Host header sent to the backend.
        type: str
      pick_host_name_from_backend_address:
        description: Send the backend's address as host header.
        type: bool
  listeners:
    description: HTTP listeners, a set keyed by name.
    type: list
    elements: dict
    suboptions:
      name:
        description: Listener name, referred to by routing rules.
        type: str
        required: true
      frontend_ip:
        description: Name of the frontend of O(frontend_ip_configurations).
        type: str
        required: true
      frontend_port:
        description: Name of the port of O(frontend_ports).
        type: str
        required: true
      protocol:
        description: V(Http) or V(Https).
        type: str
        required: true
      ssl_certificate:
        description: Name of the certificate of O(ssl_certificates); required for V(Https).
        type: str
      host_names:
        description: Host names served (multi-site); none for a basic listener.
        type: list
        elements: str
  url_path_maps:
    description: URL path maps, a set keyed by name.
    type: list
    elements: dict
    suboptions:
      name:
        description: Path map name, referred to by path-based routing rules.
        type: str
        required: true
      default_backend_pool:
        description: Pool of the paths no rule matches.
        type: str
        required: true
      default_http_settings:
        description: HTTP settings of the paths no rule matches.
        type: str
        required: true
      path_rules:
        description: Path rules, a set keyed by name.
        type: list
        elements: dict
        required: true
        suboptions:
          name:
            description: Rule name.
            type: str
            required: true
          paths:
            description: Paths matched (a set), e.g. V(/api/*).
            type: list
            elements: str
            required: true
          backend_pool:
            description: Pool of the matched paths.
            type: str
            required: true
          http_settings:
            description: HTTP settings of the matched paths.
            type: str
            required: true
  routing_rules:
    description: Request routing rules, a set keyed by name.
    type: list
    elements: dict
    suboptions:
      name:
        description: Rule name.
        type: str
        required: true
      priority:
        description: 1 (first) to 20000, unique; Azure requires one on every rule.
        type: int
        required: true
      rule_type:
        description: V(Basic) (one pool) or V(PathBasedRouting) (a URL path map).
        type: str
        choices: [Basic, PathBasedRouting]
        default: Basic
      listener:
        description: Name of the listener of O(listeners).
        type: str
        required: true
      backend_pool:
        description: Pool of a V(Basic) rule.
        type: str
      http_settings:
        description: HTTP settings of a V(Basic) rule.
        type: str
      url_path_map:
        description: Path map of a V(PathBasedRouting) rule.
        type: str
  firewall_policy:
    description: The WAF policy associated with the gateway, by name (in O(resource_group)) or resource id. Needs
      O(sku=WAF_v2).
    type: str
  purge:
    description: Delete items of the named sets above that exist in Azure but are not stated.
    type: bool
    default: false
  unknown:
    description:
      - Options whose value check mode cannot know because it comes from a resource check mode did not create;
        V(key_vault_uri) for a vault not created yet.
      - In check mode the change is then predicted with the certificate's secret id shown as
        C((known after a real run)); nothing is written. A real run fails on any option listed here before it calls
        Azure.
    type: list
    elements: str
    choices: [key_vault_uri]
    default: []
  state:
    description: Whether the gateway should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 1800 seconds; Azure takes several minutes to create or update a v2 gateway.
requirements:
  - azure-mgmt-network >= 30, < 34
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: WAF_v2 gateway routing /api/* to the cluster's ingress
  phonebill.platform.application_gateway:
    name: agw-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    sku: WAF_v2
    autoscale: {min_capacity: 2, max_capacity: 10}
    zones: ["1", "2", "3"]
    identity: id-agw-phonebill-prod
    virtual_network: vnet-phonebill-prod
    subnet: snet-gateway
    frontend_ip_configurations:
      - {name: public-frontend, public_ip: pip-agw-phonebill-prod}
      - {name: private-frontend, private_ip_address: 10.0.4.10}
    frontend_ports:
      - {name: port-443, port: 443}
    key_vault_uri: https://kv-phonebill-prod.vault.azure.net/
    ssl_certificates:
      - {name: ssl-wildcard-cert, key_vault_secret: ssl-wildcard-cert}
    backend_pools:
      - {name: aks-backend, ip_addresses: [10.0.1.250]}
    probes:
      - {name: aks-readiness, protocol: Http, path: /actuator/health/readiness,
         pick_host_name_from_backend_http_settings: true}
    http_settings:
      - {name: aks-http, port: 80, protocol: Http, probe: aks-readiness, pick_host_name_from_backend_address: true}
    listeners:
      - {name: https-listener, frontend_ip: public-frontend, frontend_port: port-443, protocol: Https,
         ssl_certificate: ssl-wildcard-cert}
    url_path_maps:
      - name: api-paths
        default_backend_pool: aks-backend
        default_http_settings: aks-http
        path_rules:
          - {name: api, paths: [/api/*], backend_pool: aks-backend, http_settings: aks-http}
    routing_rules:
      - {name: api-routing, priority: 100, rule_type: PathBasedRouting, listener: https-listener,
         url_path_map: api-paths}
    firewall_policy: waf-phonebill-prod
'''

RETURN = r'''
resource:
  description: The gateway as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/applicationGateways/agw-phonebill-prod
    name: agw-phonebill-prod
    location: koreacentral
    zones: ["1", "2", "3"]
    properties:
      sku: {name: WAF_v2, tier: WAF_v2}
      autoscaleConfiguration: {minCapacity: 2, maxCapacity: 10}
      operationalState: Running
      requestRoutingRules:
        - name: api-routing
          properties: {ruleType: PathBasedRouting, priority: 100, httpListener: {id: ".../httpListeners/https-listener"}}
unmanaged_frontend_ip_configurations:
  description: Frontend IPs that exist in Azure, are not stated, and were kept; the same for each named set below.
  returned: when O(state=present)
  type: list
  elements: str
unmanaged_frontend_ports:
  description: Frontend ports that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
unmanaged_ssl_certificates:
  description: Certificates that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
unmanaged_backend_pools:
  description: Backend pools that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
unmanaged_probes:
  description: Probes that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
unmanaged_http_settings:
  description: HTTP settings that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
unmanaged_listeners:
  description: Listeners that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
  sample: [legacy-listener]
unmanaged_url_path_maps:
  description: URL path maps that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
unmanaged_routing_rules:
  description: Routing rules that exist in Azure, are not stated, and were kept.
  returned: when O(state=present)
  type: list
  elements: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.requestRoutingRules[api-routing].properties.priority", before: 200, after: 100}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

import ipaddress

from ansible_collections.phonebill.platform.plugins.module_utils import compare, gateway_checks, network_common as net, unknown
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.gateway_checks import COLLECTIONS
from ansible_collections.phonebill.platform.plugins.module_utils.validation import canonical, name_problems, same

P = 'properties.'
GATEWAY_IP_CONFIGURATION = 'gateway-ip-configuration'
# reference fields (sub-resource or resource ids) per collection, compared as ids
REFERENCES = {
    'frontendIPConfigurations': ('publicIPAddress', 'subnet'),
    'backendHttpSettingsCollection': ('probe',),
    'httpListeners': ('frontendIPConfiguration', 'frontendPort', 'sslCertificate'),
    'urlPathMaps': ('defaultBackendAddressPool', 'defaultBackendHttpSettings'),
    'requestRoutingRules': ('httpListener', 'backendAddressPool', 'backendHttpSettings', 'urlPathMap'),
}


def _ref(value):
    return {'id': value} if value else None


class ApplicationGateway(ArmResource):
    kind, service, operations = 'application gateway', 'network', 'application_gateways'
    readonly = ArmResource.readonly + (P + 'resourceGuid', P + 'operationalState')
    immutable = ('location', 'zones')
    required_to_create = ('location', 'sku', 'subnet')
    secrets = (P + 'sslCertificates[].properties.password', P + 'sslCertificates[].properties.data')
    #: the gateway subnet as an ip_network, once lookup() has read it (None: not known)
    subnet = None

    @property
    def rules(self):
        rules = {
            P + 'sku.name': compare.IGNORE_CASE, P + 'sku.tier': compare.IGNORE_CASE, 'zones': compare.Set(),
            'identity.type': compare.IGNORE_CASE, 'identity.userAssignedIdentities': compare.Set(compare.RESOURCE_ID),
            P + 'gatewayIPConfigurations[].properties.subnet.id': compare.RESOURCE_ID,
            P + 'firewallPolicy.id': compare.RESOURCE_ID,
            P + 'backendAddressPools[].properties.backendAddresses': compare.Set(),
            P + 'probes[].properties.match.statusCodes': compare.Set(),
            P + 'httpListeners[].properties.hostNames': compare.Set(),
            P + 'urlPathMaps[].properties.pathRules': compare.NamedSet(purge=self.params['purge']),
            P + 'urlPathMaps[].properties.pathRules[].properties.paths': compare.Set(),
            P + 'urlPathMaps[].properties.pathRules[].properties.backendAddressPool.id': compare.RESOURCE_ID,
            P + 'urlPathMaps[].properties.pathRules[].properties.backendHttpSettings.id': compare.RESOURCE_ID,
            P + 'frontendIPConfigurations[].properties.privateIPAllocationMethod': compare.IGNORE_CASE,
        }
        for _option, collection in COLLECTIONS:
            rules[P + collection] = compare.NamedSet(purge=self.params['purge'])
            rules[P + collection + '[].properties.protocol'] = compare.IGNORE_CASE
            for field in REFERENCES.get(collection, ()):
                rules['%s%s[].properties.%s.id' % (P, collection, field)] = compare.RESOURCE_ID
        return rules

    @property
    def gateway_id(self):
        return net.resource_id(self.module, self.params['resource_group'], 'applicationGateways', self.params['name'])

    def child(self, collection, name):
        """A reference to an item of this gateway by name: {id: <gateway id>/<collection>/<name>}."""
        return _ref(name and '%s/%s/%s' % (self.gateway_id, collection, name))

    def subnet_id(self):
        subnet = self.params['subnet']
        if subnet is None or subnet.startswith('/'):
            return subnet
        vnet = net.resource_id(self.module, self.params['resource_group'], 'virtualNetworks', self.params['virtual_network'])
        return '%s/subnets/%s' % (vnet, subnet)

    def lookup(self):
        """The gateway subnet as Azure has it, to check it holds the autoscale maximum and the private IPs (before a write)."""
        subnet_id = self.subnet_id()
        if not subnet_id or self.unchanged():
            return
        parts = subnet_id.split('/')
        found = self.module.get_or_none('read subnet %s' % parts[-1], self.module.client('network').subnets.get,
                                        parts[4], parts[8], parts[10])
        props = (to_rest(found) or {}).get('properties') or {}
        prefix = props.get('addressPrefix') or (props.get('addressPrefixes') or [None])[0]
        self.subnet = ipaddress.ip_network(prefix, strict=False) if prefix else None

    def problems(self):
        """The subnet as Azure has it holds the gateway; a WAF_v2 gateway keeps or gets a WAF policy."""
        policy = self.params['firewall_policy'] or (((self.current or {}).get('properties') or {}).get('firewallPolicy'))
        found = gateway_checks.waf_sku_problems('', self.params['sku'], policy)
        if self.subnet is None:
            return found
        return (found + gateway_checks.subnet_capacity_problems('', self.params, self.subnet)
                + gateway_checks.private_ip_problems('', self.params, self.subnet))

    def get(self):
        """The gateway with its user-assigned identities as a list of ids (the form they are compared in)."""
        self.current = super(ApplicationGateway, self).get()
        identities = ((self.current or {}).get('identity') or {}).get('userAssignedIdentities')
        if isinstance(identities, dict):
            self.current['identity']['userAssignedIdentities'] = sorted(identities)
        return self.current

    def write(self, body):
        identities = (body.get('identity') or {}).get('userAssignedIdentities')
        if isinstance(identities, list):
            body['identity']['userAssignedIdentities'] = dict((identity_id, {}) for identity_id in identities)
        return super(ApplicationGateway, self).write(body)

    def gateway_ip_configuration_name(self):
        """The name Azure has for the one gateway IP configuration, so it is updated rather than doubled."""
        existing = ((self.current or {}).get('properties') or {}).get('gatewayIPConfigurations') or []
        return compare.item_name(existing[0]) if len(existing) == 1 else GATEWAY_IP_CONFIGURATION

    def secret_id(self, certificate):
        if certificate['key_vault_secret_id']:
            return certificate['key_vault_secret_id']
        if 'key_vault_uri' in self.params['unknown']:
            return unknown.UNKNOWN
        return '%s/secrets/%s' % (self.params['key_vault_uri'].rstrip('/'), certificate['key_vault_secret'])

    def desired(self):
        params = self.params
        identity = params['identity'] and ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.ManagedIdentity/'
                                           'userAssignedIdentities/%s' % (self.module.subscription_id,
                                                                          params['resource_group'], params['identity'])
                                           if not params['identity'].startswith('/') else params['identity'])
        autoscale = params['autoscale']
        subnet = self.subnet_id()
        return {
            'location': params['location'],
            'tags': params['tags'],
            'zones': params['zones'],
            'identity': identity and {'type': 'UserAssigned', 'userAssignedIdentities': [identity]},
            'properties': dict({
                'sku': params['sku'] and {'name': params['sku'], 'tier': params['sku']},
                'autoscaleConfiguration': autoscale and {'minCapacity': autoscale['min_capacity'],
                                                         'maxCapacity': autoscale['max_capacity']},
                'gatewayIPConfigurations': subnet and [{'name': self.gateway_ip_configuration_name(),
                                                        'properties': {'subnet': {'id': subnet}}}],
                'firewallPolicy': _ref(net.resource_id(self.module, params['resource_group'],
                                                       'ApplicationGatewayWebApplicationFirewallPolicies',
                                                       params['firewall_policy'])),
            }, **self.collections(subnet)),
        }

    def collections(self, subnet):
        """The named sets in the REST form, each None when its option is not stated."""
        params, group = self.params, self.params['resource_group']
        build = {
            'frontendIPConfigurations': lambda f: {
                'publicIPAddress': _ref(net.resource_id(self.module, group, 'publicIPAddresses', f['public_ip'])),
                'privateIPAddress': f['private_ip_address'],
                'privateIPAllocationMethod': 'Static' if f['private_ip_address'] else None,
                'subnet': _ref(subnet) if f['private_ip_address'] else None},
            'frontendPorts': lambda p: {'port': p['port']},
            'sslCertificates': lambda c: {'keyVaultSecretId': self.secret_id(c)},
            'backendAddressPools': lambda b: {'backendAddresses': [{'ipAddress': a} for a in b['ip_addresses'] or []]
                                              + [{'fqdn': f} for f in b['fqdns'] or []]},
            'probes': lambda p: {
                'protocol': canonical(p['protocol'], gateway_checks.PROTOCOLS), 'path': p['path'], 'host': p['host'],
                'pickHostNameFromBackendHttpSettings': p['pick_host_name_from_backend_http_settings'],
                'interval': p['interval'], 'timeout': p['timeout'], 'unhealthyThreshold': p['unhealthy_threshold'],
                'match': p['status_codes'] and {'statusCodes': p['status_codes']}},
            'backendHttpSettingsCollection': lambda s: {
                'port': s['port'], 'protocol': canonical(s['protocol'], gateway_checks.PROTOCOLS),
                'cookieBasedAffinity': s['cookie_based_affinity'], 'requestTimeout': s['request_timeout'],
                'probe': self.child('probes', s['probe']), 'hostName': s['host_name'],
                'pickHostNameFromBackendAddress': s['pick_host_name_from_backend_address']},
            'httpListeners': lambda item: {
                'frontendIPConfiguration': self.child('frontendIPConfigurations', item['frontend_ip']),
                'frontendPort': self.child('frontendPorts', item['frontend_port']),
                'protocol': canonical(item['protocol'], gateway_checks.PROTOCOLS),
                'sslCertificate': self.child('sslCertificates', item['ssl_certificate']),
                'hostNames': item['host_names']},
            'urlPathMaps': lambda m: {
                'defaultBackendAddressPool': self.child('backendAddressPools', m['default_backend_pool']),
                'defaultBackendHttpSettings': self.child('backendHttpSettingsCollection', m['default_http_settings']),
                'pathRules': [{'name': r['name'], 'properties': {
                    'paths': r['paths'], 'backendAddressPool': self.child('backendAddressPools', r['backend_pool']),
                    'backendHttpSettings': self.child('backendHttpSettingsCollection', r['http_settings'])}}
                    for r in m['path_rules']]},
            'requestRoutingRules': lambda r: {
                'ruleType': r['rule_type'], 'priority': r['priority'],
                'httpListener': self.child('httpListeners', r['listener']),
                'backendAddressPool': self.child('backendAddressPools', r['backend_pool']),
                'backendHttpSettings': self.child('backendHttpSettingsCollection', r['http_settings']),
                'urlPathMap': self.child('urlPathMaps', r['url_path_map'])},
        }
        return dict((collection, None if params[option] is None else
                     [{'name': item['name'], 'properties': build[collection](item)} for item in params[option]])
                    for option, collection in COLLECTIONS)

    def unmanaged(self):
        """unmanaged_<option>: the items Azure has that the option does not state (kept unless purge)."""
        props = (self.current or {}).get('properties') or {}
        found = {}
        for option, collection in COLLECTIONS:
            stated = self.params[option]
            found['unmanaged_' + option] = [
                compare.item_name(item) for item in props.get(collection) or []
                if not self.params['purge'] and stated is not None
                and not any(same(compare.item_name(item), s['name']) for s in stated)]
        return found


def validate(params, check_mode=False):
    """Input errors that need no call to Azure (the same checks preflight makes on phonebill_gateway)."""
    found = name_problems('resource_group', params['resource_group'], 'resource_group')
    found += name_problems('name', params['name'], 'network', 'application gateway name')
    found += gateway_checks.gateway_problems('', params)
    found += net.reference_problems('firewall_policy', params['firewall_policy'], 'WAF policy')
    for frontend in params['frontend_ip_configurations'] or []:
        found += net.reference_problems('frontend_ip_configurations[%s].public_ip' % frontend['name'],
                                        frontend['public_ip'], 'public IP')
    if params['identity'] and not params['identity'].startswith('/'):
        found += name_problems('identity', params['identity'], 'user_assigned_identity')
    if params['subnet'] and not params['subnet'].startswith('/') and not params['virtual_network']:
        found.append('virtual_network: required when subnet is a name (%s); state the virtual network, or give the '
                     'subnet by id' % params['subnet'])
    named = [c['name'] for c in params['ssl_certificates'] or [] if c['key_vault_secret']]
    if named and not params['key_vault_uri'] and 'key_vault_uri' not in params['unknown']:
        found.append('key_vault_uri: required by ssl_certificates %s, which name a secret of the vault; give the '
                     "vault's URI (its vaultUri)" % ', '.join(named))
    return found + unknown.unknown_problems(params, check_mode)


def item(**options):
    return dict(type='list', elements='dict', options=dict(name=dict(type='str', required=True), **options))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            sku=dict(type='str', choices=list(gateway_checks.SKUS)),
            autoscale=dict(type='dict', options=dict(min_capacity=dict(type='int', required=True),
                                                     max_capacity=dict(type='int', required=True))),
            zones=dict(type='list', elements='str'),
            identity=dict(type='str'),
            virtual_network=dict(type='str'),
            subnet=dict(type='str'),
            frontend_ip_configurations=item(public_ip=dict(type='str'), private_ip_address=dict(type='str')),
            frontend_ports=item(port=dict(type='int', required=True)),
            key_vault_uri=dict(type='str', no_log=False),
            ssl_certificates=item(key_vault_secret=dict(type='str', no_log=False),
                                  key_vault_secret_id=dict(type='str', no_log=False)),
            backend_pools=item(ip_addresses=dict(type='list', elements='str'), fqdns=dict(type='list', elements='str')),
            probes=item(protocol=dict(type='str', required=True), path=dict(type='str', required=True),
                        host=dict(type='str'), pick_host_name_from_backend_http_settings=dict(type='bool'),
                        interval=dict(type='int'), timeout=dict(type='int'), unhealthy_threshold=dict(type='int'),
                        status_codes=dict(type='list', elements='str')),
            http_settings=item(port=dict(type='int', required=True), protocol=dict(type='str', required=True),
                               cookie_based_affinity=dict(type='str'), request_timeout=dict(type='int'),
                               probe=dict(type='str'), host_name=dict(type='str'),
                               pick_host_name_from_backend_address=dict(type='bool')),
            listeners=item(frontend_ip=dict(type='str', required=True), frontend_port=dict(type='str', required=True),
                           protocol=dict(type='str', required=True), ssl_certificate=dict(type='str'),
                           host_names=dict(type='list', elements='str')),
            url_path_maps=item(default_backend_pool=dict(type='str', required=True),
                               default_http_settings=dict(type='str', required=True),
                               path_rules=dict(item(paths=dict(type='list', elements='str', required=True),
                                                    backend_pool=dict(type='str', required=True),
                                                    http_settings=dict(type='str', required=True)), required=True)),
            routing_rules=item(priority=dict(type='int', required=True),
                               rule_type=dict(type='str', choices=list(gateway_checks.RULE_TYPES), default='Basic'),
                               listener=dict(type='str', required=True), backend_pool=dict(type='str'),
                               http_settings=dict(type='str'), url_path_map=dict(type='str')),
            firewall_policy=dict(type='str'),
            purge=dict(type='bool', default=False),
            **unknown.unknown_spec(['key_vault_uri']),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=1800,
    )
    module.fail_on(validate(module.params, module.check_mode))
    gateway = ApplicationGateway(module)
    result = reconcile(module, gateway)
    if module.params['state'] == 'present':
        result.update(gateway.unmanaged())
    module.exit(**result)


if __name__ == '__main__':
    main()
