#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: platform_preflight
short_description: Check the whole platform plan before anything is written
version_added: 0.1.0
description:
  - Checks the inventory's plan of the platform and reports every problem at once, each naming the inventory
    variable and the fix, before any resource is written.
  - "Offline checks: resource names against Azure's rules; CIDRs valid, subnets inside the VNet and not overlapping;
    the AKS service and pod ranges outside the VNet and apart; the DNS service IP inside the service range;
    node pools C(min_count <= count <= max_count), zones, taints, max surge; that the nodes the autoscalers allow
    fit the application subnet; NSG rules (priorities, directions, protocols, accesses, ports, prefixes); service
    endpoint names; tags; workspace retention and daily cap; the maintenance window; registry replication; the
    workloads plan (ports 1-65535 included). These are the checks the modules make, so a rule lives once."
  - A value of the wrong type (a mapping where a list is expected) is one problem naming the variable.
  - "With O(check_azure=true) it also asks Azure, read-only: is every location of the plan a region of the
    subscription (C(phonebill_location), C(phonebill_dr_location), C(phonebill_resource_groups[*].location),
    C(phonebill_registry.replications[*].location); the name or the display name, e.g. C(koreacentral) or
    C(Korea Central)); is each C(phonebill_aks.pools[*].vm_size) offered in the region, in every zone of the pool,
    and not restricted for the subscription; is the stated Kubernetes version offered in the region, unless the
    cluster already runs it. Each problem lists the close matches or the sizes that would do."
  - Never writes anything; the same in check mode.
options:
  plan:
    description:
      - The inventory variables of the platform, by name (C(phonebill_vnet), C(phonebill_aks), C(phonebill_network_security_groups),
        C(phonebill_maintenance_window), C(phonebill_registry), C(phonebill_log_analytics), C(phonebill_resource_groups),
        C(phonebill_tags), C(phonebill_zones), C(phonebill_public_ips), C(phonebill_location), C(phonebill_resource_group),
        C(phonebill_services_identity), C(phonebill_dr_location), C(phonebill_private_dns_zones), C(phonebill_workloads),
        C(phonebill_workload_identity_subjects)). Absent variables are not checked.
    type: dict
    required: true
  check_azure:
    description:
      - Also make the read-only checks that need Azure (the subscription's locations, the VM sizes offered in the
        region and its zones, the Kubernetes versions offered in the region).
    type: bool
    default: true
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
requirements:
  - azure-mgmt-containerservice >= 40, < 42 (only with O(check_azure=true))
  - azure-mgmt-resource >= 26, < 27 (only with O(check_azure=true))
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Check the plan before building anything
  phonebill.platform.platform_preflight:
    plan:
      phonebill_location: "{{ phonebill_location }}"
      phonebill_dr_location: "{{ phonebill_dr_location }}"
      phonebill_vnet: "{{ phonebill_vnet }}"
      phonebill_aks: "{{ phonebill_aks }}"
      phonebill_maintenance_window: "{{ phonebill_maintenance_window }}"
'''

RETURN = r'''
problems:
  description: Every problem found, each starting with the inventory variable it is about (empty when the plan is sound).
  returned: always
  type: list
  elements: str
  sample:
    - "phonebill_vnet.subnets[snet-cache].address_prefix: 10.0.2.0/24 overlaps subnet snet-database (10.0.2.0/24); give each subnet its own range"
    - "phonebill_dr_location: 'koreasouht' is not a region of this subscription; did you mean koreasouth?"

kubernetes_versions:
  description: The Kubernetes versions (minor and patch) AKS offers in the region on the standard support plan.
  returned: when O(check_azure=true) and the plan has C(phonebill_aks)
  type: list
  elements: str
  sample: ["1.32", "1.32.5", "1.33", "1.33.1", "1.33.2"]
'''

import difflib
import json

from ansible_collections.phonebill.platform.plugins.module_utils import aks, sdk
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.plan_checks import check_plan

# Subscriptions - List Locations and Resource Skus - List (Microsoft.Compute/skus).
LOCATIONS_API_VERSION = '2022-12-01'
SKUS_API_VERSION = '2021-07-01'
SUGGESTIONS = 5


def squash(location):
    """'Korea Central' and 'koreacentral' alike, as ARM accepts either."""
    return str(location).replace(' ', '').lower()


def _names(values):
    return ', '.join(values) or 'none'


# ---- locations (pure) ----
def stated_locations(plan):
    """(inventory variable path, value) of every location the plan states."""
    found = [(key, plan[key]) for key in ('phonebill_location', 'phonebill_dr_location') if plan.get(key) is not None]
    groups = plan.get('phonebill_resource_groups')
    for group in groups if isinstance(groups, list) else []:
        if isinstance(group, dict) and group.get('location') is not None:
            found.append(('phonebill_resource_groups[%s].location' % group.get('name'), group['location']))
    registry = plan.get('phonebill_registry')
    replications = registry.get('replications') if isinstance(registry, dict) else None
    for replica in replications if isinstance(replications, list) else []:
        if isinstance(replica, dict) and replica.get('location') is not None:
            found.append(('phonebill_registry.replications[%s].location' % replica['location'], replica['location']))
    return found


def regions(locations):
    """{squashed name or display name: region name} of the listing's physical regions.

    The listing also holds logical locations (geographies such as asiapacific) that no resource can be placed in.
    """
    found = {}
    for entry in locations:
        if (entry.get('metadata') or {}).get('regionType', 'Physical') == 'Physical' and entry.get('name'):
            found[squash(entry['name'])] = entry['name']
            if entry.get('displayName'):
                found[squash(entry['displayName'])] = entry['name']
    return found


def location_problem(value, known):
    """Why value is not a region of the subscription (known: regions()), with the close matches; or None."""
    if not isinstance(value, str):
        return '%r is not a location name; write it as the region name, e.g. koreacentral' % (value,)
    if squash(value) in known:
        return None
    names = sorted(set(known.values()))
    close = difflib.get_close_matches(squash(value), names, n=3, cutoff=0.6)
    if close:
        fix = 'did you mean %s?' % ' or '.join(close)
    elif len(names) <= SUGGESTIONS * 2:
        fix = 'state one of: %s' % _names(names)
    else:
        fix = 'state one of its %d regions (az account list-locations -o table lists them)' % len(names)
    return '%r is not a region of this subscription; %s' % (value, fix)


def location_problems(plan, locations):
    """Problems of every location of the plan, given the subscription's location listing (REST form)."""
    known = regions(locations)
    found = []
    for path, value in stated_locations(plan):
        problem = location_problem(value, known)
        if problem:
            found.append('%s: %s' % (path, problem))
    return found


# ---- VM sizes (pure) ----
def _restricted(sku, location, kind):
    """(reasonCode, zones) of each restriction of that type ('Location' or 'Zone') on location."""
    found = []
    for restriction in sku.get('restrictions') or []:
        info = restriction.get('restrictionInfo') or {}
        where = [squash(loc) for loc in (info.get('locations') or restriction.get('values') or [])]
        if restriction.get('type') == kind and location in where:
            found.append((restriction.get('reasonCode') or 'restricted', [str(z) for z in info.get('zones') or []]))
    return found


def usable_zones(sku, location):
    """The zones of location where this subscription can use sku."""
    offered = set()
    for info in sku.get('locationInfo') or []:
        if squash(info.get('location')) == location:
            offered.update(str(z) for z in info.get('zones') or [])
    for _reason, zones in _restricted(sku, location, 'Zone'):
        offered.difference_update(zones)
    return offered


def vm_sizes(skus, location):
    """{lower-case name: SKU} of the virtual machine sizes offered in location."""
    return dict((str(sku.get('name')).lower(), sku) for sku in skus
                if str(sku.get('resourceType')).lower() == 'virtualmachines'
                and location in [squash(loc) for loc in sku.get('locations') or []])


def _alternatives(offered, location, size, zones):
    """Sizes this subscription can use in location and every zone, the closest to size first."""
    usable = sorted(sku['name'] for sku in offered.values()
                    if not _restricted(sku, location, 'Location') and set(zones) <= usable_zones(sku, location))
    by_lower = dict((name.lower(), name) for name in usable)
    close = difflib.get_close_matches(size.lower(), list(by_lower), n=SUGGESTIONS, cutoff=0.5)
    return [by_lower[name] for name in close] or usable[:SUGGESTIONS]


def vm_size_problem(size, zones, location, offered):
    """Why the subscription cannot run size in location (and its zones), with sizes that would do; or None."""
    sku = offered.get(size.lower())
    others = _names(_alternatives(offered, location, size, zones))
    if sku is None:
        return ('%s is not offered in %s; sizes offered there: %s (az vm list-skus -l %s --resource-type '
                'virtualMachines lists all)' % (size, location, others, location))
    blocked = _restricted(sku, location, 'Location')
    if blocked:
        return ('%s is offered in %s but not to this subscription (%s); pick another size: %s, or ask Azure support '
                'to lift the restriction' % (size, location, blocked[0][0], others))
    available = usable_zones(sku, location)
    missing = [z for z in zones if z not in available]
    if not missing:
        return None
    reasons = sorted(set(reason for reason, restricted in _restricted(sku, location, 'Zone')
                         if set(restricted) & set(missing)))
    keep = 'state zones %s only' % json.dumps(sorted(available)) if available else 'remove zones'
    return ('%s is not available to this subscription in zone(s) %s of %s%s (it is in: %s); %s, or pick a size '
            'available in %s zones %s: %s' % (size, ', '.join(missing), location,
                                              ' (%s)' % ', '.join(reasons) if reasons else '',
                                              _names(sorted(available)), keep, location, ', '.join(zones), others))


def pool_problems(plan, location, skus):
    """Problems of the AKS pools' VM sizes, given the Compute SKU listing of location (REST form)."""
    pools = (plan.get('phonebill_aks') or {}).get('pools')
    offered = vm_sizes(skus, squash(location))
    found = []
    for pool in pools if isinstance(pools, list) else []:
        if not isinstance(pool, dict) or not isinstance(pool.get('vm_size'), str):
            continue  # the offline checks report the shape
        zones = [str(z) for z in pool.get('zones')] if isinstance(pool.get('zones'), list) else []
        problem = vm_size_problem(pool['vm_size'], zones, squash(location), offered)
        if problem:
            found.append('phonebill_aks.pools[%s].vm_size: %s' % (pool.get('name'), problem))
    return found


# ---- reads ----
def arm_list(module, action, path, api_version, odata_filter=None):
    """Every item of an ARM listing that no SDK package of the collection has an operation for.

    Sent through the resource client's pipeline: the same credential, cloud endpoint and retry
    policy as every other call, without another SDK package for two GETs.
    """
    rest = module.require(sdk.CORE_REST)
    client = module.client('resource')
    params = {'api-version': api_version}
    if odata_filter:
        params['$filter'] = odata_filter
    request = rest.HttpRequest('GET', path, params=params)
    items = []
    while request is not None:
        page = module.call(action, _read_page, client, request)
        items.extend(page.get('value') or [])
        request = rest.HttpRequest('GET', page['nextLink']) if page.get('nextLink') else None
    return items


def _read_page(client, request):
    response = client.send_request(request)
    response.raise_for_status()
    return response.json()


def _version_problems(module, plan, location):
    """Is the stated Kubernetes version offered in the region (or already running)? Returns (problems, offered)."""
    stated = (plan.get('phonebill_aks') or {}).get('kubernetes_version')
    if not stated:
        return [], None
    standard, lts_only = aks.offered_versions(module, location)
    problem = aks.offered_problem(stated, location, standard, lts_only)
    if problem and plan.get('phonebill_resource_group'):
        # only a version not offered needs the cluster: it keeps its version after Azure stops offering it
        cluster = to_rest(module.get_or_none('read cluster %s' % plan['phonebill_aks'].get('name'),
                                             module.client('containerservice').managed_clusters.get,
                                             plan['phonebill_resource_group'], plan['phonebill_aks'].get('name')))
        running = ((cluster or {}).get('properties') or {}).get('currentKubernetesVersion')
        if running and aks.VERSION.equal(stated, running):
            problem = None
    return (['phonebill_aks.kubernetes_version: %s' % problem] if problem else []), standard


def azure_problems(module, plan):
    """Read-only checks against Azure. Returns (problems, Kubernetes versions offered or None)."""
    subscription = '/subscriptions/%s' % module.subscription_id
    locations = arm_list(module, 'list the locations of the subscription', subscription + '/locations',
                         LOCATIONS_API_VERSION)
    problems = location_problems(plan, locations)
    region = regions(locations).get(squash(plan.get('phonebill_location', 'koreacentral')))
    if region is None:
        return problems, None  # what is offered where cannot be asked of a region that does not exist
    if (plan.get('phonebill_aks') or {}).get('pools'):
        skus = arm_list(module, 'list the VM sizes offered in %s' % region,
                        subscription + '/providers/Microsoft.Compute/skus', SKUS_API_VERSION,
                        odata_filter="location eq '%s'" % region)
        problems.extend(pool_problems(plan, region, skus))
    versions, offered = _version_problems(module, plan, region)
    return problems + versions, offered


def main():
    module = AzureModule(supports_check_mode=True,
                         argument_spec=dict(plan=dict(type='dict', required=True),
                                            check_azure=dict(type='bool', default=True)))
    problems = check_plan(module.params['plan'])
    result = dict(changed=False)
    if problems:
        module.fail('the plan has %d problem(s):\n- %s' % (len(problems), '\n- '.join(problems)), problems=problems)
    if module.params['check_azure']:
        problems, offered = azure_problems(module, module.params['plan'])
        if offered is not None:
            result['kubernetes_versions'] = offered
        if problems:
            module.fail('the plan has %d problem(s):\n- %s' % (len(problems), '\n- '.join(problems)),
                        problems=problems, **result)
    module.exit(problems=[], **result)


if __name__ == '__main__':
    main()
