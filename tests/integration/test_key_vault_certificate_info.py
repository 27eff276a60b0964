# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_certificate_info against the sandbox: certificates key_vault_certificate issued and imported, listed
with their public attributes and policy, never a PFX or a private key, and nothing written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import pytest
from azure.keyvault.certificates import CertificateClient
from azure.keyvault.secrets import SecretClient
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

GROUP = 'rg-phonebill-it'
POLICY = dict(issuer='Self', subject='CN=*.phonebill.example', dns_names=['*.phonebill.example', 'phonebill.example'],
              validity_months=12, key_type='RSA', key_size=2048,
              lifetime_action=dict(action='AutoRenew', lifetime_percentage=80))


@pytest.fixture
def vault(azure):
    azure('resource_group', name=GROUP, location='koreacentral')
    return azure('key_vault', name='kv-phonebill-it', resource_group=GROUP, location='koreacentral', sku='premium',
                 enable_rbac_authorization=True)['vault_uri']


@pytest.fixture
def clients(sandbox, vault):
    return (CertificateClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs()),
            SecretClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs()))


@pytest.fixture
def made(azure, vault, clients):
    """The gateway's wildcard issued by policy, and a partner certificate imported from its PFX."""
    issued = azure('key_vault_certificate', vault_uri=vault, name='ssl-wildcard-cert', policy=POLICY,
                   tags={'service': 'gateway'})['certificate']
    pfx = clients[1].get_secret('ssl-wildcard-cert').value
    imported = azure('key_vault_certificate', vault_uri=vault, name='kos-client-cert', certificate=pfx,
                     tags={'partner': 'kos'})['certificate']
    return dict(issued=issued, imported=imported)


def assert_no_private_material(result, secrets):
    """No PFX (nor a piece of one) and no private key line of any backing secret in the result."""
    printed = json.dumps(result)
    for name in ('ssl-wildcard-cert', 'kos-client-cert'):
        pfx = secrets.get_secret(name).value
        key, _cert, _chain = pkcs12.load_key_and_certificates(base64.b64decode(pfx), None)
        key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
        assert pfx not in printed and pfx[:64] not in printed and pfx[-64:] not in printed
        for line in key_pem.splitlines()[1:-1]:
            assert line not in printed


def test_every_certificate_with_its_public_attributes_and_policy(azure, vault, clients, made):
    certificates, secrets = clients
    writes = azure.writes()
    found = azure('key_vault_certificate_info', vault_uri=vault)
    assert found['changed'] is False
    by_name = {c['name']: c for c in found['certificates']}
    assert sorted(by_name) == ['kos-client-cert', 'ssl-wildcard-cert']
    wildcard = by_name['ssl-wildcard-cert']
    current = certificates.get_certificate('ssl-wildcard-cert').properties
    assert wildcard['version'] == made['issued']['version'] == current.version and wildcard['id'] == current.id
    assert wildcard['thumbprint'] == current.x509_thumbprint.hex() == made['issued']['thumbprint']
    assert wildcard['subject'] == 'CN=*.phonebill.example'
    assert sorted(wildcard['dns_names']) == ['*.phonebill.example', 'phonebill.example']
    assert wildcard['expires'] == made['issued']['expires'] and wildcard['not_before'] == made['issued']['not_before']
    assert wildcard['enabled'] is True and wildcard['tags'] == {'service': 'gateway'}
    policy = wildcard['policy']
    assert policy['issuer'] == 'Self' and policy['validity_months'] == 12
    assert policy['lifetime_action'] == {'action': 'AutoRenew', 'lifetime_percentage': 80}
    partner = by_name['kos-client-cert']
    assert partner['thumbprint'] == wildcard['thumbprint'] and partner['version'] == made['imported']['version']
    assert partner['tags'] == {'partner': 'kos'} and partner['policy']['issuer'] == 'Unknown'
    assert_no_private_material(found, secrets)
    assert azure.writes() == writes


def test_a_new_version_is_the_current_one(azure, vault, clients, made):
    reissued = azure('key_vault_certificate', vault_uri=vault, name='ssl-wildcard-cert', policy=POLICY, reissue=True)
    writes = azure.writes()
    (found,) = azure('key_vault_certificate_info', vault_uri=vault, name='ssl-wildcard-cert')['certificates']
    assert found['version'] == reissued['certificate']['version'] != made['issued']['version']
    assert found['thumbprint'] == reissued['certificate']['thumbprint']
    assert_no_private_material(found, clients[1])
    assert azure.writes() == writes


def test_missing_name_tags_filter_and_check_mode(azure, vault, made):
    writes = azure.writes()
    assert azure('key_vault_certificate_info', vault_uri=vault, name='db-client-cert')['certificates'] == []
    tagged = azure('key_vault_certificate_info', vault_uri=vault, tags={'service': 'gateway'})
    assert [c['name'] for c in tagged['certificates']] == ['ssl-wildcard-cert']
    assert azure('key_vault_certificate_info', vault_uri=vault, tags={'service': 'gateway'}, check_mode=True) == tagged
    assert azure.writes() == writes
