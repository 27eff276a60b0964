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

from ansible_collections.phonebill.platform.plugins.module_utils import aks as aks_rules
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problem, name_problems

ZONES = ('1', '2', '3')
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
    """Whether the nodes (autoscaler maximum plus one surge node per pool) and their pods fit the subnet."""
    subnet = subnets.get(aks.get('subnet', 'snet-application'))
    pools = aks.get('pools')
    network_cfg = aks.get('network')
    if not isinstance(network_cfg, dict):
        return
    max_pods = network_cfg.get('max_pods', 30)
    sizes = [p.get('max_count') or p.get('count') or 0 for p in pools] if isinstance(pools, list) and all(
        isinstance(p, dict) for p in pools) else None
    whole = sizes is not None and all(isinstance(n, int) and not isinstance(n, bool) for n in sizes + [max_pods])
    if subnet is None or not whole:
        return  # a value of the wrong type is reported by the checks of that value
    usable = subnet.num_addresses - AZURE_RESERVED_ADDRESSES
    nodes = sum(sizes)
    # rolling upgrades add max-surge nodes on top of the autoscaler maximum; count one per pool at least
    surge = len(pools)
    per_node = 1 if network_cfg.get('plugin_mode') == 'overlay' else max_pods + 1
    needed = (nodes + surge) * per_node
    if needed > usable:
        mode = 'Azure CNI Overlay' if per_node == 1 else 'classic Azure CNI (max_pods + 1 addresses per node)'
        problems.add('phonebill_aks.network', '%d nodes (autoscaler maximum %d plus %d surge) need %d addresses '
                     'with %s but the subnet %s has %d usable; use plugin_mode: overlay or a larger subnet'
                     % (nodes + surge, nodes, surge, needed, mode, subnet, usable))


def _vnet_overlap_problems(network_cfg, spaces):
    """The pod and service ranges must stay outside the VNet (only the plan knows both)."""
    found = []
    for key in ('pod_cidr', 'service_cidr'):
        try:
            block = ipaddress.ip_network(network_cfg.get(key), strict=True)
        except (TypeError, ValueError):
            continue  # not stated, or not a CIDR: reported by aks.network_problems
        for space in spaces or []:
            if block.version == space.version and block.overlaps(space):
                found.append('phonebill_aks.network.%s: %s overlaps the VNet %s; choose a private range outside it '
                             '(e.g. 172.16.0.0/16 for services, 192.168.0.0/16 for pods)' % (key, block, space))
    return found


def _check_aks(plan, spaces, subnets, problems):
    """The AKS variables with the modules' own checks (aks.py), plus what only the whole plan shows."""
    window = plan.get('phonebill_maintenance_window')
    if window is not None:
        problems.items.extend(aks_rules.window_problems('phonebill_maintenance_window', window))
    aks = plan.get('phonebill_aks')
    if not aks:
        return
    if not isinstance(aks, dict):
        problems.add('phonebill_aks', 'must be a mapping of the cluster settings (aks.yml), not a %s' % type(aks).__name__)
        return
    secrets = aks.get('key_vault_secrets_provider')
    if secrets is not None and not isinstance(secrets, dict):
        problems.add('phonebill_aks.key_vault_secrets_provider', 'must be a mapping (secret_rotation, rotation_poll_interval)')
        secrets = None
    network_cfg = aks.get('network')
    problems.items.extend(
        name_problems('phonebill_aks.name', aks.get('name'), 'aks_cluster', 'cluster name')
        + name_problems('phonebill_aks.dns_prefix', aks.get('dns_prefix'), 'dns_prefix', 'DNS prefix')
        + aks_rules.version_problems('phonebill_aks.kubernetes_version', aks.get('kubernetes_version'))
        + aks_rules.identity_problems('phonebill_aks.identity', aks.get('identity'))
        + aks_rules.aad_problems('phonebill_aks.aad', aks.get('aad'))
        + aks_rules.network_problems('phonebill_aks.network', network_cfg)
        + _vnet_overlap_problems(network_cfg if isinstance(network_cfg, dict) else {}, spaces)
        + aks_rules.rotation_interval_problems('phonebill_aks.key_vault_secrets_provider.rotation_poll_interval',
                                               (secrets or {}).get('rotation_poll_interval'))
        + aks_rules.pools_problems('phonebill_aks.pools', aks.get('pools'))
        + aks_rules.system_pool_problems('phonebill_aks.pools', aks.get('pools')))
    _aks_node_capacity(aks, subnets, problems)


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
