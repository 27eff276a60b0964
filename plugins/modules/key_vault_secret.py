#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: key_vault_secret
short_description: Set, generate, update or delete a secret in an Azure Key Vault
version_added: 0.2.0
description:
  - Ensures a secret of a Key Vault has the stated value (given, or generated once), content type, tags,
    activation and expiry dates and enabled state, or is absent. It works on the vault's data plane, through the
    vault URI (in production, the vault's private endpoint).
  - A value is compared without ever being returned. The current version's value is read and compared in memory;
    the result says only RV(value_changed). No value, old, new or generated, is ever in the result, the diff, a
    warning or a failure message, at any verbosity.
  - A new version is written only when the value changes; a change of the other attributes alone updates the
    current version in place.
  - A secret that backs a certificate (a managed secret) is refused; manage the certificate instead.
options:
  vault_uri:
    description:
      - URI of the vault (the RV(phonebill.platform.key_vault#module:vault_uri) the key_vault module returns).
      - Required, unless it is listed in O(unknown) in check mode.
    type: str
  name:
    description: Name of the secret (1-127 letters, digits and C(-)).
    type: str
    required: true
  value:
    description:
      - The secret value. Compared with the current version's value; a different value writes a new version.
      - Mutually exclusive with O(generate).
    type: str
  regenerate:
    description:
      - O(generate) makes a value only when the secret does not exist yet (an existing value is never compared); with
        O(regenerate=true) it makes a new value (a new version) even though the secret exists.
    type: bool
    default: false
  content_type:
    description: Content type of the secret (a hint for its readers, such as V(text/plain)).
    type: str
  not_before:
    description: ISO 8601 date and time before which the secret cannot be used (UTC when no offset is given).
    type: str
  expires:
    description:
      - ISO 8601 date and time after which the secret cannot be used (UTC when no offset is given).
      - Mutually exclusive with O(expires_after_days).
    type: str
  expires_after_days:
    description:
      - The secret's current version expires this many days (1-3650) after it was created, a rotation period. A new
        version (a new or regenerated value) expires that many days after the run; an existing version keeps its
        creation date, so a second run changes nothing.
      - Mutually exclusive with O(expires).
    type: int
  unknown:
    description:
      - Options whose value check mode cannot know because it comes from a resource check mode did not create;
        V(vault_uri) for a vault not created yet.
      - A vault that does not exist yet holds no secret, so check mode predicts the secret is created (with
        O(value) or O(generate)) and reads nothing.
      - A real run fails on any option listed here before it calls Azure.
    type: list
    elements: str
    choices: [vault_uri]
    default: []
  enabled:
    description:
      - Whether the secret can be read. Key Vault does not return a disabled secret's value, so while the current
        version is disabled O(value) is not compared (the module warns).
    type: bool
  tags:
    description: Tags of the secret. Values are strings.
  purge_tags:
    description: Remove tags that are not in O(tags). Without it, other tags are left as they are.
  state:
    description:
      - Whether the secret should exist. V(absent) deletes it; it stays soft-deleted (recoverable, its name reserved)
        for the vault's retention period.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.generate
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 300 seconds.
  - The identity needs the Key Vault Secrets Officer role on the vault (or get, list, set and delete access
    policy permissions); reading the current value is how the value is compared.
requirements:
  - azure-keyvault-secrets >= 4.10, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: JWT signing key, generated once
  phonebill.platform.key_vault_secret:
    vault_uri: "{{ vault.vault_uri }}"
    name: jwt-signing-key
    generate:
      length: 64
      classes: [lower, upper, digits]
    content_type: text/plain
    tags:
      rotation: 90d

- name: Partner API credentials from the vaulted inventory
  phonebill.platform.key_vault_secret:
    vault_uri: "{{ vault.vault_uri }}"
    name: kos-api-credentials
    value: "{{ vaulted_kos_api_credentials }}"
    expires: "2027-06-30T00:00:00Z"
  register: kos
  no_log: true

- name: Database password, generated once, expiring 90 days after each version is made
  phonebill.platform.key_vault_secret:
    vault_uri: "{{ vault.vault_uri if vault.vault_uri else omit }}"
    unknown: "{{ [] if vault.vault_uri else ['vault_uri'] }}"
    name: database-passwords
    generate: {length: 32}
    expires_after_days: 90

- name: Rotate the JWT signing key now
  phonebill.platform.key_vault_secret:
    vault_uri: "{{ vault.vault_uri }}"
    name: jwt-signing-key
    generate: {length: 64}
    regenerate: true
'''

RETURN = r'''
secret:
  description: The secret's attributes (never its value) as they are after the run (or, in check mode, would be).
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: Identifier of the current version (not known for a new secret in check mode).
      type: str
      sample: https://kv-phonebill-prod.vault.azure.net/secrets/jwt-signing-key/4387e9f3d6e14c459867679a90fd0f79
    version:
      description: The current version.
      type: str
    content_type:
      description: Content type.
      type: str
    tags:
      description: Tags.
      type: dict
    enabled:
      description: Whether the secret can be read.
      type: bool
    not_before:
      description: Not usable before (ISO 8601, UTC).
      type: str
    expires:
      description: Not usable after (ISO 8601, UTC).
      type: str
value_changed:
  description: Whether the value was (or, in check mode, would be) changed or set. The value itself is never returned.
  returned: always
  type: bool
differences:
  description:
    - Every stated attribute that differed, with the value before and after; the value appears only as the path
      V(value) with masked sides.
  returned: always
  type: list
  elements: dict
  sample: [{path: value, before: '********', after: '********'}, {path: tags.rotation, before: 30d, after: 90d}]
status_url:
  description: Where the status of a deletion not waited for (O(wait=false)) can be read.
  returned: when O(state=absent), O(wait=false) and the secret was deleted
  type: str
'''

import hmac
from datetime import datetime, timedelta, timezone

from ansible_collections.phonebill.platform.plugins.module_utils import compare, keyvault_checks, keyvault_data, sdk, unknown
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC

ABSENT = object()
# A new version's expiry is computed moments before Key Vault stamps the version's creation: an expiry this close
# to creation + expires_after_days is that expiry, not a difference.
EXPIRY_SLACK = timedelta(minutes=15)


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    found = keyvault_data.secret_version_problems(params)
    if params['regenerate'] and not params['generate']:
        found.append('regenerate: generates a new value by the generate policy; state generate too')
    moments = {}
    for option in ('not_before', 'expires'):
        if params[option] is not None:
            moments[option] = keyvault_data.parse_time(params[option])
            if moments[option] is None:
                found.append('%s: %r is not an ISO 8601 date and time; give e.g. 2027-06-30T00:00:00Z' % (option, params[option]))
    if moments.get('not_before') and moments.get('expires') and moments['not_before'] >= moments['expires']:
        found.append('expires: %s is not after not_before %s; give a later expiry' % (params['expires'], params['not_before']))
    return found


def attributes(properties):
    """The comparable attributes of SecretProperties (never the value)."""
    return dict(content_type=properties.content_type, tags=properties.tags or {}, enabled=properties.enabled,
                not_before=keyvault_data.iso(properties.not_before), expires=keyvault_data.iso(properties.expires_on))


class Secret:
    """One secret on the vault's data plane; the value is kept to this object and never leaves it."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.label = 'secret %s of %s' % (self.params['name'], self.params['vault_uri'] or unknown.UNKNOWN)
        # a vault check mode only predicts (vault_uri unknown) holds nothing yet: there is nothing to read
        self.client = (None if 'vault_uri' in self.params['unknown']
                       else keyvault_data.client(module, keyvault_data.SECRETS, self.params['vault_uri']))
        self.comparator = compare.Comparator({'tags': compare.Mapping(purge=self.params['purge_tags'])})

    def read(self):
        """(properties, value) of the current version; value ABSENT when Key Vault withholds it (disabled)."""
        if self.client is None:
            return None, ABSENT
        exceptions = self.module.require(sdk.CORE_EXCEPTIONS)
        try:
            found = self.client.get_secret(self.params['name'])
        except exceptions.ResourceNotFoundError:
            return None, ABSENT
        except exceptions.HttpResponseError as exc:
            text = str(exc)
            if exc.status_code != 403 or ('SecretDisabled' not in text and 'disabled secret' not in text):
                raise
            return self.latest_version(), ABSENT
        return found.properties, found.value

    def latest_version(self):
        versions = list(self.client.list_properties_of_secret_versions(self.params['name']))
        return max(versions, key=lambda v: v.created_on) if versions else None

    def desired(self, created, actual_expires=None):
        """The stated attributes; expires_after_days counts from created, when the version they apply to was made."""
        params = self.params
        expires = keyvault_data.parse_time(params['expires']) if params['expires'] else None
        if params['expires_after_days'] is not None:
            expires = created + timedelta(days=params['expires_after_days'])
            actual = keyvault_data.parse_time(actual_expires) if actual_expires else None
            if actual is not None and abs(actual - expires) <= EXPIRY_SLACK:
                expires = actual
        return compare.prune(dict(content_type=params['content_type'], tags=params['tags'], enabled=params['enabled'],
                                  not_before=keyvault_data.iso(keyvault_data.parse_time(params['not_before'])) if params['not_before'] else None,
                                  expires=keyvault_data.iso(expires)))

    def new_value(self, exists, current_value):
        """The value to write, or None when the value stays as it is (compared in constant time, never copied out)."""
        params = self.params
        if params['generate']:
            return keyvault_checks.generate(params['generate']) if not exists or params['regenerate'] else None
        if params['value'] is None or (exists and current_value is ABSENT):
            return None
        if exists and hmac.compare_digest(current_value.encode('utf-8'), params['value'].encode('utf-8')):
            return None
        return params['value']

    def write(self, value, document, properties):
        """A new version with value, or the current version's attributes updated in place."""
        kwargs = dict(content_type=document.get('content_type'), tags=document.get('tags'), enabled=document.get('enabled'),
                      not_before=keyvault_data.parse_time(document['not_before']) if document.get('not_before') else None,
                      expires_on=keyvault_data.parse_time(document['expires']) if document.get('expires') else None)
        if value is not None:
            return self.client.set_secret(self.params['name'], value, **kwargs).properties
        return self.client.update_secret_properties(self.params['name'], properties.version, **kwargs)

    def remove(self):
        return self.client.begin_delete_secret(self.params['name'])


def reported(properties, document):
    secret = dict(document)
    secret.update(id=properties.id if properties else None, version=properties.version if properties else None)
    return secret


def ensure_present(module, secret):
    params = secret.params
    properties, current_value = module.call('read %s' % secret.label, secret.read)
    exists = properties is not None
    if exists and properties.managed:
        module.fail('name: %s backs a certificate (a managed secret); manage it with key_vault_certificate' % secret.label)
    if not exists:
        if params['value'] is None and not params['generate']:
            module.fail('value: required to create %s, which does not exist yet; give value or generate' % secret.label)
        if secret.client is not None:
            module.fail_on(keyvault_data.deleted_name_problems(module, secret.label, secret.client.get_deleted_secret,
                                                               params['name']))
    elif current_value is ABSENT and params['value'] is not None:
        module.warn('value: not compared, Key Vault does not return the value of %s while its current version is '
                    'disabled; enable it to compare the value' % secret.label)
    value = secret.new_value(exists, current_value)
    actual = attributes(properties) if exists else {}
    # a new version is made now; attributes alone apply to the current version
    desired = (secret.desired(datetime.now(timezone.utc)) if value is not None
               else secret.desired(properties.created_on, actual.get('expires')))
    differences = secret.comparator.differences(desired, actual)
    if value is not None:
        differences.insert(0, compare.Difference('value', compare.MASK if exists else None, compare.MASK))
    after = secret.comparator.merge(desired, actual)
    result = dict(changed=bool(differences), value_changed=value is not None, secret=reported(properties, after),
                  differences=[d.as_dict() for d in differences])
    if module.diff_mode:
        result['diff'] = dict(before=dict(actual, value=compare.MASK) if exists else {},
                              after=dict(after, value='%s (changed)' % compare.MASK if value is not None else compare.MASK))
    if differences and not module.check_mode:
        written = module.call('%s %s' % ('set' if value is not None else 'update', secret.label),
                              lambda: secret.write(value, after, properties))
        result['secret'] = reported(written, attributes(written))
    return result


def ensure_absent(module, secret):
    properties, _ignored = module.call('read %s' % secret.label, secret.read)
    return keyvault_data.ensure_absent(module, secret.label, attributes(properties) if properties else None,
                                       secret.remove, value_changed=False)


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            vault_uri=dict(type='str'),
            name=dict(type='str', required=True),
            value=dict(type='str', no_log=True),
            **keyvault_checks.GENERATE_ARGUMENT_SPEC,
            regenerate=dict(type='bool', default=False),
            content_type=dict(type='str'),
            not_before=dict(type='str'),
            expires=dict(type='str'),
            expires_after_days=dict(type='int'),
            enabled=dict(type='bool'),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
            **unknown.unknown_spec(['vault_uri'])
        ),
        mutually_exclusive=[('value', 'generate'), ('expires', 'expires_after_days')],
        long_running=True,
        default_timeout=300,
    )
    module.fail_on(validate(module.params) + unknown.unknown_problems(module.params, module.check_mode, required=('vault_uri',)))
    secret = Secret(module)
    if module.params['state'] == 'absent':
        module.exit(**ensure_absent(module, secret))
    module.exit(**ensure_present(module, secret))


if __name__ == '__main__':
    main()
