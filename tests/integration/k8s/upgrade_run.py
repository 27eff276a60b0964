# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A cluster in the sandbox whose kubeconfig is the real control plane, and the maintenance playbooks run on it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import subprocess
import sys

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import COLLECTION, COLLECTIONS_ROOT, INVENTORY

GROUP, CLUSTER = 'rg-phonebill-prod', 'aks-phonebill-prod'   # the production inventory's names
INSIDE = '2026-12-05T17:10:00Z'     # Sunday 02:10 KST: 110 minutes left
LATE = '2026-12-05T18:20:00Z'       # Sunday 03:20 KST: 40 minutes left
TAG = 'phonebill-maintenance-lock'


def create_cluster(azure, sandbox, kubeconfig, app_count=3, app_surge='33%'):
    """Cluster 1.33.2 (1.34.1 offered) with pools system and app; its user kubeconfig is the control plane's."""
    sandbox.config(kubernetes_versions=['1.33.2', '1.34.1'], default_kubernetes_version='1.33.2', aks_kubeconfig=kubeconfig,
                   latest_node_image_version='AKSUbuntu-2204gen2containerd-202508.04.0')
    assert azure('resource_group', name=GROUP, location='koreacentral')['changed']
    created = azure('aks_cluster', name=CLUSTER, resource_group=GROUP, location='koreacentral', kubernetes_version='1.33.2',
                    dns_prefix='phonebill-prod', agent_pools=[dict(name='system', mode='System', vm_size='Standard_D2s_v3',
                                                                   count=3, max_surge='33%', zones=['1', '2', '3'])])
    assert created['changed'], created.get('msg')
    pool = azure('aks_agent_pool', name='app', cluster_name=CLUSTER, resource_group=GROUP, mode='User', vm_size='Standard_D4s_v3',
                 count=app_count, max_surge=app_surge, zones=['1', '2', '3'], orchestrator_version='1.33.2')
    assert pool['changed'], pool.get('msg')
    return created['resource']['id']


def run_playbook(playbook, sandbox, tmp_path, **extra):
    """ansible-playbook a maintenance playbook with the production inventory; (rc, report or None, output)."""
    report_dir = tmp_path / 'reports'
    report_dir.mkdir(exist_ok=True)
    extra = dict(dict(maintenance_guard_verify_delay_seconds=0, phonebill_kubeconfig=str(tmp_path / 'aks.config')), **extra)
    vars_file = tmp_path / 'vars.json'
    vars_file.write_text(json.dumps(extra))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1', PHONEBILL_REPORT_DIR=str(report_dir),
               ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'), **sandbox.ansible_env())
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY,
                           '-e', 'ansible_python_interpreter=%s' % sys.executable, '-e', '@%s' % vars_file,
                           os.path.join(COLLECTION, 'playbooks', 'maintenance', playbook)],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    reports = sorted(glob.glob(str(report_dir / '*.json')))
    report = json.loads(open(reports[-1]).read()) if reports else None
    return done.returncode, report, done.stdout + done.stderr


def checks(report):
    """name -> (status, detail) of every check of a report."""
    return dict((c['name'], (c['status'], c.get('detail'))) for c in report['checks'])


def writes(sandbox):
    """(method, 'managedClusters/NAME' or 'agentPools/NAME') of the accepted writes on the cluster and its pools, in order."""
    found = []
    for r in sandbox.requests():
        kind_and_name = '/'.join(r['path'].split('?')[0].split('/')[-2:])
        if r['write'] and r['status'] < 300 and kind_and_name.split('/', maxsplit=1)[0].lower() in ('managedclusters', 'agentpools'):
            found.append((r['method'], kind_and_name))
    return found


def lock_released(sandbox):
    group = sandbox.get('/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, GROUP))
    return TAG not in (group.get('tags') or {})
