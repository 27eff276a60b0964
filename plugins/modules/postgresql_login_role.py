#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: postgresql_login_role
short_description: Manage an application login role inside a PostgreSQL server (Azure Database for PostgreSQL)
version_added: 0.1.0
description:
  - Creates, updates or drops a role of a PostgreSQL server over a real connection (not through ARM), with whether it
    can log in, its password, its expiry (C(VALID UNTIL)) and the group roles it is a member of.
  - The server's administrator is managed through ARM by M(phonebill.platform.postgresql_flexible_server); the
    application roles, which ARM does not know, by this module.
  - B(Password idempotence.) The module cannot read a password back (the server stores only a SCRAM verifier, and
    Azure's administrator may not read even that). With O(update_password=always) it therefore B(tries to log in
    as the role with O(password)) to O(login_database) on the same server. When that login succeeds the password
    is already set and nothing is written; when the server refuses it, the password is changed. A role that cannot
    log in (O(login=false), an expiry in the past, no C(pg_hba)/firewall entry for it) can never prove its
    password, so it is set again on every run and reported as changed; use O(update_password=on_create) for such
    roles. The attempt is one connection, also made in check mode; a refused attempt shows in the server's log as a
    failed login of the role.
  - The password is sent to the server already hashed (a SCRAM-SHA-256 verifier computed on the controller, as
    C(psql)'s C(\password) does), so it is never in the server's statement log. Neither it nor the verifier is
    ever in the output, the diff or RV(queries).
  - O(member_of) is compared as a set of names. Memberships the role has beyond O(member_of) are reported in
    RV(unmanaged_member_of) and kept, unless O(purge_member_of) says to revoke them.
  - All statements of one run are made in one transaction, so either all apply or none.
options:
  name:
    description: Name of the role (at most 63 bytes; not C(pg_...) nor one of Azure's own roles).
    type: str
    required: true
  state:
    description: V(present) creates or updates the role, V(absent) drops it (the server refuses while it owns objects).
    type: str
    choices: [present, absent]
    default: present
  password:
    description:
      - Password of the role. Left out, a new role has none (it cannot log in with a password) and an existing
        one keeps its own.
      - Never logged or returned.
    type: str
  update_password:
    description:
      - V(always) makes the role's password O(password) (detected by a login attempt, see the description).
        V(on_create) sets O(password) only when the role is created and never changes an existing role's password.
    type: str
    choices: [always, on_create]
    default: always
  login:
    description: Whether the role can log in (C(LOGIN)/C(NOLOGIN)).
    type: bool
    default: true
  valid_until:
    description:
      - Time after which the role's password no longer works (C(VALID UNTIL)), V(infinity) or an ISO 8601 time such
        as V(2026-12-31T00:00:00Z). The server's own notation is compared, so equal times in other notations do not
        count as a change.
      - Left out, the role's expiry is not managed.
    type: str
  member_of:
    description:
      - Group roles the role is a member of (C(GRANT group TO role)), compared as a set. They must exist.
      - Left out, memberships are not managed.
    type: list
    elements: str
  purge_member_of:
    description: Revoke memberships the role has that O(member_of) does not list. Needs O(member_of).
    type: bool
    default: false
extends_documentation_fragment:
  - phonebill.platform.postgresql
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Connects, reads the role and tries its password as in a real run; writes nothing. RV(queries) lists
      what would be run.
  diff_mode:
    support: full
    details: Shows the role's login, expiry and memberships before and after, and whether the password changes,
      never the password.
  platform:
    platforms: posix
notes:
  - O(login_user) needs C(CREATEROLE) (and, for O(member_of), C(ADMIN OPTION) on the group roles, which Azure's
    administrator has on the roles it created). On Azure, allow the controller's address in the server's firewall
    or run from inside its virtual network.
seealso:
  - module: phonebill.platform.postgresql_flexible_server
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The billing service's login, a member of the read-write group
  phonebill.platform.postgresql_login_role:
    login_host: psql-phonebill-prod.postgres.database.azure.com
    login_user: phonebilladmin
    login_password: "{{ postgresql_admin_password }}"
    name: billing_app
    password: "{{ billing_db_password }}"
    valid_until: "2027-03-01T00:00:00Z"
    member_of: [app_readwrite]

- name: A reporting role whose password the team sets by hand after creation
  phonebill.platform.postgresql_login_role:
    login_host: psql-phonebill-prod.postgres.database.azure.com
    login_user: phonebilladmin
    login_password: "{{ postgresql_admin_password }}"
    name: reporting
    password: "{{ initial_reporting_password }}"
    update_password: on_create
    member_of: [pg_read_all_data]
    purge_member_of: true

- name: The old login is gone
  phonebill.platform.postgresql_login_role:
    login_host: psql-phonebill-prod.postgres.database.azure.com
    login_user: phonebilladmin
    login_password: "{{ postgresql_admin_password }}"
    name: billing_app_old
    state: absent
'''

RETURN = r'''
role:
  description: The role after the run (in check mode, as it would be); absent roles have C(exists=false) only.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the role.
      type: str
    exists:
      description: Whether the role exists.
      type: bool
    login:
      description: Whether it can log in.
      type: bool
    valid_until:
      description: Its expiry in the server's notation; V(infinity) when it has none.
      type: str
    member_of:
      description: The group roles it is a member of, sorted.
      type: list
      elements: str
  sample: {name: billing_app, exists: true, login: true, valid_until: "2027-03-01 00:00:00+00",
           member_of: [app_readwrite]}
password_changed:
  description: Whether the password was (in check mode, would be) set.
  returned: always
  type: bool
unmanaged_member_of:
  description: Memberships the role has that O(member_of) does not list and that were kept.
  returned: when O(member_of) is given
  type: list
  elements: str
queries:
  description: The statements run (in check mode, that would run), a password shown as C(********).
  returned: always
  type: list
  elements: str
  sample: ["ALTER ROLE \"billing_app\" WITH PASSWORD ********", "GRANT \"app_readwrite\" TO \"billing_app\""]
'''

import base64

from ansible_collections.phonebill.platform.plugins.module_utils import sdk
from ansible_collections.phonebill.platform.plugins.module_utils.postgresql_login import (
    PG8000, PostgresModule, connection_problems)
from ansible_collections.phonebill.platform.plugins.module_utils.postgresql_role_checks import role_problems

MASK = '********'
SCRAMP = sdk.Service('scramp', None, PG8000.requirement)  # pg8000's own dependency
READ_ROLE = ("SELECT r.rolcanlogin, CAST(r.rolvaliduntil AS text), "
             "ARRAY(SELECT CAST(g.rolname AS text) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
             "WHERE m.member = r.oid ORDER BY 1) FROM pg_roles r WHERE r.rolname = :name")


def validate(params):
    """Input errors that need no connection, as problems."""
    found = connection_problems(params) + role_problems('', params)
    if params['purge_member_of'] and params['member_of'] is None:
        found.append('purge_member_of: needs member_of (the memberships to keep); give member_of, [] to revoke all')
    return found


def scram_verifier(scramp, password):
    """PostgreSQL's stored form of password (SCRAM-SHA-256), so the server never receives the password itself."""
    salt, stored_key, server_key, iterations = scramp.ScramMechanism('SCRAM-SHA-256').make_auth_info(password)
    b64 = [base64.b64encode(part).decode('ascii') for part in (salt, stored_key, server_key)]
    return 'SCRAM-SHA-256$%d:%s$%s:%s' % (iterations, b64[0], b64[1], b64[2])


def same_expiry(current, desired):
    """Expiries in the server's notation; no expiry (NULL) and infinity are the same."""
    return (current or 'infinity') == (desired or 'infinity')


class Statement:
    """SQL to run and the same with the password masked, for RV(queries)."""

    def __init__(self, sql, shown=None):
        self.sql = sql
        self.shown = shown or sql


def role_options(driver, params, expiry, password_sql):
    """The WITH clause parts and their masked form."""
    parts = ['LOGIN' if params['login'] else 'NOLOGIN']
    shown = list(parts)
    if password_sql:
        parts.append('PASSWORD %s' % driver.literal(password_sql))
        shown.append('PASSWORD %s' % MASK)
    if params['valid_until'] is not None:
        parts.append('VALID UNTIL %s' % driver.literal(expiry))
        shown.append('VALID UNTIL %s' % driver.literal(expiry))
    return parts, shown


def plan(driver, params, current, expiry, password_sql, groups_to_add, groups_to_drop):
    """The statements from `current` (None: no role) to what params state. password_sql: None keeps it."""
    name = driver.identifier(params['name'])
    if params['state'] == 'absent':
        return [Statement('DROP ROLE %s' % name)] if current else []
    statements = []
    if current is None:
        parts, shown = role_options(driver, params, expiry, password_sql)
        statements.append(Statement('CREATE ROLE %s WITH %s' % (name, ' '.join(parts)),
                                    'CREATE ROLE %s WITH %s' % (name, ' '.join(shown))))
    else:
        changes, shown = [], []
        if current['login'] != params['login']:
            changes.append('LOGIN' if params['login'] else 'NOLOGIN')
            shown.append(changes[-1])
        if password_sql:
            changes.append('PASSWORD %s' % driver.literal(password_sql))
            shown.append('PASSWORD %s' % MASK)
        if params['valid_until'] is not None and not same_expiry(current['valid_until'], expiry):
            changes.append('VALID UNTIL %s' % driver.literal(expiry))
            shown.append(changes[-1])
        if changes:
            statements.append(Statement('ALTER ROLE %s WITH %s' % (name, ' '.join(changes)),
                                        'ALTER ROLE %s WITH %s' % (name, ' '.join(shown))))
    statements += [Statement('GRANT %s TO %s' % (driver.identifier(group), name)) for group in groups_to_add]
    statements += [Statement('REVOKE %s FROM %s' % (driver.identifier(group), name)) for group in groups_to_drop]
    return statements


def read_role(module, connection, name):
    rows = module.run(connection, 'reading role %s' % name, READ_ROLE, name=name)
    if not rows:
        return None
    login, valid_until, groups = rows[0]
    return dict(name=name, exists=True, login=login, valid_until=valid_until or 'infinity', member_of=sorted(groups or []))


def server_expiry(module, connection, valid_until):
    """valid_until in the server's notation (its own parsing, so it refuses what it would refuse in the ALTER)."""
    if valid_until is None:
        return None
    rows = module.run(connection, 'reading valid_until %s' % valid_until, 'SELECT CAST(CAST(:t AS timestamptz) AS text)',
                      t=valid_until.strip())
    return rows[0][0]


def missing_groups(module, connection, groups):
    if not groups:
        return []
    rows = module.run(connection, 'reading the group roles', 'SELECT CAST(rolname AS text) FROM pg_roles '
                      'WHERE rolname = ANY(CAST(:names AS text[]))', names=list(groups))
    found = set(row[0] for row in rows)
    return sorted(set(groups) - found)


def password_to_set(module, params, current):
    """The SCRAM verifier to set, or None when the role keeps its password."""
    if params['state'] == 'absent' or params['password'] is None:
        return None
    if current is not None and (params['update_password'] == 'on_create'
                                or module.authenticates(params['name'], params['password'])):
        return None
    verifier = scram_verifier(module.imported(lambda: sdk.load(SCRAMP), errors=sdk.MissingLibrary), params['password'])
    module.ansible.no_log_values.add(verifier)
    return verifier


def after_state(params, current, expiry, groups):
    if params['state'] == 'absent':
        return dict(name=params['name'], exists=False)
    after = dict(current or dict(name=params['name'], exists=True, valid_until='infinity'))
    after['login'] = params['login']
    if params['valid_until'] is not None:
        after['valid_until'] = expiry
    after['member_of'] = sorted(groups)
    return after


def main():
    module = PostgresModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            password=dict(type='str', no_log=True),
            update_password=dict(type='str', choices=['always', 'on_create'], default='always', no_log=False),
            login=dict(type='bool', default=True),
            valid_until=dict(type='str'),
            member_of=dict(type='list', elements='str'),
            purge_member_of=dict(type='bool', default=False),
        ),
    )
    params = module.params
    module.fail_on(validate(params))
    connection = module.connect()
    try:
        current = read_role(module, connection, params['name'])
        expiry = server_expiry(module, connection, params['valid_until']) if params['state'] == 'present' else None
        wanted = set(params['member_of'] or [])
        module.fail_on(['member_of: group role %s does not exist on %s; create it first or remove it from member_of'
                        % (group, module.server_label) for group in missing_groups(module, connection, wanted)])
        have = set(current['member_of']) if current else set()
        managed = params['member_of'] is not None and params['state'] == 'present'
        to_add = sorted(wanted - have) if managed else []
        extras = sorted(have - wanted) if managed else []
        to_drop = extras if params['purge_member_of'] else []
        password_sql = password_to_set(module, params, current)
        statements = plan(module.driver, params, current, expiry, password_sql, to_add, to_drop)
        if statements and not module.check_mode:
            module.run(connection, 'starting a transaction', 'BEGIN')
            for statement in statements:
                module.run(connection, statement.shown, statement.sql)
            module.run(connection, 'committing', 'COMMIT')
    finally:
        connection.close()
    groups = (have | wanted) - set(to_drop) if managed else have
    result = dict(changed=bool(statements), role=after_state(params, current, expiry, groups),
                  password_changed=password_sql is not None, queries=[s.shown for s in statements])
    if managed:
        result['unmanaged_member_of'] = [] if params['purge_member_of'] else extras
    if module.diff_mode:
        after = dict(result['role'], password='(changed)') if password_sql else result['role']
        result['diff'] = dict(before=current or dict(name=params['name'], exists=False), after=after)
    module.exit(**result)


if __name__ == '__main__':
    main()
