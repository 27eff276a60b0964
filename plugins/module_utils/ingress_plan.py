# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the path from the Application Gateway into the cluster (phonebill_ingress), needing no cluster.

The gateway's backend pool is one private address: an internal load
balancer Service in the application subnet in front of the router. Azure
accepts a Service whose address is taken by a node (it stays pending), and
the gateway accepts a pool address nothing answers on; a route to a service
that does not exist fails only when a request comes. These checks say so
before anything is written, each problem starting with its inventory path.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible.module_utils.six import string_types

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload_plan import DNS_LABEL, image_problem, quantity
from ansible_collections.phonebill.platform.plugins.module_utils.validation import described, items_of, list_problems

# The gateway rule api-routing sends /api/* to the backend pool (SPEC §3): a prefix elsewhere never reaches the router.
GATEWAY_PATH = '/api/'
# Azure reserves the network address, the next three (gateway, DNS) and the broadcast address of every subnet.
RESERVED_AT_START = 4


def _subnet(vnet, name):
    """The subnet named name of phonebill_vnet as an ip_network, or None when it is not there or not a CIDR."""
    for subnet in items_of((vnet or {}).get('subnets')):
        if isinstance(subnet, dict) and subnet.get('name') == name:
            try:
                return ipaddress.ip_network(subnet.get('address_prefix'))
            except (TypeError, ValueError):
                return None
    return None


def node_addresses(aks):
    """Addresses of the subnet the nodes can take: every pool's autoscaler maximum plus one surge node, each taking one
    address with Azure CNI Overlay, max_pods + 1 with classic Azure CNI (its pods take subnet addresses too)."""
    aks = aks if isinstance(aks, dict) else {}
    sizes = [p.get('max_count') or p.get('count') for p in items_of(aks.get('pools')) if isinstance(p, dict)]
    network = aks.get('network') if isinstance(aks.get('network'), dict) else {}
    max_pods = network.get('max_pods', 30)
    if not sizes or not all(isinstance(n, int) and not isinstance(n, bool) for n in sizes + [max_pods]):
        return 0  # the AKS checks report a pool without a whole count
    per_node = 1 if network.get('plugin_mode') == 'overlay' else max_pods + 1
    return (sum(sizes) + len(sizes)) * per_node


def _address_problems(ingress, vnet, aks, path):
    try:
        address = ipaddress.IPv4Address(ingress.get('private_ip'))
    except (TypeError, ValueError):
        return ['%s.private_ip: %r is not an IPv4 address; give a free address at the top of the application subnet'
                % (path, ingress.get('private_ip'))]
    name = ingress.get('subnet')
    subnet = _subnet(vnet, name)
    if subnet is None:
        return ['%s.subnet: %r is not a subnet of phonebill_vnet (network.yml); name the AKS nodes\' subnet' % (path, name)]
    if address not in subnet:
        return ['%s.private_ip: %s is outside the subnet %s (%s); the internal load balancer takes an address of the '
                'subnet it is in' % (path, address, name, subnet)]
    offset = int(address) - int(subnet.network_address)
    if offset < RESERVED_AT_START or address == subnet.broadcast_address:
        return ['%s.private_ip: %s is one of the five addresses Azure reserves in %s (%s, the next three and %s); '
                'take one between them' % (path, address, subnet, subnet.network_address, subnet.broadcast_address)]
    nodes = node_addresses(aks)
    if offset < RESERVED_AT_START + nodes:
        return ['%s.private_ip: %s is among the first %d addresses of %s, which the nodes can take (autoscaler maximum '
                'plus one surge node per pool); take an address at the top of the subnet, e.g. %s'
                % (path, address, nodes, subnet, subnet.broadcast_address - 5)]
    return []


def _router_problems(router, path):
    if not isinstance(router, dict):
        return ['%s: required; a mapping with name, image, port, replicas, resources, pdb and network_policy, not %s'
                % (path, described(router))]
    found = []
    for key in ('name', 'network_policy'):
        if not isinstance(router.get(key), string_types) or not DNS_LABEL.match(router[key]):
            found.append('%s.%s: %r is not a DNS label (lower-case letters, digits, -; 63 at most)' % (path, key, router.get(key)))
    problem = image_problem(router.get('image'))
    if problem:
        found.append('%s.image: %s' % (path, problem))
    found += port_problems('%s.port' % path, router.get('port'))
    replicas = router.get('replicas')
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 2:
        found.append('%s.replicas: %r; run at least 2 routers, or a node drain cuts the gateway off' % (path, replicas))
    resources = router.get('resources') if isinstance(router.get('resources'), dict) else {}
    for side in ('requests', 'limits'):
        for resource in ('cpu', 'memory'):
            value = (resources.get(side) or {}).get(resource) if isinstance(resources.get(side), dict) else None
            if quantity(value) is None or quantity(value) <= 0:
                found.append('%s.resources.%s.%s: %r is not a positive Kubernetes quantity (e.g. 100m, 64Mi)'
                             % (path, side, resource, value))
    pdb = router.get('pdb') if isinstance(router.get('pdb'), dict) else {}
    floor = pdb.get('min_available')
    whole = isinstance(floor, int) and not isinstance(floor, bool)
    if not whole or (isinstance(replicas, int) and not 1 <= floor < replicas):
        found.append('%s.pdb.min_available: %r with %r replicas; a whole number from 1 to replicas - 1, so the gateway '
                     'keeps a router and a drain can still evict one' % (path, floor, replicas))
    return found


def _route_problems(routes, services, health_path, path):
    found = list_problems(path, routes, 'routes, each {path, service}')
    if not items_of(routes):
        return found or ['%s: at least one route {path: /api/<prefix>/, service: <service>}' % path]
    seen = set()
    for position, route in enumerate(items_of(routes)):
        where = '%s[%s]' % (path, position)
        if not isinstance(route, dict):
            found.append('%s: a mapping {path, service}, not %s' % (where, described(route)))
            continue
        prefix, service = route.get('path'), route.get('service')
        if not isinstance(prefix, string_types) or not prefix.startswith(GATEWAY_PATH) or not prefix.endswith('/') \
                or prefix == GATEWAY_PATH:
            found.append('%s.path: %r; the gateway sends only %s* to the router, so a prefix is %s<name>/'
                         % (where, prefix, GATEWAY_PATH, GATEWAY_PATH))
        elif prefix in seen:
            found.append('%s.path: %s is routed twice; give each prefix one service' % (where, prefix))
        elif prefix == health_path:
            found.append('%s.path: %s is the health path the router answers itself; choose another prefix' % (where, prefix))
        seen.add(prefix)
        if service not in services:
            found.append('%s.service: %r is not a service of phonebill_workloads.services (%s); a prefix needs a backend '
                         'service, so name one or remove the route' % (where, service, ', '.join(sorted(services))))
    return found


def port_problems(path, value):
    """A TCP port: a whole number from 1 to 65535."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        return ['%s: %r is not a port; use a whole number from 1 to 65535' % (path, value)]
    return []


def ingress_problems(ingress, workloads=None, vnet=None, aks=None, path='phonebill_ingress'):
    """Every problem of the gateway's path into the cluster, as 'path: message' strings."""
    if not isinstance(ingress, dict):
        return ['%s: a mapping (ingress.yml) with private_ip, port, health_path, subnet, gateway_subnet, service_name, '
                'router and routes, not %s' % (path, described(ingress))]
    found = _address_problems(ingress, vnet, aks, path)
    found += port_problems(path + '.port', ingress.get('port'))
    health = ingress.get('health_path')
    if not isinstance(health, string_types) or not health.startswith('/') or health.startswith(GATEWAY_PATH):
        found.append('%s.health_path: %r; an HTTP path starting with / outside %s (the router answers it, the gateway '
                     'probes it)' % (path, health, GATEWAY_PATH))
    if _subnet(vnet, ingress.get('gateway_subnet')) is None:
        found.append('%s.gateway_subnet: %r is not a subnet of phonebill_vnet (network.yml); name the Application '
                     'Gateway\'s subnet, the only source the router admits' % (path, ingress.get('gateway_subnet')))
    if not isinstance(ingress.get('service_name'), string_types) or not DNS_LABEL.match(ingress['service_name']):
        found.append('%s.service_name: %r is not a DNS label' % (path, ingress.get('service_name')))
    found += _router_problems(ingress.get('router'), path + '.router')
    services = set(s.get('name') for s in items_of((workloads or {}).get('services')) if isinstance(s, dict))
    found += _route_problems(ingress.get('routes'), services, health, path + '.routes')
    return found


def gateway_backend_problems(ingress, addresses, port, probe_path, path):
    """What the gateway's backend pool, HTTP settings and probe (path: where they are stated) must share with phonebill_ingress."""
    if not isinstance(ingress, dict):
        return []
    found = []
    if list(addresses or []) != [ingress.get('private_ip')]:
        found.append('%s.addresses: %r; the backend pool holds only the internal load balancer address '
                     'phonebill_ingress.private_ip (%s)' % (path, addresses, ingress.get('private_ip')))
    if port != ingress.get('port'):
        found.append('%s.port: %r differs from the Service port phonebill_ingress.port (%r), so every request would '
                     'fail; use {{ phonebill_ingress.port }}' % (path, port, ingress.get('port')))
    if probe_path != ingress.get('health_path'):
        found.append('%s.probe_path: %r differs from phonebill_ingress.health_path (%r), the path the router answers; '
                     'use {{ phonebill_ingress.health_path }}' % (path, probe_path, ingress.get('health_path')))
    return found
