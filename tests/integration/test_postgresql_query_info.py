# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""postgresql_query_info on a real PostgreSQL server (-p dataplanes.pytest_plugin): rows by name, read-only, TLS."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.phonebill.platform.plugins.modules import postgresql_query_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module


@pytest.fixture
def query(postgres_server):
    connection = postgres_server.connect()
    try:
        connection.run('DROP TABLE IF EXISTS drill_bills')
        connection.run('CREATE TABLE drill_bills (id int PRIMARY KEY, amount numeric(10, 2), issued date)')
        connection.run("INSERT INTO drill_bills VALUES (1, 12.50, '2026-11-01'), (2, 33.00, '2026-11-02'), (3, 7.25, NULL)")
    finally:
        connection.close()

    def run(check_mode=False, **args):
        params = dict(dict(login_host=postgres_server.host, login_port=postgres_server.port, login_user=postgres_server.superuser,
                           login_password=postgres_server.superuser_password, ssl_mode='verify-full',
                           ca_cert=postgres_server.ca_file), **args)
        result = run_module(postgresql_query_info.main, params, check_mode=check_mode)
        assert postgres_server.superuser_password not in json.dumps(result)
        return result
    return run


def test_rows_by_column_name_with_values_ansible_can_return(query):
    result = query(query='SELECT id, amount, issued FROM drill_bills WHERE id <= :last ORDER BY id', parameters={'last': 2})
    assert not result['changed'] and result['row_count'] == 2 and not result['truncated']
    assert result['rows'] == [{'id': 1, 'amount': 12.5, 'issued': '2026-11-01'}, {'id': 2, 'amount': 33.0, 'issued': '2026-11-02'}]
    assert query(check_mode=True, query='SELECT count(*) AS bills FROM drill_bills')['rows'] == [{'bills': 3}]


def test_max_rows_cuts_and_says_so(query):
    result = query(query='SELECT id FROM drill_bills ORDER BY id', max_rows=1)
    assert result['rows'] == [{'id': 1}] and result['row_count'] == 3 and result['truncated']


def test_a_write_is_refused_by_the_server_and_nothing_changes(query, postgres_server):
    refused = query(query='DELETE FROM drill_bills')
    assert refused['failed'] and 'cannot execute DELETE in a read-only transaction' in refused['msg']
    assert 'SQLSTATE 25006' in refused['msg']
    connection = postgres_server.connect()
    try:
        assert connection.run('SELECT count(*) FROM drill_bills') == [[3]]
    finally:
        connection.close()


def test_bad_input_fails_before_connecting(query):
    failed = query(query='  ', max_rows=0, login_port=70000)
    assert failed['failed'] and failed['problems'] == [
        'login_port: 70000 is not a TCP port; give 1-65535', 'query: empty; give the SELECT to run',
        'max_rows: 0; give at least 1']
