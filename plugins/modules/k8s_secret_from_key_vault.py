#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: k8s_secret_from_key_vault
short_description: Write a Kubernetes Secret from Azure Key Vault secrets
version_added: 0.2.0
description:
  - Reads the Key Vault secrets named in O(keys) (the version consumers read of each, see O(keys)) and server-side applies a Kubernetes
    Secret (type C(Opaque)) whose keys hold their values. The values go from Key Vault to the API server inside the
    module only; they never pass through Ansible variables and are never in the result, the diff, a warning or a
    failure message, at any verbosity. The result and the diff list the keys with C(changed) V(yes) or V(no).
  - The Secret records the Key Vault secret ids (vault, name and version) it was copied from in the annotation
    C(platform.phonebill.io/key-vault-versions), so a new version in Key Vault is a change, and the rotation layer can
    tell what the pods hold. RV(revision), a digest of that record, is meant for the pod template of the deployments
    that read the Secret, so a new version rolls exactly those deployments.
  - Whether the Secret changes is decided by a server-side dry run of the apply compared with the live Secret, in
    memory. A key edited or removed by hand is written back (the module applies with C(force) and owns the keys of
    O(keys)); keys others added are left as they are. A key dropped from O(keys) is removed from the Secret.
  - Check mode is the same server-side dry run; nothing is written. In a namespace that does not exist yet (check
    mode of a first run), the Secret is predicted as created without the API server validating it.
options:
  vault_uri:
    description:
      - URI of the vault (the RV(phonebill.platform.key_vault#module:vault_uri) of the vault).
      - Required with O(state=present), unless it is listed in O(unknown) in check mode.
    type: str
  name:
    description: Name of the Secret.
    type: str
    required: true
  namespace:
    description: Namespace of the Secret. It must exist (the workloads role creates it first).
    type: str
    required: true
  keys:
    description:
      - The keys of the Secret, each mapped to the name of the Key Vault secret whose current value it holds, for
        example C(DB_PASSWORD) to C(database-password-auth-service). Required with O(state=present).
      - Secret keys are letters, digits, C(-), C(_) and C(.) (at most 253); Key Vault names 1-127 letters, digits and
        C(-).
      - The version read is the newest enabled version that a rotation did not leave C(pending) or C(rolled-back)
        (tag C(rotation-state), see M(phonebill.platform.key_vault_rotation)); a rotation's new value reaches the
        pods only once it is valid where it is used.
      - A name may be followed by C(#previous), the enabled version before that one (the one itself when there is
        none; a JWT signing key still verifying tokens), and by C(#tag:<tag>), that version's tag instead of its value
        (the C(login) a rotated PostgreSQL password belongs to), and C(=<default>) for a version without that tag,
        e.g. C(DB_USER) to C(database-password-auth-service#tag:login=auth_service_blue).
      - A Key Vault secret that does not exist, or has no enabled version, or a tag the version does not have, fails
        the task naming it before anything is written.
    type: dict
  labels:
    description: Labels of the Secret.
    type: dict
    default: {}
  annotations:
    description: Annotations of the Secret, besides the one the module records the versions in.
    type: dict
    default: {}
  field_manager:
    description: Field manager of the apply; the owner of the keys of O(keys), the labels and the annotations.
    type: str
    default: phonebill-key-vault
  unknown:
    description:
      - Options whose value check mode cannot know because it comes from a resource check mode did not create;
        V(vault_uri) for a vault not created yet.
      - In check mode the Secret is then predicted as created, or changed when it exists (a new vault holds new
        values), with RV(revision) C((known after a real run)); Key Vault is not called and nothing is written.
      - A real run fails on any option listed here before it calls Azure or Kubernetes.
    type: list
    elements: str
    choices: [vault_uri]
    default: []
  state:
    description: Whether the Secret should exist. V(absent) deletes it (Key Vault is not called).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.k8s
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
notes:
  - The Azure identity needs the Key Vault Secrets User role on the vault (or the get secret permission); the
    Kubernetes identity needs get, patch and (for O(state=absent)) delete on Secrets of the namespace.
requirements:
  - azure-keyvault-secrets >= 4.10, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The auth service's Secret from Key Vault
  phonebill.platform.k8s_secret_from_key_vault:
    kubeconfig: "{{ phonebill_kubeconfig }}"
    vault_uri: "{{ vault.vault_uri }}"
    name: auth-service-secrets
    namespace: phonebill-prod
    keys:
      JWT_SIGNING_KEY: jwt-signing-key
      DB_PASSWORD: database-password-auth-service
      REDIS_AUTH_KEY: redis-auth-key
    labels:
      app.kubernetes.io/part-of: phonebill
  register: auth_secret

- name: Check mode before the vault exists (predicted; a real run needs the vault)
  phonebill.platform.k8s_secret_from_key_vault:
    vault_uri: "{{ vault_uri if vault_uri else omit }}"
    unknown: "{{ [] if vault_uri else ['vault_uri'] }}"
    name: kos-mock-service-secrets
    namespace: phonebill-prod
    keys: {KOS_MOCK_CONFIG: kos-mock-config}

- name: Remove a retired service's Secret
  phonebill.platform.k8s_secret_from_key_vault:
    name: legacy-service-secrets
    namespace: phonebill-prod
    state: absent
'''

RETURN = r'''
action:
  description: What was (or, in check mode, would be) done to the Secret.
  returned: always
  type: str
  choices: [created, updated, unchanged, deleted, absent]
keys:
  description: The keys of O(keys), each with the Key Vault secret and version it holds and whether its value changed.
  returned: when O(state=present)
  type: list
  elements: dict
  sample:
    - {key: DB_PASSWORD, key_vault_secret: database-password-auth-service, version: 4387e9f3d6e14c459867679a90fd0f79, changed: false}
    - {key: JWT_SIGNING_KEY, key_vault_secret: jwt-signing-key, version: 0c1e5b2a9d8f4e7b8a6c5d4e3f2a1b0c, changed: true}
removed_keys:
  description: Keys the module wrote before that O(keys) no longer names, removed from the Secret.
  returned: when O(state=present)
  type: list
  elements: str
versions:
  description: The value of the annotation C(platform.phonebill.io/key-vault-versions) (JSON of secret key to Key Vault secret id).
  returned: when O(state=present) and the vault is known
  type: str
revision:
  description:
    - Digest of RV(versions) (ids only, never a value). Put it in the pod template of the deployments that read the
      Secret (annotation C(platform.phonebill.io/secrets-revision)) to roll them when a version changes.
    - C((known after a real run)) in check mode when O(unknown) lists V(vault_uri).
  returned: when O(state=present)
  type: str
  sample: 3f9a1c07d2b84e65
validated:
  description: Whether the API server validated the Secret (false when check mode predicts it in a namespace not created yet).
  returned: when O(state=present)
  type: bool
differences:
  description: The paths of the Secret that differ, values of C(data) masked.
  returned: always
  type: list
  elements: dict
  sample: [{path: data.DB_PASSWORD, before: '********', after: '******** (changed)'}]
'''

import base64
import hmac

from ansible_collections.phonebill.platform.plugins.module_utils import k8s_key_vault, keyvault_data, rotation, sdk, unknown
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_apply import MASK, Applier

CHANGED = 'changed: yes'
UNCHANGED = 'changed: no'


def validate(params, check_mode):
    """Input problems found before any call to Azure or Kubernetes."""
    found = k8s_key_vault.secret_name_problems('name', params['name'])
    found += k8s_key_vault.secret_name_problems('namespace', params['namespace'])
    if params['state'] == 'absent':
        return found
    found += keyvault_data.vault_uri_problems('vault_uri', params['vault_uri'])
    found += k8s_key_vault.keys_problems('keys', params['keys'])
    found += unknown.unknown_problems(params, check_mode, required=('vault_uri',))
    return found


def read_vault(azure, params):
    """{secret key: (Key Vault secret id, value)}; every selector that cannot be read fails the task, named.

    Each Key Vault secret is read at the version consumers read (rotation.consumed: the newest enabled version
    that no rotation left pending or rolled back), or the one before it for #previous; #tag:<tag> gives that
    version's tag instead of its value.
    """
    exceptions = azure.require(sdk.CORE_EXCEPTIONS)
    client = keyvault_data.client(azure, keyvault_data.SECRETS, params['vault_uri'])
    read, problems = {}, []
    for selector in sorted(set(params['keys'].values())):
        vault_name, previous, tag, default = rotation.selector_parts(selector)
        action = 'read Key Vault secret %s of %s' % (vault_name, params['vault_uri'])
        try:
            version = keyvault_data.chosen_version(client, vault_name, previous)
            if version is not None and tag is None:
                value = client.get_secret(vault_name, version['version']).value
        except exceptions.ResourceNotFoundError:
            problems.append('keys: Key Vault secret %s does not exist in %s; create it (the keyvault role writes it) or map '
                            'the key to an existing secret' % (vault_name, params['vault_uri']))
            continue
        except exceptions.AzureError as exc:
            azure.fail_with(exc, action)
        if version is None:
            problems.append('keys: Key Vault secret %s of %s has no enabled version that is not pending or rolled back; '
                            'enable a version or set a new one' % (vault_name, params['vault_uri']))
            continue
        if tag is not None:
            value = (version['tags'] or {}).get(tag, default)
            if value is None:
                problems.append('keys: version %s of Key Vault secret %s has no tag %s; map the key to a tag it has'
                                % (version['version'], vault_name, tag))
                continue
        read[selector] = (version['id'] + ('#tag:%s' % tag if tag else ''), value)
    azure.fail_on(problems)
    return dict((key, read[selector]) for key, selector in params['keys'].items())


def encoded(value):
    return base64.b64encode(value.encode('utf-8')).decode('ascii')


def manifest(params, data, versions):
    annotations = dict(params['annotations'])
    if versions is not None:
        annotations[k8s_key_vault.VERSIONS_ANNOTATION] = versions
    return dict(apiVersion='v1', kind='Secret', type='Opaque', data=data,
                metadata=dict(name=params['name'], namespace=params['namespace'], labels=params['labels'],
                              annotations=annotations))


def data_of(obj):
    return (obj or {}).get('data') or {}


def same(first, second):
    """Two base64 values compared in constant time (never copied out)."""
    return first is not None and second is not None and hmac.compare_digest(first.encode('ascii'), second.encode('ascii'))


def key_report(params, copied, before, after, predicted_all):
    """[{key, key_vault_secret, version, changed}] without any value."""
    reports = []
    for key, vault_name in sorted(params['keys'].items()):
        secret_id = copied[key][0] if copied else None
        changed = predicted_all or not same(data_of(before).get(key), data_of(after).get(key))
        reports.append(dict(key=key, key_vault_secret=vault_name, changed=changed,
                            version=secret_id.rstrip('/').rsplit('/', 1)[-1] if secret_id else unknown.UNKNOWN))
    return reports


def shown_diff(before, after, params, keys):
    """--diff of the Secret: labels and annotations as they are, data keys only, each 'changed: yes/no'."""
    def meta(obj, field):
        return ((obj or {}).get('metadata') or {}).get(field) or {}
    return dict(before=dict(labels=meta(before, 'labels'), annotations=meta(before, 'annotations'),
                            data=dict((key, MASK) for key in data_of(before))) if before else {},
                after=dict(labels=meta(after, 'labels') if after else params['labels'],
                           annotations=meta(after, 'annotations') if after else params['annotations'],
                           data=dict((k['key'], CHANGED if k['changed'] else UNCHANGED) for k in keys)))


def namespace_pending(k8s, namespace):
    """Check mode only: whether the namespace is not created yet (the server cannot dry-run into it)."""
    resource = k8s.resource('v1', 'Namespace')
    return k8s.get_or_none('read Namespace %s' % namespace, k8s.dynamic.get, resource, name=namespace) is None


def ensure_present(k8s, copied):
    params = k8s.params
    applier = Applier(k8s, params['field_manager'], force_conflicts=True)
    if k8s.check_mode and namespace_pending(k8s, params['namespace']):
        applier.pending_namespaces.add(params['namespace'])
    if copied is None:  # check mode, vault not created yet: a new vault holds new values
        resource, obj = applier.place(manifest(params, {}, None))
        before = applier.read(resource, obj) if params['namespace'] not in applier.pending_namespaces else None
        versions, revision = None, unknown.UNKNOWN
        report = dict(action='created' if before is None else 'updated', validated=False,
                      differences=[dict(path='data', before=MASK if before else None, after=unknown.UNKNOWN)])
        after = None
    else:
        versions = k8s_key_vault.versions_annotation(dict((key, copied[key][0]) for key in copied))
        revision = k8s_key_vault.revision(versions)
        data = dict((key, encoded(copied[key][1])) for key in copied)
        report, before, after = applier.apply(manifest(params, data, versions))
    predicted_all = copied is None or not report['validated']
    keys = key_report(params, copied, before, after, predicted_all)
    removed = sorted(k for k in data_of(before) if k not in params['keys'] and after is not None and k not in data_of(after))
    result = dict(changed=report['action'] != 'unchanged', action=report['action'], keys=keys, removed_keys=removed,
                  revision=revision, validated=report['validated'], differences=report['differences'])
    if versions is not None:
        result['versions'] = versions
    if k8s.diff_mode:
        result['diff'] = shown_diff(before, after if report['validated'] else None, params, keys)
    return result


def ensure_absent(k8s):
    params = k8s.params
    applier = Applier(k8s, params['field_manager'])
    resource, obj = applier.place(manifest(params, {}, None))
    before = applier.read(resource, obj)
    if before is None:
        return dict(changed=False, action='absent', differences=[])
    applier.delete(dict(apiVersion='v1', kind='Secret', name=params['name'], namespace=params['namespace']))
    result = dict(changed=True, action='deleted', differences=[dict(path='', before='<exists>', after='<absent>')])
    if k8s.diff_mode:
        result['diff'] = dict(before=dict(data=dict((key, MASK) for key in data_of(before))), after={})
    return result


def main():
    k8s, azure = k8s_key_vault.modules(
        dict(
            vault_uri=dict(type='str'),
            name=dict(type='str', required=True),
            namespace=dict(type='str', required=True),
            keys=dict(type='dict', no_log=False),
            labels=dict(type='dict', default={}),
            annotations=dict(type='dict', default={}),
            field_manager=dict(type='str', default='phonebill-key-vault'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            **unknown.unknown_spec(['vault_uri'])
        ),
        supports_check_mode=True,
    )
    params = k8s.params
    k8s.fail_on(validate(params, k8s.check_mode))
    if params['state'] == 'absent':
        k8s.exit(**ensure_absent(k8s))
    copied = None if params['unknown'] else read_vault(azure, params)
    if copied:
        k8s.hide(v for _ignored, value in copied.values() for v in (value, encoded(value)))
    k8s.exit(**ensure_present(k8s, copied))


if __name__ == '__main__':
    main()
