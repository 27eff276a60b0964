# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The workloads plan checks (k8s_workload_plan) on the production inventory and on bad inputs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os

import pytest
import yaml

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload_plan import check_workloads, image_problem, quantity

INVENTORY = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'inventories', 'prod', 'group_vars', 'all')
CLIENT_ID = '11111111-2222-3333-4444-555555555555'


def load(name):
    with open(os.path.join(INVENTORY, name)) as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def plan():
    workloads = copy.deepcopy(load('workloads.yml')['phonebill_workloads'])
    workloads['namespace'] = 'phonebill-prod'   # a Jinja reference in the inventory
    return workloads


@pytest.fixture
def vnet():
    return load('network.yml')['phonebill_vnet']


SUBJECTS = load('identity.yml')['phonebill_workload_identity_subjects']


def service(plan, name):
    return next(s for s in plan['services'] if s['name'] == name)


def problems(plan, vnet, client_id=CLIENT_ID):
    return check_workloads(plan, vnet, client_id, SUBJECTS)


def test_production_inventory_is_sound(plan, vnet):
    assert problems(plan, vnet) == []


def test_inventory_has_the_spec_values(plan):
    table = dict((s['name'], (s['resources']['requests']['cpu'], s['resources']['requests']['memory'],
                              s['resources']['limits']['cpu'], s['resources']['limits']['memory'], s['replicas'],
                              s['hpa']['min'], s['hpa']['max'], (s.get('pdb') or {}).get('min_available')))
                 for s in plan['services'])
    assert table == {
        'auth-service': ('200m', '512Mi', '1000m', '1Gi', 3, 3, 10, 2),
        'bill-inquiry-service': ('500m', '1Gi', '2000m', '2Gi', 3, 3, 15, 2),
        'product-change-service': ('300m', '768Mi', '1500m', '1536Mi', 2, 2, 8, 1),
        'kos-mock-service': ('200m', '512Mi', '1000m', '1Gi', 3, 2, 6, None),
    }
    assert service(plan, 'kos-mock-service')['hpa']['metrics'] == [{'type': 'cpu', 'target': 70}]
    assert service(plan, 'auth-service')['hpa']['metrics'][2] == {'type': 'pods', 'name': 'requests_per_second', 'target': 50}


@pytest.mark.parametrize('change, expected', [
    (lambda p: service(p, 'auth-service')['resources']['limits'].update(memory='256Mi'),
     'phonebill_workloads.services[auth-service].resources.limits.memory: 256Mi is below the request 512Mi'),
    (lambda p: service(p, 'auth-service')['resources']['requests'].update(cpu='lots'),
     "phonebill_workloads.services[auth-service].resources.requests.cpu: 'lots' is not a positive Kubernetes quantity"),
    (lambda p: service(p, 'bill-inquiry-service')['hpa'].update(min=16),
     'phonebill_workloads.services[bill-inquiry-service].hpa.min: 16 is above max 15'),
    (lambda p: service(p, 'auth-service')['hpa']['metrics'].append({'type': 'gpu', 'target': 50}),
     "phonebill_workloads.services[auth-service].hpa.metrics[3].type: 'gpu' is not a known metric type"),
    (lambda p: service(p, 'kos-mock-service').update(image='phonebill/kos-mock-service:latest'),
     "phonebill_workloads.services[kos-mock-service].image: 'phonebill/kos-mock-service:latest' uses :latest"),
    (lambda p: service(p, 'kos-mock-service').update(image='registry:5000/phonebill/kos-mock-service'),
     "phonebill_workloads.services[kos-mock-service].image: 'registry:5000/phonebill/kos-mock-service' has no tag"),
    (lambda p: service(p, 'product-change-service').update(replicas=9),
     'phonebill_workloads.services[product-change-service].replicas: 9 is outside the autoscaler range 2-8'),
    (lambda p: service(p, 'product-change-service')['pdb'].update(min_available=2),
     'phonebill_workloads.services[product-change-service].pdb.min_available: 2 leaves no disruption allowed'),
    (lambda p: service(p, 'auth-service')['hpa']['metrics'][2].pop('name'),
     'phonebill_workloads.services[auth-service].hpa.metrics[2].name: required for a pods metric'),
    (lambda p: service(p, 'auth-service')['probes'].pop('readiness'),
     'phonebill_workloads.services[auth-service].probes.readiness: required'),
    (lambda p: p['network_policy'].update(cache_subnet='snet-redis'),
     'phonebill_workloads.network_policy.cache_subnet: snet-redis is not a subnet of phonebill_vnet'),
    (lambda p: service(p, 'kos-mock-service').update(workload_identity=True),
     'phonebill_workloads.services[kos-mock-service].workload_identity: service account kos-mock-service-sa is not in '
     'phonebill_workload_identity_subjects'),
    (lambda p: p['zone_spread'].update(when_unsatisfiable='Sometimes'),
     "phonebill_workloads.zone_spread.when_unsatisfiable: 'Sometimes' is not one of DoNotSchedule, ScheduleAnyway"),
    (lambda p: p['services'].append(copy.deepcopy(p['services'][0])),
     'phonebill_workloads.services[auth-service].name: auth-service is declared twice'),

    (lambda p: p.update(port=70000), 'phonebill_workloads.port: 70000 is not a port; use a whole number from 1 to 65535'),
    (lambda p: p.update(port=0), 'phonebill_workloads.port: 0 is not a port'),
    (lambda p: p['network_policy'].update(ingress_port='http'), "phonebill_workloads.network_policy.ingress_port: 'http' is not a port"),
    (lambda p: p['network_policy'].update(https_port=65536), 'phonebill_workloads.network_policy.https_port: 65536 is not a port'),
    (lambda p: p['network_policy'].update(cache_ports=[6380, 0]), 'phonebill_workloads.network_policy.cache_ports: 0 is not a port'),
    (lambda p: service(p, 'kos-mock-service')['prometheus'].update(port=99999),
     'phonebill_workloads.services[kos-mock-service].prometheus.port: 99999 is not a port'),
    (lambda p: p['network_policy'].update(database_ports='5432'),
     "phonebill_workloads.network_policy.database_ports must be a list of ports, e.g. [5432], not a string '5432'"),
    (lambda p: p.update(services=dict((s['name'], s) for s in p['services'])),
     'phonebill_workloads.services must be a list of services'),
    (lambda p: p.update(zone_spread=['max_skew=1']), 'phonebill_workloads.zone_spread must be a mapping'),
    (lambda p: p.update(network_policy='production-network-policy'), 'phonebill_workloads.network_policy must be a mapping'),
    (lambda p: service(p, 'auth-service')['resources'].update(requests=['200m', '512Mi']),
     'phonebill_workloads.services[auth-service].resources.requests must be a mapping'),
    (lambda p: service(p, 'auth-service').update(probes=['/actuator/health']),
     'phonebill_workloads.services[auth-service].probes must be a mapping'),
    (lambda p: service(p, 'auth-service').update(anti_affinity='preferred'),
     'phonebill_workloads.services[auth-service].anti_affinity must be a mapping'),
    (lambda p: service(p, 'auth-service').update(pdb=2), 'phonebill_workloads.services[auth-service].pdb must be a mapping'),
])
def test_bad_input_names_the_variable(plan, vnet, change, expected):
    change(plan)
    found = problems(plan, vnet)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_client_id_must_be_a_guid(plan, vnet):
    assert problems(plan, vnet, client_id='phonebill-services') == [
        "phonebill_services_identity_client_id: 'phonebill-services' is not the client id (a GUID) of the services "
        "identity; take it from the identity layer (its set_stats) or extra vars"]


def test_every_problem_reported_at_once(plan, vnet):
    service(plan, 'auth-service')['image'] = 'x:latest'
    service(plan, 'bill-inquiry-service')['hpa']['min'] = 20
    assert len(problems(plan, vnet)) == 2


@pytest.mark.parametrize('value, expected', [('500m', 0.5), ('2', 2.0), (2, 2.0), ('1536Mi', 1536 * 2 ** 20), ('1.5Gi', 1.5 * 2 ** 30),
                                             ('1G', 1e9), ('abc', None), ('1 Gi', None), (True, None)])
def test_quantity(value, expected):
    assert quantity(value) == expected


@pytest.mark.parametrize('image, ok', [
    ('acr.azurecr.io/phonebill/auth:1.0.0', True),
    ('acr.azurecr.io/phonebill/auth@sha256:' + 'a' * 64, True),
    ('localhost:5000/auth', False), ('auth', False), ('auth:latest', False), ('auth@sha256:abc', False), ('', False),
])
def test_image_pinning(image, ok):
    assert (image_problem(image) is None) == ok
