# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A cluster in the sandbox whose kubeconfig is the real control plane, for the maintenance playbooks to run on."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

GROUP, CLUSTER = 'rg-phonebill-prod', 'aks-phonebill-prod'   # the production inventory's names
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
