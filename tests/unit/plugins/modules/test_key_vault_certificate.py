# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_certificate: policy compared in Key Vault's answer form, updated in place, import by thumbprint.

The bundle is Microsoft's data-plane example (azure-rest-api-specs,
Security.KeyVault.Certificates/examples/7.5/GetCertificate-example.json).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import copy
import datetime
import json
from unittest import mock

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.keyvault.certificates._generated import models as generated
from azure.keyvault.certificates._models import KeyVaultCertificate
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_data
from ansible_collections.phonebill.platform.plugins.modules import key_vault_certificate
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import AUTH
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

VAULT = 'https://myvault.vault.azure.net/'
NAME = 'selfSignedCert01'
BUNDLE = {
    'id': 'https://myvault.vault.azure.net/certificates/selfSignedCert01/f60f2a4f8ae442cfb41ca2090bd4b769',
    'kid': 'https://myvault.vault.azure.net/keys/selfSignedCert01/f60f2a4f8ae442cfb41ca2090bd4b769',
    'sid': 'https://myvault.vault.azure.net/secrets/selfSignedCert01/f60f2a4f8ae442cfb41ca2090bd4b769',
    'x5t': 'fLi3U52HunIVNXubkEnf8tP6Wbo',
    'attributes': {'enabled': True, 'nbf': 1430344421, 'exp': 2208988799, 'created': 1493938289, 'updated': 1493938291,
                   'recoveryLevel': 'Recoverable+Purgeable'},
    'policy': {
        'id': 'https://myvault.vault.azure.net/certificates/selfSignedCert01/policy',
        'key_props': {'exportable': True, 'kty': 'RSA', 'key_size': 2048, 'reuse_key': False},
        'secret_props': {'contentType': 'application/x-pkcs12'},
        'x509_props': {'subject': 'CN=KeyVaultTest', 'ekus': [], 'key_usage': [], 'validity_months': 297},
        'lifetime_actions': [{'trigger': {'lifetime_percentage': 80}, 'action': {'action_type': 'EmailContacts'}}],
        'issuer': {'name': 'Unknown'},
        'attributes': {'enabled': True, 'created': 1493938289, 'updated': 1493938291}},
}
AS_IN_AZURE = dict(issuer='unknown', subject='CN=KeyVaultTest', validity_months=297, key_type='RSA', key_size=2048,
                   lifetime_action=dict(action='EmailContacts', lifetime_percentage=80))


class FakeCertificates:
    """One certificate as Key Vault answers it; every write recorded."""

    def __init__(self, bundle=None):
        self.bundle = copy.deepcopy(bundle)
        self.writes = []

    def get_certificate(self, name):
        if self.bundle is None:
            raise ResourceNotFoundError('(CertificateNotFound) A certificate with (name/id) %s was not found.' % name)
        return KeyVaultCertificate._from_certificate_bundle(  # pylint: disable=protected-access
            generated.CertificateBundle(copy.deepcopy(self.bundle)))

    def get_deleted_certificate(self, name):
        raise ResourceNotFoundError('(CertificateNotFound) Deleted certificate %s was not found.' % name)

    def update_certificate_policy(self, name, policy):
        self.writes.append(('policy', name, policy._to_certificate_policy_bundle().as_dict()))  # pylint: disable=protected-access

    def update_certificate_properties(self, name, version, enabled=None, tags=None):
        self.writes.append(('properties', name, version, enabled, tags))
        self.bundle['tags'] = tags

    def begin_create_certificate(self, name, policy, enabled=None, tags=None):
        self.writes.append(('create', name, policy._to_certificate_policy_bundle().as_dict()))  # pylint: disable=protected-access
        if self.bundle is None:
            self.bundle = copy.deepcopy(BUNDLE)
        return mock.Mock(polling_method=mock.Mock(), done=lambda: True, result=lambda: None)

    def import_certificate(self, name, data, enabled=None, tags=None, password=None, policy=None):
        self.writes.append(('import', name, data, password, policy and policy.content_type))
        self.bundle = copy.deepcopy(BUNDLE)

    def begin_delete_certificate(self, name):
        self.writes.append(('delete', name))
        self.bundle = None
        return mock.Mock(polling_method=mock.Mock(), done=lambda: True, result=lambda: None)


def run(fake, args, **kwargs):
    with mock.patch.object(keyvault_data, 'client', return_value=fake):
        return run_module(key_vault_certificate.main, dict(AUTH, vault_uri=VAULT, name=NAME, **args), **kwargs)


def pem_with_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'kos-client')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return key_pem.decode(), cert.public_bytes(serialization.Encoding.PEM).decode()


def test_policy_in_key_vault_form_reads_in_option_names():
    current = FakeCertificates(BUNDLE).get_certificate(NAME)
    assert keyvault_data.policy_document(current.policy) == dict(
        issuer='Unknown', subject='CN=KeyVaultTest', dns_names=[], validity_months=297, key_type='RSA', key_size=2048,
        curve=None, exportable=True, reuse_key=False, content_type='application/x-pkcs12',
        lifetime_action={'action': 'EmailContacts', 'lifetime_percentage': 80})


def test_stated_policy_as_azure_has_it_is_unchanged_with_no_write():
    fake = FakeCertificates(BUNDLE)
    result = run(fake, dict(policy=AS_IN_AZURE), diff=True)
    assert result['changed'] is False and fake.writes == []
    assert result['certificate']['thumbprint'] == base64.urlsafe_b64decode(BUNDLE['x5t'] + '=').hex()
    assert result['certificate']['expires'] == '2039-12-31T23:59:59Z'


def test_policy_change_is_predicted_then_updated_in_place():
    fake = FakeCertificates(BUNDLE)
    policy = dict(AS_IN_AZURE, validity_months=12, lifetime_action=dict(action='AutoRenew', days_before_expiry=30))
    predicted = run(fake, dict(policy=policy), check_mode=True)
    assert predicted['changed'] is True and fake.writes == []
    result = run(fake, dict(policy=policy))
    assert result['differences'] == predicted['differences'] == [
        {'path': 'policy.validity_months', 'before': 297, 'after': 12},
        {'path': 'policy.lifetime_action.action', 'before': 'EmailContacts', 'after': 'AutoRenew'},
        {'path': 'policy.lifetime_action.days_before_expiry', 'before': None, 'after': 30},
        {'path': 'policy.lifetime_action.lifetime_percentage', 'before': 80, 'after': None}]
    (verb, _name, sent), = fake.writes
    assert verb == 'policy' and sent['x509_props']['validity_months'] == 12
    assert sent['lifetime_actions'] == [{'trigger': {'days_before_expiry': 30}, 'action': {'action_type': 'AutoRenew'}}]
    assert sent['x509_props']['subject'] == 'CN=KeyVaultTest' and sent['key_props']['exportable'] is True


def test_tags_alone_update_the_current_version():
    fake = FakeCertificates(BUNDLE)
    result = run(fake, dict(tags={'service': 'gateway'}))
    assert result['differences'] == [{'path': 'tags.service', 'before': None, 'after': 'gateway'}]
    assert fake.writes == [('properties', NAME, 'f60f2a4f8ae442cfb41ca2090bd4b769', True, {'service': 'gateway'})]


def test_reissue_issues_a_new_version_by_the_policy():
    fake = FakeCertificates(BUNDLE)
    result = run(fake, dict(policy=AS_IN_AZURE, reissue=True))
    assert result['differences'] == [{'path': 'version', 'before': 'f60f2a4f8ae442cfb41ca2090bd4b769', 'after': '<new>'}]
    assert [w[0] for w in fake.writes] == ['create']


def test_new_certificate_by_policy_and_a_missing_one_needs_a_source():
    fake = FakeCertificates()
    assert run(fake, dict(tags={'a': 'b'}))['msg'].startswith('policy: required to create')
    run(fake, dict(policy=dict(subject='CN=*.phonebill.example', dns_names=['*.phonebill.example'])))
    (verb, _name, sent), = fake.writes
    assert verb == 'create' and sent['issuer'] == {'name': 'Self'}
    assert sent['x509_props'] == {'subject': 'CN=*.phonebill.example', 'sans': {'dns_names': ['*.phonebill.example']}}


def test_pem_import_sends_the_pem_and_never_returns_it():
    key_pem, cert_pem = pem_with_key()
    fake = FakeCertificates()
    result = run(fake, dict(certificate=key_pem + cert_pem), diff=True)
    (verb, _name, data, password, content_type), = fake.writes
    assert verb == 'import' and data == (key_pem + cert_pem).encode() and password is None
    assert content_type == 'application/x-pem-file'
    assert result['differences'][0]['path'] == 'thumbprint'
    printed = json.dumps(result)
    for line in key_pem.splitlines()[1:4]:
        assert line not in printed


def test_same_thumbprint_is_not_imported_again():
    key_pem, cert_pem = pem_with_key()
    fake = FakeCertificates(BUNDLE)
    thumbprint = x509.load_pem_x509_certificate(cert_pem.encode()).fingerprint(hashes.SHA1())
    fake.bundle['x5t'] = base64.urlsafe_b64encode(thumbprint).rstrip(b'=').decode()
    assert run(fake, dict(certificate=key_pem + cert_pem))['changed'] is False and fake.writes == []


@pytest.mark.parametrize('text, message', [
    ('bm90IGEgcGZ4IGF0IGFsbA==', 'certificate: not a PEM certificate with its private key nor a base64 PFX'),
    ('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'certificate: not a PEM certificate'),
])
def test_unreadable_certificate_fails_without_quoting_it(text, message):
    fake = FakeCertificates()
    result = run(fake, dict(certificate=text, password='Pfx-Password-1'))
    assert result['failed'] and result['msg'].startswith(message) and fake.writes == []
    assert 'bm90IGEgcGZ4' not in json.dumps(result) and 'Pfx-Password-1' not in json.dumps(result)


def test_pem_without_its_key_is_refused():
    _key_pem, cert_pem = pem_with_key()
    result = run(FakeCertificates(), dict(certificate=cert_pem))
    assert result['failed'] and result['msg'].startswith('certificate: not a PEM certificate with its private key')


@pytest.mark.parametrize('changes, option', [
    (dict(vault_uri='https://myvault.vault.azure.net/certificates'), 'vault_uri:'),
    (dict(name='self_signed'), 'name:'),
    (dict(policy=dict(subject='KeyVaultTest')), 'policy.subject:'),
    (dict(policy=dict(validity_months=0, subject='CN=x')), 'policy.validity_months:'),
    (dict(policy=dict(subject='CN=x', key_type='EC', key_size=2048)), 'policy.key_size:'),
    (dict(policy=dict(subject='CN=x', key_type='RSA', curve='P-256')), 'policy.curve:'),
    (dict(policy=dict(subject='CN=x', lifetime_action=dict(action='AutoRenew'))), 'policy.lifetime_action:'),
    (dict(policy=dict(subject='CN=x', lifetime_action=dict(action='AutoRenew', lifetime_percentage=100))),
     'policy.lifetime_action.lifetime_percentage:'),
    (dict(policy=dict(subject='CN=x', lifetime_action=dict(action='AutoRenew', days_before_expiry=0))),
     'policy.lifetime_action.days_before_expiry:'),
    (dict(reissue=True), 'reissue:'),
    (dict(password='Pfx-Password-1'), 'password:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    args = dict(dict(vault_uri=VAULT, name=NAME), **changes)
    with mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(key_vault_certificate.main, dict(AUTH, **args))
    assert result['failed'] and result['msg'].startswith(option)
    assert 'Pfx-Password-1' not in json.dumps(result)


def test_first_issuance_not_waited_for_is_reported_while_pending():
    class Pending(FakeCertificates):
        def begin_create_certificate(self, name, policy, enabled=None, tags=None):
            self.writes.append(('create', name))
            return mock.Mock(polling_method=mock.Mock(return_value=object()))

    fake = Pending()
    result = run(fake, dict(policy=dict(subject='CN=*.phonebill.example'), wait=False))
    assert result['changed'] is True and fake.writes == [('create', NAME)]
    assert result['certificate']['id'] is None and result['certificate']['policy']['subject'] == 'CN=*.phonebill.example'


def test_a_vault_check_mode_only_predicts_holds_a_new_certificate_and_nothing_is_read():
    policy = dict(subject='CN=*.phonebill.example', validity_months=12)
    with mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        predicted = run_module(key_vault_certificate.main, dict(AUTH, name=NAME, unknown=['vault_uri'], policy=policy),
                               check_mode=True)
        real = run_module(key_vault_certificate.main, dict(AUTH, name=NAME, unknown=['vault_uri'], policy=policy))
    assert predicted['changed'] is True and predicted['certificate']['policy']['validity_months'] == 12
    assert real['failed'] and real['msg'].startswith('vault_uri: is unknown (listed in unknown), which only check mode accepts')
