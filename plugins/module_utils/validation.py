# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks every module makes before any call to Azure, and name matching.

One table of Azure naming rules, and pure checks that return problems: the
modules fail on them in main() (ModuleBase.fail_on), the plan checks collect
them across the whole inventory with the variable path as prefix. Each
problem starts with the option name and says the fix; a value of the wrong
type is one problem, never a Python error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from urllib.parse import urlparse

from ansible_collections.phonebill.platform.plugins.module_utils import compare

# Azure naming rules by kind: (pattern, what to use); lengths included in the pattern.
NAME_RULES = {
    'resource_group': (r'^[-\w.()]{0,89}[-\w()]$', '1-90 letters, digits, _ - . ( ) and do not end with a period'),
    'virtual_network': (r'^[A-Za-z0-9][-\w.]{0,62}\w$|^[A-Za-z0-9]$',
                        '2-64 letters, digits, _ - ., starting with a letter or digit, ending with a letter, digit or _'),
    'subnet': (r'^[A-Za-z0-9]([-\w.]{0,78}\w)?$', '1-80 letters, digits, _ - ., ending with a letter, digit or _'),
    'network_security_group': (r'^[A-Za-z0-9]([-\w.]{0,78}\w)?$', '1-80 letters, digits, _ - .'),
    'public_ip': (r'^[A-Za-z0-9]([-\w.]{0,78}\w)?$', '1-80 letters, digits, _ - .'),
    # any Microsoft.Network resource or child (rules, links, zone groups) the modules name
    'network': (r'^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,78}[A-Za-z0-9_])?$',
                '1-80 letters, digits, _ . -, starting with a letter or digit and ending with a letter, digit or _'),
    'aks_cluster': (r'^[A-Za-z0-9]([-_A-Za-z0-9]{0,61}[A-Za-z0-9])?$',
                    '1-63 letters, digits, - and _, starting and ending with a letter or digit'),
    'dns_prefix': (r'^[A-Za-z0-9]([-A-Za-z0-9]{0,52}[A-Za-z0-9])?$', '1-54 letters, digits and -, starting and ending with a letter or digit'),
    'agent_pool': (r'^[a-z][a-z0-9]{0,11}$', '1-12 lower-case letters and digits, starting with a letter'),
    'container_registry': (r'^[A-Za-z0-9]{5,50}$', '5-50 letters and digits only (no - or _)'),
    'log_analytics_workspace': (r'^[A-Za-z0-9][-A-Za-z0-9]{2,61}[A-Za-z0-9]$', '4-63 letters, digits and -, starting and ending with a letter or digit'),
    'user_assigned_identity': (r'^[A-Za-z0-9][-A-Za-z0-9_]{2,127}$', '3-128 letters, digits, - and _, starting with a letter or digit'),
    'redis_cache': (r'^(?!.*--)[A-Za-z0-9](?:[-A-Za-z0-9]{0,61}[A-Za-z0-9])?$',
                    '1-63 letters, digits and -, starting and ending with a letter or digit, without consecutive -'),
    'federated_identity_credential': (r'^[A-Za-z0-9][-A-Za-z0-9_]{2,119}$',
                                      '3-120 letters, digits, - and _, starting with a letter or digit'),
    'key_vault': (r'^(?!.*--)[A-Za-z][-A-Za-z0-9]{1,22}[A-Za-z0-9]$',
                  '3-24 letters, digits and -, starting with a letter, ending with a letter or digit, without --'),
    # secrets, certificates and keys of a vault
    'key_vault_object': (r'^[A-Za-z0-9-]{1,127}$', '1-127 letters, digits and -'),
    # Front Door Standard/Premium (Microsoft.Cdn): the endpoint name is the label of <name>-<hash>.z01.azurefd.net
    'front_door_profile': (r'^(?=.{1,260}$)[A-Za-z0-9](?:-*[A-Za-z0-9])*$',
                           '1-260 letters, digits and -, starting and ending with a letter or digit'),
    'front_door_endpoint': (r'^(?=.{1,46}$)[A-Za-z0-9](?:-*[A-Za-z0-9])*$',
                            '1-46 letters, digits and -, starting and ending with a letter or digit'),
    'front_door_child': (r'^(?=.{1,90}$)[A-Za-z0-9](?:-*[A-Za-z0-9])*$',
                         '1-90 letters, digits and -, starting and ending with a letter or digit'),
    'front_door_waf_policy': (r'^[A-Za-z][A-Za-z0-9]{0,127}$',
                              '1-128 letters and digits, starting with a letter (no - or _)'),
}

GUID = re.compile(r'^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$')


def same(first, second):
    """Names Azure compares without case."""
    return (first or '').lower() == (second or '').lower()


def same_location(first, second):
    """Regions in either form ('Korea Central', 'koreacentral')."""
    return compare.LOCATION.normalize(first) == compare.LOCATION.normalize(second)


def find(items, name, key='name'):
    """The item of a REST list with that name (case-insensitive), or None."""
    for item in items or []:
        if same(item.get(key), name):
            return item
    return None


def carries(resource, tags):
    """Whether a REST-form resource has every tag with the stated value."""
    present = resource.get('tags') or {}
    return all(present.get(key) == value for key, value in (tags or {}).items())


def name_problem(value, kind, what=None):
    """Why value breaks the naming rule of kind (a NAME_RULES key), or None."""
    pattern, rule = NAME_RULES[kind]
    if isinstance(value, str) and re.match(pattern, value, re.UNICODE):
        return None
    return '%r is not a valid %s; use %s' % (value, what or '%s name' % kind.replace('_', ' '), rule)


# Every check below is pure: it returns 'option: what is wrong; the fix' lines (empty when
# sound). Modules fail on them in main() (ModuleBase.fail_on); preflight collects them
# across the whole plan with the inventory variable as the option.

def name_problems(option, value, kind, what=None):
    """The naming rule of kind (a NAME_RULES key); None is not stated."""
    problem = name_problem(value, kind, what) if value is not None else None
    return ['%s: %s' % (option, problem)] if problem else []


# Azure Resource Manager tags: names up to 512 characters without < > % & \ ? /, values up to 256.
TAG_NAME_FORBIDDEN = '<>%&\\?/'
TAG_NAME_MAX, TAG_VALUE_MAX = 512, 256


def tag_problems(option, tags):
    if tags is None:
        return []
    if not isinstance(tags, dict):
        return mapping_problems(option, tags, 'tag names to string values, e.g. {service: phonebill}')
    found = []
    for key, value in tags.items():
        where = '%s.%s' % (option, key)
        bad = sorted(set(c for c in str(key) if c in TAG_NAME_FORBIDDEN))
        if bad:
            found.append('%s: tag names cannot contain %s; rename the tag' % (where, ' '.join(bad)))
        if len(str(key)) > TAG_NAME_MAX:
            found.append('%s: tag names are at most %d characters; shorten it' % (where, TAG_NAME_MAX))
        if not isinstance(value, str):
            found.append('%s: tag values are strings; quote %r' % (where, value))
        elif len(value) > TAG_VALUE_MAX:
            found.append('%s: tag values are at most %d characters, this one has %d; shorten it'
                         % (where, TAG_VALUE_MAX, len(value)))
    return found


def described(value):
    """How a wrong value is named in a message: "a mapping", "a string '443'"."""
    names = {dict: 'a mapping', list: 'a list', str: 'a string', bool: 'a boolean', int: 'a number', float: 'a number'}
    name = names.get(type(value), 'nothing' if value is None else type(value).__name__)
    return name if isinstance(value, (dict, list)) or value is None else '%s %r' % (name, value)


def list_problems(option, value, what):
    """A YAML list where one is expected; None is not stated. One problem, never one per character."""
    if value is None or isinstance(value, list):
        return []
    return ['%s must be a list of %s, not %s; write it as a YAML list ("- item" lines or [a, b])'
            % (option, what, described(value))]


def mapping_problems(option, value, what):
    """A YAML mapping where one is expected; None is not stated."""
    if value is None or isinstance(value, dict):
        return []
    return ['%s must be a mapping of %s, not %s' % (option, what, described(value))]


def items_of(value):
    """The items of a list, or none when it is not one (list_problems reports that)."""
    return value if isinstance(value, list) else []


def item_label(item, position):
    """How an item of an inventory list is named in a path: its name, or its position when it has none."""
    name = item.get('name') if isinstance(item, dict) else None
    return name if isinstance(name, str) and name else position


def canonical(value, choices):
    """The choice value equals without case (Azure's spelling), or None."""
    for choice in choices:
        if isinstance(value, str) and choice.lower() == value.lower():
            return choice
    return None


def choice_problems(option, value, choices):
    """One of choices, compared without case as Azure compares enums; None is not stated."""
    if value is None or canonical(value, choices):
        return []
    return ['%s: %r is not one of %s' % (option, value, ', '.join(choices))]


def integer_problems(option, value, low, high, unit=''):
    """A whole number from low to high; None is not stated."""
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int):
        return ['%s: %s is not a whole number; use one from %d to %d%s' % (option, described(value), low, high, unit)]
    if not low <= value <= high:
        return ['%s: %r is out of range; use a whole number from %d to %d%s' % (option, value, low, high, unit)]
    return []


ZONES = ('1', '2', '3')


def zone_problems(option, zones):
    """Availability zones: a list of "1", "2", "3"; None is not stated."""
    found = list_problems(option, zones, 'availability zones, e.g. ["1", "2", "3"] (or ["1"] for one zone)')
    bad = [zone for zone in items_of(zones) if isinstance(zone, bool) or str(zone) not in ZONES]
    if bad:
        found.append('%s: %s is not an availability zone; use "1", "2" or "3"' % (option, ', '.join(map(repr, bad))))
    return found


def guid_problems(option, value):
    if value is not None and not (isinstance(value, str) and GUID.match(value)):
        return ['%s: %r is not a GUID; give the object id in the form 00000000-0000-0000-0000-000000000000'
                % (option, value)]
    return []


def https_url_problems(option, value):
    if value is None:
        return []
    parsed = urlparse(str(value))
    if parsed.scheme != 'https' or not parsed.netloc or value != value.strip():
        return ['%s: %r is not an https URL; give the full issuer URL, e.g. '
                'https://koreacentral.oic.prod-aks.azure.com/<tenant>/<guid>/' % (option, value)]
    return []


# ---- one resource type's checks, shared by its module and preflight (prefix: '' or the inventory path) ----

# Log Analytics: a workspace keeps data interactively 30 to 730 days (PerGB2018); the daily cap is -1 (none)
# or at least 0.023 GB, the smallest cap Azure takes.
RETENTION_DAYS = (30, 730)
DAILY_QUOTA_MIN_GB = 0.023


def workspace_problems(params, prefix=''):
    """A Log Analytics workspace (module options, or phonebill_log_analytics with its prefix)."""
    found = name_problems(prefix + 'name', params.get('name'), 'log_analytics_workspace')
    found += tag_problems(prefix + 'tags', params.get('tags'))
    found += choice_problems(prefix + 'sku', params.get('sku'), ('PerGB2018',))
    found += integer_problems(prefix + 'retention_days', params.get('retention_days'), *RETENTION_DAYS, unit=' days')
    quota = params.get('daily_quota_gb')
    if quota is not None and (isinstance(quota, bool) or not isinstance(quota, (int, float))
                              or (quota != -1 and quota < DAILY_QUOTA_MIN_GB)):
        found.append('%sdaily_quota_gb: %r is not a daily cap; give at least %s GB, or -1 for no cap'
                     % (prefix, quota, DAILY_QUOTA_MIN_GB))
    return found
