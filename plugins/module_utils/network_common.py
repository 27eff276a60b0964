# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the network modules share beyond the core.

The checks of virtual networks, subnets, security rules and public IPs
(pure: they return 'option: what is wrong; the fix' lines), used by the
modules and by the whole-plan preflight alike so a rule lives once;
resource ids from names, and a comparison rule for NSG address prefixes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    canonical, choice_problems, described, integer_problems, item_label, items_of, list_problems, name_problems,
    tag_problems, zone_problems)

ID_PATTERN = re.compile(r'^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+(/[^/]+/[^/]+)+/?$', re.IGNORECASE)


# ---- input checks (no call to Azure) ----
def reference_problems(option, value, what):
    """A name (same resource group) or a full resource id."""
    if value is None:
        return []
    if not isinstance(value, str):
        return ['%s: %r is not a name or a resource id of a %s' % (option, value, what)]
    if value.startswith('/'):
        if not ID_PATTERN.match(value):
            return ['%s: %r is not a resource id; give the name of the %s or its full id '
                    '(/subscriptions/<id>/resourceGroups/<group>/providers/...)' % (option, value, what)]
        return []
    return name_problems(option, value, 'network', '%s name' % what)


def cidr(option, value):
    """(network, problems): value as an IP network, or None with why not (garbage, host bits set)."""
    if not isinstance(value, str):
        return None, ['%s: %r is not a CIDR block; write it as a quoted address/length, e.g. "10.0.1.0/24"' % (option, value)]
    try:
        return ipaddress.ip_network(value, strict=True), []
    except ValueError:
        try:
            loose = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return None, ['%s: %r is not a CIDR block; write it as address/length, e.g. 10.0.1.0/24' % (option, value)]
        return None, ['%s: %r has host bits set; the network it lies in is %s, state that' % (option, value, loose)]


def overlapping(networks):
    """The first pair of (label, network) items that overlap, or None."""
    for position, (label, net) in enumerate(networks):
        for other_label, other in networks[position + 1:]:
            if net.version == other.version and net.overlaps(other):
                return (label, net), (other_label, other)
    return None


def inside_problems(option, net, space, space_label='the address space'):
    """net must lie inside one of the networks of space (when there is a space to compare with)."""
    if space and not any(net.version == outer.version and net.subnet_of(outer) for outer in space):
        return ['%s: %s lies outside %s (%s); pick a range inside it or add one to the address space'
                % (option, net, space_label, ', '.join(str(s) for s in space))]
    return []


def address_space(option, prefixes):
    """(networks, problems) of a list of CIDR blocks that must not overlap one another."""
    found = list_problems(option, prefixes, 'CIDR blocks, e.g. ["10.0.0.0/16"]')
    space = []
    for prefix in items_of(prefixes):
        net, problems = cidr(option, prefix)
        found += problems
        if net is not None:
            space.append(net)
    clash = overlapping([(str(n), n) for n in space])
    if clash:
        found.append('%s: %s and %s overlap; state each range once' % (option, clash[0][1], clash[1][1]))
    return space, found


# Service endpoints Azure has (Microsoft.* name of the service, learn.microsoft.com/azure/virtual-network/
# virtual-network-service-endpoints-overview); every other service is reached through a private endpoint.
SERVICE_ENDPOINTS = ('Microsoft.AzureActiveDirectory', 'Microsoft.AzureCosmosDB', 'Microsoft.CognitiveServices',
                     'Microsoft.ContainerRegistry', 'Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.ServiceBus',
                     'Microsoft.Sql', 'Microsoft.Storage', 'Microsoft.Storage.Global', 'Microsoft.Web')
DELEGATION = re.compile(r'^[A-Za-z]+\.[A-Za-z.]+/[A-Za-z]+$')
PRIVATE_ENDPOINT_POLICIES = ('Disabled', 'Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled')
PRIVATE_LINK_SERVICE_POLICIES = ('Disabled', 'Enabled')


def service_endpoint_problems(option, services):
    found = list_problems(option, services, 'service endpoint names, e.g. [Microsoft.Storage]')
    for service in items_of(services):
        if canonical(service, SERVICE_ENDPOINTS) is None:
            found.append('%s: %r is not a service endpoint Azure has; use one of %s, or reach the service through a '
                         'private endpoint' % (option, service, ', '.join(SERVICE_ENDPOINTS)))
    return found


def delegation_problems(option, services):
    found = list_problems(option, services, 'services, e.g. [Microsoft.DBforPostgreSQL/flexibleServers]')
    for service in items_of(services):
        if not (isinstance(service, str) and DELEGATION.match(service)):
            found.append('%s: %r is not a delegation; use Provider.Namespace/resourceType, e.g. '
                         'Microsoft.DBforPostgreSQL/flexibleServers' % (option, service))
    return found


def subnets_problems(option, subnets, space):
    """The subnets of a virtual network: names unique, ranges valid, inside the space and apart."""
    found = list_problems(option, subnets, 'subnets, each a mapping with name and address_prefix')
    seen, ranges = set(), []
    for position, subnet in enumerate(items_of(subnets)):
        where = '%s[%s]' % (option, item_label(subnet, position))
        if not isinstance(subnet, dict):
            found.append('%s must be a mapping with name and address_prefix, not %s' % (where, described(subnet)))
            continue
        name = subnet.get('name')
        found += name_problems(where + '.name', '' if name is None else name, 'subnet')
        if isinstance(name, str) and name.lower() in seen:
            found.append('%s.name: subnet %s is listed twice; subnet names are unique without case' % (where, name))
        seen.add(str(name).lower())
        net, problems = cidr(where + '.address_prefix', subnet.get('address_prefix'))
        found += problems
        if net is not None:
            found += inside_problems(where + '.address_prefix', net, space)
            for other, other_net in ranges:
                if net.version == other_net.version and net.overlaps(other_net):
                    found.append('%s.address_prefix: %s overlaps subnet %s (%s); give each subnet its own range'
                                 % (where, net, other, other_net))
            ranges.append((name, net))
        found += service_endpoint_problems(where + '.service_endpoints', subnet.get('service_endpoints'))
        found += delegation_problems(where + '.delegations', subnet.get('delegations'))
        found += reference_problems(where + '.network_security_group', subnet.get('network_security_group'),
                                    'network security group')
        found += choice_problems(where + '.private_endpoint_network_policies',
                                 subnet.get('private_endpoint_network_policies'), PRIVATE_ENDPOINT_POLICIES)
        found += choice_problems(where + '.private_link_service_network_policies',
                                 subnet.get('private_link_service_network_policies'), PRIVATE_LINK_SERVICE_POLICIES)
    return found


def virtual_network_problems(params, prefix=''):
    """A virtual network (module options, or phonebill_vnet with its prefix) and its subnets."""
    found = name_problems(prefix + 'name', params.get('name'), 'virtual_network')
    found += tag_problems(prefix + 'tags', params.get('tags'))
    space, problems = address_space(prefix + 'address_prefixes', params.get('address_prefixes'))
    found += problems
    servers = params.get('dns_servers')
    found += list_problems(prefix + 'dns_servers', servers, 'IP addresses')
    for server in items_of(servers):
        try:
            ipaddress.ip_address(str(server))
        except ValueError:
            found.append('%sdns_servers: %r is not an IP address; list DNS servers by address' % (prefix, server))
    return found + subnets_problems(prefix + 'subnets', params.get('subnets'), space)


# ---- network security rules ----
DIRECTIONS = ('Inbound', 'Outbound')
ACCESSES = ('Allow', 'Deny')
PROTOCOLS = ('Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*')
PORT = re.compile(r'^(\d{1,5})(?:-(\d{1,5}))?$')
SERVICE_TAG = re.compile(r'^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$')
# Azure keeps one value and several values in two fields: (single, list, option of one, option of several).
RULE_FIELDS = (('sourceAddressPrefix', 'sourceAddressPrefixes', 'source_address_prefix', 'source_address_prefixes'),
               ('destinationAddressPrefix', 'destinationAddressPrefixes', 'destination_address_prefix',
                'destination_address_prefixes'),
               ('sourcePortRange', 'sourcePortRanges', 'source_port_range', 'source_port_ranges'),
               ('destinationPortRange', 'destinationPortRanges', 'destination_port_range', 'destination_port_ranges'))


def port_problems(option, value, alone):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # an unquoted port in YAML
    if value == '*':
        return [] if alone else ['%s: * (any port) cannot be listed with other ports; state it alone' % option]
    match = PORT.match(value) if isinstance(value, str) else None
    low, high = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else (0, -1)
    if not match or high > 65535 or low > high:
        return ['%s: %r is not a port range; use N, N-M (0-65535, N <= M, e.g. 80-443) or *' % (option, value)]
    return []


def prefix_problems(option, value, alone):
    if not isinstance(value, str):
        return ['%s: %r is not a CIDR, an address, a service tag or *' % (option, value)]
    try:
        ipaddress.ip_network(value, strict=False)
        return []
    except ValueError:
        pass
    if value == '*' or SERVICE_TAG.match(value):
        if alone:
            return []
        return ['%s: %s cannot be listed with other prefixes (Azure takes * and service tags only alone); '
                'make a rule of its own for it' % (option, value)]
    return ['%s: %r is not a CIDR (e.g. 10.0.2.0/24), an address, a service tag (Internet) or *' % (option, value)]


def rule_problems(option, rule):
    """One security rule (module suboptions or an inventory rule), option naming it (rules[allow-redis])."""
    if not isinstance(rule, dict):
        return ['%s must be a mapping (name, priority, direction, access, protocol, ...), not %s' % (option, described(rule))]
    found = name_problems(option + '.name', '' if rule.get('name') is None else rule['name'], 'network', 'rule name')
    found += integer_problems(option + '.priority', rule.get('priority'), 100, 4096)
    if rule.get('priority') is None:
        found.append('%s.priority: required; give 100 (evaluated first) to 4096' % option)
    for key, choices in (('direction', DIRECTIONS), ('access', ACCESSES), ('protocol', PROTOCOLS)):
        if canonical(rule.get(key), choices) is None:
            found.append('%s.%s: %r is not one of %s' % (option, key, rule.get(key), ', '.join(choices)))
    for _single, _several, one, several in RULE_FIELDS:
        check = prefix_problems if one.endswith('prefix') else port_problems
        values = rule.get(several)
        if rule.get(one) is not None and values is not None:
            found.append('%s: state %s or %s, not both' % (option, one, several))
        if values is None:
            found += check('%s.%s' % (option, one), rule.get(one, '*') or '*', True)
            continue
        problems = list_problems('%s.%s' % (option, several), values, 'addresses' if one.endswith('prefix') else 'ports')
        if values == []:
            problems.append('%s.%s: the list is empty; state at least one value or leave it out for *' % (option, several))
        for value in items_of(values):
            problems += check('%s.%s' % (option, several), value, len(values) == 1)
        found += problems
    return found


def security_group_problems(params, prefix=''):
    """A network security group (module options, or one of phonebill_network_security_groups) and its rules."""
    found = name_problems(prefix + 'name', params.get('name'), 'network_security_group')
    found += tag_problems(prefix + 'tags', params.get('tags'))
    rules = params.get('rules')
    found += list_problems(prefix + 'rules', rules, 'security rules, each a mapping with name, priority, direction, ...')
    names, priorities = set(), {}
    for position, rule in enumerate(items_of(rules)):
        option = '%srules[%s]' % (prefix, item_label(rule, position))
        found += rule_problems(option, rule)
        if not isinstance(rule, dict):
            continue
        name = str(rule.get('name'))
        if name.lower() in names:
            found.append('%s.name: rule %s is listed twice; rule names are unique without case' % (option, name))
        names.add(name.lower())
        direction = canonical(rule.get('direction'), DIRECTIONS)
        key = (direction, rule.get('priority'))
        if direction and key in priorities:
            found.append('%s.priority: %s priority %s is also used by rule %s; priorities are unique per direction'
                         % (option, direction, rule.get('priority'), priorities[key]))
        priorities.setdefault(key, name)
    return found


# ---- public IP addresses ----
DNS_LABEL = re.compile(r'^[a-z][a-z0-9-]{1,61}[a-z0-9]$')


def public_ip_problems(params, prefix=''):
    """A public IP (module options, or one of phonebill_public_ips with its prefix)."""
    found = name_problems(prefix + 'name', params.get('name'), 'public_ip')
    found += tag_problems(prefix + 'tags', params.get('tags'))
    found += zone_problems(prefix + 'zones', params.get('zones'))
    for option, choices in (('sku', ('Basic', 'Standard')), ('tier', ('Regional', 'Global')),
                            ('allocation_method', ('Static', 'Dynamic')), ('version', ('IPv4', 'IPv6'))):
        found += choice_problems(prefix + option, params.get(option), choices)
    sku, zones = canonical(params.get('sku'), ('Basic', 'Standard')), params.get('zones')
    if sku == 'Standard' and canonical(params.get('allocation_method'), ('Dynamic',)):
        found.append('%sallocation_method: Standard public IPs are always Static; state allocation_method=Static or '
                     'sku=Basic' % prefix)
    if zones and sku == 'Basic':
        found.append('%szones: Basic public IPs have no zones; use sku=Standard or leave zones out' % prefix)
    if zones and canonical(params.get('tier'), ('Global',)):
        found.append('%szones: Global public IPs have no zones; use tier=Regional or leave zones out' % prefix)
    found += integer_problems(prefix + 'idle_timeout', params.get('idle_timeout'), 4, 30, ' minutes')
    label = params.get('domain_name_label')
    if label is not None and not (isinstance(label, str) and DNS_LABEL.match(label)):
        found.append('%sdomain_name_label: %r is not a valid DNS label; use 3-63 lower-case letters, digits and -, '
                     'starting with a letter and not ending with -' % (prefix, label))
    return found


# ---- private DNS zones ----
ZONE_LABEL = re.compile(r'^[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?$')


def dns_zone_name_problems(option, name):
    labels = name.rstrip('.').split('.') if isinstance(name, str) else []
    if len(labels) < 2 or len(name) > 253 or not all(ZONE_LABEL.match(label) for label in labels):
        return ['%s: %r is not a DNS zone name; use two or more lower-case labels of letters, digits and -, '
                'e.g. privatelink.postgres.database.azure.com' % (option, name)]
    return []


# ---- ids ----
def resource_id(module, resource_group, kind, value):
    """The full id of a Microsoft.Network resource given by name (in resource_group) or by id."""
    if value is None or value.startswith('/'):
        return value
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/%s/%s' % (
        module.subscription_id, resource_group, kind, value)


# ---- comparison ----
class AddressPrefix(compare.Cidr):
    """NSG prefixes: CIDRs with /32 equivalence, service tags ("Internet") in any case."""

    def normalize(self, value):
        value = super(AddressPrefix, self).normalize(value)
        return value.lower() if isinstance(value, str) else value
