# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of an Application Gateway and its WAF policy, shared by the modules and preflight.

Azure refuses a bad gateway only after minutes of deployment (a listener
naming a port that does not exist, two rules with one priority, a WAF policy
on a Standard_v2 gateway, a subnet too small for the autoscale maximum).
These pure functions find all of it at once, on the modules' options or on
the inventory (`phonebill_gateway`, `phonebill_waf_policy`, which use the
same option names) with the option path as prefix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    canonical, choice_problems, described, integer_problems, item_label, items_of, list_problems, mapping_problems,
    name_problems)

SKUS = ('Standard_v2', 'WAF_v2')
WAF_SKU = 'WAF_v2'
PROTOCOLS = ('Http', 'Https')
RULE_TYPES = ('Basic', 'PathBasedRouting')
# Azure: a v2 gateway scales from 0 to 125 instances; the autoscale maximum is at least 2.
CAPACITY = (0, 125)
MAX_CAPACITY = (2, 125)
# API versions from 2021-08-01 require a priority on every request routing rule, 1 to 20000.
RULE_PRIORITY = (1, 20000)
# Azure reserves five addresses in every subnet: the network, the next three, the broadcast.
AZURE_RESERVED_ADDRESSES = 5
# The named sets of a gateway, as option -> REST collection, in the order Azure lists them.
COLLECTIONS = (
    ('frontend_ip_configurations', 'frontendIPConfigurations'),
    ('frontend_ports', 'frontendPorts'),
    ('ssl_certificates', 'sslCertificates'),
    ('backend_pools', 'backendAddressPools'),
    ('probes', 'probes'),
    ('http_settings', 'backendHttpSettingsCollection'),
    ('listeners', 'httpListeners'),
    ('url_path_maps', 'urlPathMaps'),
    ('routing_rules', 'requestRoutingRules'),
)

WAF_MODES = ('Prevention', 'Detection')
STATES = ('Enabled', 'Disabled')
WAF_ACTIONS = ('Allow', 'Block', 'Log', 'JSChallenge')
CUSTOM_RULE_TYPES = ('MatchRule', 'RateLimitRule')
RATE_LIMIT_DURATIONS = ('OneMin', 'FiveMins')
GROUP_BY_VARIABLES = ('ClientAddr', 'GeoLocation', 'None')
# Azure: custom rule priorities 1-100, names up to 128 letters and digits.
CUSTOM_RULE_PRIORITY = (1, 100)
CUSTOM_RULE_NAME = 128


def _named(prefix, option, value, what):
    """(label, item) of each mapping of a named list, the problems of the list, and the names seen."""
    where = prefix + option
    found = list_problems(where, value, what)
    entries, seen = [], {}
    for position, item in enumerate(items_of(value)):
        label = '%s[%s]' % (where, item_label(item, position))
        if not isinstance(item, dict):
            found.append('%s must be a mapping (%s), not %s' % (label, what, described(item)))
            continue
        name = item.get('name')
        found += name_problems(label + '.name', name, 'network') if name is not None else [
            '%s.name: required; name every entry' % label]
        if isinstance(name, str) and name.lower() in seen:
            found.append('%s.name: %s is named twice in %s; names are unique (without case), rename one'
                         % (label, name, where))
        seen[str(name).lower()] = name
        entries.append((label, item))
    return entries, found, set(seen)


def _refers(label, option, value, names, target, required=False):
    """An item's reference by name to an item of another set of the same gateway.

    names is None when that set is not stated (not managed): the item may exist in Azure.
    """
    if value is None:
        return ['%s.%s: required; name one of %s' % (label, option, target)] if required else []
    if names is not None and (not isinstance(value, str) or value.lower() not in names):
        return ['%s.%s: %r is not one of %s (%s); name one of them or add it there'
                % (label, option, value, target, ', '.join(sorted(names)) or 'none stated')]
    return []


def subnet_capacity_problems(prefix, gateway, subnet):
    """Whether the gateway subnet holds the autoscale maximum and the private frontend addresses.

    Azure: a v2 gateway takes one private address per instance, plus one per
    private frontend IP, in its subnet; Azure keeps five of every subnet.
    """
    autoscale = gateway.get('autoscale') if isinstance(gateway.get('autoscale'), dict) else {}
    maximum = autoscale.get('max_capacity')
    if subnet is None or isinstance(maximum, bool) or not isinstance(maximum, int):
        return []
    frontends = [f for f in items_of(gateway.get('frontend_ip_configurations'))
                 if isinstance(f, dict) and f.get('private_ip_address')]
    usable = subnet.num_addresses - AZURE_RESERVED_ADDRESSES
    needed = maximum + len(frontends)
    if needed <= usable:
        return []
    return ['%sautoscale.max_capacity: %d instances and %d private frontend address(es) need %d addresses, but the '
            'gateway subnet %s has %d usable (Azure keeps 5); lower max_capacity to %d or give the gateway a larger '
            'subnet (a /24 holds the maximum of 125)'
            % (prefix, maximum, len(frontends), needed, subnet, usable, max(usable - len(frontends), 0))]


def private_ip_problems(prefix, gateway, subnet):
    """Each private frontend IP lies in the gateway subnet and is not one of the addresses Azure keeps."""
    found = []
    for position, frontend in enumerate(items_of(gateway.get('frontend_ip_configurations'))):
        if not isinstance(frontend, dict) or frontend.get('private_ip_address') is None:
            continue
        where = '%sfrontend_ip_configurations[%s].private_ip_address' % (prefix, item_label(frontend, position))
        try:
            address = ipaddress.ip_address(frontend['private_ip_address'])
        except ValueError:
            found.append('%s: %r is not an IP address; give an address of the gateway subnet, e.g. 10.0.4.10'
                         % (where, frontend['private_ip_address']))
            continue
        if subnet is None:
            continue
        if address not in subnet:
            found.append('%s: %s lies outside the gateway subnet %s; give an address inside it' % (where, address, subnet))
        elif address in (subnet.network_address, subnet.broadcast_address) or int(address) - int(subnet.network_address) < 4:
            found.append('%s: %s is one of the addresses Azure keeps in %s (the first four and the last); give another'
                         % (where, address, subnet))
    return found


def waf_sku_problems(prefix, sku, firewall_policy):
    """Azure refuses a WAF_v2 gateway with neither a WAF policy nor a WAF configuration; a new one needs the policy."""
    if canonical(sku, SKUS) == WAF_SKU and not firewall_policy:
        return ['%sfirewall_policy: required with sku WAF_v2 (Azure refuses a WAF_v2 gateway without a WAF policy); '
                'name the WAF policy, or use sku Standard_v2' % prefix]
    return []


def gateway_problems(prefix, gateway, subnet=None):
    """Every input problem of a gateway (module options, or phonebill_gateway with its prefix).

    subnet is the gateway subnet as an ip_network when known (preflight: from
    the plan; the module: as Azure has it), else None.
    """
    found = choice_problems(prefix + 'sku', gateway.get('sku'), SKUS)
    if gateway.get('firewall_policy') and gateway.get('sku') is not None and canonical(gateway['sku'], SKUS) != WAF_SKU:
        found.append('%ssku: %s cannot carry a WAF policy (firewall_policy: %s), only WAF_v2 can; set sku: WAF_v2, '
                     'or leave firewall_policy out' % (prefix, gateway['sku'], gateway['firewall_policy']))
    autoscale = gateway.get('autoscale')
    found += mapping_problems(prefix + 'autoscale', autoscale, 'min_capacity and max_capacity')
    if isinstance(autoscale, dict):
        low, high = autoscale.get('min_capacity'), autoscale.get('max_capacity')
        found += integer_problems(prefix + 'autoscale.min_capacity', low, *CAPACITY, unit=' instances')
        found += integer_problems(prefix + 'autoscale.max_capacity', high, *MAX_CAPACITY, unit=' instances')
        if all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)) and low > high:
            found.append('%sautoscale: min_capacity %d is above max_capacity %d; lower the minimum or raise the maximum'
                         % (prefix, low, high))
    found += subnet_capacity_problems(prefix, gateway, subnet) + private_ip_problems(prefix, gateway, subnet)
    return found + _reference_problems(prefix, gateway)


def _reference_problems(prefix, gateway):
    """Names are unique per set, and every reference names an item of the set it points into."""
    sets, entries, found = {}, {}, []
    for option, _rest in COLLECTIONS:
        entries[option], problems, sets[option] = _named(prefix, option, gateway.get(option), 'entries with a name')
        found += problems
        if not isinstance(gateway.get(option), list):
            sets[option] = None
    for label, frontend in entries['frontend_ip_configurations']:
        if not frontend.get('public_ip') and not frontend.get('private_ip_address'):
            found.append('%s: states neither public_ip nor private_ip_address; give one' % label)
        elif frontend.get('public_ip') and frontend.get('private_ip_address'):
            found.append('%s: states both public_ip and private_ip_address; a frontend has one, make two frontends' % label)
    for label, port in entries['frontend_ports']:
        found += integer_problems(label + '.port', port.get('port'), 1, 65199, ' (65200-65535 are the v2 control ports)')
    for label, certificate in entries['ssl_certificates']:
        if not certificate.get('key_vault_secret') and not certificate.get('key_vault_secret_id'):
            found.append('%s: states neither key_vault_secret nor key_vault_secret_id; name the certificate in the vault'
                         % label)
    for label, settings in entries['http_settings']:
        found += choice_problems(label + '.protocol', settings.get('protocol'), PROTOCOLS)
        found += integer_problems(label + '.port', settings.get('port'), 1, 65535)
        found += _refers(label, 'probe', settings.get('probe'), sets['probes'], prefix + 'probes')
    for label, probe in entries['probes']:
        found += choice_problems(label + '.protocol', probe.get('protocol'), PROTOCOLS)
    for label, listener in entries['listeners']:
        found += choice_problems(label + '.protocol', listener.get('protocol'), PROTOCOLS)
        found += _refers(label, 'frontend_ip', listener.get('frontend_ip'), sets['frontend_ip_configurations'],
                         prefix + 'frontend_ip_configurations', required=True)
        found += _refers(label, 'frontend_port', listener.get('frontend_port'), sets['frontend_ports'],
                         prefix + 'frontend_ports', required=True)
        https = canonical(listener.get('protocol'), PROTOCOLS) == 'Https'
        found += _refers(label, 'ssl_certificate', listener.get('ssl_certificate'), sets['ssl_certificates'],
                         prefix + 'ssl_certificates', required=https)
    for label, path_map in entries['url_path_maps']:
        found += _refers(label, 'default_backend_pool', path_map.get('default_backend_pool'), sets['backend_pools'],
                         prefix + 'backend_pools', required=True)
        found += _refers(label, 'default_http_settings', path_map.get('default_http_settings'), sets['http_settings'],
                         prefix + 'http_settings', required=True)
        rules, problems, _names = _named(label + '.', 'path_rules', path_map.get('path_rules'), 'path rules')
        found += problems
        for rule_label, rule in rules:
            found += list_problems(rule_label + '.paths', rule.get('paths'), 'paths, e.g. ["/api/*"]')
            if not items_of(rule.get('paths')):
                found.append('%s.paths: required; give at least one path, e.g. /api/*' % rule_label)
            found += _refers(rule_label, 'backend_pool', rule.get('backend_pool'), sets['backend_pools'],
                             prefix + 'backend_pools', required=True)
            found += _refers(rule_label, 'http_settings', rule.get('http_settings'), sets['http_settings'],
                             prefix + 'http_settings', required=True)
    return found + _routing_problems(prefix, entries['routing_rules'], sets)


def _routing_problems(prefix, rules, sets):
    found, priorities = [], {}
    for label, rule in rules:
        kind = canonical(rule.get('rule_type') or 'Basic', RULE_TYPES)
        found += choice_problems(label + '.rule_type', rule.get('rule_type'), RULE_TYPES)
        found += _refers(label, 'listener', rule.get('listener'), sets['listeners'], prefix + 'listeners', required=True)
        priority = rule.get('priority')
        if priority is None:
            found.append('%s.priority: required (Azure asks a priority of every rule); give a unique number from %d to %d'
                         % ((label,) + RULE_PRIORITY))
        found += integer_problems(label + '.priority', priority, *RULE_PRIORITY)
        if isinstance(priority, int) and priority in priorities:
            found.append('%s.priority: %d is also the priority of %s; give each rule its own'
                         % (label, priority, priorities[priority]))
        priorities.setdefault(priority, label)
        if kind == 'PathBasedRouting':
            found += _refers(label, 'url_path_map', rule.get('url_path_map'), sets['url_path_maps'],
                             prefix + 'url_path_maps', required=True)
        elif kind == 'Basic':
            found += _refers(label, 'backend_pool', rule.get('backend_pool'), sets['backend_pools'],
                             prefix + 'backend_pools', required=True)
            found += _refers(label, 'http_settings', rule.get('http_settings'), sets['http_settings'],
                             prefix + 'http_settings', required=True)
    return found


# ---- WAF policy ----
def waf_policy_problems(prefix, policy):
    """Every input problem of a WAF policy (module options, or phonebill_waf_policy with its prefix)."""
    found = name_problems(prefix + 'name', policy.get('name'), 'network', 'WAF policy name')
    settings = policy.get('policy_settings')
    found += mapping_problems(prefix + 'policy_settings', settings, 'mode, state, request_body_check, ...')
    if isinstance(settings, dict):
        found += choice_problems(prefix + 'policy_settings.mode', settings.get('mode'), WAF_MODES)
        found += choice_problems(prefix + 'policy_settings.state', settings.get('state'), STATES)
        found += integer_problems(prefix + 'policy_settings.max_request_body_size_kb',
                                  settings.get('max_request_body_size_kb'), 8, 2000, ' KB')
        found += integer_problems(prefix + 'policy_settings.file_upload_limit_mb', settings.get('file_upload_limit_mb'),
                                  1, 4000, ' MB')
    rule_sets, problems, _names = _named_by(prefix + 'managed_rule_sets', policy.get('managed_rule_sets'), 'type',
                                            'rule sets with type and version')
    found += problems
    for label, rule_set in rule_sets:
        if not rule_set.get('version'):
            found.append('%s.version: required; give the rule set version, e.g. 3.2' % label)
    if not rule_sets and policy.get('managed_rule_sets') is not None:
        found.append('%smanaged_rule_sets: Azure requires at least one managed rule set; give OWASP 3.2' % prefix)
    return found + custom_rules_problems(prefix, policy)


def _named_by(where, value, key, what):
    found = list_problems(where, value, what)
    entries, seen = [], set()
    for position, item in enumerate(items_of(value)):
        if not isinstance(item, dict):
            found.append('%s[%d] must be a mapping (%s), not %s' % (where, position, what, described(item)))
            continue
        label = '%s[%s]' % (where, item.get(key) if item.get(key) is not None else position)
        if item.get(key) is None:
            found.append('%s.%s: required' % (label, key))
        elif str(item[key]).lower() in seen:
            found.append('%s: %s is stated twice; state it once' % (label, item[key]))
        seen.add(str(item.get(key)).lower())
        entries.append((label, item))
    return entries, found, seen


def geo_block_rule(geo_blocking):
    """The custom rule of the geo-block option, or None while its country list is empty.

    Azure requires match values in every condition, so an empty list cannot
    be a rule: the rule is then left out, and removed from Azure if it exists.
    """
    if not isinstance(geo_blocking, dict) or not items_of(geo_blocking.get('countries')):
        return None
    return dict(name=geo_blocking.get('name'), priority=geo_blocking.get('priority'), rule_type='MatchRule',
                action=geo_blocking.get('action') or 'Block', state='Enabled',
                match_conditions=[dict(match_variables=[dict(variable_name='RemoteAddr')], operator='GeoMatch',
                                       match_values=list(geo_blocking['countries']))])


def custom_rules_problems(prefix, policy):
    """Custom rules: names, unique priorities, rate limits, conditions with values; the geo-block rule among them."""
    rules, found, names = _named(prefix, 'custom_rules', policy.get('custom_rules'), 'custom rules with a name')
    geo = policy.get('geo_blocking')
    found += mapping_problems(prefix + 'geo_blocking', geo, 'name, priority, countries')
    if isinstance(geo, dict):
        label = prefix + 'geo_blocking'
        found += list_problems(label + '.countries', geo.get('countries'), 'two-letter country codes, e.g. ["KP"]')
        bad = [c for c in items_of(geo.get('countries')) if not (isinstance(c, str) and len(c) == 2 and c.isalpha())]
        if bad:
            found.append('%s.countries: %s is not a two-letter country code (ISO 3166-1), e.g. KP'
                         % (label, ', '.join(map(repr, bad))))
        if not geo.get('name'):
            found.append('%s.name: required; name the rule, e.g. GeoBlocking' % label)
        elif str(geo['name']).lower() in names:
            found.append('%s.name: %s is also a rule of %scustom_rules; rename one' % (label, geo['name'], prefix))
        rules = rules + [(label, dict(geo, rule_type='MatchRule', action=geo.get('action') or 'Block'))]
    priorities = {}
    for label, rule in rules:
        name = rule.get('name')
        if isinstance(name, str) and not (name.isalnum() and len(name) <= CUSTOM_RULE_NAME):
            found.append('%s.name: %r is not a custom rule name; use up to %d letters and digits'
                         % (label, name, CUSTOM_RULE_NAME))
        found += choice_problems(label + '.rule_type', rule.get('rule_type'), CUSTOM_RULE_TYPES)
        found += choice_problems(label + '.action', rule.get('action'), WAF_ACTIONS)
        found += choice_problems(label + '.state', rule.get('state'), STATES)
        priority = rule.get('priority')
        if priority is None:
            found.append('%s.priority: required; give a unique number from %d to %d' % ((label,) + CUSTOM_RULE_PRIORITY))
        found += integer_problems(label + '.priority', priority, *CUSTOM_RULE_PRIORITY)
        if isinstance(priority, int) and priority in priorities:
            found.append('%s.priority: %d is also the priority of %s; give each rule its own'
                         % (label, priority, priorities[priority]))
        priorities.setdefault(priority, label)
        if canonical(rule.get('rule_type'), CUSTOM_RULE_TYPES) == 'RateLimitRule':
            found += choice_problems(label + '.rate_limit_duration', rule.get('rate_limit_duration'), RATE_LIMIT_DURATIONS)
            threshold = rule.get('rate_limit_threshold')
            if threshold is None:
                found.append('%s.rate_limit_threshold: required by a RateLimitRule; give the requests allowed per '
                             'duration, e.g. 100' % label)
            found += integer_problems(label + '.rate_limit_threshold', threshold, 1, 1000000, ' requests')
            for variable in items_of(rule.get('group_by')):
                found += choice_problems(label + '.group_by', variable, GROUP_BY_VARIABLES)
        if label == prefix + 'geo_blocking':
            continue
        found += _condition_problems(label, rule.get('match_conditions'))
    return found


def _condition_problems(label, conditions):
    found = list_problems(label + '.match_conditions', conditions, 'match conditions')
    if not items_of(conditions):
        return found + ['%s.match_conditions: required; give at least one condition' % label]
    for position, condition in enumerate(items_of(conditions)):
        where = '%s.match_conditions[%d]' % (label, position)
        if not isinstance(condition, dict):
            found.append('%s must be a mapping (match_variables, operator, match_values), not %s'
                         % (where, described(condition)))
            continue
        if not items_of(condition.get('match_variables')):
            found.append('%s.match_variables: required; give at least one, e.g. [{variable_name: RemoteAddr}]' % where)
        if condition.get('operator') != 'Any' and not items_of(condition.get('match_values')):
            found.append('%s.match_values: Azure requires at least one value; give one, or leave the rule out '
                         '(a geo-block list that may be empty belongs in geo_blocking)' % where)
    return found
