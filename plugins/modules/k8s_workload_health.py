#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_workload_health
short_description: Report the health of the deployments of a namespace
version_added: 0.1.0
description:
  - For each deployment of a namespace, reports replicas (desired, ready, updated, available), its horizontal pod
    autoscaler (current and desired replicas, conditions), its pod disruption budget (disruptions allowed), pods
    that are not ready, containers restarted more than O(restart_threshold) times, and Secrets or ConfigMaps the
    pods need that do not exist.
  - Gives one RV(healthy) answer and the list of RV(problems), for the daily checks and before and after
    maintenance (a budget that allows no disruption blocks node drains during upgrades).
  - Reads only; never changes anything.
options:
  namespace:
    description: Namespace of the deployments.
    type: str
    required: true
  names:
    description: Only these deployments (all of the namespace when not given). A named deployment that does not exist is a problem.
    type: list
    elements: str
  restart_threshold:
    description: A container restarted more times than this is a problem.
    type: int
    default: 5
  check_hpa_metrics:
    description:
      - Count an autoscaler that cannot read its metrics (condition C(ScalingActive=False)) as a problem.
      - Turn off only where no metrics server runs (test clusters).
    type: bool
    default: true
extends_documentation_fragment:
  - phonebill.platform.k8s
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Check the production workloads
  phonebill.platform.k8s_workload_health:
    kubeconfig: "{{ phonebill_kubeconfig }}"
    namespace: phonebill-prod
  register: health

- name: Stop the maintenance when the workloads are not healthy
  ansible.builtin.assert:
    that: health.healthy
    fail_msg: "{{ health.problems | join('; ') }}"
'''

RETURN = r'''
healthy:
  description: Whether no problem was found.
  returned: always
  type: bool
problems:
  description: Every problem found, each starting with the deployment's name.
  returned: always
  type: list
  elements: str
  sample: ["auth-service: 2 of 3 replicas ready", "auth-service: pod auth-service-5d9c-x2 container app restarted 7 times"]
deployments:
  description: Per deployment, what was read.
  returned: always
  type: list
  elements: dict
  sample:
    - name: auth-service
      replicas: {desired: 3, current: 3, ready: 3, updated: 3, available: 3}
      rollout_complete: true
      hpa: {name: auth-service, min_replicas: 3, max_replicas: 10, current_replicas: 3, desired_replicas: 3,
            conditions: [{type: AbleToScale, status: 'True', reason: ReadyForNewScale, message: ''}]}
      pdb: {name: auth-service, min_available: 2, disruptions_allowed: 1, current_healthy: 3, desired_healthy: 2}
      pods_not_ready: []
      restarts: []
      missing: []
'''

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import K8sModule
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload import (
    Workloads, pod_ready, referenced_objects, replica_counts, rollout_state, selects)


def autoscaler_of(deployment, autoscalers):
    for hpa in autoscalers:
        ref = hpa['spec'].get('scaleTargetRef') or {}
        if ref.get('kind') == 'Deployment' and ref.get('name') == deployment['metadata']['name']:
            status = hpa.get('status') or {}
            return dict(name=hpa['metadata']['name'], min_replicas=hpa['spec'].get('minReplicas', 1),
                        max_replicas=hpa['spec'].get('maxReplicas'), current_replicas=status.get('currentReplicas'),
                        desired_replicas=status.get('desiredReplicas'),
                        conditions=[dict(type=c.get('type'), status=c.get('status'), reason=c.get('reason'),
                                         message=c.get('message', '')) for c in status.get('conditions') or []])
    return None


def budget_of(deployment, budgets):
    labels = (deployment['spec']['template'].get('metadata') or {}).get('labels')
    for pdb in budgets:
        if selects(pdb['spec'].get('selector'), labels):
            status = pdb.get('status') or {}
            return dict(name=pdb['metadata']['name'], min_available=pdb['spec'].get('minAvailable'),
                        max_unavailable=pdb['spec'].get('maxUnavailable'),
                        disruptions_allowed=status.get('disruptionsAllowed', 0),
                        current_healthy=status.get('currentHealthy'), desired_healthy=status.get('desiredHealthy'))
    return None


def inspect(module, workloads, deployment, autoscalers, budgets):
    """What one deployment looks like, and its problems."""
    name = deployment['metadata']['name']
    params = module.params
    counts = replica_counts(deployment)
    complete, reason = rollout_state(deployment)
    pods = workloads.pods(deployment)
    report = dict(name=name, replicas=counts, rollout_complete=complete, hpa=autoscaler_of(deployment, autoscalers),
                  pdb=budget_of(deployment, budgets), pods_not_ready=[p['metadata']['name'] for p in pods if not pod_ready(p)],
                  restarts=[], missing=[])
    problems = []
    if counts['ready'] < counts['desired']:
        problems.append('%s: %s of %s replicas ready' % (name, counts['ready'], counts['desired']))
    if not complete:
        problems.append('%s: rollout not complete (%s)' % (name, reason))
    for pod in report['pods_not_ready']:
        problems.append('%s: pod %s is not ready' % (name, pod))
    for pod in pods:
        for status in (pod.get('status') or {}).get('containerStatuses') or []:
            if (status.get('restartCount') or 0) > params['restart_threshold']:
                report['restarts'].append(dict(pod=pod['metadata']['name'], container=status['name'], restarts=status['restartCount']))
                problems.append('%s: pod %s container %s restarted %s times (more than %s)'
                                % (name, pod['metadata']['name'], status['name'], status['restartCount'], params['restart_threshold']))
    hpa = report['hpa']
    for condition in (hpa or {}).get('conditions') or []:
        if condition['type'] == 'ScalingActive' and condition['status'] == 'False' and params['check_hpa_metrics']:
            problems.append('%s: autoscaler %s cannot scale (%s: %s)' % (name, hpa['name'], condition['reason'], condition['message']))
        if condition['type'] == 'ScalingLimited' and condition['status'] == 'True' and condition['reason'] == 'TooManyReplicas':
            problems.append('%s: autoscaler %s is held at its maximum of %s replicas' % (name, hpa['name'], hpa['max_replicas']))
    if report['pdb'] is not None and not report['pdb']['disruptions_allowed']:
        problems.append('%s: disruption budget %s allows no disruption now (node drains would block)' % (name, report['pdb']['name']))
    for kind, ref in referenced_objects(deployment['spec']['template']['spec']):
        if not workloads.exists(kind, ref):
            report['missing'].append(dict(kind=kind, name=ref))
            problems.append('%s: %s %s the pods need does not exist' % (name, kind, ref))
    return report, problems


def main():
    module = K8sModule(
        supports_check_mode=True,
        argument_spec=dict(
            namespace=dict(type='str', required=True),
            names=dict(type='list', elements='str'),
            restart_threshold=dict(type='int', default=5),
            check_hpa_metrics=dict(type='bool', default=True),
        ),
    )
    if module.params['restart_threshold'] < 0:
        module.fail('restart_threshold: %s is negative; give 0 or more' % module.params['restart_threshold'])
    workloads = Workloads(module, module.params['namespace'])
    deployments = workloads.deployments()
    problems = []
    wanted = module.params['names']
    if wanted is not None:
        present = set(d['metadata']['name'] for d in deployments)
        problems.extend('%s: deployment not found in namespace %s' % (n, workloads.namespace) for n in wanted if n not in present)
        deployments = [d for d in deployments if d['metadata']['name'] in wanted]
    autoscalers, budgets = workloads.autoscalers(), workloads.disruption_budgets()
    reports = []
    for deployment in deployments:
        report, found = inspect(module, workloads, deployment, autoscalers, budgets)
        reports.append(report)
        problems.extend(found)
    module.exit(changed=False, healthy=not problems, problems=problems, deployments=reports)


if __name__ == '__main__':
    main()
