# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubernetes Secrets copied from Key Vault: the mapping rules, the record of what was copied, one task on both sides.

The checks are pure (the k8s_secret_from_key_vault module and the workloads preflight call the same
functions). What a Secret holds is recorded by the Key Vault secret ids (vault, name, version) it was
copied from, never by its values: the annotation tells the rotation layer what the pods hold, and its
digest, put in the pod template, rolls exactly the deployments whose Secret got new versions.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re

from ansible_collections.phonebill.platform.plugins.module_utils import rotation
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AUTH_ARGUMENT_SPEC, AzureModule
from ansible_collections.phonebill.platform.plugins.module_utils.k8s_client import K8sModule
from ansible_collections.phonebill.platform.plugins.module_utils.validation import described, name_problem

#: on the Secret: {secret key: Key Vault secret id (vault URI, name and version)} it was copied from
VERSIONS_ANNOTATION = 'platform.phonebill.io/key-vault-versions'
#: on a pod template: the revisions of the Secrets its pods read (a new revision rolls the deployment)
REVISION_ANNOTATION = 'platform.phonebill.io/secrets-revision'

# Kubernetes object names (DNS subdomain, RFC 1123) and Secret keys (IsConfigMapKey).
DNS_SUBDOMAIN = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
SECRET_KEY = re.compile(r'^[-._a-zA-Z0-9]+$')
NAME_MAX = 253


def secret_name_problems(option, name):
    if isinstance(name, str) and len(name) <= NAME_MAX and DNS_SUBDOMAIN.match(name):
        return []
    return ['%s: %r is not a Kubernetes Secret name; use at most 253 lower-case letters, digits, - and ., starting and '
            'ending with a letter or digit (e.g. auth-service-secrets)' % (option, name)]


def secret_key_problem(key):
    """Why key cannot be a key of a Secret's data, or None."""
    if not isinstance(key, str) or not SECRET_KEY.match(key) or len(key) > NAME_MAX:
        return '%r is not a Secret key; use at most 253 letters, digits, -, _ and . (e.g. DB_PASSWORD)' % (key,)
    if key in ('.', '..') or key.startswith('..'):
        return '%r is not a Secret key; it cannot be . or .. or start with ..' % key
    return None


def keys_problems(option, keys):
    """The mapping {Secret key: Key Vault secret selector}: its shape, every key and every selector.

    A selector is a Key Vault secret name, optionally followed by #previous (the version before the one
    consumers read, while it is enabled: a JWT key still verifying) and #tag:<tag>[=<default>] (a tag of that
    version instead of its value: the login a rotated PostgreSQL password belongs to).
    """
    if not isinstance(keys, dict) or not keys:
        return ['%s must be a mapping of Secret keys to Key Vault secret names, e.g. {DB_PASSWORD: '
                'database-password-auth-service}, not %s' % (option, 'an empty one' if keys == {} else described(keys))]
    found = []
    for key, vault_name in keys.items():
        where = '%s.%s' % (option, key)
        problem = secret_key_problem(key)
        if problem:
            found.append('%s: %s' % (where, problem))
        parts = rotation.selector_parts(vault_name)
        problem = name_problem(parts[0] if parts else vault_name, 'key_vault_object', 'Key Vault secret name')
        if problem:
            found.append('%s: %s; optionally followed by #previous and #tag:<tag>[=<default>]' % (where, problem))
    return found


def versions_annotation(copied):
    """The annotation value: {secret key: Key Vault secret id}, sorted, compact."""
    return json.dumps(copied, sort_keys=True, separators=(',', ':'))


def revision(annotation):
    """What the pod template carries for a Secret: a digest of its versions annotation (ids only, no value)."""
    return hashlib.sha256(annotation.encode('utf-8')).hexdigest()[:16]


def modules(argument_spec, **kwargs):
    """(K8sModule, AzureModule) of one task: one AnsibleModule with both families' options.

    Each keeps its own client and error handling (Kubernetes API status, Azure error code); both
    fail, warn and exit through the same AnsibleModule.
    """
    k8s = K8sModule(dict(AUTH_ARGUMENT_SPEC, **argument_spec), **kwargs)
    azure = AzureModule(None, ansible=k8s.ansible, default_timeout=k8s.default_timeout)
    return k8s, azure
