# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""k8s_secret_from_key_vault between the sandbox's Key Vault and the real control plane.

Load with `-p azure_sandbox.pytest_plugin -p controlplane.pytest_plugin`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import pytest
from azure.keyvault.secrets import SecretClient

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import VAULT_VALUES, create_vault

KEYS = {'JWT_SIGNING_KEY': 'jwt-signing-key', 'DB_PASSWORD': 'database-password-auth-service', 'REDIS_AUTH_KEY': 'redis-auth-key'}
VERSIONS = 'platform.phonebill.io/key-vault-versions'


@pytest.fixture
def vault(azure):
    return create_vault(azure.sandbox, dict((name, VAULT_VALUES[name]) for name in KEYS.values()))


@pytest.fixture
def data_plane(sandbox, vault):
    return SecretClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs())


@pytest.fixture
def run(azure, k8s, vault, scratch_namespace):
    """k8s_secret_from_key_vault with the sandbox's Azure environment and the control plane's kubeconfig."""
    def call(check_mode=False, **args):
        params = dict(vault_uri=vault, name='auth-service-secrets', namespace=scratch_namespace, keys=KEYS)
        params.update(args)
        result = k8s('k8s_secret_from_key_vault', check_mode=check_mode, **params)
        printed = json.dumps(result)
        for value in VAULT_VALUES.values():
            assert value not in printed and base64.b64encode(value.encode()).decode() not in printed
        return result
    return call


def read(cluster, namespace, name='auth-service-secrets'):
    secret = cluster.core.read_namespaced_secret(name, namespace)
    return secret, dict((k, base64.b64decode(v).decode()) for k, v in (secret.data or {}).items())


def test_created_as_predicted_then_second_run_writes_nothing(azure, run, cluster, scratch_namespace, data_plane):
    writes = azure.writes()
    predicted = run(check_mode=True)
    assert predicted['changed'] and predicted['action'] == 'created' and predicted['validated']
    assert [(k['key'], k['changed']) for k in predicted['keys']] == [
        ('DB_PASSWORD', True), ('JWT_SIGNING_KEY', True), ('REDIS_AUTH_KEY', True)]
    assert predicted['diff']['after']['data'] == dict((key, 'changed: yes') for key in KEYS)
    assert not cluster.core.list_namespaced_secret(scratch_namespace).items

    created = run(labels={'app.kubernetes.io/part-of': 'phonebill'})
    assert created['action'] == 'created' and created['keys'] == predicted['keys']
    assert created['revision'] == predicted['revision']
    secret, values = read(cluster, scratch_namespace)
    assert values == dict((key, VAULT_VALUES[name]) for key, name in KEYS.items())
    assert secret.type == 'Opaque' and secret.metadata.labels == {'app.kubernetes.io/part-of': 'phonebill'}
    recorded = json.loads(secret.metadata.annotations[VERSIONS])
    assert recorded == dict((key, data_plane.get_secret(name).properties.id) for key, name in KEYS.items())
    assert created['versions'] == secret.metadata.annotations[VERSIONS]

    version = secret.metadata.resource_version
    for check_mode in (True, False):
        again = run(check_mode=check_mode, labels={'app.kubernetes.io/part-of': 'phonebill'})
        assert not again['changed'] and again['action'] == 'unchanged' and again['revision'] == created['revision']
        assert not any(k['changed'] for k in again['keys'])
    assert read(cluster, scratch_namespace)[0].metadata.resource_version == version
    assert azure.writes() == writes  # Key Vault is only read


def test_key_edited_or_removed_by_hand_is_predicted_and_written_back(run, cluster, scratch_namespace):
    created = run()
    cluster.core.patch_namespaced_secret('auth-service-secrets', scratch_namespace, [
        {'op': 'replace', 'path': '/data/DB_PASSWORD', 'value': base64.b64encode(b'edited-by-hand').decode()},
        {'op': 'remove', 'path': '/data/REDIS_AUTH_KEY'},
        {'op': 'add', 'path': '/data/EXTRA', 'value': base64.b64encode(b'someone else').decode()}])
    predicted = run(check_mode=True)
    assert predicted['action'] == 'updated'
    assert [(k['key'], k['changed']) for k in predicted['keys']] == [
        ('DB_PASSWORD', True), ('JWT_SIGNING_KEY', False), ('REDIS_AUTH_KEY', True)]
    assert sorted(d['path'] for d in predicted['differences']) == ['data.DB_PASSWORD', 'data.REDIS_AUTH_KEY']
    assert all(d['after'] == '******** (changed)' for d in predicted['differences'])
    assert predicted['diff']['before']['data'] == dict(DB_PASSWORD='********', JWT_SIGNING_KEY='********', EXTRA='********')
    assert read(cluster, scratch_namespace)[1]['DB_PASSWORD'] == 'edited-by-hand'

    repaired = run()
    assert repaired['keys'] == predicted['keys'] and repaired['revision'] == created['revision']
    values = read(cluster, scratch_namespace)[1]
    assert values == dict([(key, VAULT_VALUES[name]) for key, name in KEYS.items()] + [('EXTRA', 'someone else')])
    assert not run()['changed']


def test_new_key_vault_version_is_a_change_of_that_key_only(run, cluster, scratch_namespace, data_plane):
    created = run()
    data_plane.set_secret('redis-auth-key', 'Redis-Auth-Key-Rotated-0f1e2d3c')
    updated = run()
    assert updated['action'] == 'updated' and updated['revision'] != created['revision']
    assert [(k['key'], k['changed']) for k in updated['keys']] == [
        ('DB_PASSWORD', False), ('JWT_SIGNING_KEY', False), ('REDIS_AUTH_KEY', True)]
    assert dict((k['key'], k['version']) for k in updated['keys'])['REDIS_AUTH_KEY'] == \
        data_plane.get_secret('redis-auth-key').properties.version
    assert read(cluster, scratch_namespace)[1]['REDIS_AUTH_KEY'] == 'Redis-Auth-Key-Rotated-0f1e2d3c'
    # a key dropped from the mapping leaves the Secret
    fewer = run(keys=dict((k, v) for k, v in KEYS.items() if k != 'JWT_SIGNING_KEY'))
    assert fewer['removed_keys'] == ['JWT_SIGNING_KEY'] and 'JWT_SIGNING_KEY' not in read(cluster, scratch_namespace)[1]


def test_missing_key_vault_secret_fails_naming_it_before_any_write(azure, run, cluster, scratch_namespace, vault):
    writes = azure.writes()
    failed = run(keys=dict(KEYS, KOS_API_CREDENTIALS='kos-api-credentials'))
    assert failed['failed']
    assert failed['msg'] == ('keys: Key Vault secret kos-api-credentials does not exist in %s; create it (the keyvault '
                             'role writes it) or map the key to an existing secret' % vault)
    assert not cluster.core.list_namespaced_secret(scratch_namespace).items and azure.writes() == writes


def test_vault_not_created_yet_is_predicted_in_check_mode_and_refused_in_a_real_run(run, cluster, scratch_namespace):
    predicted = run(check_mode=True, vault_uri=None, unknown=['vault_uri'])
    assert predicted['changed'] and predicted['action'] == 'created' and predicted['revision'] == '(known after a real run)'
    assert all(k['changed'] and k['version'] == '(known after a real run)' for k in predicted['keys'])
    run()
    assert run(check_mode=True, vault_uri=None, unknown=['vault_uri'])['action'] == 'updated'
    refused = run(vault_uri=None, unknown=['vault_uri'])
    assert refused['failed'] and refused['msg'].startswith('vault_uri: is unknown (listed in unknown), which only check mode accepts')


def test_namespace_not_created_yet_in_check_mode(run):
    predicted = run(check_mode=True, namespace='not-created-yet')
    assert predicted['action'] == 'created' and not predicted['validated']


def test_absent_predicted_then_deleted(run, cluster, scratch_namespace):
    run()
    predicted = run(check_mode=True, state='absent')
    assert predicted['changed'] and predicted['action'] == 'deleted'
    assert predicted['diff']['before']['data'] == dict((key, '********') for key in KEYS)
    assert read(cluster, scratch_namespace)[1]
    assert run(state='absent')['action'] == 'deleted'
    assert not cluster.core.list_namespaced_secret(scratch_namespace).items
    assert not run(state='absent')['changed']
