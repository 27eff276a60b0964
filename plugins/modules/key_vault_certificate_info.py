#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: key_vault_certificate_info
short_description: Read the public attributes and policies of certificates in an Azure Key Vault
version_added: 0.2.0
description:
  - Returns one certificate of a Key Vault by name, or every certificate of the vault, optionally only those carrying
    the given tags, with its current version's public attributes and its issuance policy. It works on the vault's data
    plane, through the vault URI.
  - Only public attributes are returned (identifier, version, thumbprint, subject, DNS names, validity, tags, policy);
    never a private key, a PFX or the backing secret, which the module does not read.
options:
  vault_uri:
    description: URI of the vault (the RV(phonebill.platform.key_vault#module:vault_uri) the key_vault module returns).
    type: str
    required: true
  name:
    description:
      - Name of one certificate (1-127 letters, digits and C(-)). Without it, every certificate of the vault is listed.
      - A certificate that does not exist (or whose first issuance is still pending) gives an empty RV(certificates) list.
    type: str
  tags:
    description: Only certificates whose current version carries all these tags with these values.
    type: dict
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
notes:
  - The identity needs to read certificates, not secrets; the Key Vault Reader role on the vault is enough, or the
    C(get) and C(list) certificate permissions of an access policy.
requirements:
  - azure-keyvault-certificates >= 4.10, < 5
  - cryptography (installed with azure-identity; reads the subject and DNS names of the public certificate)
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The gateway's wildcard certificate
  phonebill.platform.key_vault_certificate_info:
    vault_uri: "{{ vault.vault_uri }}"
    name: ssl-wildcard-cert
  register: wildcard

- name: Its expiry and whether Key Vault renews it
  ansible.builtin.debug:
    msg: "expires {{ wildcard.certificates[0].expires }}, {{ wildcard.certificates[0].policy.lifetime_action }}"

- name: Every certificate of the gateway
  phonebill.platform.key_vault_certificate_info:
    vault_uri: "{{ vault.vault_uri }}"
    tags:
      service: gateway
'''

RETURN = r'''
certificates:
  description: The certificates found, by name, with their current version's public attributes and their policy.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the certificate.
      type: str
      sample: ssl-wildcard-cert
    id:
      description: Identifier of the current version.
      type: str
      sample: https://kv-phonebill-prod.vault.azure.net/certificates/ssl-wildcard-cert/f60f2a4f8ae442cfb41ca2090bd4b769
    version:
      description: The current version.
      type: str
      sample: f60f2a4f8ae442cfb41ca2090bd4b769
    enabled:
      description: Whether the current version is enabled.
      type: bool
    tags:
      description: Tags of the current version.
      type: dict
      sample: {service: gateway}
    thumbprint:
      description: SHA-1 thumbprint of the current version, in hexadecimal.
      type: str
      sample: 7cb8b7539d87ba7215357b9b9049dff2d3fa59ba
    subject:
      description: Subject of the current version's certificate (RFC 4514).
      type: str
      sample: CN=*.phonebill.example
    dns_names:
      description: DNS subject alternative names of the current version's certificate.
      type: list
      elements: str
      sample: ['*.phonebill.example', phonebill.example]
    not_before:
      description: Start of validity (ISO 8601, UTC).
      type: str
    expires:
      description: End of validity (ISO 8601, UTC).
      type: str
      sample: '2027-09-01T02:00:00Z'
    created:
      description: When the current version was created (ISO 8601, UTC).
      type: str
    updated:
      description: When the current version's attributes were last changed (ISO 8601, UTC).
      type: str
    policy:
      description:
        - How Key Vault issues and renews the certificate, with the option names of the key_vault_certificate
          module's O(phonebill.platform.key_vault_certificate#module:policy) (issuer, subject, dns_names,
          validity_months, key type and size or curve, exportable, reuse_key, content_type, lifetime_action); fields
          Key Vault does not set are left out.
      type: dict
      sample:
        issuer: Self
        subject: CN=*.phonebill.example
        dns_names: ['*.phonebill.example', phonebill.example]
        validity_months: 12
        key_type: RSA
        key_size: 2048
        exportable: true
        reuse_key: false
        content_type: application/x-pkcs12
        lifetime_action: {action: AutoRenew, lifetime_percentage: 80}
'''

import importlib

from ansible_collections.phonebill.platform.plugins.module_utils import compare, keyvault_data
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    return keyvault_data.info_problems(params, 'certificate name')


def subject_and_dns_names(x509, der):
    """The subject and DNS subject alternative names the public certificate (DER) itself carries."""
    certificate = x509.load_der_x509_certificate(bytes(der))
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        names = []
    return certificate.subject.rfc4514_string(), names


def certificate_document(x509, current):
    """Public attributes of a KeyVaultCertificate's current version and its policy."""
    properties = current.properties
    subject, dns_names = subject_and_dns_names(x509, current.cer) if current.cer else (None, [])
    return dict(name=properties.name, id=properties.id, version=properties.version, enabled=properties.enabled,
                tags=properties.tags or {}, thumbprint=properties.x509_thumbprint.hex() if properties.x509_thumbprint else None,
                subject=subject, dns_names=dns_names,
                not_before=keyvault_data.iso(properties.not_before), expires=keyvault_data.iso(properties.expires_on),
                created=keyvault_data.iso(properties.created_on), updated=keyvault_data.iso(properties.updated_on),
                policy=compare.prune(keyvault_data.policy_document(current.policy)) if current.policy else None)


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            vault_uri=dict(type='str', required=True),
            name=dict(type='str'),
            tags=dict(type='dict'),
        ),
    )
    module.fail_on(validate(module.params))
    x509 = module.imported(lambda: importlib.import_module('cryptography.x509'), 'cryptography')
    client = keyvault_data.client(module, keyvault_data.CERTIFICATES, module.params['vault_uri'])

    def read_one(name):
        current = module.get_or_none('read certificate %s of %s' % (name, module.params['vault_uri']), client.get_certificate, name)
        return certificate_document(x509, current) if current is not None else None

    certificates = keyvault_data.read_objects(module, 'certificate', client.list_properties_of_certificates, read_one)
    module.exit(changed=False, certificates=certificates)


if __name__ == '__main__':
    main()
