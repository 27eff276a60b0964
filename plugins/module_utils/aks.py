# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the AKS modules and the whole-plan preflight share: every AKS rule, once.

A node pool is stated the same way inside a cluster (`agentPoolProfiles`,
flat) and as its own resource (`agentPools`, under `properties`), so its
options, checks, REST mapping and comparison rules live here once. Every
check is a pure function `*_problems(path, value)` returning
'path.field: what is wrong; the fix' lines: the modules call them with their
option names (`agent_pools[app]`), preflight with the inventory's
(`phonebill_aks.pools[app]`), so a rule cannot drift between the two.
Versions are checked against what Azure offers and allows before any write,
and maintenance windows are converted to UTC hour slots here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import ipaddress
import re

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import guid_problems, name_problems


def _at(path, field):
    """The full path of a field under path ('' for a module's top-level options)."""
    return '%s.%s' % (path, field) if path else field


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _type_name(value):
    return type(value).__name__


# ---------------------------------------------------------------- comparison


class KubernetesVersion(compare.Rule):
    """'1.33' states a minor version: any 1.33.x matches; '1.33.2' pins the patch."""

    def equal(self, desired, actual):
        if not isinstance(desired, str) or not isinstance(actual, str):
            return desired == actual
        wanted = desired.split('.')
        return actual.split('.')[:len(wanted)] == wanted


VERSION = KubernetesVersion()


# ---------------------------------------------------------------- versions

VERSION_PATTERN = re.compile(r'^\d+\.\d+(\.\d+)?$')


def version_problems(path, version):
    """A Kubernetes version must be a quoted MAJOR.MINOR or MAJOR.MINOR.PATCH string; None is not stated."""
    if version is None or (isinstance(version, str) and VERSION_PATTERN.match(version)):
        return []
    # an unquoted 1.30 in YAML is the number 1.3
    return ['%s: %r is not a Kubernetes version; state a quoted "1.33" or "1.33.2"' % (path, version)]


def version_key(version):
    return tuple(int(part) for part in version.split('.'))


def version_cmp(stated, current):
    """<0, 0, >0: stated against current, on the parts both have ('1.33' equals '1.33.2')."""
    want, have = version_key(stated), version_key(current)
    size = min(len(want), len(have))
    want, have = want[:size], have[:size]
    return (want > have) - (want < have)


def parse_offered(listed):
    """(standard, lts_only) minor and patch versions of a REST list_kubernetes_versions result; previews left out."""
    standard, lts_only = [], []
    for entry in (listed or {}).get('values') or []:
        if entry.get('isPreview'):
            continue
        plans = ((entry.get('capabilities') or {}).get('supportPlan') or ['KubernetesOfficial'])
        target = standard if 'KubernetesOfficial' in plans else lts_only
        target.append(entry['version'])
        target.extend(sorted((entry.get('patchVersions') or {}).keys(), key=version_key))
    return sorted(set(standard), key=version_key), sorted(set(lts_only), key=version_key)


def offered_versions(module, location):
    """(standard, lts_only): versions AKS offers in the region, minor and patch (a read of Azure, for lookup())."""
    location = compare.LOCATION.normalize(location)
    return parse_offered(to_rest(module.call('list the Kubernetes versions AKS offers in %s' % location,
                                             module.client('containerservice').managed_clusters.list_kubernetes_versions,
                                             location)))


def offered_problem(version, location, standard, lts_only):
    """Why AKS will not create version in location (standard support plan), or None."""
    if version in standard:
        return None
    message = ('Kubernetes %s is not offered by AKS in %s; state one of the offered versions: %s'
               % (version, compare.LOCATION.normalize(location), ', '.join(standard) or 'none'))
    if version in lts_only:
        message += ' (%s is offered only with Long Term Support, on the Premium tier)' % version
    return message


def offered_problems(option, version, location, offered):
    """offered is (standard, lts_only) from offered_versions()."""
    problem = offered_problem(version, location, *offered)
    return ['%s: %s' % (option, problem)] if problem else []


def upgrade_problems(option, label, stated, current, upgrades):
    """A downgrade, or an upgrade to a version not in the upgrade profile (upgrades: its target versions)."""
    order = version_cmp(stated, current)
    if order < 0:
        return ['%s: %s runs Kubernetes %s and AKS cannot downgrade to %s; state %s or a later version'
                % (option, label, current, stated, current)]
    if order > 0 and not any(version_cmp(stated, v) == 0 for v in upgrades or []):
        return ['%s: %s runs Kubernetes %s and cannot upgrade to %s; it can upgrade only to: %s'
                % (option, label, current, stated, ', '.join(upgrades or []) or 'no version (none is offered now)')]
    return []


def upgrade_targets(profile, *path):
    """The kubernetesVersion of each upgrade listed at path in an upgrade profile (REST form)."""
    node = to_rest(profile) or {}
    for key in path:
        node = node.get(key) or {}
    return [u.get('kubernetesVersion') for u in node.get('upgrades') or [] if u.get('kubernetesVersion')]


def version_move(stated, actual_properties, running_field, stated_field):
    """(running version, order) when stated changes the version of what exists, else None.

    order > 0 is an upgrade (lookup() then reads the upgrade profile), < 0 a downgrade.
    """
    if not stated or not actual_properties:
        return None
    current = actual_properties.get(running_field) or actual_properties.get(stated_field)
    if not current or VERSION.equal(stated, actual_properties.get(stated_field)):
        return None
    return current, version_cmp(stated, current)


def pool_version_move(stated, actual_properties):
    return version_move(stated, actual_properties, 'currentOrchestratorVersion', 'orchestratorVersion')


def pool_version_problems(option, label, stated, actual_properties, upgrades):
    """Before a pool's orchestratorVersion changes: no downgrade, upgrades only to what Azure lists."""
    move = pool_version_move(stated, actual_properties)
    if move is None:
        return []
    return upgrade_problems(option, label, stated, move[0], upgrades)


# ---------------------------------------------------------------- cluster network and add-ons

NETWORK_PLUGINS = ('azure', 'kubenet', 'none')
NETWORK_PLUGIN_MODES = ('overlay',)
NETWORK_POLICIES = ('azure', 'calico', 'cilium', 'none')
MAX_PODS = (10, 250)


def _cidr(path, value, found):
    if not isinstance(value, str):
        found.append('%s must be one CIDR block as a string, e.g. 172.16.0.0/16, not a %s' % (path, _type_name(value)))
        return None
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        found.append('%s: %r is not a CIDR block (%s); write it as network/prefix, e.g. 172.16.0.0/16' % (path, value, exc))
        return None


def dns_service_ip_problem(address, service):
    """Why address cannot be the cluster DNS service IP in the service range, or None.

    Azure: dnsServiceIP must be within serviceCidr; the first address (.1) is the
    `kubernetes` service's, and the network and broadcast addresses are no hosts.
    """
    if address.version == service.version and address in service and address not in (
            service.network_address, service.network_address + 1, service.broadcast_address):
        return None
    return ('%s must be inside service_cidr %s and be none of its network address, its first address (used by the '
            'kubernetes service) or its broadcast address; state e.g. %s' % (address, service, service.network_address + 10))


def max_pods_problems(path, value):
    if value is None or (_is_int(value) and MAX_PODS[0] <= value <= MAX_PODS[1]):
        return []
    if not _is_int(value):
        return ['%s: %r is not a whole number; state %d to %d pods per node' % ((path, value) + MAX_PODS)]
    return ['%s: %r is out of range; AKS allows %d to %d pods per node' % ((path, value) + MAX_PODS)]


def network_problems(path, network):
    """The network profile {plugin, plugin_mode, policy, pod_cidr, service_cidr, dns_service_ip, max_pods}."""
    if network is None:
        return []
    if not isinstance(network, dict):
        return ['%s must be a mapping of network settings (plugin, service_cidr, ...), not a %s' % (path, _type_name(network))]
    found = max_pods_problems(_at(path, 'max_pods'), network.get('max_pods'))
    for field, allowed in (('plugin', NETWORK_PLUGINS), ('plugin_mode', NETWORK_PLUGIN_MODES), ('policy', NETWORK_POLICIES)):
        if network.get(field) is not None and network[field] not in allowed:
            found.append('%s: %r is not a network %s AKS knows; use one of %s'
                         % (_at(path, field), network[field], field.replace('_', ' '), ', '.join(allowed)))
    ranges = {}
    for field in ('pod_cidr', 'service_cidr'):
        if network.get(field) is not None:
            ranges[field] = _cidr(_at(path, field), network[field], found)
    pods, services = ranges.get('pod_cidr'), ranges.get('service_cidr')
    if pods and services and pods.overlaps(services):
        found.append('%s: %s overlaps pod_cidr %s; state ranges that do not overlap' % (_at(path, 'service_cidr'), services, pods))
    dns_ip = network.get('dns_service_ip')
    if dns_ip is not None:
        try:
            address = ipaddress.ip_address(dns_ip if isinstance(dns_ip, str) else '')
        except ValueError:
            found.append('%s: %r is not an IP address; state one inside service_cidr' % (_at(path, 'dns_service_ip'), dns_ip))
        else:
            if 'service_cidr' not in ranges:
                found.append('%s: needs service_cidr; state the service range too' % _at(path, 'dns_service_ip'))
            elif services and dns_service_ip_problem(address, services):
                found.append('%s: %s' % (_at(path, 'dns_service_ip'), dns_service_ip_problem(address, services)))
    plugin = network.get('plugin')
    if plugin not in (None,) + NETWORK_PLUGINS:
        return found  # the combinations below only mean something for a plugin AKS has
    if network.get('plugin_mode') == 'overlay' and plugin not in (None, 'azure'):
        found.append('%s: overlay works only with plugin azure; change one of them' % _at(path, 'plugin_mode'))
    if network.get('policy') == 'azure' and plugin not in (None, 'azure'):
        found.append('%s: the azure network policy needs plugin azure; use calico or plugin azure' % _at(path, 'policy'))
    if network.get('pod_cidr') and plugin == 'azure' and network.get('plugin_mode') != 'overlay':
        found.append('%s: classic Azure CNI gives pods subnet addresses; set plugin_mode overlay or remove pod_cidr'
                     % _at(path, 'pod_cidr'))
    return found


#: a Go duration (time.ParseDuration), the format of the Secrets Store CSI driver's rotation poll interval
GO_DURATION = re.compile(u'^([0-9]+(\\.[0-9]+)?(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$')


def rotation_interval_problems(path, value):
    if value is None:
        return []
    if isinstance(value, str) and GO_DURATION.match(value) and re.search(r'[1-9]', value):
        return []
    return ['%s: %r is not a duration; state a Go duration such as 2m, 120s or 1h30m' % (path, value)]


IDENTITY_TYPES = ('SystemAssigned', 'UserAssigned', 'None')


def identity_problems(path, identity):
    """{type, user_assigned_identities}: type None means a service principal (no managed identity)."""
    if identity is None:
        return []
    if not isinstance(identity, dict):
        return ['%s must be a mapping with type and user_assigned_identities, not a %s' % (path, _type_name(identity))]
    kind, ids = identity.get('type'), identity.get('user_assigned_identities')
    found = []
    if kind not in IDENTITY_TYPES:
        found.append('%s: %r is not an identity type; use one of %s' % (_at(path, 'type'), kind, ', '.join(IDENTITY_TYPES)))
    user_assigned = kind == 'UserAssigned'
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        found.append('%s must be a list of user-assigned identity resource ids' % _at(path, 'user_assigned_identities'))
    elif user_assigned and len(ids or []) != 1:
        found.append('%s: a UserAssigned cluster identity is exactly one identity; state its resource id'
                     % _at(path, 'user_assigned_identities'))
    elif ids and not user_assigned:
        found.append('%s: only apply with type UserAssigned; remove them or set type UserAssigned'
                     % _at(path, 'user_assigned_identities'))
    else:
        for value in ids or []:
            if '/providers/microsoft.managedidentity/userassignedidentities/' not in value.lower():
                found.append('%s: %r is not a user-assigned identity resource id; state /subscriptions/.../providers/'
                             'Microsoft.ManagedIdentity/userAssignedIdentities/NAME' % (_at(path, 'user_assigned_identities'), value))
    return found


def aad_problems(path, aad):
    if aad is None:
        return []
    if not isinstance(aad, dict):
        return ['%s must be a mapping (azure_rbac, admin_group_object_ids), not a %s' % (path, _type_name(aad))]
    groups = aad.get('admin_group_object_ids')
    if groups is not None and not isinstance(groups, list):
        return ['%s must be a list of Entra group object ids' % _at(path, 'admin_group_object_ids')]
    found = []
    for group in groups or []:
        found.extend(guid_problems(_at(path, 'admin_group_object_ids'), group))
    return found


# ---------------------------------------------------------------- node pools

TAINT = re.compile(r'^([A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?)(=([-A-Za-z0-9_.]{0,63}))?:(\w+)$')
TAINT_EFFECTS = ('NoSchedule', 'PreferNoSchedule', 'NoExecute')
SURGE = re.compile(r'^([1-9]\d*)(%)?$')
RESERVED_LABEL_PREFIXES = ('kubernetes.azure.com/',)
POOL_MODES = ('System', 'User')
ZONES = ('1', '2', '3')
VM_SIZE = re.compile(r'^Standard_[A-Za-z0-9_]+$')
#: the node count AKS allows per pool
NODE_COUNT = (0, 1000)

POOL_OPTIONS = dict(
    mode=dict(type='str', choices=list(POOL_MODES)),
    vm_size=dict(type='str'),
    count=dict(type='int'),
    enable_auto_scaling=dict(type='bool'),
    min_count=dict(type='int'),
    max_count=dict(type='int'),
    zones=dict(type='list', elements='str', choices=list(ZONES)),
    max_surge=dict(type='str'),
    labels=dict(type='dict'),
    taints=dict(type='list', elements='str'),
    orchestrator_version=dict(type='str'),
    vnet_subnet_id=dict(type='str'),
    max_pods=dict(type='int'),
    os_disk_size_gb=dict(type='int'),
)
#: the pool options a `VirtualMachines` pool keeps elsewhere (virtualMachinesProfile.scale)
SCALE_OPTIONS = ('vm_size', 'count', 'enable_auto_scaling', 'min_count', 'max_count')

#: REST fields of a pool AKS cannot change after the pool is created
POOL_IMMUTABLE = ('vmSize', 'availabilityZones', 'vnetSubnetID', 'maxPods', 'osDiskSizeGB')
#: read-only (or server-managed) pool fields never sent back in an update
POOL_READONLY = ('provisioningState', 'currentOrchestratorVersion', 'nodeImageVersion', 'eTag')


def pool_spec():
    """A fresh copy of the pool options (AnsibleModule mutates specs)."""
    return copy.deepcopy(POOL_OPTIONS)


def autoscaling(pool):
    """True/False when stated or implied by min_count/max_count, None when not stated."""
    if pool.get('enable_auto_scaling') is not None:
        return pool['enable_auto_scaling']
    if pool.get('min_count') is not None or pool.get('max_count') is not None:
        return True
    return None


def taint_problem(taint):
    """Why a `key=value:Effect` node taint is malformed, or None."""
    match = TAINT.match(taint) if isinstance(taint, str) else None
    if not match:
        return '%r is not a taint; state key=value:Effect (e.g. application-workload=true:NoSchedule)' % (taint,)
    if match.group(5) not in TAINT_EFFECTS:
        return '%r has effect %s; use one of %s' % (taint, match.group(5), ', '.join(TAINT_EFFECTS))
    return None


def max_surge_problem(value):
    """Why a pool's max surge is neither a node count nor a percentage 1%-100%, or None."""
    surge = SURGE.match(str(value))
    if surge and not (surge.group(2) and int(surge.group(1)) > 100):
        return None
    return '%r is not a node count or a percentage 1%%-100%%; state e.g. "1" or "33%%"' % (value,)


def _list_of_strings(path, value, what, found):
    """value as a list of strings, or None after one problem (a string is not split into characters)."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        found.append('%s must be a list of %s, not %r' % (path, what, value))
        return None
    return value


def _scaling_problems(path, pool):
    counts = dict((k, pool.get(k)) for k in ('count', 'min_count', 'max_count'))
    found = ['%s: %r is not a whole number; state %d to %d' % ((_at(path, k), v) + NODE_COUNT)
             for k, v in sorted(counts.items()) if v is not None and not _is_int(v)]
    found += ['%s: %d is out of range; state %d to %d' % ((_at(path, k), v) + NODE_COUNT)
              for k, v in sorted(counts.items()) if _is_int(v) and not NODE_COUNT[0] <= v <= NODE_COUNT[1]]
    if found:
        return found
    scaling = autoscaling(pool)
    low, high, count = counts['min_count'], counts['max_count'], counts['count']
    if scaling and (low is None or high is None):
        return ['%s: both are needed when auto-scaling is on; state both, or set enable_auto_scaling=false'
                % _at(path, 'min_count, max_count')]
    if scaling and low > high:
        return ['%s: %d is above max_count %d; state min_count <= max_count' % (_at(path, 'min_count'), low, high)]
    if scaling and count is not None and not low <= count <= high:
        return ['%s: %d is outside min_count..max_count (%d..%d); state a count in that range'
                % (_at(path, 'count'), count, low, high)]
    if scaling is False and (low is not None or high is not None):
        return ['%s: only apply with auto-scaling; remove them or set enable_auto_scaling=true'
                % _at(path, 'min_count, max_count')]
    if pool.get('mode') == 'System' and (low if scaling else count) == 0:
        return ['%s: a System pool keeps at least 1 node; state 1 or more' % _at(path, 'min_count' if scaling else 'count')]
    return []


def pool_problems(path, pool):
    """One pool (module options or an inventory entry); path names it ('agent_pools[app]', '' for aks_agent_pool)."""
    if not isinstance(pool, dict):
        return ['%s must be a mapping of pool settings (name, mode, vm_size, ...), not a %s' % (path, _type_name(pool))]
    found = name_problems(_at(path, 'name'), pool.get('name') if pool.get('name') is not None else '',
                          'agent_pool', 'node pool name')
    if pool.get('mode') is not None and pool['mode'] not in POOL_MODES:
        found.append('%s: %r is not a pool mode; use System or User' % (_at(path, 'mode'), pool['mode']))
    if pool.get('vm_size') is not None and not (isinstance(pool['vm_size'], str) and VM_SIZE.match(pool['vm_size'])):
        found.append('%s: %r is not an Azure VM size; state e.g. Standard_D4s_v3' % (_at(path, 'vm_size'), pool['vm_size']))
    found += _scaling_problems(path, pool)
    zones = _list_of_strings(_at(path, 'zones'), pool.get('zones'), 'zones "1", "2" or "3"', found)
    bad_zones = [z for z in zones or [] if z not in ZONES]
    if bad_zones:
        found.append('%s: unknown zone(s) %s; AKS zones are "1", "2", "3"' % (_at(path, 'zones'), ', '.join(bad_zones)))
    found += max_pods_problems(_at(path, 'max_pods'), pool.get('max_pods'))
    if pool.get('max_surge') is not None and max_surge_problem(pool['max_surge']):
        found.append('%s: %s' % (_at(path, 'max_surge'), max_surge_problem(pool['max_surge'])))
    for taint in _list_of_strings(_at(path, 'taints'), pool.get('taints'), 'taints key=value:Effect', found) or []:
        if taint_problem(taint):
            found.append('%s: %s' % (_at(path, 'taints'), taint_problem(taint)))
    labels = pool.get('labels')
    if labels is not None and not isinstance(labels, dict):
        found.append('%s must be a mapping of label names to string values, not a %s' % (_at(path, 'labels'), _type_name(labels)))
    for key, value in (labels if isinstance(labels, dict) else {}).items():
        if not isinstance(value, str):
            found.append('%s: label values are strings; quote %r' % (_at(path, 'labels.%s' % key), value))
        if str(key).startswith(RESERVED_LABEL_PREFIXES):
            found.append('%s: the prefix kubernetes.azure.com/ is reserved by AKS; use another label key'
                         % _at(path, 'labels.%s' % key))
    return found + version_problems(_at(path, 'orchestrator_version'), pool.get('orchestrator_version'))


def pools_problems(path, pools):
    """A list of pools matched by name ('agent_pools', 'phonebill_aks.pools')."""
    if pools is None:
        return []
    if not isinstance(pools, list) or not all(isinstance(p, dict) for p in pools):
        return ['%s must be a list of pool mappings (name, mode, vm_size, ...), not %s'
                % (path, 'a %s' % _type_name(pools) if not isinstance(pools, list) else 'a list holding other values')]
    found, names = [], set()
    for pool in pools:
        name = str(pool.get('name'))
        if name.lower() in names:
            found.append('%s: the pool %s is stated twice; state each pool once' % (path, name))
        names.add(name.lower())
        found += pool_problems('%s[%s]' % (path, name), pool)
    return found


def system_pool_problems(path, pools):
    """AKS creates a cluster only with a System pool, which runs its system pods."""
    if not isinstance(pools, list) or any(isinstance(p, dict) and p.get('mode') == 'System' for p in pools):
        return []
    return ['%s: no pool has mode System; AKS needs one for its system pods to create the cluster, add one' % path]


def with_defaults(pools, **defaults):
    """The pools, each taking the stated defaults (subnet, max pods, version) it does not state itself."""
    return [dict(pool, **dict((k, v) for k, v in defaults.items() if v is not None and pool.get(k) is None))
            for pool in pools]


def is_virtual_machines(properties):
    return str((properties or {}).get('type') or '').lower() == 'virtualmachines'


def pool_type_problems(path, pool, existing):
    """A `VirtualMachines` pool keeps its sizes and counts in virtualMachinesProfile.scale, which is not managed here.

    Stating them would compare against fields such a pool does not have; refuse before any write.
    """
    stated = [option for option in SCALE_OPTIONS if pool.get(option) is not None]
    if not stated or not is_virtual_machines(existing):
        return []
    return ['%s: node pool %s is of type VirtualMachines, whose VM sizes and node counts are in '
            'virtualMachinesProfile.scale, which this collection does not manage; leave %s out for this pool '
            '(labels, taints, max surge and version still apply) or manage its scale with az aks nodepool'
            % (_at(path, ', '.join(stated)), pool.get('name'), ', '.join(stated))]


def pool_properties(pool, existing):
    """The REST properties a pool states; existing is the pool's current properties or None.

    While auto-scaling is on, the node count belongs to the autoscaler: it is
    sent only to create the pool (defaulting to min_count) and never compared.
    """
    scaling = autoscaling(pool)
    count = pool.get('count')
    if scaling and existing is not None:
        count = None
    elif scaling and count is None and existing is None:
        count = pool.get('min_count')
    return dict(
        mode=pool.get('mode'),
        vmSize=pool.get('vm_size'),
        count=count,
        enableAutoScaling=scaling,
        minCount=pool.get('min_count') if scaling else None,
        maxCount=pool.get('max_count') if scaling else None,
        availabilityZones=pool.get('zones'),
        nodeLabels=pool.get('labels'),
        nodeTaints=pool.get('taints'),
        upgradeSettings=dict(maxSurge=pool['max_surge']) if pool.get('max_surge') else None,
        orchestratorVersion=pool.get('orchestrator_version'),
        vnetSubnetID=pool.get('vnet_subnet_id'),
        maxPods=pool.get('max_pods'),
        osDiskSizeGB=pool.get('os_disk_size_gb'),
    )


def pool_rules(prefix, purge_labels=False, purge_taints=False):
    """Comparison rules of a pool's fields under prefix ('properties' or 'properties.agentPoolProfiles[]')."""
    return {
        prefix + '.mode': compare.IGNORE_CASE,
        prefix + '.vmSize': compare.IGNORE_CASE,
        prefix + '.availabilityZones': compare.Set(),
        prefix + '.nodeLabels': compare.Mapping(purge=purge_labels),
        prefix + '.nodeTaints': compare.Set(purge=purge_taints),
        prefix + '.orchestratorVersion': VERSION,
        prefix + '.vnetSubnetID': compare.RESOURCE_ID,
    }


def pool_immutable(prefix):
    return tuple('%s.%s' % (prefix, field) for field in POOL_IMMUTABLE)


def clean_pool(properties):
    """A pool's properties ready to send: read-only fields out, bounds cleared when auto-scaling is off."""
    cleaned = dict((k, v) for k, v in properties.items() if k not in POOL_READONLY)
    if cleaned.get('enableAutoScaling') is False:
        cleaned.pop('minCount', None)
        cleaned.pop('maxCount', None)
    return cleaned


# ---------------------------------------------------------------- maintenance windows

DAYS = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')
START_TIME = re.compile(r'^([01]\d|2[0-3]):([0-5]\d)$')
UTC_OFFSET = re.compile(r'^([+-])(0\d|1[0-4]):([0-5]\d)$')
#: Azure's managed upgrade schedules (aksManagedAutoUpgradeSchedule, aksManagedNodeOSUpgradeSchedule) need 4 hours
MANAGED_MIN_HOURS = 4


def day_problems(path, day):
    if day in DAYS:
        return []
    return ['%s: %r is not a day; use one of %s' % (path, day, ', '.join(DAYS))]


def start_time_problems(path, start):
    if isinstance(start, str) and START_TIME.match(start):
        return []
    return ['%s: %r is not a time; state HH:MM in 24 hours, e.g. "02:00"' % (path, start)]


def utc_offset_problems(path, offset):
    if isinstance(offset, str) and UTC_OFFSET.match(offset):
        return []
    return ['%s: %r is not an offset; state +HH:MM or -HH:MM, e.g. "+09:00" for KST' % (path, offset)]


def duration_problems(path, hours, low):
    if _is_int(hours) and low <= hours <= 24:
        return []
    if not _is_int(hours):
        return ['%s: %r is not a whole number of hours; state %d to 24 without quotes' % (path, hours, low)]
    return ['%s: %r is out of range; state %d to 24 hours%s'
            % (path, hours, low, ' (Azure managed upgrade schedules need at least 4)' if low == MANAGED_MIN_HOURS else '')]


def whole_utc_hour_problems(path, day, start, hours, utc_offset):
    """The `default` configuration works in UTC hour slots: its start must fall on a whole UTC hour."""
    if hour_slots_utc(day, start, hours, utc_offset) is not None:
        return []
    return ['%s: the default maintenance configuration works in whole UTC hours, and %s at %s is not one; '
            'state a start that is' % (path, start, utc_offset)]


def window_problems(path, window):
    """The inventory's weekly window {day, start, duration_hours, default_duration_hours, utc_offset}.

    duration_hours is the managed schedules' (4-24), default_duration_hours the
    `default` configuration's (1-24, hour slots in UTC).
    """
    if not isinstance(window, dict):
        return ['%s must be a mapping with day, start, duration_hours and utc_offset, not a %s' % (path, _type_name(window))]
    found = (day_problems(_at(path, 'day'), window.get('day'))
             + start_time_problems(_at(path, 'start'), window.get('start'))
             + duration_problems(_at(path, 'duration_hours'), window.get('duration_hours'), MANAGED_MIN_HOURS)
             + utc_offset_problems(_at(path, 'utc_offset'), window.get('utc_offset')))
    default_hours = window.get('default_duration_hours')
    if default_hours is not None:
        found += duration_problems(_at(path, 'default_duration_hours'), default_hours, 1)
    if not found:
        found += whole_utc_hour_problems(_at(path, 'start'), window['day'], window['start'],
                                         default_hours or window['duration_hours'], window['utc_offset'])
    return found


def offset_minutes(offset):
    sign, hours, minutes = UTC_OFFSET.match(offset).groups()
    return (1 if sign == '+' else -1) * (int(hours) * 60 + int(minutes))


def hour_slots_utc(day, start, duration_hours, utc_offset):
    """[{day, hourSlots}] in UTC for a local weekly window (the `default` configuration's form).

    Sunday 02:00 for 2 hours at +09:00 is Saturday 17 and 18 UTC. Returns None
    when the window does not start on a whole UTC hour.
    """
    hours, minutes = (int(part) for part in start.split(':'))
    begin = (DAYS.index(day) * 1440 + hours * 60 + minutes - offset_minutes(utc_offset)) % (7 * 1440)
    if begin % 60:
        return None
    slots = {}
    for step in range(duration_hours):
        moment = (begin + step * 60) % (7 * 1440)
        slots.setdefault(DAYS[moment // 1440], []).append((moment % 1440) // 60)
    return [dict(day=name, hourSlots=sorted(slots[name])) for name in DAYS if name in slots]
