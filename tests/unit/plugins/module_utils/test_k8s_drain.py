# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a drain does with each pod (kubectl drain's rules), the back-off, and the API's refusals."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
from unittest import mock

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import k8s_client
from ansible_collections.phonebill.platform.plugins.module_utils import k8s_drain as drain
from ansible_collections.phonebill.platform.plugins.modules import k8s_drain
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

NODE = 'aks-app-07461427-vmss000001'

# a pod as the API server returns it (trimmed): a Deployment's pod on an AKS node
DEPLOYMENT_POD = {
    'apiVersion': 'v1', 'kind': 'Pod',
    'metadata': {'name': 'auth-service-5d9c8b7f6-7xk2p', 'namespace': 'phonebill-prod', 'uid': 'c2f1e0d4-1111-4c59-9a0e-3f1b2c3d4e5f',
                 'labels': {'app': 'auth-service', 'pod-template-hash': '5d9c8b7f6'},
                 'ownerReferences': [{'apiVersion': 'apps/v1', 'kind': 'ReplicaSet', 'name': 'auth-service-5d9c8b7f6',
                                      'uid': '7a0b1c2d-2222-4e5f-8a9b-0c1d2e3f4a5b', 'controller': True,
                                      'blockOwnerDeletion': True}]},
    'spec': {'nodeName': NODE, 'containers': [{'name': 'auth-service', 'image': 'acrphonebillprod.azurecr.io/auth-service:1.4.2'}],
             'volumes': [{'name': 'kube-api-access-x7f2q', 'projected': {'sources': [{'serviceAccountToken': {'path': 'token'}}]}}]},
    'status': {'phase': 'Running'},
}


def pod(name='auth-service-5d9c8b7f6-7xk2p', owner_kind='ReplicaSet', owner=True, phase='Running', volumes=(), annotations=None):
    found = copy.deepcopy(DEPLOYMENT_POD)
    found['metadata']['name'] = name
    if annotations:
        found['metadata']['annotations'] = annotations
    if owner:
        found['metadata']['ownerReferences'][0]['kind'] = owner_kind
        found['metadata']['ownerReferences'][0]['name'] = 'owner-of-%s' % name
    else:
        del found['metadata']['ownerReferences']
    found['spec']['volumes'] += list(volumes)
    found['status']['phase'] = phase
    return found


def test_deployment_pod_is_evicted():
    assert drain.classify(DEPLOYMENT_POD) == (drain.EVICT, 'managed by ReplicaSet auth-service-5d9c8b7f6')


def test_daemonset_and_mirror_pods_stay():
    action, why = drain.classify(pod('ama-logs-x2v5k', owner_kind='DaemonSet'))
    assert action == drain.SKIP and why.startswith('DaemonSet pod (owner-of-ama-logs-x2v5k)')
    mirror = pod('kube-proxy-%s' % NODE, owner_kind='Node', annotations={drain.MIRROR_ANNOTATION: '2f1c3e'})
    assert drain.classify(mirror, force=True)[0] == drain.SKIP


def test_a_non_controller_owner_reference_is_not_a_controller():
    unmanaged = pod('debug')
    unmanaged['metadata']['ownerReferences'][0]['controller'] = False
    assert drain.classify(unmanaged)[0] == drain.BLOCKED


def test_emptydir_data_needs_consent():
    cached = pod(volumes=[{'name': 'tmp', 'emptyDir': {}}, {'name': 'cache', 'emptyDir': {'medium': 'Memory'}}])
    assert drain.classify(cached) == (drain.BLOCKED, 'uses emptyDir volume(s) cache, tmp whose data is lost on eviction; '
                                                     'set delete_emptydir_data=true')
    assert drain.classify(cached, delete_emptydir_data=True)[0] == drain.EVICT


def test_emptydir_volumes_the_pod_calls_disposable_need_no_consent():
    cached = pod(volumes=[{'name': 'tmp', 'emptyDir': {}}, {'name': 'cache', 'emptyDir': {}}])
    cached['metadata']['annotations'] = {drain.SAFE_LOCAL_VOLUMES: 'tmp, cache'}
    assert drain.classify(cached)[0] == drain.EVICT
    cached['metadata']['annotations'] = {drain.SAFE_LOCAL_VOLUMES: 'tmp'}
    assert drain.classify(cached) == (drain.BLOCKED, 'uses emptyDir volume(s) cache whose data is lost on eviction; '
                                                     'set delete_emptydir_data=true')


def test_pod_without_controller_needs_force():
    bare = pod('debug-shell', owner=False)
    assert drain.classify(bare)[0] == drain.BLOCKED and 'would not be recreated' in drain.classify(bare)[1]
    assert drain.classify(bare, force=True) == (drain.EVICT, 'not managed by a controller (force=true): it will not be recreated')


def test_finished_pods_are_evicted_whatever_they_hold():
    done = pod('migrate-29xkq', owner=False, phase='Succeeded', volumes=[{'name': 'tmp', 'emptyDir': {}}])
    assert drain.classify(done) == (drain.EVICT, 'finished (Succeeded)')


def test_plan_groups_sorted_by_namespace_and_name():
    groups, to_evict = drain.plan([pod('b'), pod('agent', owner_kind='DaemonSet'), pod('a'), pod('bare', owner=False)])
    assert [e['pod'] for e in groups[drain.EVICT]] == ['phonebill-prod/a', 'phonebill-prod/b']
    assert [p['metadata']['name'] for p in to_evict] == ['a', 'b']
    assert [e['pod'] for e in groups[drain.SKIP]] == ['phonebill-prod/agent']
    assert groups[drain.BLOCKED] == [dict(pod='phonebill-prod/bare', node=NODE, reason=drain.classify(pod('bare', owner=False))[1])]


def test_backoff_doubles_to_the_cap_and_restarts_after_progress():
    pauses, pause = [], None
    while len(pauses) < 6:
        pause = drain.next_backoff(pause, progressed=False)
        pauses.append(pause)
    assert pauses == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert drain.next_backoff(5.0, progressed=True) == 0.5


# the API's answer to an eviction a budget refuses, and to one in a namespace being deleted
BUDGET_REFUSAL = json.dumps({
    'kind': 'Status', 'apiVersion': 'v1', 'status': 'Failure', 'code': 429, 'reason': 'TooManyRequests',
    'message': "Cannot evict pod as it would violate the pod's disruption budget.",
    'details': {'causes': [{'reason': 'DisruptionBudget',
                            'message': 'The disruption budget auth-service needs 2 healthy pods and has 2 currently'}]}})
NAMESPACE_TERMINATING = json.dumps({
    'kind': 'Status', 'apiVersion': 'v1', 'status': 'Failure', 'code': 403, 'reason': 'Forbidden',
    'message': 'pods "a" is forbidden: unable to create new content in namespace it-1 because it is being terminated',
    'details': {'name': 'a', 'kind': 'pods', 'causes': [{'reason': 'NamespaceTerminating',
                                                        'message': 'namespace it-1 is being terminated', 'field': 'metadata.namespace'}]}})


class ApiError(Exception):
    def __init__(self, status, body):
        super(ApiError, self).__init__(status)
        self.status, self.reason, self.body = status, '', body


def test_budget_refusal_names_the_budget():
    message, details = k8s_client.describe_error(ApiError(429, BUDGET_REFUSAL), 'evict pod phonebill-prod/a')
    assert drain.refusal_reason(details, message) == 'The disruption budget auth-service needs 2 healthy pods and has 2 currently'
    assert drain.refusal_reason(dict(causes=[]), 'evict pod x: 429 TooManyRequests') == 'evict pod x: 429 TooManyRequests'


def test_namespace_terminating_is_recognised_from_the_status_body():
    assert drain.namespace_terminating(NAMESPACE_TERMINATING.encode())
    assert not drain.namespace_terminating(BUDGET_REFUSAL)
    assert not drain.namespace_terminating('not json') and not drain.namespace_terminating(None)


@pytest.mark.parametrize('args, message', [
    (dict(node='n', pool='app'), 'parameters are mutually exclusive: node|pool'),
    (dict(), 'one of the following is required: node, pool'),
    (dict(node='n', grace_period_seconds=-1), 'grace_period_seconds: -1 is negative'),
])
def test_bad_input_fails_before_the_client_is_built(args, message):
    with mock.patch.object(k8s_client, 'KubernetesLibrary', side_effect=AssertionError('client built')) as library:
        result = run_module(k8s_drain.main, args)
    assert result['failed'] and result['msg'].startswith(message), result['msg']
    assert not library.called
