# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_secret_info: attributes of current versions and of every version, never a value.

Items follow Microsoft's data-plane examples (azure-rest-api-specs, Security.KeyVault.Secrets/examples/7.5/
GetSecrets-example.json and GetSecretVersions-example.json): a secret listed without its version, each version
item with the version in its id, epoch-second attributes, no value anywhere.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from unittest import mock

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.keyvault.secrets._generated import models as generated
from azure.keyvault.secrets._models import SecretProperties

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_data
from ansible_collections.phonebill.platform.plugins.modules import key_vault_secret_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import AUTH
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

VAULT = 'https://myvault.vault.azure.net/'
VALUES = ('Redis-Value-0f9e8d7c', 'Redis-Value-6b5a4c3d', 'Jwt-Value-1a2b3c4d', 'Pfx-Base64-MIIKYAIBAz')


def version_item(name, version, created, value, **fields):
    """A stored version: the item Key Vault lists (no value) and the value it keeps apart."""
    item = dict({'id': '%ssecrets/%s/%s' % (VAULT, name, version),
                 'attributes': {'enabled': True, 'created': created, 'updated': created,
                                'recoveryLevel': 'Recoverable+Purgeable'}}, **fields)
    return item, value


class FakeSecrets:
    """A vault's secrets answered as Key Vault lists them; reading a value is recorded, as it must never happen."""

    def __init__(self):
        self.versions = {
            # listed out of creation order: Key Vault does not promise an order
            'redis-auth-key': [
                version_item('redis-auth-key', '4387e9f3d6e14c459867679a90fd0f79', 1798761600, VALUES[1],
                             contentType='text/plain', tags={'rotation': '90d'}),
                version_item('redis-auth-key', '11a536561da34d6b8b452d880df58f3a', 1790985600, VALUES[0],
                             contentType='text/plain', tags={'rotation': '90d'}),
            ],
            'jwt-signing-key': [version_item('jwt-signing-key', '9d2c4b6e8f0a4c1e9b7d5f3a1c8e6b4d', 1482189047, VALUES[2],
                                             contentType='plainText')],
            'ssl-wildcard-cert': [version_item('ssl-wildcard-cert', 'f60f2a4f8ae442cfb41ca2090bd4b769', 1493938289, VALUES[3],
                                               contentType='application/x-pkcs12', managed=True,
                                               kid='https://myvault.vault.azure.net/keys/ssl-wildcard-cert/'
                                                   'f60f2a4f8ae442cfb41ca2090bd4b769')],
        }
        self.versions['redis-auth-key'][0][0]['attributes']['exp'] = 1806537600
        self.values_read = []

    def list_properties_of_secrets(self):
        latest = {name: max(stored, key=lambda s: s[0]['attributes']['created'])[0] for name, stored in self.versions.items()}
        return iter([SecretProperties._from_secret_item(generated.SecretItem(  # pylint: disable=protected-access
            dict(item, id='%ssecrets/%s' % (VAULT, name)))) for name, item in sorted(latest.items())])

    def list_properties_of_secret_versions(self, name):
        if name not in self.versions:
            raise ResourceNotFoundError('(SecretNotFound) A secret with (name/id) %s was not found in this key vault.' % name)
        return iter([SecretProperties._from_secret_item(generated.SecretItem(dict(item)))  # pylint: disable=protected-access
                     for item, _value in self.versions[name]])

    def get_secret(self, name, version=None):
        self.values_read.append(name)
        raise AssertionError('an info module never reads a value')


def run(fake, args, **kwargs):
    with mock.patch.object(keyvault_data, 'client', return_value=fake) as client:
        result = run_module(key_vault_secret_info.main, dict(AUTH, vault_uri=VAULT, **args), **kwargs)
    if fake is not None:
        (_module, service, vault), _kwargs = client.call_args
        assert service is keyvault_data.SECRETS and vault == VAULT
    return result


def assert_no_value(result):
    printed = json.dumps(result)
    for value in VALUES:
        assert value not in printed


def test_every_secret_with_its_current_version_attributes_and_no_value():
    fake = FakeSecrets()
    result = run(fake, {})
    assert result['changed'] is False and fake.values_read == []
    assert [s['name'] for s in result['secrets']] == ['jwt-signing-key', 'redis-auth-key', 'ssl-wildcard-cert']
    jwt, redis, cert = result['secrets']
    assert redis == {
        'name': 'redis-auth-key', 'version': '4387e9f3d6e14c459867679a90fd0f79',
        'id': 'https://myvault.vault.azure.net/secrets/redis-auth-key/4387e9f3d6e14c459867679a90fd0f79',
        'enabled': True, 'content_type': 'text/plain', 'tags': {'rotation': '90d'}, 'managed': False,
        'created': '2027-01-01T00:00:00Z', 'updated': '2027-01-01T00:00:00Z', 'not_before': None,
        'expires': '2027-04-01T00:00:00Z'}
    assert jwt['created'] == '2016-12-19T23:10:47Z' and jwt['tags'] == {} and jwt['expires'] is None
    assert cert['managed'] is True and cert['content_type'] == 'application/x-pkcs12'
    assert 'versions' not in redis
    assert_no_value(result)


def test_versions_newest_first_each_with_its_attributes():
    fake = FakeSecrets()
    result = run(fake, dict(name='redis-auth-key', versions=True))
    (secret,) = result['secrets']
    assert [v['version'] for v in secret['versions']] == ['4387e9f3d6e14c459867679a90fd0f79', '11a536561da34d6b8b452d880df58f3a']
    older = secret['versions'][1]
    assert older['created'] == '2026-10-03T00:00:00Z' and older['expires'] is None and older['enabled'] is True
    assert older['id'].endswith('/secrets/redis-auth-key/11a536561da34d6b8b452d880df58f3a')
    assert secret['version'] == secret['versions'][0]['version'] and fake.values_read == []
    assert_no_value(result)


def test_versions_made_in_the_same_second_keep_key_vaults_order():
    fake = FakeSecrets()
    first, second = fake.versions['redis-auth-key']
    first[0]['attributes']['created'] = second[0]['attributes']['created']
    fake.versions['redis-auth-key'] = [second, first]
    (secret,) = run(fake, dict(name='redis-auth-key'))['secrets']
    assert secret['version'] == '4387e9f3d6e14c459867679a90fd0f79'


@pytest.mark.parametrize('missing', ['not-found', 'no-versions'])
def test_a_name_that_does_not_exist_is_an_empty_list(missing):
    fake = FakeSecrets()
    if missing == 'no-versions':
        fake.versions['db-password'] = []
    result = run(fake, dict(name='db-password'))
    assert result == {'changed': False, 'secrets': []}


def test_a_secret_deleted_between_the_listing_and_its_versions_is_left_out():
    class Deleting(FakeSecrets):
        def list_properties_of_secrets(self):
            listed = super().list_properties_of_secrets()
            del self.versions['jwt-signing-key']
            return listed

    result = run(Deleting(), {})
    assert [s['name'] for s in result['secrets']] == ['redis-auth-key', 'ssl-wildcard-cert']


def test_tags_filter_and_check_mode_reads_the_same():
    fake = FakeSecrets()
    result = run(fake, dict(tags={'rotation': '90d'}))
    assert [s['name'] for s in result['secrets']] == ['redis-auth-key']
    assert run(fake, dict(tags={'rotation': '90d'}), check_mode=True) == result
    assert run(fake, dict(tags={'rotation': '30d'}))['secrets'] == []


def test_a_refused_listing_fails_with_azures_error():
    class Forbidden(FakeSecrets):
        def list_properties_of_secrets(self):
            response = mock.Mock(status_code=403, headers={}, reason='Forbidden', text=lambda: json.dumps(
                {'error': {'code': 'Forbidden', 'message': 'Caller is not authorized to perform action on resource.'}}))
            raise HttpResponseError(message='(Forbidden) Caller is not authorized to perform action on resource.',
                                    response=response)

    result = run(Forbidden(), {})
    assert result['failed'] and result['msg'].startswith('list the secrets of %s' % VAULT)
    assert 'Caller is not authorized' in result['msg']


@pytest.mark.parametrize('changes, option', [
    (dict(vault_uri='http://myvault.vault.azure.net/'), 'vault_uri:'),
    (dict(vault_uri='https://myvault.vault.azure.net/secrets/redis-auth-key'), 'vault_uri:'),
    (dict(name='redis_auth_key'), 'name:'),
    (dict(name='x' * 128), 'name:'),
    (dict(tags={'rotation': 90}), 'tags.rotation:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    args = dict(dict(vault_uri=VAULT), **changes)
    with mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(key_vault_secret_info.main, dict(AUTH, **args))
    assert result['failed'] and result['msg'].startswith(option)


def test_vault_uri_is_required():
    with mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(key_vault_secret_info.main, dict(AUTH, name='redis-auth-key'))
    assert result['failed'] and 'vault_uri' in result['msg']
