# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the services' own settings (SPEC §5), before any ConfigMap is applied.

The services read these settings at start from the ConfigMap `<service>-settings`
the workloads role renders. A wrong value there is not refused by the API
server: it starts pods that misbehave (a circuit breaker that never opens, an L1
cache entry that outlives the L2 entry it copies). So every value is checked
here, each problem starting with its inventory path.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    described, item_label, items_of, list_problems, mapping_problems)

SECTIONS = ('kos_mock', 'kos_client', 'cache')
HTTP_METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
LOAD_BALANCING = ('round-robin', 'random')
EVICTIONS = ('LRU', 'LFU', 'FIFO')


def _whole(problems, path, value, minimum=1):
    """Whether value is a whole number of at least minimum; the problem added when it is not."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problems.append('%s: %r is not a whole number of at least %d' % (path, value, minimum))
        return False
    return True


def _section(problems, path, value, what):
    problems.extend(mapping_problems(path, value, what))
    if value is None:
        problems.append('%s: required; give %s' % (path, what))
    return value if isinstance(value, dict) else {}


def _endpoint_problems(path, endpoint, seen):
    problems = []
    if not isinstance(endpoint, dict):
        return ['%s: must be a mapping (name, method, path, latency_ms, success_rate, rate_limit_per_minute), not %s'
                % (path, described(endpoint))]
    method, route = endpoint.get('method'), endpoint.get('path')
    if method not in HTTP_METHODS:
        problems.append('%s.method: %r is not one of %s' % (path, method, ', '.join(HTTP_METHODS)))
    if not isinstance(route, str) or not route.startswith('/'):
        problems.append('%s.path: %r is not a path; give it starting with / (e.g. /api/kos/bill-inquiry)' % (path, route))
    elif (method, route) in seen:
        problems.append('%s.path: %s %s is declared twice; declare each endpoint once' % (path, method, route))
    seen.add((method, route))
    latency = _section(problems, path + '.latency_ms', endpoint.get('latency_ms'), 'min and max in milliseconds')
    low, high = latency.get('min'), latency.get('max')
    if _whole(problems, path + '.latency_ms.min', low, 0) & _whole(problems, path + '.latency_ms.max', high, 0) and low > high:
        problems.append('%s.latency_ms.min: %d is above max %d; give min <= max' % (path, low, high))
    rate = endpoint.get('success_rate')
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= 100:
        problems.append('%s.success_rate: %r is not a percentage above 0 and at most 100 (e.g. 99.5)' % (path, rate))
    _whole(problems, path + '.rate_limit_per_minute', endpoint.get('rate_limit_per_minute'))
    return problems


def _kos_mock_problems(path, section):
    problems = []
    endpoints = section.get('endpoints')
    problems.extend(list_problems(path + '.endpoints', endpoints, 'the simulated endpoints') or
                    ([] if endpoints else ['%s.endpoints: at least one simulated endpoint' % path]))
    seen = set()
    for position, endpoint in enumerate(items_of(endpoints)):
        problems.extend(_endpoint_problems('%s.endpoints[%s]' % (path, item_label(endpoint, position)), endpoint, seen))
    return problems


def _kos_client_problems(path, section):
    problems = []
    breaker = _section(problems, path + '.circuit_breaker', section.get('circuit_breaker'),
                       'failure_threshold, open_seconds and half_open_calls')
    for key in ('failure_threshold', 'open_seconds', 'half_open_calls'):
        if breaker:
            _whole(problems, '%s.circuit_breaker.%s' % (path, key), breaker.get(key))
    if section.get('load_balancing') not in LOAD_BALANCING:
        problems.append('%s.load_balancing: %r is not one of %s'
                        % (path, section.get('load_balancing'), ', '.join(LOAD_BALANCING)))
    health = _section(problems, path + '.health_check', section.get('health_check'),
                      'path, unhealthy_threshold and healthy_threshold')
    if health:
        if not str(health.get('path', '')).startswith('/'):
            problems.append('%s.health_check.path: %r is not a path; give it starting with / (e.g. /actuator/health)'
                            % (path, health.get('path')))
        for key in ('unhealthy_threshold', 'healthy_threshold'):
            _whole(problems, '%s.health_check.%s' % (path, key), health.get(key))
    return problems


def _cache_problems(path, section):
    problems = []
    l1 = _section(problems, path + '.l1', section.get('l1'), 'ttl_seconds, max_entries and eviction')
    l2 = _section(problems, path + '.l2', section.get('l2'), 'ttl_seconds')
    l1_ttl = l1.get('ttl_seconds')
    if l1 and _whole(problems, path + '.l1.ttl_seconds', l1_ttl) & _whole(problems, path + '.l1.max_entries', l1.get('max_entries')):
        if l2 and _whole(problems, path + '.l2.ttl_seconds', l2.get('ttl_seconds')) and l1_ttl > l2['ttl_seconds']:
            problems.append('%s.l1.ttl_seconds: %d outlives the L2 entry it copies (%d s), so a stale value would be '
                            'served after Redis dropped it; keep L1 at most as long as L2' % (path, l1_ttl, l2['ttl_seconds']))
    if l1 and l1.get('eviction') not in EVICTIONS:
        problems.append('%s.l1.eviction: %r is not one of %s' % (path, l1.get('eviction'), ', '.join(EVICTIONS)))
    patterns = section.get('ttl_by_pattern') or {}
    problems.extend(mapping_problems(path + '.ttl_by_pattern', patterns, 'pattern: TTL in seconds'))
    for pattern, ttl in sorted(patterns.items()) if isinstance(patterns, dict) else ():
        _whole(problems, '%s.ttl_by_pattern.%s' % (path, pattern), ttl)
    return problems


SECTION_CHECKS = {'kos_mock': _kos_mock_problems, 'kos_client': _kos_client_problems, 'cache': _cache_problems}


def app_settings_problems(settings, services, path='phonebill_app_settings', services_path='phonebill_workloads.services'):
    """Every problem of the settings and of the services' choice of them, as 'path: what; the fix'."""
    if settings is None:
        return []
    problems = mapping_problems(path, settings, 'the services settings (app_settings.yml)')
    if problems:
        return problems
    for name in sorted(settings):
        if name not in SECTIONS:
            problems.append('%s.%s: not a settings section; use %s' % (path, name, ', '.join(SECTIONS)))
            continue
        section = settings[name]
        found = mapping_problems('%s.%s' % (path, name), section, 'the %s settings' % name)
        problems.extend(found or SECTION_CHECKS[name]('%s.%s' % (path, name), section))
    for position, service in enumerate(items_of(services)):
        if not isinstance(service, dict) or service.get('settings') is None:
            continue
        where = '%s[%s].settings' % (services_path, item_label(service, position))
        chosen = service['settings']
        problems.extend(list_problems(where, chosen, 'names of sections of %s' % path))
        for name in items_of(chosen):
            if name not in settings:
                problems.append('%s: %r is not a section of %s; use one of %s'
                                % (where, name, path, ', '.join(sorted(settings)) or '(none declared)'))
    return problems
