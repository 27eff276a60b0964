# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the network modules share beyond the core.

Resource ids from names, address and reference checks done before any call,
and a comparison rule for NSG address prefixes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems

ID_PATTERN = re.compile(r'^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+(/[^/]+/[^/]+)+/?$', re.IGNORECASE)


# ---- input checks (no call to Azure) ----
def reference_problems(option, value, what):
    """A name (same resource group) or a full resource id."""
    if value is None:
        return []
    if value.startswith('/'):
        if not ID_PATTERN.match(value):
            return ['%s: %r is not a resource id; give the name of the %s or its full id '
                    '(/subscriptions/<id>/resourceGroups/<group>/providers/...)' % (option, value, what)]
        return []
    return name_problems(option, value, 'network', '%s name' % what)


def check_reference(module, option, value, what):
    """Module-failing form, kept only until its callers return problems (issue 8)."""
    module.fail_on(reference_problems(option, value, what))


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
