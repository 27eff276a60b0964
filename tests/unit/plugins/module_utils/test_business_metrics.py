# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the SPEC §9 business and technical metrics, on the production inventory and its bad variants."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils.business_metrics import business_metrics_problems
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import production_plan

METRICS = production_plan()['phonebill_business_metrics']


def _changed(entry, **change):
    metrics = copy.deepcopy(METRICS)
    metric = [m for m in metrics if m['name'] == entry][0]
    for key, value in change.items():
        if value is None:
            metric.pop(key, None)
        else:
            metric[key] = value
    return metrics


def test_the_inventory_states_the_spec_metrics_with_their_targets():
    assert business_metrics_problems(METRICS) == []
    by_name = dict((m['name'], m) for m in METRICS)
    assert by_name['cache-hit-ratio']['min'] == 95  # SPEC 9: "cache hit ratio (target 95%)"
    assert {m['category'] for m in METRICS} == {'business', 'technical'}
    # workspace-based Application Insights: the workspace's tables, counts weighted by sampling
    assert all(m['query'].startswith(('AppRequests', 'AppMetrics')) for m in METRICS)
    assert all('sum(ItemCount)' in m['query'] for m in METRICS if m['category'] == 'business')


@pytest.mark.parametrize('name,change,expected', [
    ('bill-inquiry-success-rate', dict(min=100.5), '[bill-inquiry-success-rate].min: 100.5 is not a percentage'),
    ('product-change-success-rate', dict(min=-1), '[product-change-success-rate].min: -1 is not a percentage'),
    ('cache-hit-ratio', dict(min=None), '[cache-hit-ratio].min: no threshold is stated'),
    ('product-change-queue-depth', dict(min=0), '[product-change-queue-depth].min: both min and max are stated'),
    ('db-connection-pool-usage', dict(max='80%'), "[db-connection-pool-usage].max: a string '80%' is not a number"),
    ('cache-hit-ratio', dict(severity=5), '[cache-hit-ratio].severity'),
    ('cache-hit-ratio', dict(window_size=None), '[cache-hit-ratio].window_size: required'),
    ('cache-hit-ratio', dict(evaluation_frequency='PT2H', window_size='PT1H'), '[cache-hit-ratio].window_size'),
    ('cache-hit-ratio', dict(category='ops'), '[cache-hit-ratio].category'),
    ('cache-hit-ratio', dict(column=''), '[cache-hit-ratio].column: required'),
    ('cache-hit-ratio', dict(name='bill-inquiry-success-rate'), '.name: bill-inquiry-success-rate is named twice'),
])
def test_bad_metric_names_the_entry_and_option(name, change, expected):
    found = business_metrics_problems(_changed(name, **change))
    assert any(expected in p for p in found), found
    assert all(p.startswith('phonebill_business_metrics') for p in found)


def test_a_queue_depth_above_100_is_fine_where_the_unit_is_not_percent():
    assert business_metrics_problems(_changed('product-change-queue-depth', max=400)) == []


def test_wrong_types_are_one_problem_each():
    assert len(business_metrics_problems({'name': 'x'})) == 1
    assert len(business_metrics_problems(['cache'])) == 1
