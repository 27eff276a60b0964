# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Server-side apply of a set of manifests, with exact prediction.

Whether an object changes is decided by the API server, not by comparing the
manifest with the live object: a server-side dry run of the apply gives the
object as it would be (defaults, quantities and field ownership resolved by
the server), and the object is written only when that differs from the live
one. The same dry run is what check mode reports, so validation errors and
the changed set in check mode are the real ones.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import copy

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import to_dict

MASK = '********'
MASK_CHANGED = '******** (changed)'

# Kinds are applied in this order (then the rest, alphabetically) and pruned in the reverse order.
KIND_ORDER = (
    'Namespace', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'ServiceAccount',
    'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Secret', 'ConfigMap', 'Service',
    'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob',
    'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy',
)

# Kinds searched for orphans besides the kinds the definitions contain. Namespaces are never
# searched unless named in prune_kinds: deleting one deletes everything in it.
DEFAULT_PRUNE_KINDS = (
    'v1/ConfigMap', 'v1/Secret', 'v1/Service', 'v1/ServiceAccount', 'apps/v1/Deployment',
    'autoscaling/v2/HorizontalPodAutoscaler', 'policy/v1/PodDisruptionBudget',
    'networking.k8s.io/v1/NetworkPolicy', 'rbac.authorization.k8s.io/v1/Role',
    'rbac.authorization.k8s.io/v1/RoleBinding', 'rbac.authorization.k8s.io/v1/ClusterRole',
    'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
)

# Written by the server on every write; never a difference the user made.
VOLATILE_METADATA = ('managedFields', 'resourceVersion', 'generation')


def kind_rank(kind):
    return (KIND_ORDER.index(kind), '') if kind in KIND_ORDER else (len(KIND_ORDER), kind)


def check_definitions(definitions):
    """Problems of the manifests themselves ('definitions[i]...: message'), found before any call."""
    problems = []
    seen = {}
    for index, item in enumerate(definitions):
        where = 'definitions[%d]' % index
        if not isinstance(item, dict):
            problems.append('%s: a manifest is a mapping, not %s' % (where, type(item).__name__))
            continue
        for field in ('apiVersion', 'kind'):
            if not isinstance(item.get(field), str) or not item.get(field):
                problems.append('%s.%s: required; state it (e.g. apiVersion: apps/v1, kind: Deployment)' % (where, field))
        metadata = item.get('metadata')
        if not isinstance(metadata, dict) or not isinstance(metadata.get('name'), str) or not metadata.get('name'):
            problems.append('%s.metadata.name: required; every manifest names its object' % where)
            continue
        if 'generateName' in metadata:
            problems.append('%s.metadata.generateName: not idempotent; give a fixed metadata.name' % where)
        key = (item.get('apiVersion'), item.get('kind'), metadata.get('namespace'), metadata['name'])
        if key in seen:
            problems.append('%s: the same object as definitions[%d] (%s %s); declare each object once'
                            % (where, seen[key], item.get('kind'), metadata['name']))
        seen.setdefault(key, index)
    return problems


def secret_values(definitions):
    """Every Secret value in the manifests, as given and base64-encoded/decoded, to hide from output."""
    values = set()
    for item in definitions:
        if not isinstance(item, dict) or item.get('kind') != 'Secret':
            continue
        for field in ('data', 'stringData'):
            for value in (item.get(field) or {}).values():
                if not isinstance(value, str) or not value:
                    continue
                values.add(value)
                if field == 'stringData':
                    values.add(base64.b64encode(value.encode('utf-8')).decode('ascii'))
                else:
                    try:
                        values.add(base64.b64decode(value, validate=True).decode('utf-8'))
                    except (ValueError, UnicodeDecodeError):
                        pass
    return values


def label(obj):
    metadata = obj.get('metadata') or {}
    where = '%s/' % metadata['namespace'] if metadata.get('namespace') else ''
    return '%s %s%s' % (obj.get('kind'), where, metadata.get('name'))


def comparable(obj):
    """The object without what the server rewrites on every write (and without status)."""
    if obj is None:
        return None
    result = copy.deepcopy(obj)
    result.pop('status', None)
    for field in VOLATILE_METADATA:
        (result.get('metadata') or {}).pop(field, None)
    return result


def shown(obj, other=None):
    """The object as output may show it: no managedFields or status, Secret values masked.

    With `other` (the object before), a Secret value that differs from it reads MASK_CHANGED.
    """
    if obj is None:
        return {}
    result = comparable(obj)
    (result.get('metadata') or {}).pop('managedFields', None)
    if result.get('kind') == 'Secret':
        others = (other or {}).get('data') or {}
        for field in ('data', 'stringData'):
            if isinstance(result.get(field), dict):
                result[field] = dict((k, MASK if other is None or others.get(k) == v else MASK_CHANGED)
                                     for k, v in result[field].items())
    return result


def differences(before, after, path=''):
    """Paths whose value differs between two comparable objects: [{path, before, after}]."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            found.extend(differences(before.get(key), after.get(key), '%s.%s' % (path, key) if path else str(key)))
        return found
    if before == after:
        return []
    return [dict(path=path, before=before, after=after)]


def masked_differences(obj, found):
    if obj.get('kind') != 'Secret':
        return found
    return [dict(d, before=MASK, after=MASK_CHANGED) if d['path'].split('.')[0] in ('data', 'stringData') else d
            for d in found]


class Applier:
    """Applies manifests with one field manager and reports what changed."""

    def __init__(self, module, field_manager, force_conflicts=False, default_namespace=None, defer_replicas=True):
        self.module = module
        self.field_manager = field_manager
        self.force_conflicts = force_conflicts
        self.default_namespace = default_namespace
        self.defer_replicas = defer_replicas
        self.pending_namespaces = set()
        self.autoscaled = set()

    def note_autoscaled(self, manifests):
        """Remember the workloads an autoscaler among the manifests scales ((namespace, kind, name))."""
        for item in manifests:
            if item['kind'] == 'HorizontalPodAutoscaler':
                ref = (item.get('spec') or {}).get('scaleTargetRef') or {}
                namespace = item['metadata'].get('namespace') or self.default_namespace
                self.autoscaled.add((namespace, ref.get('kind'), ref.get('name')))

    def settle_replicas(self, obj, before):
        """An autoscaled workload that exists keeps its live replica count: the autoscaler owns it after creation."""
        key = (obj['metadata'].get('namespace'), obj['kind'], obj['metadata']['name'])
        spec = obj.get('spec') or {}
        if self.defer_replicas and before is not None and key in self.autoscaled and 'replicas' in spec:
            live = (before.get('spec') or {}).get('replicas')
            if live is not None:
                spec['replicas'] = live

    def place(self, obj):
        """The manifest with its namespace settled (the default for namespaced kinds, none for cluster ones)."""
        obj = copy.deepcopy(obj)
        resource = self.module.resource(obj['apiVersion'], obj['kind'])
        metadata = obj.setdefault('metadata', {})
        if resource.namespaced:
            metadata.setdefault('namespace', self.default_namespace)
            if not metadata.get('namespace'):
                self.module.fail('namespace: %s is namespaced; state metadata.namespace or the namespace option' % label(obj))
        else:
            metadata.pop('namespace', None)
        return resource, obj

    def read(self, resource, obj):
        metadata = obj['metadata']
        return to_dict(self.module.get_or_none('read %s' % label(obj), self.module.dynamic.get, resource,
                                               name=metadata['name'], namespace=metadata.get('namespace')))

    def server_apply(self, resource, obj, dry_run):
        metadata = obj['metadata']
        return to_dict(self.module.call(
            '%s %s' % ('dry-run apply of' if dry_run else 'apply', label(obj)), self.module.dynamic.server_side_apply,
            resource, body=obj, name=metadata['name'], namespace=metadata.get('namespace'),
            field_manager=self.field_manager, force_conflicts=self.force_conflicts,
            dry_run='All' if dry_run else None))

    def apply(self, manifest):
        """Apply one manifest; returns (report, before, after)."""
        resource, obj = self.place(manifest)
        namespace = obj['metadata'].get('namespace')
        before = self.read(resource, obj)
        self.settle_replicas(obj, before)
        report = dict(apiVersion=obj['apiVersion'], kind=obj['kind'], name=obj['metadata']['name'], namespace=namespace,
                      validated=True)
        if before is None and namespace in self.pending_namespaces:
            # check mode, namespace not created yet: the server cannot dry-run into it
            report.update(action='created', validated=False, differences=[])
            return report, None, shown(obj)
        predicted = self.server_apply(resource, obj, dry_run=True)
        found = differences(comparable(before), comparable(predicted)) if before is not None else []
        if before is not None and not found:
            report.update(action='unchanged', differences=[])
            return report, before, before
        after = predicted
        if not self.module.check_mode:
            after = self.server_apply(resource, obj, dry_run=False)
        elif before is None and obj['kind'] == 'Namespace':
            self.pending_namespaces.add(obj['metadata']['name'])
        report.update(action='created' if before is None else 'updated', differences=masked_differences(obj, found))
        return report, before, after

    def apply_all(self, manifests):
        """Apply in dependency order; returns (reports, diffs)."""
        reports, diffs = [], []
        self.note_autoscaled(manifests)
        for manifest in sorted(manifests, key=lambda m: kind_rank(m['kind'])):
            report, before, after = self.apply(manifest)
            reports.append(report)
            if report['action'] != 'unchanged':
                diffs.append(dict(before_header=label(manifest) if before else '(absent)',
                                  after_header=label(manifest),
                                  before=shown(before) if before else {}, after=shown(after, before)))
        return reports, diffs

    def unowned(self, manifests, owner_label, owner):
        """Problems for manifests whose object exists without owner_label=owner: someone else created it.

        Read before anything is written, so a refusal leaves the cluster as it was (kube-system objects an
        add-on or a person made are never taken over).
        """
        problems = []
        for manifest in manifests:
            resource, obj = self.place(manifest)
            before = self.read(resource, obj)
            labels = ((before or {}).get('metadata') or {}).get('labels') or {}
            if before is not None and labels.get(owner_label) != owner:
                problems.append('definitions: %s exists and is not labelled %s=%s, so this collection did not create it; '
                                'it is left as it is (label it %s=%s to hand it over, or set adopt=true)'
                                % (label(obj), owner_label, owner, owner_label, owner))
        return problems

    # ---- objects of the owner that are no longer declared ----
    def orphans(self, reports, owner_label, owner, prune_kinds):
        """Objects labelled owner_label=owner, of the searched kinds, that no manifest declares."""
        declared = set((r['kind'], r['namespace'], r['name']) for r in reports)
        namespaces = sorted(set(r['namespace'] for r in reports if r['namespace']) | (
            set([self.default_namespace]) if self.default_namespace else set()))
        kinds = dict(('%s/%s' % (r['apiVersion'], r['kind']), None) for r in reports if r['kind'] != 'Namespace')
        kinds.update((k, None) for k in prune_kinds)
        found = []
        selector = '%s=%s' % (owner_label, owner)
        for kind_ref in kinds:
            api_version, kind = kind_ref.rsplit('/', 1)
            resource = self.module.resource(api_version, kind)
            scopes = namespaces if resource.namespaced else [None]
            for namespace in scopes:
                if namespace in self.pending_namespaces:
                    continue
                listed = to_dict(self.module.call('list %s with %s' % (kind, selector), self.module.dynamic.get, resource,
                                                  namespace=namespace, label_selector=selector))
                for item in listed.get('items') or []:
                    metadata = item['metadata']
                    if (kind, metadata.get('namespace'), metadata['name']) not in declared:
                        found.append(dict(apiVersion=api_version, kind=kind, name=metadata['name'],
                                          namespace=metadata.get('namespace')))
        return sorted(found, key=lambda o: (kind_rank(o['kind']), o['namespace'] or '', o['name']), reverse=True)

    def delete(self, orphan):
        """Delete an orphan (a server-side dry run in check mode, so a refusal shows there too)."""
        resource = self.module.resource(orphan['apiVersion'], orphan['kind'])
        self.module.get_or_none('delete %s' % label(dict(orphan, metadata=orphan)), self.module.dynamic.delete, resource,
                                name=orphan['name'], namespace=orphan['namespace'],
                                dry_run='All' if self.module.check_mode else None)
        return dict(orphan, action='deleted')
