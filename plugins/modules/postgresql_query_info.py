#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: postgresql_query_info
short_description: Run a read-only query on a PostgreSQL server and return its rows
version_added: 0.1.0
description:
  - Runs one query in a C(READ ONLY) transaction (PostgreSQL refuses any write in it) and returns the rows by column
    name, for checks such as a DR drill's validation query on a restored server.
  - The transaction is rolled back; nothing on the server changes, also outside check mode.
options:
  query:
    description:
      - The query, e.g. V(SELECT count(*) AS bills FROM bills). Named parameters are written C(:name).
    type: str
    required: true
  parameters:
    description: Values of the query's C(:name) parameters.
    type: dict
    default: {}
  max_rows:
    description: Rows returned at most (the query's result is cut there, RV(truncated) tells).
    type: int
    default: 100
extends_documentation_fragment:
  - phonebill.platform.postgresql
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Runs the query as in a real run; it cannot write.
  diff_mode:
    support: none
  platform:
    platforms: posix
seealso:
  - module: phonebill.platform.postgresql_point_in_time_restore
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Count the bills on the restored server
  phonebill.platform.postgresql_query_info:
    login_host: psql-phonebill-drdrill.postgres.database.azure.com
    login_user: phonebilladmin
    login_password: "{{ admin_password }}"
    login_database: phonebill
    query: SELECT count(*) AS bills FROM bills
  register: validation
'''

RETURN = r'''
rows:
  description: The rows, each a mapping of column name to value (dates and times as ISO 8601 text).
  returned: always
  type: list
  elements: dict
  sample: [{bills: 1250}]
row_count:
  description: How many rows the query returned (before O(max_rows)).
  returned: always
  type: int
truncated:
  description: Whether rows beyond O(max_rows) were left out.
  returned: always
  type: bool
seconds:
  description: How long the query took.
  returned: always
  type: float
'''

import datetime
import decimal
import time

from ansible_collections.phonebill.platform.plugins.module_utils.postgresql_login import PostgresModule, connection_problems


def plain(value):
    """A value Ansible can return as JSON (dates as ISO text, decimals as numbers)."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return value


def validate(params):
    found = connection_problems(params)
    if not (params['query'] or '').strip():
        found.append('query: empty; give the SELECT to run')
    if params['max_rows'] < 1:
        found.append('max_rows: %s; give at least 1' % params['max_rows'])
    return found


def main():
    module = PostgresModule(
        supports_check_mode=True,
        argument_spec=dict(
            query=dict(type='str', required=True),
            parameters=dict(type='dict', default={}),
            max_rows=dict(type='int', default=100),
        ),
    )
    params = module.params
    module.fail_on(validate(params))
    connection = module.connect()
    try:
        module.run(connection, 'start a read-only transaction', 'START TRANSACTION READ ONLY')
        started = time.monotonic()
        rows = module.run(connection, 'the query', params['query'], **params['parameters']) or []
        seconds = round(time.monotonic() - started, 3)
        names = [column['name'] for column in connection.columns or []]
        module.run(connection, 'end the transaction', 'ROLLBACK')
    finally:
        connection.close()
    module.exit(changed=False, rows=[dict(zip(names, [plain(v) for v in row])) for row in rows[:params['max_rows']]],
                row_count=len(rows), truncated=len(rows) > params['max_rows'], seconds=seconds)


if __name__ == '__main__':
    main()
