# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""redis_geo_failover and redis_cache_probe against the sandbox, each cache backed by a real redis-server.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin (PHONEBILL_REQUIRE_DATAPLANES=1 forbids skips).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.integration.redis_failover_platform import (
    DR, FAILOVER, MARKER, PRIMARY, PROD, SECONDARY, cache_id, read_on_secondary, seed_health, seed_pair)

PROBE = dict(name=SECONDARY, resource_group=DR, login_host='127.0.0.1', tls=False)
LINKED = {PRIMARY: 'Primary', SECONDARY: 'Secondary'}
STANDALONE = {PRIMARY: 'standalone', SECONDARY: 'standalone'}


@pytest.fixture
def pair(azure, sandbox, redis_server, second_redis_server):
    seed_pair(sandbox, azure, redis_server, second_redis_server)
    return dict(PROBE, login_port=second_redis_server.port)


def link_id(sandbox):
    return cache_id(sandbox, PROD, PRIMARY) + '/linkedServers/' + SECONDARY


def test_check_mode_judges_the_pair_and_predicts_the_roles_writing_nothing(azure, pair):
    writes = azure.writes()
    predicted = azure('redis_geo_failover', check_mode=True, **FAILOVER)
    assert predicted['changed'] is True and azure.writes() == writes
    assert (predicted['roles_before'], predicted['roles_after'], predicted['seconds']) == (LINKED, STANDALONE, None)
    assert predicted['diff'] == {'before': LINKED, 'after': STANDALONE}
    found = dict((check['name'], check) for check in predicted['checks'])
    assert found['Geo-replication link %s -> %s' % (PRIMARY, SECONDARY)]['measured'] == 'Succeeded'
    assert found['Geo-replication healthy']['measured'] == 1
    assert found['Geo-replication connectivity lag']['measured'] == 4.0
    assert found['Geo-replication data sync offset']['measured'] == 512
    assert set(check['status'] for check in predicted['checks']) == {'PASS'}


def test_failover_promotes_the_secondary_which_then_takes_real_writes(azure, sandbox, pair, second_redis_server):
    before = azure('redis_cache_probe', **pair)
    assert before['ping'] and before['role'] == 'slave' and before['writable'] is False
    assert before['error'].startswith('ReadOnlyError: You can\'t write against a read only replica'), before
    done = azure('redis_geo_failover', **FAILOVER)
    assert done['changed'] and done['roles_before'] == LINKED and done['roles_after'] == STANDALONE, done
    assert 0 < done['seconds'] < 30
    assert done['promoted_host_name'] == SECONDARY + '.redis.cache.windows.net'
    assert azure('redis_cache_info', name=SECONDARY, resource_group=DR)['linked_servers'] == []
    after = azure('redis_cache_probe', **pair)
    assert (after['ping'], after['role'], after['writable'], after['error']) == (True, 'master', True, None), after
    assert read_on_secondary(sandbox, second_redis_server, MARKER[0]) == MARKER[1].encode()   # the data came along

    writes = azure.writes()
    again = azure('redis_geo_failover', **FAILOVER)
    assert again['changed'] is False and again['roles_after'] == STANDALONE and azure.writes() == writes
    assert again['checks'] == [] and again['seconds'] is None


@pytest.mark.parametrize('health, refused', [
    (dict(healthy=0), 'Geo-replication healthy: 0'),
    (dict(lag=240.0), 'Geo-replication connectivity lag: 240.0'),
    (dict(offset=50000000), 'Geo-replication data sync offset: 50000000'),
])
def test_an_unhealthy_pair_is_refused_before_any_write(azure, sandbox, pair, health, refused):
    seed_health(sandbox, **health)
    writes = azure.writes()
    result = azure('redis_geo_failover', **FAILOVER)
    assert result['failed'] and 'is refused, nothing was written' in result['msg'] and refused in result['msg'], result
    assert azure.writes() == writes and result['roles_after'] == LINKED
    assert sandbox.get(link_id(sandbox))['properties']['provisioningState'] == 'Succeeded'


def test_a_link_still_being_created_is_refused_before_the_delete_azure_would_refuse(azure, sandbox, pair):
    sandbox.drift(link_id(sandbox), {'properties': {'provisioningState': 'Creating'}})
    writes = azure.writes()
    result = azure('redis_geo_failover', **FAILOVER)
    assert result['failed'] and 'Azure answers 409' in result['msg'] and azure.writes() == writes


@pytest.mark.parametrize('names, message', [
    (dict(name=SECONDARY, resource_group=DR, linked_cache_name=PRIMARY, linked_cache_resource_group=PROD),
     'name: %s is the geo-secondary of %s, not its primary' % (SECONDARY, PRIMARY)),
    (dict(linked_cache_name='redis-phonebill-other'), 'linked_cache_name: Redis cache redis-phonebill-other does not exist'),
])
def test_a_cache_that_is_not_the_primary_s_link_is_refused(azure, pair, names, message):
    writes = azure.writes()
    result = azure('redis_geo_failover', **dict(FAILOVER, **names))
    assert result['failed'] and result['msg'].startswith(message) and azure.writes() == writes, result


def test_a_failed_unlink_fails_naming_azure_s_error_and_leaves_the_pair_linked(azure, sandbox, pair):
    sandbox.fault('lro_failure', method='DELETE', path_contains='/linkedServers/' + SECONDARY)
    result = azure('redis_geo_failover', **FAILOVER)
    assert result['failed'] and 'remove the geo-replication link of %s to %s' % (PRIMARY, SECONDARY) in result['msg'], result
    assert result['roles_after'] == LINKED and 'roles now: %s Secondary, %s Primary' % (SECONDARY, PRIMARY) in result['msg']
    assert sandbox.get(link_id(sandbox))['properties']['provisioningState'] == 'Failed'
    probe = azure('redis_cache_probe', **pair)
    assert probe['role'] == 'slave' and probe['writable'] is False      # still a read-only secondary: nothing half-done


def test_bad_input_is_refused_before_any_call(azure):
    result = azure('redis_geo_failover', **dict(FAILOVER, linked_cache_name=PRIMARY, linked_cache_resource_group=PROD,
                                                max_connectivity_lag_seconds=-1, metrics_period='15 minutes'))
    assert result['failed'] and result['msg'].startswith('3 problems'), result
    assert 'metrics_period: ' in result['msg'] and 'max_connectivity_lag_seconds: -1.0 is negative' in result['msg']
    assert 'linked_cache_name: %s is the primary itself' % PRIMARY in result['msg']
    assert azure.writes() == 0


def test_probe_check_mode_pings_without_writing(azure, pair, second_redis_server):
    found = azure('redis_cache_probe', check_mode=True, **pair)
    assert found['ping'] and found['writable'] is None and found['changed'] is False
    assert found['endpoint'] == '127.0.0.1:%d' % second_redis_server.port
    assert second_redis_server.admin_client().dbsize() == 1     # the replicated bill only
