# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The weekly capacity review (SPEC §10) as checks for procedure_report.

Pure functions over what was read: each AKS pool's nodes against its
autoscaler limits (ARM's minCount/maxCount, the nodes Kubernetes really has),
pods no node fits, and horizontal pod autoscalers at their maximum or
without metrics. A pool or an autoscaler at its maximum can no longer absorb
load, which is what the capacity review is for; thresholds come from the
inventory (`phonebill_weekly.capacity`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

CATEGORY = 'capacity'
# How many pods, autoscalers ... a detail names before it says "and N more".
NAMED_IN_DETAIL = 5
THRESHOLD_KEYS = ('pool_warn_percent_of_max', 'pool_fail_at_max', 'pending_pods_max')


def threshold_problems(thresholds, path='capacity'):
    """Problems of the capacity thresholds ('path.key: what; the fix')."""
    if not isinstance(thresholds, dict):
        return ['%s: must be a mapping with %s; state them in phonebill_weekly.capacity' % (path, ', '.join(THRESHOLD_KEYS))]
    problems = ['%s.%s: missing; state it in phonebill_weekly.capacity' % (path, key) for key in THRESHOLD_KEYS if key not in thresholds]
    percent = thresholds.get('pool_warn_percent_of_max')
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, (int, float)) or not 0 < percent <= 100):
        problems.append('%s.pool_warn_percent_of_max: %r is not a percentage; give a number above 0 and at most 100' % (path, percent))
    pending = thresholds.get('pending_pods_max')
    if pending is not None and (isinstance(pending, bool) or not isinstance(pending, int) or pending < 0):
        problems.append('%s.pending_pods_max: %r is not a count; give 0 or more' % (path, pending))
    return problems


def _named(items):
    shown = list(items)[:NAMED_IN_DETAIL]
    more = len(items) - len(shown)
    return '; '.join(shown) + ('; and %d more' % more if more > 0 else '')


def pool_checks(pools, nodes, thresholds):
    """One or two checks per pool: its nodes against the autoscaler limits, and nodes Kubernetes has ready.

    pools: ARM agent pools (REST form); nodes: {pool name: {'count': n, 'ready': n}} read from
    Kubernetes (label agentpool). The node count judged is Kubernetes' (what really runs), ARM's
    count when the pool has no node registered yet.
    """
    checks = []
    for pool in sorted(pools, key=lambda p: p.get('name') or ''):
        name = pool.get('name')
        props = pool.get('properties') or pool
        arm_count = props.get('count') or 0
        real = nodes.get(name) or {}
        count = real.get('count', arm_count)
        if props.get('enableAutoScaling'):
            low, high = props.get('minCount'), props.get('maxCount')
            warn = int(math.floor(high * thresholds['pool_warn_percent_of_max'] / 100.0))
            check = dict(name='node pool %s nodes vs autoscaler' % name, category=CATEGORY, measured=count, unit='nodes',
                         min=low, warn_max=warn, max=high - 1 if thresholds['pool_fail_at_max'] else high,
                         detail='%d of %d-%d nodes (autoscaler); WARN above %d (%s%% of the maximum)%s'
                         % (count, low, high, warn, thresholds['pool_warn_percent_of_max'],
                            ', FAIL at the maximum: the autoscaler can add no node' if thresholds['pool_fail_at_max'] else ''))
        else:
            check = dict(name='node pool %s nodes vs autoscaler' % name, category=CATEGORY, measured=count, unit='nodes',
                         expected=arm_count, detail='autoscaler off: %d nodes stated' % arm_count)
        checks.append(check)
        if real:
            checks.append(dict(name='node pool %s nodes ready' % name, category=CATEGORY, measured=real.get('ready', 0),
                               unit='nodes', warn_min=count,
                               detail='%d of %d nodes in Kubernetes ready (Azure states %d)' % (real.get('ready', 0), count, arm_count)))
    return checks


def unschedulable(pod):
    """The scheduler's message when a pending pod fits no node, else None."""
    status = pod.get('status') or {}
    if status.get('phase') != 'Pending':
        return None
    for condition in status.get('conditions') or []:
        if condition.get('type') == 'PodScheduled' and condition.get('status') == 'False' and condition.get('reason') == 'Unschedulable':
            return condition.get('message') or 'Unschedulable'
    return None


def pending_pod_check(pods, thresholds):
    """How many pods no node fits (the scheduler says Unschedulable), with the scheduler's reasons."""
    found = []
    for pod in pods:
        message = unschedulable(pod)
        if message is not None:
            meta = pod.get('metadata') or {}
            found.append('%s/%s: %s' % (meta.get('namespace'), meta.get('name'), message))
    return dict(name='pods no node fits', category=CATEGORY, measured=len(found), unit='pods', max=thresholds['pending_pods_max'],
                detail=_named(sorted(found)) or 'every pending pod has a node')


def _condition(hpa, kind):
    for condition in (hpa.get('status') or {}).get('conditions') or []:
        if condition.get('type') == kind:
            return condition
    return None


def metrics_unknown(hpa):
    """Why an autoscaler cannot read its metrics (ScalingActive False, or a metric without a current value), else None."""
    active = _condition(hpa, 'ScalingActive')
    if active is not None and active.get('status') == 'False':
        return '%s: %s' % (active.get('reason'), active.get('message') or '')
    specified = len((hpa.get('spec') or {}).get('metrics') or [])
    current = [m for m in (hpa.get('status') or {}).get('currentMetrics') or [] if _has_value(m)]
    if specified and len(current) < specified:
        return '%d of %d metrics have no current value' % (specified - len(current), specified)
    return None


def _has_value(metric):
    source = metric.get(_source_key(metric.get('type'))) or {}
    current = source.get('current') or {}
    return any(current.get(key) is not None for key in ('value', 'averageValue', 'averageUtilization'))


def _source_key(kind):
    """autoscaling/v2 MetricStatus: type Resource -> field resource, ContainerResource -> containerResource, ..."""
    return (kind or '')[:1].lower() + (kind or '')[1:]


def autoscaler_checks(autoscalers):
    """Per autoscaler its replicas against its maximum (WARN at it); one check counting those without metrics."""
    checks, unknown = [], []
    for hpa in sorted(autoscalers, key=lambda h: ((h.get('metadata') or {}).get('namespace'), (h.get('metadata') or {}).get('name'))):
        meta, spec, status = hpa.get('metadata') or {}, hpa.get('spec') or {}, hpa.get('status') or {}
        label = '%s/%s' % (meta.get('namespace'), meta.get('name'))
        high, low = spec.get('maxReplicas'), spec.get('minReplicas', 1)
        current = status.get('currentReplicas')
        detail = '%s of %s-%s replicas, desired %s' % (current, low, high, status.get('desiredReplicas'))
        if current is not None and current >= high:
            detail += '; at its maximum: it cannot scale out further'
        checks.append(dict(name='autoscaler %s replicas vs maximum' % label, category=CATEGORY, measured=current, unit='replicas',
                           warn_max=high - 1, detail=detail))
        reason = metrics_unknown(hpa)
        if reason:
            unknown.append('%s: %s' % (label, reason))
    checks.append(dict(name='autoscalers with unknown metrics', category=CATEGORY, measured=len(unknown), unit='autoscalers',
                       warn_max=0, detail=_named(unknown) or 'every autoscaler reads its metrics'))
    return checks


def checks(pools, nodes, pods, autoscalers, thresholds):
    """The whole capacity review, in report order."""
    return pool_checks(pools, nodes, thresholds) + [pending_pod_check(pods, thresholds)] + autoscaler_checks(autoscalers)
