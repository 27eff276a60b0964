#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: key_vault_rotation
short_description: Move one rotation of a Key Vault secret through its journal (start, apply, commit, roll back, retire)
version_added: 0.3.0
description:
  - One step of a rotation of a Key Vault secret. The journal is the tags of the version the rotation writes
    (C(rotation-state), C(rotation-id), C(rotated-at), C(rotated-by), C(rotation-kind), C(rotation-reason)), so a
    run that stopped at any step is finished or rolled back by the next one (see the collection's C(docs/rotation.md)).
  - V(start) writes the new value as a new version tagged C(rotation-state=pending) (or O(start_state)), with the
    secret's own tags carried over and an expiry of now + O(expires_after_days). A pending version is never read by
    M(phonebill.platform.k8s_secret_from_key_vault); consumers keep the version before it. A start whose
    O(rotation_id) already has a version writes nothing (the run is resumed). A start while another rotation is in
    flight fails, naming it.
  - V(apply) marks the version valid where it is used (C(applied)); consumers may now read it. V(commit) marks that
    consumers hold it and are healthy (C(committed)); the old credential may now stop working. The journal only moves
    forward.
  - V(rollback) disables the rotation's version and tags it C(rolled-back); the version before it, still enabled, is
    the one consumers read again. No value is lost. A rotation whose version was never written rolls back to nothing.
  - V(retire) disables every version older than the one consumers read, once that one is O(overlap_hours) old (a
    JWT signing key keeps verifying tokens for their lifetime, then is disabled).
  - V(read) returns the value of the rotation's version (O(rotation_id)), or of the version consumers read, in
    RV(value), for a module that takes it as an option (M(phonebill.platform.postgresql_login_role)); give such a task
    C(no_log) V(true). It writes nothing.
  - No other step returns a value, old or new, in the result, the diff, a warning or a failure message.
options:
  vault_uri:
    description: URI of the vault (the RV(phonebill.platform.key_vault#module:vault_uri) the key_vault module returns).
    type: str
    required: true
  name:
    description: Name of the secret (1-127 letters, digits and C(-)).
    type: str
    required: true
  step:
    description: The journal step.
    type: str
    choices: [start, apply, commit, rollback, retire, read]
    required: true
  rotation_id:
    description:
      - The rotation. Required for V(apply), V(commit) and V(rollback); with V(start), a new one is made when not given,
        and a given one that has a version resumes it.
    type: str
  kind:
    description: The rotator, recorded in the C(rotation-kind) tag.
    type: str
    choices: [generated, postgresql_app, postgresql_admin, redis, jwt]
    default: generated
  reason:
    description: Why it rotates (the plan's reason), recorded in the C(rotation-reason) tag (at most 256 characters).
    type: str
    default: on demand
  rotated_by:
    description: Who rotates, recorded in the C(rotated-by) tag.
    type: str
    default: phonebill.platform.rotate_secrets
  value:
    description:
      - With V(start), the new value, supplied (for example a credential a partner issued). Exclusive with O(generate).
      - With V(start), one of O(value) and O(generate) is required.
    type: str
  start_state:
    description:
      - The state V(start) writes. V(applied) for a value valid where it is used the moment it is written (the other
        Redis access key).
    type: str
    choices: [pending, applied]
    default: pending
  expires_after_days:
    description: With V(start), the new version expires this many days (1-3650) after the run.
    type: int
  tags:
    description:
      - With V(start), tags of the new version besides the secret's own and the journal's, for example the
        PostgreSQL login the password belongs to (C(login)) or a JWT key id (C(key-id)).
    type: dict
    default: {}
  overlap_hours:
    description: With V(retire), how long the versions before the consumed one stay enabled after it was made.
    type: float
    default: 0
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.generate
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the versions and predicts the step; writes nothing.
  diff_mode:
    support: full
    details: The journal tags and enabled state before and after, never a value.
  platform:
    platforms: posix
notes:
  - The identity needs the Key Vault Secrets Officer role on the vault.
requirements:
  - azure-keyvault-secrets >= 4.10, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Start a rotation of the KOS API credential (pending; consumers keep the old value)
  phonebill.platform.key_vault_rotation:
    vault_uri: "{{ vault_uri }}"
    name: kos-api-credentials
    step: start
    generate: {length: 48, classes: [lower, upper, digits]}
    expires_after_days: 90
    reason: due since 2026-12-01
  register: started

- name: Consumers may read it now
  phonebill.platform.key_vault_rotation:
    vault_uri: "{{ vault_uri }}"
    name: kos-api-credentials
    step: apply
    rotation_id: "{{ started.rotation_id }}"

- name: Keep the previous JWT key for the token lifetime, then disable it
  phonebill.platform.key_vault_rotation:
    vault_uri: "{{ vault_uri }}"
    name: jwt-signing-key
    step: retire
    overlap_hours: 24
'''

RETURN = r'''
rotation_id:
  description: The rotation (made by V(start) when not given).
  returned: when O(step) is not V(retire)
  type: str
  sample: 20261202T103000Z-9f3a1c2e
state:
  description: The journal state of the rotation's version after the step (V(absent) when no version was written).
  returned: when O(step) is not V(retire)
  type: str
  sample: applied
version:
  description: The rotation's version (not known for a start predicted in check mode).
  returned: when a version exists
  type: str
previous_version:
  description: The version consumers read before the rotation.
  returned: with O(step=start)
  type: str
retired:
  description: Versions V(retire) disabled (or, in check mode, would).
  returned: with O(step=retire)
  type: list
  elements: str
differences:
  description: What changed on which version (tags and enabled state; never a value).
  returned: always
  type: list
  elements: dict
value:
  description: The value of the rotation's version, or of the version consumers read.
  returned: with O(step=read)
  type: str
'''

from datetime import datetime, timedelta, timezone

from ansible_collections.phonebill.platform.plugins.module_utils import compare, keyvault_checks, keyvault_data, rotation, sdk
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    found = keyvault_data.secret_version_problems(params)
    step = params['step']
    if step in ('apply', 'commit', 'rollback') and not params['rotation_id']:
        found.append('rotation_id: required to %s a rotation; give the id the start step returned' % step)
    if step == 'start' and params['value'] is None and not params['generate']:
        found.append('generate: a start needs the new value; give generate (a policy) or value')
    if step != 'start' and (params['value'] is not None or params['generate']):
        found.append('step: only start takes a new value; drop value and generate from step %s' % step)
    clash = sorted(set(params['tags']) & set(rotation.JOURNAL_TAGS))
    if clash:
        found.append('tags: %s belong to the journal; drop them' % ', '.join(clash))
    if params['overlap_hours'] < 0:
        found.append('overlap_hours: %s is negative; give 0 or more hours' % params['overlap_hours'])
    return found


class Journal:
    """The versions of one secret and the writes of the journal's steps; values never leave it."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.label = 'secret %s of %s' % (self.params['name'], self.params['vault_uri'])
        self.client = keyvault_data.client(module, keyvault_data.SECRETS, self.params['vault_uri'])
        self.exceptions = module.require(sdk.CORE_EXCEPTIONS)
        self.versions = module.call('list the versions of %s' % self.label, self.read_versions)

    def read_versions(self):
        try:
            return keyvault_data.secret_versions(self.client, self.params['name'])
        except self.exceptions.ResourceNotFoundError:
            return []

    def of_rotation(self, rotation_id):
        found = [v for v in self.versions if (v['tags'] or {}).get(rotation.ID) == rotation_id]
        return rotation.newest_first(found)[0] if found else None

    def value_of(self, version):
        return self.module.call('read version %s of %s' % (version, self.label),
                                lambda: self.client.get_secret(self.params['name'], version).value)

    def update(self, version, tags=None, enabled=None):
        if self.module.check_mode:
            return
        self.module.call('update version %s of %s' % (version['version'], self.label),
                         lambda: self.client.update_secret_properties(self.params['name'], version['version'],
                                                                      tags=tags, enabled=enabled))


def journal_view(version):
    """What the diff shows of a version: its journal tags and enabled state."""
    if version is None:
        return {}
    tags = version.get('tags') or {}
    return dict(version=version['version'], enabled=version.get('enabled', True),
                **dict((k, tags[k]) for k in rotation.JOURNAL_TAGS if k in tags))


def start(module, journal, now):
    params = module.params
    rotation_id = params['rotation_id'] or rotation.new_rotation_id(now)
    existing = journal.of_rotation(rotation_id)
    result = dict(rotation_id=rotation_id, changed=False, differences=[])
    if existing is not None:   # resumed: the version was written by the run that stopped
        result.update(state=rotation.state_of(existing), version=existing['version'])
        if existing['enabled'] is False or rotation.state_of(existing) == rotation.ROLLED_BACK:
            module.fail('rotation_id: rotation %s of %s was rolled back; start a new rotation' % (rotation_id, journal.label))
        return result
    stopped = rotation.in_flight(journal.versions)
    module.fail_on(rotation.journal_problems(params['name'], journal.versions))
    if stopped is not None:
        module.fail('step: rotation %s of %s is %s; finish it (apply, commit) or roll it back before starting another'
                    % (stopped['tags'].get(rotation.ID), journal.label, rotation.state_of(stopped)))
    current = rotation.consumed(journal.versions)
    if current is None:
        module.fail('name: %s has no version consumers read; the keyvault role creates it, rotation only renews it'
                    % journal.label)
    tags = rotation.version_tags(current['tags'], params['start_state'], rotation_id, now, params['rotated_by'],
                                 params['kind'], params['reason'])
    tags.update(params['tags'])
    expires = now + timedelta(days=params['expires_after_days']) if params['expires_after_days'] else None
    value = params['value'] if params['value'] is not None else keyvault_checks.generate(params['generate'])
    module.ansible.no_log_values.add(value)   # any message that might hold it is masked
    result.update(changed=True, state=params['start_state'], previous_version=current['version'],
                  differences=[compare.Difference('value', compare.MASK, compare.MASK).as_dict(),
                               compare.Difference(rotation.STATE, None, params['start_state']).as_dict()])
    if module.diff_mode:
        result['diff'] = dict(before=journal_view(current), after=dict(tags=dict((k, tags[k]) for k in rotation.JOURNAL_TAGS)))
    if not module.check_mode:
        written = module.call('set a new version of %s' % journal.label,
                              lambda: journal.client.set_secret(params['name'], value, tags=tags, expires_on=expires,
                                                                content_type=current.get('content_type') or 'text/plain'))
        result['version'] = written.properties.version
    return result


def advance(module, journal, now):
    """apply, commit and rollback of the rotation rotation_id."""
    params = module.params
    rotation_id, step = params['rotation_id'], params['step']
    version = journal.of_rotation(rotation_id)
    if version is None:
        if step == 'rollback':   # the run stopped before the version was written: nothing to undo
            return dict(rotation_id=rotation_id, state='absent', changed=False, differences=[])
        module.fail('rotation_id: %s has no version of rotation %s; start it first' % (journal.label, rotation_id))
    state = rotation.state_of(version)
    to_state = {'apply': rotation.APPLIED, 'commit': rotation.COMMITTED, 'rollback': rotation.ROLLED_BACK}[step]
    if step == 'rollback' and state == rotation.COMMITTED:
        module.fail('rotation_id: rotation %s of %s is committed: consumers hold it and the old credential may no '
                    'longer work; rotate again instead of rolling back' % (rotation_id, journal.label))
    if step != 'rollback':
        module.fail_on(rotation.advance_problems(journal.label, version, to_state, rotation_id))
    result = dict(rotation_id=rotation_id, version=version['version'], state=to_state, differences=[])
    if state == to_state or (step == 'apply' and state == rotation.COMMITTED):
        return dict(result, changed=False, state=state)
    tags = dict(version['tags'], **{rotation.STATE: to_state})
    enabled = False if step == 'rollback' else None
    result['differences'] = [compare.Difference(rotation.STATE, state, to_state).as_dict()]
    if enabled is False and version['enabled']:
        result['differences'].append(compare.Difference('enabled', True, False).as_dict())
    if module.diff_mode:
        after = dict(version, tags=tags, enabled=version['enabled'] and enabled is not False)
        result['diff'] = dict(before=journal_view(version), after=journal_view(after))
    journal.update(version, tags=tags, enabled=enabled)
    return dict(result, changed=True)


def retire(module, journal, now):
    """Disable the versions before the consumed one once it is overlap_hours old."""
    current = rotation.consumed(journal.versions)
    result = dict(changed=False, retired=[], differences=[])
    if current is None or now - current['created'] < timedelta(hours=module.params['overlap_hours']):
        return result
    older = [v for v in rotation.readable(journal.versions) if v is not current and v['created'] <= current['created']]
    for version in older:
        journal.update(version, enabled=False)
        result['retired'].append(version['version'])
        result['differences'].append(compare.Difference('versions.%s.enabled' % version['version'], True, False).as_dict())
    result['changed'] = bool(older)
    return result


def read(module, journal, now):
    """The value of the rotation's version, else of the version consumers read (for a task with no_log)."""
    rotation_id = module.params['rotation_id']
    version = journal.of_rotation(rotation_id) if rotation_id else rotation.consumed(journal.versions)
    if version is None:
        module.fail('rotation_id: %s has no %s' % (journal.label, 'version of rotation %s' % rotation_id if rotation_id
                                                   else 'version consumers read'))
    return dict(changed=False, differences=[], rotation_id=rotation_id, state=rotation.state_of(version),
                version=version['version'], value=journal.value_of(version['version']))


STEPS = {'start': start, 'apply': advance, 'commit': advance, 'rollback': advance, 'retire': retire, 'read': read}


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            vault_uri=dict(type='str', required=True),
            name=dict(type='str', required=True),
            step=dict(type='str', required=True, choices=list(STEPS)),
            rotation_id=dict(type='str'),
            kind=dict(type='str', default='generated', choices=[k for k in rotation.KINDS if k != 'certificate']),
            reason=dict(type='str', default='on demand'),
            rotated_by=dict(type='str', default='phonebill.platform.rotate_secrets'),
            value=dict(type='str', no_log=True),
            **keyvault_checks.GENERATE_ARGUMENT_SPEC,
            start_state=dict(type='str', default=rotation.PENDING, choices=[rotation.PENDING, rotation.APPLIED]),
            expires_after_days=dict(type='int'),
            tags=dict(type='dict', default={}),
            overlap_hours=dict(type='float', default=0),
        ),
        mutually_exclusive=[('value', 'generate')],
        default_timeout=300,
    )
    module.fail_on(validate(module.params))
    journal = Journal(module)
    module.exit(**STEPS[module.params['step']](module, journal, datetime.now(timezone.utc)))


if __name__ == '__main__':
    main()
