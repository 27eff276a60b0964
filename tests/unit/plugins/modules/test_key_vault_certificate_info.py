# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_certificate_info: public attributes, the certificate's own subject and DNS names, the policy.

Answers follow Microsoft's data-plane examples (azure-rest-api-specs, Security.KeyVault.Certificates/examples/7.5/
GetCertificates-example.json and GetCertificate-example.json); the `cer` is a real DER certificate made here, as
the example's own carries no DNS names.
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
from azure.keyvault.certificates._models import CertificateProperties, KeyVaultCertificate
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_data
from ansible_collections.phonebill.platform.plugins.modules import key_vault_certificate_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import AUTH
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

VAULT = 'https://myvault.vault.azure.net/'


def issued(common_name, dns_names):
    """A certificate and its key as Key Vault would issue them: the DER `cer` and the PEM key it never returns."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = datetime.datetime(2026, 9, 1, 2, 0, tzinfo=datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(start)
               .not_valid_after(start + datetime.timedelta(days=365)))
    if dns_names:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return cert, key_pem.decode()


def bundle(name, version, cert, dns_names, tags=None, lifetime_action=None):
    """A GetCertificate answer for cert (GetCertificate-example.json's shape), its policy naming dns_names."""
    thumbprint = cert.fingerprint(hashes.SHA1())
    x509_props = {'subject': cert.subject.rfc4514_string(), 'ekus': [], 'key_usage': [], 'validity_months': 12}
    if dns_names:
        x509_props['sans'] = {'dns_names': dns_names}
    body = {
        'id': '%scertificates/%s/%s' % (VAULT, name, version),
        'kid': '%skeys/%s/%s' % (VAULT, name, version),
        'sid': '%ssecrets/%s/%s' % (VAULT, name, version),
        'x5t': base64.urlsafe_b64encode(thumbprint).rstrip(b'=').decode(),
        'cer': base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode(),
        'attributes': {'enabled': True, 'nbf': int(cert.not_valid_before_utc.timestamp()),
                       'exp': int(cert.not_valid_after_utc.timestamp()), 'created': 1788228000, 'updated': 1788228000,
                       'recoveryLevel': 'Recoverable+Purgeable'},
        'policy': {
            'id': '%scertificates/%s/policy' % (VAULT, name),
            'key_props': {'exportable': True, 'kty': 'RSA', 'key_size': 2048, 'reuse_key': False},
            'secret_props': {'contentType': 'application/x-pkcs12'},
            'x509_props': x509_props,
            'lifetime_actions': [lifetime_action or {'trigger': {'lifetime_percentage': 80}, 'action': {'action_type': 'AutoRenew'}}],
            'issuer': {'name': 'Self'},
            'attributes': {'enabled': True, 'created': 1788228000, 'updated': 1788228000}},
    }
    if tags is not None:
        body['tags'] = tags
    return body


class FakeCertificates:
    """A vault's certificates answered as Key Vault lists and gets them."""

    def __init__(self):
        names = ['*.phonebill.example', 'phonebill.example']
        wildcard, self.wildcard_key = issued('*.phonebill.example', names)
        client, self.client_key = issued('kos-client', [])
        self.bundles = {
            'ssl-wildcard-cert': bundle('ssl-wildcard-cert', 'f60f2a4f8ae442cfb41ca2090bd4b769', wildcard, names,
                                        tags={'service': 'gateway'}),
            'kos-client-cert': bundle('kos-client-cert', '9d2c4b6e8f0a4c1e9b7d5f3a1c8e6b4d', client, [],
                                      lifetime_action={'trigger': {'days_before_expiry': 30},
                                                       'action': {'action_type': 'EmailContacts'}}),
        }
        self.wildcard = wildcard

    def list_properties_of_certificates(self):
        items = [{'id': '%scertificates/%s' % (VAULT, name), 'x5t': b['x5t'], 'attributes': b['attributes'],
                  **({'tags': b['tags']} if 'tags' in b else {})} for name, b in sorted(self.bundles.items())]
        return iter([CertificateProperties._from_certificate_item(generated.CertificateItem(item))  # pylint: disable=protected-access
                     for item in items])

    def get_certificate(self, name):
        if name not in self.bundles:
            raise ResourceNotFoundError('(CertificateNotFound) A certificate with (name/id) %s was not found in this key vault.' % name)
        return KeyVaultCertificate._from_certificate_bundle(  # pylint: disable=protected-access
            generated.CertificateBundle(copy.deepcopy(self.bundles[name])))


def run(fake, args, **kwargs):
    services = []

    def client(_module, service, vault):
        services.append((service, vault))
        return fake

    with mock.patch.object(keyvault_data, 'client', side_effect=client):
        result = run_module(key_vault_certificate_info.main, dict(AUTH, vault_uri=VAULT, **args), **kwargs)
    # the certificates client only: the backing secret, which holds the private key, is never read
    assert services == [(keyvault_data.CERTIFICATES, VAULT)]
    return result


def test_one_certificate_with_its_public_attributes_and_policy():
    fake = FakeCertificates()
    result = run(fake, dict(name='ssl-wildcard-cert'))
    assert result['changed'] is False
    assert result['certificates'] == [{
        'name': 'ssl-wildcard-cert', 'version': 'f60f2a4f8ae442cfb41ca2090bd4b769',
        'id': 'https://myvault.vault.azure.net/certificates/ssl-wildcard-cert/f60f2a4f8ae442cfb41ca2090bd4b769',
        'enabled': True, 'tags': {'service': 'gateway'},
        'thumbprint': fake.wildcard.fingerprint(hashes.SHA1()).hex(),
        'subject': 'CN=*.phonebill.example', 'dns_names': ['*.phonebill.example', 'phonebill.example'],
        'not_before': '2026-09-01T02:00:00Z', 'expires': '2027-09-01T02:00:00Z',
        'created': '2026-09-01T02:00:00Z', 'updated': '2026-09-01T02:00:00Z',
        'policy': {'issuer': 'Self', 'subject': 'CN=*.phonebill.example', 'dns_names': ['*.phonebill.example', 'phonebill.example'],
                   'validity_months': 12, 'key_type': 'RSA',
                   'key_size': 2048, 'exportable': True, 'reuse_key': False, 'content_type': 'application/x-pkcs12',
                   'lifetime_action': {'action': 'AutoRenew', 'lifetime_percentage': 80}}}]


def test_every_certificate_without_a_private_key_anywhere():
    fake = FakeCertificates()
    result = run(fake, {})
    assert [c['name'] for c in result['certificates']] == ['kos-client-cert', 'ssl-wildcard-cert']
    client = result['certificates'][0]
    assert client['dns_names'] == [] and client['subject'] == 'CN=kos-client' and client['tags'] == {}
    assert client['policy']['lifetime_action'] == {'action': 'EmailContacts', 'days_before_expiry': 30}
    printed = json.dumps(result)
    for key in (fake.wildcard_key, fake.client_key):
        for line in key.splitlines()[1:-1]:
            assert line not in printed


def test_a_name_that_does_not_exist_is_an_empty_list():
    assert run(FakeCertificates(), dict(name='db-client-cert')) == {'changed': False, 'certificates': []}


def test_tags_filter_and_check_mode_reads_the_same():
    fake = FakeCertificates()
    result = run(fake, dict(tags={'service': 'gateway'}))
    assert [c['name'] for c in result['certificates']] == ['ssl-wildcard-cert']
    assert run(fake, dict(tags={'service': 'gateway'}), check_mode=True) == result
    assert run(fake, dict(name='kos-client-cert', tags={'service': 'gateway'}))['certificates'] == []


@pytest.mark.parametrize('changes, option', [
    (dict(vault_uri='https://myvault.vault.azure.net/certificates'), 'vault_uri:'),
    (dict(name='ssl.wildcard'), 'name:'),
    (dict(tags={'service': ['gateway']}), 'tags.service:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    args = dict(dict(vault_uri=VAULT), **changes)
    with mock.patch.object(keyvault_data, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(key_vault_certificate_info.main, dict(AUTH, **args))
    assert result['failed'] and result['msg'].startswith(option)
