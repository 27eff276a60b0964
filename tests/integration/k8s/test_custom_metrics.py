# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The autoscalers' pods metrics path on the real control plane.

The manifests are the workloads role's, rendered from the production
inventory: the API server accepts them, kube-system objects someone else made
are refused, a second apply writes nothing. Then a test double serves the real
custom.metrics.k8s.io/v1beta2 API behind the rendered APIService (only the
names the adapter's rules produce), and the real kube-controller-manager HPA
controller scales the role's auth-service HPA up when the served value rises
above its target and down when it falls.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import subprocess
import sys
import uuid

import pytest
import yaml

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import (
    CLIENT_ID, COLLECTION, COLLECTIONS_ROOT, INVENTORY, remove_namespace, wait_for)
from ansible_collections.phonebill.platform.tests.integration.k8s.custom_metrics_double import (
    CustomMetricsDouble, self_signed, served_names)

from kubernetes import client  # noqa: E402  pylint: disable=wrong-import-position
from kubernetes.client.rest import ApiException  # noqa: E402  pylint: disable=wrong-import-position

RENDER = os.path.join(os.path.dirname(__file__), 'custom_metrics_render.yml')
ENDPOINT = 'https://amw-phonebill-prod-it.koreacentral.prometheus.monitor.azure.com'
API_SERVICE = 'v1beta2.custom.metrics.k8s.io'
SCRAPE_CONFIG_MAPS = ('ama-metrics-settings-configmap', 'ama-metrics-prometheus-config')


@pytest.fixture(scope='module')
def rendered(tmp_path_factory, kubeconfig):
    """The role's manifests from the production inventory: {'metrics': [...], 'workloads': [...]} (one ansible run)."""
    directory = tmp_path_factory.mktemp('render')
    result = directory / 'rendered.json'
    extra = dict(phonebill_services_identity_client_id=CLIENT_ID, phonebill_prometheus_reader_client_id=CLIENT_ID,
                 phonebill_monitor_workspace_query_endpoint=ENDPOINT,
                 phonebill_workload_namespace='phonebill-prod', result_file=str(result))
    (directory / 'vars.json').write_text(json.dumps(extra))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'))
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY, RENDER,
                           '-e', '@%s' % (directory / 'vars.json')], env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(result.read_text())


def find(manifests, kind, name):
    return [m for m in manifests if m['kind'] == kind and m['metadata']['name'] == name][0]


def api_services(cluster):
    return client.ApiregistrationV1Api(cluster.api)


def remove(call, *args):
    try:
        call(*args)
    except ApiException as exc:
        if exc.status != 404:
            raise


@pytest.fixture(scope='module')
def clean_cluster(cluster):
    """No scrape ConfigMap, adapter Service (or a double's left by an interrupted run) or custom metrics APIService
    before (another test of this control plane may have made them); after, no APIService (one nobody answers would
    keep namespaces from ever finishing deletion), and no adapter namespace: its pods would sit on the nodes the
    drain tests of this control plane empty."""
    for name in SCRAPE_CONFIG_MAPS:
        remove(cluster.core.delete_namespaced_config_map, name, 'kube-system')
    remove(cluster.core.delete_namespaced_service, 'prometheus-adapter', 'custom-metrics')
    remove(api_services(cluster).delete_api_service, API_SERVICE)
    yield
    remove(api_services(cluster).delete_api_service, API_SERVICE)
    for name in SCRAPE_CONFIG_MAPS:
        remove(cluster.core.delete_namespaced_config_map, name, 'kube-system')
    remove_namespace(cluster.core, 'custom-metrics')


def test_metrics_path_accepted_never_over_objects_made_by_others(rendered, k8s, cluster, clean_cluster):
    manifests = rendered['metrics']
    cluster.core.create_namespaced_config_map('kube-system', dict(
        metadata=dict(name='ama-metrics-settings-configmap'), data={'debug-mode': 'enabled = true'}))

    refused = k8s('k8s_apply', definitions=copy.deepcopy(manifests), owner='custom-metrics', adopt=False)
    assert refused.get('failed')
    assert 'ConfigMap kube-system/ama-metrics-settings-configmap exists and is not labelled ' \
           'platform.phonebill.io/owner=custom-metrics' in refused['msg']
    assert cluster.core.read_namespaced_config_map('ama-metrics-settings-configmap', 'kube-system').data == {
        'debug-mode': 'enabled = true'}
    with pytest.raises(ApiException):   # nothing else was written either
        cluster.core.read_namespaced_config_map('ama-metrics-prometheus-config', 'kube-system')

    cluster.core.delete_namespaced_config_map('ama-metrics-settings-configmap', 'kube-system')
    applied = k8s('k8s_apply', definitions=copy.deepcopy(manifests), owner='custom-metrics', adopt=False)
    assert applied['changed'] and not applied.get('failed'), applied
    assert {(o['kind'], o['name']) for o in applied['objects']} == {(m['kind'], m['metadata']['name']) for m in manifests}
    assert [o['action'] for o in applied['objects'] if o['name'] in SCRAPE_CONFIG_MAPS] == ['created', 'created']
    again = k8s('k8s_apply', definitions=copy.deepcopy(manifests), owner='custom-metrics', adopt=False)
    assert not again['changed'] and again['changed_objects'] == []

    # Microsoft's schema: the settings and a scrape job over the annotated pods of the workloads' namespace
    settings = cluster.core.read_namespaced_config_map('ama-metrics-settings-configmap', 'kube-system').data
    assert settings['schema-version'] == 'v1' and 'kubelet = true' in settings['default-scrape-settings-enabled']
    scrape = yaml.safe_load(cluster.core.read_namespaced_config_map('ama-metrics-prometheus-config', 'kube-system')
                            .data['prometheus-config'])
    job = scrape['scrape_configs'][0]
    assert job['kubernetes_sd_configs'] == [{'role': 'pod', 'namespaces': {'names': ['phonebill-prod']}}]
    assert {r.get('target_label') for r in job['relabel_configs']} >= {'__metrics_path__', '__address__', 'namespace', 'pod'}
    # every service, KOS-Mock included, is annotated for that job at /actuator/prometheus:8080
    for deployment in (m for m in rendered['workloads'] if m['kind'] == 'Deployment' and m['metadata']['name'] != 'api-router'):
        annotations = deployment['spec']['template']['metadata']['annotations']
        assert (annotations['prometheus.io/scrape'], annotations['prometheus.io/path'], annotations['prometheus.io/port']) == (
            'true', '/actuator/prometheus', '8080'), deployment['metadata']['name']
    # the adapter: workload identity, the token plugin for the workspace, the endpoint
    account = cluster.core.read_namespaced_service_account('prometheus-adapter', 'custom-metrics')
    assert account.metadata.annotations['azure.workload.identity/client-id'] == CLIENT_ID
    adapter = cluster.apps.read_namespaced_deployment('prometheus-adapter', 'custom-metrics')
    assert '--prometheus-url=%s' % ENDPOINT in adapter.spec.template.spec.containers[0].args
    auth = yaml.safe_load(cluster.core.read_namespaced_config_map('prometheus-adapter-config', 'custom-metrics')
                          .data['prometheus-auth.yaml'])
    assert auth['users'][0]['user']['exec']['args'][-2:] == ['--server-id', 'https://prometheus.monitor.azure.com']
    assert api_services(cluster).read_api_service(API_SERVICE).spec.service.name == 'prometheus-adapter'


def hpa_of(rendered, service, namespace):
    """The role's HPA of a service with only its pods metric (no metrics-server runs here for cpu/memory) and a
    behavior that reacts within seconds (the production HPA keeps the defaults)."""
    hpa = copy.deepcopy(find(rendered['workloads'], 'HorizontalPodAutoscaler', service))
    hpa['metadata'] = dict(name=service, namespace=namespace)
    hpa['spec']['metrics'] = [m for m in hpa['spec']['metrics'] if m['type'] == 'Pods']
    hpa['spec']['behavior'] = {
        'scaleUp': {'stabilizationWindowSeconds': 0, 'policies': [{'type': 'Pods', 'value': 20, 'periodSeconds': 1}]},
        'scaleDown': {'stabilizationWindowSeconds': 0, 'policies': [{'type': 'Percent', 'value': 100, 'periodSeconds': 1}]}}
    return hpa


def scaled_deployment(name, namespace, replicas):
    labels = {'app': name}
    return dict(apiVersion='apps/v1', kind='Deployment', metadata=dict(name=name, namespace=namespace),
                spec=dict(replicas=replicas, selector=dict(matchLabels=labels), template=dict(
                    metadata=dict(labels=labels),
                    spec=dict(containers=[dict(name=name, image='registry.invalid/%s:1' % name,
                                               resources=dict(requests=dict(cpu='10m', memory='16Mi')))]))))


@pytest.fixture
def double(rendered, cluster, clean_cluster, tmp_path):
    """The double behind the role's APIService: its Service made an ExternalName of 127.0.0.1's name, the APIService's
    port the double's; Available once the aggregator's discovery check passes."""
    config = find(rendered['metrics'], 'ConfigMap', 'prometheus-adapter-config')['data']['config.yaml']
    cert, key = self_signed(tmp_path, 'prometheus-adapter.custom-metrics.svc')
    server = CustomMetricsDouble(cluster.core, served_names(config), cert, key)
    apis = api_services(cluster)
    if not cluster.namespace_exists('custom-metrics'):
        cluster.core.create_namespace(dict(metadata=dict(name='custom-metrics')))
    remove(cluster.core.delete_namespaced_service, 'prometheus-adapter', 'custom-metrics')
    cluster.core.create_namespaced_service('custom-metrics', dict(
        metadata=dict(name='prometheus-adapter'), spec=dict(type='ExternalName', externalName='localhost')))
    registration = copy.deepcopy(find(rendered['metrics'], 'APIService', API_SERVICE))
    registration['spec']['service']['port'] = server.port
    remove(apis.delete_api_service, API_SERVICE)
    apis.create_api_service(registration)

    def available():
        conditions = apis.read_api_service(API_SERVICE).status.conditions or []
        return any(c.type == 'Available' and c.status == 'True' for c in conditions)
    wait_for('APIService %s available' % API_SERVICE, available, timeout=60)
    yield server
    remove(apis.delete_api_service, API_SERVICE)
    remove(cluster.core.delete_namespaced_service, 'prometheus-adapter', 'custom-metrics')
    server.stop()


def test_hpa_scales_on_the_served_pods_metric(rendered, k8s, cluster, double):
    assert sorted(double.names) == ['active_connections', 'queue_length', 'requests_per_second']
    namespace = 'hpa-%s' % uuid.uuid4().hex[:8]
    hpa = hpa_of(rendered, 'auth-service', namespace)
    metric = hpa['spec']['metrics'][0]['pods']
    assert metric['metric']['name'] == 'requests_per_second' and metric['target']['averageValue'] == '50'
    low, high = hpa['spec']['minReplicas'], hpa['spec']['maxReplicas']
    double.values['requests_per_second'] = 10
    created = k8s('k8s_apply', definitions=[dict(apiVersion='v1', kind='Namespace', metadata=dict(name=namespace)),
                                            scaled_deployment('auth-service', namespace, low), hpa])
    assert created['changed'], created
    try:
        def replicas():
            return cluster.apps.read_namespaced_deployment('auth-service', namespace).spec.replicas

        def reaches(count):
            """A wait_for check: True at count replicas, else the HPA's conditions (shown when the wait times out)."""
            if replicas() == count:
                return True
            status = client.AutoscalingV2Api(cluster.api).read_namespaced_horizontal_pod_autoscaler('auth-service', namespace).status
            print(replicas(), status.desired_replicas, [(c.type, c.status, c.reason, c.message) for c in status.conditions or []])
            return False

        # 150 per pod against a target of 50: the controller asks for 3x the pods, up to the maximum
        double.values['requests_per_second'] = 150
        wait_for('auth-service scaled up to %d' % high, lambda: reaches(high), timeout=60)
        status = client.AutoscalingV2Api(cluster.api).read_namespaced_horizontal_pod_autoscaler('auth-service', namespace).status
        assert status.current_metrics[0].pods.current.average_value in ('150', '150000m')
        assert any(p.startswith('/apis/custom.metrics.k8s.io/v1beta2/namespaces/%s/pods/*/requests_per_second' % namespace)
                   for p in double.requests)
        # 12 per pod: below the target, back down to the minimum and no lower
        double.values['requests_per_second'] = 12
        wait_for('auth-service scaled down to %d' % low, lambda: reaches(low), timeout=60)
    finally:
        cluster.delete_namespace(namespace)


def test_hpa_on_a_metric_no_rule_produces_never_scales(rendered, k8s, cluster, double):
    namespace = 'hpa-%s' % uuid.uuid4().hex[:8]
    hpa = hpa_of(rendered, 'auth-service', namespace)
    hpa['spec']['metrics'][0]['pods']['metric']['name'] = 'requests_per_sec'
    double.values['requests_per_sec'] = 500
    k8s('k8s_apply', definitions=[dict(apiVersion='v1', kind='Namespace', metadata=dict(name=namespace)),
                                  scaled_deployment('auth-service', namespace, 3), hpa])
    hpas = client.AutoscalingV2Api(cluster.api)
    try:
        def inactive():
            conditions = hpas.read_namespaced_horizontal_pod_autoscaler('auth-service', namespace).status.conditions or []
            return [c for c in conditions if c.type == 'ScalingActive' and c.status == 'False']
        wait_for('ScalingActive=False', inactive, timeout=45)
        assert inactive()[0].reason == 'FailedGetPodsMetric'
        assert cluster.apps.read_namespaced_deployment('auth-service', namespace).spec.replicas == 3
    finally:
        cluster.delete_namespace(namespace)
