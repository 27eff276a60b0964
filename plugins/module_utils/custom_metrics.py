# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the autoscaling metrics path (SPEC §5, §9) that need no cluster.

The HPAs name per-pod metrics (requests_per_second, ...). The API server
accepts an HPA whose metric nobody serves, and the HPA then never scales on
it (condition ScalingActive=False, FailedGetPodsMetric). So every `type:
pods` metric name must be produced by a rule of the metrics adapter, from a
series the managed Prometheus scrapes from that service: checked here,
before any apply, by the workloads preflight and the platform preflight.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.six import string_types

from ansible_collections.phonebill.platform.plugins.module_utils.k8s_workload_plan import DNS_LABEL, image_problem
from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    described, https_url_problems, item_label, items_of, list_problems, mapping_problems)

# Prometheus metric and label names (also the custom metric names the adapter serves).
SERIES_NAME = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*$')
# A Prometheus duration as the scrape configuration and the adapter take it.
DURATION = re.compile(r'^[1-9][0-9]*(ms|s|m|h)$')
# The adapter fills these in per request; a query without them cannot answer per pod.
QUERY_PLACEHOLDERS = ('<<.Series>>', '<<.LabelMatchers>>', '<<.GroupBy>>')
# Azure Monitor's default scrape targets (ama-metrics-settings-configmap, default-scrape-settings-enabled).
DEFAULT_TARGETS = ('kubelet', 'coredns', 'cadvisor', 'kubeproxy', 'apiserver', 'kubestate', 'nodeexporter',
                   'windowsexporter', 'windowskubeproxy', 'kappiebasic', 'prometheuscollectorhealth')


def _add(problems, path, message):
    problems.append('%s: %s' % (path, message))


def rule_names(metrics):
    """The custom metric names the adapter's rules produce."""
    rules = metrics.get('rules') if isinstance(metrics, dict) else None
    return [r['name'] for r in items_of(rules) if isinstance(r, dict) and isinstance(r.get('name'), string_types)]


def _rule_problems(problems, path, rules):
    problems.extend(list_problems(path, rules, 'rules, each {name, series, query}'))
    names = set()
    for position, rule in enumerate(items_of(rules)):
        where = '%s[%s]' % (path, item_label(rule, position))
        if not isinstance(rule, dict):
            _add(problems, where, 'must be a mapping with name, series and query, not %s' % described(rule))
            continue
        name = rule.get('name')
        if not isinstance(name, string_types) or not SERIES_NAME.match(name):
            _add(problems, where + '.name', '%r is not a metric name (letters, digits, _ and :; not starting with a digit)'
                 % (name,))
        elif name in names:
            _add(problems, where + '.name', '%s is produced twice; give each custom metric one rule' % name)
        names.add(name)
        if not isinstance(rule.get('series'), string_types) or not SERIES_NAME.match(rule['series']):
            _add(problems, where + '.series', '%r is not a Prometheus series name (e.g. http_server_requests_seconds_count)'
                 % (rule.get('series'),))
        query = rule.get('query')
        missing = [p for p in QUERY_PLACEHOLDERS if not isinstance(query, string_types) or p not in query]
        if missing:
            _add(problems, where + '.query', 'lacks %s; the adapter fills them in to answer per pod, e.g. '
                 "'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)'" % ', '.join(missing))


def _adapter_problems(problems, path, adapter):
    if not isinstance(adapter, dict):
        problems.extend(mapping_problems(path, adapter, 'the adapter settings') or
                        ['%s: required; the adapter settings (image, token_image, ...)' % path])
        return
    for key in ('image', 'token_image'):
        problem = image_problem(adapter.get(key))
        if problem:
            _add(problems, '%s.%s' % (path, key), problem)
    for key in ('name', 'service_account'):
        if not isinstance(adapter.get(key), string_types) or not DNS_LABEL.match(adapter[key]):
            _add(problems, '%s.%s' % (path, key), '%r is not a DNS label' % (adapter.get(key),))
    replicas = adapter.get('replicas')
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 2:
        _add(problems, path + '.replicas', '%r; the HPAs of every service read through the adapter, so run at least 2'
             % (replicas,))
    if not isinstance(adapter.get('relist_interval'), string_types) or not DURATION.match(adapter['relist_interval']):
        _add(problems, path + '.relist_interval', '%r is not a duration (e.g. 1m)' % (adapter.get('relist_interval'),))


def _scrape_problems(problems, path, scrape):
    if not isinstance(scrape, dict):
        problems.extend(mapping_problems(path, scrape, 'the scrape settings') or
                        ['%s: required; the managed Prometheus scrape settings (interval, job, ...)' % path])
        return
    if not isinstance(scrape.get('interval'), string_types) or not DURATION.match(scrape['interval']):
        _add(problems, path + '.interval', '%r is not a duration (e.g. 30s)' % (scrape.get('interval'),))
    if not isinstance(scrape.get('job'), string_types) or not SERIES_NAME.match(scrape['job'].replace('-', '_')):
        _add(problems, path + '.job', '%r is not a scrape job name' % (scrape.get('job'),))
    targets = scrape.get('default_targets')
    problems.extend(mapping_problems(path + '.default_targets', targets, 'Azure Monitor default targets: true/false'))
    for target, value in (targets.items() if isinstance(targets, dict) else ()):
        if target not in DEFAULT_TARGETS:
            _add(problems, '%s.default_targets.%s' % (path, target), 'is not a default target of Azure Monitor; use one of %s'
                 % ', '.join(DEFAULT_TARGETS))
        elif not isinstance(value, bool):
            _add(problems, '%s.default_targets.%s' % (path, target), '%r is not true or false' % (value,))


def hpa_metric_problems(metrics, services, workloads_path='phonebill_workloads.services', path='phonebill_custom_metrics'):
    """Every `type: pods` metric of an HPA is produced by an adapter rule, from a service that is scraped."""
    problems = []
    produced = rule_names(metrics)
    for position, service in enumerate(items_of(services)):
        if not isinstance(service, dict) or not isinstance(service.get('hpa'), dict):
            continue
        where = '%s[%s]' % (workloads_path, item_label(service, position))
        for index, metric in enumerate(items_of(service['hpa'].get('metrics'))):
            if not isinstance(metric, dict) or metric.get('type') != 'pods' or not metric.get('name'):
                continue
            name = metric['name']
            if name not in produced:
                _add(problems, '%s.hpa.metrics[%d].name' % (where, index),
                     '%s (service %s) is produced by no rule of %s.rules (%s), so its HPA could never read it; add a rule '
                     'mapping an actuator series to %s or name one of those' % (name, service.get('name'), path,
                                                                                ', '.join(produced) or 'none', name))
            if not isinstance(service.get('prometheus'), dict):
                _add(problems, where + '.prometheus', 'required: its HPA scales on %s, but the service is not scraped; '
                     'state {path: /actuator/prometheus, port: 8080}' % name)
    return problems


def custom_metrics_problems(metrics, services, path='phonebill_custom_metrics', workloads_path='phonebill_workloads.services'):
    """Every problem of the metrics path (scrape settings, adapter, rules) and of the HPAs' metric names."""
    if not isinstance(metrics, dict):
        return (mapping_problems(path, metrics, 'the autoscaling metrics settings (custom_metrics.yml)') or
                ['%s: required; the autoscaling metrics settings (custom_metrics.yml)' % path])
    problems = []
    for key in ('namespace', 'owner'):
        if not isinstance(metrics.get(key), string_types) or not DNS_LABEL.match(metrics[key]):
            _add(problems, '%s.%s' % (path, key), '%r is not a DNS label' % (metrics.get(key),))
    if metrics.get('namespace') == 'kube-system':
        _add(problems, path + '.namespace', 'kube-system belongs to AKS; give the adapter its own namespace')
    _scrape_problems(problems, path + '.scrape', metrics.get('scrape'))
    _adapter_problems(problems, path + '.adapter', metrics.get('adapter'))
    _rule_problems(problems, path + '.rules', metrics.get('rules'))
    return problems + hpa_metric_problems(metrics, services, workloads_path, path)


def query_endpoint_problems(endpoint, option='phonebill_monitor_workspace_query_endpoint'):
    """The Azure Monitor workspace's Prometheus query endpoint the adapter reads (known once the workspace exists)."""
    if not isinstance(endpoint, string_types) or not endpoint:
        return ['%s: required; the Prometheus query endpoint of the Azure Monitor workspace (its '
                'properties.metrics.prometheusQueryEndpoint, set by the observability layer)' % option]
    return [p.split(';')[0] + '; give the workspace\'s https://<name>.<region>.prometheus.monitor.azure.com'
            for p in https_url_problems(option, endpoint)]
