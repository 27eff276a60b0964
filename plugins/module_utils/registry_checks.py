# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The container registry's input checks, shared by the module and the whole-plan preflight.

The module calls them with its option names; preflight with the inventory's
(`phonebill_registry.`), so a rule lives once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, same_location, tag_problems


def region(location):
    """A region as Azure returns it ('Korea South' -> 'koreasouth'); a registry has one replication per region."""
    return compare.LOCATION.normalize(location)


def home_region_problem(location, registry):
    return ('replications[%s].location: %s is the home region of container registry %s, which Azure replicates '
            'already; list only other regions' % (location, location, registry))


def replication_problems(params):
    replications = params['replications']
    if replications is None:
        return []
    if not isinstance(replications, list) or not all(isinstance(item, dict) for item in replications):
        return ['replications must be a list of mappings, each with a location (e.g. [{location: koreasouth}]), not %r'
                % (replications,)]
    problems, seen = [], {}
    for item in replications:
        location = item.get('location')
        where = 'replications[%s]' % location
        if region(location) in seen:
            problems.append('%s.location: the region is listed twice (also as %s); a registry has one replication per '
                            'region, list it once' % (where, seen[region(location)]))
        seen[region(location)] = location
        if params['location'] and same_location(location, params['location']):
            problems.append(home_region_problem(location, params['name']))
        problems.extend(tag_problems(where + '.tags', item.get('tags')))
    return problems


def registry_problems(params, prefix=''):
    """Input problems that need no call to Azure ('option: what is wrong; the fix'), each option after prefix."""
    problems = (name_problems('name', params['name'], 'container_registry')
                + name_problems('resource_group', params['resource_group'], 'resource_group')
                + tag_problems('tags', params['tags']))
    premium_only = [option for option in ('replications', 'zone_redundancy')
                    if params[option] not in (None, [], False)]
    if params['public_network_access'] == 'Disabled':
        premium_only.append('public_network_access')
    if params['sku'] not in (None, 'Premium') and premium_only:
        problems.append('sku: %s does not support %s; set sku: Premium or remove them'
                        % (params['sku'], ', '.join(premium_only)))
    if params['purge_replications'] and params['replications'] is None:
        problems.append('purge_replications: needs replications, the set to keep; state replications: [] to remove '
                        'every replication but the home region')
    return [prefix + problem for problem in problems + replication_problems(params)]
