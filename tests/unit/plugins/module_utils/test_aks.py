# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks.py checks: one rule for the modules and preflight, each problem naming the caller's path."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import aks, plan_checks
from ansible_collections.phonebill.platform.plugins.modules import aks_cluster
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import production_plan

NETWORK = dict(plugin='azure', plugin_mode='overlay', policy='azure', pod_cidr='192.168.0.0/16',
               service_cidr='172.16.0.0/16', dns_service_ip='172.16.0.10', max_pods=30)


@pytest.mark.parametrize('address, ok', [
    ('172.16.0.10', True), ('172.16.0.2', True), ('172.16.255.254', True),
    ('172.16.0.0', False),      # the network address
    ('172.16.0.1', False),      # the first address: the kubernetes service
    ('172.16.255.255', False),  # the broadcast address
    ('172.17.0.10', False),     # outside the service range
    ('fd00::10', False),        # another address family
])
def test_dns_service_ip_rule(address, ok):
    problems = aks.network_problems('network', dict(NETWORK, dns_service_ip=address))
    assert (problems == []) is ok, problems
    if not ok:
        assert problems[0].startswith('network.dns_service_ip: ') and 'state e.g. 172.16.0.10' in problems[0]


def _module_params(network):
    """aks_cluster's parameters as AnsibleModule hands them over: every option present."""
    params = dict((name, None) for name in ('name', 'dns_prefix', 'kubernetes_version', 'orchestrator_version', 'tags',
                                            'workload_identity', 'oidc_issuer', 'identity', 'aad', 'addons', 'agent_pools',
                                            'prometheus_metrics'))
    params.update(name='aks-phonebill-prod', network=network)
    return params


@pytest.mark.parametrize('change', [dict(dns_service_ip='172.16.0.1'), dict(dns_service_ip='172.16.255.255'),
                                    dict(max_pods=5), dict(pod_cidr='192.168.0.0/33')])
def test_module_and_preflight_refuse_the_same_network_with_the_same_words(change):
    network = dict(NETWORK, **change)
    plan = copy.deepcopy(production_plan())
    plan['phonebill_aks']['network'] = network
    in_plan = [p[len('phonebill_aks.'):] for p in plan_checks.check_plan(plan) if p.startswith('phonebill_aks.network')]
    in_module = aks_cluster.validate(_module_params(network))
    assert in_plan and in_plan == in_module


def test_a_pool_problem_names_the_path_it_is_given():
    pool = dict(name='app', mode='User', vm_size='Standard_D4s_v3', min_count=3, max_count=2)
    assert aks.pool_problems('', pool) == ['min_count: 3 is above max_count 2; state min_count <= max_count']
    assert aks.pool_problems('phonebill_aks.pools[app]', pool) == [
        'phonebill_aks.pools[app].min_count: 3 is above max_count 2; state min_count <= max_count']


@pytest.mark.parametrize('pools', [{'app': {}}, 'app', [['app']], ['app']])
def test_pools_of_the_wrong_type_are_one_problem(pools):
    problems = aks.pools_problems('phonebill_aks.pools', pools)
    assert len(problems) == 1 and problems[0].startswith('phonebill_aks.pools must be a list of pool mappings')


def test_window_and_module_options_share_the_field_checks():
    window = dict(day='Sunday', start='2am', duration_hours=2, utc_offset='KST')
    assert aks.window_problems('phonebill_maintenance_window', window) == [
        "phonebill_maintenance_window.start: '2am' is not a time; state HH:MM in 24 hours, e.g. \"02:00\"",
        'phonebill_maintenance_window.duration_hours: 2 is out of range; state 4 to 24 hours '
        '(Azure managed upgrade schedules need at least 4)',
        "phonebill_maintenance_window.utc_offset: 'KST' is not an offset; state +HH:MM or -HH:MM, e.g. \"+09:00\" for KST"]
    assert aks.DAYS[-1] == 'Sunday' and not hasattr(plan_checks, 'DAYS') and not hasattr(plan_checks, 'window_problems')


def test_upgrade_checks_return_problems():
    assert aks.upgrade_problems('kubernetes_version', 'cluster c', '1.33', '1.32.6', ['1.33.2']) == []
    assert aks.upgrade_problems('kubernetes_version', 'cluster c', '1.31', '1.32.6', []) == [
        'kubernetes_version: cluster c runs Kubernetes 1.32.6 and AKS cannot downgrade to 1.31; '
        'state 1.32.6 or a later version']
    assert aks.pool_version_problems('v', 'pool p', '1.33', {'orchestratorVersion': '1.33',
                                                             'currentOrchestratorVersion': '1.33.2'}, []) == []


def test_every_network_problem_is_reported_whatever_else_is_wrong():
    problems = aks.network_problems('phonebill_aks.network', dict(plugin='flannel', max_pods=5, service_cidr='172.16.0.0/16',
                                                                  dns_service_ip=10))
    assert [p.split(':')[0] for p in problems] == [
        'phonebill_aks.network.max_pods', 'phonebill_aks.network.plugin', 'phonebill_aks.network.dns_service_ip']
