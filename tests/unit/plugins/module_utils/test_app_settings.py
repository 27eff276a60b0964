# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The services' settings (SPEC §5): the production values pass, each wrong value is named with its fix."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils.app_settings import app_settings_problems
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import production_plan


def settings_and_services():
    plan = copy.deepcopy(production_plan())
    return plan['phonebill_app_settings'], plan['phonebill_workloads']['services']


def test_the_production_settings_pass():
    assert app_settings_problems(*settings_and_services()) == []


def test_no_settings_is_no_problem():
    assert app_settings_problems(None, []) == []


@pytest.mark.parametrize('change,expected', [
    (lambda s, v: s['kos_mock']['endpoints'].append(dict(s['kos_mock']['endpoints'][0], name='again')),
     'phonebill_app_settings.kos_mock.endpoints[again].path: POST /api/kos/bill-inquiry is declared twice'),
    (lambda s, v: s['kos_mock']['endpoints'][0].update(method='FETCH'),
     "phonebill_app_settings.kos_mock.endpoints[bill-inquiry].method: 'FETCH' is not one of GET, POST"),
    (lambda s, v: s['kos_mock']['endpoints'][0].update(path='api/kos'),
     "phonebill_app_settings.kos_mock.endpoints[bill-inquiry].path: 'api/kos' is not a path"),
    (lambda s, v: s['kos_mock']['endpoints'][2]['latency_ms'].update(min=300),
     'phonebill_app_settings.kos_mock.endpoints[auth].latency_ms.min: 300 is above max 200'),
    (lambda s, v: s['kos_mock']['endpoints'][2].update(success_rate=0),
     'phonebill_app_settings.kos_mock.endpoints[auth].success_rate: 0 is not a percentage'),
    (lambda s, v: s['kos_mock']['endpoints'][2].update(rate_limit_per_minute='200/min'),
     "phonebill_app_settings.kos_mock.endpoints[auth].rate_limit_per_minute: '200/min' is not a whole number"),
    (lambda s, v: s['kos_mock'].update(endpoints=[]), 'phonebill_app_settings.kos_mock.endpoints: at least one'),
    (lambda s, v: s['kos_client']['circuit_breaker'].update(half_open_calls=0),
     'phonebill_app_settings.kos_client.circuit_breaker.half_open_calls: 0 is not a whole number of at least 1'),
    (lambda s, v: s['kos_client'].update(load_balancing='sticky'),
     "phonebill_app_settings.kos_client.load_balancing: 'sticky' is not one of round-robin, random"),
    (lambda s, v: s['kos_client']['health_check'].update(path='health'),
     "phonebill_app_settings.kos_client.health_check.path: 'health' is not a path"),
    (lambda s, v: s['kos_client'].pop('circuit_breaker'),
     'phonebill_app_settings.kos_client.circuit_breaker: required'),
    (lambda s, v: s['cache']['l1'].update(ttl_seconds=3600),
     'phonebill_app_settings.cache.l1.ttl_seconds: 3600 outlives the L2 entry it copies (1800 s)'),
    (lambda s, v: s['cache']['l1'].update(eviction='random'),
     "phonebill_app_settings.cache.l1.eviction: 'random' is not one of LRU, LFU, FIFO"),
    (lambda s, v: s['cache']['ttl_by_pattern'].update(bill_data='1h'),
     "phonebill_app_settings.cache.ttl_by_pattern.bill_data: '1h' is not a whole number"),
    (lambda s, v: s.update(caches={}), 'phonebill_app_settings.caches: not a settings section'),
    (lambda s, v: s.update(cache=['l1']), 'phonebill_app_settings.cache must be a mapping'),
    (lambda s, v: v[0].update(settings='cache'), 'phonebill_workloads.services[auth-service].settings must be a list'),
    (lambda s, v: v[1].update(settings=['cache', 'kos-client']),
     "phonebill_workloads.services[bill-inquiry-service].settings: 'kos-client' is not a section"),
])
def test_each_wrong_value_is_named_once(change, expected):
    settings, services = settings_and_services()
    change(settings, services)
    problems = app_settings_problems(settings, services)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
