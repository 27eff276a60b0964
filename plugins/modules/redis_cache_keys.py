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
  - Azure refuses C(regenerateKey) while an operation runs on the cache (scaling, patching, an update from
    C(site.yml)); the module waits for it first, within O(timeout), and never regenerates over it.
  - With O(vault_uri) and O(secret_name), writes the key in use (O(stored_key), after any regeneration) into that
    Key Vault secret when the secret does not hold it yet; the secret's current value is read and compared in memory,
    and a new version is written only when it differs. The key goes from Azure Cache for Redis to Key Vault inside
    the module and never through an Ansible variable.
  - The keys themselves are never returned, at any verbosity. The values are also registered with Ansible as secrets,
    so any message that might contain one is masked.
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
  vault_uri:
    description:
      - URI of the vault to store the key in (the RV(phonebill.platform.key_vault#module:vault_uri) the key_vault
        module returns). Needs O(secret_name).
      - The module's identity needs the Key Vault Secrets Officer role on the vault.
    type: str
  secret_name:
    description: Name of the secret that holds the key (1-127 letters, digits and C(-)). Needs O(vault_uri).
    type: str
  secret_tags:
    description:
      - Tags of a new version written in the secret, added to those of the version before it (a rotation's journal,
        see M(phonebill.platform.key_vault_rotation), and C(redis-key), which key it holds).
    type: dict
    default: {}
  stored_key:
    description: Which key the secret holds, the one the applications use.
    type: str
    choices: [primary, secondary]
    default: primary
  accept_other_key:
    description:
      - Leave the secret as it is when it holds the other key, still valid (a rotation, see
        M(phonebill.platform.key_vault_rotation), moved the applications to it); O(stored_key) is then only the key
        written into a secret that holds neither.
      - Without it, a secret holding the other key gets O(stored_key), which undoes such a rotation.
    type: bool
    default: false
  unknown:
    description:
      - What check mode cannot know because it comes from a resource check mode did not create; V(vault_uri) for a
        vault not created yet, V(keys) for the access keys of a cache not created yet.
      - Nothing is read of what is unknown; storing the key is predicted as a change when either is unknown.
      - A real run fails on anything listed here before it calls Azure.
    type: list
    elements: str
    choices: [vault_uri, keys]
    default: []
  timeout:
    description:
      - Seconds to wait, before regenerating, for an operation running on the cache (any provisioning state other
        than Succeeded, Failed or Canceled). When it outlasts this time the module fails naming it, and nothing is
        regenerated.
    type: int
    default: 1800
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: With O(regenerate), nothing is regenerated; C(changed) says a key would be. Nothing is stored in Key Vault;
      RV(stored) says whether it would be.
  diff_mode:
    support: full
    details: Shows the fingerprints before and after, never a key.
  platform:
    platforms: posix
requirements:
  - azure-mgmt-redis >= 14.5, < 15
  - azure-keyvault-secrets >= 4.10, < 5 (with O(vault_uri))
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

- name: The key the services use, kept in Key Vault (written only when the secret does not hold it)
  phonebill.platform.redis_cache_keys:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
    vault_uri: https://kv-phonebill-prod.vault.azure.net/
    secret_name: redis-auth-key
    stored_key: primary

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
operations_in_progress:
  description: In check mode with O(regenerate), what runs on the cache now, which a real run waits for first.
  returned: in check mode, when an operation runs on the cache
  type: list
  elements: str
  sample: [Redis cache redis-phonebill-prod is Scaling]
stored:
  description: Whether a new version of O(secret_name) was (or, in check mode, would be) written with the key. The key
    itself is never returned.
  returned: when O(vault_uri) is given or listed in O(unknown)
  type: bool
'''

import hashlib
import hmac

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_data, sdk, unknown, waiter
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems

KEY_FIELDS = {'primary': 'primaryKey', 'secondary': 'secondaryKey'}
OTHER_KEY = {'primary': 'secondary', 'secondary': 'primary'}


def fingerprint(key):
    """A short SHA-256 of a key: equal keys match, and the key cannot be recovered from it."""
    return 'sha256:' + hashlib.sha256(str(key).encode('utf-8')).hexdigest()[:16] if key else None


def validate(params, check_mode):
    """Input errors that need no call to Azure, as problems."""
    found = (name_problems('name', params['name'], 'redis_cache')
             + name_problems('resource_group', params['resource_group'], 'resource_group')
             + keyvault_data.vault_uri_problems('vault_uri', params['vault_uri'])
             + name_problems('secret_name', params['secret_name'], 'key_vault_object', 'secret name')
             + tag_problems('secret_tags', params['secret_tags'])
             + unknown.unknown_problems(params, check_mode))
    storing = params['vault_uri'] is not None or 'vault_uri' in params['unknown']
    if storing and not params['secret_name']:
        found.append('secret_name: required to store the key in the vault; name the secret')
    if params['secret_name'] and not storing:
        found.append('vault_uri: required to store the key in secret %s; give the vault URI' % params['secret_name'])
    return found


def keys_of(module, answer):
    """The keys of a listKeys/regenerateKey answer by which key; they become values Ansible masks."""
    keys = to_rest(answer) or {}
    module.ansible.no_log_values.update(value for value in keys.values() if value)
    return dict((which, keys.get(field)) for which, field in KEY_FIELDS.items())


def fingerprints_of(keys):
    return dict((which, fingerprint(key)) for which, key in keys.items())


def store(module, key, also_in_sync=None):
    """Write key into the secret unless its current value is key (or also_in_sync) already; whether it was (would be) written."""
    params = module.params
    label = 'secret %s of %s' % (params['secret_name'], params['vault_uri'])
    client = keyvault_data.client(module, keyvault_data.SECRETS, params['vault_uri'])
    exceptions = module.require(sdk.CORE_EXCEPTIONS)

    def current():
        """(value, tags) of the version consumers read; (None, {}) when there is none."""
        try:
            version = keyvault_data.chosen_version(client, params['secret_name'])
        except exceptions.ResourceNotFoundError:
            version = None
        if version is None:
            return None, {}
        return client.get_secret(params['secret_name'], version['version']).value, version['tags']

    value, tags = module.call('read %s' % label, current)
    if value is not None and any(hmac.compare_digest(value.encode('utf-8'), held.encode('utf-8'))
                                 for held in (key, also_in_sync) if held):
        return False
    tags = dict(tags, **params['secret_tags']) if params['secret_tags'] else None
    if not module.check_mode:
        module.call('set %s' % label, lambda: client.set_secret(params['secret_name'], key, content_type='text/plain', tags=tags))
    return True


def operations_on(module, where, label):
    """What runs on the cache now (`waiter.running` lines): Azure answers 409 to a regenerateKey meanwhile."""
    return waiter.running(label, to_rest(module.call('read %s' % label, module.client('redis').redis.get, *where)))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            regenerate=dict(type='str', choices=list(KEY_FIELDS)),
            vault_uri=dict(type='str'),
            secret_name=dict(type='str'),
            stored_key=dict(type='str', choices=list(KEY_FIELDS), default='primary'),
            accept_other_key=dict(type='bool', default=False),
            secret_tags=dict(type='dict', default={}, no_log=False),
            timeout=dict(type='int', default=1800),
            **unknown.unknown_spec(['vault_uri', 'keys'])
        ),
    )
    params = module.params
    module.fail_on(validate(params, module.check_mode))
    where, label = (params['resource_group'], params['name']), 'Redis cache %s' % params['name']
    # a cache check mode only predicts has no keys to read yet
    keys = (dict.fromkeys(KEY_FIELDS) if 'keys' in params['unknown'] else
            keys_of(module, module.call('list the keys of %s' % label, module.client('redis').redis.list_keys, *where)))
    before = fingerprints_of(keys)
    result = dict(changed=False, fingerprints=before)
    which = params['regenerate']
    if which:
        result.update(changed=True, regenerated=which)
        running = operations_on(module, where, label)
        if running and module.check_mode:
            module.warn('an operation is in progress (%s); a real run waits for it (within timeout) before it regenerates'
                        % '; '.join(running))
            result['operations_in_progress'] = running
        elif running:
            module.settle('wait for the operation running on %s' % label, lambda: operations_on(module, where, label))
        if not module.check_mode:
            keys = keys_of(module, module.call('regenerate the %s key of %s' % (which, label),
                                               module.client('redis').redis.regenerate_key,
                                               *(where + ({'keyType': which.capitalize()},))))
            result['fingerprints'] = fingerprints_of(keys)
    if params['vault_uri'] or 'vault_uri' in params['unknown']:
        # a key check mode regenerates, or cannot read, differs from what the vault holds
        unknowable = params['unknown'] or (module.check_mode and which == params['stored_key'])
        other = keys[OTHER_KEY[params['stored_key']]] if params['accept_other_key'] and which is None else None
        result['stored'] = True if unknowable else store(module, keys[params['stored_key']], also_in_sync=other)
        result['changed'] = result['changed'] or result['stored']
    if module.diff_mode:
        result['diff'] = dict(before=before, after=result['fingerprints'] if not module.check_mode or not which
                              else dict(before, **{which: '(new key)'}))
    module.exit(**result)


if __name__ == '__main__':
    main()
