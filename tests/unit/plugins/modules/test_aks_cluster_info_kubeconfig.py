# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_cluster_info never writes over a kubeconfig it did not write, and predicts its write in check mode (issue 8)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.phonebill.platform.plugins.modules import aks_cluster_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.aks_fakes import (
    CLUSTER, RG, FakeAks, existing_cluster, run, run_without_client)

# An operator's own ~/.kube/config, with another cluster's credentials in it.
OPERATORS_KUBECONFIG = b'''apiVersion: v1
kind: Config
clusters:
- name: aks-billing-staging
  cluster:
    server: https://aks-billing-staging-dns-4f1c2a.hcp.koreacentral.azmk8s.io:443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
contexts:
- name: aks-billing-staging
  context: {cluster: aks-billing-staging, user: clusterUser_rg-billing-staging_aks-billing-staging}
current-context: aks-billing-staging
users:
- name: clusterUser_rg-billing-staging_aks-billing-staging
  user: {token: operator-token}
'''


def fetch(tmp_path, name='config', **extra):
    return dict(name=CLUSTER, resource_group=RG, kubeconfig_path=str(tmp_path / name), **extra)


def test_a_kubeconfig_the_module_did_not_write_is_never_replaced(tmp_path):
    operators = tmp_path / 'config'
    operators.write_bytes(OPERATORS_KUBECONFIG)
    fake = FakeAks(clusters={CLUSTER: existing_cluster()})
    for check_mode in (True, False):
        refused = run(fake, aks_cluster_info.main, fetch(tmp_path), check_mode=check_mode)
        assert refused['failed'], refused
        assert refused['msg'].startswith('kubeconfig_path: %s exists and phonebill.platform did not write it' % operators)
        assert 'kubeconfig_force: true' in refused['msg']
        assert operators.read_bytes() == OPERATORS_KUBECONFIG


def test_kubeconfig_force_replaces_it_and_later_runs_own_the_file(tmp_path):
    (tmp_path / 'config').write_bytes(OPERATORS_KUBECONFIG)
    fake = FakeAks(clusters={CLUSTER: existing_cluster()})
    forced = run(fake, aks_cluster_info.main, fetch(tmp_path, kubeconfig_force=True))
    assert forced['changed'] is True
    content = (tmp_path / 'config').read_bytes()
    assert content.startswith(aks_cluster_info.KUBECONFIG_MARKER) and b'secret-token' in content
    assert b'operator-token' not in content
    # the file is now the module's own: replaced or kept without kubeconfig_force
    assert run(fake, aks_cluster_info.main, fetch(tmp_path))['changed'] is False


def test_the_module_rewrites_its_own_stale_kubeconfig(tmp_path):
    stale = tmp_path / 'config'
    stale.write_bytes(aks_cluster_info.KUBECONFIG_MARKER + b'apiVersion: v1\nusers: [{name: old, user: {token: old}}]\n')
    os.chmod(str(stale), 0o600)
    result = run(FakeAks(clusters={CLUSTER: existing_cluster()}), aks_cluster_info.main, fetch(tmp_path))
    assert result['changed'] is True and b'secret-token' in stale.read_bytes()


def test_check_mode_predicts_the_write_for_a_cluster_not_created_yet(tmp_path):
    args = fetch(tmp_path, name='not-created-yet/config')
    predicted = run(FakeAks(), aks_cluster_info.main, args, check_mode=True)
    assert not predicted.get('failed'), predicted.get('msg')
    assert predicted['changed'] is True and predicted['kubeconfig_path'] == args['kubeconfig_path']
    assert not (tmp_path / 'not-created-yet').exists()


def test_real_runs_still_need_the_cluster_and_the_directory(tmp_path):
    missing_cluster = run(FakeAks(), aks_cluster_info.main, fetch(tmp_path))
    assert missing_cluster['failed'] and 'does not exist' in missing_cluster['msg']
    missing_directory = run_without_client(aks_cluster_info.main, fetch(tmp_path, name='missing/config'))
    assert missing_directory['failed'] and missing_directory['msg'].startswith('kubeconfig_path: the directory of')
