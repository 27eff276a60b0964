#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: key_vault_certificate
short_description: Issue, import, update or delete a certificate in an Azure Key Vault
version_added: 0.2.0
description:
  - Ensures a certificate of a Key Vault exists, issued by Key Vault from a stated policy (self-signed or by a
    configured issuer) or imported from a supplied PFX or PEM, with the stated enabled state and tags; or is absent.
    It works on the vault's data plane, through the vault URI.
  - With O(policy), the certificate's policy is compared field by field and updated in place; Key Vault applies a
    changed policy at the next issuance (renewal, or O(reissue=true) now).
  - With O(certificate), the supplied certificate is imported when the vault has none of that name or its current
    version has another thumbprint; an identical certificate is not imported again.
  - Private keys are never read nor returned; the result holds the certificate's public attributes only.
options:
  vault_uri:
    description:
      - URI of the vault (the RV(phonebill.platform.key_vault#module:vault_uri) the key_vault module returns).
      - Required, unless it is listed in O(unknown) in check mode.
    type: str
  name:
    description: Name of the certificate (1-127 letters, digits and C(-)). Its key and backing secret share it.
    type: str
    required: true
  policy:
    description:
      - How Key Vault issues and renews the certificate. Stated fields are compared; unstated ones keep Key Vault's
        values. Mutually exclusive with O(certificate).
    type: dict
    suboptions:
      issuer:
        description: V(Self) for a self-signed certificate, or the name of an issuer configured in the vault.
        type: str
        default: Self
      subject:
        description: X.500 subject, e.g. V(CN=*.phonebill.example).
        type: str
      dns_names:
        description: DNS subject alternative names (a set; order does not matter).
        type: list
        elements: str
      validity_months:
        description: Validity of each issued certificate in months.
        type: int
      key_type:
        description: Key type (V(-HSM) types need a premium vault).
        type: str
        choices: [RSA, RSA-HSM, EC, EC-HSM]
      key_size:
        description: RSA key size in bits.
        type: int
        choices: [2048, 3072, 4096]
      curve:
        description: Elliptic curve of an EC key.
        type: str
        choices: [P-256, P-384, P-521, P-256K]
      exportable:
        description: Whether the private key can be exported (through the backing secret).
        type: bool
      reuse_key:
        description: Whether a renewal keeps the same key.
        type: bool
      content_type:
        description: Format of the backing secret.
        type: str
        choices: [application/x-pkcs12, application/x-pem-file]
      lifetime_action:
        description: What Key Vault does as the certificate ages; give exactly one of the two triggers.
        type: dict
        suboptions:
          action:
            description: V(AutoRenew) issues a new version; V(EmailContacts) only warns the vault's contacts.
            type: str
            choices: [AutoRenew, EmailContacts]
            required: true
          lifetime_percentage:
            description: Act at this percentage (1-99) of the validity.
            type: int
          days_before_expiry:
            description: Act this many days before expiry.
            type: int
  reissue:
    description: With O(policy), issue a new version now (after any policy update), even when nothing differs.
    type: bool
    default: false
  certificate:
    description:
      - Certificate with its private key to import, as PEM text or base64 PFX. Never logged.
      - Mutually exclusive with O(policy).
    type: str
  password:
    description: Password of the PFX or of the PEM private key. Never logged.
    type: str
  enabled:
    description: Whether the certificate's current version is enabled.
    type: bool
  unknown:
    description:
      - Options whose value check mode cannot know because it comes from a resource check mode did not create;
        V(vault_uri) for a vault not created yet.
      - A vault that does not exist yet holds no certificate, so check mode predicts the certificate is issued (with
        O(policy)) or imported (with O(certificate)) and reads nothing.
      - A real run fails on any option listed here before it calls Azure.
    type: list
    elements: str
    choices: [vault_uri]
    default: []
  tags:
    description: Tags of the certificate. Values are strings.
  purge_tags:
    description: Remove tags that are not in O(tags). Without it, other tags are left as they are.
  state:
    description:
      - Whether the certificate should exist. V(absent) deletes it (with its key and backing secret); it stays
        soft-deleted for the vault's retention period.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 900 seconds (an issuer may take minutes to issue).
  - The identity needs the Key Vault Certificates Officer role on the vault (or the matching access policy).
requirements:
  - azure-keyvault-certificates >= 4.10, < 5
  - cryptography (to read a certificate to import)
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Wildcard certificate of the gateway, renewed at 80% of its life
  phonebill.platform.key_vault_certificate:
    vault_uri: "{{ vault.vault_uri }}"
    name: ssl-wildcard-cert
    policy:
      issuer: Self
      subject: CN=*.phonebill.example
      dns_names: ["*.phonebill.example", phonebill.example]
      validity_months: 12
      key_type: RSA
      key_size: 2048
      lifetime_action:
        action: AutoRenew
        lifetime_percentage: 80

- name: Partner client certificate from the vaulted inventory
  phonebill.platform.key_vault_certificate:
    vault_uri: "{{ vault.vault_uri }}"
    name: kos-client-cert
    certificate: "{{ vaulted_kos_client_pfx_base64 }}"
    password: "{{ vaulted_kos_client_pfx_password }}"
'''

RETURN = r'''
certificate:
  description: Public attributes of the certificate's current version (never a private key).
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: Identifier of the current version (not known for a new certificate in check mode).
      type: str
    version:
      description: The current version.
      type: str
    thumbprint:
      description: SHA-1 thumbprint of the current version, in hexadecimal.
      type: str
    not_before:
      description: Start of validity (ISO 8601, UTC).
      type: str
    expires:
      description: End of validity (ISO 8601, UTC).
      type: str
    enabled:
      description: Whether the current version is enabled.
      type: bool
    tags:
      description: Tags.
      type: dict
    policy:
      description: The issuance policy, with the option names of O(policy).
      type: dict
differences:
  description: Every stated field that differed, with the value before and after (a new version is the path V(version)).
  returned: always
  type: list
  elements: dict
  sample: [{path: policy.validity_months, before: 12, after: 24}]
status_url:
  description: Where the status of an issuance or a deletion not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

import base64
import importlib

from ansible_collections.phonebill.platform.plugins.module_utils import compare, keyvault_checks, keyvault_data, sdk, unknown
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems

PEM = 'application/x-pem-file'
NEW_VERSION = '<new>'


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix'); never quotes the certificate."""
    found = keyvault_data.vault_uri_problems('vault_uri', params['vault_uri'])
    found += name_problems('name', params['name'], 'key_vault_object', 'certificate name')
    found += tag_problems('tags', params['tags'])
    found += keyvault_checks.certificate_policy_problems('policy', params['policy'])
    if params['reissue'] and not params['policy']:
        found.append('reissue: issues a new version by the policy; state policy too')
    if params['password'] is not None and params['certificate'] is None:
        found.append('password: opens the certificate to import; state certificate too')
    return found


class Imported:
    """A certificate to import, read locally: the bytes the SDK sends and the thumbprint to compare."""

    def __init__(self, module, text, password):
        crypto = module.imported(lambda: importlib.import_module('cryptography.x509'), 'cryptography')
        serialization = module.imported(lambda: importlib.import_module('cryptography.hazmat.primitives.serialization'),
                                        'cryptography')
        hashes = module.imported(lambda: importlib.import_module('cryptography.hazmat.primitives.hashes'), 'cryptography')
        pkcs12 = module.imported(lambda: importlib.import_module('cryptography.hazmat.primitives.serialization.pkcs12'),
                                 'cryptography')
        secret = password.encode('utf-8') if password else None
        self.pem = '-----BEGIN' in text
        try:
            if self.pem:
                self.data = text.encode('utf-8')
                certificate = crypto.load_pem_x509_certificate(self.data)
                has_key = serialization.load_pem_private_key(self.data, password=secret) is not None
            else:
                self.data = base64.b64decode(text.strip(), validate=True)
                key, certificate, _chain = pkcs12.load_key_and_certificates(self.data, secret)
                has_key = key is not None
        except (ValueError, TypeError):
            # the parser's own message may quote the input: only say what to give
            module.fail('certificate: not a PEM certificate with its private key nor a base64 PFX that the password '
                        'opens; give the PEM text or the base64 of the PFX, and its password')
        if not has_key:
            module.fail('certificate: has no private key; import the certificate together with its key')
        self.thumbprint = certificate.fingerprint(hashes.SHA1()).hex()


class Certificate:
    """One certificate on the vault's data plane; only its public attributes are read."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.label = 'certificate %s of %s' % (self.params['name'], self.params['vault_uri'] or unknown.UNKNOWN)
        self.sdk = module.imported(lambda: sdk.load(keyvault_data.CERTIFICATES), errors=sdk.MissingLibrary)
        # a vault check mode only predicts (vault_uri unknown) holds nothing yet: there is nothing to read
        self.client = (None if 'vault_uri' in self.params['unknown']
                       else keyvault_data.client(module, keyvault_data.CERTIFICATES, self.params['vault_uri']))
        self.comparator = compare.Comparator({
            'tags': compare.Mapping(purge=self.params['purge_tags']),
            'policy.dns_names': compare.Set(compare.IGNORE_CASE),
            'policy.issuer': compare.IGNORE_CASE,
            'policy.key_type': compare.IGNORE_CASE,
            'policy.content_type': compare.IGNORE_CASE,
            # one trigger at a time: a stated lifetime action replaces the whole of Key Vault's
            'policy.lifetime_action': compare.Mapping(purge=True),
        })

    def read(self):
        if self.client is None:
            return None
        return self.module.get_or_none('read %s' % self.label, self.client.get_certificate, self.params['name'])

    def desired(self):
        params = self.params
        policy = params['policy']
        return compare.prune(dict(enabled=params['enabled'], tags=params['tags'], policy=policy and dict(
            policy, lifetime_action=policy['lifetime_action'] and compare.prune(policy['lifetime_action']))))

    def sdk_policy(self, document):
        action = document.get('lifetime_action')
        return self.sdk.CertificatePolicy(
            issuer_name=document.get('issuer'), subject=document.get('subject'),
            san_dns_names=document.get('dns_names') or None, validity_in_months=document.get('validity_months'),
            key_type=document.get('key_type'), key_size=document.get('key_size'), key_curve_name=document.get('curve'),
            exportable=document.get('exportable'), reuse_key=document.get('reuse_key'),
            content_type=document.get('content_type'),
            lifetime_actions=[self.sdk.LifetimeAction(**action)] if action else None)


def current_document(current):
    properties = current.properties
    return dict(enabled=properties.enabled, tags=properties.tags or {}, policy=compare.prune(keyvault_data.policy_document(current.policy)))


def reported(current, document):
    """Public attributes only: the version's identity and validity, with the document's enabled, tags and policy."""
    properties = current.properties if current is not None else None
    thumbprint = properties.x509_thumbprint if properties is not None else None
    return dict(enabled=document.get('enabled'), tags=document.get('tags'),
                policy=compare.prune(document['policy']) if document.get('policy') else None,
                id=properties.id if properties else None, version=properties.version if properties else None,
                thumbprint=thumbprint.hex() if thumbprint else None,
                not_before=keyvault_data.iso(properties.not_before) if properties else None,
                expires=keyvault_data.iso(properties.expires_on) if properties else None)


def ensure_present(module, cert):
    params = cert.params
    current = cert.read()
    name = params['name']
    imported = Imported(module, params['certificate'], params['password']) if params['certificate'] else None
    if current is None:
        if not params['policy'] and imported is None:
            module.fail('policy: required to create %s, which does not exist yet; give policy or certificate' % cert.label)
        if cert.client is not None:
            module.fail_on(keyvault_data.deleted_name_problems(module, cert.label, cert.client.get_deleted_certificate, name))
    actual = current_document(current) if current is not None else {}
    desired = cert.desired()
    differences = cert.comparator.differences(desired, actual)
    before_version = current.properties.version if current is not None else None
    if imported is not None:
        thumbprint = current.properties.x509_thumbprint.hex() if current is not None and current.properties.x509_thumbprint else None
        new_version = thumbprint != imported.thumbprint
        if new_version:
            differences.insert(0, compare.Difference('thumbprint', thumbprint, imported.thumbprint))
    else:
        new_version = current is None or params['reissue']
        if current is not None and params['reissue']:
            differences.append(compare.Difference('version', before_version, NEW_VERSION))
    after = cert.comparator.merge(desired, actual)
    result = dict(changed=bool(differences), differences=[d.as_dict() for d in differences],
                  certificate=reported(current, after))
    if module.diff_mode:
        result['diff'] = dict(before=actual, after=after)
    if not differences or module.check_mode:
        return result
    enabled, tags = after.get('enabled'), after.get('tags')
    policy_changed = any(d.path.startswith('policy.') for d in differences)
    if imported is not None and new_version:
        policy = cert.sdk.CertificatePolicy(content_type=PEM) if imported.pem else None
        module.call('import %s' % cert.label, lambda: cert.client.import_certificate(
            name, imported.data, enabled=enabled, tags=tags, password=params['password'], policy=policy))
    else:
        if current is not None and policy_changed:
            module.call('update the policy of %s' % cert.label,
                        lambda: cert.client.update_certificate_policy(name, cert.sdk_policy(after['policy'])))
        if current is not None and any(d.path == 'enabled' or d.path.startswith('tags') for d in differences):
            module.call('update %s' % cert.label, lambda: cert.client.update_certificate_properties(
                name, before_version, enabled=enabled, tags=tags))
        if new_version:
            _ignored, status_url = module.run_operation('issue %s' % cert.label, lambda: cert.client.begin_create_certificate(
                name, cert.sdk_policy(after['policy']), enabled=enabled, tags=tags))
            if status_url:
                result['status_url'] = status_url
    written = cert.read()  # None while a first issuance not waited for (wait=false) is still pending
    if written is not None:
        result['certificate'] = reported(written, current_document(written))
    return result


def ensure_absent(module, cert):
    current = cert.read()
    return keyvault_data.ensure_absent(module, cert.label, current_document(current) if current else None,
                                       lambda: cert.client.begin_delete_certificate(module.params['name']))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            vault_uri=dict(type='str'),
            name=dict(type='str', required=True),
            policy=dict(type='dict', options=dict(
                issuer=dict(type='str', default='Self'),
                subject=dict(type='str'),
                dns_names=dict(type='list', elements='str'),
                validity_months=dict(type='int'),
                key_type=dict(type='str', choices=['RSA', 'RSA-HSM', 'EC', 'EC-HSM']),
                key_size=dict(type='int', choices=[2048, 3072, 4096]),
                curve=dict(type='str', choices=['P-256', 'P-384', 'P-521', 'P-256K']),
                exportable=dict(type='bool'),
                reuse_key=dict(type='bool'),
                content_type=dict(type='str', choices=['application/x-pkcs12', 'application/x-pem-file']),
                lifetime_action=dict(type='dict', options=dict(
                    action=dict(type='str', choices=['AutoRenew', 'EmailContacts'], required=True),
                    lifetime_percentage=dict(type='int'),
                    days_before_expiry=dict(type='int'),
                )),
            )),
            reissue=dict(type='bool', default=False),
            certificate=dict(type='str', no_log=True),
            password=dict(type='str', no_log=True),
            enabled=dict(type='bool'),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
            **unknown.unknown_spec(['vault_uri'])
        ),
        mutually_exclusive=[('policy', 'certificate')],
        long_running=True,
        default_timeout=900,
    )
    module.fail_on(validate(module.params) + unknown.unknown_problems(module.params, module.check_mode, required=('vault_uri',)))
    cert = Certificate(module)
    if module.params['state'] == 'absent':
        module.exit(**ensure_absent(module, cert))
    module.exit(**ensure_present(module, cert))


if __name__ == '__main__':
    main()
