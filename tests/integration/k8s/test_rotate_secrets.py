# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/rotate_secrets.yml with the sandbox's Key Vault and the real control plane (ansible-playbook).

A generated secret (kos-mock-config) read by one deployment through its Secret: rotated on demand, in check
mode, at -vvv, killed (SIGKILL) before each step and run again, and failed by a Key Vault fault (rolled back).
Load with `-p azure_sandbox.pytest_plugin -p controlplane.pytest_plugin`.
"""

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
    COLLECTION, COLLECTIONS_ROOT, INVENTORY, VAULT, create_vault, wait_for)

PLAYBOOK = os.path.join(COLLECTION, 'playbooks', 'rotate_secrets.yml')
CALLBACKS = os.path.join(COLLECTION, 'tests', 'integration', 'callback_plugins')
NAME, SERVICE, SECRET, KEY = 'kos-mock-config', 'kos-mock-service', 'kos-mock-service-secrets', 'KOS_MOCK_CONFIG'
OLD = 'Kos-Mock-Token-initial-8c0e2a4b6d'
AGENT_POOL = dict(nodeAffinity=dict(requiredDuringSchedulingIgnoredDuringExecution=dict(nodeSelectorTerms=[dict(
    matchExpressions=[dict(key='agentpool', operator='In', values=['system'])])])))

# The generated rotator's steps, each named by the task that starts it; the run is killed as that task starts.
STEPS = ['Write the new version of', 'Let consumers read the new version', 'Write the Secrets that read',
         'Restart the deployments that read', 'Check the health of the deployments', 'Commit the rotation of',
         'Read when each entry is next due']


def rotation_policy(report_dir):
    with open(os.path.join(INVENTORY, 'group_vars', 'all', 'rotation.yml'), encoding='utf-8') as handle:
        policy = yaml.safe_load(handle)['phonebill_rotation']
    return dict(policy, report_dir=str(report_dir), check_hpa_metrics=False, rollout_timeout=180)


class Site:
    """The vault, the namespace with the consumer deployment, and ansible-playbook of rotate_secrets.yml."""

    def __init__(self, sandbox, k8s, cluster, kubeconfig, tmp_path):
        self.sandbox, self.k8s, self.cluster, self.kubeconfig, self.tmp_path = sandbox, k8s, cluster, kubeconfig, tmp_path
        self.vault = create_vault(sandbox, {NAME: OLD})
        self.data_plane = SecretClient(self.vault, sandbox.credential(), **sandbox.data_plane_kwargs())
        self.namespace = 'rot-%s' % uuid.uuid4().hex[:8]
        self.reports = tmp_path / 'reports'
        self.workloads = dict(namespace=self.namespace, services=[dict(name=SERVICE, secrets=[dict(name=SECRET, keys={KEY: NAME})])])
        pod = dict(containers=[dict(name='c', image='phonebill/kos-mock-service:1.0', envFrom=[dict(secretRef=dict(name=SECRET))])],
                   affinity=AGENT_POOL, terminationGracePeriodSeconds=1)
        deployment = dict(apiVersion='apps/v1', kind='Deployment', metadata=dict(name=SERVICE, namespace=self.namespace), spec=dict(
            replicas=2, selector=dict(matchLabels=dict(app=SERVICE)),
            strategy=dict(type='RollingUpdate', rollingUpdate=dict(maxSurge=1, maxUnavailable=0)),
            template=dict(metadata=dict(labels=dict(app=SERVICE)), spec=pod)))
        applied = k8s('k8s_apply', definitions=[dict(apiVersion='v1', kind='Namespace', metadata=dict(name=self.namespace))])
        assert not applied.get('failed'), applied
        with pytest.MonkeyPatch.context() as patch:
            for key, value in sandbox.ansible_env().items():
                patch.setenv(key, value)
            written = k8s('k8s_secret_from_key_vault', vault_uri=self.vault, name=SECRET, namespace=self.namespace, keys={KEY: NAME})
        assert not written.get('failed'), written
        applied = k8s('k8s_apply', definitions=[deployment])
        assert not applied.get('failed'), applied
        k8s('k8s_rollout', name=SERVICE, namespace=self.namespace, state='status', timeout=180)

    def run(self, only=NAME, check=False, verbosity=0, kill_at=None):
        """(returncode, output, report or None) of one ansible-playbook run."""
        extra = dict(phonebill_kubeconfig=self.kubeconfig, phonebill_rotation_fetch_kubeconfig=False, phonebill_key_vault=VAULT,
                     phonebill_workloads=self.workloads, phonebill_rotation=rotation_policy(self.reports))
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
        listed = sorted(self.data_plane.list_properties_of_secret_versions(NAME), key=lambda p: p.created_on)
        return [(p.version, self.data_plane.get_secret(NAME, p.version).value if p.enabled else None,
                 (p.tags or {}).get('rotation-state', 'committed'), p.enabled) for p in listed]

    def held(self):
        """The value the consumers' Secret holds."""
        secret = self.cluster.core.read_namespaced_secret(SECRET, self.namespace)
        return base64.b64decode(secret.data[KEY]).decode()

    def readable_values(self):
        return [value for _version, value, state, enabled in self.versions() if enabled and state in ('applied', 'committed')]

    def pods_restarted(self):
        deployment = self.cluster.apps.read_namespaced_deployment(SERVICE, self.namespace)
        return (deployment.spec.template.metadata.annotations or {}).get('kubectl.kubernetes.io/restartedAt')

    def close(self):
        self.cluster.delete_namespace(self.namespace, wait=False)


@pytest.fixture
def site(sandbox, k8s, cluster, kubeconfig, tmp_path):
    made = Site(sandbox, k8s, cluster, kubeconfig, tmp_path)
    yield made
    made.close()


def test_on_demand_rotation_moves_the_consumers_and_commits(site):
    code, output, report = site.run()
    assert code == 0, output[-3000:]
    (old, _v, _s, old_enabled), (new, value, state, enabled) = site.versions()
    assert state == 'committed' and enabled and old_enabled and value != OLD and site.held() == value
    assert site.pods_restarted()
    assert [(r['name'], r['status'], r['outcome']) for r in report['rotated']] == [(NAME, 'rotated', 'committed')]
    assert report['failed'] == [] and NAME in report['next_due'] and report['only'] == NAME
    skipped = dict((item['name'], item['reason']) for item in report['skipped'])
    assert skipped['jwt-signing-key'] == 'not asked for (rotating only %s)' % NAME
    markdown = next(site.reports.glob('*.md')).read_text()
    assert '`%s` (generated): committed' % NAME in markdown and '## Next due' in markdown
    daily = site.run(only=None)
    assert daily[0] == 0 and daily[2]['rotated'] == [] and len(site.versions()) == 2


def test_check_mode_lists_what_would_rotate_and_writes_nothing(site):
    writes = site.sandbox.writes_count()
    secret_version = site.cluster.core.read_namespaced_secret(SECRET, site.namespace).metadata.resource_version
    code, output, report = site.run(check=True)
    assert code == 0, output[-3000:]
    assert site.sandbox.writes_count() == writes and len(site.versions()) == 1
    assert site.cluster.core.read_namespaced_secret(SECRET, site.namespace).metadata.resource_version == secret_version
    assert report['check_mode'] and report['rotated'] == []
    assert [(i['name'], i['action'], i['reason'][:9]) for i in report['would_rotate']] == [(NAME, 'rotate', 'on demand')]


def test_no_value_in_the_output_or_the_report_at_vvv(site):
    code, output, _report = site.run(verbosity=3)
    assert code == 0, output[-3000:]
    values = [value for _version, value, _state, _enabled in site.versions()]
    assert len(values) == 2 and OLD in values
    reports = ''.join(path.read_text() for path in site.reports.iterdir())
    for value in values:
        assert value not in output and value not in reports
        assert base64.b64encode(value.encode()).decode() not in output


def test_a_failure_rolls_back_and_fails_loudly(site):
    """Key Vault refuses the apply step (403): the new version is disabled, consumers keep the old value."""
    site.sandbox.fault('error', method='PATCH', path_contains='/secrets/%s/' % NAME, count=1, status=403, code='Forbidden',
                       message='injected: the caller is not allowed to update the secret')
    code, output, report = site.run()
    assert code != 0 and 'rotation failed for %s' % NAME in output
    (_old, old_value, _s, old_enabled), (_new, _value, state, enabled) = site.versions()
    assert (state, enabled, old_enabled) == ('rolled-back', False, True) and site.held() == old_value == OLD
    (failed,) = report['failed']
    assert failed['name'] == NAME and failed['outcome'].startswith('rolled back to version %s' % _old)
    assert 'injected' in failed['outcome'] or 'Forbidden' in failed['outcome']


@pytest.mark.parametrize('step', range(1, len(STEPS) + 1), ids=['k%d-%s' % (i + 1, s.split()[0].lower()) for i, s in enumerate(STEPS)])
def test_killed_before_step_k_the_next_run_completes_with_no_value_lost(site, step):
    """SIGKILL as step k starts; in between, consumers hold a readable value; the daily run then finishes the rotation."""
    code, output, _report = site.run(kill_at=STEPS[step - 1])
    assert code == -9, output[-3000:]
    assert site.held() in site.readable_values()          # consumers hold a valid credential after the crash
    assert OLD in [value for _v, value, _s, _e in site.versions()]   # the old value is recoverable (enabled)
    code, output, report = site.run(only=None)             # the daily run
    assert code == 0, output[-3000:]
    versions = site.versions()
    if step == 1:        # nothing was written: nothing to resume, nothing due
        assert [(v[1], v[2]) for v in versions] == [(OLD, 'committed')] and site.held() == OLD and report['rotated'] == []
        return
    (_old, old_value, _s, old_enabled), (_new, value, state, enabled) = versions
    assert old_value == OLD and old_enabled and state == 'committed' and enabled and site.held() == value != OLD
    if step < len(STEPS):
        (rotated,) = report['rotated']
        assert rotated['name'] == NAME and rotated['outcome'].startswith('resumed from')
    else:
        assert report['rotated'] == []
    wait_for('the consumer deployment rolled out', lambda: site.cluster.apps.read_namespaced_deployment(
        SERVICE, site.namespace).status.updated_replicas == 2)
