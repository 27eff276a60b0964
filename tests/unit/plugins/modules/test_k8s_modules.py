# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to the Kubernetes modules fails before the client library is loaded or the cluster is called."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import k8s_client
from ansible_collections.phonebill.platform.plugins.modules import (
    k8s_apply, k8s_rollout, k8s_workload_health, k8s_workload_preflight)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module


@pytest.fixture
def no_client():
    with mock.patch.object(k8s_client, 'KubernetesLibrary', side_effect=AssertionError('client built')) as library:
        yield library


@pytest.mark.parametrize('args, message', [
    (dict(definitions=[{'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {}}]), 'definitions[0].metadata.name: required'),
    (dict(definitions=[{'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'a'}}], prune=True), 'prune: needs owner'),
    (dict(definitions=[], prune_kinds=['ConfigMap']), "prune_kinds: 'ConfigMap' is not <apiVersion>/<kind>"),
    (dict(src='/nonexistent/manifests.yml'), 'src: cannot read /nonexistent/manifests.yml'),
])
def test_apply_bad_input(no_client, args, message):
    result = run_module(k8s_apply.main, args)
    assert result['failed'] and result['msg'].startswith(message), result['msg']
    assert not no_client.called


def test_health_bad_input(no_client):
    result = run_module(k8s_workload_health.main, dict(namespace='ns', restart_threshold=-1))
    assert result['failed'] and result['msg'].startswith('restart_threshold: -1 is negative')
    assert not no_client.called


def test_rollout_state_choices(no_client):
    result = run_module(k8s_rollout.main, dict(namespace='ns', name='d', state='paused'))
    assert result['failed'] and 'state' in result['msg']
    assert not no_client.called


def test_preflight_reports_every_problem():
    plan = dict(namespace='phonebill-prod', services=[dict(
        name='auth-service', image='phonebill/auth-service:latest', replicas=12,
        resources=dict(requests=dict(cpu='200m', memory='512Mi'), limits=dict(cpu='1000m', memory='256Mi')),
        probes=dict(liveness=dict(path='/actuator/health/liveness'), readiness=dict(path='/actuator/health/readiness')),
        hpa=dict(min=3, max=10, metrics=[dict(type='cpu', target=70)]))])
    result = run_module(k8s_workload_preflight.main, dict(workloads=plan))
    assert result['failed'] and len(result['problems']) == 3
    assert [p.split(':')[0] for p in result['problems']] == [
        'phonebill_workloads.services[auth-service].image', 'phonebill_workloads.services[auth-service].resources.limits.memory',
        'phonebill_workloads.services[auth-service].replicas']


def test_preflight_refuses_an_hpa_metric_no_adapter_rule_produces():
    from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import production_plan
    plan = production_plan()
    workloads, metrics = plan['phonebill_workloads'], plan['phonebill_custom_metrics']
    workloads['services'][1]['hpa']['metrics'][2]['name'] = 'open_connections'
    result = run_module(k8s_workload_preflight.main, dict(
        workloads=workloads, vnet=plan['phonebill_vnet'], custom_metrics=metrics, client_id='11111111-2222-3333-4444-555555555555',
        subjects=plan['phonebill_workload_identity_subjects'],
        query_endpoint='http://amw.koreacentral.prometheus.monitor.azure.com'))
    assert result['failed']
    assert [p.split(':')[0] for p in result['problems']] == [
        'workloads.services[bill-inquiry-service].hpa.metrics[2].name', 'query_endpoint']
    assert 'open_connections (service bill-inquiry-service) is produced by no rule of custom_metrics.rules' in result['problems'][0]
