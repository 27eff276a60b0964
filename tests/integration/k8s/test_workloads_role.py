# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The workloads role, run with ansible-playbook against the real control plane.

The tests of this file share one namespace and run in order: check mode on
nothing, converge, second run, scheduling, budgets, rolling restart, health.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import copy
import hashlib
import json
import threading
import uuid
from collections import Counter

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils.rotation import SELECTOR
from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import (
    CLIENT_ID, INVENTORY, VAULT_VALUES, PodWatcher, run_role, wait_for)

SERVICES = {'auth-service': 3, 'bill-inquiry-service': 3, 'product-change-service': 2, 'kos-mock-service': 3}
# with the router of the gateway's path in (ingress.yml)
DEPLOYMENTS = dict(SERVICES, **{'api-router': 3})
MIN_AVAILABLE = {'auth-service': 2, 'bill-inquiry-service': 2, 'product-change-service': 1, 'api-router': 2}
ZONES = {'koreacentral-1', 'koreacentral-2', 'koreacentral-3'}


def expected_value(selector):
    """What a key selector reads from the test vault, where each secret has one version and no tags: its value,
    or the tag's default (rotation.SELECTOR: <secret>[#previous][#tag:<tag>[=<default>]])."""
    parsed = SELECTOR.match(selector)
    return parsed.group('default') if parsed.group('tag') else VAULT_VALUES[parsed.group('secret')]


@pytest.fixture(scope='module')
def role_namespace(cluster, kubeconfig):
    name = 'wl-%s' % uuid.uuid4().hex[:8]
    yield name
    cluster.delete_namespace(name)


@pytest.fixture(scope='module')
def state():
    return {}


def test_bad_input_fails_before_any_apply(role_sandbox, kubeconfig, cluster, tmp_path):
    namespace = 'wl-bad-%s' % uuid.uuid4().hex[:6]
    code, dummy, output = run_role(kubeconfig, namespace, tmp_path, role_sandbox, extra=dict(phonebill_workloads=bad_plan(namespace)))
    assert code != 0
    assert "phonebill_workloads.services[kos-mock-service].image: 'phonebill/kos-mock-service:latest' uses :latest" in output
    assert 'phonebill_workloads.services[auth-service].resources.limits.memory' in output
    assert 'Apply the workload manifests' not in output
    assert not cluster.namespace_exists(namespace)


def bad_plan(namespace):
    import yaml  # pylint: disable=import-outside-toplevel
    from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import INVENTORY  # pylint: disable=import-outside-toplevel
    with open('%s/group_vars/all/workloads.yml' % INVENTORY) as handle:
        plan = copy.deepcopy(yaml.safe_load(handle)['phonebill_workloads'])
    plan['namespace'] = namespace
    services = dict((s['name'], s) for s in plan['services'])
    services['kos-mock-service']['image'] = 'phonebill/kos-mock-service:latest'
    services['auth-service']['resources']['limits']['memory'] = '256Mi'
    return plan


def test_check_mode_on_nothing_writes_nothing(role_sandbox, kubeconfig, cluster, role_namespace, tmp_path, state):
    before = cluster.resource_versions(role_namespace)
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, check=True)
    assert code == 0, output
    applied = result['applied']
    assert applied['changed']
    state['predicted'] = set(result['changed_objects'])
    assert 'Namespace//%s' % role_namespace in state['predicted']
    assert 'Deployment/%s/auth-service' % role_namespace in state['predicted']
    assert set('Secret/%s/%s-secrets' % (role_namespace, s) for s in SERVICES) < state['predicted']
    assert all(s['action'] == 'created' and not s['validated'] for s in result['secrets'])
    assert cluster.resource_versions(role_namespace) == before
    assert not cluster.namespace_exists(role_namespace)
    state['manifests'] = result['manifests']


def test_converges_as_predicted(role_sandbox, kubeconfig, cluster, role_namespace, tmp_path, state):
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox)
    assert code == 0, output
    applied = result['applied']
    # ClusterRoles may exist from an earlier run in this cluster: compare the namespaced part exactly
    namespaced = set(o for o in result['changed_objects'] if not o.startswith('ClusterRole/'))
    assert namespaced == set(o for o in state['predicted'] if not o.startswith('ClusterRole/'))
    assert all(o['validated'] for o in applied['objects'])
    kinds = Counter(o['kind'] for o in applied['objects'])
    # the services with their settings ConfigMaps, and the gateway's path in: router ConfigMap, load balancer
    # Service, Deployment, budget and policy
    assert kinds == Counter({'Namespace': 1, 'ServiceAccount': 5, 'ClusterRole': 2, 'RoleBinding': 2, 'Service': 5,
                             'Deployment': 5, 'HorizontalPodAutoscaler': 4, 'PodDisruptionBudget': 4, 'NetworkPolicy': 3,
                             'ConfigMap': 5})
    assert applied['orphans'] == []


def test_second_run_changes_nothing(role_sandbox, kubeconfig, cluster, role_namespace, tmp_path):
    versions = cluster.resource_versions(role_namespace)
    azure_writes = role_sandbox.writes_count()
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox)
    assert code == 0, output
    assert result['changed_objects'] == [], result['changed_objects']
    assert not any(s['changed'] for s in result['secrets'])
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, check=True)
    assert code == 0 and result['changed_objects'] == [], output
    assert cluster.resource_versions(role_namespace) == versions
    assert role_sandbox.writes_count() == azure_writes  # Key Vault is only read


def test_objects_are_what_the_spec_says(cluster, role_namespace):
    apps = cluster.apps
    deployment = apps.read_namespaced_deployment('product-change-service', role_namespace)
    container = deployment.spec.template.spec.containers[0]
    assert container.resources.requests == {'cpu': '300m', 'memory': '768Mi'}
    assert container.resources.limits == {'cpu': '1500m', 'memory': '1536Mi'}
    assert container.liveness_probe.http_get.path == '/actuator/health/liveness'
    assert deployment.spec.strategy.rolling_update.max_surge == 1 and deployment.spec.strategy.rolling_update.max_unavailable == 0
    kos = apps.read_namespaced_deployment('kos-mock-service', role_namespace).spec.template
    revision = kos.metadata.annotations.pop('platform.phonebill.io/secrets-revision')
    settings = cluster.core.read_namespaced_config_map('kos-mock-service-settings', role_namespace).data['application.yaml']
    assert kos.metadata.annotations.pop('platform.phonebill.io/settings-revision') == hashlib.sha256(settings.encode()).hexdigest()
    assert kos.metadata.annotations == {'prometheus.io/scrape': 'true', 'prometheus.io/path': '/actuator/prometheus', 'prometheus.io/port': '8080'}
    secret = cluster.core.read_namespaced_secret('kos-mock-service-secrets', role_namespace)
    versions = json.loads(secret.metadata.annotations['platform.phonebill.io/key-vault-versions'])
    assert list(versions) == ['KOS_MOCK_CONFIG'] and '/secrets/kos-mock-config/' in versions['KOS_MOCK_CONFIG']
    assert revision == hashlib.sha256(secret.metadata.annotations['platform.phonebill.io/key-vault-versions'].encode()).hexdigest()[:16]
    assert kos.spec.containers[0].liveness_probe.http_get.path == '/actuator/health'
    assert kos.spec.containers[0].liveness_probe.initial_delay_seconds == 30
    assert kos.spec.affinity.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution[0].weight == 100
    account = cluster.core.read_namespaced_service_account('auth-service-sa', role_namespace)
    assert account.metadata.annotations['azure.workload.identity/client-id'] == CLIENT_ID
    auth = apps.read_namespaced_deployment('auth-service', role_namespace).spec.template
    assert auth.metadata.labels['azure.workload.identity/use'] == 'true'
    assert 'azure.workload.identity/use' not in kos.metadata.labels
    from kubernetes import client  # pylint: disable=import-outside-toplevel
    hpa = client.AutoscalingV2Api(cluster.api).read_namespaced_horizontal_pod_autoscaler('auth-service', role_namespace)
    assert (hpa.spec.min_replicas, hpa.spec.max_replicas) == (3, 10)
    metrics = [(m.type, m.resource.name if m.resource else m.pods.metric.name) for m in hpa.spec.metrics]
    assert metrics == [('Resource', 'cpu'), ('Resource', 'memory'), ('Pods', 'requests_per_second')]
    policy = client.NetworkingV1Api(cluster.api).read_namespaced_network_policy('production-network-policy', role_namespace)
    blocks = dict((r.ports[0].port, r.to) for r in policy.spec.egress)
    assert [p.port for p in policy.spec.egress[0].ports] == [53, 53]
    assert any(peer.ip_block and peer.ip_block.cidr == '10.0.2.0/24' for peer in blocks[5432])
    assert any(peer.ip_block and peer.ip_block.cidr == '10.0.3.0/24' for peer in blocks[6379])
    assert [p.port for p in policy.spec.egress[2].ports] == [6379, 6380]
    service = cluster.core.read_namespaced_service('bill-inquiry-service', role_namespace)
    assert service.spec.type == 'ClusterIP' and service.spec.ports[0].port == 8080


def test_pods_spread_over_app_nodes_and_zones(cluster, role_namespace):
    nodes = dict((n.metadata.name, n.metadata.labels) for n in cluster.core.list_node().items)

    def all_running():
        pods = cluster.core.list_namespaced_pod(role_namespace).items
        ready = [p for p in pods if p.spec.node_name and p.status.phase == 'Running']
        return pods if len(ready) == sum(DEPLOYMENTS.values()) == len(pods) else None
    pods = wait_for('every pod running', all_running)
    by_service = {}
    for pod in pods:
        labels = nodes[pod.spec.node_name]
        assert labels['agentpool'] == 'app', '%s on %s' % (pod.metadata.name, pod.spec.node_name)
        by_service.setdefault(pod.metadata.labels['app'], []).append(labels)
    for service, placed in by_service.items():
        zones = Counter(labels['topology.kubernetes.io/zone'] for labels in placed)
        assert max(zones.values()) - min(zones.values() if len(zones) == 3 else [0]) <= 1, (service, zones)
        if len(placed) >= 3:
            assert set(zones) == ZONES, (service, zones)
        hosts = Counter(labels['kubernetes.io/hostname'] for labels in placed)
        assert max(hosts.values()) == 1, (service, hosts)


def test_budgets_computed_by_the_controller(cluster, role_namespace):
    def settled():
        budgets = dict((b.metadata.name, b) for b in cluster.policy.list_namespaced_pod_disruption_budget(role_namespace).items)
        ok = all(b.status and b.status.observed_generation == b.metadata.generation and b.status.current_healthy == DEPLOYMENTS[name]
                 for name, b in budgets.items())
        return budgets if ok and len(budgets) == 4 else None
    budgets = wait_for('disruption budgets computed', settled)
    for name, budget in budgets.items():
        assert budget.status.desired_healthy == MIN_AVAILABLE[name]
        assert budget.status.disruptions_allowed == DEPLOYMENTS[name] - MIN_AVAILABLE[name]


def test_every_secret_exists_with_every_key_and_health_reports_nothing_missing(k8s, cluster, role_namespace):
    for service in inventory_services():
        for secret in service['secrets']:
            found = cluster.core.read_namespaced_secret(secret['name'], role_namespace)
            assert sorted(found.data) == sorted(secret['keys']), secret['name']
            for key, selector in secret['keys'].items():
                assert base64.b64decode(found.data[key]).decode() == expected_value(selector), (secret['name'], key)
    result = k8s('k8s_workload_health', namespace=role_namespace, check_hpa_metrics=False)
    assert result['healthy'], result['problems']
    auth = dict((d['name'], d) for d in result['deployments'])['auth-service']
    assert auth['replicas'] == dict(desired=3, current=3, ready=3, updated=3, available=3)
    assert auth['pdb']['disruptions_allowed'] == 1 and auth['hpa']['min_replicas'] == 3
    # a Secret gone is what the health check names
    cluster.core.delete_namespaced_secret('kos-mock-service-secrets', role_namespace)
    result = k8s('k8s_workload_health', namespace=role_namespace, check_hpa_metrics=False)
    assert result['problems'] == ['kos-mock-service: Secret kos-mock-service-secrets the pods need does not exist']
    # without a metrics server the autoscalers cannot scale; by default that is a problem
    wait_for('the autoscaler to report it cannot read metrics', lambda: any(
        'autoscaler auth-service cannot scale (FailedGet' in p for p in k8s('k8s_workload_health', namespace=role_namespace)['problems']))


def test_role_writes_a_deleted_secret_again_without_rolling(role_sandbox, kubeconfig, cluster, role_namespace, tmp_path):
    """The Secret deleted above holds the same Key Vault versions once written again: no deployment rolls."""
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox)
    assert code == 0, output
    assert result['changed_objects'] == ['Secret/%s/kos-mock-service-secrets' % role_namespace]


def inventory_services():
    import yaml  # pylint: disable=import-outside-toplevel
    with open('%s/group_vars/all/workloads.yml' % INVENTORY) as handle:
        return yaml.safe_load(handle)['phonebill_workloads']['services']


@pytest.mark.parametrize('service', ['auth-service', 'product-change-service'])
def test_rolling_restart_never_breaks_the_budget(k8s, cluster, role_namespace, service):
    before = k8s('k8s_rollout', namespace=role_namespace, name=service, check_mode=True)
    assert before['changed'] and len(before['old_pods']) == SERVICES[service]
    assert k8s('k8s_rollout', namespace=role_namespace, name=service, state='status')['pods'] == before['old_pods']
    watcher = PodWatcher(cluster, role_namespace, service)
    budgets = []
    stop = threading.Event()

    def watch_budget():
        while not stop.is_set():
            status = cluster.policy.read_namespaced_pod_disruption_budget(service, role_namespace).status
            budgets.append(status.current_healthy)
            stop.wait(0.05)
    budget_thread = threading.Thread(target=watch_budget, daemon=True)
    budget_thread.start()
    try:
        result = k8s('k8s_rollout', namespace=role_namespace, name=service, timeout=120)
    finally:
        stop.set()
        budget_thread.join()
        wait_for('watch to see the end', lambda: watcher.ready() == SERVICES[service] and len(watcher.pods) == SERVICES[service], 30)
        watcher.stop()
    assert result['changed'] and result['complete'], result
    assert sorted(result['old_pods']) == sorted(before['old_pods'])
    assert len(result['new_pods']) == SERVICES[service] and not set(result['new_pods']) & set(result['old_pods'])
    assert watcher.events >= 2 * SERVICES[service], watcher.events
    # maxUnavailable 0: the ready count never drops below the replica count, so never below minAvailable
    assert min(watcher.ready_counts) >= SERVICES[service], watcher.ready_counts
    assert min(watcher.ready_counts) >= MIN_AVAILABLE[service]
    assert min(b for b in budgets if b is not None) >= MIN_AVAILABLE[service], budgets
    health = k8s('k8s_workload_health', namespace=role_namespace, names=[service], check_hpa_metrics=False)
    assert health['healthy'], health['problems']


def test_apply_after_restart_and_scale_changes_nothing(k8s, cluster, role_namespace, state):
    """The restart annotation (another field manager) and the autoscaler's replica count are left alone."""
    cluster.apps.patch_namespaced_deployment_scale('bill-inquiry-service', role_namespace, {'spec': {'replicas': 5}},
                                                   field_manager='kube-controller-manager')
    for check_mode in (True, False):
        result = k8s('k8s_apply', definitions=copy.deepcopy(state['manifests']), owner='workloads', check_mode=check_mode)
        assert not result['changed'], result['changed_objects']
    assert cluster.apps.read_namespaced_deployment('bill-inquiry-service', role_namespace).spec.replicas == 5
    template = cluster.apps.read_namespaced_deployment('auth-service', role_namespace).spec.template
    assert 'kubectl.kubernetes.io/restartedAt' in template.metadata.annotations


def test_changed_value_predicted_and_diffed(k8s, cluster, role_namespace, state):
    manifests = copy.deepcopy(state['manifests'])
    deployment = next(m for m in manifests if m['kind'] == 'Deployment' and m['metadata']['name'] == 'kos-mock-service')
    deployment['spec']['template']['spec']['containers'][0]['resources']['limits']['cpu'] = '1500m'
    versions = cluster.resource_versions(role_namespace)
    predicted = k8s('k8s_apply', definitions=copy.deepcopy(manifests), owner='workloads', check_mode=True)
    assert predicted['changed_objects'] == ['Deployment/%s/kos-mock-service' % role_namespace]
    assert cluster.resource_versions(role_namespace) == versions
    done = k8s('k8s_apply', definitions=manifests, owner='workloads')
    assert done['changed_objects'] == predicted['changed_objects']
    changed = next(o for o in done['objects'] if o['action'] == 'updated')
    assert changed['differences'] == [{'path': 'spec.template.spec.containers', 'before': predicted_containers(predicted, 'before'),
                                       'after': predicted_containers(predicted, 'after')}]
    diff = done['diff'][0]
    assert diff['before']['spec']['template']['spec']['containers'][0]['resources']['limits']['cpu'] == '1'
    assert diff['after']['spec']['template']['spec']['containers'][0]['resources']['limits']['cpu'] == '1500m'
    assert 'managedFields' not in diff['after']['metadata'] and 'status' not in diff['after']
    # and back to the inventory value
    assert k8s('k8s_apply', definitions=copy.deepcopy(state['manifests']), owner='workloads')['changed']


def predicted_containers(result, side):
    return result['diff'][0][side]['spec']['template']['spec']['containers']


def test_role_check_mode_reports_drift(role_sandbox, kubeconfig, cluster, role_namespace, tmp_path):
    """Drift made behind the role's back (a removed egress rule) is predicted in check mode and repaired."""
    from kubernetes import client  # pylint: disable=import-outside-toplevel
    networking = client.NetworkingV1Api(cluster.api)
    networking.delete_namespaced_network_policy('production-network-policy', role_namespace)
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, check=True)
    assert code == 0, output
    assert result['applied']['changed_objects'] == ['NetworkPolicy/%s/production-network-policy' % role_namespace]
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox)
    assert code == 0 and result['applied']['changed_objects'] == ['NetworkPolicy/%s/production-network-policy' % role_namespace]
    assert json.dumps(networking.read_namespaced_network_policy('production-network-policy', role_namespace).spec.pod_selector.match_labels) \
        == '{"tier": "application"}'


def test_new_key_vault_version_rolls_only_the_deployment_reading_it(role_sandbox, kubeconfig, cluster, role_namespace, tmp_path):
    from azure.keyvault.secrets import SecretClient  # pylint: disable=import-outside-toplevel
    vault = SecretClient(role_sandbox.vault_uri, role_sandbox.credential(), **role_sandbox.data_plane_kwargs())
    new_value = '{"token": "Kos-Mock-Token-Rotated-1a3c5e7f9b"}'
    vault.set_secret('kos-mock-config', new_value)
    # {deployment: revision of its Secrets}; the router reads none (None), and is not rolled either
    templates = dict((d.metadata.name, d.spec.template.metadata.annotations.get('platform.phonebill.io/secrets-revision'))
                     for d in cluster.apps.list_namespaced_deployment(role_namespace).items)
    versions = cluster.resource_versions(role_namespace)
    expected = ['Secret/%s/kos-mock-service-secrets' % role_namespace, 'Deployment/%s/kos-mock-service' % role_namespace]
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, check=True)
    assert code == 0, output
    assert result['changed_objects'] == expected
    assert cluster.resource_versions(role_namespace) == versions
    old_pods = set(p.metadata.name for p in cluster.core.list_namespaced_pod(role_namespace, label_selector='app=kos-mock-service').items)
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, verbosity=3)
    assert code == 0, output
    assert result['changed_objects'] == expected
    secret = cluster.core.read_namespaced_secret('kos-mock-service-secrets', role_namespace)
    assert base64.b64decode(secret.data['KOS_MOCK_CONFIG']).decode() == new_value
    after = dict((d.metadata.name, d.spec.template.metadata.annotations.get('platform.phonebill.io/secrets-revision'))
                 for d in cluster.apps.list_namespaced_deployment(role_namespace).items)
    assert [name for name in after if after[name] != templates[name]] == ['kos-mock-service']
    wait_for('the kos-mock pods replaced', lambda: not old_pods & set(
        p.metadata.name for p in cluster.core.list_namespaced_pod(role_namespace, label_selector='app=kos-mock-service').items), 120)
    # no value, as given or base64, in -vvv --diff output
    for value in list(VAULT_VALUES.values()) + [new_value]:
        for shown in (value, base64.b64encode(value.encode()).decode()):
            assert shown not in output
    assert "'KOS_MOCK_CONFIG': 'changed: yes'" in output or '"KOS_MOCK_CONFIG": "changed: yes"' in output


def production_settings():
    import yaml  # pylint: disable=import-outside-toplevel
    with open('%s/group_vars/all/app_settings.yml' % INVENTORY) as handle:
        return yaml.safe_load(handle)['phonebill_app_settings']


def settings_revisions(cluster, namespace):
    return dict((d.metadata.name, d.spec.template.metadata.annotations.get('platform.phonebill.io/settings-revision'))
                for d in cluster.apps.list_namespaced_deployment(namespace).items)


def test_each_service_mounts_only_the_settings_it_reads(cluster, role_namespace):
    import yaml  # pylint: disable=import-outside-toplevel
    settings = production_settings()
    read = {'auth-service': ['cache', 'kos_client'], 'bill-inquiry-service': ['cache', 'kos_client'],
            'product-change-service': ['cache', 'kos_client'], 'kos-mock-service': ['kos_mock']}
    for service, sections in read.items():
        config = cluster.core.read_namespaced_config_map('%s-settings' % service, role_namespace)
        assert yaml.safe_load(config.data['application.yaml']) == {'phonebill': dict((s, settings[s]) for s in sections)}
        pod = cluster.apps.read_namespaced_deployment(service, role_namespace).spec.template.spec
        assert pod.volumes[0].config_map.name == '%s-settings' % service
        assert pod.containers[0].volume_mounts[0].mount_path == '/config'
    assert settings_revisions(cluster, role_namespace)['api-router'] is None


def test_a_changed_setting_rolls_only_the_deployments_reading_it(role_sandbox, kubeconfig, cluster, role_namespace, tmp_path):
    settings = production_settings()
    settings['kos_mock']['endpoints'][0]['latency_ms'] = {'min': 250, 'max': 600}
    before, versions = settings_revisions(cluster, role_namespace), cluster.resource_versions(role_namespace)
    expected = ['ConfigMap/%s/kos-mock-service-settings' % role_namespace, 'Deployment/%s/kos-mock-service' % role_namespace]
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, check=True,
                                    extra=dict(phonebill_app_settings=settings))
    assert code == 0, output
    assert result['changed_objects'] == expected and cluster.resource_versions(role_namespace) == versions
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, extra=dict(phonebill_app_settings=settings))
    assert code == 0 and result['changed_objects'] == expected, output
    after = settings_revisions(cluster, role_namespace)
    assert [name for name in after if after[name] != before[name]] == ['kos-mock-service']
    import yaml  # pylint: disable=import-outside-toplevel
    mounted = yaml.safe_load(cluster.core.read_namespaced_config_map('kos-mock-service-settings', role_namespace).data['application.yaml'])
    assert mounted['phonebill']['kos_mock']['endpoints'][0]['latency_ms'] == {'min': 250, 'max': 600}
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, extra=dict(phonebill_app_settings=settings))
    assert code == 0 and result['changed_objects'] == [], output
    settings['cache']['l1']['ttl_seconds'] = 7200
    code, result, output = run_role(kubeconfig, role_namespace, tmp_path, role_sandbox, extra=dict(phonebill_app_settings=settings))
    assert code != 0 and 'app_settings.cache.l1.ttl_seconds: 7200 outlives the L2 entry' in output
    assert settings_revisions(cluster, role_namespace) == after
