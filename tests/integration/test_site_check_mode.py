# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""site.yml in check mode on an empty subscription: runs to the end, writes nothing, predicts the real run (issue 8).

The real playbook against the sandbox and, when its binaries are built, the local control plane
(the sandbox hands out its kubeconfig as the AKS credential). Every task result of both runs is
recorded by callback_plugins/phonebill_changes.py; the changed (task, loop item) pairs must be equal.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
CALLBACKS = os.path.join(os.path.dirname(__file__), 'callback_plugins')


def run_site(sandbox, tmp_path, name, extra_vars, *args):
    """Run site.yml; the task results it recorded, as dicts (task, status, action and, in loops, item), and its output."""
    links = tmp_path / 'collections' / 'ansible_collections' / 'phonebill'
    links.mkdir(parents=True, exist_ok=True)
    if not (links / 'platform').exists():
        os.symlink(os.path.abspath(ROOT), str(links / 'platform'))
    log = tmp_path / ('%s.jsonl' % name)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_CALLBACK_PLUGINS=CALLBACKS, ANSIBLE_CALLBACKS_ENABLED='phonebill_changes',
               PHONEBILL_CHANGES_LOG=str(log), **sandbox.ansible_env())
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), 'playbooks/site.yml',
                          '-i', 'inventories/sandbox', '-e', json.dumps(extra_vars)] + list(args),
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False)
    assert run.returncode == 0, '%s run failed:\n%s\n%s' % (name, run.stdout[-6000:], run.stderr[-3000:])
    with open(str(log), encoding='utf-8') as handle:
        return [json.loads(line) for line in handle], run.stdout + run.stderr


def changed(results):
    return sorted((r['task'], r.get('item')) for r in results if r['status'] == 'changed')


def test_check_mode_writes_nothing_and_predicts_the_real_run_task_by_task(sandbox, cluster, namespace, tmp_path):
    extra_vars = dict(phonebill_kubeconfig=str(tmp_path / 'kube' / 'aks.config'), phonebill_workload_namespace=namespace)
    layers = [] if cluster else ['--skip-tags', 'workloads']

    predicted, _output = run_site(sandbox, tmp_path, 'check', extra_vars, '--check', '--diff', *layers)
    assert sandbox.writes_count() == 0
    assert not os.path.exists(os.path.dirname(extra_vars['phonebill_kubeconfig']))

    made, _output = run_site(sandbox, tmp_path, 'real', extra_vars, '--diff', *layers)
    assert changed(predicted) == changed(made)
    # what check mode skipped before issue 8 is predicted now
    tasks = [task for task, _item in changed(predicted)]
    credentials = [item for task, item in changed(predicted)
                   if task == 'phonebill.platform.aks : Federated credentials of the services identity for the workload service accounts']
    assert credentials == ['auth-service-sa', 'bill-inquiry-service-sa', 'product-change-service-sa']
    assert 'phonebill.platform.registry : Let the AKS kubelet identity pull images' in tasks
    if cluster:
        assert 'Fetch the AKS user kubeconfig (written with mode 0600, never printed)' in tasks
        assert 'phonebill.platform.workloads : Apply the workload manifests (server-side apply)' in tasks
        secrets = [item for task, item in changed(predicted)
                   if task == "phonebill.platform.workloads : Write each service's Secrets from Key Vault"]
        assert secrets == ['auth-service-secrets', 'bill-inquiry-service-secrets', 'kos-mock-service-secrets',
                           'product-change-service-secrets']
