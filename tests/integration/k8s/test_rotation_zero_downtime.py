# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Zero downtime: rotate_secrets.yml rotates a PostgreSQL application credential, the Redis key and the PostgreSQL
administrator against real servers (bound to the sandbox's ARM resources) while a load loop logs in continuously with
the credentials the consumers' Kubernetes Secret holds: no authentication may fail.

Load with `-p azure_sandbox.pytest_plugin -p controlplane.pytest_plugin -p dataplanes.pytest_plugin`.
The attempt and failure counts are printed and written to $PHONEBILL_LOAD_FIGURES (when set) for the closing note.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import uuid

import pytest
from azure.keyvault.secrets import SecretClient
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
from azure.mgmt.postgresqlflexibleservers import models as pm
from azure.mgmt.redis import RedisManagementClient
from azure.mgmt.redis.models import RedisCreateParameters, Sku

from ansible_collections.phonebill.platform.plugins.modules import redis_cache_keys
from ansible_collections.phonebill.platform.tests.integration.k8s import rotation_site as rotate
from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import VAULT, create_vault
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

LoadLoop = pytest.importorskip('dataplanes.load_loop').LoadLoop

SERVICE, SECRET = 'auth-service', 'auth-service-secrets'
DB_SECRET, ADMIN_SECRET, REDIS_SECRET = 'database-password-auth-service', 'postgresql-admin-password', 'redis-auth-key'
SERVER, CACHE = 'psql-rotation-it', 'redis-rotation-it'


def mgmt(sandbox, client_class):
    return client_class(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs())


class RealSite(rotate.Site):
    """rotate.Site with the auth service's Secret (database login, password, Redis key) over real servers."""

    def __init__(self, sandbox, k8s, cluster, kubeconfig, tmp_path, postgres_server, redis_server):  # pylint: disable=super-init-not-called
        self.sandbox, self.k8s, self.cluster, self.kubeconfig, self.tmp_path = sandbox, k8s, cluster, kubeconfig, tmp_path
        self.postgres, self.redis = postgres_server, redis_server
        suffix = uuid.uuid4().hex[:8]
        self.admin, self.group = 'pgadmin_%s' % suffix, 'auth_service_%s' % suffix
        self.logins = ['auth_service_%s_blue' % suffix, 'auth_service_%s_green' % suffix]
        self.admin_password, self.app_password = 'Adm1n-%s' % uuid.uuid4().hex, 'App1-%s' % uuid.uuid4().hex
        self.vault = create_vault(sandbox, {ADMIN_SECRET: self.admin_password, DB_SECRET: self.app_password, REDIS_SECRET: 'unset'})
        self.bind_servers()
        self.create_app_roles()
        self.namespace = 'zdt-%s' % suffix
        self.reports = tmp_path / 'reports'
        self.keys = {'DB_USER': '%s#tag:login=%s' % (DB_SECRET, self.logins[0]), 'DB_PASSWORD': DB_SECRET, 'REDIS_AUTH_KEY': REDIS_SECRET}
        self.workloads = dict(namespace=self.namespace, services=[dict(name=SERVICE, secrets=[dict(name=SECRET, keys=self.keys)])])
        self.deploy(SERVICE, SECRET, self.keys)

    def bind_servers(self):
        group = VAULT['resource_group']
        server = mgmt(self.sandbox, PostgreSQLManagementClient).servers.begin_create_or_update(group, SERVER, pm.Server(
            location='koreacentral', sku=pm.Sku(name='Standard_D2s_v3', tier='GeneralPurpose'), properties=pm.ServerProperties(
                administrator_login=self.admin, administrator_login_password=self.admin_password, version='16'))).result()
        self.sandbox.bind_postgres(server.id, **self.postgres.login())
        cache = mgmt(self.sandbox, RedisManagementClient).redis.begin_create(group, CACHE, RedisCreateParameters(
            location='koreacentral', sku=Sku(name='Standard', family='C', capacity=1))).result()
        self.sandbox.bind_redis(cache.id, **self.redis.login())
        with pytest.MonkeyPatch.context() as patch:
            for key, value in self.sandbox.ansible_env().items():
                patch.setenv(key, value)
            stored = run_module(redis_cache_keys.main, dict(name=CACHE, resource_group=group, vault_uri=self.vault,
                                                            secret_name=REDIS_SECRET))
        assert stored.get('stored'), stored

    def create_app_roles(self):
        """The service's group role and its first login, made by the administrator (who may then manage them)."""
        admin = self.postgres.connect(user=self.admin, password=self.admin_password)
        try:
            admin.run('CREATE ROLE "%s" NOLOGIN' % self.group)
            admin.run('CREATE ROLE "%s" LOGIN PASSWORD \'%s\' IN ROLE "%s"' % (self.logins[0], self.app_password, self.group))
        finally:
            admin.close()

    def extra(self):
        policy = rotate.rotation_policy(self.reports)
        policy['postgresql'] = dict(login_host=self.postgres.host, login_port=self.postgres.port, login_database='postgres',
                                    ssl_mode='verify-full', ca_cert=self.postgres.ca_file)
        for entry in policy['secrets']:
            if entry['name'] == DB_SECRET:
                entry.update(logins=self.logins, member_of=[self.group])
        return dict(phonebill_rotation=policy, phonebill_resource_group=VAULT['resource_group'],
                    phonebill_postgresql=dict(name=SERVER, administrator_login=self.admin, administrator_password_secret=ADMIN_SECRET),
                    phonebill_redis=dict(name=CACHE, access_key_secret=dict(name=REDIS_SECRET, key='primary')))

    def held(self):
        data = self.cluster.core.read_namespaced_secret(SECRET, self.namespace).data
        return dict((k, base64.b64decode(v).decode()) for k, v in data.items())


@pytest.fixture
def real_site(sandbox, k8s, cluster, kubeconfig, tmp_path, postgres_server, redis_server):
    made = RealSite(sandbox, k8s, cluster, kubeconfig, tmp_path, postgres_server, redis_server)
    yield made
    made.close()


def test_rotations_under_load_see_no_authentication_failure(real_site, postgres_server, redis_server):
    site = real_site
    before = site.held()
    assert before['DB_USER'] == site.logins[0] and postgres_server.can_login(before['DB_USER'], before['DB_PASSWORD'])
    assert redis_server.can_auth(before['REDIS_AUTH_KEY'])

    def database_login():
        """One read of the Secret per attempt, as a pod reads its mounted Secret: two reads could straddle the
        rotation's write and pair the old login with the new password."""
        held = site.held()
        return dict(user=held['DB_USER'], password=held['DB_PASSWORD'], database='postgres')

    loop = LoadLoop(interval=0.02, timeout=5.0)
    loop.add_postgres('postgresql', postgres_server.host, postgres_server.port, database_login)
    loop.add_redis('redis', redis_server.host, redis_server.port, lambda: dict(password=site.held()['REDIS_AUTH_KEY']))
    loop.start()
    try:
        outcomes = [site.run(only=name) for name in (DB_SECRET, REDIS_SECRET, ADMIN_SECRET)]
    finally:
        figures = loop.stop()
    print('load loop during the rotations: %s' % json.dumps(dict((k, dict(attempts=v['attempts'], failures=v['failures']))
                                                                 for k, v in figures.items())))
    if os.environ.get('PHONEBILL_LOAD_FIGURES'):
        with open(os.environ['PHONEBILL_LOAD_FIGURES'], 'w', encoding='utf-8') as handle:
            json.dump(figures, handle, indent=2)
    for code, output, _report in outcomes:
        assert code == 0, output[-4000:]
    for name in ('postgresql', 'redis'):
        assert figures[name]['attempts'] > 50 and figures[name]['failures'] == 0, figures[name]['failure_details'][:5]

    after = site.held()
    assert after['DB_USER'] == site.logins[1] and after['DB_PASSWORD'] != before['DB_PASSWORD']
    assert postgres_server.can_login(after['DB_USER'], after['DB_PASSWORD'])
    assert not postgres_server.can_login(before['DB_USER'], before['DB_PASSWORD'])    # the old login is off
    assert redis_server.can_auth(after['REDIS_AUTH_KEY']) and after['REDIS_AUTH_KEY'] != before['REDIS_AUTH_KEY']
    assert not redis_server.can_auth(before['REDIS_AUTH_KEY'])                        # the key they left was regenerated
    admin = SecretClient(site.vault, site.sandbox.credential(), **site.sandbox.data_plane_kwargs())
    newest = max(admin.list_properties_of_secret_versions(ADMIN_SECRET), key=lambda p: p.created_on)
    assert newest.tags['rotation-state'] == 'committed'
    new_admin_password = admin.get_secret(ADMIN_SECRET, newest.version).value
    assert postgres_server.can_login(site.admin, new_admin_password)                 # the administrator changed through ARM
    assert not postgres_server.can_login(site.admin, site.admin_password)
    for _code, output, report in outcomes:
        assert [r['status'] for r in report['rotated']] == ['rotated'] and report['failed'] == []
        for value in (before['DB_PASSWORD'], after['DB_PASSWORD'], before['REDIS_AUTH_KEY'], after['REDIS_AUTH_KEY'],
                      site.admin_password):
            assert value not in output


def newest_state(site, name):
    client = SecretClient(site.vault, site.sandbox.credential(), **site.sandbox.data_plane_kwargs())
    versions = sorted(client.list_properties_of_secret_versions(name), key=lambda p: p.created_on)
    return [(p.tags or {}).get('rotation-state', 'committed') for p in versions]


@pytest.mark.parametrize('name, step', [
    (DB_SECRET, 'Set the new password on login'), (DB_SECRET, 'Restart the deployments that read'), (DB_SECRET, 'Turn off login'),
    (REDIS_SECRET, 'Restart the deployments that read'), (REDIS_SECRET, 'Regenerate the key the consumers left')],
    ids=['db-set-password', 'db-restart', 'db-revoke', 'redis-restart', 'redis-regenerate'])
def test_killed_at_a_step_the_consumers_keep_working_and_the_next_run_finishes(real_site, postgres_server, redis_server, name, step):
    """SIGKILL as the step starts: what the consumers hold still logs in; the daily run then completes the rotation."""
    site = real_site
    before = site.held()
    code, output, _report = site.run(only=name, kill_at=step)
    assert code == -9, output[-3000:]
    crashed = site.held()
    assert postgres_server.can_login(crashed['DB_USER'], crashed['DB_PASSWORD']) and redis_server.can_auth(crashed['REDIS_AUTH_KEY'])
    assert newest_state(site, name)[-1] in ('pending', 'applied')
    code, output, report = site.run(only=None)
    assert code == 0, output[-4000:]
    assert [(r['name'], r['outcome'][:12]) for r in report['rotated']] == [(name, 'resumed from')]
    after = site.held()
    assert newest_state(site, name)[-1] == 'committed'
    assert postgres_server.can_login(after['DB_USER'], after['DB_PASSWORD']) and redis_server.can_auth(after['REDIS_AUTH_KEY'])
    if name == DB_SECRET:
        assert after['DB_USER'] == site.logins[1] and not postgres_server.can_login(before['DB_USER'], before['DB_PASSWORD'])
    else:
        assert after['REDIS_AUTH_KEY'] != before['REDIS_AUTH_KEY'] and not redis_server.can_auth(before['REDIS_AUTH_KEY'])
