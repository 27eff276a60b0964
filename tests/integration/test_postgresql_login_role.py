# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""postgresql_login_role against a real PostgreSQL server (dataplanes.pytest_plugin's postgres_server).

The server lives for the session, so each test works on roles of its own names.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import secrets

import pytest

from ansible_collections.phonebill.platform.plugins.modules import postgresql_login_role
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module


def unique(prefix):
    return '%s_%s' % (prefix, secrets.token_hex(4))


def new_password():
    return 'Pw-' + secrets.token_urlsafe(18)


class Roles:
    """Runs the module as the server's superuser and reads the server's truth."""

    def __init__(self, server):
        self.server = server

    def __call__(self, check_mode=False, **args):
        params = dict(login_host=self.server.host, login_port=self.server.port, login_user=self.server.superuser,
                      login_password=self.server.superuser_password, ssl_mode='disable')
        params.update(args)
        result = run_module(postgresql_login_role.main, params, check_mode=check_mode, diff=True)
        for value in (args.get('password'), self.server.superuser_password):
            assert not value or value not in json.dumps(result), 'a password is in the module output'
        return result

    def sql(self, statement, **params):
        connection = self.server.connect()
        try:
            return connection.run(statement, **params)
        finally:
            connection.close()

    def memberships(self, name):
        rows = self.sql("SELECT CAST(g.rolname AS text) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                        "JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = :n ORDER BY 1", n=name)
        return [row[0] for row in rows]

    def exists(self, name):
        return bool(self.sql('SELECT 1 FROM pg_roles WHERE rolname = :n', n=name))

    def group(self, name):
        self.sql('CREATE ROLE "%s" NOLOGIN' % name)
        return name


@pytest.fixture
def roles(postgres_server):
    return Roles(postgres_server)


def test_create_then_unchanged_then_password_rotation(roles, postgres_server):
    name, first, second = unique('billing'), new_password(), new_password()
    group = roles.group(unique('readwrite'))

    predicted = roles(check_mode=True, name=name, password=first, member_of=[group])
    assert predicted['changed'] and predicted['password_changed'] and not roles.exists(name)
    assert predicted['queries'] == ['CREATE ROLE "%s" WITH LOGIN PASSWORD ********' % name,
                                    'GRANT "%s" TO "%s"' % (group, name)]

    created = roles(name=name, password=first, member_of=[group])
    assert created['changed'] and created['role'] == predicted['role']
    assert postgres_server.can_login(name, first) and roles.memberships(name) == [group]
    assert created['diff']['before'] == {'name': name, 'exists': False} and created['diff']['after']['password'] == '(changed)'

    again = roles(name=name, password=first, member_of=[group])
    assert again['changed'] is False and again['queries'] == [] and again['password_changed'] is False
    assert 'password' not in again['diff']['after']

    predicted = roles(check_mode=True, name=name, password=second, member_of=[group])
    assert predicted['changed'] and predicted['queries'] == ['ALTER ROLE "%s" WITH PASSWORD ********' % name]
    assert postgres_server.can_login(name, first) and not postgres_server.can_login(name, second)

    rotated = roles(name=name, password=second, member_of=[group])
    assert rotated['changed'] and rotated['password_changed']
    assert postgres_server.can_login(name, second) and not postgres_server.can_login(name, first)
    assert roles(name=name, password=second, member_of=[group])['changed'] is False


def test_the_password_never_reaches_the_server_in_clear(roles):
    name, password = unique('verifier'), new_password()
    roles(name=name, password=password)
    stored = roles.sql('SELECT rolpassword FROM pg_authid WHERE rolname = :n', n=name)[0][0]
    assert stored.startswith('SCRAM-SHA-256$4096:') and password not in stored


def test_update_password_on_create_keeps_an_existing_password(roles, postgres_server):
    name, first, other = unique('reporting'), new_password(), new_password()
    assert roles(name=name, password=first, update_password='on_create')['password_changed']
    kept = roles(name=name, password=other, update_password='on_create')
    assert kept['changed'] is False and postgres_server.can_login(name, first)


def test_login_and_expiry_are_compared_in_the_servers_notation(roles, postgres_server):
    name, password = unique('expiring'), new_password()
    created = roles(name=name, password=password, valid_until='2099-01-01T00:00:00Z')
    assert created['role']['valid_until'].startswith('2099-01-01')
    # the same instant written another way is no change
    assert roles(name=name, password=password, valid_until='2099-01-01 02:00:00+02:00')['changed'] is False
    moved = roles(name=name, password=password, valid_until='infinity')
    assert moved['queries'] == ["ALTER ROLE \"%s\" WITH VALID UNTIL 'infinity'" % name]
    nologin = roles(name=name, login=False, update_password='on_create', password=password)
    assert nologin['queries'] == ['ALTER ROLE "%s" WITH NOLOGIN' % name]
    assert not postgres_server.can_login(name, password)
    assert roles(name=name, login=False, update_password='on_create', password=password)['changed'] is False


def test_member_of_is_a_set_extras_are_reported_and_purged_only_when_asked(roles):
    name = unique('member')
    first, second, outside = roles.group(unique('g1')), roles.group(unique('g2')), roles.group(unique('g3'))
    roles(name=name, member_of=[first, second])
    assert roles(name=name, member_of=[second, first])['changed'] is False  # order does not matter
    roles.sql('GRANT "%s" TO "%s"' % (outside, name))  # drift: someone granted another group
    kept = roles(name=name, member_of=[first, second])
    assert kept['changed'] is False and kept['unmanaged_member_of'] == [outside]
    assert roles.memberships(name) == sorted([first, second, outside])
    purged = roles(name=name, member_of=[first], purge_member_of=True)
    assert set(purged['queries']) == {'REVOKE "%s" FROM "%s"' % (g, name) for g in (second, outside)}
    assert roles.memberships(name) == [first] and purged['role']['member_of'] == [first]


def test_absent_drops_and_then_reports_nothing(roles):
    name = unique('gone')
    roles(name=name, password=new_password())
    predicted = roles(check_mode=True, name=name, state='absent')
    assert predicted['changed'] and roles.exists(name)
    dropped = roles(name=name, state='absent')
    assert dropped['changed'] and dropped['role'] == {'name': name, 'exists': False} and not roles.exists(name)
    assert roles(name=name, state='absent')['changed'] is False


def test_a_missing_group_fails_before_any_change(roles):
    name = unique('orphan')
    result = roles(name=name, password=new_password(), member_of=['no_such_group_%s' % secrets.token_hex(3)])
    assert result['failed'] and 'member_of: group role no_such_group_' in result['msg']
    assert not roles.exists(name)


def test_a_refused_statement_rolls_the_whole_run_back(roles):
    """GRANT of a group that makes a membership loop fails: the CREATE before it is undone too."""
    name = unique('atomic')
    group = roles.group(unique('loop'))
    roles(name=name, login=False, update_password='on_create')
    roles.sql('GRANT "%s" TO "%s"' % (name, group))  # group is a member of name
    result = roles(name=name, login=True, update_password='on_create', member_of=[group])  # name in group: a loop
    assert result['failed'] and 'GRANT' in result['msg']
    assert roles.sql('SELECT rolcanlogin FROM pg_roles WHERE rolname = :n', n=name)[0][0] is False


def test_wrong_admin_password_says_which_option_to_fix(roles):
    result = roles(name=unique('x'), login_password='not-the-password')
    assert result['failed'] and 'check login_user and login_password' in result['msg']


def test_tls_verified_against_the_servers_ca_and_refused_with_another(roles, postgres_server):
    name = unique('tls')
    verified = roles(name=name, ssl_mode='verify-full', ca_cert=postgres_server.ca_file)
    assert verified['changed'] and roles.exists(name)
    untrusted = roles(name=name, ssl_mode='verify-full')  # the system CAs do not know the test CA
    assert untrusted['failed'] and 'cannot log in to PostgreSQL' in untrusted['msg'] and 'ssl_mode' in untrusted['msg']
    assert roles(name=name, ssl_mode='require')['changed'] is False
