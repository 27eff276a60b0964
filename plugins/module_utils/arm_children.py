# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Child resources Azure keeps behind their own operations, reported with their parent.

DNS zone links, private DNS zone groups and registry replications each go
through the core `reconcile`, so children get the same check mode, settling,
immutability and diff behaviour as their parent; their differences appear
under the parent's option (`replications[koreasouth].tags.a`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.validation import same


class ModuleView:
    """The module as a child resource sees it: the same clients and policies, its own `state`."""

    def __init__(self, module, **params):
        self._module = module
        self.params = dict(module.params, **params)

    def __getattr__(self, name):
        return getattr(self._module, name)


def prefixed(differences, prefix):
    """Child differences with paths under the parent's option."""
    return [dict(d, path='%s.%s' % (prefix, d['path']) if d['path'] else prefix) for d in differences]


def reconcile_children(module, option, make, wanted, existing=(), purge=False, keep=()):
    """Reconcile a named set of child resources, each through the core `reconcile`.

    option names the set in differences; make(key, item) builds the ArmResource of one
    child (item None for one to delete); wanted maps each stated key to its item; existing
    lists the keys of the children in Azure, or maps them to the documents the parent's
    list call returned: each child then starts from its listed document (or from none, when
    the list lacks it) instead of a GET of its own. Existing keys not wanted (without case)
    and not in keep are deleted with purge, else reported as unmanaged.
    Returns dict(changed, differences, resources, before, unmanaged).
    """
    combined = dict(changed=False, differences=[], resources=[], before=[], unmanaged=[])

    def add(key, result):
        combined['changed'] = combined['changed'] or result['changed']
        combined['differences'].extend(prefixed(result['differences'], '%s[%s]' % (option, key)))
        if result.get('diff', {}).get('before'):
            combined['before'].append(result['diff']['before'])
        return result

    for key, item in wanted.items():
        child = make(key, item)
        if isinstance(existing, dict):
            child.listed = next((existing[other] for other in existing if same(key, other)), None)
        combined['resources'].append(add(key, reconcile(ModuleView(module, state='present'), child))['resource'])
    for key in existing:
        if any(same(key, other) for other in list(wanted) + list(keep)):
            continue
        if purge:
            add(key, reconcile(ModuleView(module, state='absent'), make(key, None)))
        else:
            combined['unmanaged'].append(key)
    return combined
