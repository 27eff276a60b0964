# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What PostgreSQL (and Azure's flexible server) refuses of a login role, as pure checks.

The server would refuse these only once connected, some (a reserved name) only after part of a
change was made. Each function takes the path prefix its caller names the role by ('' in the
module) and returns 'path: what is wrong; the fix' lines. Passwords are judged, never quoted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# NAMEDATALEN - 1: longer identifiers are silently truncated, so two long names could be one role.
MAX_NAME_BYTES = 63
# pg_ is reserved by PostgreSQL; Azure keeps these for its own administration.
RESERVED_PREFIXES = ('pg_',)
RESERVED_NAMES = ('public', 'none', 'current_user', 'session_user', 'current_role', 'azure_superuser',
                  'azure_pg_admin', 'azuresu')
VALID_UNTIL = re.compile(r'^(infinity|\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)$')


def name_problem(value):
    """Why value cannot name a role (the fix included), or None."""
    if not isinstance(value, str) or not value:
        return 'give a role name'
    if len(value.encode('utf-8')) > MAX_NAME_BYTES:
        return 'longer than %d bytes (PostgreSQL would truncate it); use a shorter name' % MAX_NAME_BYTES
    if '\x00' in value:
        return 'contains a NUL character; remove it'
    return None


def role_problems(prefix, role):
    """Problems of a role in the module's option form (name, password, valid_until, member_of, state)."""
    found = []
    problem = name_problem(role.get('name'))
    if problem:
        found.append('%sname: %s' % (prefix, problem))
    elif role['name'].lower() in RESERVED_NAMES or role['name'].lower().startswith(RESERVED_PREFIXES):
        found.append('%sname: %s is reserved (by PostgreSQL or Azure); choose another name' % (prefix, role['name']))
    if role.get('password') is not None and not role['password']:
        found.append('%spassword: is empty; give a password or leave the option out' % prefix)
    valid_until = role.get('valid_until')
    if valid_until is not None and not VALID_UNTIL.match(str(valid_until).strip()):
        found.append('%svalid_until: %s is not a time; give infinity or an ISO 8601 time such as '
                     '2026-12-31T00:00:00Z' % (prefix, valid_until))
    for position, group in enumerate(role.get('member_of') or []):
        problem = name_problem(group)
        if problem:
            found.append('%smember_of[%d]: %s' % (prefix, position, problem))
        elif group == role.get('name'):
            found.append('%smember_of[%d]: a role cannot be a member of itself; remove %s' % (prefix, position, group))
    if role.get('state') == 'absent' and role.get('member_of'):
        found.append('%smember_of: not used with state absent; leave it out' % prefix)
    return found
