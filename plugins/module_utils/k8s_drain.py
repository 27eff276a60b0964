# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a node drain does with each pod, and how long it waits between refused evictions.

Pure functions, shared by the k8s_drain module and its tests; the rules are
those of `kubectl drain`: DaemonSet pods and mirror pods stay (their
controller or the kubelet would put them back at once), a pod with emptyDir
data or without a controller is evicted only when asked to, because its data
or the pod itself would be lost for good. A pod may name the emptyDir volumes
whose data is disposable in the cluster autoscaler's annotation
(`SAFE_LOCAL_VOLUMES`), as it does for scale-down.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

MIRROR_ANNOTATION = 'kubernetes.io/config.mirror'
#: comma-separated emptyDir volumes whose data may be lost (the cluster autoscaler's own annotation)
SAFE_LOCAL_VOLUMES = 'cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes'
#: seconds between rounds of refused evictions: doubled from the first, never above the last
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 5.0

EVICT, SKIP, BLOCKED = 'evict', 'skip', 'blocked'


def pod_key(pod):
    return '%s/%s' % (pod['metadata']['namespace'], pod['metadata']['name'])


def controller_of(pod):
    """The ownerReference marked controller, or None."""
    return next((ref for ref in pod['metadata'].get('ownerReferences') or [] if ref.get('controller')), None)


def classify(pod, delete_emptydir_data=False, force=False):
    """(EVICT | SKIP | BLOCKED, why) for one pod of a node being drained."""
    metadata = pod['metadata']
    if MIRROR_ANNOTATION in (metadata.get('annotations') or {}):
        return SKIP, 'mirror pod of a static pod: the kubelet manages it'
    controller = controller_of(pod)
    if controller and controller.get('kind') == 'DaemonSet':
        return SKIP, 'DaemonSet pod (%s): it runs on every node and tolerates the cordon' % controller.get('name')
    if (pod.get('status') or {}).get('phase') in ('Succeeded', 'Failed'):
        return EVICT, 'finished (%s)' % pod['status']['phase']
    if not controller and not force:
        return BLOCKED, 'not managed by a controller: it would not be recreated; delete it yourself or set force=true'
    disposable = set(name.strip() for name in str((metadata.get('annotations') or {}).get(SAFE_LOCAL_VOLUMES, '')).split(','))
    empty_dirs = sorted(v['name'] for v in (pod.get('spec') or {}).get('volumes') or []
                        if 'emptyDir' in v and v['name'] not in disposable)
    if empty_dirs and not delete_emptydir_data:
        return BLOCKED, ('uses emptyDir volume(s) %s whose data is lost on eviction; set delete_emptydir_data=true'
                         % ', '.join(empty_dirs))
    if controller:
        return EVICT, 'managed by %s %s' % (controller.get('kind'), controller.get('name'))
    return EVICT, 'not managed by a controller (force=true): it will not be recreated'


def plan(pods, delete_emptydir_data=False, force=False):
    """{EVICT: [...], SKIP: [...], BLOCKED: [...]} of {pod, node, reason} and the EVICT pods themselves."""
    groups = {EVICT: [], SKIP: [], BLOCKED: []}
    to_evict = []
    for pod in sorted(pods, key=pod_key):
        action, why = classify(pod, delete_emptydir_data, force)
        groups[action].append(dict(pod=pod_key(pod), node=pod['spec'].get('nodeName'), reason=why))
        if action == EVICT:
            to_evict.append(pod)
    return groups, to_evict


def next_backoff(previous, progressed):
    """Seconds to wait before the next round of evictions: back to the first after progress, else doubled."""
    if progressed or previous is None:
        return BACKOFF_FIRST
    return min(previous * 2, BACKOFF_MAX)


def namespace_terminating(body):
    """Whether an API error body (a metav1.Status) is the refusal of a write in a namespace being deleted."""
    if isinstance(body, bytes):
        body = body.decode('utf-8', 'replace')
    try:
        status = json.loads(body) if body else {}
    except ValueError:
        return False
    causes = ((status if isinstance(status, dict) else {}).get('details') or {}).get('causes') or []
    return any(cause.get('reason') == 'NamespaceTerminating' for cause in causes)


def refusal_reason(details, message):
    """Why an eviction was refused: the disruption budget's own words when the API gives them."""
    causes = [c.lstrip(': ') for c in details.get('causes') or [] if c.lstrip(': ')]
    return '; '.join(causes) if causes else message
