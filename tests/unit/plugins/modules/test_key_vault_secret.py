# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_secret: values compared and never returned, versions only for new values, generation policy.

Bundles follow Microsoft's data-plane examples (azure-rest-api-specs,
Security.KeyVault.Secrets/examples/7.5/GetSecret-example.json, GetDeletedSecret-example.json):
epoch-second attributes, the version in the id, no tags or content type unless set.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import string
import time
import uuid
from datetime import datetime, timedelta, timezone
from unittest import mock

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.keyvault.secrets._generated import models as generated
from azure.keyvault.secrets._models import DeletedSecret, KeyVaultSecret, SecretProperties

from ansible_collections.phonebill.platform.plugins.module_utils import cloud, keyvault_checks, keyvault_data
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import key_vault_secret
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import AUTH
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

VAULT = 'https://kv-phonebill-prod.vault.azure.net/'
NAME = 'redis-auth-key'
CURRENT = 'current-Value-0f9e8d7c'
NEW = 'new-Value-6b5a4c3d'
ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')


def disabled_error():
    response = mock.Mock(status_code=403, headers={}, reason='Forbidden', text=lambda: json.dumps(
        {'error': {'code': 'Forbidden', 'message': 'Operation get is not allowed on a disabled secret.',
                   'innererror': {'code': 'SecretDisabled'}}}))
    error = HttpResponseError(message='(Forbidden) Operation get is not allowed on a disabled secret.', response=response)
    error.status_code = 403
    return error


class FakeSecrets:
    """A vault's secrets as Key Vault keeps them: versions of bundles, deleted secrets apart."""

    def __init__(self):
        self.versions = {}
        self.deleted = {}
        self.writes = []

    def seed(self, name, value, **fields):
        version = uuid.uuid4().hex
        bundle = dict({'value': value, 'id': '%ssecrets/%s/%s' % (VAULT, name, version),
                       'attributes': {'enabled': True, 'created': 1493938410 + len(self.versions.get(name, [])),
                                      'updated': 1493938410, 'recoveryLevel': 'Recoverable+Purgeable'}}, **fields)
        self.versions.setdefault(name, []).append(bundle)
        return bundle

    def _latest(self, name):
        if name not in self.versions:
            raise ResourceNotFoundError('(SecretNotFound) A secret with (name/id) %s was not found in this key vault.' % name)
        return self.versions[name][-1]

    def get_secret(self, name):
        bundle = self._latest(name)
        if not bundle['attributes']['enabled']:
            raise disabled_error()
        return KeyVaultSecret._from_secret_bundle(generated.SecretBundle(copy.deepcopy(bundle)))  # pylint: disable=protected-access

    def list_properties_of_secret_versions(self, name):
        return iter([SecretProperties._from_secret_item(generated.SecretItem(  # pylint: disable=protected-access
            {k: v for k, v in b.items() if k != 'value'})) for b in self.versions.get(name, [])])

    def get_deleted_secret(self, name):
        if name not in self.deleted:
            raise ResourceNotFoundError('(SecretNotFound) Deleted secret %s was not found in this key vault.' % name)
        return DeletedSecret._from_deleted_secret_bundle(  # pylint: disable=protected-access
            generated.DeletedSecretBundle(copy.deepcopy(self.deleted[name])))

    @staticmethod
    def _attributes(bundle, enabled, not_before, expires_on):
        if enabled is not None:
            bundle['attributes']['enabled'] = enabled
        if not_before is not None:
            bundle['attributes']['nbf'] = int(not_before.timestamp())
        if expires_on is not None:
            bundle['attributes']['exp'] = int(expires_on.timestamp())

    def set_secret(self, name, value, enabled=None, tags=None, content_type=None, not_before=None, expires_on=None):
        self.writes.append(('set', name))
        fields = dict((k, v) for k, v in (('tags', tags), ('contentType', content_type)) if v is not None)
        bundle = self.seed(name, value, **fields)
        # Key Vault stamps the creation when the request arrives, a moment after the client sent it
        bundle['attributes']['created'] = int(time.time()) + 2
        self._attributes(bundle, enabled, not_before, expires_on)
        return KeyVaultSecret._from_secret_bundle(generated.SecretBundle(copy.deepcopy(bundle)))  # pylint: disable=protected-access

    def update_secret_properties(self, name, version, enabled=None, tags=None, content_type=None, not_before=None,
                                 expires_on=None):
        self.writes.append(('update', name, version))
        bundle = [b for b in self.versions[name] if b['id'].endswith('/' + version)][0]
        if tags is not None:
            bundle['tags'] = tags
        if content_type is not None:
            bundle['contentType'] = content_type
        self._attributes(bundle, enabled, not_before, expires_on)
        return SecretProperties._from_secret_bundle(generated.SecretBundle(  # pylint: disable=protected-access
            {k: v for k, v in bundle.items() if k != 'value'}))

    def begin_delete_secret(self, name):
        self.writes.append(('delete', name))
        bundle = self.versions.pop(name)[-1]
        self.deleted[name] = dict({k: v for k, v in bundle.items() if k != 'value'}, deletedDate=1493938433,
                                  scheduledPurgeDate=1501714433, recoveryId='%sdeletedsecrets/%s' % (VAULT, name))
        return mock.Mock(polling_method=mock.Mock(), done=lambda: True, result=lambda: None)


def run(secrets, args, **kwargs):
    with mock.patch.object(keyvault_data, 'client', return_value=secrets):
        return run_module(key_vault_secret.main, dict(AUTH, vault_uri=VAULT, name=NAME, **args), **kwargs)


def assert_no_value(result, *values):
    printed = json.dumps(result, default=str)
    for value in values:
        assert value not in printed


@pytest.fixture
def secrets():
    fake = FakeSecrets()
    fake.seed(NAME, CURRENT, contentType='text/plain', tags={'rotation': '90d'})
    return fake


def test_same_value_is_unchanged_with_no_write(secrets):
    result = run(secrets, dict(value=CURRENT, content_type='text/plain', tags={'rotation': '90d'}), diff=True)
    assert result['changed'] is False and result['value_changed'] is False and secrets.writes == []
    assert result['secret']['version'] == secrets.versions[NAME][-1]['id'].rsplit('/', 1)[1]
    assert_no_value(result, CURRENT)


def test_other_value_is_a_new_version_reported_without_either_value(secrets):
    predicted = run(secrets, dict(value=NEW), check_mode=True, diff=True)
    assert predicted['changed'] is True and predicted['value_changed'] is True and secrets.writes == []
    result = run(secrets, dict(value=NEW), diff=True)
    assert result['differences'] == predicted['differences'] == [{'path': 'value', 'before': '********', 'after': '********'}]
    assert secrets.writes == [('set', NAME)] and len(secrets.versions[NAME]) == 2
    latest = secrets.versions[NAME][-1]
    assert latest['value'] == NEW and latest['contentType'] == 'text/plain' and latest['tags'] == {'rotation': '90d'}
    assert result['secret']['id'] == latest['id']
    for shown in (predicted, result):
        assert_no_value(shown, CURRENT, NEW)
    assert run(secrets, dict(value=NEW))['changed'] is False and len(secrets.writes) == 1


def test_attributes_alone_update_the_current_version_in_place(secrets):
    version = secrets.versions[NAME][-1]['id'].rsplit('/', 1)[1]
    args = dict(value=CURRENT, tags={'owner': 'billing'}, expires='2027-06-30T09:00:00+09:00', enabled=True)
    result = run(secrets, args, diff=True)
    assert result['value_changed'] is False
    assert result['differences'] == [{'path': 'tags.owner', 'before': None, 'after': 'billing'},
                                     {'path': 'expires', 'before': None, 'after': '2027-06-30T00:00:00Z'}]
    assert secrets.writes == [('update', NAME, version)] and len(secrets.versions[NAME]) == 1
    assert secrets.versions[NAME][-1]['tags'] == {'rotation': '90d', 'owner': 'billing'}
    assert result['secret']['expires'] == '2027-06-30T00:00:00Z'
    assert run(secrets, args)['changed'] is False and len(secrets.writes) == 1


def test_generated_once_by_policy_then_never_compared_until_regenerate():
    fake = FakeSecrets()
    policy = dict(length=48, classes=['lower', 'digits'], min_per_class=4)
    created = run(fake, dict(generate=policy), diff=True)
    assert created['changed'] is True and created['value_changed'] is True
    value = fake.versions[NAME][-1]['value']
    assert len(value) == 48 and set(value) <= set(string.ascii_lowercase + string.digits)
    assert sum(c.isdigit() for c in value) >= 4 and sum(c.islower() for c in value) >= 4
    assert_no_value(created, value)
    assert run(fake, dict(generate=policy))['changed'] is False and len(fake.writes) == 1
    rotated = run(fake, dict(generate=policy, regenerate=True))
    assert rotated['value_changed'] is True and fake.versions[NAME][-1]['value'] != value
    assert_no_value(rotated, value, fake.versions[NAME][-1]['value'])


def test_generate_draws_from_the_os_csprng():
    with mock.patch.object(keyvault_checks.secrets, 'choice', side_effect=lambda pool: pool[0]) as choice:
        value = keyvault_checks.generate(dict(length=10, classes=['upper', 'symbols'], symbols='#@', min_per_class=2))
    assert choice.call_count == 10 and sorted(value) == sorted('AA##' + 'A' * 6)


def test_disabled_version_is_not_value_compared_and_the_warning_has_no_value(secrets):
    secrets.versions[NAME][-1]['attributes']['enabled'] = False
    with mock.patch.object(AzureModule, 'warn') as warn:
        result = run(secrets, dict(value=NEW, enabled=False))
    assert result['changed'] is False and result['value_changed'] is False and secrets.writes == []
    (warning,), _kwargs = warn.call_args
    assert warning.startswith('value: not compared, Key Vault does not return the value of secret redis-auth-key')
    assert_no_value([result, warning], CURRENT, NEW)
    enabled = run(secrets, dict(value=NEW, enabled=True))
    assert enabled['differences'] == [{'path': 'enabled', 'before': False, 'after': True}]
    assert secrets.writes[0][0] == 'update'


def test_secret_backing_a_certificate_is_refused(secrets):
    secrets.versions[NAME][-1]['managed'] = True
    result = run(secrets, dict(value=NEW))
    assert result['failed'] and result['msg'].startswith('name: secret redis-auth-key of %s backs a certificate' % VAULT)
    assert secrets.writes == []
    assert_no_value(result, CURRENT, NEW)


def test_deleted_secret_holding_the_name_is_reported(secrets):
    run(secrets, dict(state='absent'))
    result = run(secrets, dict(value=NEW))
    assert result['failed'] and 'is deleted but recoverable (purged by Key Vault on 2017-08-02T22:53:53Z)' in result['msg']
    assert secrets.writes == [('delete', NAME)]


def test_absent_deletes_once_and_predicts_in_check_mode(secrets):
    predicted = run(secrets, dict(state='absent'), check_mode=True)
    assert predicted['changed'] is True and secrets.writes == []
    assert run(secrets, dict(state='absent'))['changed'] is True and secrets.writes == [('delete', NAME)]
    assert run(secrets, dict(state='absent'))['changed'] is False


def test_creating_needs_a_value_or_a_policy():
    fake = FakeSecrets()
    result = run(fake, dict(content_type='text/plain'))
    assert result['failed'] and result['msg'].startswith('value: required to create') and fake.writes == []


@pytest.mark.parametrize('changes, option', [
    (dict(vault_uri='http://kv-phonebill-prod.vault.azure.net/'), 'vault_uri:'),
    (dict(vault_uri='https://kv-phonebill-prod.vault.azure.net/secrets/x'), 'vault_uri:'),
    (dict(name='redis_auth_key'), 'name:'),
    (dict(generate=dict(length=4)), 'generate.length:'),
    (dict(generate=dict(length=8, min_per_class=3)), 'generate.min_per_class:'),
    (dict(generate=dict(classes=[])), 'generate.classes:'),
    (dict(generate=dict(symbols='')), 'generate.symbols:'),
    (dict(value=NEW, regenerate=True), 'regenerate:'),
    (dict(value=NEW, expires='next year'), 'expires:'),
    (dict(value=NEW, not_before='2027-01-01T00:00:00Z', expires='2026-01-01'), 'expires:'),
    (dict(value=NEW, tags={'n': 1}), 'tags.n:'),
    (dict(value=NEW, expires_after_days=0), 'expires_after_days:'),
    (dict(value=NEW, expires='2027-01-01', expires_after_days=90), 'parameters are mutually exclusive'),
])
def test_bad_input_fails_before_any_client(changes, option):
    args = dict(dict(vault_uri=VAULT, name=NAME), **changes)
    with mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(key_vault_secret.main, dict(AUTH, **args))
    assert result['failed'] and result['msg'].startswith(option)
    assert_no_value(result, NEW)


def test_value_and_generate_are_exclusive():
    result = run(FakeSecrets(), dict(value=NEW, generate=dict(length=32)))
    assert result['failed'] and 'mutually exclusive' in result['msg']


def test_challenge_check_is_lifted_only_outside_the_dns_suffix_of_a_metadata_cloud():
    sandbox = cloud.Cloud('AzureSandbox', 'https://127.0.0.1:8443/', 'https://127.0.0.1:8443/',
                          'https://management.azure.com/', custom=True)
    assert keyvault_data.verifies_challenge(cloud.KNOWN_CLOUDS['azurecloud'], 'https://127.0.0.1:9000/') is True
    assert keyvault_data.verifies_challenge(sandbox, 'https://kv-phonebill-prod.vault.azure.net/') is True
    assert keyvault_data.verifies_challenge(sandbox, 'https://127.0.0.1:9000/') is False


def test_data_plane_requirements_are_the_project_ranges():
    with open(os.path.join(ROOT, 'requirements.txt'), encoding='utf-8') as handle:
        lines = set(line.strip() for line in handle)
    for service in (keyvault_data.SECRETS, keyvault_data.CERTIFICATES):
        assert service.requirement in lines
        assert getattr(keyvault_data.sdk.load(service), service.client).__name__ == service.client


def test_expires_after_days_counts_from_each_version_and_is_stable():
    """SPEC 8 rotation: a version expires N days after it was made; a later run does not move the date."""
    fake = FakeSecrets()
    created = run(fake, dict(generate=dict(length=32), expires_after_days=90))
    expires = keyvault_data.parse_time(created['secret']['expires'])
    made = datetime.now(timezone.utc)
    assert abs((expires - made) - timedelta(days=90)) < timedelta(minutes=5)
    assert run(fake, dict(generate=dict(length=32), expires_after_days=90))['changed'] is False and len(fake.writes) == 1


def test_expires_after_days_on_an_existing_version_is_its_creation_plus_the_days(secrets):
    version = secrets.versions[NAME][-1]['id'].rsplit('/', 1)[1]
    result = run(secrets, dict(value=CURRENT, expires_after_days=90))
    # created 1493938410 (2017-05-04T22:53:30Z) + 90 days
    assert result['differences'] == [{'path': 'expires', 'before': None, 'after': '2017-08-02T22:53:30Z'}]
    assert secrets.writes == [('update', NAME, version)] and result['value_changed'] is False
    assert run(secrets, dict(value=CURRENT, expires_after_days=90))['changed'] is False


def test_a_vault_check_mode_only_predicts_holds_a_new_secret_and_nothing_is_read():
    with mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        predicted = run_module(key_vault_secret.main, dict(AUTH, name=NAME, unknown=['vault_uri'],
                                                           generate=dict(length=32)), check_mode=True, diff=True)
        real = run_module(key_vault_secret.main, dict(AUTH, name=NAME, unknown=['vault_uri'], generate=dict(length=32)))
    assert predicted['changed'] is True and predicted['value_changed'] is True
    assert predicted['differences'][0] == {'path': 'value', 'before': None, 'after': '********'}
    assert real['failed'] and real['msg'].startswith('vault_uri: is unknown (listed in unknown), which only check mode accepts')


def test_vault_uri_is_required_unless_unknown():
    with mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(key_vault_secret.main, dict(AUTH, name=NAME, generate=dict(length=32)))
    assert result['failed'] and result['msg'].startswith('vault_uri: required')
