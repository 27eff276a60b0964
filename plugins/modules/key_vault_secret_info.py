#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: key_vault_secret_info
short_description: Read the attributes of secrets in an Azure Key Vault
version_added: 0.2.0
description:
  - Returns one secret of a Key Vault by name, or every secret of the vault, optionally only those carrying the given
    tags; with O(versions=true), the attributes of each of their versions too. It works on the vault's data plane,
    through the vault URI.
  - Only attributes are returned (identifier, version, enabled state, content type, tags, dates); never a value. The
    module only lists secrets and their versions, requests that do not carry values, so a value never reaches it.
  - Secrets that back certificates are listed too, with RV(secrets[].managed=true).
options:
  vault_uri:
    description: URI of the vault (the RV(phonebill.platform.key_vault#module:vault_uri) the key_vault module returns).
    type: str
    required: true
  name:
    description:
      - Name of one secret (1-127 letters, digits and C(-)). Without it, every secret of the vault is listed.
      - A secret that does not exist gives an empty RV(secrets) list.
    type: str
  tags:
    description: Only secrets whose current version carries all these tags with these values.
    type: dict
  versions:
    description: Also return the attributes of every version of each secret, in RV(secrets[].versions).
    type: bool
    default: false
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
notes:
  - The identity needs to list secrets and their versions, not to read values; the Key Vault Reader role on the vault
    (metadata only) is enough, or the C(list) secret permission of an access policy.
requirements:
  - azure-keyvault-secrets >= 4.10, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Every secret of the vault
  phonebill.platform.key_vault_secret_info:
    vault_uri: "{{ vault.vault_uri }}"
  register: found

- name: The versions of the JWT signing key, to see which are due for rotation
  phonebill.platform.key_vault_secret_info:
    vault_uri: "{{ vault.vault_uri }}"
    name: jwt-signing-key
    versions: true
  register: jwt

- name: Secrets that expire before 2027 (ISO 8601 UTC dates compare as text)
  ansible.builtin.debug:
    msg: "{{ found.secrets | selectattr('expires') | selectattr('expires', '<', '2027-01-01T00:00:00Z') | map(attribute='name') }}"
'''

RETURN = r'''
secrets:
  description: The secrets found, by name, with the attributes of their current version (never a value).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the secret.
      type: str
      sample: jwt-signing-key
    id:
      description: Identifier of the current version.
      type: str
      sample: https://kv-phonebill-prod.vault.azure.net/secrets/jwt-signing-key/4387e9f3d6e14c459867679a90fd0f79
    version:
      description: The current version (the most recently created).
      type: str
      sample: 4387e9f3d6e14c459867679a90fd0f79
    enabled:
      description: Whether the current version can be read.
      type: bool
    content_type:
      description: Content type of the current version, when set.
      type: str
      sample: text/plain
    tags:
      description: Tags of the current version.
      type: dict
      sample: {rotation: 90d}
    managed:
      description: Whether the secret backs a certificate (manage it through the certificate).
      type: bool
    created:
      description: When the current version was created (ISO 8601, UTC).
      type: str
      sample: '2026-09-01T02:00:00Z'
    updated:
      description: When the current version's attributes were last changed (ISO 8601, UTC).
      type: str
    not_before:
      description: Not usable before (ISO 8601, UTC); null when not set.
      type: str
    expires:
      description: Not usable after (ISO 8601, UTC); null when not set.
      type: str
      sample: '2026-11-30T02:00:00Z'
    versions:
      description:
        - Every version of the secret, newest first, each with the same attributes as the secret's current version
          (C(id), C(version), C(enabled), C(content_type), C(tags), C(managed), C(created), C(updated),
          C(not_before), C(expires)).
      returned: when O(versions=true)
      type: list
      elements: dict
'''

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_data
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    return keyvault_data.info_problems(params, 'secret name')


def attributes(properties):
    """What a SecretProperties says about one version (never a value: list answers carry none)."""
    return dict(id=properties.id, version=properties.version, enabled=properties.enabled,
                content_type=properties.content_type, tags=properties.tags or {}, managed=bool(properties.managed),
                created=keyvault_data.iso(properties.created_on), updated=keyvault_data.iso(properties.updated_on),
                not_before=keyvault_data.iso(properties.not_before), expires=keyvault_data.iso(properties.expires_on))


def secret_document(module, client, name):
    """The secret's current version (the most recently created) with, when asked, every version; None when absent.

    A listing of the vault's secrets names no version, so each secret's versions are listed.
    """
    versions = module.get_or_none('list the versions of secret %s of %s' % (name, module.params['vault_uri']),
                                  lambda: list(client.list_properties_of_secret_versions(name)))
    if not versions:
        return None
    # sorted() is stable: versions made within the same second keep the order Key Vault lists them in
    newest_first = [attributes(v) for v in reversed(sorted(versions, key=lambda v: v.created_on))]
    document = dict(newest_first[0], name=versions[0].name)
    if module.params['versions']:
        document['versions'] = newest_first
    return document


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            vault_uri=dict(type='str', required=True),
            name=dict(type='str'),
            tags=dict(type='dict'),
            versions=dict(type='bool', default=False),
        ),
    )
    module.fail_on(validate(module.params))
    client = keyvault_data.client(module, keyvault_data.SECRETS, module.params['vault_uri'])
    secrets = keyvault_data.read_objects(module, 'secret', client.list_properties_of_secrets,
                                         lambda name: secret_document(module, client, name))
    module.exit(changed=False, secrets=secrets)


if __name__ == '__main__':
    main()
