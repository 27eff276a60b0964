# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role and connection checks: what the server would refuse, found before connecting."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ssl

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import postgresql_login
from ansible_collections.phonebill.platform.plugins.module_utils.postgresql_role_checks import role_problems


def role(**given):
    base = dict(name='billing_app', password=None, valid_until=None, member_of=None, state='present')
    base.update(given)
    return base


def test_a_plain_role_has_no_problem():
    assert role_problems('', role(password='x', valid_until='2027-03-01T00:00:00Z', member_of=['app_rw'])) == []


@pytest.mark.parametrize('name, fragment', [
    ('', 'give a role name'),
    ('x' * 64, 'longer than 63 bytes'),
    ('\u00e9' * 32, 'longer than 63 bytes'),  # 64 bytes in UTF-8
    ('pg_monitor', 'reserved'),
    ('azure_pg_admin', 'reserved'),
    ('PUBLIC', 'reserved'),
])
def test_names_the_server_refuses_or_truncates(name, fragment):
    problems = role_problems('roles[0].', role(name=name))
    assert len(problems) == 1 and problems[0].startswith('roles[0].name: ') and fragment in problems[0]


@pytest.mark.parametrize('value', ['infinity', '2027-03-01', '2027-03-01 12:00', '2027-03-01T12:00:00Z',
                                   '2027-03-01T12:00:00.5+09:00', '2027-03-01T12:00:00-0500'])
def test_valid_until_accepts_infinity_and_iso_times(value):
    assert role_problems('', role(valid_until=value)) == []


@pytest.mark.parametrize('value', ['tomorrow', '01/03/2027', '2027-3-1', ''])
def test_valid_until_refuses_what_is_not_a_time(value):
    problems = role_problems('', role(valid_until=value))
    assert len(problems) == 1 and problems[0].startswith('valid_until: ') and 'ISO 8601' in problems[0]


def test_member_of_problems_name_the_position_and_the_fix():
    problems = role_problems('', role(member_of=['ok', '', 'billing_app']))
    assert problems == ['member_of[1]: give a role name',
                        'member_of[2]: a role cannot be a member of itself; remove billing_app']


def test_an_empty_password_and_member_of_with_absent_are_refused():
    assert role_problems('', role(password='')) == ['password: is empty; give a password or leave the option out']
    assert role_problems('', role(state='absent', member_of=['g'])) == [
        'member_of: not used with state absent; leave it out']


def test_password_is_judged_never_quoted():
    secret = 'Secret-Value-123'
    assert secret not in ' '.join(role_problems('', role(name='', password=secret, valid_until='bad')))


def connection(**given):
    base = dict(login_port=5432, ssl_mode='verify-full', ca_cert=None, connect_timeout=30)
    base.update(given)
    return base


def test_connection_problems():
    assert postgresql_login.connection_problems(connection()) == []
    assert postgresql_login.connection_problems(connection(login_port=70000, ca_cert='/ca.pem', ssl_mode='require',
                                                           connect_timeout=0)) == [
        'login_port: 70000 is not a TCP port; give 1-65535',
        'ca_cert: only used to verify the server; set ssl_mode to verify-ca or verify-full, or leave ca_cert out',
        'connect_timeout: give at least 1 second']


def test_ssl_modes_follow_libpq():
    assert postgresql_login.ssl_context('disable') is None
    require = postgresql_login.ssl_context('require')
    assert require.verify_mode == ssl.CERT_NONE and not require.check_hostname
    verify_ca = postgresql_login.ssl_context('verify-ca')
    assert verify_ca.verify_mode == ssl.CERT_REQUIRED and not verify_ca.check_hostname
    full = postgresql_login.ssl_context('verify-full')
    assert full.verify_mode == ssl.CERT_REQUIRED and full.check_hostname


def test_server_error_reads_the_sqlstate():
    assert postgresql_login.server_error(Exception({'C': '28P01', 'M': 'password authentication failed'})) == (
        '28P01', 'password authentication failed')
    assert postgresql_login.server_error(OSError('Connection refused')) == (None, 'Connection refused')
