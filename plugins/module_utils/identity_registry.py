# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the identity and registry modules share beyond the core.

Input checks that need no call to Azure (names, GUIDs, https URLs, tags),
REST bodies without unstated (None) values, a numeric comparison rule, the
lookup the `*_info` modules do, and the reconciliation of a named set of child
resources (registry replications) through the core's `reconcile`, so that
children get the same check mode, settling, immutability and diff behaviour
as their parent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from urllib.parse import urlparse

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import to_rest

# user-assigned identity names, shared by the identity and federated credential modules
IDENTITY_NAME = r'^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$'
IDENTITY_NAME_RULE = 'use 3-128 letters, digits, - and _, starting with a letter or digit'

GUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')


class Number(compare.Rule):
    """Numbers Azure returns as floats (5 / 5.0)."""

    def normalize(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        return float(value)


NUMBER = Number()


def check_name(module, option, value, pattern, rule):
    """Fail with option name and the naming rule unless value matches pattern."""
    if value is not None and not re.match(pattern, value):
        module.fail('%s: %r is not a valid name; %s' % (option, value, rule))


def check_guid(module, option, value):
    if value is not None and not GUID.match(value):
        module.fail('%s: %r is not a GUID; give the object id in the form 00000000-0000-0000-0000-000000000000'
                    % (option, value))


def check_https_url(module, option, value):
    if value is None:
        return
    parsed = urlparse(value)
    if parsed.scheme != 'https' or not parsed.netloc or value != value.strip():
        module.fail('%s: %r is not an https URL; give the full issuer URL, e.g. '
                    'https://koreacentral.oic.prod-aks.azure.com/<tenant>/<guid>/' % (option, value))


def check_tags(module, tags, option='tags'):
    for key, value in (tags or {}).items():
        if not isinstance(value, str):
            module.fail('%s.%s: tag values are strings; quote %r' % (option, key, value))


def same_location(first, second):
    return compare.LOCATION.normalize(first) == compare.LOCATION.normalize(second)


# ---- *_info modules ----
def carries(resource, tags):
    """Whether a REST-form resource has every tag with the stated value."""
    present = resource.get('tags') or {}
    return all(present.get(key) == value for key, value in (tags or {}).items())


def find(module, kind, operations):
    """Resources for an info module: one by name, those of a group, or those of the subscription.

    operations() gives the SDK operations with `get(group, name)`, `list_by_resource_group(group)`
    and `list_by_subscription()` (or `list()`); it is called only once the options are known good.
    Options `name`, `resource_group` and `tags` are read from the module.
    """
    name, group = module.params['name'], module.params['resource_group']
    if name and not group:
        module.fail('resource_group: required with name; give the resource group of %s %s' % (kind, name))
    operations = operations()
    if name:
        found = module.get_or_none('read %s %s' % (kind, name), operations.get, group, name)
        found = [to_rest(found)] if found is not None else []
    elif group:
        found = module.call('list %ss of resource group %s' % (kind, group),
                            lambda: [to_rest(r) for r in operations.list_by_resource_group(group)])
    else:
        lister = getattr(operations, 'list_by_subscription', None) or operations.list
        found = module.call('list %ss of the subscription' % kind, lambda: [to_rest(r) for r in lister()])
    return [r for r in found if carries(r, module.params.get('tags'))]


# ---- named sets of child resources ----
class ModuleView:
    """The module as a child resource sees it: the same clients and policies, its own `state`."""

    def __init__(self, module, **params):
        self._module = module
        self.params = dict(module.params, **params)

    def __getattr__(self, name):
        return getattr(self._module, name)


def prefixed(differences, prefix):
    """Child differences with paths under the parent's option (`replications[koreasouth].tags.a`)."""
    out = []
    for difference in differences:
        path = '%s.%s' % (prefix, difference['path']) if difference['path'] else prefix
        out.append(dict(difference, path=path))
    return out


def reconcile_children(module, option, make, wanted, existing, purge, keep=()):
    """Reconcile a named set of child resources, each through the core `reconcile`.

    option names the set in differences (`replications[koreasouth]...`);
    make(key, item) builds the ArmResource of one child (item None for one to delete);
    wanted maps each stated key to its item; existing lists the keys of the children in
    Azure; with purge, existing keys not wanted (and not in keep) are deleted.
    Returns (changed, differences, children after, children before).
    """
    changed, differences, after, before = False, [], [], []
    for key, item in wanted.items():
        result = reconcile(ModuleView(module, state='present'), make(key, item))
        changed = changed or result['changed']
        differences.extend(prefixed(result['differences'], '%s[%s]' % (option, key)))
        after.append(result['resource'])
        before.extend([result['diff']['before']] if result.get('diff', {}).get('before') else [])
    if purge:
        for key in existing:
            if key in wanted or key in keep:
                continue
            result = reconcile(ModuleView(module, state='absent'), make(key, None))
            changed = changed or result['changed']
            differences.extend(prefixed(result['differences'], '%s[%s]' % (option, key)))
            before.extend([result['diff']['before']] if result.get('diff', {}).get('before') else [])
    return changed, differences, after, before
