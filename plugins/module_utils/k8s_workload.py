# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading deployments and what belongs to them, shared by k8s_rollout and k8s_workload_health.

Pods are attributed to a deployment through ownerReferences (pod -> ReplicaSet
-> Deployment), not through label selectors, so a pod of another deployment
with overlapping labels is never counted; rollout completion is judged like
`kubectl rollout status`, plus "no pod of an older ReplicaSet left".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import to_dict


class Workloads:
    """Read-only view of one namespace's deployments, pods, HPAs and PDBs."""

    def __init__(self, module, namespace):
        self.module = module
        self.namespace = namespace

    def _list(self, api_version, kind, label_selector=None):
        resource = self.module.resource(api_version, kind)
        listed = to_dict(self.module.call('list %s in %s' % (kind, self.namespace), self.module.dynamic.get, resource,
                                          namespace=self.namespace, label_selector=label_selector))
        return listed.get('items') or []

    def deployment(self, name):
        resource = self.module.resource('apps/v1', 'Deployment')
        return to_dict(self.module.get_or_none('read Deployment %s/%s' % (self.namespace, name), self.module.dynamic.get,
                                               resource, name=name, namespace=self.namespace))

    def deployments(self):
        return sorted(self._list('apps/v1', 'Deployment'), key=lambda d: d['metadata']['name'])

    def replica_sets(self, deployment):
        uid = deployment['metadata']['uid']
        return [rs for rs in self._list('apps/v1', 'ReplicaSet') if owned_by(rs, uid)]

    def pods(self, deployment, replica_sets=None):
        """Pods of the deployment (through its ReplicaSets), sorted by name."""
        uids = set(rs['metadata']['uid'] for rs in (replica_sets if replica_sets is not None else self.replica_sets(deployment)))
        selector = ','.join('%s=%s' % kv for kv in sorted(((deployment['spec'].get('selector') or {}).get('matchLabels') or {}).items()))
        return sorted((p for p in self._list('v1', 'Pod', selector or None) if any(owned_by(p, uid) for uid in uids)),
                      key=lambda p: p['metadata']['name'])

    def autoscalers(self):
        return self._list('autoscaling/v2', 'HorizontalPodAutoscaler')

    def disruption_budgets(self):
        return self._list('policy/v1', 'PodDisruptionBudget')

    def exists(self, kind, name):
        resource = self.module.resource('v1', kind)
        return self.module.get_or_none('read %s %s/%s' % (kind, self.namespace, name), self.module.dynamic.get,
                                       resource, name=name, namespace=self.namespace) is not None


def owned_by(obj, uid):
    return any(ref.get('uid') == uid for ref in obj['metadata'].get('ownerReferences') or [])


def pod_ready(pod):
    if pod['metadata'].get('deletionTimestamp'):
        return False
    return any(c.get('type') == 'Ready' and c.get('status') == 'True' for c in (pod.get('status') or {}).get('conditions') or [])


def replica_counts(deployment):
    spec, status = deployment.get('spec') or {}, deployment.get('status') or {}
    return dict(desired=spec.get('replicas', 1), current=status.get('replicas', 0) or 0,
                ready=status.get('readyReplicas', 0) or 0, updated=status.get('updatedReplicas', 0) or 0,
                available=status.get('availableReplicas', 0) or 0)


def rollout_state(deployment):
    """(complete, reason): whether the deployment has finished rolling out, and why not."""
    metadata, status = deployment['metadata'], deployment.get('status') or {}
    for condition in status.get('conditions') or []:
        if condition.get('type') == 'Progressing' and condition.get('reason') == 'ProgressDeadlineExceeded':
            return False, 'progress deadline exceeded: %s' % condition.get('message', '')
    counts = replica_counts(deployment)
    if (status.get('observedGeneration') or 0) < metadata.get('generation', 0):
        return False, 'the controller has not observed generation %s yet' % metadata.get('generation')
    if counts['updated'] < counts['desired']:
        return False, '%(updated)s of %(desired)s replicas updated' % counts
    if counts['current'] > counts['updated']:
        return False, '%s old replicas pending termination' % (counts['current'] - counts['updated'])
    if counts['available'] < counts['desired']:
        return False, '%(available)s of %(desired)s updated replicas available' % counts
    return True, 'complete'


def selects(selector, labels):
    """Whether a label selector (matchLabels and matchExpressions) selects these labels."""
    if not selector:
        return False
    labels = labels or {}
    for key, value in (selector.get('matchLabels') or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get('matchExpressions') or []:
        key, operator, values = expression['key'], expression['operator'], expression.get('values') or []
        if operator == 'In' and labels.get(key) not in values:
            return False
        if operator == 'NotIn' and key in labels and labels[key] in values:
            return False
        if operator == 'Exists' and key not in labels:
            return False
        if operator == 'DoesNotExist' and key in labels:
            return False
    return True


def referenced_objects(pod_spec):
    """(kind, name) of the Secrets and ConfigMaps a pod template needs (optional references excluded)."""
    found = set()
    containers = (pod_spec.get('containers') or []) + (pod_spec.get('initContainers') or [])
    for container in containers:
        for source in container.get('envFrom') or []:
            for field, kind in (('secretRef', 'Secret'), ('configMapRef', 'ConfigMap')):
                ref = source.get(field)
                if ref and not ref.get('optional'):
                    found.add((kind, ref['name']))
        for env in container.get('env') or []:
            value_from = env.get('valueFrom') or {}
            for field, kind in (('secretKeyRef', 'Secret'), ('configMapKeyRef', 'ConfigMap')):
                ref = value_from.get(field)
                if ref and not ref.get('optional'):
                    found.add((kind, ref['name']))
    for volume in pod_spec.get('volumes') or []:
        if volume.get('secret') and not volume['secret'].get('optional'):
            found.add(('Secret', volume['secret']['secretName']))
        if volume.get('configMap') and not volume['configMap'].get('optional'):
            found.add(('ConfigMap', volume['configMap']['name']))
    return sorted(found)
