# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure Front Door Standard/Premium: what its modules and preflight share.

The profile's children (endpoints, origin groups and their origins, routes,
security policies) live under `Microsoft.Cdn/profiles/<profile>` and are
addressed by the profile's name; the WAF policy a security policy attaches is
a `Microsoft.Network/FrontDoorWebApplicationFirewallPolicies` resource of its
own. The checks are pure functions with an option prefix ('' in a module,
'phonebill_front_door.' in preflight), so a rule lives once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    canonical, choice_problems, described, integer_problems, item_label, items_of, list_problems, name_problems, same)

SKUS = ('Standard_AzureFrontDoor', 'Premium_AzureFrontDoor')
PREMIUM = 'Premium_AzureFrontDoor'
PROBE_PROTOCOLS = ('NotSet', 'Http', 'Https')
PROBE_REQUEST_TYPES = ('NotSet', 'GET', 'HEAD')
FORWARDING_PROTOCOLS = ('HttpOnly', 'HttpsOnly', 'MatchRequest')
PROTOCOLS = ('Http', 'Https')
WAF_MODES = ('Prevention', 'Detection')
WAF_ACTIONS = ('Allow', 'Block', 'Log', 'Redirect', 'AnomalyScoring', 'JSChallenge', 'CAPTCHA')
RULE_TYPES = ('MatchRule', 'RateLimitRule')
GROUP_BY = ('SocketAddr', 'GeoLocation', 'None')
# Managed rule sets a Standard profile's policy cannot use: every Microsoft-managed set is a Premium feature
# (Microsoft Learn, "Azure Web Application Firewall on Azure Front Door": managed rules need the Premium tier).
PREMIUM_RULE_SET_PREFIX = 'microsoft_'
# Limits of the AFD REST API (azure-rest-api-specs Microsoft.Cdn: AFDOriginGroup, AFDOrigin, Profile).
PROBE_INTERVAL = (1, 255)
ORIGIN_PRIORITY = (1, 5)
ORIGIN_WEIGHT = (1, 1000)
ORIGIN_RESPONSE_TIMEOUT = (16, 240)
RATE_LIMIT_MINUTES = (1, 5)


def profile_problems(prefix, params):
    """The profile: name, SKU, origin response timeout."""
    found = name_problems(prefix + 'name', params.get('name'), 'front_door_profile')
    found += choice_problems(prefix + 'sku', params.get('sku'), SKUS)
    found += integer_problems(prefix + 'origin_response_timeout_seconds', params.get('origin_response_timeout_seconds'),
                              ORIGIN_RESPONSE_TIMEOUT[0], ORIGIN_RESPONSE_TIMEOUT[1], ' seconds')
    return found


def endpoint_problems(prefix, params):
    """The endpoint's name becomes the host name label <name>-<hash>.z01.azurefd.net."""
    return name_problems(prefix + 'name', params.get('name'), 'front_door_endpoint')


def origin_group_problems(prefix, group):
    """An origin group, its health probe and load balancing, and its origins (a set keyed by name)."""
    found = name_problems(prefix + 'name', group.get('name'), 'front_door_child', 'origin group name')
    probe = group.get('health_probe') or {}
    if not isinstance(probe, dict):
        probe, found = {}, found + ['%shealth_probe must be a mapping (path, protocol, interval_seconds, request_type), '
                                    'not %s' % (prefix, described(probe))]
    found += path_problems(prefix + 'health_probe.path', probe.get('path'))
    found += choice_problems(prefix + 'health_probe.protocol', probe.get('protocol'), PROBE_PROTOCOLS)
    found += choice_problems(prefix + 'health_probe.request_type', probe.get('request_type'), PROBE_REQUEST_TYPES)
    found += integer_problems(prefix + 'health_probe.interval_seconds', probe.get('interval_seconds'),
                              PROBE_INTERVAL[0], PROBE_INTERVAL[1], ' seconds')
    balancing = group.get('load_balancing') or {}
    if isinstance(balancing, dict):
        found += integer_problems(prefix + 'load_balancing.sample_size', balancing.get('sample_size'), 1, 255)
        found += integer_problems(prefix + 'load_balancing.successful_samples_required',
                                  balancing.get('successful_samples_required'), 1, 255)
        found += integer_problems(prefix + 'load_balancing.additional_latency_ms',
                                  balancing.get('additional_latency_ms'), 0, 1000, ' milliseconds')
        size, required = balancing.get('sample_size'), balancing.get('successful_samples_required')
        if isinstance(size, int) and isinstance(required, int) and required > size:
            found.append('%sload_balancing.successful_samples_required: %d of %d samples cannot succeed; state at most '
                         'sample_size' % (prefix, required, size))
    found += list_problems(prefix + 'origins', group.get('origins'), 'origins (name, host_name, ...)')
    seen = set()
    for position, origin in enumerate(items_of(group.get('origins'))):
        where = '%sorigins[%s].' % (prefix, item_label(origin, position))
        if not isinstance(origin, dict):
            found.append('%s must be a mapping (name, host_name, ...), not %s' % (where[:-1], described(origin)))
            continue
        found += name_problems(where + 'name', origin.get('name'), 'front_door_child', 'origin name')
        if str(origin.get('name')).lower() in seen:
            found.append('%sname: origin %s is listed twice; origin names are unique in a group' % (where, origin['name']))
        seen.add(str(origin.get('name')).lower())
        if not origin.get('host_name'):
            found.append('%shost_name: required; state the origin\'s host name or address' % where)
        found += integer_problems(where + 'priority', origin.get('priority'), ORIGIN_PRIORITY[0], ORIGIN_PRIORITY[1])
        found += integer_problems(where + 'weight', origin.get('weight'), ORIGIN_WEIGHT[0], ORIGIN_WEIGHT[1])
        for port in ('http_port', 'https_port'):
            found += integer_problems(where + port, origin.get(port), 1, 65535)
    return found


def path_problems(option, path):
    if path is not None and not (isinstance(path, str) and path.startswith('/')):
        return ['%s: %r is not a path; start it with / (e.g. /api/health)' % (option, path)]
    return []


def pattern_problems(option, patterns):
    """Route patterns: each a path from / with at most one * at its end (/api/*)."""
    found = list_problems(option, patterns, 'path patterns, e.g. ["/api/*"]')
    for pattern in items_of(patterns):
        if not (isinstance(pattern, str) and pattern.startswith('/')):
            found.append('%s: %r does not start with /; write it as a path such as /api/*' % (option, pattern))
        elif '*' in pattern[:-1]:
            found.append('%s: %r has * before its end; Front Door matches a wildcard only as the last character'
                         % (option, pattern))
    return found


def route_problems(prefix, route, origin_groups=None):
    """A route; origin_groups, when given, are the names it may forward to (the plan's groups)."""
    found = name_problems(prefix + 'name', route.get('name'), 'front_door_child', 'route name')
    found += pattern_problems(prefix + 'patterns', route.get('patterns'))
    found += choice_problems(prefix + 'forwarding_protocol', route.get('forwarding_protocol'), FORWARDING_PROTOCOLS)
    found += list_problems(prefix + 'supported_protocols', route.get('supported_protocols'), 'Http, Https')
    for protocol in items_of(route.get('supported_protocols')):
        found += choice_problems(prefix + 'supported_protocols', protocol, PROTOCOLS)
    if route.get('https_redirect') and items_of(route.get('supported_protocols')) and not any(
            same(p, 'Http') for p in route['supported_protocols']):
        found.append('%shttps_redirect: redirecting HTTP to HTTPS needs Http in supported_protocols; add Http or turn '
                     'https_redirect off' % prefix)
    group = route.get('origin_group')
    if not group and origin_groups is not None:
        found.append('%sorigin_group: required; name the origin group the route forwards to' % prefix)
    elif group and origin_groups is not None and not any(same(group, name) for name in origin_groups):
        found.append('%sorigin_group: %s is not one of the origin groups (%s); name one of them or add it'
                     % (prefix, group, ', '.join(origin_groups) or 'none'))
    return found


def waf_policy_problems(prefix, policy):
    """The Front Door WAF policy: name, SKU, mode, managed rule sets (Premium only), custom rules."""
    found = name_problems(prefix + 'name', policy.get('name'), 'front_door_waf_policy')
    found += choice_problems(prefix + 'sku', policy.get('sku'), SKUS)
    found += choice_problems(prefix + 'mode', policy.get('mode'), WAF_MODES)
    found += list_problems(prefix + 'managed_rule_sets', policy.get('managed_rule_sets'), 'managed rule sets (type, version)')
    for position, rule_set in enumerate(items_of(policy.get('managed_rule_sets'))):
        where = '%smanaged_rule_sets[%s]' % (prefix, position)
        if not isinstance(rule_set, dict) or not rule_set.get('type') or not rule_set.get('version'):
            found.append('%s: state type and version (e.g. Microsoft_DefaultRuleSet 2.1)' % where)
            continue
        where = '%smanaged_rule_sets[%s]' % (prefix, rule_set['type'])
        found += choice_problems(where + '.action', rule_set.get('action'), WAF_ACTIONS)
        if (str(rule_set['type']).lower().startswith(PREMIUM_RULE_SET_PREFIX)
                and canonical(policy.get('sku'), SKUS) not in (None, PREMIUM)):
            found.append('%s.type: %s needs a Premium_AzureFrontDoor policy; set sku to Premium_AzureFrontDoor (and the '
                         'profile with it) or remove the managed rule set' % (where, rule_set['type']))
    found += list_problems(prefix + 'custom_rules', policy.get('custom_rules'), 'custom rules (name, priority, ...)')
    for position, rule in enumerate(items_of(policy.get('custom_rules'))):
        if isinstance(rule, dict):
            found += custom_rule_problems('%scustom_rules[%s].' % (prefix, item_label(rule, position)), rule)
    return found


def custom_rule_problems(prefix, rule):
    found = name_problems(prefix + 'name', rule.get('name'), 'front_door_waf_policy', 'custom rule name')
    found += integer_problems(prefix + 'priority', rule.get('priority'), 0, 2147483647)
    found += choice_problems(prefix + 'rule_type', rule.get('rule_type'), RULE_TYPES)
    found += choice_problems(prefix + 'action', rule.get('action'), WAF_ACTIONS)
    if same(rule.get('rule_type'), 'RateLimitRule'):
        if rule.get('rate_limit_threshold') is None:
            found.append('%srate_limit_threshold: required by a RateLimitRule; state the requests allowed per window'
                         % prefix)
        found += integer_problems(prefix + 'rate_limit_threshold', rule.get('rate_limit_threshold'), 1, 2147483647)
        found += integer_problems(prefix + 'rate_limit_duration_minutes', rule.get('rate_limit_duration_minutes'),
                                  RATE_LIMIT_MINUTES[0], RATE_LIMIT_MINUTES[1], ' minutes')
    for variable in items_of(rule.get('group_by')):
        found += choice_problems(prefix + 'group_by', variable, GROUP_BY)
    if not items_of(rule.get('match_conditions')):
        found.append('%smatch_conditions: at least one condition is required; e.g. RemoteAddr IPMatch 0.0.0.0/0 for '
                     'every client' % prefix)
    return found


def front_door_problems(prefix, plan):
    """The whole Front Door of the inventory: profile, endpoint, origin groups, routes, WAF policy, SKUs agree."""
    found = profile_problems(prefix + 'profile.', plan.get('profile') or {})
    found += endpoint_problems(prefix + 'endpoint.', plan.get('endpoint') or {})
    groups = [g for g in items_of(plan.get('origin_groups')) if isinstance(g, dict)]
    found += list_problems(prefix + 'origin_groups', plan.get('origin_groups'), 'origin groups (name, origins, ...)')
    for position, group in enumerate(groups):
        found += origin_group_problems('%sorigin_groups[%s].' % (prefix, item_label(group, position)), group)
    names = [g.get('name') for g in groups if g.get('name')]
    found += list_problems(prefix + 'routes', plan.get('routes'), 'routes (name, patterns, origin_group, ...)')
    seen = {}
    for position, route in enumerate(items_of(plan.get('routes'))):
        if not isinstance(route, dict):
            continue
        where = '%sroutes[%s].' % (prefix, item_label(route, position))
        found += route_problems(where, route, names)
        for pattern in items_of(route.get('patterns')):
            if pattern in seen:
                found.append('%spatterns: %s is also matched by route %s; a pattern belongs to one route of an '
                             'endpoint' % (where, pattern, seen[pattern]))
            seen[pattern] = route.get('name')
    policy = plan.get('waf_policy')
    if isinstance(policy, dict):
        found += waf_policy_problems(prefix + 'waf_policy.', policy)
        profile_sku = (plan.get('profile') or {}).get('sku')
        if policy.get('sku') and profile_sku and not same(policy['sku'], profile_sku):
            found.append('%swaf_policy.sku: %s does not match the profile\'s %s; a security policy attaches only a WAF '
                         'policy of the profile\'s SKU' % (prefix, policy['sku'], profile_sku))
    return found


def parent_problems(params):
    """The names a profile's child is addressed by: its resource group, profile and (routes) endpoint."""
    found = name_problems('resource_group', params['resource_group'], 'resource_group')
    found += name_problems('profile', params.get('profile'), 'front_door_profile')
    return found + name_problems('endpoint', params.get('endpoint'), 'front_door_endpoint')


def reconcile_with_id(module, resource):
    """The module result of `reconcile`, with the resource id at the top when present (empty before a creation)."""
    result = reconcile(module, resource)
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    return result


def profile_id(module, resource_group, profile):
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Cdn/profiles/%s' % (
        module.subscription_id, resource_group, profile)


def child_id(module, resource_group, profile, kind, name):
    """The id of a profile's child (kind: afdEndpoints, originGroups, ...) given by name, or an id as given."""
    if name is None or name.startswith('/'):
        return name
    return '%s/%s/%s' % (profile_id(module, resource_group, profile), kind, name)


def waf_policy_id(module, resource_group, name):
    if name is None or name.startswith('/'):
        return name
    return ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/FrontDoorWebApplicationFirewallPolicies/%s'
            % (module.subscription_id, resource_group, name))


def enabled(flag):
    """A bool option as the Enabled/Disabled enum Front Door uses (None: not stated)."""
    return None if flag is None else ('Enabled' if flag else 'Disabled')


class ProfileChild(ArmResource):
    """A child of a Front Door profile (endpoint, origin group, route, security policy), named after the profile.

    Front Door writes with PUT (`begin_create`); `deploymentStatus` is Azure's propagation state, never stated.
    """

    parent_kind = 'Front Door profile'
    service = 'cdn'
    key = ('resource_group', 'profile', 'name')
    create_method = 'begin_create'
    readonly = ArmResource.readonly + ('properties.deploymentStatus', 'properties.profileName')
