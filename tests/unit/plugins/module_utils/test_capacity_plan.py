# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The capacity plan: headroom under the autoscaler after the expected growth; storage and shards vs plan."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import capacity_plan as plan
from ansible_collections.phonebill.platform.plugins.module_utils.procedure_report import judge


def pool(name, count, max_count, autoscale=True):
    return dict(name=name, properties=dict(count=count, maxCount=max_count, minCount=3, enableAutoScaling=autoscale,
                                           vmSize='Standard_D4s_v3'))


def test_headroom_after_growth_is_judged_against_the_inventory():
    checks = plan.pool_checks([pool('app', 3, 10), pool('busy', 6, 10), pool('full', 8, 10)], 20, 30, 10)
    judged = dict((c['name'], judge(c)) for c in checks)
    assert judged['node pool app capacity plan']['measured'] == 64.0     # 3.6 of 10
    assert judged['node pool app capacity plan']['status'] == 'PASS'
    assert judged['node pool busy capacity plan']['status'] == 'WARN'   # 7.2 of 10: 28 % left
    assert judged['node pool full capacity plan']['status'] == 'FAIL'   # 9.6 of 10: 4 % left
    assert '8 nodes now, 9.6 projected with 20% growth, autoscaler maximum 10' in judged['node pool full capacity plan']['detail']


def test_a_pool_without_autoscaler_has_its_count_as_ceiling():
    assert judge(plan.pool_checks([pool('fixed', 3, None, autoscale=False)], 20, 30, 10)[0])['status'] == 'FAIL'


def test_postgresql_and_redis_against_the_plan():
    server = dict(name='psql', sku=dict(name='Standard_D4s_v3'), properties=dict(storage=dict(storageSizeGB=128, autoGrow='Enabled')))
    assert judge(plan.postgresql_checks(server, 256)[0])['status'] == 'FAIL'
    cache = dict(name='redis', properties=dict(shardCount=3, sku=dict(name='Premium', family='P', capacity=2)))
    assert [judge(c)['status'] for c in plan.redis_checks(cache, 3, 2)] == ['PASS', 'PASS']
    assert [judge(c)['status'] for c in plan.redis_checks(cache, 4, 3)] == ['FAIL', 'FAIL']
