# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/failover_redis.yml against the sandbox, each cache backed by a real redis-server: a failover that
promotes the DR cache (a real write on it afterwards, the services' key moved in Key Vault), and the same in check
mode (pre-checks only, nothing written). The faults are in test_failover_redis_faults.py.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin (PHONEBILL_REQUIRE_DATAPLANES=1 forbids skips).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.tests.integration.maintenance_run import checks, run_maintenance
from ansible_collections.phonebill.platform.tests.integration.redis_failover_platform import (
    CHANGE, DR, LOCK, PLAYBOOK, MARKER, PRIMARY, PROD, SECONDARY, cache_id, keys, read_on_secondary, services_key, settings)
# the fixture, imported for pytest to find it
from ansible_collections.phonebill.platform.tests.integration.redis_failover_platform import vault_uri  # noqa: F401 pylint: disable=unused-import


def failover(sandbox, tmp_path, second_redis_server, check=False, **extra):
    return run_maintenance(sandbox, tmp_path, PLAYBOOK, check=check,
                           phonebill_failover_redis=settings(second_redis_server), **dict(CHANGE, **extra))


def test_failover_promotes_the_dr_cache_which_takes_real_writes(sandbox, tmp_path, vault_uri, second_redis_server):
    code, output, report = failover(sandbox, tmp_path, second_redis_server)
    assert code == 0, output
    found = checks(report)
    assert report['status'] == 'WARN', report     # only the services' host, which the collection does not hold
    assert [name for name, check in found.items() if check['status'] != 'PASS'] == ['Services pointed at ' + SECONDARY]
    assert found['Geo-replication connectivity lag']['measured'] == 4.0
    assert found['Unlink and promote ' + SECONDARY]['measured'] == 'done'
    assert 0 < found['Unlink time']['measured'] < 30
    assert found['%s replication role' % SECONDARY]['measured'] == 'master'
    assert found['%s takes writes (SET, GET, DEL)' % SECONDARY]['measured'] is True
    assert report['context']['roles_before'] == {PRIMARY: 'Primary', SECONDARY: 'Secondary'}
    assert report['context']['roles_after'] == {PRIMARY: 'standalone', SECONDARY: 'standalone'}
    assert report['context']['change_id'] == CHANGE['phonebill_change_id']
    assert report['context']['change_approver'] == CHANGE['phonebill_change_approver']
    assert found['maintenance window']['detail'].startswith('inside the window Sunday 2026-12-06 02:00:00 +09:00')

    assert sandbox.get(cache_id(sandbox, DR, SECONDARY))['properties']['linkedServers'] == []
    assert read_on_secondary(sandbox, second_redis_server, MARKER[0]) == MARKER[1].encode()
    promoted_key = keys(sandbox, DR, SECONDARY).primary_key
    assert services_key(sandbox, vault_uri) == promoted_key          # the services' secret holds the promoted key
    assert promoted_key not in output
    tags = sandbox.get('/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, PROD)).get('tags') or {}
    assert LOCK not in tags                                           # the lock was released


def test_check_mode_runs_only_the_pre_checks_and_writes_nothing(sandbox, tmp_path, vault_uri, second_redis_server):
    writes = sandbox.writes_count()
    code, output, report = failover(sandbox, tmp_path, second_redis_server, check=True)
    assert code == 0, output
    found = checks(report)
    assert sandbox.writes_count() == writes
    assert found['Unlink and promote (check mode)']['detail'].startswith(
        'would remove the link of %s to %s' % (PRIMARY, SECONDARY))
    assert {check['category'] for check in report['checks']} == {'window', 'pre-check', 'failover'}
    assert 'Unlink time' not in found and report['status'] == 'PASS'
    assert sandbox.get(cache_id(sandbox, PROD, PRIMARY) + '/linkedServers/' + SECONDARY)['properties']['provisioningState'] == 'Succeeded'
    assert services_key(sandbox, vault_uri) == keys(sandbox, PROD, PRIMARY).primary_key
