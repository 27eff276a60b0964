# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight's read-only Azure checks against the sandbox: locations and VM sizes.

These bad plans need Azure's answers (the subscription's locations, the region's VM sizes and the
subscription's restrictions), so they live here and not in plan_fixtures.BAD_PLANS, which the
offline unit test runs too.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import (
    bad_plan, production_plan)


def _pool(plan, name):
    return [p for p in plan['phonebill_aks']['pools'] if p['name'] == name][0]


def _group(plan, name):
    return [g for g in plan['phonebill_resource_groups'] if g['name'] == name][0]


ZONE_3_RESTRICTED = [{'name': 'Standard_D4s_v3', 'location': 'koreacentral', 'zones': ['3']}]

# (id, change to the production plan, the variable path the problem must name, sandbox restrictions)
AZURE_BAD_PLANS = [
    ('location-not-a-region', lambda p: p.update(phonebill_location='koreacentrall'), 'phonebill_location', None),
    ('dr-location-not-a-region', lambda p: p.update(phonebill_dr_location='Korea Southh'), 'phonebill_dr_location',
     None),
    ('dr-location-is-a-geography', lambda p: p.update(phonebill_dr_location='asiapacific'), 'phonebill_dr_location',
     None),
    ('resource-group-location', lambda p: _group(p, 'rg-phonebill-prod-dr').update(location='korea-south'),
     'phonebill_resource_groups[rg-phonebill-prod-dr].location', None),
    ('replication-location', lambda p: p['phonebill_registry'].update(replications=[{'location': 'koreasouht'}]),
     'phonebill_registry.replications[koreasouht].location', None),
    ('vm-size-not-offered-in-region', lambda p: _pool(p, 'app').update(vm_size='Standard_HB120rs_v3'),
     'phonebill_aks.pools[app].vm_size', None),
    ('vm-size-unknown', lambda p: _pool(p, 'system').update(vm_size='Standard_D2s_v9'),
     'phonebill_aks.pools[system].vm_size', None),
    ('vm-size-restricted-in-a-zone', lambda p: None, 'phonebill_aks.pools[app].vm_size', ZONE_3_RESTRICTED),
    ('vm-size-restricted-in-region', lambda p: None, 'phonebill_aks.pools[system].vm_size',
     [{'name': 'Standard_D2s_v3', 'location': 'koreacentral'}]),
]


def _reads(sandbox, path_end):
    return [r for r in sandbox.requests() if r['method'] == 'GET' and r['path'].lower().endswith(path_end)]


def test_production_plan_passes_the_azure_checks(azure, sandbox):
    result = azure('platform_preflight', plan=production_plan())
    assert not result.get('failed'), result.get('msg')
    assert result['problems'] == []
    assert _reads(sandbox, '/locations') and _reads(sandbox, '/providers/microsoft.compute/skus')
    assert azure.writes() == 0


@pytest.mark.parametrize('name,change,variable,restrictions', AZURE_BAD_PLANS, ids=[b[0] for b in AZURE_BAD_PLANS])
def test_bad_plan_fails_with_its_variable_and_writes_nothing(azure, sandbox, name, change, variable, restrictions):
    if restrictions:
        sandbox.config(vm_sku_restrictions=restrictions)
    result = azure('platform_preflight', plan=bad_plan(change))
    assert result.get('failed'), name
    assert [p for p in result['problems'] if p.startswith(variable + ':')], result['problems']
    assert variable in result['msg']
    assert azure.writes() == 0


def test_a_location_that_is_not_a_region_suggests_the_region_and_stops_there(azure, sandbox):
    result = azure('platform_preflight', plan=bad_plan(lambda p: p.update(phonebill_location='Korea Centrl')))
    assert result['problems'] == ["phonebill_location: 'Korea Centrl' is not a region of this subscription; "
                                  "did you mean koreacentral?"]
    assert not _reads(sandbox, '/providers/microsoft.compute/skus')  # nothing to ask of a region that does not exist


def test_display_names_are_regions(azure):
    def display_names(plan):
        plan.update(phonebill_location='Korea Central', phonebill_dr_location='Korea South')
        plan['phonebill_registry']['replications'] = [{'location': 'Korea South'}]
    result = azure('platform_preflight', plan=bad_plan(display_names))
    assert not result.get('failed'), result.get('msg')


def test_vm_size_not_offered_lists_sizes_offered_in_the_region(azure):
    result = azure('platform_preflight', plan=bad_plan(lambda p: _pool(p, 'app').update(vm_size='Standard_D4s_v4')))
    problem, = result['problems']
    assert problem.startswith('phonebill_aks.pools[app].vm_size: Standard_D4s_v4 is not offered in koreacentral; '
                              'sizes offered there: Standard_D4s_v5, Standard_D4s_v3, ')  # the closest first


def test_vm_size_restricted_in_a_zone_says_which_zones_remain(azure, sandbox):
    sandbox.config(vm_sku_restrictions=ZONE_3_RESTRICTED)
    problem, = azure('platform_preflight', plan=production_plan())['problems']
    assert problem.startswith('phonebill_aks.pools[app].vm_size: Standard_D4s_v3 is not available to this subscription '
                              'in zone(s) 3 of koreacentral (NotAvailableForSubscription) (it is in: 1, 2); '
                              'state zones ["1", "2"] only, or pick a size available in koreacentral zones 1, 2, 3: ')
    assert 'Standard_D4s_v5' in problem
