# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_secret_info against the sandbox: what key_vault_secret and key_vault_certificate made, listed with
its attributes and versions, never a value, and nothing written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
from azure.keyvault.secrets import SecretClient

GROUP = 'rg-phonebill-it'
GIVEN = 'Given-Value-7f3e9a1c2b'
OTHER = 'Other-Value-4d8b6e0f5a'
POLICY = dict(issuer='Self', subject='CN=*.phonebill.example', dns_names=['*.phonebill.example'], validity_months=12)


@pytest.fixture
def vault(azure):
    azure('resource_group', name=GROUP, location='koreacentral')
    return azure('key_vault', name='kv-phonebill-it', resource_group=GROUP, location='koreacentral', sku='premium',
                 enable_rbac_authorization=True)['vault_uri']


@pytest.fixture
def data_plane(sandbox, vault):
    return SecretClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs())


@pytest.fixture
def made(azure, vault):
    """Secrets as the keyvault role makes them: a given value, a generated one, and a certificate's backing secret."""
    return dict(
        redis=azure('key_vault_secret', vault_uri=vault, name='redis-auth-key', value=GIVEN, content_type='text/plain',
                    tags={'rotation': '90d'}, expires='2027-06-30T00:00:00Z')['secret'],
        jwt=azure('key_vault_secret', vault_uri=vault, name='jwt-signing-key', generate=dict(length=64))['secret'],
        cert=azure('key_vault_certificate', vault_uri=vault, name='ssl-wildcard-cert', policy=POLICY)['certificate'])


def values_in_vault(data_plane):
    """Every value the vault holds, read back from it (the certificate's PFX included)."""
    found = []
    for item in data_plane.list_properties_of_secrets():
        for version in data_plane.list_properties_of_secret_versions(item.name):
            found.append(data_plane.get_secret(item.name, version.version).value)
    return found


def assert_no_value(result, values):
    printed = json.dumps(result)
    assert values and all(len(value) >= 20 for value in values)
    for value in values:
        assert value not in printed and value[:20] not in printed


def test_every_secret_listed_with_its_attributes_and_no_value(azure, vault, data_plane, made):
    writes = azure.writes()
    found = azure('key_vault_secret_info', vault_uri=vault)
    assert found['changed'] is False
    by_name = {s['name']: s for s in found['secrets']}
    assert sorted(by_name) == ['jwt-signing-key', 'redis-auth-key', 'ssl-wildcard-cert']
    redis = by_name['redis-auth-key']
    assert redis['version'] == made['redis']['version'] and redis['id'] == made['redis']['id']
    assert redis['content_type'] == 'text/plain' and redis['tags'] == {'rotation': '90d'} and redis['enabled'] is True
    assert redis['expires'] == '2027-06-30T00:00:00Z' and redis['not_before'] is None and redis['managed'] is False
    assert redis['created'].endswith('Z') and redis['updated'].endswith('Z')
    assert by_name['jwt-signing-key']['version'] == made['jwt']['version']
    backing = by_name['ssl-wildcard-cert']
    assert backing['managed'] is True and backing['version'] == made['cert']['version']
    assert backing['content_type'] == 'application/x-pkcs12'
    assert_no_value(found, values_in_vault(data_plane))
    assert azure.writes() == writes


def test_versions_after_a_second_version_newest_first(azure, vault, data_plane, made):
    second = azure('key_vault_secret', vault_uri=vault, name='redis-auth-key', value=OTHER)['secret']
    assert second['version'] != made['redis']['version']
    writes = azure.writes()
    found = azure('key_vault_secret_info', vault_uri=vault, name='redis-auth-key', versions=True)
    (secret,) = found['secrets']
    assert secret['version'] == second['version']
    assert [v['version'] for v in secret['versions']] == [second['version'], made['redis']['version']]
    assert all(v['tags'] == {'rotation': '90d'} and v['expires'] == '2027-06-30T00:00:00Z' for v in secret['versions'])
    assert_no_value(found, values_in_vault(data_plane))
    without = azure('key_vault_secret_info', vault_uri=vault, name='redis-auth-key')
    assert 'versions' not in without['secrets'][0] and without['secrets'][0]['version'] == second['version']
    assert azure.writes() == writes


def test_missing_name_tags_filter_and_check_mode(azure, vault, made):
    writes = azure.writes()
    assert azure('key_vault_secret_info', vault_uri=vault, name='database-password-bill')['secrets'] == []
    tagged = azure('key_vault_secret_info', vault_uri=vault, tags={'rotation': '90d'})
    assert [s['name'] for s in tagged['secrets']] == ['redis-auth-key']
    assert azure('key_vault_secret_info', vault_uri=vault, tags={'rotation': '90d'}, check_mode=True) == tagged
    assert azure.writes() == writes
