# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options every module that logs in to a PostgreSQL server shares."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """Connection options (phonebill.platform.postgresql)."""

    DOCUMENTATION = r'''
options:
  login_host:
    description:
      - Host name of the server (for Azure, the RV(phonebill.platform.postgresql_flexible_server#module:fqdn) of the
        server). Can be set with E(PGHOST).
    type: str
    default: localhost
  login_port:
    description: TCP port of the server. Can be set with E(PGPORT).
    type: int
    default: 5432
  login_user:
    description:
      - Role to log in as; it needs CREATEROLE (the Azure administrator has it) to manage other roles. Can be set
        with E(PGUSER).
    type: str
    required: true
  login_password:
    description: Password of O(login_user). Can be set with E(PGPASSWORD). Never logged or returned.
    type: str
  login_database:
    description: Database to connect to. Can be set with E(PGDATABASE).
    type: str
    default: postgres
  ssl_mode:
    description:
      - TLS for the connection, as libpq's C(sslmode). V(verify-full) (Azure's servers present a certificate of
        a public CA for their host name) checks the certificate and the host name, V(verify-ca) the certificate
        only, V(require) encrypts without checking, V(disable) uses plain TCP (a local server only).
      - Can be set with E(PGSSLMODE).
    type: str
    choices: [disable, require, verify-ca, verify-full]
    default: verify-full
  ca_cert:
    description:
      - File of the CA certificates that sign the server's certificate, for V(verify-ca) and V(verify-full);
        the system's CAs when not given. Can be set with E(PGSSLROOTCERT).
    type: path
  connect_timeout:
    description: Seconds to wait for the server to answer a connection or a statement.
    type: int
    default: 30
requirements:
  - pg8000 >= 1.31, < 2
'''
