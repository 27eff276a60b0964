# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_cluster_info: clusters, offered versions, and a kubeconfig written 0600 and never returned."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

from ansible_collections.phonebill.platform.plugins.modules import aks_cluster_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.aks_fakes import (
    CLUSTER, RG, FakeAks, existing_cluster, run, run_without_client)


def test_reads_clusters_and_offered_versions():
    fake = FakeAks(clusters={CLUSTER: existing_cluster()})
    result = run(fake, aks_cluster_info.main, dict(name=CLUSTER, resource_group=RG, kubernetes_versions_location='Korea Central'))
    assert [c['name'] for c in result['clusters']] == [CLUSTER]
    assert [v['version'] for v in result['kubernetes_versions']] == ['1.29', '1.32', '1.33']
    assert ('versions', 'koreacentral') in fake.reads
    assert run(fake, aks_cluster_info.main, dict(name='other', resource_group=RG))['clusters'] == []
    assert len(run(fake, aks_cluster_info.main, {})['clusters']) == 1


def test_kubeconfig_is_written_0600_and_never_returned(tmp_path):
    fake = FakeAks(clusters={CLUSTER: existing_cluster()})
    path = str(tmp_path / 'kubeconfig')
    args = dict(name=CLUSTER, resource_group=RG, kubeconfig_path=path, kubeconfig_format='exec')
    predicted = run(fake, aks_cluster_info.main, args, check_mode=True)
    assert predicted['changed'] is True and not os.path.exists(path)
    result = run(fake, aks_cluster_info.main, args)
    assert result['changed'] is True and result['kubeconfig_path'] == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as handle:
        assert 'secret-token' in handle.read()
    assert 'secret-token' not in json.dumps(result) and 'YXBp' not in json.dumps(result)
    assert ('credentials', CLUSTER, {'format': 'exec'}) in fake.reads
    assert run(fake, aks_cluster_info.main, args)['changed'] is False


def test_kubeconfig_of_missing_cluster_fails(tmp_path):
    result = run(FakeAks(), aks_cluster_info.main, dict(name=CLUSTER, resource_group=RG, kubeconfig_path=str(tmp_path / 'k')))
    assert result['failed'] and result['msg'].startswith('kubeconfig_path:')


def test_bad_input_fails_before_any_client_is_built(tmp_path):
    result = run_without_client(aks_cluster_info.main, dict(name=CLUSTER))
    assert result['failed'] and result['msg'].startswith('resource_group:')
    result = run_without_client(aks_cluster_info.main, dict(resource_group=RG, kubeconfig_path=str(tmp_path / 'k')))
    assert result['failed'] and result['msg'].startswith('kubeconfig_path:')
    result = run_without_client(aks_cluster_info.main, dict(name=CLUSTER, resource_group=RG,
                                                            kubeconfig_path=str(tmp_path / 'missing' / 'k')))
    assert result['failed'] and result['msg'].startswith('kubeconfig_path:')
