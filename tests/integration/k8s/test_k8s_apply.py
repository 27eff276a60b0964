# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""phonebill.platform.k8s_apply against the real API server (scratch namespaces)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import uuid


def config_map(namespace, name, **data):
    return dict(apiVersion='v1', kind='ConfigMap', metadata=dict(name=name, namespace=namespace), data=data)


def test_orphans_reported_then_pruned(k8s, cluster, scratch_namespace):
    ns = scratch_namespace
    first = k8s('k8s_apply', definitions=[config_map(ns, 'keep', a='1'), config_map(ns, 'old', b='2')], owner='t')
    assert first['changed'] and first['orphans'] == []
    cluster.core.create_namespaced_config_map(ns, dict(metadata=dict(name='not-ours')))   # no ownership label
    second = k8s('k8s_apply', definitions=[config_map(ns, 'keep', a='1')], owner='t')
    assert not second['changed']
    assert second['orphans'] == [dict(apiVersion='v1', kind='ConfigMap', name='old', namespace=ns)]
    assert cluster.core.read_namespaced_config_map('old', ns)
    version = cluster.core.read_namespaced_config_map('old', ns).metadata.resource_version
    predicted = k8s('k8s_apply', definitions=[config_map(ns, 'keep', a='1')], owner='t', prune=True, check_mode=True)
    assert predicted['changed'] and predicted['changed_objects'] == ['ConfigMap/%s/old' % ns]
    assert cluster.core.read_namespaced_config_map('old', ns).metadata.resource_version == version
    pruned = k8s('k8s_apply', definitions=[config_map(ns, 'keep', a='1')], owner='t', prune=True)
    assert pruned['changed_objects'] == predicted['changed_objects']
    # kube-root-ca.crt is published by a controller, maybe not yet in a fresh cluster
    names = sorted(c.metadata.name for c in cluster.core.list_namespaced_config_map(ns).items if c.metadata.name != 'kube-root-ca.crt')
    assert names == ['keep', 'not-ours']
    assert not k8s('k8s_apply', definitions=[config_map(ns, 'keep', a='1')], owner='t', prune=True)['changed']


def test_secret_values_never_in_output(k8s, cluster, scratch_namespace):
    ns = scratch_namespace
    secret = dict(apiVersion='v1', kind='Secret', metadata=dict(name='db', namespace=ns),
                  stringData=dict(password='s3cr3t-Value-1'))
    created = k8s('k8s_apply', definitions=[secret])
    assert created['changed'] and 's3cr3t-Value-1' not in json.dumps(created)
    assert 'czNjcjN0LVZhbHVlLTE=' not in json.dumps(created)   # base64 of the value
    assert created['diff'][0]['after']['data'] == {'password': '********'}
    assert not k8s('k8s_apply', definitions=[copy.deepcopy(secret)])['changed']
    secret['stringData']['password'] = 'n3w-Value-2'
    predicted = k8s('k8s_apply', definitions=[copy.deepcopy(secret)], check_mode=True)
    text = json.dumps(predicted)
    assert predicted['changed'] and 'n3w-Value-2' not in text and 's3cr3t-Value-1' not in text
    assert predicted['diff'][0]['before']['data'] == {'password': '********'}
    assert predicted['diff'][0]['after']['data'] == {'password': '******** (changed)'}
    assert predicted['objects'][0]['differences'] == [dict(path='data.password', before='********', after='******** (changed)')]
    changed = k8s('k8s_apply', definitions=[secret])
    assert changed['changed'] and 'n3w-Value-2' not in json.dumps(changed)
    assert cluster.core.read_namespaced_secret('db', ns).data['password'] == 'bjN3LVZhbHVlLTI='


def test_check_mode_surfaces_server_validation(k8s, cluster, scratch_namespace):
    """A limit below the request is refused by the API server already in check mode; nothing is written."""
    ns = scratch_namespace
    deployment = dict(apiVersion='apps/v1', kind='Deployment', metadata=dict(name='bad', namespace=ns), spec=dict(
        selector=dict(matchLabels=dict(app='bad')), template=dict(metadata=dict(labels=dict(app='bad')), spec=dict(
            containers=[dict(name='c', image='example/app:1.0', resources=dict(
                requests=dict(memory='1Gi'), limits=dict(memory='512Mi')))]))))
    for check_mode in (True, False):
        result = k8s('k8s_apply', definitions=[copy.deepcopy(deployment)], check_mode=check_mode)
        assert result['failed']
        assert result['msg'].startswith('dry-run apply of Deployment %s/bad: 422 Invalid' % ns), result['msg']
        assert 'must be less than or equal to memory limit' in result['msg']
        assert result['api_status'] == 422
    assert cluster.apps.list_namespaced_deployment(ns).items == []


def test_conflict_with_another_manager_needs_force(k8s, cluster, scratch_namespace):
    ns = scratch_namespace
    k8s('k8s_apply', definitions=[config_map(ns, 'shared', level='info')], field_manager='someone-else')
    conflict = k8s('k8s_apply', definitions=[config_map(ns, 'shared', level='debug')])
    assert conflict['failed'] and '409 Conflict' in conflict['msg'] and 'someone-else' in conflict['msg']
    assert cluster.core.read_namespaced_config_map('shared', ns).data == {'level': 'info'}
    forced = k8s('k8s_apply', definitions=[config_map(ns, 'shared', level='debug')], force_conflicts=True)
    assert forced['changed'] and forced['objects'][0]['differences'] == [dict(path='data.level', before='info', after='debug')]
    assert not k8s('k8s_apply', definitions=[config_map(ns, 'shared', level='debug')])['changed']


def test_check_mode_into_a_namespace_not_created_yet(k8s, cluster):
    ns = 'it-new-%s' % uuid.uuid4().hex[:6]
    definitions = [dict(apiVersion='v1', kind='Namespace', metadata=dict(name=ns)), config_map(ns, 'c', a='1')]
    result = k8s('k8s_apply', definitions=definitions, check_mode=True, owner='t')
    assert result['changed_objects'] == ['Namespace//%s' % ns, 'ConfigMap/%s/c' % ns]
    assert [o['validated'] for o in result['objects']] == [True, False]
    assert not cluster.namespace_exists(ns)


def test_bad_manifests_fail_before_any_call(k8s):
    result = k8s('k8s_apply', kubeconfig='/nonexistent/kubeconfig', definitions=[
        dict(apiVersion='v1', kind='ConfigMap', metadata=dict(generateName='x-'))])
    assert result['failed'] and result['msg'].startswith('definitions[0].metadata.name: required')
    result = k8s('k8s_apply', kubeconfig='/nonexistent/kubeconfig', definitions=[config_map('a', 'b')], prune=True)
    assert result['failed'] and result['msg'].startswith('prune: needs owner')
