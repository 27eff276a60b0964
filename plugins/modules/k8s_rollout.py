#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_rollout
short_description: Restart a Kubernetes deployment and wait for its rollout, or report its rollout status
version_added: 0.1.0
description:
  - With O(state=restarted), restarts a deployment the way C(kubectl rollout restart) does (sets the pod template
    annotation C(kubectl.kubernetes.io/restartedAt)), so the deployment's own rolling update strategy and the
    pod disruption budgets govern the replacement; then waits until the rollout is complete and reports which pods
    were replaced.
  - The rollout is complete when the controller has observed the new generation, every replica is updated and
    available, and no pod of an older ReplicaSet is left (terminating pods included).
  - With O(state=status), only waits for (O(wait=true)) and reports the current rollout; never changes anything.
  - Check mode writes nothing; with O(state=restarted) it reports the pods that would be replaced.
options:
  name:
    description: Name of the deployment.
    type: str
    required: true
  namespace:
    description: Namespace of the deployment.
    type: str
    required: true
  state:
    description: V(restarted) restarts the deployment; V(status) only reports (and waits for) its rollout.
    type: str
    choices: [restarted, status]
    default: restarted
  field_manager:
    description: Field manager of the restart patch.
    type: str
    default: phonebill-rollout
extends_documentation_fragment:
  - phonebill.platform.k8s
  - phonebill.platform.k8s.wait
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
notes:
  - The default O(timeout) is 600 seconds. A rollout that exceeds the deployment's C(progressDeadlineSeconds) fails
    at once with the controller's message.
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Restart the auth service and wait until every pod is replaced
  phonebill.platform.k8s_rollout:
    kubeconfig: "{{ phonebill_kubeconfig }}"
    namespace: phonebill-prod
    name: auth-service
    timeout: 900

- name: Wait for a rollout started elsewhere (e.g. by ArgoCD)
  phonebill.platform.k8s_rollout:
    namespace: phonebill-prod
    name: bill-inquiry-service
    state: status
'''

RETURN = r'''
restarted_at:
  description: The value set on C(kubectl.kubernetes.io/restartedAt) (not set in check mode).
  returned: when O(state=restarted) and not in check mode
  type: str
  sample: '2025-01-05T17:10:00Z'
old_pods:
  description: Pods of the deployment before the restart (those that were, or in check mode would be, replaced).
  returned: when O(state=restarted)
  type: list
  elements: str
new_pods:
  description: Pods that replaced them (the pods of the deployment at the end that were not there before).
  returned: when O(state=restarted) and O(wait=true) and not in check mode
  type: list
  elements: str
pods:
  description: Pods of the deployment at the end.
  returned: always
  type: list
  elements: str
complete:
  description: Whether the rollout is complete.
  returned: always
  type: bool
rollout:
  description: Replica counts at the end (desired, current, ready, updated, available) and why it is not complete.
  returned: always
  type: dict
  sample: {desired: 3, current: 3, ready: 3, updated: 3, available: 3, reason: complete}
'''

import datetime

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import K8sModule
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload import (
    Workloads, replica_counts, rollout_state)

ANNOTATION = 'kubectl.kubernetes.io/restartedAt'


def names(pods):
    return [p['metadata']['name'] for p in pods]


def wait_complete(module, workloads, old_pods):
    """The deployment once its rollout is complete and none of old_pods exists any more."""
    name = module.params['name']

    def done():
        deployment = workloads.deployment(name)
        complete, reason = rollout_state(deployment)
        if reason.startswith('progress deadline exceeded'):
            module.fail('%s: rollout of %s/%s failed: %s' % (name, workloads.namespace, name, reason))
        if complete and not set(old_pods) & set(names(workloads.pods(deployment))):
            return deployment
        return None
    return module.poll('the rollout of deployment %s/%s' % (workloads.namespace, name), done)


def main():
    module = K8sModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            namespace=dict(type='str', required=True),
            state=dict(type='str', choices=['restarted', 'status'], default='restarted'),
            field_manager=dict(type='str', default='phonebill-rollout'),
        ),
        long_running=True,
        default_timeout=600,
    )
    params = module.params
    workloads = Workloads(module, params['namespace'])
    deployment = workloads.deployment(params['name'])
    if deployment is None:
        module.fail('name: deployment %s not found in namespace %s' % (params['name'], params['namespace']))
    result = dict(changed=False)
    old_pods = names(workloads.pods(deployment))
    if params['state'] == 'restarted':
        result.update(changed=True, old_pods=old_pods)
        annotations = ((deployment['spec']['template'].get('metadata') or {}).get('annotations') or {})
        if module.diff_mode:
            result['diff'] = dict(before={ANNOTATION: annotations.get(ANNOTATION)}, after={ANNOTATION: '(now)'})
        if module.check_mode:
            module.exit(pods=old_pods, complete=rollout_state(deployment)[0], rollout=rollout_report(deployment), **result)
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        patch = {'spec': {'template': {'metadata': {'annotations': {ANNOTATION: stamp}}}}}
        resource = module.resource('apps/v1', 'Deployment')
        module.call('restart Deployment %s/%s' % (params['namespace'], params['name']), module.dynamic.patch, resource,
                    body=patch, name=params['name'], namespace=params['namespace'],
                    content_type='application/strategic-merge-patch+json', field_manager=params['field_manager'])
        result['restarted_at'] = stamp
    else:
        old_pods = []
    if params['wait']:
        deployment = wait_complete(module, workloads, old_pods if params['state'] == 'restarted' else [])
    else:
        deployment = workloads.deployment(params['name'])
    pods = names(workloads.pods(deployment))
    if params['state'] == 'restarted' and params['wait']:
        result['new_pods'] = [p for p in pods if p not in old_pods]
    module.exit(pods=pods, complete=rollout_state(deployment)[0], rollout=rollout_report(deployment), **result)


def rollout_report(deployment):
    report = replica_counts(deployment)
    report['reason'] = rollout_state(deployment)[1]
    return report


if __name__ == '__main__':
    main()
