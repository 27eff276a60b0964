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


def _resolve(value, variables):
    """Resolve the plain "{{ name }}" references the inventory uses between its own variables."""
    if isinstance(value, str):
        whole = re.match(r'^\{\{\s*(\w+)\s*\}\}$', value)
        if whole:
            return _resolve(variables[whole.group(1)], variables)
        return re.sub(r'\{\{\s*(\w+)\s*\}\}', lambda m: str(_resolve(variables[m.group(1)], variables)), value)
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
    # --- AKS (issue 8) ---
    ('aks-not-a-mapping', _set((['phonebill_aks'], ['aks-phonebill-prod'])), 'phonebill_aks'),
    ('pools-as-dict', lambda p: p['phonebill_aks'].update(pools={'system': _pool(p, 'system')}), 'phonebill_aks.pools'),
    ('pool-stated-twice', lambda p: p['phonebill_aks']['pools'].append(dict(_pool(p, 'app'))), 'phonebill_aks.pools'),
    ('pool-mode-lower-case', lambda p: _pool(p, 'system').update(mode='system'), 'phonebill_aks.pools[system].mode'),
    ('vm-size-not-a-string', lambda p: _pool(p, 'app').update(vm_size=4), 'phonebill_aks.pools[app].vm_size'),
    ('vm-size-without-prefix', lambda p: _pool(p, 'app').update(vm_size='D4s_v3'), 'phonebill_aks.pools[app].vm_size'),
    ('zones-as-string', lambda p: _pool(p, 'app').update(zones='1,2,3'), 'phonebill_aks.pools[app].zones'),
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
]


def bad_plan(change):
    plan = copy.deepcopy(production_plan())
    change(plan)
    return plan
