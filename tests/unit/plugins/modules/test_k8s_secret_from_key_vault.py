# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""k8s_secret_from_key_vault: input refused before any client, the versions record, values never shown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
from unittest import mock

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import k8s_client, k8s_key_vault, keyvault_data
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload_plan import workload_plan_problems
from ansible_collections.phonebill.platform.plugins.modules import k8s_secret_from_key_vault as module
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

VAULT = 'https://kv-phonebill-prod.vault.azure.net/'
KEYS = {'DB_PASSWORD': 'database-password-auth-service', 'JWT_SIGNING_KEY': 'jwt-signing-key'}
VALUES = {'DB_PASSWORD': 'Db-Password-1a2b3c4d', 'JWT_SIGNING_KEY': 'Jwt-Key-5e6f7a8b'}
IDS = dict((key, '%ssecrets/%s/%s' % (VAULT, name, version)) for (key, name), version in
           zip(sorted(KEYS.items()), ('4387e9f3d6e14c459867679a90fd0f79', '0c1e5b2a9d8f4e7b8a6c5d4e3f2a1b0c')))


@pytest.fixture
def no_client():
    """Neither the Kubernetes library nor a Key Vault client may be touched."""
    with mock.patch.object(k8s_client, 'KubernetesLibrary', side_effect=AssertionError('kubernetes client built')) as k8s, \
            mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('Key Vault client built')) as vault:
        yield k8s, vault


def args(**changes):
    base = dict(vault_uri=VAULT, name='auth-service-secrets', namespace='phonebill-prod', keys=dict(KEYS))
    base.update(changes)
    return base


@pytest.mark.parametrize('changes, problems', [
    (dict(name='Auth_Service'), ["name: 'Auth_Service' is not a Kubernetes Secret name"]),
    (dict(namespace='-prod'), ["namespace: '-prod' is not a Kubernetes Secret name"]),
    (dict(keys={}), ['keys must be a mapping of Secret keys to Key Vault secret names, e.g. {DB_PASSWORD: '
                     'database-password-auth-service}, not an empty one']),
    (dict(keys={'DB PASSWORD': 'database-password-auth-service', '..x': 'jwt-signing-key'}),
     ["keys.DB PASSWORD: 'DB PASSWORD' is not a Secret key", "keys...x: '..x' is not a Secret key; it cannot be"]),
    (dict(keys={'JWT_SIGNING_KEY': 'jwt_signing_key'}),
     ["keys.JWT_SIGNING_KEY: 'jwt_signing_key' is not a valid Key Vault secret name; use 1-127 letters, digits and -"]),
    (dict(vault_uri='kv-phonebill-prod'), ["vault_uri: 'kv-phonebill-prod' is not a vault URI"]),
    (dict(vault_uri=None), ['vault_uri: required; give it (in check mode, list it in unknown']),
    (dict(vault_uri=None, unknown=['vault_uri']), ['vault_uri: is unknown (listed in unknown), which only check mode accepts']),
])
def test_bad_input_fails_before_any_client(no_client, changes, problems):
    result = run_module(module.main, args(**changes))
    assert result['failed']
    assert len(result['problems']) == len(problems), result['problems']
    for found, expected in zip(result['problems'], problems):
        assert found.startswith(expected), found
    assert not no_client[0].called and not no_client[1].called


def test_a_list_for_the_mapping_is_one_problem(no_client):
    result = run_module(module.main, args(keys=['DB_PASSWORD']))
    assert result['failed'] and result['msg'].startswith("argument 'keys' is of type list")
    assert not no_client[0].called and not no_client[1].called
    assert k8s_key_vault.keys_problems('keys', ['DB_PASSWORD']) == [
        'keys must be a mapping of Secret keys to Key Vault secret names, e.g. {DB_PASSWORD: '
        'database-password-auth-service}, not a list']


def test_every_problem_at_once(no_client):
    result = run_module(module.main, args(name='Bad_Name', keys={'A B': 'x_y'}, vault_uri='http://kv/'))
    assert [p.split(':')[0] for p in result['problems']] == ['name', 'vault_uri', 'keys.A B', 'keys.A B']


def test_absent_needs_neither_vault_nor_keys(no_client):
    with pytest.raises(AssertionError, match='kubernetes client built'):  # validation passed: the cluster is the next step
        run_module(module.main, dict(name='auth-service-secrets', namespace='phonebill-prod', state='absent'))
    assert not no_client[1].called


def test_one_task_has_both_families_options():
    with mock.patch.object(k8s_client, 'KubernetesLibrary'):
        spec = dict(name=dict(type='str'))
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
        with patch_module_args(dict(name='x', kubeconfig='/tmp/kubeconfig', secret='sp-secret', cloud_environment='AzureChinaCloud')):
            k8s, azure = k8s_key_vault.modules(spec)
    assert k8s.ansible is azure.ansible and k8s.params is azure.params
    assert azure.params['cloud_environment'] == 'AzureChinaCloud' and k8s.params['kubeconfig'] == '/tmp/kubeconfig'
    assert 'sp-secret' in k8s.ansible.no_log_values


def test_versions_record_ids_and_revision_follows_them():
    record = k8s_key_vault.versions_annotation(dict(reversed(list(IDS.items()))))
    assert json.loads(record) == IDS and record == k8s_key_vault.versions_annotation(IDS)
    assert record.startswith('{"DB_PASSWORD":"https://kv-phonebill-prod.vault.azure.net/secrets/database-password-auth-service/')
    revision = k8s_key_vault.revision(record)
    assert len(revision) == 16 and revision == k8s_key_vault.revision(k8s_key_vault.versions_annotation(IDS))
    rotated = dict(IDS, JWT_SIGNING_KEY=IDS['JWT_SIGNING_KEY'].replace('0c1e', 'ffff'))
    assert k8s_key_vault.revision(k8s_key_vault.versions_annotation(rotated)) != revision


def secret(values, annotations=None):
    return dict(apiVersion='v1', kind='Secret', type='Opaque',
                metadata=dict(name='auth-service-secrets', namespace='phonebill-prod', labels={'app': 'auth-service'},
                              annotations=annotations or {}),
                data=dict((k, base64.b64encode(v.encode()).decode()) for k, v in values.items()))


def test_keys_and_diff_say_changed_yes_no_and_never_a_value():
    params = args(labels={}, annotations={})
    before = secret(dict(VALUES, DB_PASSWORD='edited-by-hand', EXTRA='someone-else'))
    after = secret(dict(VALUES, EXTRA='someone-else'), {k8s_key_vault.VERSIONS_ANNOTATION: k8s_key_vault.versions_annotation(IDS)})
    copied = dict((key, (IDS[key], VALUES[key])) for key in KEYS)
    keys = module.key_report(params, copied, before, after, predicted_all=False)
    assert keys == [
        dict(key='DB_PASSWORD', key_vault_secret='database-password-auth-service', version='4387e9f3d6e14c459867679a90fd0f79', changed=True),
        dict(key='JWT_SIGNING_KEY', key_vault_secret='jwt-signing-key', version='0c1e5b2a9d8f4e7b8a6c5d4e3f2a1b0c', changed=False)]
    diff = module.shown_diff(before, after, params, keys)
    assert diff['before']['data'] == dict(DB_PASSWORD='********', JWT_SIGNING_KEY='********', EXTRA='********')
    assert diff['after']['data'] == dict(DB_PASSWORD='changed: yes', JWT_SIGNING_KEY='changed: no')
    shown = json.dumps([keys, diff])
    for value in list(VALUES.values()) + ['edited-by-hand', 'someone-else']:
        assert value not in shown and base64.b64encode(value.encode()).decode() not in shown


def test_prediction_without_the_vault_marks_every_key_changed():
    keys = module.key_report(args(), None, None, None, predicted_all=True)
    assert [(k['key'], k['changed'], k['version']) for k in keys] == [
        ('DB_PASSWORD', True, '(known after a real run)'), ('JWT_SIGNING_KEY', True, '(known after a real run)')]


def test_workloads_preflight_checks_the_same_mapping_rules():
    service = dict(name='auth-service', image='acr.io/auth-service:1.0.0', replicas=3,
                   resources=dict(requests=dict(cpu='200m', memory='512Mi'), limits=dict(cpu='1', memory='1Gi')),
                   probes=dict(liveness=dict(path='/l'), readiness=dict(path='/r')))
    plan = dict(namespace='phonebill-prod', services=[
        dict(service, secrets=[dict(name='auth-service-secrets', keys={'DB PASSWORD': 'database-password-auth-service'}),
                               'kos-secrets', dict(name='Bad_Name', keys=['jwt-signing-key'])]),
        dict(service, name='kos-mock-service', secrets='kos-mock-service-secrets')])
    problems = [p for p in workload_plan_problems(plan) if '.secrets' in p]
    prefix = 'phonebill_workloads.services[auth-service].secrets'
    assert [p.split(': ')[0].split(' must')[0] for p in problems] == [
        prefix + '[auth-service-secrets].keys.DB PASSWORD', prefix + '[1]', prefix + '[Bad_Name].name',
        prefix + '[Bad_Name].keys', 'phonebill_workloads.services[kos-mock-service].secrets']
    assert problems[-1].endswith("not a string 'kos-mock-service-secrets'; write it as a YAML list (\"- item\" lines or [a, b])")
