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

from ansible_collections.phonebill.platform.plugins.module_utils import aks as aks_rules, keyvault_checks, redis_checks
from ansible_collections.phonebill.platform.plugins.module_utils.app_settings import app_settings_problems
from ansible_collections.phonebill.platform.plugins.module_utils.custom_metrics import custom_metrics_problems
from ansible_collections.phonebill.platform.plugins.module_utils.ingress_plan import ingress_problems
from ansible_collections.phonebill.platform.plugins.module_utils import gateway_checks
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload_plan import workload_plan_problems
from ansible_collections.phonebill.platform.plugins.module_utils.network_common import (
    address_space, cidr, dns_zone_name_problems, public_ip_problems, security_group_problems, virtual_network_problems)
from ansible_collections.phonebill.platform.plugins.module_utils import monitor_checks, postgresql_checks
from ansible_collections.phonebill.platform.plugins.module_utils.front_door import front_door_problems
from ansible_collections.phonebill.platform.plugins.module_utils import prometheus
from ansible_collections.phonebill.platform.plugins.module_utils.registry_checks import registry_problems
from ansible_collections.phonebill.platform.plugins.module_utils.delivery_checks import delivery_problems
from ansible_collections.phonebill.platform.plugins.module_utils.entra_application import application_problems
from ansible_collections.phonebill.platform.plugins.module_utils.business_metrics import business_metrics_problems
from ansible_collections.phonebill.platform.plugins.module_utils.workbooks import workbook_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    choice_problems, described, item_label, items_of, list_problems, mapping_problems, name_problems, tag_problems,
    workspace_problems, zone_problems)

# Azure reserves five addresses in every subnet.
AZURE_RESERVED_ADDRESSES = 5
# SPEC section 8: generated secrets are credentials; 128 bits is what a key of the services' HMAC/AES strength holds.
SECRET_STRENGTH_BITS = 128
# SPEC section 8: certificates are renewed every 365 days.
CERTIFICATE_RENEWAL_MONTHS = 12


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


def _aks_node_capacity(aks, subnets):
    """Whether the nodes (autoscaler maximum plus one surge node per pool) and their pods fit the subnet."""
    subnet = subnets.get(aks.get('subnet', 'snet-application'))
    pools = aks.get('pools')
    network_cfg = aks.get('network')
    if not isinstance(network_cfg, dict):
        return []
    max_pods = network_cfg.get('max_pods', 30)
    sizes = [p.get('max_count') or p.get('count') or 0 for p in pools] if isinstance(pools, list) and all(
        isinstance(p, dict) for p in pools) else None
    whole = sizes is not None and all(isinstance(n, int) and not isinstance(n, bool) for n in sizes + [max_pods])
    if subnet is None or not whole:
        return []  # a value of the wrong type is reported by the checks of that value
    usable = subnet.num_addresses - AZURE_RESERVED_ADDRESSES
    nodes = sum(sizes)
    # rolling upgrades add max-surge nodes on top of the autoscaler maximum; count one per pool at least
    surge = len(pools)
    per_node = 1 if network_cfg.get('plugin_mode') == 'overlay' else max_pods + 1
    needed = (nodes + surge) * per_node
    if needed <= usable:
        return []
    mode = 'Azure CNI Overlay' if per_node == 1 else 'classic Azure CNI (max_pods + 1 addresses per node)'
    return ['phonebill_aks.network: %d nodes (autoscaler maximum %d plus %d surge) need %d addresses '
            'with %s but the subnet %s has %d usable; use plugin_mode: overlay or a larger subnet'
            % (nodes + surge, nodes, surge, needed, mode, subnet, usable)]


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


def _aks_problems(plan, spaces, subnets):
    """The AKS variables with the modules' own checks (aks.py), plus what only the whole plan shows."""
    found = []
    window = plan.get('phonebill_maintenance_window')
    if window is not None:
        found += aks_rules.window_problems('phonebill_maintenance_window', window)
    aks = plan.get('phonebill_aks')
    if not aks:
        return found
    if not isinstance(aks, dict):
        return found + mapping_problems('phonebill_aks', aks, 'the cluster settings (aks.yml)')
    secrets, secret_problems = _mapping('phonebill_aks.key_vault_secrets_provider',
                                        aks.get('key_vault_secrets_provider', {}),
                                        'secret_rotation, rotation_poll_interval')
    network_cfg = aks.get('network')
    return (found + secret_problems
            + name_problems('phonebill_aks.name', aks.get('name'), 'aks_cluster', 'cluster name')
            + name_problems('phonebill_aks.dns_prefix', aks.get('dns_prefix'), 'dns_prefix', 'DNS prefix')
            + aks_rules.version_problems('phonebill_aks.kubernetes_version', aks.get('kubernetes_version'))
            + aks_rules.identity_problems('phonebill_aks.identity', aks.get('identity'))
            + aks_rules.aad_problems('phonebill_aks.aad', aks.get('aad'))
            + aks_rules.network_problems('phonebill_aks.network', network_cfg)
            + _vnet_overlap_problems(network_cfg if isinstance(network_cfg, dict) else {}, spaces)
            + aks_rules.rotation_interval_problems('phonebill_aks.key_vault_secrets_provider.rotation_poll_interval',
                                                   secrets.get('rotation_poll_interval'))
            + aks_rules.pools_problems('phonebill_aks.pools', aks.get('pools'))
            + aks_rules.system_pool_problems('phonebill_aks.pools', aks.get('pools'))
            + _aks_node_capacity(aks, subnets))


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
    found += name_problems('phonebill_gateway_identity', plan.get('phonebill_gateway_identity'), 'user_assigned_identity')
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
    workloads = plan['phonebill_workloads']
    services = workloads.get('services') if isinstance(workloads, dict) else None
    return (found + workload_plan_problems(workloads, vnet if isinstance(vnet, dict) else None, items_of(subjects))
            + app_settings_problems(plan.get('phonebill_app_settings'), services))


def _registry_problems(plan):
    """The registry module's own checks, with the inventory's names."""
    registry, found = _mapping('phonebill_registry', plan.get('phonebill_registry'),
                               'registry settings (name, sku, replications)')
    if not registry:
        return found
    params = dict((option, registry.get(option)) for option in (
        'name', 'tags', 'sku', 'replications', 'zone_redundancy', 'public_network_access', 'purge_replications'))
    params.update(resource_group=None, location=plan.get('phonebill_location'))
    return found + registry_problems(params, 'phonebill_registry.')


def _private_endpoint_problems(where, endpoint, plan):
    """A private endpoint in a subnet of phonebill_vnet that takes endpoints, its zone one of the linked zones."""
    if endpoint is None:
        return ['%s: required; state name, subnet and private_dns_zone' % where]
    endpoint, found = _mapping(where, endpoint, 'private endpoint settings (name, subnet, private_dns_zone)')
    if not endpoint:
        return found
    found += name_problems(where + '.name', endpoint.get('name'), 'network', 'private endpoint name')
    vnet = plan.get('phonebill_vnet')
    subnets = dict((s.get('name'), s) for s in items_of(vnet.get('subnets') if isinstance(vnet, dict) else None)
                   if isinstance(s, dict))
    subnet = endpoint.get('subnet')
    if subnets and subnet not in subnets:
        found.append('%s.subnet: %r is not a subnet of phonebill_vnet; name one of %s'
                     % (where, subnet, ', '.join(str(name) for name in subnets)))
    elif subnet in subnets and subnets[subnet].get('delegations'):
        found.append('%s.subnet: %s is delegated to %s and Azure puts no private endpoint in a delegated subnet; '
                     'choose another subnet' % (where, subnet, ', '.join(map(str, items_of(subnets[subnet]['delegations'])))))
    zones = plan.get('phonebill_private_dns_zones')
    if isinstance(zones, list) and endpoint.get('private_dns_zone') not in zones:
        found.append('%s.private_dns_zone: %r is not in phonebill_private_dns_zones (network.yml), so no zone would '
                     'be linked to the VNet; add it there or name one of them' % (where, endpoint.get('private_dns_zone')))
    return found


def _keyvault_secret_problems(vault):
    entries, found = _entries('phonebill_key_vault.secrets', vault.get('secrets'),
                              'secrets, each with name and generate')
    for where, secret in entries:
        found += name_problems(where + '.name', secret.get('name'), 'key_vault_object', 'secret name')
        if secret.get('generate') is None:
            found.append('%s.generate: required; every secret is generated once by a policy, e.g. {length: 64}' % where)
        found += keyvault_checks.generate_problems(where + '.generate', secret.get('generate'))
        found += keyvault_checks.strength_problems(where + '.generate', secret.get('generate'), SECRET_STRENGTH_BITS)
        found += keyvault_checks.expires_after_problems(where + '.expires_after_days', secret.get('expires_after_days'))
        found += tag_problems(where + '.tags', secret.get('tags'))
    return entries, found


def _keyvault_certificate_problems(vault):
    entries, found = _entries('phonebill_key_vault.certificates', vault.get('certificates'),
                              'certificates, each with name and policy')
    for where, certificate in entries:
        found += name_problems(where + '.name', certificate.get('name'), 'key_vault_object', 'certificate name')
        policy = certificate.get('policy')
        if policy is None:
            found.append('%s.policy: required; state how Key Vault issues it (issuer, subject, validity_months)' % where)
        found += keyvault_checks.certificate_policy_problems(where + '.policy', policy)
        if isinstance(policy, dict):
            found += keyvault_checks.validity_problems(where + '.policy.validity_months', policy.get('validity_months'),
                                                       CERTIFICATE_RENEWAL_MONTHS)
        found += tag_problems(where + '.tags', certificate.get('tags'))
    return entries, found


def _keyvault_access_problems(vault, objects):
    assignments = vault.get('role_assignments')
    found = list_problems('phonebill_key_vault.role_assignments', assignments, 'role assignments, each with identity and role')
    for position, assignment in enumerate(items_of(assignments)):
        where = 'phonebill_key_vault.role_assignments[%d]' % position
        if not isinstance(assignment, dict):
            found.append('%s must be a mapping (identity, role, secret?), not %s' % (where, described(assignment)))
            continue
        for option in ('identity', 'role'):
            if not assignment.get(option):
                found.append('%s.%s: required; name the %s' % (where, option, option))
        found += name_problems(where + '.identity', assignment.get('identity') or None, 'user_assigned_identity')
        secret = assignment.get('secret')
        if secret is not None and (not isinstance(secret, str) or secret.lower() not in objects):
            found.append('%s.secret: %r is not a secret nor a certificate of phonebill_key_vault; name one of them, or '
                         'leave secret out to grant the role on the vault' % (where, secret))
    return found


def _keyvault_problems(plan):
    """The vault, its secrets, certificates and grants with the modules' own checks, plus the SPEC's policy."""
    vault, found = _mapping('phonebill_key_vault', plan.get('phonebill_key_vault'),
                            'vault settings (name, sku, secrets, certificates, ...)')
    if not vault:
        return found
    found += name_problems('phonebill_key_vault.name', vault.get('name'), 'key_vault')
    found += choice_problems('phonebill_key_vault.sku', vault.get('sku'), ('standard', 'premium'))
    found += keyvault_checks.retention_problems('phonebill_key_vault.soft_delete_retention_days',
                                                vault.get('soft_delete_retention_days'))
    if vault.get('purge_protection') is not True:
        found.append('phonebill_key_vault.purge_protection: %r; SPEC section 8 asks for purge protection, set it to true '
                     '(Azure cannot turn it off afterwards)' % (vault.get('purge_protection'),))
    found += keyvault_checks.network_acls_problems('phonebill_key_vault.network_acls', vault.get('network_acls'))
    found += tag_problems('phonebill_key_vault.tags', vault.get('tags'))
    found += _private_endpoint_problems('phonebill_key_vault.private_endpoint', vault.get('private_endpoint'), plan)
    secrets, problems = _keyvault_secret_problems(vault)
    certificates, more = _keyvault_certificate_problems(vault)
    found += problems + more
    # secrets and certificates share one namespace: a certificate's key and backing secret take its name
    seen = {}
    for where, item in secrets + certificates:
        name = str(item.get('name')).lower()
        if name in seen:
            found.append('%s.name: %s is also %s, and Key Vault names (case-insensitive) are shared by secrets and '
                         'certificates; rename one' % (where, item.get('name'), seen[name]))
        seen.setdefault(name, where)
    return found + _keyvault_access_problems(vault, seen)


def _cache_problems(plan):
    """The cache with redis_cache's own checks (redis_checks), its endpoint, key secret and geo-replication."""
    cache, found = _mapping('phonebill_redis', plan.get('phonebill_redis'), 'cache settings (name, sku, shard_count, ...)')
    if not cache:
        return found
    found += name_problems('phonebill_redis.name', cache.get('name'), 'redis_cache')
    found += tag_problems('phonebill_redis.tags', cache.get('tags'))
    found += zone_problems('phonebill_redis.zones', cache.get('zones'))
    found += redis_checks.cache_problems('phonebill_redis', cache)
    found += _private_endpoint_problems('phonebill_redis.private_endpoint', cache.get('private_endpoint'), plan)
    key, problems = _mapping('phonebill_redis.access_key_secret', cache.get('access_key_secret'), 'name and key')
    found += problems + name_problems('phonebill_redis.access_key_secret.name', key.get('name'), 'key_vault_object',
                                      'secret name')
    found += choice_problems('phonebill_redis.access_key_secret.key', key.get('key'), ('primary', 'secondary'))
    vault = plan.get('phonebill_key_vault')
    generated = [s.get('name') for s in items_of(vault.get('secrets') if isinstance(vault, dict) else None)
                 if isinstance(s, dict)]
    if key.get('name') in generated:
        found.append('phonebill_redis.access_key_secret.name: %s is also a generated secret of phonebill_key_vault.secrets, '
                     'which would not hold the access key; remove it there' % key['name'])
    geo, problems = _mapping('phonebill_redis.geo_replication', cache.get('geo_replication'),
                             'enabled, name, resource_group, location')
    found += problems
    if geo.get('enabled'):
        found += name_problems('phonebill_redis.geo_replication.name', geo.get('name'), 'redis_cache')
        found += name_problems('phonebill_redis.geo_replication.resource_group', geo.get('resource_group'), 'resource_group')
        found += redis_checks.geo_replication_problems('phonebill_redis.redis_configuration', cache.get('redis_configuration'),
                                                       geo.get('name'))
    return found


DATABASE_DELEGATION = 'Microsoft.DBforPostgreSQL/flexibleServers'


def _postgres_problems(plan):
    """The server module's own checks (postgresql_checks) on phonebill_postgresql and its replicas."""
    server, found = _mapping('phonebill_postgresql', plan.get('phonebill_postgresql'),
                             'server settings (name, sku, storage, high_availability, replicas...)')
    if not server:
        return found
    prefix = 'phonebill_postgresql.'
    found += postgresql_checks.server_problems(prefix, server)
    found += postgresql_checks.replicas_problems(prefix, server, server.get('replicas'))
    found += name_problems(prefix + 'administrator_password_secret', server.get('administrator_password_secret'),
                           'key_vault_object', 'secret name')
    network = server.get('network') if isinstance(server.get('network'), dict) else {}
    subnet_name = network.get('subnet')
    vnet = plan.get('phonebill_vnet') if isinstance(plan.get('phonebill_vnet'), dict) else {}
    subnets = [s for s in items_of(vnet.get('subnets')) if isinstance(s, dict)]
    subnet = next((s for s in subnets if s.get('name') == subnet_name), None)
    if subnet_name is not None and subnet is None:
        found.append('%snetwork.subnet: %r is not a subnet of phonebill_vnet; name one of %s'
                     % (prefix, subnet_name, ', '.join(str(s.get('name')) for s in subnets)))
    elif subnet is not None and DATABASE_DELEGATION.lower() not in [str(d).lower() for d in items_of(subnet.get('delegations'))]:
        found.append('%snetwork.subnet: %s is not delegated to %s, which a server with private access needs; add the '
                     'delegation to the subnet in phonebill_vnet' % (prefix, subnet_name, DATABASE_DELEGATION))
    zone = network.get('private_dns_zone')
    if zone is not None and zone not in items_of(plan.get('phonebill_private_dns_zones')):
        found.append('%snetwork.private_dns_zone: %r is not one of phonebill_private_dns_zones; name the zone the network '
                     'layer creates (privatelink.postgres.database.azure.com)' % (prefix, zone))
    return found


def _watched_problems(where, item):
    """The resource an alert or a diagnostic setting watches, named by type and name."""
    found = []
    for key in ('resource_type', 'resource_name'):
        if not isinstance(item.get(key), str) or not item.get(key):
            found.append('%s.%s: required; name the watched resource by its type (Microsoft.X/y) and name' % (where, key))
    if isinstance(item.get('resource_type'), str) and item['resource_type'].count('/') != 1:
        found.append('%s.resource_type: %r is not a resource type; use the form Microsoft.ContainerService/managedClusters'
                     % (where, item['resource_type']))
    return found


def _observability_problems(plan):
    """SPEC §9 with the observability modules' own checks (monitor_checks)."""
    found = []
    component, problems = _mapping('phonebill_app_insights', plan.get('phonebill_app_insights'),
                                   'component settings (name, sampling_percentage, ...)')
    found += problems + monitor_checks.application_insights_problems(component, 'phonebill_app_insights.')
    group, problems = _mapping('phonebill_action_group', plan.get('phonebill_action_group'),
                               'action group settings (name, short_name, email_receivers, teams_receiver)')
    if group:
        # The webhook URL is a secret preflight never sees; its receiver counts as one.
        receivers = dict(group, webhook_receivers=[{'name': group.get('teams_receiver'), 'service_uri': 'https://teams'}]
                         if group.get('teams_receiver') else None)
        found += monitor_checks.action_group_problems(receivers, 'phonebill_action_group.')
    found += problems
    for variable, check in (('phonebill_metric_alerts', monitor_checks.metric_alert_problems),
                            ('phonebill_log_alerts', monitor_checks.scheduled_query_alert_problems)):
        entries, problems = _entries(variable, plan.get(variable), 'alerts (name, severity, window_size, criteria, ...)')
        found += problems
        for where, alert in entries:
            found += check(alert, where + '.') + _watched_problems(where, alert)
    settings = plan.get('phonebill_diagnostic_settings')
    found += list_problems('phonebill_diagnostic_settings', settings,
                           'diagnostic settings (resource_type, resource_name, logs, metrics)')
    for position, setting in enumerate(items_of(settings)):
        where = 'phonebill_diagnostic_settings[%s]' % (setting.get('resource_name') if isinstance(setting, dict)
                                                       and setting.get('resource_name') else position)
        if not isinstance(setting, dict):
            found.append('%s must be a mapping (name, resource_type, resource_name, logs, metrics)' % where)
            continue
        found += monitor_checks.diagnostic_setting_problems(setting, where + '.') + _watched_problems(where, setting)
    entries, problems = _entries('phonebill_saved_searches', plan.get('phonebill_saved_searches'),
                                 'saved searches (name, display_name, category, query)')
    found += problems
    for where, search in entries:
        found += monitor_checks.saved_search_problems(search, where + '.')
        for key in ('display_name', 'category', 'query'):
            if not search.get(key):
                found.append('%s.%s: required; a saved search needs a display name, category and query' % (where, key))
    return found


def _ingress_problems(plan):
    """The gateway's path into the cluster (ingress.yml), with the services, subnets and nodes it depends on."""
    if plan.get('phonebill_ingress') is None:
        return []
    workloads, vnet, aks = (plan.get(name) for name in ('phonebill_workloads', 'phonebill_vnet', 'phonebill_aks'))
    return ingress_problems(plan['phonebill_ingress'], workloads if isinstance(workloads, dict) else None,
                            vnet if isinstance(vnet, dict) else None, aks)


# what the gateway role passes to the modules without a default
GATEWAY_REQUIRED = ('name', 'sku', 'autoscale', 'virtual_network', 'subnet', 'frontend_ip_configurations',
                    'frontend_ports', 'backend_pools', 'http_settings', 'listeners', 'routing_rules')
GATEWAY_POLICY_REQUIRED = ('name', 'managed_rule_sets')


def _gateway_problems(plan, subnets):
    """The gateway and WAF policy modules' own checks (gateway_checks), and how they fit the rest of the plan."""
    gateway, found = _mapping('phonebill_gateway', plan.get('phonebill_gateway'),
                              'gateway settings (name, sku, autoscale, listeners, ...)')
    policy, problems = _mapping('phonebill_waf_policy', plan.get('phonebill_waf_policy'),
                                'WAF policy settings (name, policy_settings, managed_rule_sets, custom_rules)')
    found += problems + (gateway_checks.waf_policy_problems('phonebill_waf_policy.', policy) if policy else [])
    found += ['phonebill_waf_policy.%s: required; state it (gateway.yml)' % key
              for key in GATEWAY_POLICY_REQUIRED if policy and policy.get(key) is None]
    if not gateway:
        return found
    prefix = 'phonebill_gateway.'
    found += ['%s%s: required; state it (gateway.yml)' % (prefix, key) for key in GATEWAY_REQUIRED
              if gateway.get(key) is None]
    found += name_problems(prefix + 'name', gateway.get('name'), 'network', 'application gateway name')
    found += zone_problems(prefix + 'zones', gateway.get('zones'))
    subnet_name = gateway.get('subnet')
    if subnet_name is not None and subnet_name not in subnets:
        found.append('%ssubnet: %r is not a subnet of phonebill_vnet; name the gateway subnet (snet-gateway)'
                     % (prefix, subnet_name))
    found += gateway_checks.gateway_problems(prefix, gateway, subnets.get(subnet_name))
    found += gateway_checks.waf_sku_problems(prefix, gateway.get('sku'), gateway.get('firewall_policy'))
    if gateway.get('firewall_policy') and policy and gateway['firewall_policy'] != policy.get('name'):
        found.append('%sfirewall_policy: %r is not phonebill_waf_policy.name (%s); name the policy this inventory '
                     'creates' % (prefix, gateway['firewall_policy'], policy.get('name')))
    public_ips = [str(ip.get('name')) for ip in items_of(plan.get('phonebill_public_ips')) if isinstance(ip, dict)]
    for position, frontend in enumerate(items_of(gateway.get('frontend_ip_configurations'))):
        if isinstance(frontend, dict) and frontend.get('public_ip') and frontend['public_ip'] not in public_ips:
            found.append('%sfrontend_ip_configurations[%s].public_ip: %r is not one of phonebill_public_ips (%s); name '
                         'the static public IP the network layer creates'
                         % (prefix, item_label(frontend, position), frontend['public_ip'], ', '.join(public_ips)))
    return found


def _front_door_problems(plan):
    """SPEC §3 edge: the Front Door profile, endpoint, origin groups, routes and WAF policy, and that their SKUs agree."""
    front_door, found = _mapping('phonebill_front_door', plan.get('phonebill_front_door'),
                                 'Front Door settings (profile, endpoint, origin_groups, routes, waf_policy)')
    return found + (front_door_problems('phonebill_front_door.', front_door) if front_door else [])


def _delivery_identity_problems(plan):
    """The phonebill API's app registration (SPEC §8) and the delivery identity (SPEC §11), when the plan has them."""
    found = []
    if 'phonebill_api_application' in plan:
        application, found = _mapping('phonebill_api_application', plan['phonebill_api_application'],
                                      'the app registration (unique_name, display_name, app_roles)')
        found += application_problems('phonebill_api_application.', application) if application else []
    if 'phonebill_delivery' in plan:
        found += delivery_problems('phonebill_delivery.', plan['phonebill_delivery'])
    return found


def _custom_metrics_problems(plan):
    """The autoscalers' pods metrics path (custom_metrics.yml), and that it produces every pods metric an HPA names."""
    if plan.get('phonebill_custom_metrics') is None:
        return []
    workloads = plan.get('phonebill_workloads')
    return custom_metrics_problems(plan['phonebill_custom_metrics'],
                                   workloads.get('services') if isinstance(workloads, dict) else None)


def _business_metrics_problems(plan):
    """SPEC §9 business and technical metrics (business_metrics.yml): their alerts, the workspace, the workbook."""
    if plan.get('phonebill_business_metrics') is None and plan.get('phonebill_ops_workbook') is None:
        return []
    found = business_metrics_problems(plan.get('phonebill_business_metrics'))
    scope, problems = _mapping('phonebill_business_metrics_scope', plan.get('phonebill_business_metrics_scope'),
                               'the workspace queried (resource_type, resource_name)')
    found += problems + _watched_problems('phonebill_business_metrics_scope', scope)
    workbook, problems = _mapping('phonebill_ops_workbook', plan.get('phonebill_ops_workbook'),
                                  'the operations workbook (display_name, description)')
    return found + problems + workbook_problems(dict(workbook, name=None, tags=None), 'phonebill_ops_workbook.')


def check_plan(plan):
    """Every problem of the plan (a dict of inventory variables), as 'variable: message' lines."""
    spaces, subnets = _vnet_networks(plan)
    return (_foundation_problems(plan) + _vnet_problems(plan) + _nsg_problems(plan) + _edge_problems(plan)
            + _workspace_problems(plan) + _workloads_problems(plan) + _aks_problems(plan, spaces, subnets)
            + _registry_problems(plan) + _keyvault_problems(plan) + _cache_problems(plan) + _postgres_problems(plan)
            + _observability_problems(plan)
            + _ingress_problems(plan)
            + _gateway_problems(plan, subnets)
            + _front_door_problems(plan)
            + _delivery_identity_problems(plan)
            + _custom_metrics_problems(plan)
            + prometheus.plan_problems(plan.get('phonebill_prometheus'), plan.get('phonebill_aks'))
            + _business_metrics_problems(plan))
