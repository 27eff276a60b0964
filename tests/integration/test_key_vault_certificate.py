# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_certificate against the sandbox: issue by policy, policy drift, import, and no private key printed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import pytest
from azure.keyvault.certificates import CertificateClient, CertificatePolicy, LifetimeAction
from azure.keyvault.secrets import SecretClient
from cryptography import x509

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
def certificates(sandbox, vault):
    return CertificateClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs())


def test_issue_predicted_then_unchanged_with_no_write(azure, vault, certificates):
    cert = dict(vault_uri=vault, name='ssl-wildcard-cert', policy=POLICY, tags={'service': 'gateway'})
    writes = azure.writes()
    predicted = azure('key_vault_certificate', check_mode=True, **cert)
    assert predicted['changed'] is True and azure.writes() == writes
    issued = azure('key_vault_certificate', **cert)
    assert issued['differences'] == predicted['differences']
    issued_cert = x509.load_der_x509_certificate(bytes(certificates.get_certificate('ssl-wildcard-cert').cer))
    assert issued_cert.subject.rfc4514_string() == 'CN=*.phonebill.example'
    assert issued['certificate']['thumbprint'] and issued['certificate']['policy']['subject'] == 'CN=*.phonebill.example'
    writes = azure.writes()
    for check_mode in (True, False):
        again = azure('key_vault_certificate', check_mode=check_mode, **cert)
        assert again['changed'] is False and again['certificate']['version'] == issued['certificate']['version']
    assert azure.writes() == writes


def test_policy_drift_is_reported_and_updated_in_place_then_reissued(azure, vault, certificates):
    cert = dict(vault_uri=vault, name='ssl-wildcard-cert', policy=POLICY)
    first = azure('key_vault_certificate', **cert)['certificate']['version']
    certificates.update_certificate_policy('ssl-wildcard-cert', CertificatePolicy(
        validity_in_months=24, lifetime_actions=[LifetimeAction(action='EmailContacts', days_before_expiry=30)]))
    writes = azure.writes()
    predicted = azure('key_vault_certificate', check_mode=True, **cert)
    assert azure.writes() == writes
    assert predicted['differences'] == [
        {'path': 'policy.validity_months', 'before': 24, 'after': 12},
        {'path': 'policy.lifetime_action.action', 'before': 'EmailContacts', 'after': 'AutoRenew'},
        {'path': 'policy.lifetime_action.lifetime_percentage', 'before': None, 'after': 80},
        {'path': 'policy.lifetime_action.days_before_expiry', 'before': 30, 'after': None}]
    repaired = azure('key_vault_certificate', **cert)
    assert repaired['differences'] == predicted['differences'] and repaired['certificate']['version'] == first
    assert azure('key_vault_certificate', **cert)['changed'] is False
    reissued = azure('key_vault_certificate', reissue=True, **cert)
    assert reissued['differences'] == [{'path': 'version', 'before': first, 'after': '<new>'}]
    assert reissued['certificate']['version'] != first


def test_import_once_by_thumbprint_and_no_key_in_the_result(azure, sandbox, vault, certificates):
    source = dict(vault_uri=vault, name='ssl-wildcard-cert', policy=POLICY)
    azure('key_vault_certificate', **source)
    pfx = SecretClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs()).get_secret('ssl-wildcard-cert').value
    imported = dict(vault_uri=vault, name='kos-client-cert', certificate=pfx, tags={'partner': 'kos'})
    writes = azure.writes()
    predicted = azure('key_vault_certificate', check_mode=True, **imported)
    assert predicted['changed'] is True and azure.writes() == writes
    done = azure('key_vault_certificate', **imported)
    assert done['differences'][0]['path'] == 'thumbprint' and done['differences'] == predicted['differences']
    assert done['certificate']['thumbprint'] == certificates.get_certificate('ssl-wildcard-cert').properties.x509_thumbprint.hex()
    writes = azure.writes()
    assert azure('key_vault_certificate', **imported)['changed'] is False and azure.writes() == writes
    key_material = base64.b64decode(pfx)
    for result in (predicted, done):
        printed = json.dumps(result)
        assert pfx not in printed and pfx[:64] not in printed and base64.b64encode(key_material[:48]).decode() not in printed


def test_delete_then_the_deleted_name_is_reported(azure, vault):
    cert = dict(vault_uri=vault, name='ssl-wildcard-cert', policy=POLICY)
    azure('key_vault_certificate', **cert)
    absent = dict(vault_uri=vault, name='ssl-wildcard-cert', state='absent')
    writes = azure.writes()
    assert azure('key_vault_certificate', check_mode=True, **absent)['changed'] is True and azure.writes() == writes
    assert azure('key_vault_certificate', **absent)['changed'] is True
    assert azure('key_vault_certificate', **absent)['changed'] is False
    held = azure('key_vault_certificate', **cert)
    assert held['failed'] and 'is deleted but recoverable' in held['msg']
