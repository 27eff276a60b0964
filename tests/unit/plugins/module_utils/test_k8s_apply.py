# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The comparison, masking and manifest checks of k8s_apply (no cluster)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import k8s_apply
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import describe_error

LIVE = {
    'apiVersion': 'apps/v1', 'kind': 'Deployment',
    'metadata': {'name': 'auth-service', 'namespace': 'phonebill-prod', 'resourceVersion': '4711', 'generation': 3,
                 'uid': 'a1', 'managedFields': [{'manager': 'phonebill-platform', 'operation': 'Apply'}],
                 'annotations': {'deployment.kubernetes.io/revision': '2'}},
    'spec': {'replicas': 3, 'template': {'spec': {'containers': [{'name': 'app', 'resources': {'limits': {'cpu': '1'}}}]}}},
    'status': {'replicas': 3, 'readyReplicas': 3, 'observedGeneration': 3},
}


def test_server_bookkeeping_is_no_change():
    after = dict(LIVE, metadata=dict(LIVE['metadata'], resourceVersion='4712', generation=4, managedFields=[]),
                 status={'replicas': 4})
    assert k8s_apply.differences(k8s_apply.comparable(LIVE), k8s_apply.comparable(after)) == []


def test_nested_change_is_found():
    after = {'spec': {'replicas': 3, 'template': {'spec': {'containers': [{'name': 'app', 'resources': {'limits': {'cpu': '1500m'}}}]}}}}
    found = k8s_apply.differences({'spec': LIVE['spec']}, after)
    assert [d['path'] for d in found] == ['spec.template.spec.containers']


def test_shown_strips_and_masks():
    secret = {'kind': 'Secret', 'metadata': {'name': 's', 'managedFields': []}, 'data': {'a': 'eA==', 'b': 'eQ=='}}
    changed = {'kind': 'Secret', 'metadata': {'name': 's'}, 'data': {'a': 'eA==', 'b': 'eg=='}}
    assert k8s_apply.shown(secret) == {'kind': 'Secret', 'metadata': {'name': 's'}, 'data': {'a': '********', 'b': '********'}}
    assert k8s_apply.shown(changed, secret)['data'] == {'a': '********', 'b': '******** (changed)'}
    assert 'status' not in k8s_apply.shown(LIVE) and 'managedFields' not in k8s_apply.shown(LIVE)['metadata']


def test_secret_values_cover_both_encodings():
    values = k8s_apply.secret_values([{'kind': 'Secret', 'stringData': {'p': 'pw'}, 'data': {'q': 'c2VjcmV0'}},
                                      {'kind': 'ConfigMap', 'data': {'x': 'visible'}}])
    assert values == {'pw', 'cHc=', 'c2VjcmV0', 'secret'}


def test_check_definitions():
    problems = k8s_apply.check_definitions([
        {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'a'}},
        {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'a'}},
        {'kind': 'ConfigMap', 'metadata': {'name': 'b'}},
        'text',
    ])
    assert problems == [
        'definitions[1]: the same object as definitions[0] (ConfigMap a); declare each object once',
        'definitions[2].apiVersion: required; state it (e.g. apiVersion: apps/v1, kind: Deployment)',
        'definitions[3]: a manifest is a mapping, not str',
    ]


def test_apply_order():
    kinds = ['NetworkPolicy', 'Deployment', 'Widget', 'Namespace', 'ServiceAccount']
    assert sorted(kinds, key=k8s_apply.kind_rank) == ['Namespace', 'ServiceAccount', 'Deployment', 'NetworkPolicy', 'Widget']


class FakeApiError(Exception):
    status = 422
    reason = 'Unprocessable Entity'
    body = ('{"kind":"Status","reason":"Invalid","message":"Deployment.apps \\"x\\" is invalid: spec.replicas: must be >= 0",'
            '"details":{"causes":[{"field":"spec.replicas","message":"must be >= 0"}]}}')


def test_error_carries_status_reason_and_message():
    msg, details = describe_error(FakeApiError(), 'apply Deployment ns/x')
    assert msg == 'apply Deployment ns/x: 422 Invalid: Deployment.apps "x" is invalid: spec.replicas: must be >= 0'
    assert details == {'status': 422, 'reason': 'Invalid', 'causes': ['spec.replicas: must be >= 0']}
