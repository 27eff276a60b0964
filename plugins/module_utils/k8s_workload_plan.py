# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the workloads inventory (SPEC §5) that need no cluster.

The API server would accept many wrong plans (a memory limit below the
request is refused, but an HPA whose minimum exceeds the replicas, a budget
that never allows a disruption, or an image `:latest` are not), and the
ones it refuses it refuses one object at a time, after the namespace and
RBAC are already written. These checks report every problem at once, each
starting with the inventory path, before anything is applied.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible.module_utils.six import string_types

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_key_vault import keys_problems, secret_name_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    GUID, described, item_label, items_of, list_problems, mapping_problems)

DNS_LABEL = re.compile(r'^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$')
QUANTITY = re.compile(r'^([0-9]+(\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$')
FACTORS = {None: 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40}
METRIC_TYPES = ('cpu', 'memory', 'pods')
ANTI_AFFINITY_TYPES = ('preferred', 'required')
SPREAD_POLICIES = ('DoNotSchedule', 'ScheduleAnyway')


def quantity(value):
    """A Kubernetes quantity (V(500m), V(1536Mi), V(2)) as a float, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = QUANTITY.match(str(value).strip())
    if not match:
        return None
    return float(match.group(1)) * FACTORS[match.group(3)]


def image_problem(image):
    """Why an image reference is not pinned, or None."""
    if not isinstance(image, string_types) or not image:
        return 'required; give <registry>/<repository>:<tag> or @sha256:<digest>'
    if '@' in image:
        digest = image.split('@', 1)[1]
        if not re.match(r'^sha256:[0-9a-f]{64}$', digest):
            return '%r has a malformed digest; use @sha256:<64 hex digits>' % image
        return None
    last = image.rsplit('/', 1)[-1]
    if ':' not in last:
        return '%r has no tag; pin a release tag or a digest (an untagged image is :latest)' % image
    if last.rsplit(':', 1)[1] == 'latest':
        return '%r uses :latest; pin a release tag or a digest so a restart cannot change the code' % image
    return None


def _add(problems, path, message):
    problems.append('%s: %s' % (path, message))


def _mapping(problems, path, value, what):
    """value when it is a mapping; {} when it is not stated, or (with the problem) when it is something else."""
    problems.extend(mapping_problems(path, value, what))
    return value if isinstance(value, dict) else {}


def _port(problems, path, value):
    """A TCP/UDP port: a whole number from 1 to 65535."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535):
        _add(problems, path, '%r is not a port; use a whole number from 1 to 65535' % (value,))


def _ports(problems, path, values):
    problems.extend(list_problems(path, values, 'ports, e.g. [5432]'))
    for value in items_of(values):
        _port(problems, path, value)


def _positive_int(problems, path, value, minimum=1):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        _add(problems, path, '%r is not an integer of at least %s' % (value, minimum))
        return False
    return True


def _check_resources(problems, path, resources):
    if not isinstance(resources, dict):
        _add(problems, path, 'required; give requests and limits of cpu and memory')
        return
    sides = {}
    for side in ('requests', 'limits'):
        problems.extend(mapping_problems('%s.%s' % (path, side), resources.get(side), 'cpu and memory quantities'))
        if resources.get(side) is None or isinstance(resources[side], dict):
            sides[side] = resources.get(side) or {}
    for resource in ('cpu', 'memory'):
        values = {}
        for side in sides:
            value = sides[side].get(resource)
            where = '%s.%s.%s' % (path, side, resource)
            if value is None:
                _add(problems, where, 'required; every container states its %s %s' % (resource, side))
            elif quantity(value) is None or (quantity(value) <= 0):
                _add(problems, where, '%r is not a positive Kubernetes quantity (e.g. 500m, 2, 512Mi, 1536Mi)' % (value,))
            else:
                values[side] = quantity(value)
        if len(values) == 2 and values['limits'] < values['requests']:
            _add(problems, '%s.limits.%s' % (path, resource), '%s is below the request %s; raise the limit or lower the request'
                 % (resources['limits'][resource], resources['requests'][resource]))


def _check_probe(problems, path, probe):
    if probe is None:
        return
    if not isinstance(probe, dict) or not str(probe.get('path', '')).startswith('/'):
        _add(problems, path + '.path', 'an HTTP path starting with / (e.g. /actuator/health/liveness)')
        return
    for field in ('initial_delay', 'period', 'timeout', 'failure_threshold'):
        if field in probe:
            _positive_int(problems, '%s.%s' % (path, field), probe[field], 0 if field == 'initial_delay' else 1)


def _check_hpa(problems, path, hpa, replicas):
    if hpa is None:
        return
    if not isinstance(hpa, dict):
        _add(problems, path, 'a mapping with min, max and metrics')
        return
    ok = _positive_int(problems, path + '.min', hpa.get('min')) & _positive_int(problems, path + '.max', hpa.get('max'))
    if ok and hpa['min'] > hpa['max']:
        _add(problems, path + '.min', '%s is above max %s; the autoscaler range must have min <= max' % (hpa['min'], hpa['max']))
    elif ok and isinstance(replicas, int) and not hpa['min'] <= replicas <= hpa['max']:
        _add(problems, path.rsplit('.', 1)[0] + '.replicas', '%s is outside the autoscaler range %s-%s; the autoscaler would '
             'override it at once, so state a value in the range' % (replicas, hpa['min'], hpa['max']))
    metrics = hpa.get('metrics')
    if not isinstance(metrics, list) or not metrics:
        _add(problems, path + '.metrics', 'at least one metric (type cpu, memory or pods)')
        return
    for index, metric in enumerate(metrics):
        where = '%s.metrics[%d]' % (path, index)
        kind = (metric or {}).get('type') if isinstance(metric, dict) else None
        if kind not in METRIC_TYPES:
            _add(problems, where + '.type', '%r is not a known metric type; use one of %s' % (kind, ', '.join(METRIC_TYPES)))
            continue
        target = metric.get('target')
        if kind in ('cpu', 'memory'):
            _positive_int(problems, where + '.target', target)
        else:
            if not isinstance(metric.get('name'), string_types) or not metric.get('name'):
                _add(problems, where + '.name', 'required for a pods metric (the custom metric name, e.g. requests_per_second)')
            if quantity(target) is None or quantity(target) <= 0:
                _add(problems, where + '.target', '%r is not a positive average value per pod' % (target,))


def _check_secrets(problems, path, secrets):
    """The Secrets a service reads, each {name, keys: {Secret key: Key Vault secret name}} (k8s_secret_from_key_vault's rules)."""
    problems.extend(list_problems(path, secrets, 'Secrets, each {name, keys}'))
    for position, secret in enumerate(items_of(secrets)):
        where = '%s[%s]' % (path, item_label(secret, position))
        if not isinstance(secret, dict):
            _add(problems, where, 'must be a mapping with name and keys (Secret key: Key Vault secret name), not %s'
                 % described(secret))
            continue
        problems.extend(secret_name_problems(where + '.name', secret.get('name')))
        problems.extend(keys_problems(where + '.keys', secret.get('keys')))


def _check_service(problems, path, service, subjects, names):
    name = service.get('name')
    if not isinstance(name, string_types) or not DNS_LABEL.match(name):
        _add(problems, path + '.name', '%r is not a DNS label (lower-case letters, digits, -; 63 at most)' % (name,))
    elif name in names:
        _add(problems, path + '.name', '%s is declared twice; declare each service once' % name)
    names.add(name)
    problem = image_problem(service.get('image'))
    if problem:
        _add(problems, path + '.image', problem)
    replicas = service.get('replicas')
    _positive_int(problems, path + '.replicas', replicas)
    _check_resources(problems, path + '.resources', service.get('resources'))
    probes = service.get('probes') or {}
    problems.extend(mapping_problems(path + '.probes', probes, 'liveness and readiness probes'))
    for probe in ('liveness', 'readiness') if isinstance(probes, dict) else ():
        if probe not in probes:
            _add(problems, '%s.probes.%s' % (path, probe), 'required; every service has liveness and readiness probes')
        _check_probe(problems, '%s.probes.%s' % (path, probe), probes.get(probe))
    _check_hpa(problems, path + '.hpa', service.get('hpa'), replicas)
    _check_secrets(problems, path + '.secrets', service.get('secrets'))
    pdb = service.get('pdb')
    problems.extend(mapping_problems(path + '.pdb', pdb, 'min_available'))
    if isinstance(pdb, dict) and _positive_int(problems, path + '.pdb.min_available', pdb.get('min_available')):
        hpa = service.get('hpa') if isinstance(service.get('hpa'), dict) else {}
        counts = [x for x in (replicas, hpa.get('min')) if isinstance(x, int) and not isinstance(x, bool)]
        floor = min(counts) if counts else None
        if floor is not None and pdb['min_available'] >= floor:
            _add(problems, path + '.pdb.min_available', '%s leaves no disruption allowed with %s replicas, so node drains '
                 'and upgrades would block; keep it below the replica count' % (pdb['min_available'], floor))
    anti = _mapping(problems, path + '.anti_affinity', service.get('anti_affinity'), 'type and weight')
    if anti.get('type', 'preferred') not in ANTI_AFFINITY_TYPES:
        _add(problems, path + '.anti_affinity.type', '%r is not one of %s' % (anti.get('type'), ', '.join(ANTI_AFFINITY_TYPES)))
    if 'weight' in anti and (not isinstance(anti['weight'], int) or not 1 <= anti['weight'] <= 100):
        _add(problems, path + '.anti_affinity.weight', '%r is not an integer from 1 to 100' % (anti['weight'],))
    account = service.get('service_account')
    if account is not None and not (isinstance(account, string_types) and DNS_LABEL.match(account.replace('.', '-'))):
        _add(problems, path + '.service_account', '%r is not a valid service account name' % (account,))
    if service.get('workload_identity') and account not in subjects:
        _add(problems, path + '.workload_identity', 'service account %s is not in phonebill_workload_identity_subjects, '
             'so Azure would refuse its token; add it there (and its federated credential) or turn this off' % account)


def _subnet_prefix(vnet, name):
    for subnet in items_of((vnet or {}).get('subnets')):
        if isinstance(subnet, dict) and subnet.get('name') == name:
            return subnet.get('address_prefix')
    return None


def workload_plan_problems(workloads, vnet=None, subjects=None, path='phonebill_workloads'):
    """Every problem of the plan except the client id, which exists only once the identity layer ran."""
    problems = []
    if not isinstance(workloads, dict):
        problems.extend(mapping_problems(path, workloads, 'the workloads settings (workloads.yml)') or
                        ['%s: a mapping (workloads.yml)' % path])
        return problems
    subjects = subjects or []
    namespace = workloads.get('namespace')
    if not isinstance(namespace, string_types) or not DNS_LABEL.match(namespace):
        _add(problems, path + '.namespace', '%r is not a DNS label' % (namespace,))
    _port(problems, path + '.port', workloads.get('port'))
    spread = _mapping(problems, path + '.zone_spread', workloads.get('zone_spread'), 'max_skew and when_unsatisfiable')
    if spread.get('when_unsatisfiable', 'DoNotSchedule') not in SPREAD_POLICIES:
        _add(problems, path + '.zone_spread.when_unsatisfiable', '%r is not one of %s'
             % (spread.get('when_unsatisfiable'), ', '.join(SPREAD_POLICIES)))
    if 'max_skew' in spread:
        _positive_int(problems, path + '.zone_spread.max_skew', spread['max_skew'])
    services = workloads.get('services')
    if not isinstance(services, list) or not services:
        problems.extend(list_problems(path + '.services', services, 'services, each a mapping with name, image, ...')
                        or ['%s.services: at least one service' % path])
        services = []
    names = set()
    for index, service in enumerate(services):
        where = '%s.services[%s]' % (path, service.get('name', index) if isinstance(service, dict) else index)
        if not isinstance(service, dict):
            problems.append('%s must be a mapping (name, image, replicas, ...), not %s' % (where, described(service)))
            continue
        _check_service(problems, where, service, subjects, names)
        prometheus = _mapping(problems, where + '.prometheus', service.get('prometheus'), 'path and port')
        _port(problems, where + '.prometheus.port', prometheus.get('port'))
    policy = _mapping(problems, path + '.network_policy', workloads.get('network_policy'), 'the network policy settings')
    for key in ('ingress_port', 'https_port'):
        _port(problems, '%s.network_policy.%s' % (path, key), policy.get(key))
    for key in ('database_subnet', 'cache_subnet'):
        subnet = policy.get(key)
        if subnet is None:
            continue
        prefix = _subnet_prefix(vnet, subnet)
        if prefix is None:
            _add(problems, '%s.network_policy.%s' % (path, key), '%s is not a subnet of phonebill_vnet (network.yml)' % subnet)
            continue
        try:
            ipaddress.ip_network(prefix)
        except ValueError:
            _add(problems, 'phonebill_vnet.subnets[%s].address_prefix' % subnet, '%r is not a CIDR' % (prefix,))
    for key in ('database_ports', 'cache_ports'):
        _ports(problems, '%s.network_policy.%s' % (path, key), policy.get(key))
    return problems


def check_workloads(workloads, vnet=None, client_id=None, subjects=None, path='phonebill_workloads'):
    """Every problem of the plan, as 'path: message' strings (empty when the plan is sound)."""
    problems = workload_plan_problems(workloads, vnet, subjects, path)
    services = workloads.get('services') if isinstance(workloads, dict) else None
    if any(isinstance(s, dict) and s.get('workload_identity') for s in items_of(services)):
        if not isinstance(client_id, string_types) or not GUID.match(client_id):
            _add(problems, 'phonebill_services_identity_client_id', '%r is not the client id (a GUID) of the services '
                 'identity; take it from the identity layer (its set_stats) or extra vars' % (client_id,))
    return problems
