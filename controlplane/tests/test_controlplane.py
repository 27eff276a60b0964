"""Prove the local control plane is a real one: nodes, scheduling, controllers.

Run from the repo root:
    /root/.cache/phonebill/venv/bin/python -m pytest -q controlplane/tests -p controlplane.pytest_plugin
"""

from __future__ import annotations

import ipaddress
import time
import uuid
from collections import Counter

import pytest

from controlplane import controlplane as cp

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, config  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402

APP_TAINT = {"key": "application-workload", "value": "true", "effect": "NoSchedule"}
ZONES = {"koreacentral-1", "koreacentral-2", "koreacentral-3"}


def wait_for(what, fn, timeout=120.0, interval=1.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last={last!r})")


def parse_quantity(q: str) -> float:
    """Enough of k8s quantity parsing for cpu / memory."""
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6, "G": 1e9}
    for suffix in sorted(units, key=len, reverse=True):
        if q.endswith(suffix):
            return float(q[: -len(suffix)]) * units[suffix]
    return float(q)


@pytest.fixture(scope="session")
def api_client(k8s_control_plane):
    return config.new_client_from_config(config_file=k8s_control_plane)


@pytest.fixture(scope="session")
def core(api_client):
    return client.CoreV1Api(api_client)


@pytest.fixture(scope="module")
def namespace(core):
    name = f"cptest-{uuid.uuid4().hex[:8]}"
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    # the controller-manager's serviceaccount controller must create 'default'
    wait_for("default serviceaccount", lambda: _sa_exists(core, name), timeout=60)
    yield name
    core.delete_namespace(name)


def _sa_exists(core, ns):
    try:
        core.read_namespaced_service_account("default", ns)
        return True
    except ApiException as exc:
        if exc.status == 404:
            return False
        raise


# --------------------------------------------------------------------------- nodes

def test_server_version(api_client):
    v = client.VersionApi(api_client).get_code()
    assert v.major == "1" and v.git_version.startswith("v1.")
    assert v.minor.rstrip("+").isdigit(), v


def test_nodes_look_like_aks(core):
    nodes = core.list_node().items
    pools = {"system": [], "app": []}
    for n in nodes:
        pools.setdefault(n.metadata.labels.get("agentpool"), []).append(n)
    # the inventory's pools (aks.yml): exactly their nodes, none left from an older layout
    counts = {p["name"]: p["count"] for p in cp.node_pools()["pools"]}
    assert {pool: len(members) for pool, members in pools.items()} == counts, [n.metadata.name for n in nodes]

    expect = {
        "system": {"mode": "system", "vm": "Standard_D2s_v3", "cpu": 1.9, "mem_gi": 5.9},
        "app": {"mode": "user", "vm": "Standard_D4s_v3", "cpu": 3.86, "mem_gi": 12.6},
    }
    for pool, members in pools.items():
        if pool not in expect:
            continue
        e = expect[pool]
        zones = Counter()
        for n in members:
            lb = n.metadata.labels
            assert lb["kubernetes.azure.com/agentpool"] == pool
            assert lb["kubernetes.azure.com/mode"] == e["mode"]
            assert lb["node.kubernetes.io/instance-type"] == e["vm"]
            assert lb["topology.kubernetes.io/region"] == "koreacentral"
            assert lb["kubernetes.io/hostname"] == n.metadata.name
            assert lb["kubernetes.io/os"] == "linux"
            assert lb["type"] == "kwok"
            assert n.metadata.annotations["kwok.x-k8s.io/node"] == "fake"
            zones[lb["topology.kubernetes.io/zone"]] += 1

            alloc = n.status.allocatable
            assert parse_quantity(alloc["cpu"]) == pytest.approx(e["cpu"])
            assert parse_quantity(alloc["memory"]) / 2**30 == pytest.approx(e["mem_gi"], abs=0.05)
            assert alloc["pods"] == "30"

            taints = [{"key": t.key, "value": t.value, "effect": t.effect} for t in (n.spec.taints or [])]
            if pool == "app":
                assert APP_TAINT in taints
            else:
                assert APP_TAINT not in taints
            assert not any(t["key"].startswith("node.kubernetes.io/") for t in taints), taints

            ready = [c for c in n.status.conditions if c.type == "Ready"]
            assert ready and ready[0].status == "True", n.status.conditions
        # zones spread evenly over the pool's three zones
        assert set(zones) == ZONES
        assert len(set(zones.values())) == 1, zones


# --------------------------------------------------------------------------- workloads

@pytest.fixture(scope="module")
def app_deployment(api_client, namespace):
    apps = client.AppsV1Api(api_client)
    labels = {"app": "cp-smoke"}
    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="cp-smoke", labels=labels),
        spec=client.V1DeploymentSpec(
            replicas=3,
            selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels),
                spec=client.V1PodSpec(
                    node_selector={"agentpool": "app"},
                    tolerations=[client.V1Toleration(key="application-workload", operator="Equal",
                                                     value="true", effect="NoSchedule")],
                    containers=[client.V1Container(
                        name="app", image="registry.example/phonebill/app:1.0",
                        resources=client.V1ResourceRequirements(
                            requests={"cpu": "250m", "memory": "256Mi"}),
                    )],
                ),
            ),
        ),
    )
    apps.create_namespaced_deployment(namespace, dep)
    return "cp-smoke"


def test_deployment_gets_three_ready_pods_on_app_nodes(api_client, core, namespace, app_deployment):
    apps = client.AppsV1Api(api_client)

    def ready():
        d = apps.read_namespaced_deployment(app_deployment, namespace)
        return (d.status.ready_replicas or 0) == 3 and (d.status.available_replicas or 0) == 3

    wait_for("deployment 3/3 ready", ready, timeout=120)

    rs = apps.list_namespaced_replica_set(namespace, label_selector="app=cp-smoke").items
    assert len(rs) == 1 and rs[0].status.ready_replicas == 3  # Deployment -> ReplicaSet controller

    pods = core.list_namespaced_pod(namespace, label_selector="app=cp-smoke").items
    assert len(pods) == 3
    app_nodes = {n.metadata.name for n in core.list_node(label_selector="agentpool=app").items}
    pod_net = ipaddress.ip_network("10.244.0.0/16")
    for p in pods:
        assert p.spec.node_name in app_nodes, (p.metadata.name, p.spec.node_name)
        assert p.status.phase == "Running"
        conds = {c.type: c.status for c in p.status.conditions}
        assert conds.get("Ready") == "True", conds
        assert ipaddress.ip_address(p.status.pod_ip) in pod_net
        # pod IPs must not collide with the Azure VNet
        assert ipaddress.ip_address(p.status.pod_ip) not in ipaddress.ip_network("10.0.0.0/16")


def test_untolerating_pod_avoids_app_pool(core, namespace):
    pod = client.V1Pod(
        metadata=client.V1ObjectMeta(name="no-toleration"),
        spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]),
    )
    core.create_namespaced_pod(namespace, pod)

    def scheduled_ready():
        p = core.read_namespaced_pod("no-toleration", namespace)
        conds = {c.type: c.status for c in (p.status.conditions or [])}
        return p if p.spec.node_name and conds.get("Ready") == "True" else None

    p = wait_for("pod scheduled and ready", scheduled_ready, timeout=60)
    node = core.read_node(p.spec.node_name)
    assert node.metadata.labels["agentpool"] == "system"


def test_pdb_status_computed_by_controller_manager(api_client, namespace, app_deployment, core):
    apps = client.AppsV1Api(api_client)
    wait_for("deployment ready", lambda: (apps.read_namespaced_deployment(
        app_deployment, namespace).status.ready_replicas or 0) == 3, timeout=120)
    policy = client.PolicyV1Api(api_client)
    policy.create_namespaced_pod_disruption_budget(namespace, client.V1PodDisruptionBudget(
        metadata=client.V1ObjectMeta(name="cp-smoke"),
        spec=client.V1PodDisruptionBudgetSpec(
            min_available=2, selector=client.V1LabelSelector(match_labels={"app": "cp-smoke"})),
    ))

    def computed():
        s = policy.read_namespaced_pod_disruption_budget("cp-smoke", namespace).status
        return s if s and s.observed_generation and s.expected_pods == 3 else None

    s = wait_for("PDB status from disruption controller", computed, timeout=60)
    assert s.current_healthy == 3
    assert s.desired_healthy == 2
    assert s.disruptions_allowed == 1


def test_hpa_controller_reconciles(api_client, namespace, app_deployment):
    autoscaling = client.AutoscalingV2Api(api_client)
    autoscaling.create_namespaced_horizontal_pod_autoscaler(namespace, client.V2HorizontalPodAutoscaler(
        metadata=client.V1ObjectMeta(name="cp-smoke"),
        spec=client.V2HorizontalPodAutoscalerSpec(
            scale_target_ref=client.V2CrossVersionObjectReference(
                api_version="apps/v1", kind="Deployment", name=app_deployment),
            min_replicas=3, max_replicas=6,
            metrics=[client.V2MetricSpec(type="Resource", resource=client.V2ResourceMetricSource(
                name="cpu", target=client.V2MetricTarget(type="Utilization", average_utilization=70)))],
        ),
    ))

    def reconciled():
        s = autoscaling.read_namespaced_horizontal_pod_autoscaler("cp-smoke", namespace).status
        conds = {c.type: c for c in (s.conditions or [])} if s else {}
        return conds if "AbleToScale" in conds else None

    conds = wait_for("HPA status conditions", reconciled, timeout=60)
    # There is no metrics-server: the controller runs and reports exactly that.
    assert conds["AbleToScale"].status == "True"
    assert "ScalingActive" in conds


def test_service_cluster_ip_outside_azure_vnet(core, namespace):
    svc = core.create_namespaced_service(namespace, client.V1Service(
        metadata=client.V1ObjectMeta(name="cp-smoke"),
        spec=client.V1ServiceSpec(selector={"app": "cp-smoke"},
                                  ports=[client.V1ServicePort(port=80, target_port=8080)]),
    ))
    ip = ipaddress.ip_address(svc.spec.cluster_ip)
    assert ip in ipaddress.ip_network("10.96.0.0/16")
    assert ip not in ipaddress.ip_network("10.0.0.0/16")
