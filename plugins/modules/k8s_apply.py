#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_apply
short_description: Server-side apply a set of Kubernetes manifests, reporting and pruning orphans
version_added: 0.1.0
description:
  - Applies each manifest with Kubernetes server-side apply under one field manager, in dependency order
    (namespaces, RBAC, configuration, services, workloads, autoscalers, disruption budgets, policies).
  - Whether an object changes is decided by the API server. A server-side dry run of the apply gives the object as
    it would be, and the object is written only when that differs from the live object (ignoring
    C(metadata.managedFields), C(resourceVersion), C(generation) and C(status)). A second run writes nothing.
  - Check mode makes only the server-side dry runs (C(dryRun=All)), so admission and validation errors show in check
    mode and the predicted changed set is the real one. Objects in a namespace that check mode has not created yet
    cannot be dry-run; they are reported as created with C(validated=false).
  - Fields set by other field managers are left alone; a field this manager owned and no longer states is removed
    (server-side apply semantics).
  - With O(owner), every object gets the label O(owner_label)=O(owner); objects carrying that label but no longer
    declared are reported in RV(orphans), and deleted only with O(prune=true).
  - Secret values are masked in the result and in C(--diff); a changed value shows as C(******** (changed)).
options:
  definitions:
    description: The manifests (each with C(apiVersion), C(kind), C(metadata.name)). Mutually exclusive with O(src).
    type: list
    elements: dict
  src:
    description: Path of a YAML file of manifests (several documents allowed). Mutually exclusive with O(definitions).
    type: path
  namespace:
    description: Namespace of namespaced manifests that state none.
    type: str
  field_manager:
    description: Field manager name of the apply; the owner of the fields the manifests state.
    type: str
    default: phonebill-platform
  force_conflicts:
    description:
      - Take over fields another field manager owns instead of failing with the conflict.
      - Without it a conflict fails the module with the fields and their manager, and nothing of that object is written.
    type: bool
    default: false
  defer_replicas_to_hpa:
    description:
      - For a workload that a HorizontalPodAutoscaler among the manifests scales, state C(spec.replicas) only when
        creating it; once it exists its live replica count is kept, so an apply never resets what the autoscaler
        chose and never conflicts with it.
    type: bool
    default: true
  owner:
    description:
      - Ownership label value put on every object (O(owner_label)=O(owner)), and searched for orphans.
      - Without it no orphan is searched.
    type: str
  owner_label:
    description: Label key of the ownership label.
    type: str
    default: platform.phonebill.io/owner
  prune:
    description:
      - Delete the orphans (objects labelled as O(owner)'s that no manifest declares). Without it they are only
        reported. Needs O(owner).
    type: bool
    default: false
  prune_kinds:
    description:
      - Kinds searched for orphans, as C(<apiVersion>/<kind>), besides the kinds the manifests contain.
      - The default covers the workload kinds (ConfigMap, Secret, Service, ServiceAccount, Deployment,
        HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, Role, RoleBinding, ClusterRole,
        ClusterRoleBinding). Namespaces are searched only when listed here.
    type: list
    elements: str
  adopt:
    description:
      - Write over an object that exists without the ownership label (O(owner_label)=O(owner)).
      - With V(false), every manifest is read first and, when one names an object that exists without that label
        (created by an add-on, another tool or a person, e.g. in C(kube-system)), the module fails naming it and writes
        nothing. Needs O(owner).
    type: bool
    default: true
extends_documentation_fragment:
  - phonebill.platform.k8s
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
notes:
  - Secret values in O(definitions) are masked in the result and the logged arguments, but the module's own
    start-up log line (syslog/journal on the target) is written before the module can read them; set C(no_log) on
    tasks that carry Secret data.
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Apply the workloads, reporting objects no longer declared
  phonebill.platform.k8s_apply:
    kubeconfig: "{{ phonebill_kubeconfig }}"
    definitions: "{{ lookup('ansible.builtin.template', 'manifests.yml.j2') | ansible.builtin.from_yaml_all | list }}"
    owner: workloads
  register: applied

- name: Apply a file and delete what the file no longer declares
  phonebill.platform.k8s_apply:
    src: /srv/manifests/kos-mock.yml
    namespace: phonebill-prod
    owner: kos-mock
    prune: true
'''

RETURN = r'''
objects:
  description: Every manifest, in apply order, with what happened to it (C(created), C(updated), C(unchanged)).
  returned: always
  type: list
  elements: dict
  sample:
    - {apiVersion: apps/v1, kind: Deployment, namespace: phonebill-prod, name: auth-service, action: updated,
       validated: true, differences: [{path: spec.replicas, before: 2, after: 3}]}
changed_objects:
  description: C(<kind>/<namespace>/<name>) of the objects created, updated or deleted (or that would be).
  returned: always
  type: list
  elements: str
orphans:
  description: Objects labelled with O(owner) that no manifest declares (deleted when O(prune=true), C(action=deleted)).
  returned: when O(owner) is set
  type: list
  elements: dict
  sample: [{apiVersion: v1, kind: ConfigMap, namespace: phonebill-prod, name: old-settings}]
'''

from ansible.module_utils.common.yaml import yaml_load_all

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_apply import (
    DEFAULT_PRUNE_KINDS, Applier, check_definitions, secret_values)
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import K8sModule


def load(module):
    """The manifests from definitions or src, checked before any call."""
    params = module.params
    definitions = params['definitions']
    if params['src']:
        try:
            with open(params['src']) as handle:
                definitions = [d for d in yaml_load_all(handle) if d is not None]
        except (OSError, ValueError) as exc:
            module.fail('src: cannot read %s as YAML manifests: %s' % (params['src'], exc))
    problems = check_definitions(definitions)
    if problems:
        module.fail('%s' % '; '.join(problems), problems=problems)
    for kind_ref in params['prune_kinds'] or []:
        if kind_ref.count('/') not in (1, 2):
            module.fail('prune_kinds: %r is not <apiVersion>/<kind> (e.g. v1/ConfigMap, apps/v1/Deployment)' % kind_ref)
    if params['prune'] and not params['owner']:
        module.fail('prune: needs owner; only objects labelled with the owner are ever deleted')
    if not params['adopt'] and not params['owner']:
        module.fail('adopt: false needs owner; an object is known as this collection\'s by its ownership label')
    module.hide(secret_values(definitions))
    if params['owner']:
        for item in definitions:
            item.setdefault('metadata', {}).setdefault('labels', {})[params['owner_label']] = params['owner']
    return definitions


def main():
    module = K8sModule(
        supports_check_mode=True,
        argument_spec=dict(
            definitions=dict(type='list', elements='dict'),
            src=dict(type='path'),
            namespace=dict(type='str'),
            field_manager=dict(type='str', default='phonebill-platform'),
            force_conflicts=dict(type='bool', default=False),
            defer_replicas_to_hpa=dict(type='bool', default=True),
            owner=dict(type='str'),
            owner_label=dict(type='str', default='platform.phonebill.io/owner'),
            prune=dict(type='bool', default=False),
            prune_kinds=dict(type='list', elements='str'),
            adopt=dict(type='bool', default=True),
        ),
        mutually_exclusive=[('definitions', 'src')],
        required_one_of=[('definitions', 'src')],
    )
    definitions = load(module)
    params = module.params
    applier = Applier(module, params['field_manager'], params['force_conflicts'], params['namespace'],
                      params['defer_replicas_to_hpa'])
    if not params['adopt']:
        module.fail_on(applier.unowned(definitions, params['owner_label'], params['owner']))
    reports, diffs = applier.apply_all(definitions)
    result = dict(objects=reports)
    touched = [r for r in reports if r['action'] != 'unchanged']
    if params['owner']:
        kinds = DEFAULT_PRUNE_KINDS if params['prune_kinds'] is None else params['prune_kinds']
        orphans = applier.orphans(reports, params['owner_label'], params['owner'], kinds)
        if params['prune']:
            orphans = [applier.delete(o) for o in orphans]
            touched.extend(orphans)
            diffs.extend(dict(before_header='%s %s' % (o['kind'], o['name']), after_header='(deleted)',
                              before=o, after={}) for o in orphans)
        elif orphans:
            module.warn('%d object(s) labelled %s=%s are no longer declared (set prune=true to delete them): %s'
                        % (len(orphans), params['owner_label'], params['owner'],
                           ', '.join('%s %s' % (o['kind'], o['name']) for o in orphans)))
        result['orphans'] = orphans
    result['changed_objects'] = ['%s/%s/%s' % (r['kind'], r['namespace'] or '', r['name']) for r in touched]
    if module.diff_mode:
        result['diff'] = diffs
    module.exit(changed=bool(touched), **result)


if __name__ == '__main__':
    main()
