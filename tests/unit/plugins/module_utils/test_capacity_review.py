# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The capacity review's judging, with the procedure_report judge the report uses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import capacity_review
from ansible_collections.phonebill.platform.plugins.module_utils.procedure_report import check_problems, judge

THRESHOLDS = dict(pool_warn_percent_of_max=80, pool_fail_at_max=True, pending_pods_max=0)


def pool(name, count, low=3, high=10, autoscale=True):
    return dict(name=name, properties=dict(count=count, enableAutoScaling=autoscale, minCount=low if autoscale else None,
                                           maxCount=high if autoscale else None))


def verdicts(checks):
    assert check_problems(checks) == []
    return dict((c['name'], judge(c)['status']) for c in checks)


def test_pool_utilisation_pass_warn_fail_below_min():
    checks = capacity_review.pool_checks(
        [pool('app', 10), pool('system', 3, 3, 5), pool('batch', 9), pool('spare', 2)],
        {'app': dict(count=10, ready=10), 'system': dict(count=3, ready=2), 'batch': dict(count=9, ready=9)}, THRESHOLDS)
    found = verdicts(checks)
    assert found['node pool app nodes vs autoscaler'] == 'FAIL'      # at its maximum of 10
    assert found['node pool batch nodes vs autoscaler'] == 'WARN'    # 9 > 80% of 10
    assert found['node pool system nodes vs autoscaler'] == 'PASS'
    assert found['node pool spare nodes vs autoscaler'] == 'FAIL'    # 2 below its minimum of 3 (ARM's count: no node registered)
    assert found['node pool system nodes ready'] == 'WARN'           # 2 of 3 ready
    assert 'node pool spare nodes ready' not in found
    app = judge(next(c for c in checks if c['name'] == 'node pool app nodes vs autoscaler'))
    assert app['measured'] == 10 and app['threshold'] == '<= 9 nodes, >= 3 nodes, <= 8 nodes to pass'
    assert '10 of 3-10 nodes' in app['detail'] and 'can add no node' in app['detail']


def test_pool_at_max_only_warns_when_the_inventory_says_so():
    checks = capacity_review.pool_checks([pool('app', 10)], {'app': dict(count=10, ready=10)}, dict(THRESHOLDS, pool_fail_at_max=False))
    assert verdicts(checks)['node pool app nodes vs autoscaler'] == 'WARN'


def test_pool_without_autoscaler_must_have_its_stated_count():
    checks = capacity_review.pool_checks([pool('fixed', 3, autoscale=False)], {'fixed': dict(count=2, ready=2)}, THRESHOLDS)
    assert verdicts(checks)['node pool fixed nodes vs autoscaler'] == 'FAIL'


def pending(name, reason='Unschedulable', phase='Pending'):
    return dict(metadata=dict(namespace='phonebill-prod', name=name), status=dict(phase=phase, conditions=[
        dict(type='PodScheduled', status='False', reason=reason, message='0/6 nodes are available: 6 Insufficient cpu.')]))


def test_pending_pods_that_fit_no_node():
    check = capacity_review.pending_pod_check([pending('a'), pending('b', reason='SchedulingGated'), pending('c', phase='Running')], THRESHOLDS)
    assert (check['measured'], judge(check)['status']) == (1, 'FAIL')
    assert check['detail'] == 'phonebill-prod/a: 0/6 nodes are available: 6 Insufficient cpu.'
    assert judge(capacity_review.pending_pod_check([], THRESHOLDS))['status'] == 'PASS'


def hpa(name, current, high=10, conditions=(), metrics=1, current_metrics=1):
    return dict(metadata=dict(namespace='phonebill-prod', name=name),
                spec=dict(minReplicas=3, maxReplicas=high, metrics=[dict(type='Resource')] * metrics),
                status=dict(currentReplicas=current, desiredReplicas=current, conditions=list(conditions),
                            currentMetrics=[dict(type='Resource', resource=dict(name='cpu', current=dict(averageUtilization=40)))] * current_metrics))


def test_autoscaler_at_its_maximum_warns_and_unknown_metrics_are_counted():
    inactive = dict(type='ScalingActive', status='False', reason='FailedGetResourceMetric', message='no metrics returned')
    checks = capacity_review.autoscaler_checks([hpa('auth-service', 10), hpa('bill-inquiry-service', 4, 15, [inactive]),
                                                hpa('kos-mock-service', 2, 6, current_metrics=0)])
    found = verdicts(checks)
    assert found['autoscaler phonebill-prod/auth-service replicas vs maximum'] == 'WARN'
    assert found['autoscaler phonebill-prod/bill-inquiry-service replicas vs maximum'] == 'PASS'
    assert found['autoscalers with unknown metrics'] == 'WARN'
    unknown = checks[-1]
    assert unknown['measured'] == 2
    assert 'bill-inquiry-service: FailedGetResourceMetric: no metrics returned' in unknown['detail']
    assert 'kos-mock-service: 1 of 1 metrics have no current value' in unknown['detail']
    assert 'at its maximum' in checks[0]['detail']


def test_threshold_problems_name_the_option():
    assert capacity_review.threshold_problems(THRESHOLDS) == []
    problems = capacity_review.threshold_problems(dict(pool_warn_percent_of_max=120, pending_pods_max=-1), 'phonebill_weekly.capacity')
    assert 'phonebill_weekly.capacity.pool_fail_at_max: missing; state it in phonebill_weekly.capacity' in problems
    assert any(p.startswith('phonebill_weekly.capacity.pool_warn_percent_of_max: 120') for p in problems)
    assert any(p.startswith('phonebill_weekly.capacity.pending_pods_max: -1') for p in problems)
