# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Key Vault refuses, and what the platform's policy asks of secrets, as pure checks.

The key_vault, key_vault_secret and key_vault_certificate modules call them with their option
names as path ('' or 'generate'), preflight with the inventory's ('phonebill_key_vault.secrets[jwt-signing-key].generate'),
so a rule lives once. Each returns 'path: what is wrong; the fix' lines; a value of the wrong type is one
problem, never a Python error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import math
import re
import secrets
import string

from ansible_collections.phonebill.platform.plugins.module_utils.validation import described, integer_problems, mapping_problems

# Days a deleted vault (and anything deleted in it) stays recoverable (Microsoft Learn, "Key Vault soft-delete overview").
RETENTION_DAYS = (7, 90)
SUBNET_ID = re.compile(r'^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+'
                       r'/subnets/[^/]+$', re.IGNORECASE)

# The generation policy of key_vault_secret, with the module's defaults (its argument spec reads them from here).
CLASSES = {'lower': string.ascii_lowercase, 'upper': string.ascii_uppercase, 'digits': string.digits}
GENERATE_DEFAULTS = dict(length=32, classes=['lower', 'upper', 'digits', 'symbols'], symbols='!#%+-.:=?@^_~', min_per_class=1)
LENGTH = (8, 1024)
# The `generate` option of key_vault_secret and key_vault_rotation (doc fragment phonebill.platform.azure.generate).
GENERATE_ARGUMENT_SPEC = dict(generate=dict(type='dict', options=dict(
    length=dict(type='int', default=GENERATE_DEFAULTS['length']),
    classes=dict(type='list', elements='str', choices=['lower', 'upper', 'digits', 'symbols'], default=GENERATE_DEFAULTS['classes']),
    symbols=dict(type='str', default=GENERATE_DEFAULTS['symbols']),
    min_per_class=dict(type='int', default=GENERATE_DEFAULTS['min_per_class']),
)))
# Days after a version's creation it expires (Key Vault takes any date; ten years bound a rotation period).
EXPIRES_AFTER_DAYS = (1, 3650)


def at(path, key):
    """The full name of key under path ('' at the top of a module's options)."""
    return '%s.%s' % (path, key) if path else key


def retention_problems(path, days):
    """soft_delete_retention_days: 7 to 90 days."""
    return integer_problems(path, days, RETENTION_DAYS[0], RETENTION_DAYS[1], ' days')


def _ip_rule_problems(path, rules):
    found = []
    for rule in rules:
        try:
            network = ipaddress.ip_network(str(rule), strict=False)
        except ValueError:
            found.append('%s[%s]: not an IPv4 address or CIDR range; give e.g. 20.41.0.10 or 20.41.0.0/24' % (path, rule))
            continue
        if network.version != 4:
            found.append('%s[%s]: Key Vault firewall rules are IPv4 only; give an IPv4 address or range' % (path, rule))
    return found


def network_acls_problems(path, acls):
    """network_acls: IPv4 rules and subnet ids, each list a list."""
    if acls is None:
        return []
    if not isinstance(acls, dict):
        return mapping_problems(path, acls, 'firewall settings (default_action, bypass, ip_rules, virtual_network_rules)')
    found = []
    for option in ('ip_rules', 'virtual_network_rules'):
        value = acls.get(option)
        if value is not None and not isinstance(value, list):
            found.append('%s must be a list of %s, not %s' % (
                at(path, option), 'addresses or CIDR ranges' if option == 'ip_rules' else 'subnet resource ids',
                described(value)))
    if found:
        return found
    found.extend(_ip_rule_problems(at(path, 'ip_rules'), acls.get('ip_rules') or []))
    for subnet in acls.get('virtual_network_rules') or []:
        if not SUBNET_ID.match(str(subnet)):
            found.append('%s[%s]: not a subnet resource id; give /subscriptions/<id>/resourceGroups/<group>/providers/'
                         'Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>' % (at(path, 'virtual_network_rules'), subnet))
    return found


def with_defaults(policy):
    """A generation policy as the module sees it: the defaults for what is not stated."""
    return dict(GENERATE_DEFAULTS, **dict((k, v) for k, v in policy.items() if v is not None))


def generate_problems(path, policy):
    """generate: classes known and listed once, a length Key Vault takes, every class fitting min_per_class times."""
    if policy is None:
        return []
    if not isinstance(policy, dict):
        return mapping_problems(path, policy, 'generation settings (length, classes, symbols, min_per_class)')
    policy = with_defaults(policy)
    classes = policy['classes']
    if not isinstance(classes, list):
        return ['%s must be a list of character classes (lower, upper, digits, symbols), not %s'
                % (at(path, 'classes'), described(classes))]
    found = []
    unknown = [c for c in classes if c not in CLASSES and c != 'symbols']
    if unknown:
        found.append('%s: %s is not a character class; use lower, upper, digits or symbols'
                     % (at(path, 'classes'), ', '.join(map(repr, unknown))))
    if not classes:
        found.append('%s: no character class; give at least one of lower, upper, digits, symbols' % at(path, 'classes'))
    if len(set(map(str, classes))) != len(classes):
        found.append('%s: a class is listed twice; list each once' % at(path, 'classes'))
    if 'symbols' in classes and not policy['symbols']:
        found.append('%s: empty, but the symbols class is used; give the symbol characters or drop the class'
                     % at(path, 'symbols'))
    length, least = policy['length'], policy['min_per_class']
    numbers = integer_problems(at(path, 'length'), length, LENGTH[0], LENGTH[1], ' characters')
    numbers += integer_problems(at(path, 'min_per_class'), least, 0, LENGTH[1])
    if numbers:
        return found + numbers
    if least * len(set(map(str, classes))) > length:
        found.append('%s: %d of each of %d classes does not fit in %d characters; lower it or lengthen the secret'
                     % (at(path, 'min_per_class'), least, len(set(map(str, classes))), length))
    return found


def strength_bits(policy):
    """Bits of entropy of a value drawn by the policy (length x log2 of the alphabet), None when not computable."""
    if not isinstance(policy, dict) or generate_problems('', policy):
        return None
    policy = with_defaults(policy)
    alphabet = set(''.join(policy['symbols'] if name == 'symbols' else CLASSES[name] for name in policy['classes']))
    return policy['length'] * math.log2(len(alphabet)) if len(alphabet) > 1 else 0.0


def strength_problems(path, policy, minimum_bits):
    """A generation policy weaker than minimum_bits (a platform policy: preflight asks 128 bits of every secret)."""
    bits = strength_bits(policy)
    if bits is None or bits >= minimum_bits:
        return []
    return ['%s: values drawn by this policy have %d bits of entropy, under the %d the platform asks; lengthen them '
            'or add character classes' % (path, int(bits), minimum_bits)]


def expires_after_problems(path, days):
    return integer_problems(path, days, EXPIRES_AFTER_DAYS[0], EXPIRES_AFTER_DAYS[1], ' days')


def certificate_policy_problems(path, policy):
    """policy of key_vault_certificate: a subject or names, a validity, a key of one kind, one renewal trigger."""
    if policy is None:
        return []
    if not isinstance(policy, dict):
        return mapping_problems(path, policy, 'issuance settings (issuer, subject, dns_names, validity_months, ...)')
    found = []
    if not policy.get('subject') and not policy.get('dns_names'):
        found.append('%s: a certificate needs a subject or dns_names; give e.g. CN=*.phonebill.example' % at(path, 'subject'))
    if policy.get('subject') is not None and '=' not in str(policy['subject']):
        found.append('%s: %r is not an X.500 name; give e.g. CN=*.phonebill.example' % (at(path, 'subject'), policy['subject']))
    months = policy.get('validity_months')
    if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months < 1):
        found.append('%s: %r is not a validity; give 1 or more months' % (at(path, 'validity_months'), months))
    key_type = str(policy.get('key_type') or '')
    if key_type.startswith('EC') and policy.get('key_size') is not None:
        found.append('%s: EC keys have a curve, not a size; give %s instead' % (at(path, 'key_size'), at(path, 'curve')))
    if key_type.startswith('RSA') and policy.get('curve') is not None:
        found.append('%s: RSA keys have a size, not a curve; give %s instead' % (at(path, 'curve'), at(path, 'key_size')))
    action = policy.get('lifetime_action')
    if action is not None and not isinstance(action, dict):
        return found + mapping_problems(at(path, 'lifetime_action'), action, 'action and one trigger')
    if action is not None:
        where = at(path, 'lifetime_action')
        triggers = [t for t in ('lifetime_percentage', 'days_before_expiry') if action.get(t) is not None]
        if len(triggers) != 1:
            found.append('%s: give exactly one of lifetime_percentage and days_before_expiry' % where)
        found += integer_problems(at(where, 'lifetime_percentage'), action.get('lifetime_percentage'), 1, 99, '%')
        days = action.get('days_before_expiry')
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
            found.append('%s: %r is not a number of days; give 1 or more' % (at(where, 'days_before_expiry'), days))
    return found


def validity_problems(path, months, maximum_months):
    """A certificate's validity within the platform's renewal period (preflight: 12 months, SPEC section 8)."""
    if months is None:
        return ['%s: required; state the validity, at most %d months (the renewal period)' % (path, maximum_months)]
    if isinstance(months, int) and not isinstance(months, bool) and months > maximum_months:
        return ['%s: %d months is longer than the %d-month renewal period; state at most %d'
                % (path, months, maximum_months, maximum_months)]
    return []


def generate(policy):
    """A value drawn from the policy's classes with the OS CSPRNG, each class at least min_per_class times."""
    pools = [policy['symbols'] if name == 'symbols' else CLASSES[name] for name in dict.fromkeys(policy['classes'])]
    chosen = [secrets.choice(pool) for pool in pools for _ignored in range(policy['min_per_class'])]
    alphabet = ''.join(pools)
    chosen += [secrets.choice(alphabet) for _ignored in range(policy['length'] - len(chosen))]
    secrets.SystemRandom().shuffle(chosen)
    return ''.join(chosen)
