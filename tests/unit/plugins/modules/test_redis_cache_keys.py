# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_cache_keys: fingerprints only, regeneration as an explicit action that check mode never performs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
from unittest import mock

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.redis import models

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_data
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import redis_cache_keys
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import AUTH, client_factory
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.redis_fakes import GROUP, KEYS, NAME

NEW_SECONDARY = 'bmV3LXNlY29uZGFyeS1rZXktMDEyMzQ1Njc4OWFiY2RlZg=='
ARGS = dict(name=NAME, resource_group=GROUP)


def fingerprint(key):
    return 'sha256:' + hashlib.sha256(key.encode()).hexdigest()[:16]


class FakeKeys:
    """listKeys and regenerateKey as RedisCacheListKeys.json / RedisCacheRegenerateKey.json answer them."""

    def __init__(self, provisioning_state='Succeeded'):
        self.keys = dict(KEYS)
        self.regenerated = []
        self.provisioning_state = provisioning_state

    def get(self, group, name):
        return models.RedisResource.deserialize(dict(location='koreacentral', properties=dict(
            sku=dict(name='Premium', family='P', capacity=2), provisioningState=self.provisioning_state)))

    def list_keys(self, group, name):
        return models.RedisAccessKeys.deserialize(dict(self.keys))

    def regenerate_key(self, group, name, parameters):
        self.regenerated.append(parameters)
        self.keys['secondaryKey' if parameters['keyType'] == 'Secondary' else 'primaryKey'] = NEW_SECONDARY
        return models.RedisAccessKeys.deserialize(dict(self.keys))


def run(fake, args, **kwargs):
    with mock.patch.object(AzureModule, 'client', client_factory({'redis': mock.Mock(redis=fake)})):
        return run_module(redis_cache_keys.main, dict(AUTH, **args), **kwargs)


def test_listing_returns_fingerprints_only():
    result = run(FakeKeys(), ARGS, diff=True)
    assert result['changed'] is False
    assert result['fingerprints'] == {'primary': fingerprint(KEYS['primaryKey']), 'secondary': fingerprint(KEYS['secondaryKey'])}
    assert not any(key in json.dumps(result) for key in KEYS.values())


def test_regenerate_is_an_explicit_change_and_never_returns_the_new_key():
    fake = FakeKeys()
    result = run(fake, dict(ARGS, regenerate='secondary'), diff=True)
    assert fake.regenerated == [{'keyType': 'Secondary'}]
    assert result['changed'] is True and result['regenerated'] == 'secondary'
    assert result['fingerprints'] == {'primary': fingerprint(KEYS['primaryKey']), 'secondary': fingerprint(NEW_SECONDARY)}
    assert result['diff']['before']['secondary'] == fingerprint(KEYS['secondaryKey'])
    assert NEW_SECONDARY not in json.dumps(result) and KEYS['secondaryKey'] not in json.dumps(result)


def test_check_mode_never_regenerates():
    fake = FakeKeys()
    result = run(fake, dict(ARGS, regenerate='primary'), check_mode=True, diff=True)
    assert fake.regenerated == [] and result['changed'] is True and result['regenerated'] == 'primary'
    assert result['diff']['after'] == {'primary': '(new key)', 'secondary': fingerprint(KEYS['secondaryKey'])}


def test_check_mode_names_an_operation_running_on_the_cache_and_never_regenerates():
    fake = FakeKeys(provisioning_state='Patching')
    result = run(fake, dict(ARGS, regenerate='primary'), check_mode=True)
    assert fake.regenerated == [] and result['operations_in_progress'] == ['Redis cache %s is Patching' % NAME]


def test_keys_become_values_ansible_masks():
    """A key that reached a message by accident is masked by Ansible itself."""
    captured = {}

    def exit_with_the_key(self, **kwargs):
        captured.update(no_log_values=set(self.ansible.no_log_values))
        raise SystemExit(0)
    with mock.patch.object(AzureModule, 'exit', exit_with_the_key):
        with pytest.raises(SystemExit):
            run(FakeKeys(), ARGS)
    assert set(KEYS.values()) <= captured['no_log_values']


@pytest.mark.parametrize('changes, option', [(dict(name='redis--x'), 'name:'), (dict(resource_group='rg.'), 'resource_group:')])
def test_bad_input_fails_before_any_client(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(redis_cache_keys.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option)


class FakeVault:
    """The secrets of a vault, as far as the key is stored: the versions of each name (value, tags) and the writes."""

    def __init__(self, **values):
        self.versions = dict((name, [(value, {})]) for name, value in values.items())
        self.writes = []

    def list_properties_of_secret_versions(self, name):
        if name not in self.versions:
            raise ResourceNotFoundError('(SecretNotFound) A secret with (name/id) %s was not found in this key vault.' % name)
        return [mock.Mock(version=str(index), id='https://kv/secrets/%s/%d' % (name, index), created_on=index, updated_on=index,
                          expires_on=None, enabled=True, content_type='text/plain', tags=tags)
                for index, (_value, tags) in enumerate(self.versions[name])]

    def get_secret(self, name, version):
        return mock.Mock(value=self.versions[name][int(version)][0])

    def set_secret(self, name, value, content_type=None, tags=None):
        self.writes.append((name, content_type))
        self.versions.setdefault(name, []).append((value, tags or {}))

    def latest(self, name):
        return self.versions[name][-1][0]

    def tags(self, name):
        return self.versions[name][-1][1]


STORE = dict(ARGS, vault_uri='https://kv-phonebill-prod.vault.azure.net/', secret_name='redis-auth-key')


def run_storing(fake, vault, args, **kwargs):
    with mock.patch.object(keyvault_data, 'client', return_value=vault):
        return run(fake, args, **kwargs)


def test_the_key_in_use_is_stored_once_and_never_returned():
    vault = FakeVault()
    predicted = run_storing(FakeKeys(), vault, STORE, check_mode=True)
    assert predicted['changed'] is True and predicted['stored'] is True and vault.writes == []
    stored = run_storing(FakeKeys(), vault, STORE, diff=True)
    assert stored['changed'] is True and stored['stored'] is True
    assert vault.writes == [('redis-auth-key', 'text/plain')] and vault.latest('redis-auth-key') == KEYS['primaryKey']
    again = run_storing(FakeKeys(), vault, STORE)
    assert again['changed'] is False and again['stored'] is False and len(vault.writes) == 1
    assert not any(key in json.dumps([predicted, stored, again]) for key in KEYS.values())


def test_a_secret_holding_another_key_gets_the_one_in_use():
    vault = FakeVault(**{'redis-auth-key': KEYS['primaryKey']})
    result = run_storing(FakeKeys(), vault, dict(STORE, stored_key='secondary'))
    assert result['stored'] is True and vault.latest('redis-auth-key') == KEYS['secondaryKey']


def test_regenerating_the_stored_key_stores_the_new_one_and_check_mode_predicts_it():
    vault = FakeVault(**{'redis-auth-key': KEYS['secondaryKey']})
    args = dict(STORE, stored_key='secondary', regenerate='secondary')
    predicted = run_storing(FakeKeys(), vault, args, check_mode=True)
    assert predicted['stored'] is True and vault.writes == []
    result = run_storing(FakeKeys(), vault, args)
    assert result['stored'] is True and vault.latest('redis-auth-key') == NEW_SECONDARY
    assert NEW_SECONDARY not in json.dumps(result)


def test_unknown_cache_and_vault_are_predicted_in_check_mode_only():
    args = dict(ARGS, secret_name='redis-auth-key', unknown=['vault_uri', 'keys'])
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')), \
            mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        predicted = run_module(redis_cache_keys.main, dict(AUTH, **args), check_mode=True)
        refused = run_module(redis_cache_keys.main, dict(AUTH, **args))
    assert predicted['changed'] is True and predicted['stored'] is True
    assert refused['failed'] and '- vault_uri: is unknown' in refused['msg'] and '- keys: is unknown' in refused['msg']


@pytest.mark.parametrize('changes, option', [
    (dict(vault_uri='https://kv-phonebill-prod.vault.azure.net/'), 'secret_name: required'),
    (dict(secret_name='redis-auth-key'), 'vault_uri: required'),
    (dict(vault_uri='https://kv-phonebill-prod.vault.azure.net/', secret_name='redis_auth_key'), 'secret_name:'),
])
def test_storing_needs_a_vault_and_a_secret_name(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(redis_cache_keys.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option)


def test_a_rotation_tags_the_version_it_writes_over_the_tags_before_it():
    vault = FakeVault(**{'redis-auth-key': KEYS['primaryKey']})
    vault.versions['redis-auth-key'][0] = (vault.versions['redis-auth-key'][0][0], {'spec-name': 'redis_auth_key'})
    journal = {'rotation-state': 'applied', 'redis-key': 'secondary'}
    run_storing(FakeKeys(), vault, dict(STORE, stored_key='secondary', secret_tags=journal))
    assert vault.tags('redis-auth-key') == {'spec-name': 'redis_auth_key', 'rotation-state': 'applied', 'redis-key': 'secondary'}
