# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_secret against the sandbox's per-vault data plane, and no secret, key or password of the secret and
certificate modules in -vvv --diff output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime
import json
import os
import subprocess
import sys

import pytest
from azure.keyvault.secrets import SecretClient
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
GROUP = 'rg-phonebill-it'
GIVEN = 'Given-Value-7f3e9a1c2b'
OTHER = 'Other-Value-4d8b6e0f5a'
PFX_PASSWORD = 'Pfx-Password-9c1d2e3f4a'


@pytest.fixture
def vault(azure):
    azure('resource_group', name=GROUP, location='koreacentral')
    return azure('key_vault', name='kv-phonebill-it', resource_group=GROUP, location='koreacentral', sku='premium',
                 enable_rbac_authorization=True)['vault_uri']


@pytest.fixture
def data_plane(sandbox, vault):
    return SecretClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs())


def test_create_predicted_then_unchanged_with_no_write(azure, vault, data_plane):
    secret = dict(vault_uri=vault, name='redis-auth-key', value=GIVEN, content_type='text/plain', tags={'rotation': '90d'})
    writes = azure.writes()
    predicted = azure('key_vault_secret', check_mode=True, **secret)
    assert predicted['changed'] is True and predicted['value_changed'] is True and azure.writes() == writes
    created = azure('key_vault_secret', **secret)
    assert created['differences'] == predicted['differences'] and azure.writes() == writes + 1
    assert data_plane.get_secret('redis-auth-key').value == GIVEN
    writes = azure.writes()
    for check_mode in (True, False):
        again = azure('key_vault_secret', check_mode=check_mode, **secret)
        assert again['changed'] is False and again['secret']['version'] == created['secret']['version']
    assert azure.writes() == writes


def test_value_and_attribute_drift_reported_and_repaired(azure, vault, data_plane):
    secret = dict(vault_uri=vault, name='kos-api-credentials', value=GIVEN, tags={'owner': 'billing'})
    azure('key_vault_secret', **secret)
    data_plane.set_secret('kos-api-credentials', OTHER, tags={'owner': 'billing'})
    writes = azure.writes()
    predicted = azure('key_vault_secret', check_mode=True, **secret)
    assert predicted['differences'] == [{'path': 'value', 'before': '********', 'after': '********'}]
    assert predicted['value_changed'] is True and azure.writes() == writes
    repaired = azure('key_vault_secret', **secret)
    assert repaired['differences'] == predicted['differences'] and azure.writes() == writes + 1
    assert data_plane.get_secret('kos-api-credentials').value == GIVEN
    assert len(list(data_plane.list_properties_of_secret_versions('kos-api-credentials'))) == 3
    current = data_plane.get_secret('kos-api-credentials').properties.version
    data_plane.update_secret_properties('kos-api-credentials', current, tags={'owner': 'someone'})
    attributes = azure('key_vault_secret', **secret)
    assert attributes['value_changed'] is False
    assert attributes['differences'] == [{'path': 'tags.owner', 'before': 'someone', 'after': 'billing'}]
    assert attributes['secret']['version'] == current
    assert len(list(data_plane.list_properties_of_secret_versions('kos-api-credentials'))) == 3
    assert azure('key_vault_secret', **secret)['changed'] is False


def test_generated_once_then_kept_until_regenerated(azure, vault, data_plane):
    secret = dict(vault_uri=vault, name='jwt-signing-key', generate=dict(length=64, classes=['lower', 'upper', 'digits']))
    assert azure('key_vault_secret', **secret)['value_changed'] is True
    first = data_plane.get_secret('jwt-signing-key').value
    assert len(first) == 64 and first.isalnum()
    writes = azure.writes()
    assert azure('key_vault_secret', **secret)['changed'] is False and azure.writes() == writes
    assert azure('key_vault_secret', regenerate=True, **secret)['value_changed'] is True
    assert data_plane.get_secret('jwt-signing-key').value != first


def test_disabled_secret_keeps_its_attributes_compared(azure, vault, data_plane):
    secret = dict(vault_uri=vault, name='kos-api-credentials', value=GIVEN)
    azure('key_vault_secret', **secret)
    disabled = azure('key_vault_secret', enabled=False, **secret)
    assert disabled['differences'] == [{'path': 'enabled', 'before': True, 'after': False}]
    writes = azure.writes()
    assert azure('key_vault_secret', enabled=False, **secret)['changed'] is False and azure.writes() == writes
    enabled = azure('key_vault_secret', enabled=True, **dict(secret, value=OTHER))
    assert enabled['differences'] == [{'path': 'enabled', 'before': False, 'after': True}]
    again = azure('key_vault_secret', enabled=True, **dict(secret, value=OTHER))
    assert again['value_changed'] is True and data_plane.get_secret('kos-api-credentials').value == OTHER


def test_delete_then_the_deleted_name_is_reported(azure, vault):
    secret = dict(vault_uri=vault, name='redis-auth-key', value=GIVEN)
    azure('key_vault_secret', **secret)
    absent = dict(vault_uri=vault, name='redis-auth-key', state='absent')
    writes = azure.writes()
    assert azure('key_vault_secret', check_mode=True, **absent)['changed'] is True and azure.writes() == writes
    assert azure('key_vault_secret', **absent)['changed'] is True
    assert azure('key_vault_secret', **absent)['changed'] is False
    held = azure('key_vault_secret', **secret)
    assert held['failed'] and 'is deleted but recoverable' in held['msg']


PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Vault
      phonebill.platform.key_vault:
        name: kv-phonebill-vvv
        resource_group: rg-phonebill-vvv
        location: koreacentral
        sku: premium
        enable_rbac_authorization: true
      register: vault
    - name: Given value
      phonebill.platform.key_vault_secret:
        vault_uri: "{{ vault.vault_uri }}"
        name: redis-auth-key
        value: "{{ lookup('ansible.builtin.env', 'GIVEN_SECRET') }}"
    - name: Given value changed
      phonebill.platform.key_vault_secret:
        vault_uri: "{{ vault.vault_uri }}"
        name: redis-auth-key
        value: "{{ lookup('ansible.builtin.env', 'OTHER_SECRET') }}"
        tags: {rotation: 90d}
    - name: Generated value
      phonebill.platform.key_vault_secret:
        vault_uri: "{{ vault.vault_uri }}"
        name: jwt-signing-key
        generate: {length: 48}
    - name: Generated value rotated
      phonebill.platform.key_vault_secret:
        vault_uri: "{{ vault.vault_uri }}"
        name: jwt-signing-key
        generate: {length: 48}
        regenerate: "{{ not ansible_check_mode }}"
    - name: Disabled, so the value cannot be compared (warning)
      phonebill.platform.key_vault_secret:
        vault_uri: "{{ vault.vault_uri }}"
        name: redis-auth-key
        value: "{{ lookup('ansible.builtin.env', 'OTHER_SECRET') }}"
        enabled: false
      loop: [1, 2]
    - name: Certificate imported from a PFX with its password
      phonebill.platform.key_vault_certificate:
        vault_uri: "{{ vault.vault_uri }}"
        name: kos-client-cert
        certificate: "{{ lookup('ansible.builtin.env', 'CLIENT_PFX') }}"
        password: "{{ lookup('ansible.builtin.env', 'PFX_PASSWORD') }}"
    - name: A certificate the password does not open
      phonebill.platform.key_vault_certificate:
        vault_uri: "{{ vault.vault_uri }}"
        name: kos-client-cert
        certificate: "{{ lookup('ansible.builtin.env', 'CLIENT_PFX') }}"
        password: wrong-password
      ignore_errors: true
    - name: A failure with the value given
      phonebill.platform.key_vault_secret:
        vault_uri: "{{ vault.vault_uri }}"
        name: redis-auth-key
        value: "{{ lookup('ansible.builtin.env', 'GIVEN_SECRET') }}"
        expires: "not a date"
      ignore_errors: true
'''


def client_pfx(password):
    """A self-signed client certificate with its key, as base64 PFX."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'kos-client')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    encryption = serialization.BestAvailableEncryption(password.encode())
    pfx = pkcs12.serialize_key_and_certificates(b'kos-client', key, cert, None, encryption)
    return base64.b64encode(pfx).decode(), key


def test_no_secret_value_in_vvv_diff_output(azure, sandbox, tmp_path):
    azure('resource_group', name='rg-phonebill-vvv', location='koreacentral')
    links = tmp_path / 'collections' / 'ansible_collections' / 'phonebill'
    links.mkdir(parents=True)
    os.symlink(os.path.abspath(ROOT), str(links / 'platform'))
    playbook = tmp_path / 'play.yml'
    playbook.write_text(PLAYBOOK)
    pfx, key = client_pfx(PFX_PASSWORD)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'), ANSIBLE_NOCOLOR='1',
               GIVEN_SECRET=GIVEN, OTHER_SECRET=OTHER, CLIENT_PFX=pfx, PFX_PASSWORD=PFX_PASSWORD, **sandbox.ansible_env())
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    key_lines = [line for line in private_pem.splitlines() if not line.startswith('-----')]
    outputs = []
    for extra in ([], ['--check']):
        run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), str(playbook),
                              '-i', 'localhost,', '-c', 'local', '-e', 'ansible_python_interpreter=' + sys.executable,
                              '-vvv', '--diff'] + extra,
                             env=env, capture_output=True, text=True, timeout=300, check=False)
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-3000:]
        assert 'value_changed' in output and 'expires: ' in output and 'not compared' in output
        assert 'kos-client-cert' in output and 'the password opens' in output
        outputs.append(output)
    vault = azure('key_vault', name='kv-phonebill-vvv', resource_group='rg-phonebill-vvv')['vault_uri']
    client = SecretClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs())
    generated = [client.get_secret('jwt-signing-key', p.version).value
                 for p in client.list_properties_of_secret_versions('jwt-signing-key')]
    assert len(set(generated)) == 2
    backing = client.get_secret('kos-client-cert').value
    for output in outputs:
        for value in [GIVEN, OTHER, PFX_PASSWORD, pfx, pfx[:64], backing[:64]] + generated + key_lines[:3]:
            assert value not in output and json.dumps(value)[1:-1] not in output
