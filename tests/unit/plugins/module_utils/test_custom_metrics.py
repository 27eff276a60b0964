# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of the autoscalers' pods metrics path (custom_metrics.yml against workloads.yml)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.phonebill.platform.plugins.module_utils.custom_metrics import (
    custom_metrics_problems, hpa_metric_problems, query_endpoint_problems, rule_names)
from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import production_plan

PLAN = production_plan()
METRICS = PLAN['phonebill_custom_metrics']
SERVICES = PLAN['phonebill_workloads']['services']


def problems(metrics=None, services=None):
    return custom_metrics_problems(copy.deepcopy(METRICS if metrics is None else metrics),
                                   copy.deepcopy(SERVICES if services is None else services))


def test_production_plan_is_sound_and_every_spec_metric_has_a_rule():
    assert problems() == []
    asked = sorted(m['name'] for s in SERVICES for m in s.get('hpa', {}).get('metrics', []) if m['type'] == 'pods')
    assert asked == ['active_connections', 'queue_length', 'requests_per_second']
    assert sorted(rule_names(METRICS)) == asked


def test_a_metric_no_rule_produces_names_the_service_and_the_metric():
    services = copy.deepcopy(SERVICES)
    services[2]['hpa']['metrics'][2]['name'] = 'queue_depth'
    found = hpa_metric_problems(METRICS, services)
    assert len(found) == 1
    assert found[0].startswith('phonebill_workloads.services[product-change-service].hpa.metrics[2].name: queue_depth '
                               '(service product-change-service) is produced by no rule of phonebill_custom_metrics.rules '
                               '(requests_per_second, active_connections, queue_length)')


def test_a_removed_rule_fails_the_hpa_that_needs_it():
    metrics = copy.deepcopy(METRICS)
    metrics['rules'] = [r for r in metrics['rules'] if r['name'] != 'active_connections']
    assert [p.split(':')[0] for p in problems(metrics)] == ['phonebill_workloads.services[bill-inquiry-service].hpa.metrics[2].name']


def test_a_service_scaled_on_its_own_series_must_be_scraped():
    services = copy.deepcopy(SERVICES)
    del services[0]['prometheus']
    assert [p.split(':')[0] for p in hpa_metric_problems(METRICS, services)] == ['phonebill_workloads.services[auth-service].prometheus']
    # KOS-Mock scales on CPU only: scraped (SPEC) but nothing requires it
    del services[3]['prometheus']
    assert len(hpa_metric_problems(METRICS, services)) == 1


def test_rules_and_adapter_checked_all_at_once():
    metrics = copy.deepcopy(METRICS)
    metrics['rules'][0]['query'] = 'sum(rate(http_server_requests_seconds_count[2m]))'
    metrics['rules'][1]['name'] = 'requests_per_second'
    metrics['rules'][2]['series'] = 'executor.queued'
    metrics['adapter']['image'] = 'registry.k8s.io/prometheus-adapter/prometheus-adapter'
    metrics['adapter']['replicas'] = 1
    metrics['scrape']['interval'] = '30 seconds'
    metrics['scrape']['default_targets']['kubelett'] = True
    found = problems(metrics, [])
    paths = [p.split(': ')[0] for p in found]
    assert paths == ['phonebill_custom_metrics.scrape.interval', 'phonebill_custom_metrics.scrape.default_targets.kubelett',
                     'phonebill_custom_metrics.adapter.image', 'phonebill_custom_metrics.adapter.replicas',
                     'phonebill_custom_metrics.rules[requests_per_second].query',
                     'phonebill_custom_metrics.rules[requests_per_second].name',
                     'phonebill_custom_metrics.rules[queue_length].series']
    assert 'lacks <<.Series>>, <<.LabelMatchers>>, <<.GroupBy>>' in found[4]


def test_wrong_types_are_one_problem_each():
    assert problems('custom_metrics') == ["phonebill_custom_metrics must be a mapping of the autoscaling metrics settings "
                                          "(custom_metrics.yml), not a string 'custom_metrics'"]
    metrics = dict(METRICS, rules={'requests_per_second': METRICS['rules'][0]}, adapter=None)
    found = problems(metrics, [])
    assert found == ["phonebill_custom_metrics.adapter: required; the adapter settings (image, token_image, ...)",
                     'phonebill_custom_metrics.rules must be a list of rules, each {name, series, query}, not a mapping; '
                     'write it as a YAML list ("- item" lines or [a, b])']


def test_the_adapter_never_goes_into_kube_system():
    assert problems(dict(METRICS, namespace='kube-system')) == [
        'phonebill_custom_metrics.namespace: kube-system belongs to AKS; give the adapter its own namespace']


def test_query_endpoint():
    assert query_endpoint_problems('https://amw-phonebill-prod-a1b2.koreacentral.prometheus.monitor.azure.com') == []
    assert query_endpoint_problems(None)[0].startswith('phonebill_monitor_workspace_query_endpoint: required;')
    assert query_endpoint_problems('http://amw.koreacentral.prometheus.monitor.azure.com', 'query_endpoint') == [
        "query_endpoint: 'http://amw.koreacentral.prometheus.monitor.azure.com' is not an https URL; give the "
        "workspace's https://<name>.<region>.prometheus.monitor.azure.com"]
