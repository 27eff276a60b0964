# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The judgements of a controlled AKS upgrade: surge, durations, node images, skew, capacity, budgets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import aks_upgrade

SUBNET = '/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/snet-application'


def pool(name, count=3, surge='33%', version='1.33.2', mode='User', state='Succeeded', max_pods=30):
    return aks_upgrade.pool_facts(dict(name=name, properties=dict(
        count=count, upgradeSettings=dict(maxSurge=surge), currentOrchestratorVersion=version, mode=mode,
        provisioningState=state, maxPods=max_pods, vnetSubnetID=SUBNET,
        nodeImageVersion='AKSUbuntu-2204gen2containerd-202507.21.0')), 'AKSUbuntu-2204gen2containerd-202508.04.0', 10)


@pytest.mark.parametrize('count, surge, nodes, rounds', [
    (3, '33%', 1, 3), (4, '50%', 2, 2), (10, '10%', 1, 10), (3, '1', 1, 3), (5, '2', 2, 3), (3, None, 1, 3),
    (100, '33%', 33, 4)])
def test_surge_nodes_and_rounds_as_aks_counts_them(count, surge, nodes, rounds):
    assert aks_upgrade.surge_nodes(count, surge) == nodes
    assert aks_upgrade.batches(count, surge) == rounds


def test_a_pool_budget_is_a_batch_time_per_round():
    facts = pool('app', count=4, surge='50%')
    assert (facts['surge_nodes'], facts['batches'], facts['budget_minutes']) == (2, 2, 20)


@pytest.mark.parametrize('current, latest, behind', [
    ('AKSUbuntu-2204gen2containerd-202507.21.0', 'AKSUbuntu-2204gen2containerd-202508.04.0', True),
    ('AKSUbuntu-2204gen2containerd-202508.04.0', 'AKSUbuntu-2204gen2containerd-202508.04.0', False),
    ('AKSUbuntu-2204gen2containerd-202509.01.0', 'AKSUbuntu-2204gen2containerd-202508.04.0', False),
    ('AKSUbuntu-2204gen2containerd-202507.21.0', None, False),
])
def test_node_image_behind_only_when_older_than_the_latest(current, latest, behind):
    assert aks_upgrade.image_behind(current, latest) is behind


def test_offered_target_passes_and_another_fails_listing_the_offered():
    assert aks_upgrade.offered_check('1.34', '1.33.2', ['1.34.1'])['status'] == 'PASS'
    failed = aks_upgrade.offered_check('1.35', '1.33.2', ['1.34.1'])
    assert failed['status'] == 'FAIL' and failed['detail'] == 'offered upgrades from 1.33.2: 1.34.1'


@pytest.mark.parametrize('target, pools, problem', [
    ('1.34', ['1.33.2'], None),
    ('1.35', ['1.33.2'], '1.35 skips a minor version from 1.33.2; upgrade one minor version at a time'),
    ('1.32', ['1.32.1'], '1.32 is below the control plane 1.33.2 (AKS never downgrades)'),
    ('1.34', ['1.30.4'], 'pool p0 at 1.30.4 would be more than 3 minor versions behind 1.34'),
])
def test_version_skew(target, pools, problem):
    found = aks_upgrade.skew_check(target, '1.33.2', [pool('p%d' % i, version=v) for i, v in enumerate(pools)])
    assert found['status'] == ('FAIL' if problem else 'PASS')
    if problem:
        assert found['detail'] == problem


def test_surge_fits_with_overlay_counting_nodes_only():
    pools = [pool('system'), pool('app', count=10)]
    found = aks_upgrade.surge_check(pools, {SUBNET: '10.0.0.0/28'}, overlay=True)  # 11 addresses: 13 nodes + 4 surge
    assert found['status'] == 'FAIL'
    assert 'subnet snet-application (10.0.0.0/28) has 11 addresses for nodes, the upgrade of pool app needs 17' in found['detail']
    assert aks_upgrade.surge_check(pools, {SUBNET: '10.0.0.0/27'}, overlay=True)['status'] == 'PASS'


def test_surge_without_overlay_counts_each_nodes_pods():
    pools = [pool('app', count=3, max_pods=30)]  # (3 + 1) nodes x 31 addresses = 124
    assert aks_upgrade.surge_check(pools, {SUBNET: '10.0.0.0/24'}, overlay=False)['status'] == 'PASS'  # 251
    assert aks_upgrade.surge_check(pools, {SUBNET: '10.0.0.0/25'}, overlay=False)['status'] == 'FAIL'  # 123


def test_a_budget_allowing_no_disruption_fails_naming_it():
    budgets = [dict(namespace='phonebill-prod', name='auth-service', disruptions_allowed=0),
               dict(namespace='phonebill-prod', name='bill-service', disruptions_allowed=1)]
    found = aks_upgrade.budget_check(budgets)
    assert (found['status'], found['measured'], found['detail']) == (
        'FAIL', 1, 'allow no disruption now: phonebill-prod/auth-service')
    assert aks_upgrade.budget_check(budgets[1:])['status'] == 'PASS'


def test_any_operation_in_progress_fails_the_idle_check():
    cluster = dict(properties=dict(provisioningState='Succeeded'))
    busy = [dict(name='app', properties=dict(provisioningState='UpgradingNodeImageVersion'))]
    found = aks_upgrade.running('aks', cluster, busy)
    assert found == ['node pool app is UpgradingNodeImageVersion']
    assert aks_upgrade.idle_check(found)['status'] == 'FAIL' and aks_upgrade.idle_check([])['status'] == 'PASS'


def test_prechecks_are_valid_report_checks():
    from ansible_collections.phonebill.platform.plugins.module_utils.procedure_report import check_problems
    checks = aks_upgrade.prechecks('1.34', '1.33.2', ['1.34.1'], [pool('system', mode='System')],
                                   {SUBNET: '10.0.0.0/24'}, True, [], [])
    assert check_problems(checks) == [] and [c['status'] for c in checks] == ['PASS'] * 5
