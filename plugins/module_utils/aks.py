# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the AKS modules share: node pools, Kubernetes versions, maintenance windows.

A node pool is stated the same way inside a cluster (`agentPoolProfiles`,
flat) and as its own resource (`agentPools`, under `properties`), so its
options, validation, REST mapping and comparison rules live here once.
Versions are checked against what Azure offers and allows before any write,
and maintenance windows are validated and converted to UTC hour slots here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import check_name

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
    """(standard, lts_only): versions AKS offers in the region, minor and patch."""
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


def check_offered(module, option, version, location):
    """Fail unless AKS offers version in location (on the standard support plan)."""
    problem = offered_problem(version, location, *offered_versions(module, location))
    if problem:
        module.fail('%s: %s' % (option, problem))


def check_upgrade(module, option, label, stated, current, upgrades):
    """Fail on a downgrade, and on an upgrade to a version not in the upgrade profile."""
    order = version_cmp(stated, current)
    if order < 0:
        module.fail('%s: %s runs Kubernetes %s and AKS cannot downgrade to %s; state %s or a later version'
                    % (option, label, current, stated, current))
    if order > 0 and not any(version_cmp(stated, v) == 0 for v in upgrades):
        module.fail('%s: %s runs Kubernetes %s and cannot upgrade to %s; it can upgrade only to: %s'
                    % (option, label, current, stated, ', '.join(upgrades) or 'no version (none is offered now)'))


def upgrade_targets(profile, *path):
    """The kubernetesVersion of each upgrade listed at path in an upgrade profile (REST form)."""
    node = to_rest(profile) or {}
    for key in path:
        node = node.get(key) or {}
    return [u.get('kubernetesVersion') for u in node.get('upgrades') or [] if u.get('kubernetesVersion')]


# ---------------------------------------------------------------- node pools

TAINT = re.compile(r'^([A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?)(=([-A-Za-z0-9_.]{0,63}))?:(\w+)$')
TAINT_EFFECTS = ('NoSchedule', 'PreferNoSchedule', 'NoExecute')
SURGE = re.compile(r'^([1-9]\d*)(%)?$')
RESERVED_LABEL_PREFIXES = ('kubernetes.azure.com/',)

POOL_OPTIONS = dict(
    mode=dict(type='str', choices=['System', 'User']),
    vm_size=dict(type='str'),
    count=dict(type='int'),
    enable_auto_scaling=dict(type='bool'),
    min_count=dict(type='int'),
    max_count=dict(type='int'),
    zones=dict(type='list', elements='str', choices=['1', '2', '3']),
    max_surge=dict(type='str'),
    labels=dict(type='dict'),
    taints=dict(type='list', elements='str'),
    orchestrator_version=dict(type='str'),
    vnet_subnet_id=dict(type='str'),
    max_pods=dict(type='int'),
    os_disk_size_gb=dict(type='int'),
)

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
    """Why a `key=value:Effect` node taint is malformed, or None (for modules and preflight alike)."""
    match = TAINT.match(taint or '')
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


def validate_pool(module, pool, prefix=''):
    """Input errors of one pool; prefix names where the pool sits ('agent_pools[app].')."""
    check_name(module, prefix + 'name', pool['name'] or '', 'agent_pool', 'node pool name')
    scaling = autoscaling(pool)
    low, high, count = pool.get('min_count'), pool.get('max_count'), pool.get('count')
    if scaling:
        if low is None or high is None:
            module.fail('%smin_count, max_count: both are needed when auto-scaling is on; state both, '
                        'or set enable_auto_scaling=false' % prefix)
        if low > high:
            module.fail('%smin_count: %d is above max_count %d; state min_count <= max_count' % (prefix, low, high))
        if count is not None and not low <= count <= high:
            module.fail('%scount: %d is outside min_count..max_count (%d..%d); state a count in that range'
                        % (prefix, count, low, high))
    elif scaling is False and (low is not None or high is not None):
        module.fail('%smin_count, max_count: only apply with auto-scaling; remove them or set enable_auto_scaling=true'
                    % prefix)
    for option in ('count', 'min_count', 'max_count'):
        if pool.get(option) is not None and not 0 <= pool[option] <= 1000:
            module.fail('%s%s: %d is out of range; state 0 to 1000' % (prefix, option, pool[option]))
    if pool.get('max_pods') is not None and not 10 <= pool['max_pods'] <= 250:
        module.fail('%smax_pods: %d is out of range; state 10 to 250' % (prefix, pool['max_pods']))
    if pool.get('max_surge') is not None and max_surge_problem(pool['max_surge']):
        module.fail('%smax_surge: %s' % (prefix, max_surge_problem(pool['max_surge'])))
    for taint in pool.get('taints') or []:
        if taint_problem(taint):
            module.fail('%staints: %s' % (prefix, taint_problem(taint)))
    for key, value in (pool.get('labels') or {}).items():
        if not isinstance(value, str):
            module.fail('%slabels.%s: label values are strings; quote %r' % (prefix, key, value))
        if key.startswith(RESERVED_LABEL_PREFIXES):
            module.fail('%slabels.%s: the prefix kubernetes.azure.com/ is reserved by AKS; use another label key'
                        % (prefix, key))
    if pool.get('orchestrator_version') and not VERSION_PATTERN.match(pool['orchestrator_version']):
        module.fail('%sorchestrator_version: %r is not a Kubernetes version; state e.g. "1.33" or "1.33.2"'
                    % (prefix, pool['orchestrator_version']))


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


def check_pool_version(module, option, label, stated, actual_properties, upgrades):
    """Before a pool's orchestratorVersion changes: no downgrade, upgrades only to what Azure lists.

    upgrades is called only when the version really moves up.
    """
    if not stated or not actual_properties:
        return
    current = actual_properties.get('currentOrchestratorVersion') or actual_properties.get('orchestratorVersion')
    if not current or VERSION.equal(stated, actual_properties.get('orchestratorVersion')):
        return
    order = version_cmp(stated, current)
    check_upgrade(module, option, label, stated, current, upgrades() if order > 0 else [])


# ---------------------------------------------------------------- maintenance windows

DAYS = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')
START_TIME = re.compile(r'^([01]\d|2[0-3]):([0-5]\d)$')
UTC_OFFSET = re.compile(r'^([+-])(0\d|1[0-4]):([0-5]\d)$')


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
