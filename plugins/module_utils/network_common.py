# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the network modules share and the core does not (yet) have.

Resource ids from names, address checks done before any call, a comparison
rule for NSG address prefixes, and the flow for child resources Azure keeps
behind separate operations (DNS zone links, private DNS zone groups),
reported as one result with their parent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import to_rest

# Microsoft.Network names: 1-80 characters, letters, digits, _ . -, starting with a letter or
# digit and ending with a letter, digit or _.
NAME_PATTERN = re.compile(r'^[A-Za-z0-9](?:[-\w.]{0,78}\w)?$', re.ASCII)
RESOURCE_GROUP_PATTERN = re.compile(r'^[-\w._()]{1,90}$', re.UNICODE)
ID_PATTERN = re.compile(r'^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+(/[^/]+/[^/]+)+/?$', re.IGNORECASE)


def same(first, second):
    """Names Azure compares without case."""
    return (first or '').lower() == (second or '').lower()


def find(items, name, key='name'):
    """The item of a REST list with that name (case-insensitive), or None."""
    for item in items or []:
        if same(item.get(key), name):
            return item
    return None


# ---- input checks (no call to Azure) ----
def check_name(module, option, value, what='name'):
    if value is not None and not NAME_PATTERN.match(value):
        module.fail('%s: %r is not a valid %s; use 1-80 letters, digits, _ . -, starting with a letter or digit '
                    'and ending with a letter, digit or _' % (option, value, what))


def check_resource_group(module):
    value = module.params.get('resource_group')
    if value is not None and (not RESOURCE_GROUP_PATTERN.match(value) or value.endswith('.')):
        module.fail('resource_group: %r is not a valid resource group name; use 1-90 letters, digits, _ - . ( ) '
                    'and do not end with a period' % value)


def check_tags(module):
    for key, value in (module.params.get('tags') or {}).items():
        if not isinstance(value, str):
            module.fail('tags.%s: tag values are strings; quote %r' % (key, value))


def check_reference(module, option, value, what):
    """A name (same resource group) or a full resource id."""
    if value is None:
        return
    if value.startswith('/'):
        if not ID_PATTERN.match(value):
            module.fail('%s: %r is not a resource id; give the name of the %s or its full id '
                        '(/subscriptions/<id>/resourceGroups/<group>/providers/...)' % (option, value, what))
    else:
        check_name(module, option, value, '%s name' % what)


def network(module, option, value):
    """value as an IP network; an address with host bits set or garbage fails with the fix."""
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError:
        try:
            loose = ipaddress.ip_network(value, strict=False)
        except ValueError:
            module.fail('%s: %r is not a CIDR block; write it as address/length, e.g. 10.0.1.0/24' % (option, value))
        module.fail('%s: %r has host bits set; the network it lies in is %s, state that' % (option, value, loose))
    return None


def overlapping(networks):
    """The first pair of (label, network) items that overlap, or None."""
    for position, (label, net) in enumerate(networks):
        for other_label, other in networks[position + 1:]:
            if net.version == other.version and net.overlaps(other):
                return (label, net), (other_label, other)
    return None


def check_inside(module, option, net, space, space_label):
    if space and not any(net.version == outer.version and net.subnet_of(outer) for outer in space):
        module.fail('%s: %s lies outside %s (%s); pick a range inside it or add one to the address space'
                    % (option, net, space_label, ', '.join(str(s) for s in space)))


# ---- ids ----
def resource_id(module, resource_group, kind, value):
    """The full id of a Microsoft.Network resource given by name (in resource_group) or by id."""
    if value is None or value.startswith('/'):
        return value
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/%s/%s' % (
        module.subscription_id, resource_group, kind, value)


# ---- comparison ----
class AddressPrefix(compare.Cidr):
    """NSG prefixes: CIDRs with /32 equivalence, service tags ("Internet") in any case."""

    def normalize(self, value):
        value = super(AddressPrefix, self).normalize(value)
        return value.lower() if isinstance(value, str) else value


# ---- resources ----
class NetworkResource(ArmResource):  # pylint: disable=abstract-method
    """An ARM resource that keeps what it read, so desired() can reuse Azure's names for stated items."""

    actual = None

    def get(self):
        self.actual = to_rest(self.read())
        return self.actual


def reconcile_children(module, children, label):
    """reconcile() each (name, resource) child; one combined result, child paths under label[name]."""
    combined = dict(changed=False, differences=[], resources=[], before=[], after=[])
    for name, child in children:
        result = reconcile(module, child)
        prefix = '%s[%s]' % (label, name)
        combined['changed'] = combined['changed'] or result['changed']
        combined['differences'].extend(
            dict(d, path='%s.%s' % (prefix, d['path']) if d['path'] else prefix) for d in result['differences'])
        if result.get('resource'):
            combined['resources'].append(result['resource'])
        if 'diff' in result:
            if result['diff']['before']:
                combined['before'].append(result['diff']['before'])
            if result['diff']['after']:
                combined['after'].append(result['diff']['after'])
    return combined


def delete_children(module, children, label, start):
    """Delete existing child resources (REST items with name) with start(name); differences reported."""
    differences = []
    for child in children:
        if not module.check_mode:
            module.run_operation('delete %s %s' % (label, child['name']), lambda name=child['name']: start(name))
        differences.append(dict(path='%s[%s]' % (label, child['name']), before=child, after=None))
    return differences


# ---- info modules ----
INFO_ARGUMENT_SPEC = dict(name=dict(type='str'), resource_group=dict(type='str'), tags=dict(type='dict'))


def carries(resource, tags):
    """Whether a REST-form resource has every tag with the stated value."""
    present = resource.get('tags') or {}
    return all(present.get(key) == value for key, value in tags.items())


def read_many(module, operations, what):
    """One resource by name, those of a resource group, or those of the subscription; filtered by tags.

    operations names an operations group of the network client with get(group, name), list(group) and
    list_all(); the client is built only once the input is known to be good.
    """
    params = module.params
    if params['name'] and not params['resource_group']:
        module.fail('resource_group: required with name; state the resource group of %s %s' % (what, params['name']))
    check_resource_group(module)
    operations = getattr(module.client('network'), operations)
    if params['name']:
        found = module.get_or_none('read %s %s' % (what, params['name']), operations.get,
                                   params['resource_group'], params['name'])
        found = [to_rest(found)] if found is not None else []
    elif params['resource_group']:
        found = [to_rest(r) for r in module.call('list %ss of resource group %s' % (what, params['resource_group']),
                                                 lambda: list(operations.list(params['resource_group'])))]
    else:
        found = [to_rest(r) for r in module.call('list %ss' % what, lambda: list(operations.list_all()))]
    return [r for r in found if carries(r, params['tags'] or {})]
