# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/failover_redis.yml with injected faults, each ending in a clear report and nothing half-done: a pair
that is not healthy is refused with zero writes (not even the lock), a failed unlink leaves the pair linked and the
services' key untouched with the lock released, and a run with a change id but no approver reads and writes nothing.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin (PHONEBILL_REQUIRE_DATAPLANES=1 forbids skips).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.integration.maintenance_run import checks, run_maintenance
from ansible_collections.phonebill.platform.tests.integration.redis_failover_platform import (
    CHANGE, DR, LOCK, PLAYBOOK, PRIMARY, PROD, SECONDARY, cache_id, keys, seed_health, services_key, settings)
# the fixture, imported for pytest to find it
from ansible_collections.phonebill.platform.tests.integration.redis_failover_platform import vault_uri  # noqa: F401 pylint: disable=unused-import


def link(sandbox):
    return sandbox.get(cache_id(sandbox, PROD, PRIMARY) + '/linkedServers/' + SECONDARY)


def assert_still_linked(sandbox, vault_uri, second_redis_server, state='Succeeded'):
    """The pair as it was: linked, the secondary read-only, the services on the primary's key, no lock left."""
    assert link(sandbox)['properties']['provisioningState'] == state
    dr = second_redis_server.admin_client()
    try:
        assert dr.info('replication')['role'] == 'slave'
    finally:
        dr.close()
    assert services_key(sandbox, vault_uri) == keys(sandbox, PROD, PRIMARY).primary_key
    tags = sandbox.get('/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, PROD)).get('tags') or {}
    assert LOCK not in tags


def test_an_unhealthy_link_is_refused_before_any_write(sandbox, tmp_path, vault_uri, second_redis_server):
    seed_health(sandbox, healthy=0, lag=900.0)
    writes = sandbox.writes_count()
    code, output, report = run_maintenance(sandbox, tmp_path, PLAYBOOK,
                                           phonebill_failover_redis=settings(second_redis_server), **CHANGE)
    assert code != 0 and 'is refused' in output and 'Nothing was written' in output, output
    found = checks(report)
    assert report['status'] == 'FAIL'
    assert found['Geo-replication healthy']['status'] == 'FAIL' and found['Geo-replication healthy']['measured'] == 0
    assert found['Geo-replication connectivity lag']['status'] == 'FAIL'
    assert 'is refused, nothing was written' in found['Geo-replication role of ' + SECONDARY]['detail']
    assert not [name for name in found if name.startswith('Unlink')]
    assert sandbox.writes_count() == writes                         # not even the maintenance lock
    assert_still_linked(sandbox, vault_uri, second_redis_server)


def test_a_failed_unlink_reports_azure_s_error_and_leaves_the_pair_as_it_was(sandbox, tmp_path, vault_uri, second_redis_server):
    sandbox.fault('lro_failure', method='DELETE', path_contains='/linkedServers/' + SECONDARY)
    code, output, report = run_maintenance(sandbox, tmp_path, PLAYBOOK,
                                           phonebill_failover_redis=settings(second_redis_server), **CHANGE)
    assert code != 0, output
    found = checks(report)
    unlink = found['Unlink and promote ' + SECONDARY]
    assert unlink['status'] == 'FAIL' and unlink['measured'] == 'failed'
    assert 'remove the geo-replication link of %s to %s' % (PRIMARY, SECONDARY) in unlink['detail']
    assert 'roles now: %s Secondary, %s Primary' % (SECONDARY, PRIMARY) in unlink['detail']
    assert set(check['status'] for check in report['checks'] if check['category'] == 'pre-check') == {'PASS'}
    assert not [check for check in report['checks'] if check['category'] in ('post-check', 'switch')]
    assert_still_linked(sandbox, vault_uri, second_redis_server, state='Failed')
    assert sandbox.get(cache_id(sandbox, DR, SECONDARY))['properties']['linkedServers']


@pytest.mark.parametrize('approval, refusal', [
    (dict(phonebill_change_id='CHG0012345'), 'change_approver: an approved change needs both change_id and change_approver'),
    ({}, 'change_id: this procedure needs an approved change at any hour'),   # inside the window too
])
def test_a_run_without_an_approved_change_is_refused_before_anything(sandbox, tmp_path, vault_uri, second_redis_server,
                                                                     approval, refusal):
    sandbox.clear_requests()
    code, output, report = run_maintenance(sandbox, tmp_path, PLAYBOOK,
                                           phonebill_failover_redis=settings(second_redis_server), **approval)
    assert code != 0 and refusal in output, output
    assert [(check['name'], check['status']) for check in report['checks']] == [('maintenance window', 'FAIL')]
    assert report['checks'][0]['detail'].startswith(refusal) and 'phonebill_change_approver' in report['checks'][0]['detail']
    assert sandbox.requests() == []                                 # nothing read, nothing written
    assert_still_linked(sandbox, vault_uri, second_redis_server)
