# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_cache_keys against the sandbox: regeneration is explicit, never in check mode, and no key is ever output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

import pytest

GROUP, NAME = 'rg-phonebill-it', 'redis-phonebill-it'
ARGS = dict(name=NAME, resource_group=GROUP)


def current_keys(sandbox):
    from azure.mgmt.redis import RedisManagementClient  # pylint: disable=import-outside-toplevel
    client = RedisManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs())
    found = client.redis.list_keys(GROUP, NAME)
    return {'primary': found.primary_key, 'secondary': found.secondary_key}


def fingerprints(keys):
    return dict((which, 'sha256:' + hashlib.sha256(key.encode()).hexdigest()[:16]) for which, key in keys.items())


@pytest.fixture
def cache(azure):
    azure('resource_group', name=GROUP, location='koreacentral')
    azure('redis_cache', name=NAME, resource_group=GROUP, location='koreacentral', sku=dict(name='Premium', capacity=1))


def test_regenerate_only_when_asked_and_never_in_check_mode(azure, sandbox, cache):
    before = current_keys(sandbox)
    writes = azure.writes()
    listed = azure('redis_cache_keys', **ARGS)
    assert listed['changed'] is False and listed['fingerprints'] == fingerprints(before) and azure.writes() == writes
    predicted = azure('redis_cache_keys', check_mode=True, regenerate='secondary', **ARGS)
    assert predicted['changed'] is True and azure.writes() == writes and current_keys(sandbox) == before
    rotated = azure('redis_cache_keys', regenerate='secondary', **ARGS)
    after = current_keys(sandbox)
    assert azure.writes() == writes + 1 and after['primary'] == before['primary'] and after['secondary'] != before['secondary']
    assert rotated['fingerprints'] == fingerprints(after)
    text = json.dumps([listed, predicted, rotated])
    assert not any(key in text for key in list(before.values()) + list(after.values()))


def cache_id(sandbox):
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Cache/redis/%s' % (sandbox.subscription_id, GROUP, NAME)


def regenerations(sandbox):
    return [r['status'] for r in sandbox.requests() if r['method'] == 'POST' and r['path'].split('?')[0].endswith('/regenerateKey')]


def test_a_regeneration_waits_for_an_operation_on_the_cache_and_check_mode_names_it(azure, sandbox, cache):
    """Azure answers 409 to regenerateKey while the cache scales: check mode says so, a real run waits, then regenerates."""
    sandbox.hold(cache_id(sandbox), 'Scaling', seconds=2.5)
    sandbox.clear_requests()
    before = current_keys(sandbox)
    rotated = azure('redis_cache_keys', regenerate='secondary', **ARGS)
    assert rotated['changed'] and regenerations(sandbox) == [200]   # one regeneration, after the scaling: no 409
    assert current_keys(sandbox)['secondary'] != before['secondary']
    sandbox.hold(cache_id(sandbox), 'Scaling', seconds=30)
    sandbox.clear_requests()
    before = current_keys(sandbox)
    predicted = azure('redis_cache_keys', check_mode=True, regenerate='secondary', **ARGS)
    assert predicted['operations_in_progress'] == ['Redis cache %s is Scaling' % NAME] and azure.writes() == 0
    failed = azure('redis_cache_keys', regenerate='secondary', timeout=1, **ARGS)
    assert failed['failed'] and regenerations(sandbox) == [] and current_keys(sandbox) == before
    assert failed['msg'] == ('wait for the operation running on Redis cache %s (Redis cache %s is Scaling) did not finish '
                             'within 1 seconds; nothing was written' % (NAME, NAME))


def test_missing_cache_fails_with_azure_error(azure, cache):
    missing = azure('redis_cache_keys', name='redis-phonebill-none', resource_group=GROUP, regenerate='primary')
    assert missing['failed'] and missing['msg'].startswith('list the keys of Redis cache redis-phonebill-none: HTTP 404')


def stored_value(sandbox, vault_uri, name):
    from azure.keyvault.secrets import SecretClient  # pylint: disable=import-outside-toplevel
    return SecretClient(vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs()).get_secret(name).value


def test_the_key_in_use_goes_to_key_vault_only_when_it_differs_and_is_never_output(azure, sandbox, cache):
    vault = azure('key_vault', name='kv-phonebill-keys', resource_group=GROUP, location='koreacentral', sku='premium',
                  enable_rbac_authorization=True)['vault_uri']
    args = dict(ARGS, vault_uri=vault, secret_name='redis-auth-key')
    writes = azure.writes()
    predicted = azure('redis_cache_keys', check_mode=True, **args)
    assert predicted['changed'] is True and predicted['stored'] is True and azure.writes() == writes
    stored = azure('redis_cache_keys', **args)
    assert stored['stored'] is True and azure.writes() == writes + 1
    assert stored_value(sandbox, vault, 'redis-auth-key') == current_keys(sandbox)['primary']
    again = azure('redis_cache_keys', **args)
    assert again['changed'] is False and again['stored'] is False and azure.writes() == writes + 1
    before = current_keys(sandbox)
    rotated = azure('redis_cache_keys', regenerate='primary', **args)
    after = current_keys(sandbox)
    assert rotated['stored'] is True and after['primary'] != before['primary']
    assert stored_value(sandbox, vault, 'redis-auth-key') == after['primary']
    text = json.dumps([predicted, stored, again, rotated])
    assert not any(key in text for key in list(before.values()) + list(after.values()))


def test_a_secret_a_rotation_moved_to_the_other_key_is_left_as_it_is(azure, sandbox, cache):
    vault = azure('key_vault', name='kv-phonebill-keys', resource_group=GROUP, location='koreacentral', sku='premium',
                  enable_rbac_authorization=True)['vault_uri']
    rotated = dict(ARGS, vault_uri=vault, secret_name='redis-auth-key', stored_key='secondary')
    azure('redis_cache_keys', **rotated)
    site = dict(ARGS, vault_uri=vault, secret_name='redis-auth-key', stored_key='primary', accept_other_key=True)
    writes = azure.writes()
    predicted = azure('redis_cache_keys', check_mode=True, **site)
    kept = azure('redis_cache_keys', **site)
    assert predicted['stored'] is False and kept['changed'] is False and azure.writes() == writes
    assert stored_value(sandbox, vault, 'redis-auth-key') == current_keys(sandbox)['secondary']
    undone = azure('redis_cache_keys', **dict(site, accept_other_key=False))
    assert undone['stored'] is True and azure.writes() == writes + 1
    assert stored_value(sandbox, vault, 'redis-auth-key') == current_keys(sandbox)['primary']
