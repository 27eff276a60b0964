# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A geo-replicated Redis pair in the sandbox, shared by the failover module, playbook and AWX job tests.

Production's cache (Korea Central) is linked to the DR cache (Korea South), each bound to a real redis-server, so the
linked secondary really replicates the primary and refuses writes until the link is removed. The geo-replication
metrics Azure Monitor would emit are seeded: a healthy pair in sync unless a test says otherwise.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import redis_failover
from ansible_collections.phonebill.platform.tests.integration.maintenance_run import COLLECTION

SUB = '/subscriptions/%s/resourceGroups/%s/providers/%s'
PROD, DR = 'rg-phonebill-prod', 'rg-phonebill-prod-dr'
PRIMARY, SECONDARY = 'redis-phonebill-prod', 'redis-phonebill-dr'
CACHE = {'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2}, 'shardCount': 3, 'enableNonSslPort': False,
         'minimumTlsVersion': '1.2', 'publicNetworkAccess': 'Disabled'}
FAILOVER = dict(name=PRIMARY, resource_group=PROD, linked_cache_name=SECONDARY, linked_cache_resource_group=DR,
                max_connectivity_lag_seconds=60, max_data_sync_offset_bytes=1048576)
MARKER = ('bill:20261202:42', '33.00')
PLAYBOOK = os.path.join(COLLECTION, 'playbooks', 'failover_redis.yml')
LOCK = 'phonebill-maintenance-lock'


def cache_id(sandbox, group, name):
    return SUB % (sandbox.subscription_id, group, 'Microsoft.Cache/Redis/' + name)


def seed_health(sandbox, healthy=1, lag=4.0, offset=512):
    """What Azure Monitor measured over the last minutes: health and lag on the secondary, offset on the primary."""
    secondary, primary = cache_id(sandbox, DR, SECONDARY), cache_id(sandbox, PROD, PRIMARY)
    sandbox.seed_metric(secondary, redis_failover.HEALTHY, [{'minimum': 1, 'maximum': 1}] * 4 + [{'minimum': healthy, 'maximum': 1}])
    sandbox.seed_metric(secondary, redis_failover.LAG, [{'minimum': 1.0, 'maximum': 2.0}] * 4 + [{'minimum': 1.0, 'maximum': lag}])
    sandbox.seed_metric(primary, redis_failover.OFFSET, [{'minimum': 0, 'maximum': offset}] * 5)


def seed_pair(sandbox, run, redis_server, second_redis_server):
    """Both caches bound to their real servers (emptied and standalone: they outlive each test's sandbox), a bill
    cached on the primary, then the link made through the module, and a healthy pair's metrics."""
    for server in (redis_server, second_redis_server):
        admin = server.admin_client()
        try:
            admin.execute_command('REPLICAOF', 'NO', 'ONE')
            admin.flushall()
        finally:
            admin.close()
    sandbox.seed([{'id': '/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, PROD), 'location': 'koreacentral'},
                  {'id': '/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, DR), 'location': 'koreasouth'},
                  {'id': cache_id(sandbox, PROD, PRIMARY), 'location': 'koreacentral', 'properties': dict(CACHE)},
                  {'id': cache_id(sandbox, DR, SECONDARY), 'location': 'koreasouth', 'properties': dict(CACHE)}])
    sandbox.bind_redis(cache_id(sandbox, PROD, PRIMARY), **redis_server.login())
    sandbox.bind_redis(cache_id(sandbox, DR, SECONDARY), **second_redis_server.login())
    data = redis_server.client(keys(sandbox, PROD, PRIMARY).primary_key)
    try:
        data.set(*MARKER)
    finally:
        data.close()
    linked = run('redis_linked_server', name=PRIMARY, resource_group=PROD, linked_cache_name=SECONDARY,
                 linked_cache_resource_group=DR)
    assert linked['changed'] and linked['resource']['properties']['provisioningState'] == 'Succeeded', linked
    seed_health(sandbox)


def keys(sandbox, group, name):
    from azure.mgmt.redis import RedisManagementClient  # pylint: disable=import-outside-toplevel
    return RedisManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs()).redis.list_keys(group, name)


def read_on_secondary(sandbox, second_redis_server, key):
    """A key as the DR cache's real server holds it (with the DR cache's own access key)."""
    data = second_redis_server.client(keys(sandbox, DR, SECONDARY).primary_key)
    try:
        return data.get(key)
    finally:
        data.close()


VAULT, SECRET = 'kv-phonebill-prod', 'redis-auth-key'
CHANGE = dict(phonebill_change_id='CHG0012345', phonebill_change_approver='ops.lead@phonebill.example')


def seed_vault(run):
    """Production's vault with the services' access key: the primary's, as the cache role keeps it."""
    vault = run('key_vault', name=VAULT, resource_group=PROD, location='koreacentral', sku='premium',
                enable_rbac_authorization=True)
    assert not vault.get('failed'), vault
    stored = run('redis_cache_keys', name=PRIMARY, resource_group=PROD, vault_uri=vault['vault_uri'], secret_name=SECRET)
    assert stored['stored'] is True, stored
    return vault['vault_uri']


def services_key(sandbox, vault_uri):
    from azure.keyvault.secrets import SecretClient  # pylint: disable=import-outside-toplevel
    return SecretClient(vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs()).get_secret(SECRET).value


def settings(second_redis_server, **changes):
    """phonebill_failover_redis as the inventory has it, probing the DR cache's real server (no TLS locally)."""
    found = {'time_budget_minutes': 30,
             'primary': {'name': PRIMARY, 'resource_group': PROD}, 'secondary': {'name': SECONDARY, 'resource_group': DR},
             'metrics_period': 'PT15M', 'metrics_interval': 'PT1M',
             'max_connectivity_lag_seconds': 60, 'max_data_sync_offset_bytes': 1048576,
             'unlink_timeout_minutes': 1, 'unlink_max_seconds': 30,
             'probe': {'login_host': '127.0.0.1', 'login_port': second_redis_server.port, 'tls': False}}
    found.update(changes)
    return found


@pytest.fixture
def vault_uri(azure, sandbox, redis_server, second_redis_server):
    """The linked pair and production's vault holding the primary's key; the vault's URI."""
    seed_pair(sandbox, azure, redis_server, second_redis_server)
    return seed_vault(azure)
