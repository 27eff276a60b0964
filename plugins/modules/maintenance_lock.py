#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: maintenance_lock
short_description: Take or release the maintenance lock, a tag on the platform resource group
version_added: 0.1.0
description:
  - So that two maintenance runs never act at once, a run takes the lock before its procedure and releases it after,
    also when the procedure fails (see the example with C(block)/C(always)).
  - The lock is the tag C(phonebill-maintenance-lock) on the platform resource group, with the value
    C(owner|run id|expires), the expiry in UTC (C(awx@phonebill-ops|awx-job-4711|2026-12-05T19:30:00Z)). Other tags
    stay as they are.
  - With O(state=present), takes the lock. When another run holds a live lock, fails naming the holder and its
    expiry. A lock past its expiry is stale (its run crashed or overran); it is taken over, with a warning naming it.
    When this run already holds the lock, nothing is written.
  - Azure offers no conditional write on resource group tags (neither the resource group nor the Tags API takes an
    C(If-Match) ETag), so the take is written, then read back after O(verify_delay_seconds). When two runs write at
    nearly the same time, the last write stays and only its run sees its own value; the other fails naming the
    winner. This holds as long as O(verify_delay_seconds) is longer than the time between a run's read and its write.
  - With O(state=absent), releases the lock when this run (O(owner) and O(run_id)) holds it, or any holder's with
    O(force=true); a lock held by another run is left and the module fails naming it.
options:
  resource_group:
    description: The platform resource group that carries the lock (C(phonebill_resource_group)).
    type: str
    required: true
  owner:
    description: Who takes the lock (the AWX instance, or user and host), 1-100 characters without C(|).
    type: str
    required: true
  run_id:
    description:
      - Identifies this run (the AWX job id, or a value unique per run), 1-100 characters without C(|). The same
        O(owner) and O(run_id) release the lock.
    type: str
    required: true
  state:
    description: V(present) takes the lock, V(absent) releases it.
    type: str
    choices: [present, absent]
    default: present
  ttl_minutes:
    description:
      - How long the lock is held at most; after that, it is stale and another run takes it over. State more than the
        procedure's time budget.
    type: int
    default: 150
  force:
    description: With O(state=absent), release the lock whoever holds it (an operator clearing a crashed run's lock).
    type: bool
    default: false
  verify_delay_seconds:
    description: Seconds between writing the lock and reading it back to see who won (0-300).
    type: int
    default: 5
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the lock and predicts; writes nothing.
  diff_mode:
    support: full
  platform:
    platforms: posix
requirements:
  - azure-mgmt-resource >= 26, < 27
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: A maintenance procedure that always releases the lock it took
  block:
    - name: Take the maintenance lock
      phonebill.platform.maintenance_lock:
        resource_group: "{{ phonebill_resource_group }}"
        owner: "{{ awx_user_name | default(lookup('env', 'USER')) }}@{{ inventory_hostname }}"
        run_id: "{{ awx_job_id | default(lookup('pipe', 'date +%s%N')) }}"
        ttl_minutes: 150
      register: maintenance_lock

    - name: The procedure
      ansible.builtin.include_tasks: procedure.yml
  always:
    - name: Release the maintenance lock (also when the procedure failed)
      phonebill.platform.maintenance_lock:
        resource_group: "{{ phonebill_resource_group }}"
        owner: "{{ maintenance_lock.lock.owner }}"
        run_id: "{{ maintenance_lock.lock.run_id }}"
        state: absent
      when: maintenance_lock.lock is defined

- name: An operator clears the lock of a crashed run
  phonebill.platform.maintenance_lock:
    resource_group: rg-phonebill-prod
    owner: ops-oncall
    run_id: manual
    state: absent
    force: true
'''

RETURN = r'''
lock:
  description: The lock this run holds (O(state=present)), with C(owner), C(run_id), C(expires) and the tag C(value).
  returned: when O(state=present)
  type: dict
  sample: {owner: awx@phonebill-ops, run_id: awx-job-4711, expires: '2026-12-05T19:30:00Z',
           value: 'awx@phonebill-ops|awx-job-4711|2026-12-05T19:30:00Z'}
holder:
  description: Who holds the lock when the module refuses (another live holder, or the winner of a race).
  returned: on refusal
  type: dict
previous:
  description: The lock found before (a stale lock taken over, or the lock released); null when there was none.
  returned: always
  type: dict
'''

import datetime
import time

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.maintenance_lock import (
    TAG, Lock, parse, problems, release_decision, take_decision)


class GroupTags:
    """The resource group's tags, read and written as a whole (ARM replaces the tag set a PATCH states)."""

    def __init__(self, module):
        self.module = module
        self.name = module.params['resource_group']
        self.groups = module.client('resource').resource_groups

    def read(self):
        group = to_rest(self.module.get_or_none('read resource group %s' % self.name, self.groups.get, self.name))
        if group is None:
            self.module.fail('resource_group: %s does not exist; state the platform resource group' % self.name)
        return dict(group.get('tags') or {})

    def write(self, tags):
        self.module.call('write the tags of resource group %s' % self.name, self.groups.update, self.name, {'tags': tags})


def as_dict(lock):
    return lock.as_dict() if lock else None


def take(module, tags):
    params = module.params
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    current = tags.read()
    decision, previous, why = take_decision(current.get(TAG), params['owner'], params['run_id'], now)
    if decision == 'refuse':
        module.fail('%s: the maintenance lock is %s; wait for that run to end, or clear it if it crashed (state=absent, '
                    'force=true)' % (tags.name, why), holder=as_dict(previous), previous=as_dict(previous))
    if decision == 'hold':
        module.exit(changed=False, lock=as_dict(previous), previous=as_dict(previous))
    lock = Lock(params['owner'], params['run_id'], now + datetime.timedelta(minutes=params['ttl_minutes']))
    result = dict(changed=True, lock=lock.as_dict(), previous=as_dict(previous))
    if module.diff_mode:
        result['diff'] = dict(before={TAG: current.get(TAG)}, after={TAG: lock.value})
    if why:
        module.warn('%s: %s' % (tags.name, why))
    if module.check_mode:
        module.exit(**result)
    current[TAG] = lock.value
    tags.write(current)
    time.sleep(params['verify_delay_seconds'])
    found = tags.read().get(TAG)
    if found != lock.value:
        winner = parse(found)
        module.fail('%s: the maintenance lock was taken by another run at the same time: %s'
                    % (tags.name, winner.describe() if winner else 'its tag now holds %r' % found),
                    holder=as_dict(winner), previous=as_dict(previous))
    module.exit(**result)


def release(module, tags):
    params = module.params
    current = tags.read()
    decision, previous = release_decision(current.get(TAG), params['owner'], params['run_id'], params['force'])
    if decision == 'refuse':
        module.fail('%s: the maintenance lock is held by %s, not by this run (%s, run %s); it stays (force=true '
                    'releases it)' % (tags.name, previous.describe(), params['owner'], params['run_id']),
                    holder=as_dict(previous), previous=as_dict(previous))
    result = dict(changed=decision == 'release', previous=as_dict(previous))
    if decision == 'release':
        if module.diff_mode:
            result['diff'] = dict(before={TAG: current[TAG]}, after={TAG: None})
        if previous and not previous.held_by(params['owner'], params['run_id']):
            module.warn('%s: maintenance lock of %s released by force' % (tags.name, previous.describe()))
        if not module.check_mode:
            del current[TAG]
            tags.write(current)
    module.exit(**result)


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            resource_group=dict(type='str', required=True),
            owner=dict(type='str', required=True),
            run_id=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            ttl_minutes=dict(type='int', default=150),
            force=dict(type='bool', default=False),
            verify_delay_seconds=dict(type='int', default=5),
        ),
    )
    module.fail_on(problems(module.params))
    tags = GroupTags(module)
    if module.params['state'] == 'present':
        take(module, tags)
    release(module, tags)


if __name__ == '__main__':
    main()
