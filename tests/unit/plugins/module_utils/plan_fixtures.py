# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The production inventory as a plan dict, and the bad variants of it every preflight test uses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import glob
import os
import re

import yaml

GROUP_VARS = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'inventories', 'prod', 'group_vars', 'all')


def _lookup(path, variables):
    """The value of a "name" or "name.key.key" reference."""
    keys = path.split('.')
    value = _resolve(variables[keys[0]], variables)
    for key in keys[1:]:
        value = value[key]
    return value


def _resolve(value, variables):
    """Resolve the plain "{{ name }}" and "{{ name.key }}" references the inventory uses between its own variables."""
    if isinstance(value, str):
        whole = re.match(r'^\{\{\s*([\w.]+)\s*\}\}$', value)
        if whole:
            return _lookup(whole.group(1), variables)
        return re.sub(r'\{\{\s*([\w.]+)\s*\}\}', lambda m: str(_lookup(m.group(1), variables)), value)
    if isinstance(value, dict):
        return dict((k, _resolve(v, variables)) for k, v in value.items())
    if isinstance(value, list):
        return [_resolve(v, variables) for v in value]
    return value


def production_plan():
    variables = {}
    for path in sorted(glob.glob(os.path.join(GROUP_VARS, '*.yml'))):
        with open(path) as handle:
            variables.update(yaml.safe_load(handle) or {})
    return _resolve(variables, variables)


def _pool(plan, name):
    return [p for p in plan['phonebill_aks']['pools'] if p['name'] == name][0]


def _subnet(plan, name):
    return [s for s in plan['phonebill_vnet']['subnets'] if s['name'] == name][0]


def _rule(plan, nsg, name):
    group = [g for g in plan['phonebill_network_security_groups'] if g['name'] == nsg][0]
    return [r for r in group['rules'] if r['name'] == name][0]


def _nsg(plan, name):
    return [g for g in plan['phonebill_network_security_groups'] if g['name'] == name][0]


def _gateway_item(plan, option, name):
    return [i for i in plan['phonebill_gateway'][option] if i['name'] == name][0]


def _as_mapping(items):
    """A list of named entries written by mistake as a mapping keyed by name."""
    return dict((item['name'], item) for item in items)


def _secret(plan, name):
    return [s for s in plan['phonebill_key_vault']['secrets'] if s['name'] == name][0]


def _certificate(plan, name):
    return [c for c in plan['phonebill_key_vault']['certificates'] if c['name'] == name][0]


def _alert(plan, variable, name):
    return [a for a in plan[variable] if a['name'] == name][0]


def _set(path_value):
    def change(plan):
        node = plan
        keys = path_value[0]
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = path_value[1]
    return change


# (id, change to the production plan, the variable path the problem must name)
BAD_PLANS = [
    ('overlapping-subnets', lambda p: _subnet(p, 'snet-cache').update(address_prefix='10.0.2.0/24'),
     'phonebill_vnet.subnets[snet-cache].address_prefix'),
    ('subnet-outside-vnet', lambda p: _subnet(p, 'snet-gateway').update(address_prefix='10.1.4.0/24'),
     'phonebill_vnet.subnets[snet-gateway].address_prefix'),
    ('not-a-cidr', lambda p: _subnet(p, 'snet-database').update(address_prefix='10.0.2.0/33'),
     'phonebill_vnet.subnets[snet-database].address_prefix'),
    ('unknown-zone', lambda p: _pool(p, 'app').update(zones=['1', '2', '4']), 'phonebill_aks.pools[app].zones'),
    ('min-above-max', lambda p: _pool(p, 'app').update(min_count=11), 'phonebill_aks.pools[app]'),
    ('count-above-max', lambda p: _pool(p, 'system').update(count=6), 'phonebill_aks.pools[system]'),
    ('taint-without-effect', lambda p: _pool(p, 'app').update(taints=['application-workload=true']),
     'phonebill_aks.pools[app].taints'),
    ('taint-unknown-effect', lambda p: _pool(p, 'app').update(taints=['a=b:NoWay']), 'phonebill_aks.pools[app].taints'),
    ('pool-name-too-long', lambda p: _pool(p, 'app').update(name='applicationpool'),
     'phonebill_aks.pools[applicationpool].name'),
    ('no-system-pool', lambda p: _pool(p, 'system').update(mode='User'), 'phonebill_aks.pools'),
    ('service-cidr-overlaps-vnet', _set((['phonebill_aks', 'network', 'service_cidr'], '10.0.0.0/16')),
     'phonebill_aks.network.service_cidr'),
    ('dns-ip-outside-service-cidr', _set((['phonebill_aks', 'network', 'dns_service_ip'], '10.96.0.10')),
     'phonebill_aks.network.dns_service_ip'),
    ('classic-cni-does-not-fit', _set((['phonebill_aks', 'network', 'plugin_mode'], None)), 'phonebill_aks.network'),
    ('window-too-short', _set((['phonebill_maintenance_window', 'duration_hours'], 2)),
     'phonebill_maintenance_window.duration_hours'),
    ('window-bad-day', _set((['phonebill_maintenance_window', 'day'], 'Sun')), 'phonebill_maintenance_window.day'),
    ('window-bad-start', _set((['phonebill_maintenance_window', 'start'], '2am')), 'phonebill_maintenance_window.start'),
    ('window-bad-offset', _set((['phonebill_maintenance_window', 'utc_offset'], 'KST')),
     'phonebill_maintenance_window.utc_offset'),
    ('registry-name', _set((['phonebill_registry', 'name'], 'acr-phonebill-prod')), 'phonebill_registry.name'),
    ('replica-in-home-region', _set((['phonebill_registry', 'replications'], [{'location': 'Korea Central'}])),
     'phonebill_registry.replications'),
    ('cluster-name', _set((['phonebill_aks', 'name'], '-aks')), 'phonebill_aks.name'),
    ('version-not-a-version', _set((['phonebill_aks', 'kubernetes_version'], 1.3)), 'phonebill_aks.kubernetes_version'),
    ('nsg-duplicate-priority', lambda p: p['phonebill_network_security_groups'][0]['rules'][1].update(priority=100),
     'phonebill_network_security_groups[nsg-appgw].rules[allow-http-internet].priority'),
    ('nsg-bad-port', lambda p: p['phonebill_network_security_groups'][1]['rules'][0].update(
        destination_port_ranges=['80-'], ), 'phonebill_network_security_groups[nsg-aks].rules[allow-gateway-http]'),
    ('subnet-nsg-unknown', lambda p: _subnet(p, 'snet-application').update(network_security_group='nsg-missing'),
     'phonebill_vnet.subnets[snet-application].network_security_group'),
    ('retention', _set((['phonebill_log_analytics', 'retention_days'], 7)), 'phonebill_log_analytics.retention_days'),
    ('tag-not-string', _set((['phonebill_tags', 'cost-center'], 1234)), 'phonebill_tags.cost-center'),
    # --- network, tags, workspace, types (issue 8) ---
    ('nsg-port-range-reversed', lambda p: _rule(p, 'nsg-aks', 'allow-redis').update(destination_port_ranges=['6380-6379']),
     'phonebill_network_security_groups[nsg-aks].rules[allow-redis].destination_port_ranges'),
    ('nsg-port-above-65535', lambda p: _rule(p, 'nsg-appgw', 'allow-gateway-manager').update(
        destination_port_ranges=['65200-65536']),
     'phonebill_network_security_groups[nsg-appgw].rules[allow-gateway-manager].destination_port_ranges'),
    ('nsg-unknown-direction', lambda p: _rule(p, 'nsg-aks', 'allow-gateway-http').update(direction='Inbond'),
     'phonebill_network_security_groups[nsg-aks].rules[allow-gateway-http].direction'),
    ('nsg-unknown-protocol', lambda p: _rule(p, 'nsg-aks', 'allow-postgresql').update(protocol='HTTP'),
     'phonebill_network_security_groups[nsg-aks].rules[allow-postgresql].protocol'),
    ('nsg-unknown-access', lambda p: _rule(p, 'nsg-appgw', 'allow-https-internet').update(access='Permit'),
     'phonebill_network_security_groups[nsg-appgw].rules[allow-https-internet].access'),
    ('nsg-prefix-33', lambda p: _rule(p, 'nsg-aks', 'allow-postgresql').update(destination_address_prefix='10.0.2.0/33'),
     'phonebill_network_security_groups[nsg-aks].rules[allow-postgresql].destination_address_prefix'),
    ('nsg-priority-below-100', lambda p: _rule(p, 'nsg-aks', 'allow-redis').update(priority=99),
     'phonebill_network_security_groups[nsg-aks].rules[allow-redis].priority'),
    ('nsg-priority-above-4096', lambda p: _rule(p, 'nsg-appgw', 'allow-azure-load-balancer').update(priority=4097),
     'phonebill_network_security_groups[nsg-appgw].rules[allow-azure-load-balancer].priority'),
    ('nsg-ports-as-string', lambda p: _rule(p, 'nsg-aks', 'allow-redis').update(destination_port_ranges='6379,6380'),
     'phonebill_network_security_groups[nsg-aks].rules[allow-redis].destination_port_ranges'),
    ('nsg-rules-as-mapping', lambda p: _nsg(p, 'nsg-aks').update(rules=_as_mapping(_nsg(p, 'nsg-aks')['rules'])),
     'phonebill_network_security_groups[nsg-aks].rules'),
    ('nsgs-as-mapping', lambda p: p.update(phonebill_network_security_groups=_as_mapping(
        p['phonebill_network_security_groups'])), 'phonebill_network_security_groups'),
    ('workspace-retention-above-730', _set((['phonebill_log_analytics', 'retention_days'], 731)),
     'phonebill_log_analytics.retention_days'),
    ('workspace-quota-below-minimum', _set((['phonebill_log_analytics', 'daily_quota_gb'], 0.01)),
     'phonebill_log_analytics.daily_quota_gb'),
    ('workspace-quota-negative', _set((['phonebill_log_analytics', 'daily_quota_gb'], -5)),
     'phonebill_log_analytics.daily_quota_gb'),
    ('workspace-as-list', lambda p: p.update(phonebill_log_analytics=[p['phonebill_log_analytics']]),
     'phonebill_log_analytics'),
    ('zones-as-string', lambda p: p.update(phonebill_zones='1,2,3'), 'phonebill_zones'),
    ('public-ip-zones-as-string', lambda p: p['phonebill_public_ips'][0].update(zones='123'),
     'phonebill_public_ips[pip-agw-phonebill-prod].zones'),
    ('public-ip-standard-dynamic', lambda p: p['phonebill_public_ips'][0].update(allocation_method='Dynamic'),
     'phonebill_public_ips[pip-agw-phonebill-prod].allocation_method'),
    ('public-ips-as-mapping', lambda p: p.update(phonebill_public_ips=_as_mapping(p['phonebill_public_ips'])),
     'phonebill_public_ips'),
    ('tag-name-forbidden-character', lambda p: p['phonebill_tags'].update({'cost/center': 'billing'}),
     'phonebill_tags.cost/center'),
    ('tag-value-over-256', _set((['phonebill_tags', 'owner'], 'o' * 257)), 'phonebill_tags.owner'),
    ('tag-name-over-512', lambda p: p['phonebill_tags'].update({'k' * 513: 'v'}), 'phonebill_tags.' + 'k' * 513),
    ('tags-as-list', lambda p: p.update(phonebill_tags=['service=phonebill']), 'phonebill_tags'),
    ('vnet-tag-forbidden-character', _set((['phonebill_vnet', 'tags'], {'team<platform>': 'yes'})),
     'phonebill_vnet.tags.team<platform>'),
    ('service-endpoint-unknown', lambda p: _subnet(p, 'snet-cache').update(service_endpoints=['Microsoft.Cache']),
     'phonebill_vnet.subnets[snet-cache].service_endpoints'),
    ('service-endpoints-as-string', lambda p: _subnet(p, 'snet-application').update(
        service_endpoints='Microsoft.ContainerRegistry'), 'phonebill_vnet.subnets[snet-application].service_endpoints'),
    ('address-space-as-string', _set((['phonebill_vnet', 'address_prefixes'], '10.0.0.0/16')),
     'phonebill_vnet.address_prefixes'),
    ('subnets-as-mapping', lambda p: p['phonebill_vnet'].update(subnets=_as_mapping(p['phonebill_vnet']['subnets'])),
     'phonebill_vnet.subnets'),
    ('dns-servers-as-string', _set((['phonebill_vnet', 'dns_servers'], '10.0.0.4')), 'phonebill_vnet.dns_servers'),
    ('vnet-as-list', lambda p: p.update(phonebill_vnet=[p['phonebill_vnet']]), 'phonebill_vnet'),
    ('resource-groups-as-mapping', lambda p: p.update(phonebill_resource_groups=_as_mapping(p['phonebill_resource_groups'])),
     'phonebill_resource_groups'),
    ('resource-group-name-ends-with-period', lambda p: p['phonebill_resource_groups'][1].update(name='rg-phonebill-dr.'),
     'phonebill_resource_groups[rg-phonebill-dr.].name'),
    ('private-dns-zone-name', lambda p: p['phonebill_private_dns_zones'].append('privatelink'), 'phonebill_private_dns_zones'),
    ('services-identity-name', _set((['phonebill_services_identity'], 'id/services')), 'phonebill_services_identity'),
    ('window-as-list', lambda p: p.update(phonebill_maintenance_window=[p['phonebill_maintenance_window']]),
     'phonebill_maintenance_window'),
    ('k8s-service-port-above-65535', _set((['phonebill_workloads', 'port'], 80800)), 'phonebill_workloads.port'),
    ('k8s-ingress-port-zero', _set((['phonebill_workloads', 'network_policy', 'ingress_port'], 0)),
     'phonebill_workloads.network_policy.ingress_port'),
    ('k8s-cache-port-above-65535', _set((['phonebill_workloads', 'network_policy', 'cache_ports'], [6379, 638000])),
     'phonebill_workloads.network_policy.cache_ports'),
    ('k8s-ports-as-string', _set((['phonebill_workloads', 'network_policy', 'database_ports'], '5432')),
     'phonebill_workloads.network_policy.database_ports'),
    ('k8s-services-as-mapping', lambda p: p['phonebill_workloads'].update(
        services=_as_mapping(p['phonebill_workloads']['services'])), 'phonebill_workloads.services'),
    # --- AKS (issue 8) ---
    ('aks-not-a-mapping', _set((['phonebill_aks'], ['aks-phonebill-prod'])), 'phonebill_aks'),
    ('pools-as-dict', lambda p: p['phonebill_aks'].update(pools={'system': _pool(p, 'system')}), 'phonebill_aks.pools'),
    ('pool-stated-twice', lambda p: p['phonebill_aks']['pools'].append(dict(_pool(p, 'app'))), 'phonebill_aks.pools'),
    ('pool-mode-lower-case', lambda p: _pool(p, 'system').update(mode='system'), 'phonebill_aks.pools[system].mode'),
    ('vm-size-not-a-string', lambda p: _pool(p, 'app').update(vm_size=4), 'phonebill_aks.pools[app].vm_size'),
    ('vm-size-without-prefix', lambda p: _pool(p, 'app').update(vm_size='D4s_v3'), 'phonebill_aks.pools[app].vm_size'),
    ('pool-zones-as-string', lambda p: _pool(p, 'app').update(zones='1,2,3'), 'phonebill_aks.pools[app].zones'),
    ('count-as-string', lambda p: _pool(p, 'system').update(count='3'), 'phonebill_aks.pools[system].count'),
    ('system-pool-min-zero', lambda p: _pool(p, 'system').update(min_count=0), 'phonebill_aks.pools[system].min_count'),
    ('labels-as-list', lambda p: _pool(p, 'app').update(labels=['workload=application']), 'phonebill_aks.pools[app].labels'),
    ('label-value-not-string', lambda p: _pool(p, 'app').update(labels={'tier': 2}), 'phonebill_aks.pools[app].labels.tier'),
    ('taints-as-string', lambda p: _pool(p, 'app').update(taints='application-workload=true:NoSchedule'),
     'phonebill_aks.pools[app].taints'),
    ('max-surge-over-100', lambda p: _pool(p, 'app').update(max_surge='150%'), 'phonebill_aks.pools[app].max_surge'),
    ('dns-ip-first-address', _set((['phonebill_aks', 'network', 'dns_service_ip'], '172.16.0.1')),
     'phonebill_aks.network.dns_service_ip'),
    ('dns-ip-network-address', _set((['phonebill_aks', 'network', 'dns_service_ip'], '172.16.0.0')),
     'phonebill_aks.network.dns_service_ip'),
    ('dns-ip-broadcast', _set((['phonebill_aks', 'network', 'dns_service_ip'], '172.16.255.255')),
     'phonebill_aks.network.dns_service_ip'),
    ('dns-ip-not-an-address', _set((['phonebill_aks', 'network', 'dns_service_ip'], 'kube-dns')),
     'phonebill_aks.network.dns_service_ip'),
    ('max-pods-out-of-range', _set((['phonebill_aks', 'network', 'max_pods'], 300)), 'phonebill_aks.network.max_pods'),
    ('max-pods-as-string', _set((['phonebill_aks', 'network', 'max_pods'], '30')), 'phonebill_aks.network.max_pods'),
    ('unknown-network-plugin', _set((['phonebill_aks', 'network', 'plugin'], 'flannel')), 'phonebill_aks.network.plugin'),
    ('unknown-network-policy', _set((['phonebill_aks', 'network', 'policy'], 'antrea')), 'phonebill_aks.network.policy'),
    ('pod-cidr-not-a-cidr', _set((['phonebill_aks', 'network', 'pod_cidr'], '192.168.0.0/33')),
     'phonebill_aks.network.pod_cidr'),
    ('service-cidr-as-list', _set((['phonebill_aks', 'network', 'service_cidr'], ['172.16.0.0/16'])),
     'phonebill_aks.network.service_cidr'),
    ('network-as-list', _set((['phonebill_aks', 'network'], ['azure'])), 'phonebill_aks.network'),
    ('version-with-letters', _set((['phonebill_aks', 'kubernetes_version'], 'v1.33')), 'phonebill_aks.kubernetes_version'),
    ('admin-group-not-a-guid', _set((['phonebill_aks', 'aad', 'admin_group_object_ids'], ['aks-admins'])),
     'phonebill_aks.aad.admin_group_object_ids'),
    ('identity-type-unknown', _set((['phonebill_aks', 'identity'], {'type': 'Managed'})), 'phonebill_aks.identity.type'),
    ('identity-user-assigned-without-id', _set((['phonebill_aks', 'identity'], {'type': 'UserAssigned'})),
     'phonebill_aks.identity.user_assigned_identities'),
    ('rotation-interval-words', _set((['phonebill_aks', 'key_vault_secrets_provider', 'rotation_poll_interval'], '2 minutes')),
     'phonebill_aks.key_vault_secrets_provider.rotation_poll_interval'),
    ('rotation-interval-number', _set((['phonebill_aks', 'key_vault_secrets_provider', 'rotation_poll_interval'], 2)),
     'phonebill_aks.key_vault_secrets_provider.rotation_poll_interval'),
    ('window-duration-as-string', _set((['phonebill_maintenance_window', 'duration_hours'], '4')),
     'phonebill_maintenance_window.duration_hours'),
    ('window-default-duration-too-long', _set((['phonebill_maintenance_window', 'default_duration_hours'], 25)),
     'phonebill_maintenance_window.default_duration_hours'),
    ('window-not-on-a-utc-hour', _set((['phonebill_maintenance_window', 'utc_offset'], '+05:30')),
     'phonebill_maintenance_window.start'),
    ('window-as-string', _set((['phonebill_maintenance_window'], 'Sunday 02:00 KST')), 'phonebill_maintenance_window'),
    # --- cache and Key Vault (issue 9) ---
    ('redis-rdb-and-aof', _set((['phonebill_redis', 'redis_configuration', 'aof_backup_enabled'], True)),
     'phonebill_redis.redis_configuration'),
    ('redis-persistence-with-geo-replication', _set((['phonebill_redis', 'geo_replication', 'enabled'], True)),
     'phonebill_redis.redis_configuration'),
    ('redis-shards-over-the-sku', _set((['phonebill_redis', 'shard_count'], 31)), 'phonebill_redis.shard_count'),
    ('redis-replicas-per-primary-zero', _set((['phonebill_redis', 'replicas_per_primary'], 0)),
     'phonebill_redis.replicas_per_primary'),
    ('redis-replicas-per-primary-four', _set((['phonebill_redis', 'replicas_per_primary'], 4)),
     'phonebill_redis.replicas_per_primary'),
    ('redis-capacity-not-in-family', _set((['phonebill_redis', 'sku', 'capacity'], 6)), 'phonebill_redis.sku.capacity'),
    ('redis-family-not-the-tier', _set((['phonebill_redis', 'sku', 'family'], 'C')), 'phonebill_redis.sku.family'),
    ('redis-rdb-frequency', _set((['phonebill_redis', 'redis_configuration', 'rdb_backup_frequency'], 45)),
     'phonebill_redis.redis_configuration.rdb_backup_frequency'),
    ('redis-patch-hour', lambda p: p['phonebill_redis']['patch_schedule'][0].update(start_hour_utc=24),
     'phonebill_redis.patch_schedule[0].start_hour_utc'),
    ('redis-endpoint-in-delegated-subnet', _set((['phonebill_redis', 'private_endpoint', 'subnet'], 'snet-database')),
     'phonebill_redis.private_endpoint.subnet'),
    ('redis-key-secret-name-underscore', _set((['phonebill_redis', 'access_key_secret', 'name'], 'redis_auth_key')),
     'phonebill_redis.access_key_secret.name'),
    ('key-vault-name-too-long', _set((['phonebill_key_vault', 'name'], 'kv-phonebill-production-01')),
     'phonebill_key_vault.name'),
    ('key-vault-name-double-hyphen', _set((['phonebill_key_vault', 'name'], 'kv--phonebill')), 'phonebill_key_vault.name'),
    ('key-vault-retention-over-90', _set((['phonebill_key_vault', 'soft_delete_retention_days'], 120)),
     'phonebill_key_vault.soft_delete_retention_days'),
    ('key-vault-retention-under-7', _set((['phonebill_key_vault', 'soft_delete_retention_days'], 3)),
     'phonebill_key_vault.soft_delete_retention_days'),
    ('key-vault-purge-protection-off', _set((['phonebill_key_vault', 'purge_protection'], False)),
     'phonebill_key_vault.purge_protection'),
    ('key-vault-secret-name-underscore', lambda p: _secret(p, 'jwt-signing-key').update(name='jwt_signing_key'),
     'phonebill_key_vault.secrets[jwt_signing_key].name'),
    ('key-vault-generation-too-weak', lambda p: _secret(p, 'database-password-auth-service').update(
        generate={'length': 12, 'classes': ['digits']}), 'phonebill_key_vault.secrets[database-password-auth-service].generate'),
    ('key-vault-generation-too-short', lambda p: _secret(p, 'kos-mock-config').update(generate={'length': 4}),
     'phonebill_key_vault.secrets[kos-mock-config].generate.length'),
    ('key-vault-generation-unknown-class', lambda p: _secret(p, 'kos-api-credentials').update(
        generate={'length': 48, 'classes': ['lower', 'emoji']}),
     'phonebill_key_vault.secrets[kos-api-credentials].generate.classes'),
    ('key-vault-secret-without-policy', lambda p: _secret(p, 'jwt-signing-key').pop('generate'),
     'phonebill_key_vault.secrets[jwt-signing-key].generate'),
    ('key-vault-certificate-validity-over-renewal', lambda p: _certificate(p, 'ssl-wildcard-cert')['policy'].update(
        validity_months=24), 'phonebill_key_vault.certificates[ssl-wildcard-cert].policy.validity_months'),
    ('key-vault-certificate-named-like-a-secret', lambda p: _certificate(p, 'client-certificates').update(
        name='JWT-signing-key'), 'phonebill_key_vault.certificates[JWT-signing-key].name'),
    ('key-vault-grant-on-unknown-secret', lambda p: p['phonebill_key_vault']['role_assignments'][2].update(
        secret='ssl-cert'), 'phonebill_key_vault.role_assignments[2].secret'),
    ('key-vault-endpoint-zone-not-linked', _set((['phonebill_key_vault', 'private_endpoint', 'private_dns_zone'],
                                                 'privatelink.vault.azure.net')),
     'phonebill_key_vault.private_endpoint.private_dns_zone'),
    ('key-vault-secrets-as-mapping', lambda p: p['phonebill_key_vault'].update(
        secrets=_as_mapping(p['phonebill_key_vault']['secrets'])), 'phonebill_key_vault.secrets'),
    # --- PostgreSQL (issue 9) ---
    ('postgres-size-not-in-tier', _set((['phonebill_postgresql', 'sku', 'name'], 'Standard_E4s_v3')),
     'phonebill_postgresql.sku.name'),
    ('postgres-ha-on-burstable', _set((['phonebill_postgresql', 'sku'], {'name': 'Standard_B2s', 'tier': 'Burstable'})),
     'phonebill_postgresql.high_availability.mode'),
    ('postgres-standby-in-primary-zone', _set((['phonebill_postgresql', 'high_availability', 'standby_availability_zone'], '1')),
     'phonebill_postgresql.high_availability.standby_availability_zone'),
    ('postgres-storage-size-not-offered', _set((['phonebill_postgresql', 'storage', 'size_gb'], 250)),
     'phonebill_postgresql.storage.size_gb'),
    ('postgres-storage-tier-below-baseline', _set((['phonebill_postgresql', 'storage', 'tier'], 'P10')),
     'phonebill_postgresql.storage.tier'),
    ('postgres-retention-over-35-days', _set((['phonebill_postgresql', 'backup', 'retention_days'], 90)),
     'phonebill_postgresql.backup.retention_days'),
    ('postgres-reserved-admin-login', _set((['phonebill_postgresql', 'administrator_login'], 'azure_superuser')),
     'phonebill_postgresql.administrator_login'),
    ('postgres-replica-of-a-replica', _set((['phonebill_postgresql', 'replicas', 1, 'source_server'], 'psql-phonebill-prod-replica-1')),
     'phonebill_postgresql.replicas[psql-phonebill-prod-replica-2].source_server'),
    ('postgres-replica-size-not-in-tier', _set((['phonebill_postgresql', 'replicas', 0, 'sku', 'tier'], 'MemoryOptimized')),
     'phonebill_postgresql.replicas[psql-phonebill-prod-replica-1].sku.name'),
    ('postgres-replica-with-ha', _set((['phonebill_postgresql', 'replicas', 0, 'high_availability'], {'mode': 'ZoneRedundant'})),
     'phonebill_postgresql.replicas[psql-phonebill-prod-replica-1].high_availability.mode'),
    ('postgres-window-as-kst-string', _set((['phonebill_postgresql', 'maintenance_window'], 'Sunday 02:00 KST')),
     'phonebill_postgresql.maintenance_window'),
    ('postgres-tls-as-yaml-boolean', _set((['phonebill_postgresql', 'configurations', 'require_secure_transport'], True)),
     'phonebill_postgresql.configurations.require_secure_transport'),
    ('postgres-subnet-not-delegated', _set((['phonebill_postgresql', 'network', 'subnet'], 'snet-cache')),
     'phonebill_postgresql.network.subnet'),
    ('postgres-replicas-as-mapping', _set((['phonebill_postgresql', 'replicas'], {'replica_1': {'location': 'koreasouth'}})),
     'phonebill_postgresql.replicas'),
    # observability (SPEC §9)
    ('alert-window-shorter-than-frequency', lambda p: _alert(p, 'phonebill_metric_alerts', 'alert-phonebill-node-memory').update(
        evaluation_frequency='PT15M'), 'phonebill_metric_alerts[alert-phonebill-node-memory].window_size'),
    ('metric-alert-window-not-offered', lambda p: _alert(p, 'phonebill_metric_alerts', 'alert-phonebill-response-time').update(
        window_size='PT10M'), 'phonebill_metric_alerts[alert-phonebill-response-time].window_size'),
    ('alert-severity-out-of-range', lambda p: _alert(p, 'phonebill_log_alerts', 'alert-phonebill-failed-requests').update(
        severity=5), 'phonebill_log_alerts[alert-phonebill-failed-requests].severity'),
    ('alert-duration-not-iso', lambda p: _alert(p, 'phonebill_log_alerts', 'alert-phonebill-pod-restarts').update(
        window_size='10m'), 'phonebill_log_alerts[alert-phonebill-pod-restarts].window_size'),
    ('action-group-without-receiver', lambda p: p['phonebill_action_group'].update(email_receivers=[], teams_receiver=None),
     'phonebill_action_group.email_receivers'),
    ('action-group-short-name-too-long', _set((['phonebill_action_group', 'short_name'], 'phonebill-operations')),
     'phonebill_action_group.short_name'),
    ('action-group-bad-email', _set((['phonebill_action_group', 'email_receivers', 0, 'email_address'], 'ops at phonebill')),
     'phonebill_action_group.email_receivers[ops-mail].email_address'),
    ('app-insights-sampling-over-100', _set((['phonebill_app_insights', 'sampling_percentage'], 1000)),
     'phonebill_app_insights.sampling_percentage'),
    ('diagnostic-log-with-category-and-group', lambda p: p['phonebill_diagnostic_settings'][0]['logs'].append(
        {'category': 'kube-audit', 'category_group': 'audit'}), 'phonebill_diagnostic_settings[aks-phonebill-prod].logs'),
    ('alert-criterion-operator-unknown', lambda p: _alert(p, 'phonebill_metric_alerts', 'alert-phonebill-node-memory')[
        'criteria'][0].update(operator='Above'), 'phonebill_metric_alerts[alert-phonebill-node-memory].criteria[memory].operator'),
    # The gateway's path into the cluster (ingress.yml).
    ('ingress-ip-outside-application-subnet', _set((['phonebill_ingress', 'private_ip'], '10.0.4.250')),
     'phonebill_ingress.private_ip'),
    ('ingress-ip-azure-reserved', _set((['phonebill_ingress', 'private_ip'], '10.0.1.3')), 'phonebill_ingress.private_ip'),
    ('ingress-ip-broadcast', _set((['phonebill_ingress', 'private_ip'], '10.0.1.255')), 'phonebill_ingress.private_ip'),
    ('ingress-ip-among-node-addresses', _set((['phonebill_ingress', 'private_ip'], '10.0.1.10')), 'phonebill_ingress.private_ip'),
    ('ingress-ip-not-an-address', _set((['phonebill_ingress', 'private_ip'], '10.0.1')), 'phonebill_ingress.private_ip'),
    ('ingress-port-as-string', _set((['phonebill_ingress', 'port'], '80')), 'phonebill_ingress.port'),
    ('ingress-route-without-backend-service', _set((['phonebill_ingress', 'routes', 0, 'service'], 'billing-service')),
     'phonebill_ingress.routes[0].service'),
    ('ingress-route-outside-gateway-path', _set((['phonebill_ingress', 'routes', 1, 'path'], '/bills/')),
     'phonebill_ingress.routes[1].path'),
    ('ingress-route-twice', _set((['phonebill_ingress', 'routes', 2, 'path'], '/api/auth/')), 'phonebill_ingress.routes[2].path'),
    ('ingress-router-image-latest', _set((['phonebill_ingress', 'router', 'image'], 'nginxinc/nginx-unprivileged:latest')),
     'phonebill_ingress.router.image'),
    ('ingress-router-single-replica', _set((['phonebill_ingress', 'router', 'replicas'], 1)), 'phonebill_ingress.router.replicas'),
    ('ingress-gateway-subnet-unknown', _set((['phonebill_ingress', 'gateway_subnet'], 'snet-appgw')),
     'phonebill_ingress.gateway_subnet'),
    # --- Application Gateway and WAF policy (issue 10) ---
    ('gateway-standard-sku-with-waf-policy', _set((['phonebill_gateway', 'sku'], 'Standard_v2')), 'phonebill_gateway.sku'),
    ('gateway-waf-sku-without-policy', lambda p: p['phonebill_gateway'].pop('firewall_policy'),
     'phonebill_gateway.firewall_policy'),
    ('gateway-subnet-too-small-for-autoscale', lambda p: (_subnet(p, 'snet-gateway').update(address_prefix='10.0.4.0/28'),
                                                          p['phonebill_gateway']['autoscale'].update(max_capacity=20)),
     'phonebill_gateway.autoscale.max_capacity'),
    ('gateway-private-ip-outside-subnet', lambda p: _gateway_item(p, 'frontend_ip_configurations', 'private-frontend').update(
        private_ip_address='10.0.1.10'), 'phonebill_gateway.frontend_ip_configurations[private-frontend].private_ip_address'),
    ('gateway-private-ip-reserved-by-azure', lambda p: _gateway_item(p, 'frontend_ip_configurations', 'private-frontend')
     .update(private_ip_address='10.0.4.1'), 'phonebill_gateway.frontend_ip_configurations[private-frontend].private_ip_address'),
    ('gateway-listener-unknown-port', lambda p: _gateway_item(p, 'listeners', 'https-listener').update(frontend_port='port-8443'),
     'phonebill_gateway.listeners[https-listener].frontend_port'),
    ('gateway-listener-unknown-certificate', lambda p: _gateway_item(p, 'listeners', 'https-listener').update(
        ssl_certificate='ssl-wildcard'), 'phonebill_gateway.listeners[https-listener].ssl_certificate'),
    ('gateway-rule-unknown-listener', lambda p: _gateway_item(p, 'routing_rules', 'api-routing').update(listener='http'),
     'phonebill_gateway.routing_rules[api-routing].listener'),
    ('gateway-path-rule-unknown-pool', lambda p: _gateway_item(p, 'url_path_maps', 'api-paths')['path_rules'][0].update(
        backend_pool='aks'), 'phonebill_gateway.url_path_maps[api-paths].path_rules[api].backend_pool'),
    ('gateway-duplicate-rule-priority', lambda p: p['phonebill_gateway']['routing_rules'].append(dict(
        name='api-routing-v2', priority=100, rule_type='PathBasedRouting', listener='https-listener',
        url_path_map='api-paths')), 'phonebill_gateway.routing_rules[api-routing-v2].priority'),
    ('waf-geo-block-country-not-a-code', _set((['phonebill_waf_policy', 'geo_blocking', 'countries'], ['North Korea'])),
     'phonebill_waf_policy.geo_blocking.countries'),
    ('waf-rate-limit-without-threshold', lambda p: p['phonebill_waf_policy']['custom_rules'][0].pop('rate_limit_threshold'),
     'phonebill_waf_policy.custom_rules[RateLimiting].rate_limit_threshold'),
    # --- Front Door (issue 10) ---
    ('front-door-waf-sku-not-the-profile-sku', _set((['phonebill_front_door', 'profile', 'sku'], 'Standard_AzureFrontDoor')),
     'phonebill_front_door.waf_policy.sku'),
    ('front-door-premium-rules-on-standard-waf', _set((['phonebill_front_door', 'waf_policy', 'sku'], 'Standard_AzureFrontDoor')),
     'phonebill_front_door.waf_policy.managed_rule_sets[Microsoft_DefaultRuleSet].type'),
    ('front-door-probe-interval-out-of-range',
     _set((['phonebill_front_door', 'origin_groups', 0, 'health_probe', 'interval_seconds'], 0)),
     'phonebill_front_door.origin_groups[og-agw-phonebill-prod].health_probe.interval_seconds'),
    ('front-door-route-pattern-without-slash', _set((['phonebill_front_door', 'routes', 0, 'patterns'], ['api/*'])),
     'phonebill_front_door.routes[api].patterns'),
    ('front-door-route-to-unknown-origin-group', _set((['phonebill_front_door', 'routes', 0, 'origin_group'], 'og-agw')),
     'phonebill_front_door.routes[api].origin_group'),
    ('front-door-origin-weight-out-of-range',
     _set((['phonebill_front_door', 'origin_groups', 0, 'origins', 0, 'weight'], 5000)),
     'phonebill_front_door.origin_groups[og-agw-phonebill-prod].origins[agw-phonebill-prod].weight'),
    ('front-door-endpoint-name-with-underscore', _set((['phonebill_front_door', 'endpoint', 'name'], 'phonebill_prod')),
     'phonebill_front_door.endpoint.name'),
    ('front-door-waf-policy-name-with-dash', _set((['phonebill_front_door', 'waf_policy', 'name'], 'waf-afd-phonebill-prod')),
     'phonebill_front_door.waf_policy.name'),
    # --- application settings (issue 14) ---
    ('kos-mock-latency-min-above-max', _set((['phonebill_app_settings', 'kos_mock', 'endpoints', 0, 'latency_ms', 'min'], 900)),
     'phonebill_app_settings.kos_mock.endpoints[bill-inquiry].latency_ms.min'),
    ('kos-mock-success-rate-over-100', _set((['phonebill_app_settings', 'kos_mock', 'endpoints', 1, 'success_rate'], 199.8)),
     'phonebill_app_settings.kos_mock.endpoints[product-change].success_rate'),
    ('circuit-breaker-never-opens', _set((['phonebill_app_settings', 'kos_client', 'circuit_breaker', 'failure_threshold'], 0)),
     'phonebill_app_settings.kos_client.circuit_breaker.failure_threshold'),
    ('l1-cache-outlives-l2', _set((['phonebill_app_settings', 'cache', 'l1', 'ttl_seconds'], 3600)),
     'phonebill_app_settings.cache.l1.ttl_seconds'),
    ('service-reads-unknown-settings', _set((['phonebill_workloads', 'services', 3, 'settings'], ['kos_mocks'])),
     'phonebill_workloads.services[kos-mock-service].settings'),
    # --- identities and app registration (issue 14) ---
    ('api-app-role-value-with-space', _set((['phonebill_api_application', 'app_roles', 0, 'value'], 'Read Only')),
     'phonebill_api_application.app_roles[Read Only].value'),
    ('api-app-role-stated-twice', _set((['phonebill_api_application', 'app_roles', 1, 'value'], 'User')),
     'phonebill_api_application.app_roles[User].value'),
    ('api-app-role-unknown-member-type',
     _set((['phonebill_api_application', 'app_roles', 2, 'allowed_member_types'], ['Service'])),
     'phonebill_api_application.app_roles[ServiceAccount].allowed_member_types'),
    ('api-identifier-uri-not-a-uri', _set((['phonebill_api_application', 'identifier_uris'], ['phonebill-api'])),
     'phonebill_api_application.identifier_uris'),
    ('delivery-environment-with-colon', _set((['phonebill_delivery', 'environments'], ['prod:blue'])),
     'phonebill_delivery.environments'),
    ('delivery-repository-with-owner', _set((['phonebill_delivery', 'repositories'], ['phonebill/phonebill-services'])),
     'phonebill_delivery.repositories'),
    ('delivery-organization-not-github', _set((['phonebill_delivery', 'organization'], '-phonebill')),
     'phonebill_delivery.organization'),
    ('delivery-credential-names-collide', _set((['phonebill_delivery', 'repositories'], ['phonebill.api', 'phonebill-api'])),
     'phonebill_delivery.repositories'),
    ('delivery-issuer-not-https', _set((['phonebill_delivery', 'issuer'], 'http://token.actions.githubusercontent.com')),
     'phonebill_delivery.issuer'),
    # --- autoscaling metrics (issue 14) ---
    ('hpa-metric-no-rule-produces', _set((['phonebill_workloads', 'services', 0, 'hpa', 'metrics', 2, 'name'], 'requests_per_sec')),
     'phonebill_workloads.services[auth-service].hpa.metrics[2].name'),
    ('hpa-metric-of-a-service-not-scraped', lambda p: p['phonebill_workloads']['services'][1].pop('prometheus'),
     'phonebill_workloads.services[bill-inquiry-service].prometheus'),
    ('adapter-rule-query-not-per-pod', _set((['phonebill_custom_metrics', 'rules', 0, 'query'], 'sum(rate(http_server_requests_seconds_count[2m]))')),
     'phonebill_custom_metrics.rules[requests_per_second].query'),
    ('adapter-image-latest', _set((['phonebill_custom_metrics', 'adapter', 'image'], 'registry.k8s.io/prometheus-adapter/prometheus-adapter:latest')),
     'phonebill_custom_metrics.adapter.image'),
    ('adapter-in-kube-system', _set((['phonebill_custom_metrics', 'namespace'], 'kube-system')),
     'phonebill_custom_metrics.namespace'),
    # --- managed Prometheus (issue 14) ---
    ('prometheus-association-without-cluster', _set((['phonebill_prometheus', 'cluster'], None)),
     'phonebill_prometheus.cluster'),
    ('prometheus-association-on-another-cluster', _set((['phonebill_prometheus', 'cluster'], 'aks-phonebill-dev')),
     'phonebill_prometheus.cluster'),
    ('prometheus-workspace-in-korea-south', _set((['phonebill_prometheus', 'workspace', 'location'], 'koreasouth')),
     'phonebill_prometheus.workspace.location'),
    ('prometheus-metrics-without-workspace', _set((['phonebill_prometheus', 'workspace'], None)),
     'phonebill_prometheus.workspace.name'),
    ('prometheus-labels-allowlist-malformed',
     _set((['phonebill_prometheus', 'kube_state_metrics', 'labels_allowlist'], 'pods=app.kubernetes.io/name')),
     'phonebill_prometheus.kube_state_metrics.labels_allowlist'),
    ('prometheus-reader-subject-not-a-service-account',
     _set((['phonebill_prometheus', 'reader_subject'], 'custom-metrics/prometheus-adapter')),
     'phonebill_prometheus.reader_subject'),
    ('prometheus-rule-name-too-long', _set((['phonebill_prometheus', 'data_collection_endpoint'], 'MSProm-' + 'x' * 40)),
     'phonebill_prometheus.data_collection_endpoint'),
    # --- business and technical metrics, the operations workbook (issue 14, SPEC 9) ---
    ('success-rate-threshold-over-100', lambda p: _alert(p, 'phonebill_business_metrics', 'bill-inquiry-success-rate')
     .update(min=120), 'phonebill_business_metrics[bill-inquiry-success-rate].min'),
    ('cache-hit-target-missing', lambda p: _alert(p, 'phonebill_business_metrics', 'cache-hit-ratio').pop('min'),
     'phonebill_business_metrics[cache-hit-ratio].min'),
    ('business-metric-with-min-and-max', lambda p: _alert(p, 'phonebill_business_metrics', 'product-change-queue-depth')
     .update(min=1), 'phonebill_business_metrics[product-change-queue-depth].min'),
    ('business-metric-window-shorter-than-frequency',
     lambda p: _alert(p, 'phonebill_business_metrics', 'db-connection-pool-usage').update(window_size='PT1M'),
     'phonebill_business_metrics[db-connection-pool-usage].window_size'),
    ('ops-workbook-without-display-name', _set((['phonebill_ops_workbook', 'display_name'], '')),
     'phonebill_ops_workbook.display_name'),
]


def bad_plan(change):
    plan = copy.deepcopy(production_plan())
    change(plan)
    return plan
