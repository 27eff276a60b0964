# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the whole inventory plan that need no call to Azure.

Azure refuses many bad plans only minutes into a deployment, half-built
(an overlapping service CIDR, a node pool whose nodes do not fit the subnet,
a maintenance window shorter than Azure allows). These checks find them all
at once, before anything is written. Each problem names the inventory
variable by its full path, what is wrong, and the fix. They are the checks
the modules make themselves (network_common, validation, k8s_workload_plan),
called with the inventory path as prefix, so a rule lives once; a value of
the wrong type is one problem, never a Python error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.phonebill.platform.plugins.module_utils.aks import max_surge_problem, taint_problem
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload_plan import workload_plan_problems
from ansible_collections.phonebill.platform.plugins.module_utils.network_common import (
    address_space, cidr, dns_zone_name_problems, public_ip_problems, security_group_problems, virtual_network_problems)
from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    described, item_label, items_of, list_problems, mapping_problems, name_problem, name_problems, tag_problems,
    workspace_problems, zone_problems)

DAYS = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')
# Azure reserves five addresses in every subnet.
AZURE_RESERVED_ADDRESSES = 5


# ---- adapters the AKS checks below use until they move to aks.py (issue 8), built on the shared checks ----
class Problems:
    """Collects the problems of the AKS checks, each prefixed with its variable path."""

    def __init__(self):
        self.items = []

    def add(self, path, message):
        self.items.append('%s: %s' % (path, message))


def check_name(problems, path, kind, value):
    problem = name_problem(value, kind)
    if problem:
        problems.add(path, problem)


def network(path, value, problems):
    """An IP network from a CIDR string, or None after recording why not."""
    net, found = cidr(path, value)
    problems.items.extend(found)
    return net


def check_zones(problems, path, zones):
    problems.items.extend(zone_problems(path, zones))


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


def _entries(variable, value, what):
    """(path, item) of each mapping of an inventory list, and the problems of what is not one."""
    found, entries = list_problems(variable, value, what), []
    for position, item in enumerate(items_of(value)):
        where = '%s[%s]' % (variable, item_label(item, position))
        if not isinstance(item, dict):
            found.append('%s must be a mapping (%s), not %s' % (where, what, described(item)))
            continue
        if item.get('name') is None:
            found.append('%s.name: required; name every entry' % where)
        entries.append((where, item))
    return entries, found


def _mapping(variable, value, what):
    """value when it is a mapping, else {} (with the problem when it is something else)."""
    return (value, []) if isinstance(value, dict) else ({}, mapping_problems(variable, value, what))


def _vnet_problems(plan):
    vnet, found = _mapping('phonebill_vnet', plan.get('phonebill_vnet'), 'virtual network settings (name, '
                           'address_prefixes, subnets)')
    if not vnet:
        return found
    found += virtual_network_problems(vnet, 'phonebill_vnet.')
    if not vnet.get('address_prefixes'):
        found.append('phonebill_vnet.address_prefixes: at least one address space is needed, e.g. ["10.0.0.0/16"]')
    nsgs = plan.get('phonebill_network_security_groups')
    if not isinstance(nsgs, list):
        return found  # the NSG list itself is wrong (reported there): nothing to look names up in
    nsgs = [nsg.get('name') for nsg in nsgs if isinstance(nsg, dict)]
    for position, subnet in enumerate(items_of(vnet.get('subnets'))):
        nsg = subnet.get('network_security_group') if isinstance(subnet, dict) else None
        if isinstance(nsg, str) and '/' not in nsg and nsg not in nsgs:
            found.append('phonebill_vnet.subnets[%s].network_security_group: %s is not in '
                         'phonebill_network_security_groups; add it there or name an existing NSG by resource id'
                         % (item_label(subnet, position), nsg))
    return found


def _vnet_networks(plan):
    """The valid address space and subnet ranges of phonebill_vnet, which the AKS checks compare with."""
    vnet = plan.get('phonebill_vnet')
    if not isinstance(vnet, dict):
        return [], {}
    space = address_space('phonebill_vnet.address_prefixes', vnet.get('address_prefixes'))[0]
    subnets = {}
    for subnet in items_of(vnet.get('subnets')):
        block = cidr('', subnet.get('address_prefix'))[0] if isinstance(subnet, dict) else None
        if block is not None:
            subnets.setdefault(subnet.get('name'), block)
    return space, subnets


def _nsg_problems(plan):
    entries, found = _entries('phonebill_network_security_groups', plan.get('phonebill_network_security_groups'),
                              'network security groups, each with name and rules')
    for where, nsg in entries:
        found += security_group_problems(nsg, where + '.')
    return found


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


def _foundation_problems(plan):
    found = []
    location = plan.get('phonebill_location')
    if location is not None and not isinstance(location, str):
        found.append('phonebill_location: %r is not a region name; write it as a string, e.g. koreacentral' % (location,))
    found += zone_problems('phonebill_zones', plan.get('phonebill_zones'))
    found += name_problems('phonebill_resource_group', plan.get('phonebill_resource_group'), 'resource_group')
    groups, problems = _entries('phonebill_resource_groups', plan.get('phonebill_resource_groups'),
                                'resource groups, each with name and location')
    found += problems
    for where, group in groups:
        found += name_problems(where + '.name', group.get('name'), 'resource_group')
        found += tag_problems(where + '.tags', group.get('tags'))
        if not isinstance(group.get('location'), str):
            found.append('%s.location: %r is not a region name; state the region, e.g. koreacentral'
                         % (where, group.get('location')))
    found += tag_problems('phonebill_tags', plan.get('phonebill_tags'))
    found += name_problems('phonebill_services_identity', plan.get('phonebill_services_identity'),
                           'user_assigned_identity')
    return found


def _edge_problems(plan):
    ips, found = _entries('phonebill_public_ips', plan.get('phonebill_public_ips'), 'public IPs, each with a name')
    for where, ip in ips:
        found += public_ip_problems(ip, where + '.')
    zones = plan.get('phonebill_private_dns_zones')
    found += list_problems('phonebill_private_dns_zones', zones, 'private DNS zone names')
    for zone in items_of(zones):
        found += dns_zone_name_problems('phonebill_private_dns_zones', zone)
    return found


def _workspace_problems(plan):
    workspace, found = _mapping('phonebill_log_analytics', plan.get('phonebill_log_analytics'),
                                'workspace settings (name, retention_days, daily_quota_gb)')
    return found + (workspace_problems(workspace, 'phonebill_log_analytics.') if workspace else [])


def _workloads_problems(plan):
    if plan.get('phonebill_workloads') is None:
        return []
    subjects = plan.get('phonebill_workload_identity_subjects')
    found = list_problems('phonebill_workload_identity_subjects', subjects, 'service account names')
    vnet = plan.get('phonebill_vnet')
    return found + workload_plan_problems(plan['phonebill_workloads'], vnet if isinstance(vnet, dict) else None,
                                          items_of(subjects))


def _check_rest(plan, problems):
    window = plan.get('phonebill_maintenance_window')
    if window is not None:
        problems.items.extend(mapping_problems('phonebill_maintenance_window', window, 'day, start, duration_hours, '
                                               'utc_offset'))
        for field, message in window_problems(window) if isinstance(window, dict) else []:
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


def check_plan(plan):
    """Every problem of the plan (a dict of inventory variables), as 'variable: message' lines."""
    found = (_foundation_problems(plan) + _vnet_problems(plan) + _nsg_problems(plan) + _edge_problems(plan)
             + _workspace_problems(plan) + _workloads_problems(plan))
    problems = Problems()
    spaces, subnets = _vnet_networks(plan)
    _check_aks(plan, spaces, subnets, problems)
    _check_rest(plan, problems)
    return found + problems.items
