# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kubernetes modules and the workloads role against the real local control plane.

Load with `-p controlplane.pytest_plugin` (PYTHONPATH must include the repository root, for
`controlplane`): it provides the session fixture `k8s_control_plane` (admin kubeconfig path).
The workloads role and k8s_secret_from_key_vault also read a Key Vault: load
`-p azure_sandbox.pytest_plugin` too (PYTHONPATH=sandbox).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json
import os
import subprocess
import sys
import threading
import time
import uuid

import pytest

from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

kubernetes = pytest.importorskip('kubernetes')
from kubernetes import client, config, watch  # noqa: E402  pylint: disable=wrong-import-position
from kubernetes.client.rest import ApiException  # noqa: E402  pylint: disable=wrong-import-position

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
INVENTORY = os.path.join(COLLECTION, 'inventories', 'prod')
PLAYBOOK = os.path.join(os.path.dirname(__file__), 'workloads_playbook.yml')
CLIENT_ID = '11111111-2222-3333-4444-555555555555'

# The vault of the Secrets' values, with the SPEC §8 secrets the services read, as the keyvault layer writes them.
VAULT = dict(name='kv-phonebill-it', resource_group='rg-phonebill-it')
VAULT_VALUES = {
    'jwt-signing-key': 'Jwt-Signing-Key-5b8e1d0c9a7f',
    'database-password-auth-service': 'Db-Auth-Password-2c4e6a8b0d',
    'database-password-bill-inquiry-service': 'Db-Bill-Password-3d5f7b9c1e',
    'database-password-product-change-service': 'Db-Product-Password-4e6a8c0d2f',
    'redis-auth-key': 'Redis-Auth-Key-6a8c0e2b4d',
    'kos-api-credentials': '{"client_id": "kos-client", "client_secret": "Kos-Client-Secret-7b9d1f3a5c"}',
    'kos-mock-config': '{"bill-inquiry": {"latency_ms": [200, 500], "success": 0.995}, "token": "Kos-Mock-Token-8c0e2a4b6d"}',
}


def create_vault(sandbox, values=None):
    """The vault VAULT in the sandbox with values (VAULT_VALUES by default), written by the collection's modules; its URI."""
    from ansible_collections.phonebill.platform.plugins.modules import (  # pylint: disable=import-outside-toplevel
        key_vault, key_vault_secret, resource_group)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in sandbox.ansible_env().items():
            patch.setenv(key, value)
        assert not run_module(resource_group.main, dict(name=VAULT['resource_group'], location='koreacentral')).get('failed')
        vault = run_module(key_vault.main, dict(VAULT, location='koreacentral', sku='premium', enable_rbac_authorization=True))
        assert not vault.get('failed'), vault
        for name, value in (values or VAULT_VALUES).items():
            written = run_module(key_vault_secret.main, dict(vault_uri=vault['vault_uri'], name=name, value=value))
            assert not written.get('failed'), written
    return vault['vault_uri']


def wait_for(what, check, timeout=60.0, interval=0.25):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError('timed out after %ss waiting for %s (last=%r)' % (timeout, what, last))


def remove_namespace(core, name, timeout=120.0):
    """Delete a namespace (if it exists) and wait until it is gone: pods still terminating there would sit on the
    nodes the next test of this control plane uses (a drain test counts the pods it evicts)."""
    from kubernetes.client.rest import ApiException  # pylint: disable=import-outside-toplevel

    def gone():
        try:
            core.read_namespace(name)
        except ApiException as exc:
            if exc.status == 404:
                return True
            raise
        return False

    try:
        core.delete_namespace(name)
    except ApiException as exc:
        if exc.status != 404:
            raise
    wait_for('namespace %s gone' % name, gone, timeout=timeout, interval=0.5)


class K8sRunner:
    """Runs the collection's Kubernetes modules in-process with the control plane's kubeconfig."""

    def __init__(self, kubeconfig):
        self.kubeconfig = kubeconfig

    def __call__(self, name, /, check_mode=False, diff=True, **args):
        module = importlib.import_module('ansible_collections.phonebill.platform.plugins.modules.%s' % name)
        args.setdefault('kubeconfig', self.kubeconfig)
        return run_module(module.main, args, check_mode=check_mode, diff=diff)


class Cluster:
    """Typed API clients for assertions, and what the tests read often."""

    def __init__(self, kubeconfig):
        self.api = config.new_client_from_config(config_file=kubeconfig)
        self.core = client.CoreV1Api(self.api)
        self.apps = client.AppsV1Api(self.api)
        self.policy = client.PolicyV1Api(self.api)
        self.custom = client.CustomObjectsApi(self.api)

    def namespace_exists(self, name):
        try:
            self.core.read_namespace(name)
            return True
        except ApiException as exc:
            if exc.status == 404:
                return False
            raise

    @staticmethod
    def written(metadata):
        """What changes when anyone but a status writer (controllers) writes the object: generation and field managers."""
        return (metadata.generation, metadata.labels, metadata.annotations,
                sorted((m.manager, m.operation, m.subresource or '', str(m.time))
                       for m in metadata.managed_fields or [] if m.subresource != 'status'))

    def resource_versions(self, namespace):
        """{kind/name: write fingerprint} of everything the workloads role writes in a namespace (and its ClusterRoles).

        Controllers keep writing status (the HPA controller every sync), so resourceVersion alone would not tell.
        """
        found = {}
        listers = [
            ('ServiceAccount', self.core.list_namespaced_service_account), ('Service', self.core.list_namespaced_service),
            ('Deployment', self.apps.list_namespaced_deployment), ('PodDisruptionBudget', self.policy.list_namespaced_pod_disruption_budget),
            ('HorizontalPodAutoscaler', client.AutoscalingV2Api(self.api).list_namespaced_horizontal_pod_autoscaler),
            ('NetworkPolicy', client.NetworkingV1Api(self.api).list_namespaced_network_policy),
            ('RoleBinding', client.RbacAuthorizationV1Api(self.api).list_namespaced_role_binding),
            ('ConfigMap', self.core.list_namespaced_config_map), ('Secret', self.core.list_namespaced_secret),
        ]
        for kind, lister in listers:
            for item in lister(namespace).items:
                found['%s/%s' % (kind, item.metadata.name)] = self.written(item.metadata)
        rbac = client.RbacAuthorizationV1Api(self.api)
        for name in ('application-reader', 'application-writer'):
            try:
                found['ClusterRole/%s' % name] = self.written(rbac.read_cluster_role(name).metadata)
            except ApiException as exc:
                if exc.status != 404:
                    raise
        if self.namespace_exists(namespace):
            found['Namespace/%s' % namespace] = self.written(self.core.read_namespace(namespace).metadata)
        return found

    def delete_namespace(self, name):
        remove_namespace(self.core, name)


class PodWatcher:
    """Watches the pods of one app label from a resourceVersion on, recording the ready count after every event."""

    def __init__(self, cluster, namespace, app):
        self.cluster, self.namespace, self.app = cluster, namespace, app
        listed = cluster.core.list_namespaced_pod(namespace, label_selector='app=%s' % app)
        self.pods = dict((p.metadata.name, p) for p in listed.items)
        self.resource_version = listed.metadata.resource_version
        self.ready_counts = [self.ready()]
        self.events = 0
        self._stopping = False
        self._watch = watch.Watch()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def is_ready(pod):
        if pod.metadata.deletion_timestamp:
            return False
        return any(c.type == 'Ready' and c.status == 'True' for c in (pod.status.conditions or []))

    def ready(self):
        return sum(1 for p in self.pods.values() if self.is_ready(p))

    def _run(self):
        stream = self._watch.stream(self.cluster.core.list_namespaced_pod, self.namespace, label_selector='app=%s' % self.app,
                                    resource_version=self.resource_version, timeout_seconds=120)
        try:
            for event in stream:
                self._record(event)
        except Exception:  # pylint: disable=broad-except
            if not self._stopping:
                raise

    def _record(self, event):
        pod = event['object']
        if event['type'] == 'DELETED':
            self.pods.pop(pod.metadata.name, None)
        else:
            self.pods[pod.metadata.name] = pod
        self.events += 1
        self.ready_counts.append(self.ready())

    def stop(self):
        self._stopping = True
        self._watch.stop()
        self._thread.join(timeout=10)


def run_role(kubeconfig, namespace, tmp_path, sandbox, check=False, extra=None, verbosity=None):
    """ansible-playbook the workloads role with the sandbox's vault VAULT; returns (returncode, result dict or None, output)."""
    result_file = tmp_path / ('result-%s.json' % uuid.uuid4().hex[:6])
    extra_vars = dict(phonebill_kubeconfig=kubeconfig, phonebill_services_identity_client_id=CLIENT_ID,
                      phonebill_workload_namespace=namespace, result_file=str(result_file), phonebill_key_vault=VAULT)
    extra_vars.update(extra or {})
    vars_file = tmp_path / ('vars-%s.json' % uuid.uuid4().hex[:6])
    vars_file.write_text(json.dumps(extra_vars))
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY, PLAYBOOK,
               '-e', '@%s' % vars_file]
    if check:
        command += ['--check', '--diff']
    if verbosity:
        command += ['-' + 'v' * verbosity, '--diff']
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_STDOUT_CALLBACK='default',
               ANSIBLE_NOCOLOR='1', ANSIBLE_CALLBACK_RESULT_FORMAT='json', ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'),
               **sandbox.ansible_env())
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    output = done.stdout + done.stderr
    result = json.loads(result_file.read_text()) if result_file.exists() else None
    return done.returncode, result, output


@pytest.fixture(scope='module')
def role_sandbox(sandbox_server):
    """The sandbox for the role runs of one test file, with the vault VAULT: reset once, not between the file's tests."""
    from azure_sandbox.client import SandboxClient  # pylint: disable=import-outside-toplevel
    sandbox = SandboxClient(sandbox_server)
    sandbox.reset()
    sandbox.vault_uri = create_vault(sandbox)
    return sandbox


@pytest.fixture(scope='session')
def kubeconfig(k8s_control_plane):
    return k8s_control_plane


@pytest.fixture(scope='session')
def k8s(kubeconfig):
    return K8sRunner(kubeconfig)


@pytest.fixture(scope='session')
def cluster(kubeconfig):
    return Cluster(kubeconfig)


@pytest.fixture
def scratch_namespace(cluster, k8s):
    """A fresh namespace, deleted afterwards."""
    name = 'it-%s' % uuid.uuid4().hex[:8]
    result = k8s('k8s_apply', definitions=[dict(apiVersion='v1', kind='Namespace', metadata=dict(name=name))])
    assert result['changed'], result
    yield name
    cluster.delete_namespace(name)
