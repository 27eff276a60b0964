# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""postgresql_login_role's pure parts: input checks, the statements it plans, the verifier it sends."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import hmac
import os

import pg8000.native
import scramp

from ansible_collections.phonebill.platform.plugins.module_utils import postgresql_login, sdk
from ansible_collections.phonebill.platform.plugins.modules import postgresql_login_role as module
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')
CURRENT = dict(name='app', exists=True, login=True, valid_until='infinity', member_of=['g1'])


def params(**given):
    base = dict(name='app', state='present', password=None, update_password='always', login=True, valid_until=None,
                member_of=None, purge_member_of=False, login_port=5432, ssl_mode='verify-full', ca_cert=None,
                connect_timeout=30)
    base.update(given)
    return base


def shown(statements):
    return [s.shown for s in statements]


def test_create_with_everything():
    planned = module.plan(pg8000.native, params(valid_until='x'), None, '2027-01-01 00:00:00+00', 'SCRAM-SHA-256$v',
                          ['g1'], [])
    assert shown(planned) == ["CREATE ROLE \"app\" WITH LOGIN PASSWORD ******** VALID UNTIL '2027-01-01 00:00:00+00'",
                              'GRANT "g1" TO "app"']
    assert "PASSWORD 'SCRAM-SHA-256$v'" in planned[0].sql


def test_nothing_to_do_plans_nothing():
    assert module.plan(pg8000.native, params(valid_until='infinity'), CURRENT, 'infinity', None, [], []) == []


def test_no_expiry_and_infinity_are_the_same():
    current = dict(CURRENT, valid_until=None)
    assert module.plan(pg8000.native, params(valid_until='infinity'), current, 'infinity', None, [], []) == []


def test_only_what_differs_is_altered_and_names_are_quoted():
    planned = module.plan(pg8000.native, params(name='Odd "name"', login=False, valid_until='v'),
                          dict(CURRENT, name='Odd "name"'), '2030-01-01 00:00:00+00', None, [], ['g1'])
    assert shown(planned) == ["ALTER ROLE \"Odd \"\"name\"\"\" WITH NOLOGIN VALID UNTIL '2030-01-01 00:00:00+00'",
                              'REVOKE "g1" FROM "Odd ""name"""']


def test_absent_drops_an_existing_role_only():
    assert shown(module.plan(pg8000.native, params(state='absent'), CURRENT, None, None, [], [])) == ['DROP ROLE "app"']
    assert module.plan(pg8000.native, params(state='absent'), None, None, None, [], []) == []


def test_the_verifier_is_what_postgresql_checks_a_scram_login_against():
    verifier = module.scram_verifier(scramp, 'S3cret-pass')
    head, keys = verifier.split('$', 1)[1].split('$')
    iterations, salt = head.split(':')
    stored_key, server_key = (base64.b64decode(k) for k in keys.split(':'))
    salted = hashlib.pbkdf2_hmac('sha256', b'S3cret-pass', base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b'Client Key', hashlib.sha256).digest()
    assert verifier.startswith('SCRAM-SHA-256$4096:') and 'S3cret-pass' not in verifier
    assert hashlib.sha256(client_key).digest() == stored_key
    assert hmac.new(salted, b'Server Key', hashlib.sha256).digest() == server_key
    assert module.scram_verifier(scramp, 'S3cret-pass') != verifier  # a new salt every time


def test_validate_collects_every_problem():
    problems = module.validate(params(name='pg_x', purge_member_of=True, login_port=0))
    assert problems == ['login_port: 0 is not a TCP port; give 1-65535',
                        'name: pg_x is reserved (by PostgreSQL or Azure); choose another name',
                        'purge_member_of: needs member_of (the memberships to keep); give member_of, [] to revoke all']


def test_bad_input_fails_before_connecting():
    result = run_module(module.main, dict(login_user='admin', login_host='203.0.113.1', name='pg_x'))
    assert result['failed'] and result['msg'].startswith('name: pg_x is reserved')


def test_a_missing_driver_names_the_requirement(monkeypatch):
    def missing(service):
        raise sdk.MissingLibrary(service.requirement, ImportError('No module named pg8000'))

    monkeypatch.setattr(sdk, 'load', missing)
    result = run_module(module.main, dict(login_user='admin', login_host='203.0.113.1', name='app'))
    assert result['failed'] and 'pg8000>=1.31,<2' in result['msg']


def test_the_driver_requirement_is_the_project_range():
    with open(os.path.join(ROOT, 'requirements.txt'), encoding='utf-8') as handle:
        assert postgresql_login.PG8000.requirement in set(line.strip() for line in handle)
