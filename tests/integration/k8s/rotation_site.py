# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the rotate_secrets.yml tests share: a vault, a namespace with a deployment reading a Secret written from it,
and ansible-playbook of the playbook with the kill-at-task callback when asked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import subprocess
import sys
import uuid

import pytest
import yaml
from azure.keyvault.secrets import SecretClient

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import (
    COLLECTION, COLLECTIONS_ROOT, INVENTORY, VAULT, create_vault)

PLAYBOOK = os.path.join(COLLECTION, 'playbooks', 'rotate_secrets.yml')
CALLBACKS = os.path.join(COLLECTION, 'tests', 'integration', 'callback_plugins')
NAME, SERVICE, SECRET, KEY = 'kos-mock-config', 'kos-mock-service', 'kos-mock-service-secrets', 'KOS_MOCK_CONFIG'
OLD = 'Kos-Mock-Token-initial-8c0e2a4b6d'
AGENT_POOL = dict(nodeAffinity=dict(requiredDuringSchedulingIgnoredDuringExecution=dict(nodeSelectorTerms=[dict(
    matchExpressions=[dict(key='agentpool', operator='In', values=['system'])])])))

# The generated rotator's steps, each named by the task that starts it; the run is killed as that task starts.
STEPS = ['Write the new version (pending', 'Let consumers read the new version', 'Write the Secrets that read',
         'Restart the deployments that read', 'Check the health of the deployments', 'Commit the rotation of',
         'Read when each entry is next due']


def rotation_policy(report_dir):
    with open(os.path.join(INVENTORY, 'group_vars', 'all', 'rotation.yml'), encoding='utf-8') as handle:
        policy = yaml.safe_load(handle)['phonebill_rotation']
    return dict(policy, report_dir=str(report_dir), check_hpa_metrics=False, rollout_timeout=180)


class Site:
    """The vault, the namespace with the consumer deployment, and ansible-playbook of rotate_secrets.yml."""

    def __init__(self, sandbox, k8s, cluster, kubeconfig, tmp_path, name=NAME, service=SERVICE, secret=SECRET, keys=None):
        self.sandbox, self.k8s, self.cluster, self.kubeconfig, self.tmp_path = sandbox, k8s, cluster, kubeconfig, tmp_path
        self.name, self.secret = name, secret
        self.vault = create_vault(sandbox, {name: OLD})
        self.data_plane = SecretClient(self.vault, sandbox.credential(), **sandbox.data_plane_kwargs())
        self.namespace = 'rot-%s' % uuid.uuid4().hex[:8]
        self.reports = tmp_path / 'reports'
        keys = keys or {KEY: name}
        self.workloads = dict(namespace=self.namespace, services=[dict(name=service, secrets=[dict(name=secret, keys=keys)])])
        self.deploy(service, secret, keys)

    def deploy(self, service, secret, keys):
        """The namespace, the Secret written from the vault, and a deployment of 2 pods reading it, rolled out."""
        pod = dict(containers=[dict(name='c', image='phonebill/%s:1.0' % service, envFrom=[dict(secretRef=dict(name=secret))])],
                   affinity=AGENT_POOL, terminationGracePeriodSeconds=1)
        deployment = dict(apiVersion='apps/v1', kind='Deployment', metadata=dict(name=service, namespace=self.namespace), spec=dict(
            replicas=2, selector=dict(matchLabels=dict(app=service)),
            strategy=dict(type='RollingUpdate', rollingUpdate=dict(maxSurge=1, maxUnavailable=0)),
            template=dict(metadata=dict(labels=dict(app=service)), spec=pod)))
        applied = self.k8s('k8s_apply', definitions=[dict(apiVersion='v1', kind='Namespace', metadata=dict(name=self.namespace))])
        assert not applied.get('failed'), applied
        with pytest.MonkeyPatch.context() as patch:
            for key, value in self.sandbox.ansible_env().items():
                patch.setenv(key, value)
            written = self.k8s('k8s_secret_from_key_vault', vault_uri=self.vault, name=secret, namespace=self.namespace, keys=keys)
        assert not written.get('failed'), written
        applied = self.k8s('k8s_apply', definitions=[deployment])
        assert not applied.get('failed'), applied
        self.k8s('k8s_rollout', name=service, namespace=self.namespace, state='status', timeout=180)

    def extra(self):
        """Extra variables besides the common ones."""
        return {}

    def run(self, only=NAME, check=False, verbosity=0, kill_at=None):
        """(returncode, output, report or None) of one ansible-playbook run."""
        extra = dict(phonebill_kubeconfig=self.kubeconfig, phonebill_rotation_fetch_kubeconfig=False, phonebill_key_vault=VAULT,
                     phonebill_workloads=self.workloads, phonebill_rotation=rotation_policy(self.reports))
        extra.update(self.extra())
        if only:
            extra['phonebill_rotate_only'] = only
        vars_file = self.tmp_path / ('vars-%s.json' % uuid.uuid4().hex[:6])
        vars_file.write_text(json.dumps(extra))
        command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY, PLAYBOOK, '-e', '@%s' % vars_file,
                   '-e', 'ansible_python_interpreter=%s' % sys.executable]
        if check:
            command += ['--check', '--diff']
        if verbosity:
            command += ['-' + 'v' * verbosity, '--diff']
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1',
                   ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'), **self.sandbox.ansible_env())
        if kill_at:
            env.update(ANSIBLE_CALLBACK_PLUGINS=CALLBACKS, ANSIBLE_CALLBACKS_ENABLED='phonebill_kill_at', PHONEBILL_KILL_AT_TASK=kill_at)
        before = set(self.reports.glob('*.json')) if self.reports.exists() else set()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
        written = sorted(set(self.reports.glob('*.json')) - before) if self.reports.exists() else []
        report = json.loads(written[-1].read_text()) if written else None
        return done.returncode, done.stdout + done.stderr, report

    def versions(self):
        """[(version, value or None when disabled, rotation-state, enabled)] oldest first."""
        listed = sorted(self.data_plane.list_properties_of_secret_versions(self.name), key=lambda p: p.created_on)
        return [(p.version, self.data_plane.get_secret(self.name, p.version).value if p.enabled else None,
                 (p.tags or {}).get('rotation-state', 'committed'), p.enabled) for p in listed]

    def held(self, key=KEY):
        """The value the consumers' Secret holds under key."""
        secret = self.cluster.core.read_namespaced_secret(self.secret, self.namespace)
        return base64.b64decode(secret.data[key]).decode()

    def readable_values(self):
        return [value for _version, value, state, enabled in self.versions() if enabled and state in ('applied', 'committed')]

    def pods_restarted(self):
        deployment = self.cluster.apps.read_namespaced_deployment(SERVICE, self.namespace)
        return (deployment.spec.template.metadata.annotations or {}).get('kubectl.kubernetes.io/restartedAt')

    def close(self):
        self.cluster.delete_namespace(self.namespace)
