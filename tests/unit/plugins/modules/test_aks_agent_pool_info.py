# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""aks_agent_pool_info: one pool, every pool, a missing one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.modules import aks_agent_pool_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.aks_fakes import (
    CLUSTER, RG, FakeAks, run, run_without_client)


def fake():
    return FakeAks(pools={'system': {'name': 'system', 'properties': {'mode': 'System'}},
                          'legacy': {'name': 'legacy', 'properties': {'mode': 'User'}}})


def test_lists_every_pool_and_reads_one():
    pools = fake()
    listed = run(pools, aks_agent_pool_info.main, dict(cluster_name=CLUSTER, resource_group=RG))
    assert listed['changed'] is False and sorted(p['name'] for p in listed['agent_pools']) == ['legacy', 'system']
    one = run(pools, aks_agent_pool_info.main, dict(cluster_name=CLUSTER, resource_group=RG, name='legacy'))
    assert [p['name'] for p in one['agent_pools']] == ['legacy']
    assert run(pools, aks_agent_pool_info.main, dict(cluster_name=CLUSTER, resource_group=RG, name='gone'))['agent_pools'] == []
    assert pools.writes == []


def test_missing_required_option_fails_before_any_client_is_built():
    result = run_without_client(aks_agent_pool_info.main, dict(cluster_name=CLUSTER))
    assert result['failed'] and 'resource_group' in result['msg']
