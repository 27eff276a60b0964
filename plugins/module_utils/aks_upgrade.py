# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a controlled AKS upgrade needs judged, as pure functions (docs/maintenance.md).

The upgrade procedure and the weekly node image step read the cluster once
(`aks_upgrade_info`) and these functions judge it: is the target offered and
within the version skew rules, do the surge nodes fit in the subnet, does
every disruption budget allow a disruption now, is any operation running,
how long will each step take, and is a pool's node image behind. Each check
is a `procedure_report` check (name, category, measured, detail, status).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import math
import re

from ansible_collections.phonebill.platform.plugins.module_utils import aks, waiter

#: AKS keeps node pools at most this many minor versions behind the control plane (Kubernetes' kubelet skew, n-3)
POOL_MINOR_SKEW = 3
#: Azure reserves five addresses of every subnet
SUBNET_RESERVED = 5
#: AKS's default max surge for a pool that states none
DEFAULT_SURGE = '10%'


def minor(version):
    """(major, minor) of '1.33' or '1.33.2'."""
    return tuple(aks.version_key(version)[:2])


def surge_nodes(count, max_surge):
    """Extra nodes AKS adds during a pool's upgrade: a count, or a percentage of the nodes rounded up (at least 1)."""
    surge = str(max_surge or DEFAULT_SURGE)
    if surge.endswith('%'):
        return max(1, int(math.ceil(count * int(surge[:-1]) / 100.0)))
    return max(1, int(surge))


def batches(count, max_surge):
    """How many rounds of surge nodes a pool upgrade (version or node image) takes."""
    return max(1, int(math.ceil(max(count, 1) / float(surge_nodes(count, max_surge)))))


def pool_budget_minutes(count, max_surge, minutes_per_batch):
    """The time a pool upgrade is allowed: one batch time per round of surge nodes."""
    return batches(count, max_surge) * minutes_per_batch


def image_key(image):
    """The release of a node image, comparable: AKSUbuntu-2204gen2containerd-202507.21.0 -> (202507, 21, 0)."""
    return tuple(int(part) for part in re.findall(r'\d+', (image or '').rsplit('-', 1)[-1]))


def image_behind(current, latest):
    """Whether a pool's node image is older than the latest AKS offers for it."""
    return bool(latest) and (current or '') != latest and image_key(current) < image_key(latest)


def pool_facts(pool, latest_image, minutes_per_batch):
    """One pool as the procedures use it, from its REST form and its upgrade profile's latest node image."""
    props = pool.get('properties') or pool
    count = props.get('count') or 0
    surge = (props.get('upgradeSettings') or {}).get('maxSurge') or DEFAULT_SURGE
    return dict(
        name=pool['name'], mode=props.get('mode') or 'User', state=props.get('provisioningState'),
        version=props.get('currentOrchestratorVersion') or props.get('orchestratorVersion'),
        node_image_version=props.get('nodeImageVersion'), latest_node_image_version=latest_image,
        image_behind=image_behind(props.get('nodeImageVersion'), latest_image),
        count=count, max_surge=surge, surge_nodes=surge_nodes(count, surge), batches=batches(count, surge),
        budget_minutes=pool_budget_minutes(count, surge, minutes_per_batch),
        max_pods=props.get('maxPods'), subnet_id=props.get('vnetSubnetID'))


def running(cluster_name, cluster, pools):
    """Every operation in progress on the cluster or its pools (`waiter.running` lines)."""
    found = waiter.running('AKS cluster %s' % cluster_name, cluster)
    for pool in pools:
        found += waiter.running('node pool %s' % pool['name'], pool)
    return found


def check(name, status, measured, detail, category='upgrade', unit=None):
    """A procedure_report check judged here (status rule)."""
    return dict(name=name, category=category, measured=measured, unit=unit, detail=detail, status=status)


def offered_check(target, control_plane, upgrades):
    """The target must be one the cluster's upgrade profile lists (what AKS offers from here)."""
    listed = [u for u in upgrades if aks.version_cmp(target, u) == 0]
    if aks.version_cmp(target, control_plane) == 0:
        return check('target version offered', 'PASS', target, 'the control plane already runs %s' % control_plane)
    return check('target version offered', 'PASS' if listed else 'FAIL', target,
                 'offered upgrades from %s: %s' % (control_plane, ', '.join(upgrades) or 'none'))


def skew_check(target, control_plane, pools):
    """No minor version skipped, and no pool left more than POOL_MINOR_SKEW minors behind the new control plane."""
    problems = []
    if minor(target) < minor(control_plane):
        problems.append('%s is below the control plane %s (AKS never downgrades)' % (target, control_plane))
    elif minor(target)[1] > minor(control_plane)[1] + 1:
        problems.append('%s skips a minor version from %s; upgrade one minor version at a time' % (target, control_plane))
    for pool in pools:
        if pool['version'] and minor(target)[1] - minor(pool['version'])[1] > POOL_MINOR_SKEW:
            problems.append('pool %s at %s would be more than %d minor versions behind %s'
                            % (pool['name'], pool['version'], POOL_MINOR_SKEW, target))
    return check('version skew', 'FAIL' if problems else 'PASS', target,
                 '; '.join(problems) or 'control plane %s -> %s, pools %s' % (
                     control_plane, target, ', '.join('%s %s' % (p['name'], p['version']) for p in pools)))


def subnet_addresses(prefix):
    """Addresses a subnet gives to nodes (Azure keeps five)."""
    return ipaddress.ip_network(prefix, strict=False).num_addresses - SUBNET_RESERVED


def surge_check(pools, subnets, overlay):
    """The largest pool's surge must fit in its subnet next to every node there (pods too, without overlay).

    Pools are upgraded one at a time, so at most one pool's surge nodes exist at once.
    `subnets` maps a lower-cased subnet id to its address prefix.
    """
    problems, measured = [], []
    by_subnet = {}
    for pool in pools:
        by_subnet.setdefault((pool['subnet_id'] or '').lower(), []).append(pool)
    for subnet_id, members in sorted(by_subnet.items()):
        prefix = subnets.get(subnet_id)
        if not subnet_id or not prefix:
            continue

        def addresses(pool, nodes):
            return nodes * (1 if overlay else (pool['max_pods'] or 30) + 1)
        used = sum(addresses(p, p['count']) for p in members)
        worst = max(members, key=lambda p: addresses(p, p['surge_nodes']))
        needed, free = used + addresses(worst, worst['surge_nodes']), subnet_addresses(prefix)
        measured.append('%s: %d of %d addresses (surge of %s: %d nodes)' % (
            subnet_id.rsplit('/', 1)[-1], needed, free, worst['name'], worst['surge_nodes']))
        if needed > free:
            problems.append('subnet %s (%s) has %d addresses for nodes, the upgrade of pool %s needs %d; lower its '
                            'max_surge or widen the subnet' % (subnet_id.rsplit('/', 1)[-1], prefix, free, worst['name'], needed))
    return check('surge capacity', 'FAIL' if problems else 'PASS', '; '.join(measured) or None,
                 '; '.join(problems) or 'every pool\'s surge nodes fit in its subnet (one pool at a time)')


def budget_check(budgets):
    """Every PodDisruptionBudget must allow a disruption now, or the drains of the upgrade stop on it."""
    blocked = ['%s/%s' % (b['namespace'], b['name']) for b in budgets if not b.get('disruptions_allowed')]
    return check('disruption budgets allow a disruption', 'FAIL' if blocked else 'PASS', len(blocked),
                 ('allow no disruption now: %s' % ', '.join(blocked)) if blocked
                 else '%d budget(s), each allowing a disruption' % len(budgets), unit='budgets blocking')


def idle_check(in_progress):
    return check('no operation in progress', 'FAIL' if in_progress else 'PASS', len(in_progress),
                 '; '.join(in_progress) or 'the cluster and every pool are in a terminal state', unit='operations')


def prechecks(target, control_plane, upgrades, pools, subnets, overlay, budgets, in_progress):
    """Every pre-check of a controlled upgrade; any FAIL means nothing is upgraded."""
    return [offered_check(target, control_plane, upgrades), skew_check(target, control_plane, pools),
            surge_check(pools, subnets, overlay), budget_check(budgets), idle_check(in_progress)]
