# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The read flow the `*_info` modules share.

One resource by name, those of a resource group, or those of the
subscription, optionally only those carrying given tags; the options are
checked before any client is built, and a named resource that does not
exist is an empty list, not a failure.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import carries, name_problems

#: the options of phonebill.platform.azure.info_filters
ARGUMENT_SPEC = dict(name=dict(type='str'), resource_group=dict(type='str'), tags=dict(type='dict'))


def option_problems(params, kind):
    """Input errors of name/resource_group, before any call to Azure."""
    found = name_problems('resource_group', params.get('resource_group'), 'resource_group')
    if params.get('name') and 'resource_group' in params and not params['resource_group']:
        found.append('resource_group: required with name; state the resource group of %s %s' % (kind, params['name']))
    return found


def read(module, kind, operations, by_group='list_by_resource_group', by_subscription='list_by_subscription'):
    """The REST resources the options ask for.

    operations() gives the SDK operations group, with `get([group,] name)`, by_group(group) and
    by_subscription(); it is called only once the options are known good. Without a
    `resource_group` option (resource groups themselves), get takes the name alone.
    """
    module.fail_on(option_problems(module.params, kind))
    params = module.params
    name, group = params.get('name'), params.get('resource_group')
    operations = operations()
    if name:
        where = (group, name) if 'resource_group' in params else (name,)
        found = module.get_or_none('read %s %s' % (kind, name), operations.get, *where)
        found = [found] if found is not None else []
    elif group:
        found = module.call('list the %ss of resource group %s' % (kind, group), lambda: list(getattr(operations, by_group)(group)))
    else:
        found = module.call('list the %ss of the subscription' % kind, lambda: list(getattr(operations, by_subscription)()))
    return [r for r in (to_rest(f) for f in found) if carries(r, params.get('tags'))]
