# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of the gateway's path into the cluster, on the production inventory and variants of it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils.ingress_plan import (
    gateway_backend_problems, ingress_problems, node_addresses)
from ansible_collections.phonebill.platform.plugins.modules import k8s_workload_preflight
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import production_plan
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

PLAN = production_plan()


def problems_with(**changes):
    ingress = copy.deepcopy(PLAN['phonebill_ingress'])
    ingress.update(changes)
    return ingress_problems(ingress, PLAN['phonebill_workloads'], PLAN['phonebill_vnet'], PLAN['phonebill_aks'])


def test_production_ingress_is_sound():
    assert problems_with() == []


def test_nodes_take_the_autoscaler_maximum_plus_a_surge_node_per_pool():
    # system 5 + app 10 autoscaler maximum, one surge node per pool; Overlay: one address each
    assert node_addresses(PLAN['phonebill_aks']) == 17
    classic = copy.deepcopy(PLAN['phonebill_aks'])
    classic['network']['plugin_mode'] = None
    assert node_addresses(classic) == 17 * 31


@pytest.mark.parametrize('address, fragment', [
    ('10.0.1.0', 'one of the five addresses Azure reserves'),
    ('10.0.1.1', 'one of the five addresses Azure reserves'),
    ('10.0.1.3', 'one of the five addresses Azure reserves'),
    ('10.0.1.255', 'one of the five addresses Azure reserves'),
    ('10.0.1.4', 'among the first 17 addresses'),
    ('10.0.1.20', 'among the first 17 addresses'),
    ('10.0.2.10', 'outside the subnet snet-application (10.0.1.0/24)'),
    ('fd00::1', 'is not an IPv4 address'),
    (None, 'is not an IPv4 address'),
])
def test_address_refused(address, fragment):
    found = problems_with(private_ip=address)
    assert len(found) == 1 and found[0].startswith('phonebill_ingress.private_ip: ') and fragment in found[0], found


@pytest.mark.parametrize('address', ['10.0.1.21', '10.0.1.250', '10.0.1.254'])
def test_address_above_the_nodes_accepted(address):
    assert problems_with(private_ip=address) == []


def test_route_without_backend_names_the_route_and_the_services():
    routes = copy.deepcopy(PLAN['phonebill_ingress']['routes']) + [{'path': '/api/kos/', 'service': 'kos-service'}]
    found = problems_with(routes=routes)
    assert found == ["phonebill_ingress.routes[3].service: 'kos-service' is not a service of phonebill_workloads.services "
                     "(auth-service, bill-inquiry-service, kos-mock-service, product-change-service); a prefix needs a "
                     "backend service, so name one or remove the route"]


@pytest.mark.parametrize('path', ['/bills/', '/api/', '/api/bills', 'api/bills/', None])
def test_route_outside_the_gateway_rule_refused(path):
    routes = copy.deepcopy(PLAN['phonebill_ingress']['routes'])
    routes[1]['path'] = path
    found = problems_with(routes=routes)
    assert len(found) == 1 and found[0].startswith('phonebill_ingress.routes[1].path: ') and '/api/*' in found[0], found


def test_health_path_inside_the_routed_paths_refused():
    assert problems_with(health_path='/api/health')[0].startswith('phonebill_ingress.health_path: ')


def test_router_problems_each_named():
    router = copy.deepcopy(PLAN['phonebill_ingress']['router'])
    router.update(image='nginx', port=0, replicas=3, pdb={'min_available': 3})
    router['resources']['limits']['memory'] = 'lots'
    found = [p.split(':')[0] for p in problems_with(router=router)]
    assert found == ['phonebill_ingress.router.image', 'phonebill_ingress.router.port',
                     'phonebill_ingress.router.resources.limits.memory', 'phonebill_ingress.router.pdb.min_available']


def test_wrong_types_are_problems_never_errors():
    assert ingress_problems('10.0.1.250')[0].startswith('phonebill_ingress: a mapping')
    found = problems_with(router=['api-router'], routes={'path': '/api/auth/'}, port='80')
    assert [p.split(':')[0].split(' must ')[0] for p in found] == [
        'phonebill_ingress.port', 'phonebill_ingress.router', 'phonebill_ingress.routes']


def test_gateway_backend_must_match_the_ingress():
    ingress = PLAN['phonebill_ingress']
    assert gateway_backend_problems(ingress, ['10.0.1.250'], 80, '/healthz', 'gw') == []
    found = gateway_backend_problems(ingress, ['10.0.1.250'], 8080, '/health', 'gw')
    assert [p.split(':')[0] for p in found] == ['gw.port', 'gw.probe_path']
    assert '8080 differs from the Service port phonebill_ingress.port (80)' in found[0]
    assert gateway_backend_problems(ingress, ['10.0.1.4', '10.0.1.250'], 80, '/healthz', 'gw')[0].startswith('gw.addresses: ')


def test_preflight_module_refuses_a_port_mismatch_and_a_route_without_service():
    ingress = copy.deepcopy(PLAN['phonebill_ingress'])
    ingress['routes'][0]['service'] = 'login-service'
    result = run_module(k8s_workload_preflight.main, dict(
        workloads=PLAN['phonebill_workloads'], vnet=PLAN['phonebill_vnet'], aks=PLAN['phonebill_aks'],
        client_id='11111111-2222-3333-4444-555555555555', subjects=PLAN['phonebill_workload_identity_subjects'],
        ingress=ingress, gateway_backend=dict(addresses=['10.0.1.250'], port=443, probe_path='/healthz')))
    assert result['failed']
    assert [p.split(':')[0] for p in result['problems']] == ['phonebill_ingress.routes[0].service', 'gateway_backend.port']


def test_preflight_module_passes_the_production_plan():
    result = run_module(k8s_workload_preflight.main, dict(
        workloads=PLAN['phonebill_workloads'], vnet=PLAN['phonebill_vnet'], aks=PLAN['phonebill_aks'],
        client_id='11111111-2222-3333-4444-555555555555', subjects=PLAN['phonebill_workload_identity_subjects'],
        ingress=PLAN['phonebill_ingress']))
    assert not result.get('failed'), result.get('msg')


def test_router_without_budget_refused():
    router = copy.deepcopy(PLAN['phonebill_ingress']['router'])
    del router['pdb']
    assert [p.split(':')[0] for p in problems_with(router=router)] == ['phonebill_ingress.router.pdb.min_available']
