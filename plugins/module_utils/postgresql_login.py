# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A connection to a PostgreSQL server itself (not its ARM resource), for the modules that manage what is inside.

The login_* options (doc fragment phonebill.platform.postgresql), the TLS modes of libpq's sslmode that matter
against Azure, and pg8000 (pure Python) imported only when first needed. Errors name the server and the option
to fix and never carry a password: the server's messages do not quote statements, and passwords are
no_log values besides.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ssl

from ansible.module_utils.basic import env_fallback

from ansible_collections.phonebill.platform.plugins.module_utils import sdk
from ansible_collections.phonebill.platform.plugins.module_utils.module_base import ModuleBase

PG8000 = sdk.Service('pg8000.native', None, 'pg8000>=1.31,<2')
SSL_MODES = ('disable', 'require', 'verify-ca', 'verify-full')
# SQLSTATEs of a refused login: invalid_password, invalid_authorization_specification (no such role, NOLOGIN,
# no pg_hba entry)
REFUSED_LOGIN = ('28P01', '28000')

CONNECTION_ARGUMENT_SPEC = dict(
    login_host=dict(type='str', default='localhost', fallback=(env_fallback, ['PGHOST'])),
    login_port=dict(type='int', default=5432, fallback=(env_fallback, ['PGPORT'])),
    login_user=dict(type='str', required=True, fallback=(env_fallback, ['PGUSER'])),
    login_password=dict(type='str', no_log=True, fallback=(env_fallback, ['PGPASSWORD'])),
    login_database=dict(type='str', default='postgres', fallback=(env_fallback, ['PGDATABASE'])),
    ssl_mode=dict(type='str', default='verify-full', choices=list(SSL_MODES), fallback=(env_fallback, ['PGSSLMODE'])),
    ca_cert=dict(type='path', fallback=(env_fallback, ['PGSSLROOTCERT'])),
    connect_timeout=dict(type='int', default=30),
)


def connection_problems(params, prefix=''):
    """Connection options that cannot work, as 'option: what; the fix' problems."""
    found = []
    if not 1 <= (params.get('login_port') or 0) <= 65535:
        found.append('%slogin_port: %s is not a TCP port; give 1-65535' % (prefix, params.get('login_port')))
    if params.get('ca_cert') and params.get('ssl_mode') in ('disable', 'require'):
        found.append('%sca_cert: only used to verify the server; set ssl_mode to verify-ca or verify-full, or leave '
                     'ca_cert out' % prefix)
    if (params.get('connect_timeout') or 0) < 1:
        found.append('%sconnect_timeout: give at least 1 second' % prefix)
    return found


def ssl_context(mode, ca_cert=None):
    """The ssl.SSLContext pg8000 needs for libpq's sslmode `mode` (None: plain TCP)."""
    if mode == 'disable':
        return None
    context = ssl.create_default_context(cafile=ca_cert)
    if mode != 'verify-full':
        context.check_hostname = False
    if mode == 'require':
        context.verify_mode = ssl.CERT_NONE
    return context


def server_error(exc):
    """(SQLSTATE, message) of a pg8000 error; the SQLSTATE is None for a network or protocol error."""
    fields = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else None
    if fields:
        return fields.get('C'), fields.get('M')
    return None, str(exc)


class PostgresModule(ModuleBase):
    """A module that logs in to a PostgreSQL server with the login_* options."""

    shared_spec = CONNECTION_ARGUMENT_SPEC

    def __init__(self, argument_spec, **kwargs):
        super(PostgresModule, self).__init__(argument_spec, **kwargs)
        self._driver = None

    @property
    def driver(self):
        """pg8000.native, imported on first use (a failure names the pip requirement)."""
        if self._driver is None:
            self._driver = self.imported(lambda: sdk.load(PG8000), errors=sdk.MissingLibrary)
        return self._driver

    @property
    def server_label(self):
        return '%s:%s' % (self.params['login_host'], self.params['login_port'])

    def open(self, user, password):
        """A new connection as user (the pg8000 errors of a failed login propagate)."""
        params = self.params
        return self.driver.Connection(user, host=params['login_host'], port=params['login_port'], password=password,
                                      database=params['login_database'], timeout=params['connect_timeout'],
                                      ssl_context=ssl_context(params['ssl_mode'], params['ca_cert']))

    def connect(self):
        """The connection of login_user, or a failure that says what to check."""
        try:
            return self.open(self.params['login_user'], self.params['login_password'])
        except (self.driver.InterfaceError, self.driver.DatabaseError, OSError) as exc:
            code, message = server_error(exc)
            hint = ('check login_user and login_password' if code in REFUSED_LOGIN else
                    'check login_host, login_port, ssl_mode and that the server allows this client')
            self.fail('cannot log in to PostgreSQL at %s as %s: %s; %s'
                      % (self.server_label, self.params['login_user'], message, hint))
        return None

    def authenticates(self, user, password):
        """Whether user logs in with password to login_database (a new connection, closed at once).

        False for any refused login (wrong password, no such role, NOLOGIN, expired, no pg_hba entry);
        a network failure fails the module.
        """
        try:
            self.open(user, password).close()
        except self.driver.DatabaseError as exc:
            code, message = server_error(exc)
            if code in REFUSED_LOGIN:
                return False
            self.fail('trying the password of role %s at %s failed: %s' % (user, self.server_label, message))
        except (self.driver.InterfaceError, OSError) as exc:
            self.fail('trying the password of role %s at %s failed: %s' % (user, self.server_label, server_error(exc)[1]))
        return True

    def run(self, connection, what, sql, **params):
        """connection.run(sql) or a failure naming what was being done and the server's message."""
        try:
            return connection.run(sql, **params)
        except self.driver.DatabaseError as exc:
            code, message = server_error(exc)
            self.fail('%s at %s failed: %s (SQLSTATE %s)' % (what, self.server_label, message, code))
        return None
