# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""platform_preflight's read-only Azure checks, as pure functions of Azure's listings.

The payloads are Microsoft's REST examples (Azure/azure-rest-api-specs):
Microsoft.Resources/subscriptions/stable/2022-12-01/examples/GetLocations.json and
Microsoft.Compute/Skus/stable/2021-07-01/examples/skus/ListAvailableResourceSkusForARegion.json,
with Korea's regions and Azure's restriction shape (skus.json, ResourceSkuRestrictions) added.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest
import yaml
from azure.core.exceptions import HttpResponseError

from ansible_collections.phonebill.platform.plugins.modules import platform_preflight as preflight
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import production_plan

SUB = '/subscriptions/a1ffc958-d2c7-493e-9f1e-125a0477f536/locations/'


def _region(name, display, paired, zonal=True):
    entry = {'id': SUB + name, 'name': name, 'type': 'Region', 'displayName': display,
             'regionalDisplayName': '(Asia Pacific) %s' % display,
             'metadata': {'regionType': 'Physical', 'regionCategory': 'Recommended', 'geography': 'Korea',
                          'geographyGroup': 'Asia Pacific', 'pairedRegion': [{'name': paired, 'id': SUB + paired}]}}
    if zonal:
        entry['availabilityZoneMappings'] = [{'logicalZone': z, 'physicalZone': '%s-az%s' % (name, z)} for z in '123']
    return entry


# GetLocations.json (eastus, eastus2) and the Korea regions, plus a geography as the listing also returns.
LOCATIONS = [
    {'id': SUB + 'eastus', 'name': 'eastus', 'type': 'Region', 'displayName': 'East US',
     'regionalDisplayName': '(US) East US',
     'metadata': {'regionType': 'Physical', 'regionCategory': 'Recommended', 'geography': 'United States',
                  'geographyGroup': 'US', 'longitude': '-79.8164', 'latitude': '37.3719', 'physicalLocation': 'Virginia',
                  'pairedRegion': [{'name': 'westus', 'id': SUB + 'westus'}]},
     'availabilityZoneMappings': [{'logicalZone': '1', 'physicalZone': 'eastus-az1'},
                                  {'logicalZone': '2', 'physicalZone': 'eastus-az3'},
                                  {'logicalZone': '3', 'physicalZone': 'eastus-az2'}]},
    {'id': SUB + 'eastus2', 'name': 'eastus2', 'type': 'Region', 'displayName': 'East US 2',
     'regionalDisplayName': '(US) East US 2',
     'metadata': {'regionType': 'Physical', 'regionCategory': 'Recommended', 'geography': 'United States',
                  'geographyGroup': 'US', 'longitude': '-78.3889', 'latitude': '36.6681', 'physicalLocation': 'Virginia',
                  'pairedRegion': [{'name': 'centralus', 'id': SUB + 'centralus'}]},
     'availabilityZoneMappings': [{'logicalZone': '1', 'physicalZone': 'eastus2-az1'}]},
    _region('koreacentral', 'Korea Central', 'koreasouth'),
    _region('koreasouth', 'Korea South', 'koreacentral', zonal=False),
    {'id': SUB + 'asiapacific', 'name': 'asiapacific', 'type': 'Region', 'displayName': 'Asia Pacific',
     'regionalDisplayName': 'Asia Pacific', 'metadata': {'regionType': 'Logical', 'regionCategory': 'Other'}},
]


def _capabilities(vcpus, memory):
    return [{'name': 'MaxResourceVolumeMB', 'value': '20480'}, {'name': 'OSVhdSizeMB', 'value': '1047552'},
            {'name': 'vCPUs', 'value': vcpus}, {'name': 'HyperVGenerations', 'value': 'V1'},
            {'name': 'MemoryGB', 'value': memory}, {'name': 'LowPriorityCapable', 'value': 'False'},
            {'name': 'PremiumIO', 'value': 'False'}, {'name': 'MaxNetworkInterfaces', 'value': '2'}]


# ListAvailableResourceSkusForARegion.json (westus): Standard_A0 in zones 2 and 1, Standard_A1 in zones 1, 2, 3.
WESTUS_SKUS = [
    {'resourceType': 'virtualMachines', 'locations': ['westus'], 'capabilities': _capabilities('1', '0.75'),
     'locationInfo': [{'location': 'westus', 'zones': ['2', '1'],
                       'zoneDetails': [{'name': ['2'], 'capabilities': [{'name': 'UltraSSDAvailable', 'value': 'True'}]}]}],
     'name': 'Standard_A0', 'tier': 'Standard', 'size': 'A0', 'family': 'standardA0_A7Family'},
    {'resourceType': 'virtualMachines', 'locations': ['westus'], 'capabilities': _capabilities('1', '1.75'),
     'locationInfo': [{'location': 'westus', 'zones': ['1', '2', '3']}],
     'name': 'Standard_A1', 'tier': 'Standard', 'size': 'A1', 'family': 'standardA0_A7Family'},
    {'resourceType': 'disks', 'locations': ['westus'], 'name': 'Premium_LRS', 'tier': 'Premium', 'size': 'P10',
     'locationInfo': [{'location': 'westus', 'zones': ['1', '2', '3']}], 'restrictions': []},
]


def _restricted(sku_name, restriction):
    skus = copy.deepcopy(WESTUS_SKUS)
    [sku for sku in skus if sku['name'] == sku_name][0]['restrictions'] = [restriction]
    return skus


def _plan(**variables):
    plan = production_plan()
    plan.update(variables)
    return plan


def _pools(*pools):
    return {'phonebill_aks': {'pools': [dict(name=name, vm_size=size, zones=zones) for name, size, zones in pools]}}


# ---- locations ----
def test_the_production_locations_are_regions():
    assert preflight.location_problems(production_plan(), LOCATIONS) == []


@pytest.mark.parametrize('value', ['koreacentral', 'Korea Central', 'KoreaCentral', 'korea central'])
def test_a_region_is_accepted_by_name_or_display_name(value):
    assert preflight.location_problems({'phonebill_location': value}, LOCATIONS) == []


def test_every_location_of_the_plan_is_checked_and_named_by_its_variable():
    plan = _plan(phonebill_location='koreacentrall', phonebill_dr_location='Korea Southh')
    plan['phonebill_resource_groups'] = [{'name': 'rg-phonebill-prod', 'location': 'korea-central'},
                                         {'name': 'rg-phonebill-prod-dr', 'location': 'koreasouth'}]
    plan['phonebill_registry']['replications'] = [{'location': 'korea south 2'}]
    assert preflight.location_problems(plan, LOCATIONS) == [
        "phonebill_location: 'koreacentrall' is not a region of this subscription; did you mean koreacentral?",
        "phonebill_dr_location: 'Korea Southh' is not a region of this subscription; did you mean koreasouth?",
        "phonebill_resource_groups[rg-phonebill-prod].location: 'korea-central' is not a region of this subscription; "
        "did you mean koreacentral?",
        "phonebill_registry.replications[korea south 2].location: 'korea south 2' is not a region of this "
        "subscription; did you mean koreasouth?",
    ]


def test_a_geography_is_not_a_region():
    problem, = preflight.location_problems({'phonebill_dr_location': 'asiapacific'}, LOCATIONS)
    assert problem.startswith("phonebill_dr_location: 'asiapacific' is not a region of this subscription;")


def test_without_a_close_match_the_regions_are_listed():
    problem, = preflight.location_problems({'phonebill_location': 'mars'}, LOCATIONS)
    assert problem.endswith('state one of: eastus, eastus2, koreacentral, koreasouth')


def test_a_long_list_of_regions_is_not_printed():
    many = LOCATIONS + [dict(LOCATIONS[0], name='region%d' % i, displayName='Region %d' % i) for i in range(10)]
    problem, = preflight.location_problems({'phonebill_location': 'mars'}, many)
    assert problem.endswith('state one of its 14 regions (az account list-locations -o table lists them)')


def test_a_location_of_the_wrong_type_is_one_problem():
    assert preflight.location_problems({'phonebill_location': ['koreacentral']}, LOCATIONS) == [
        "phonebill_location: ['koreacentral'] is not a location name; write it as the region name, e.g. koreacentral"]


def test_malformed_lists_are_left_to_the_offline_checks():
    plan = {'phonebill_resource_groups': {'name': 'rg'}, 'phonebill_registry': {'replications': 'koreasouth'}}
    assert preflight.location_problems(plan, LOCATIONS) == []


# ---- VM sizes ----
def test_sizes_offered_in_every_zone_of_the_pool_pass():
    plan = _pools(('system', 'Standard_A1', ['1', '2', '3']), ('app', 'standard_a0', ['1', '2']))
    assert preflight.pool_problems(plan, 'West US', WESTUS_SKUS) == []


def test_a_size_not_offered_in_the_region_lists_the_offered_ones():
    problem, = preflight.pool_problems(_pools(('app', 'Standard_A2', ['1'])), 'westus', WESTUS_SKUS)
    assert problem == ('phonebill_aks.pools[app].vm_size: Standard_A2 is not offered in westus; sizes offered there: '
                       'Standard_A1, Standard_A0 (az vm list-skus -l westus --resource-type virtualMachines lists all)')


def test_a_disk_sku_is_not_a_vm_size():
    problem, = preflight.pool_problems(_pools(('app', 'Premium_LRS', [])), 'westus', WESTUS_SKUS)
    assert problem.startswith('phonebill_aks.pools[app].vm_size: Premium_LRS is not offered in westus;')


def test_a_size_offered_in_fewer_zones_than_the_pool_names_the_missing_zone():
    problem, = preflight.pool_problems(_pools(('app', 'Standard_A0', ['1', '2', '3'])), 'westus', WESTUS_SKUS)
    assert problem == ('phonebill_aks.pools[app].vm_size: Standard_A0 is not available to this subscription in '
                       'zone(s) 3 of westus (it is in: 1, 2); state zones ["1", "2"] only, or pick a size available '
                       'in westus zones 1, 2, 3: Standard_A1')


def test_a_size_restricted_in_a_zone_for_the_subscription():
    skus = _restricted('Standard_A1', {'type': 'Zone', 'values': ['westus'], 'reasonCode': 'NotAvailableForSubscription',
                                       'restrictionInfo': {'locations': ['westus'], 'zones': ['3']}})
    problem, = preflight.pool_problems(_pools(('system', 'Standard_A1', ['1', '2', '3'])), 'westus', skus)
    assert problem == ('phonebill_aks.pools[system].vm_size: Standard_A1 is not available to this subscription in '
                       'zone(s) 3 of westus (NotAvailableForSubscription) (it is in: 1, 2); state zones ["1", "2"] '
                       'only, or pick a size available in westus zones 1, 2, 3: none')


def test_a_size_restricted_in_the_region_for_the_subscription():
    skus = _restricted('Standard_A1', {'type': 'Location', 'values': ['westus'], 'reasonCode': 'QuotaId',
                                       'restrictionInfo': {'locations': ['westus']}})
    problem, = preflight.pool_problems(_pools(('system', 'Standard_A1', [])), 'westus', skus)
    assert problem == ('phonebill_aks.pools[system].vm_size: Standard_A1 is offered in westus but not to this '
                       'subscription (QuotaId); pick another size: Standard_A0, or ask Azure support to lift the '
                       'restriction')


def test_a_restriction_in_another_region_does_not_apply():
    skus = _restricted('Standard_A1', {'type': 'Location', 'values': ['eastus'], 'reasonCode': 'QuotaId',
                                       'restrictionInfo': {'locations': ['eastus']}})
    assert preflight.pool_problems(_pools(('system', 'Standard_A1', ['3'])), 'westus', skus) == []


def test_zones_in_a_region_without_zones():
    skus = [dict(sku, locations=['koreasouth'], locationInfo=[{'location': 'koreasouth', 'zones': []}])
            for sku in WESTUS_SKUS]
    problem, = preflight.pool_problems(_pools(('app', 'Standard_A1', ['1'])), 'koreasouth', skus)
    assert 'in zone(s) 1 of koreasouth (it is in: none); remove zones, or pick' in problem


def test_pools_of_the_wrong_shape_are_left_to_the_offline_checks():
    plan = {'phonebill_aks': {'pools': [{'name': 'app', 'vm_size': 4, 'zones': '1'}, 'system',
                                        {'name': 'x', 'vm_size': 'Standard_A1', 'zones': '1,2'}]}}
    assert preflight.pool_problems(plan, 'westus', WESTUS_SKUS) == []
    assert preflight.pool_problems({'phonebill_aks': {'pools': {'app': {}}}}, 'westus', WESTUS_SKUS) == []


# ---- the read ----
class FakeResponse:
    def __init__(self, status, body):
        self.status_code, self.body = status, body

    def raise_for_status(self):
        if self.status_code >= 400:
            raise HttpResponseError(message=self.body['error']['message'])

    def json(self):
        return self.body


class FakeModule:
    """The parts of AzureModule arm_list uses; each send_request answers the next of pages."""

    def __init__(self, *pages):
        self.pages, self.sent = list(pages), []

    def require(self, service):
        return __import__(service.module, fromlist=['HttpRequest'])

    def client(self, name):
        assert name == 'resource'
        return self

    def send_request(self, request):
        self.sent.append(request)
        return self.pages.pop(0)

    @staticmethod
    def call(_action, function, *args):
        return function(*args)


def test_arm_list_follows_next_link_through_the_resource_client():
    module = FakeModule(FakeResponse(200, {'value': WESTUS_SKUS[:1], 'nextLink': 'https://management.azure.com/next?x=1'}),
                        FakeResponse(200, {'value': WESTUS_SKUS[1:]}))
    items = preflight.arm_list(module, 'list', '/subscriptions/s/providers/Microsoft.Compute/skus', '2021-07-01',
                               odata_filter="location eq 'westus'")
    assert items == WESTUS_SKUS
    first, second = module.sent
    assert first.method == 'GET'
    assert first.url == "/subscriptions/s/providers/Microsoft.Compute/skus?api-version=2021-07-01&$filter=location eq 'westus'"
    assert second.url == 'https://management.azure.com/next?x=1'


def test_documentation_is_yaml_and_names_the_new_variables():
    doc = yaml.safe_load(preflight.DOCUMENTATION)
    assert 'phonebill_dr_location' in ' '.join(doc['options']['plan']['description'])
    assert yaml.safe_load(preflight.RETURN)['problems']['sample'][1].startswith('phonebill_dr_location:')


def test_an_error_page_is_raised_inside_module_call_which_fails_with_it():
    module = FakeModule(FakeResponse(403, {'error': {'code': 'AuthorizationFailed', 'message': 'no read access'}}))
    with pytest.raises(HttpResponseError, match='no read access'):
        preflight.arm_list(module, 'list', '/subscriptions/s/locations', '2022-12-01')
