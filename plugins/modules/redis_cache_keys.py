#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: redis_cache_keys
short_description: Regenerate an access key of an Azure Cache for Redis, or tell its keys apart, without returning them
version_added: 0.1.0
description:
  - Without O(regenerate), reads the cache's access keys (C(listKeys)) and returns only a fingerprint of each, so a
    playbook can tell whether a key changed, or whether the value a vault holds is the current key, without the key
    ever reaching Ansible's output.
  - With O(regenerate), asks Azure for a new primary or secondary key (C(regenerateKey)). This is an explicit
    action, not a state; every run with O(regenerate) makes a new key and reports a change. In check mode nothing
    is regenerated; the result says it would be.
  - The keys themselves are never returned, at any verbosity. Whatever needs a key (the rotation that stores it
    in Key Vault) reads it through the SDK itself. The values are also registered with Ansible as secrets, so any
    message that might contain one is masked.
options:
  name:
    description: Name of the cache.
    type: str
    required: true
  resource_group:
    description: Resource group of the cache.
    type: str
    required: true
  regenerate:
    description:
      - Regenerate this key. Clients using it are cut off until they get the new one; rotate by moving clients to
        the other key first.
      - Left out, the keys are only read.
    type: str
    choices: [primary, secondary]
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: With O(regenerate), nothing is regenerated; C(changed) says a key would be.
  diff_mode:
    support: full
    details: Shows the fingerprints before and after, never a key.
  platform:
    platforms: posix
requirements:
  - azure-mgmt-redis >= 14.5, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Fingerprints of the keys before the rotation
  phonebill.platform.redis_cache_keys:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
  register: before

- name: New secondary key (clients are on the primary)
  phonebill.platform.redis_cache_keys:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
    regenerate: secondary
  register: rotated

- name: The secondary key changed, the primary did not
  ansible.builtin.assert:
    that:
      - rotated.fingerprints.secondary != before.fingerprints.secondary
      - rotated.fingerprints.primary == before.fingerprints.primary
'''

RETURN = r'''
fingerprints:
  description:
    - C(sha256:) and the first 16 hex digits of the SHA-256 of each key, which tell keys apart and cannot give the
      key back.
    - After O(regenerate), those of the new keys; in check mode, those of the current keys.
  returned: success
  type: dict
  sample: {primary: "sha256:3f9a0c21d4e5b6a7", secondary: "sha256:0b1c2d3e4f5a6b7c"}
regenerated:
  description: The key that was (or, in check mode, would be) regenerated.
  returned: when O(regenerate) is given
  type: str
  sample: secondary
'''

import hashlib

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems

KEY_FIELDS = {'primary': 'primaryKey', 'secondary': 'secondaryKey'}


def fingerprint(key):
    """A short SHA-256 of a key: equal keys match, and the key cannot be recovered from it."""
    return 'sha256:' + hashlib.sha256(str(key).encode('utf-8')).hexdigest()[:16] if key else None


def validate(params):
    """Input errors that need no call to Azure, as problems."""
    return (name_problems('name', params['name'], 'redis_cache')
            + name_problems('resource_group', params['resource_group'], 'resource_group'))


def fingerprints_of(module, keys):
    """The fingerprints of a listKeys/regenerateKey answer; the keys become values Ansible masks."""
    keys = to_rest(keys) or {}
    module.ansible.no_log_values.update(value for value in keys.values() if value)
    return dict((which, fingerprint(keys.get(field))) for which, field in KEY_FIELDS.items())


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            regenerate=dict(type='str', choices=list(KEY_FIELDS)),
        ),
    )
    module.fail_on(validate(module.params))
    params = module.params
    where, label = (params['resource_group'], params['name']), 'Redis cache %s' % params['name']
    operations = module.client('redis').redis
    before = fingerprints_of(module, module.call('list the keys of %s' % label, operations.list_keys, *where))
    result = dict(changed=False, fingerprints=before)
    which = params['regenerate']
    if which:
        result.update(changed=True, regenerated=which)
        if not module.check_mode:
            answer = module.call('regenerate the %s key of %s' % (which, label), operations.regenerate_key,
                                 *(where + ({'keyType': which.capitalize()},)))
            result['fingerprints'] = fingerprints_of(module, answer)
    if module.diff_mode:
        result['diff'] = dict(before=before, after=result['fingerprints'] if not module.check_mode or not which
                              else dict(before, **{which: '(new key)'}))
    module.exit(**result)


if __name__ == '__main__':
    main()
