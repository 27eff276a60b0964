# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks every module makes before any call to Azure, and name matching.

One table of Azure naming rules serves the modules (which fail on the first
bad value) and the plan checks (which collect every problem); each failure
starts with the option name and says the fix.
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
    'federated_identity_credential': (r'^[A-Za-z0-9][-A-Za-z0-9_]{2,119}$',
                                      '3-120 letters, digits, - and _, starting with a letter or digit'),
    'key_vault': (r'^(?!.*--)[A-Za-z][-A-Za-z0-9]{1,22}[A-Za-z0-9]$',
                  '3-24 letters, digits and -, starting with a letter, ending with a letter or digit, without --'),
    # secrets, certificates and keys of a vault
    'key_vault_object': (r'^[A-Za-z0-9-]{1,127}$', '1-127 letters, digits and -'),
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
        return ['%s must be a mapping of tag names to string values, not %s' % (option, type(tags).__name__)]
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


# Module-failing forms, kept only until every caller returns problems instead (issue 8).
def check_name(module, option, value, kind, what=None):
    module.fail_on(name_problems(option, value, kind, what))


def check_tags(module, tags, option='tags'):
    module.fail_on(tag_problems(option, tags))


def check_guid(module, option, value):
    module.fail_on(guid_problems(option, value))


def check_https_url(module, option, value):
    module.fail_on(https_url_problems(option, value))
