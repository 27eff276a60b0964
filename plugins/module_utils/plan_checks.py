# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the whole inventory plan that need no call to Azure.

Azure refuses many bad plans only minutes into a deployment, half-built
(an overlapping service CIDR, a node pool whose nodes do not fit the subnet,
a maintenance window shorter than Azure allows). These checks find them all
at once, before anything is written. Each problem names the inventory
variable, what is wrong, and the fix. The same small validators serve the
modules that take one of these values.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.phonebill.platform.plugins.module_utils.aks import max_surge_problem, taint_problem
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problem

ZONES = ('1', '2', '3')
DAYS = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')
# Azure reserves five addresses in every subnet.
AZURE_RESERVED_ADDRESSES = 5


class Problems:
    """Collects every problem of a plan, each prefixed with its variable path."""

    def __init__(self):
        self.items = []

    def add(self, path, message):
        self.items.append('%s: %s' % (path, message))

    def __bool__(self):
        return bool(self.items)


def check_name(problems, path, kind, value):
    problem = name_problem(value, kind)
    if problem:
        problems.add(path, problem)


def network(path, value, problems):
    """An IP network from a CIDR string, or None after recording why not."""
    try:
        return ipaddress.ip_network(str(value), strict=True)
    except ValueError as exc:
        problems.add(path, '%r is not a CIDR block (%s); write it as network/prefix, e.g. 10.0.1.0/24' % (value, exc))
        return None


def check_zones(problems, path, zones):
    bad = [z for z in zones or [] if str(z) not in ZONES]
    if bad:
        problems.add(path, 'unknown zone(s) %s; Korea Central has zones "1", "2", "3"' % ', '.join(map(str, bad)))


def window_problems(window):
    """(field, message) pairs for a maintenance window {day, start, duration_hours, utc_offset}."""
    found = []
    if window.get('day') not in DAYS:
        found.append(('day', '%r is not a day; use one of %s' % (window.get('day'), ', '.join(DAYS))))
    if not re.match(r'^([01]\d|2[0-3]):[0-5]\d$', str(window.get('start'))):
        found.append(('start', '%r is not HH:MM (24-hour), e.g. "02:00"' % (window.get('start'),)))
    duration = window.get('duration_hours')
    if not isinstance(duration, int) or not 4 <= duration <= 24:
        found.append(('duration_hours', '%r: Azure managed upgrade schedules need 4 to 24 hours' % (duration,)))
    if not re.match(r'^[+-](0\d|1[0-4]):[0-5]\d$', str(window.get('utc_offset'))):
        found.append(('utc_offset', '%r is not +HH:MM or -HH:MM (KST is "+09:00")' % (window.get('utc_offset'),)))
    return found


def _check_vnet(plan, problems):
    vnet = plan.get('phonebill_vnet')
    if not vnet:
        return None, {}
    check_name(problems, 'phonebill_vnet.name', 'virtual_network', vnet.get('name'))
    spaces = [n for n in (network('phonebill_vnet.address_prefixes[%d]' % i, p, problems)
                          for i, p in enumerate(vnet.get('address_prefixes') or [])) if n]
    if not vnet.get('address_prefixes'):
        problems.add('phonebill_vnet.address_prefixes', 'at least one address space is needed, e.g. ["10.0.0.0/16"]')
    subnets = {}
    nsg_names = set(n.get('name') for n in plan.get('phonebill_network_security_groups') or [])
    for subnet in vnet.get('subnets') or []:
        name = subnet.get('name')
        where = 'phonebill_vnet.subnets[%s]' % name
        check_name(problems, where + '.name', 'subnet', name)
        if name in subnets:
            problems.add(where, 'subnet %s is stated twice; give each subnet one entry' % name)
        block = network(where + '.address_prefix', subnet.get('address_prefix'), problems)
        if block is None:
            continue
        if spaces and not any(block.version == s.version and block.subnet_of(s) for s in spaces):
            problems.add(where + '.address_prefix', '%s is outside the VNet address space %s; pick a range inside it'
                         % (block, ', '.join(map(str, spaces))))
        for other, other_block in subnets.items():
            if other_block is not None and block.overlaps(other_block):
                problems.add(where + '.address_prefix', '%s overlaps subnet %s (%s); give each subnet its own range'
                             % (block, other, other_block))
        subnets[name] = block
        nsg = subnet.get('network_security_group')
        if nsg and '/' not in nsg and nsg not in nsg_names:
            problems.add(where + '.network_security_group', '%s is not in phonebill_network_security_groups; '
                         'add it there or name an existing NSG by resource id' % nsg)
    return spaces, subnets


def _check_nsgs(plan, problems):
    for nsg in plan.get('phonebill_network_security_groups') or []:
        where = 'phonebill_network_security_groups[%s]' % nsg.get('name')
        check_name(problems, where + '.name', 'network_security_group', nsg.get('name'))
        seen = {}
        for rule in nsg.get('rules') or []:
            rule_path = '%s.rules[%s]' % (where, rule.get('name'))
            priority = rule.get('priority')
            if not isinstance(priority, int) or not 100 <= priority <= 4096:
                problems.add(rule_path + '.priority', '%r: NSG rule priorities are 100-4096' % (priority,))
            key = (str(rule.get('direction')).lower(), priority)
            if key in seen:
                problems.add(rule_path + '.priority', 'priority %s is also used by %s (%s); priorities are unique '
                             'per direction' % (priority, seen[key], rule.get('direction')))
            seen[key] = rule.get('name')
            for port in rule.get('destination_port_ranges') or []:
                if not re.match(r'^(\*|\d{1,5}(-\d{1,5})?)$', str(port)):
                    problems.add(rule_path + '.destination_port_ranges', '%r is not a port, a range a-b, or *' % port)


def _aks_node_capacity(aks, subnets, problems):
    subnet = subnets.get(aks.get('subnet', 'snet-application'))
    if subnet is None:
        return
    usable = subnet.num_addresses - AZURE_RESERVED_ADDRESSES
    pools = aks.get('pools') or []
    nodes = sum(int(p.get('max_count') or p.get('count') or 0) for p in pools)
    # rolling upgrades add max-surge nodes on top of the autoscaler maximum; count one per pool at least
    surge = len(pools)
    network_cfg = aks.get('network') or {}
    per_node = 1 if network_cfg.get('plugin_mode') == 'overlay' else int(network_cfg.get('max_pods', 30)) + 1
    needed = (nodes + surge) * per_node
    if needed > usable:
        mode = 'Azure CNI Overlay' if per_node == 1 else 'classic Azure CNI (max_pods + 1 addresses per node)'
        problems.add('phonebill_aks.network', '%d nodes (autoscaler maximum %d plus %d surge) need %d addresses '
                     'with %s but the subnet %s has %d usable; use plugin_mode: overlay or a larger subnet'
                     % (nodes + surge, nodes, surge, needed, mode, subnet, usable))


def _check_aks(plan, spaces, subnets, problems):
    aks = plan.get('phonebill_aks')
    if not aks:
        return
    check_name(problems, 'phonebill_aks.name', 'aks_cluster', aks.get('name'))
    check_name(problems, 'phonebill_aks.dns_prefix', 'dns_prefix', aks.get('dns_prefix'))
    version = aks.get('kubernetes_version')
    if not isinstance(version, str) or not re.match(r'^\d+\.\d+(\.\d+)?$', version):
        # an unquoted 1.30 in YAML is the number 1.3
        problems.add('phonebill_aks.kubernetes_version', '%r is not a quoted MAJOR.MINOR or MAJOR.MINOR.PATCH string; '
                     'write it as "1.33"' % (version,))
    net = aks.get('network') or {}
    blocks = {}
    for key in ('pod_cidr', 'service_cidr'):
        if net.get(key):
            blocks[key] = network('phonebill_aks.network.' + key, net[key], problems)
    for key, block in blocks.items():
        if block is None:
            continue
        for space in spaces or []:
            if block.overlaps(space):
                problems.add('phonebill_aks.network.' + key, '%s overlaps the VNet %s; choose a private range outside '
                             'it (e.g. 172.16.0.0/16 for services, 192.168.0.0/16 for pods)' % (block, space))
    if blocks.get('pod_cidr') and blocks.get('service_cidr') and blocks['pod_cidr'].overlaps(blocks['service_cidr']):
        problems.add('phonebill_aks.network.service_cidr', 'overlaps pod_cidr %s; they must be disjoint' % blocks['pod_cidr'])
    dns_ip = net.get('dns_service_ip')
    if dns_ip and blocks.get('service_cidr'):
        try:
            address = ipaddress.ip_address(dns_ip)
            if address not in blocks['service_cidr'] or address == blocks['service_cidr'].network_address + 1:
                problems.add('phonebill_aks.network.dns_service_ip', '%s must be inside service_cidr %s and not its '
                             'first address (e.g. %s)' % (dns_ip, blocks['service_cidr'],
                                                          blocks['service_cidr'].network_address + 10))
        except ValueError:
            problems.add('phonebill_aks.network.dns_service_ip', '%r is not an IP address' % dns_ip)
    if not 10 <= int(net.get('max_pods', 30)) <= 250:
        problems.add('phonebill_aks.network.max_pods', '%r: AKS allows 10-250 pods per node' % net.get('max_pods'))
    pools = aks.get('pools') or []
    if not any(p.get('mode') == 'System' for p in pools):
        problems.add('phonebill_aks.pools', 'no pool has mode: System; AKS needs one for its system pods')
    for pool in pools:
        _check_pool(problems, 'phonebill_aks.pools[%s]' % pool.get('name'), pool)
    _aks_node_capacity(aks, subnets, problems)


def _check_pool(problems, where, pool):
    check_name(problems, where + '.name', 'agent_pool', pool.get('name'))
    if pool.get('mode') not in ('System', 'User'):
        problems.add(where + '.mode', '%r: use System or User' % (pool.get('mode'),))
    if not re.match(r'^Standard_[A-Za-z0-9_]+$', str(pool.get('vm_size'))):
        problems.add(where + '.vm_size', '%r is not an Azure VM size (e.g. Standard_D4s_v3)' % (pool.get('vm_size'),))
    counts = dict((k, pool.get(k)) for k in ('min_count', 'count', 'max_count'))
    if any(not isinstance(v, int) for v in counts.values() if v is not None):
        problems.add(where, 'min_count, count and max_count are whole numbers')
    elif None not in counts.values() and not 0 <= counts['min_count'] <= counts['count'] <= counts['max_count']:
        problems.add(where, 'min_count %(min_count)s <= count %(count)s <= max_count %(max_count)s does not hold; '
                     'raise max_count or lower min_count' % counts)
    elif pool.get('mode') == 'System' and (counts['min_count'] or 0) < 1:
        problems.add(where + '.min_count', 'a System pool keeps at least 1 node')
    check_zones(problems, where + '.zones', pool.get('zones'))
    for taint in pool.get('taints') or []:
        problem = taint_problem(taint)
        if problem:
            problems.add(where + '.taints', problem)
    if pool.get('max_surge') is not None and max_surge_problem(pool.get('max_surge')):
        problems.add(where + '.max_surge', max_surge_problem(pool.get('max_surge')))


def _check_rest(plan, problems):
    for i, group in enumerate(plan.get('phonebill_resource_groups') or []):
        check_name(problems, 'phonebill_resource_groups[%d].name' % i, 'resource_group', group.get('name'))
    check_zones(problems, 'phonebill_zones', plan.get('phonebill_zones'))
    for key, value in (plan.get('phonebill_tags') or {}).items():
        if not isinstance(value, str):
            problems.add('phonebill_tags.%s' % key, 'tag values are strings; quote %r' % (value,))
    for ip in plan.get('phonebill_public_ips') or []:
        check_name(problems, 'phonebill_public_ips[%s].name' % ip.get('name'), 'public_ip', ip.get('name'))
        check_zones(problems, 'phonebill_public_ips[%s].zones' % ip.get('name'), ip.get('zones'))
    window = plan.get('phonebill_maintenance_window')
    if window is not None:
        for field, message in window_problems(window):
            problems.add('phonebill_maintenance_window.' + field, message)
    registry = plan.get('phonebill_registry')
    if registry:
        check_name(problems, 'phonebill_registry.name', 'container_registry', registry.get('name'))
        if registry.get('replications') and registry.get('sku') != 'Premium':
            problems.add('phonebill_registry.sku', 'geo-replication needs the Premium SKU, not %r' % registry.get('sku'))
        for replica in registry.get('replications') or []:
            if str(replica.get('location')).replace(' ', '').lower() == str(plan.get('phonebill_location')).lower():
                problems.add('phonebill_registry.replications', '%s is the registry\'s home region; replicate to '
                             'another region' % replica.get('location'))
    workspace = plan.get('phonebill_log_analytics')
    if workspace:
        check_name(problems, 'phonebill_log_analytics.name', 'log_analytics_workspace', workspace.get('name'))
        if not 30 <= int(workspace.get('retention_days', 30)) <= 730:
            problems.add('phonebill_log_analytics.retention_days', '%r: retention is 30-730 days'
                         % workspace.get('retention_days'))
    if plan.get('phonebill_services_identity') is not None:
        check_name(problems, 'phonebill_services_identity', 'user_assigned_identity', plan['phonebill_services_identity'])


def check_plan(plan):
    """Every problem of the plan (a dict of inventory variables), as 'variable: message' lines."""
    problems = Problems()
    spaces, subnets = _check_vnet(plan, problems)
    _check_nsgs(plan, problems)
    _check_aks(plan, spaces, subnets, problems)
    _check_rest(plan, problems)
    return problems.items
