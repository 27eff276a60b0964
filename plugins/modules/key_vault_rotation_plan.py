#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: key_vault_rotation_plan
short_description: Tell which Key Vault secrets and certificates are due for rotation, and why
version_added: 0.3.0
description:
  - Reads the versions of every secret and certificate of O(policy) (attributes and tags, never a value) and returns
    the plan of a rotation run, one item per entry, each with an action and its reason
    (see the collection's C(docs/rotation.md)).
  - V(rotate) when the version consumers read was made O(defaults.secret_period_days) (90) or
    O(defaults.certificate_period_days) (365) days ago or more, or the entry's own C(period_days), or expires within
    O(defaults.expiry_margin_days); or when O(only) names it (on demand).
  - V(resume) when a rotation stopped in the middle (its version is tagged C(rotation-state) V(pending) or V(applied),
    or a certificate operation is in progress); the run finishes or rolls it back before anything else.
  - V(blocked) when the journal shows versions in flight under a newer one (a hand edit); the run leaves it and says so.
  - V(skip) otherwise, with the reason and the date it is next due.
  - Reads only; never changes anything, in check mode or not.
options:
  vault_uri:
    description: URI of the vault (the RV(phonebill.platform.key_vault#module:vault_uri) the key_vault module returns).
    type: str
    required: true
  policy:
    description:
      - What rotates and how, one entry per Key Vault secret or certificate (the inventory's C(phonebill_rotation.secrets)).
      - Each entry has C(name), the Key Vault secret or certificate; C(kind), its rotator (V(generated), V(postgresql_app),
        V(postgresql_admin), V(redis), V(jwt), or V(certificate), read as a Key Vault certificate); optionally
        C(period_days), the days between its rotations instead of the default of its kind, and C(manual) V(true), rotated
        on demand only. Other keys belong to the rotators and are not read here.
    type: list
    elements: dict
    required: true
  defaults:
    description: The inventory's rotation defaults.
    type: dict
    default: {}
    suboptions:
      secret_period_days:
        description: Days between rotations of a secret (SPEC 8).
        type: int
        default: 90
      certificate_period_days:
        description: Days between rotations of a certificate (SPEC 8).
        type: int
        default: 365
      expiry_margin_days:
        description: Rotate this many days before an expiry that comes before the period ends.
        type: int
        default: 14
  only:
    description: Rotate this one entry now (on demand), whatever its period; every other entry is skipped.
    type: str
  now:
    description: Evaluate the plan at this ISO 8601 date and time (UTC when no offset is given) instead of now, to see what a later run will do.
    type: str
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: none
  platform:
    platforms: posix
notes:
  - The identity needs to list secret and certificate versions (Key Vault Reader is not enough; Key Vault Secrets User
    and Key Vault Certificate User, or the list access policy permissions).
requirements:
  - azure-keyvault-secrets >= 4.10, < 5
  - azure-keyvault-certificates >= 4.10, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: What is due today
  phonebill.platform.key_vault_rotation_plan:
    vault_uri: "{{ vault_uri }}"
    policy:
      - {name: jwt-signing-key, kind: jwt}
      - {name: ssl-wildcard-cert, kind: certificate}
  register: plan

- name: Rotate one secret now
  phonebill.platform.key_vault_rotation_plan:
    vault_uri: "{{ vault_uri }}"
    policy: "{{ phonebill_rotation.secrets }}"
    only: redis-auth-key
'''

RETURN = r'''
plan:
  description: One item per O(policy) entry, in its order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The secret or certificate.
      type: str
    kind:
      description: Its rotator.
      type: str
    action:
      description: V(rotate), V(resume), V(skip) or V(blocked).
      type: str
    reason:
      description: Why.
      type: str
    next_due:
      description: When it is next due (ISO 8601, UTC), null when nothing schedules it.
      type: str
    last_rotated:
      description: When the version consumers read was made.
      type: str
    version:
      description: The version consumers read, or for V(resume) the version of the rotation in flight.
      type: str
    rotation_id:
      description: The rotation to run; with V(resume), the one in flight, with V(rotate) a new one.
      type: str
    state:
      description: With V(resume), where it stopped (V(pending), V(applied), V(in-progress) for a certificate).
      type: str
    previous_version:
      description: The version consumers read before this rotation (what a rollback returns to).
      type: str
    tags:
      description: Tags of that version (the journal's, C(login), C(redis-key), C(key-id); never a value).
      type: dict
  sample:
    - {name: jwt-signing-key, kind: jwt, action: rotate, reason: 'due since 2026-11-30: last rotated 2026-09-01, every 90 days',
       next_due: '2026-11-30T10:00:00Z', last_rotated: '2026-09-01T10:00:00Z', version: 4387e9f3d6e14c459867679a90fd0f79,
       rotation_id: 20261202T103000Z-9f3a1c2e, state: null, tags: {spec-name: jwt_signing_key, key-id: k-20260901}}
due:
  description: Names of the entries to rotate or resume, in plan order.
  returned: always
  type: list
  elements: str
'''

from datetime import datetime, timezone

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_data, rotation, sdk
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def validate(params):
    """Input problems that need no call to Azure."""
    found = keyvault_data.vault_uri_problems('vault_uri', params['vault_uri'])
    for index, entry in enumerate(params['policy']):
        found += rotation.entry_problems('policy[%d]' % index, entry)
    names = [entry.get('name') for entry in params['policy']]
    found += ['policy: %s is listed twice; list each secret once' % name for name in sorted(set(n for n in names if names.count(n) > 1))]
    if params['only'] is not None and params['only'] not in names:
        found.append('only: %r is not in policy; give one of %s' % (params['only'], ', '.join(dict.fromkeys(n for n in names if n))))
    if params['now'] is not None and keyvault_data.parse_time(params['now']) is None:
        found.append('now: %r is not an ISO 8601 date and time; give e.g. 2027-03-01T00:00:00Z' % params['now'])
    return found


class Vault:
    """Versions of the vault's secrets and certificates (attributes and tags only)."""

    def __init__(self, module):
        uri = module.params['vault_uri']
        self.module = module
        self.uri = uri
        self.secrets = keyvault_data.client(module, keyvault_data.SECRETS, uri)
        self.certificates = keyvault_data.client(module, keyvault_data.CERTIFICATES, uri)
        self.exceptions = module.require(sdk.CORE_EXCEPTIONS)

    def versions(self, entry):
        """(versions, certificate operation in progress?) of an entry; ([], False) when it does not exist."""
        if entry['kind'] != 'certificate':
            return self.listed('secret', lambda: keyvault_data.secret_versions(self.secrets, entry['name'])), False
        listed = self.listed('certificate', lambda: [keyvault_data.version_document(item) for item in
                                                     self.certificates.list_properties_of_certificate_versions(entry['name'])])
        return listed, self.operation_in_progress(entry['name'])

    def listed(self, what, read):
        def guarded():
            try:
                return read()
            except self.exceptions.ResourceNotFoundError:
                return []
        return self.module.call('list the versions of %s in %s' % (what, self.uri), guarded)

    def operation_in_progress(self, name):
        def status():
            try:
                return self.certificates.get_certificate_operation(name).status
            except self.exceptions.ResourceNotFoundError:
                return None
        return (self.module.call('read the certificate operation of %s in %s' % (name, self.uri), status) or '').lower() == 'inprogress'


def reported(item):
    """An item with its dates as ISO 8601 strings."""
    return dict(item, next_due=keyvault_data.iso(item['next_due']), last_rotated=keyvault_data.iso(item['last_rotated']))


def plan(module, vault, now):
    params = module.params
    items = []
    for entry in params['policy']:
        versions, operating = vault.versions(entry)
        item = rotation.plan_item(now, entry, versions, params['defaults'], only=params['only'])
        if operating and item['action'] != 'blocked' and (params['only'] in (None, entry['name'])):
            item.update(action='resume', state='in-progress',
                        reason='a certificate operation is in progress; the run waits for it and tags the new version')
        items.append(reported(item))
    return items


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            vault_uri=dict(type='str', required=True),
            policy=dict(type='list', elements='dict', required=True),
            defaults=dict(type='dict', default={}, options=dict(
                secret_period_days=dict(type='int', default=rotation.DEFAULT_PERIOD_DAYS['secret'], no_log=False),
                certificate_period_days=dict(type='int', default=rotation.DEFAULT_PERIOD_DAYS['certificate']),
                expiry_margin_days=dict(type='int', default=rotation.DEFAULT_EXPIRY_MARGIN_DAYS),
            )),
            only=dict(type='str'),
            now=dict(type='str'),
        ),
    )
    params = module.params
    module.fail_on(validate(params))
    now = keyvault_data.parse_time(params['now']) if params['now'] else datetime.now(timezone.utc)
    items = plan(module, Vault(module), now)
    module.exit(changed=False, plan=items, due=[i['name'] for i in items if i['action'] in ('rotate', 'resume')])


if __name__ == '__main__':
    main()
