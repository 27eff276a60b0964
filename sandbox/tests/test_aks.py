"""AKS as Azure serves it, through the real SDK clients: seeds kept as given, the orchestrators listing,
the service principal placeholder of managed-identity clusters."""

from azure.core.exceptions import ResourceExistsError
from azure.core.rest import HttpRequest
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.containerservice import models as cm


def _cluster_id(sandbox, rg, name="aks"):
    return f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{name}"


def test_seed_keeps_every_field_it_is_given(sandbox, mgmt, rg):
    cluster_id = _cluster_id(sandbox, rg)
    sandbox.seed([{"id": cluster_id, "location": "koreacentral", "identity": {"type": "SystemAssigned"},
                   "properties": {"kubernetesVersion": "1.32.6", "currentKubernetesVersion": "1.31.10", "dnsPrefix": "pb",
                                  "agentPoolProfiles": [{
                                      "name": "system", "mode": "System", "count": 1, "vmSize": "Standard_D2s_v3",
                                      "orchestratorVersion": "1.32.6", "currentOrchestratorVersion": "1.31.10",
                                      "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202401.09.0",
                                      "powerState": {"code": "Stopped"}}]}}])
    sandbox.seed([{"id": cluster_id + "/agentPools/batch", "properties": {
        "mode": "System", "count": 1, "vmSize": "Standard_D2s_v3", "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202312.04.0"}}])
    aks = mgmt(ContainerServiceClient)
    cluster = aks.managed_clusters.get(rg, "aks")
    assert cluster.current_kubernetes_version == "1.31.10"
    pools = {p.name: p for p in cluster.agent_pool_profiles}
    system, batch = pools["system"], aks.agent_pools.get(rg, "aks", "batch")
    assert (system.mode, system.node_image_version, system.current_orchestrator_version, system.power_state.code) == (
        "System", "AKSUbuntu-2204gen2containerd-202401.09.0", "1.31.10", "Stopped")
    assert (batch.mode, batch.node_image_version) == ("System", "AKSUbuntu-2204gen2containerd-202312.04.0")
    # a client's write that does not state the node image keeps the pool's (stating it is a rollback in Azure)
    written = aks.agent_pools.begin_create_or_update(rg, "aks", "batch", cm.AgentPool(
        mode="System", count=2, vm_size="Standard_D2s_v3")).result()
    assert written.node_image_version == "AKSUbuntu-2204gen2containerd-202312.04.0" and written.count == 2


def test_orchestrators_listing_of_managed_clusters(sandbox, mgmt):
    sandbox.config(kubernetes_versions=["1.32.6", "1.33.2"], default_kubernetes_version="1.33.2")
    aks = mgmt(ContainerServiceClient)
    url = (f"/subscriptions/{sandbox.subscription_id}/providers/Microsoft.ContainerService/locations/koreacentral/"
           "orchestrators?api-version=2019-08-01&resource-type=managedClusters")
    response = aks.send_request(HttpRequest("GET", url))
    assert response.status_code == 200
    body = response.json()
    assert body["id"].endswith("/providers/Microsoft.ContainerService/locations/koreacentral/orchestrators")
    assert (body["name"], body["type"]) == ("default", "Microsoft.ContainerService/locations/orchestrators")
    assert body["properties"]["orchestrators"] == [
        {"orchestratorType": "Kubernetes", "orchestratorVersion": "1.32.6",
         "upgrades": [{"orchestratorType": "", "orchestratorVersion": "1.33.2", "isPreview": False}]},
        {"orchestratorType": "Kubernetes", "orchestratorVersion": "1.33.2", "default": True}]


def test_managed_identity_cluster_shows_the_msi_placeholder(sandbox, mgmt, rg):
    aks = mgmt(ContainerServiceClient)
    created = aks.managed_clusters.begin_create_or_update(rg, "aks", cm.ManagedCluster(
        location="koreacentral", dns_prefix="pb", identity=cm.ManagedClusterIdentity(type="SystemAssigned"),
        agent_pool_profiles=[cm.ManagedClusterAgentPoolProfile(name="system", count=1, vm_size="Standard_D2s_v3",
                                                               mode="System")])).result()
    assert created.service_principal_profile.client_id == "msi"
    assert aks.managed_clusters.get(rg, "aks").service_principal_profile.client_id == "msi"
    # a cluster that runs as a service principal shows that principal, and has no identity
    sandbox.seed([{"id": _cluster_id(sandbox, rg, "aks-sp"), "location": "koreacentral",
                   "properties": {"dnsPrefix": "sp", "servicePrincipalProfile": {"clientId": "a0000000-0000-0000-0000-000000000003"}}}])
    principal = aks.managed_clusters.get(rg, "aks-sp")
    assert principal.identity is None and principal.service_principal_profile.client_id == "a0000000-0000-0000-0000-000000000003"


def _two_pool_cluster(sandbox, mgmt, rg):
    sandbox.config(kubernetes_versions=["1.32.6", "1.33.2"], default_kubernetes_version="1.32.6", lro_scale=0.001)
    aks = mgmt(ContainerServiceClient)
    aks.managed_clusters.begin_create_or_update(rg, "aks", cm.ManagedCluster(
        location="koreacentral", dns_prefix="pb", kubernetes_version="1.32.6",
        identity=cm.ManagedClusterIdentity(type="SystemAssigned"),
        agent_pool_profiles=[cm.ManagedClusterAgentPoolProfile(name="system", count=3, vm_size="Standard_D2s_v3",
                                                               mode="System", orchestrator_version="1.32.6")])).result()
    aks.agent_pools.begin_create_or_update(rg, "aks", "app", cm.AgentPool(
        mode="User", count=4, vm_size="Standard_D4s_v3", orchestrator_version="1.32.6",
        upgrade_settings=cm.AgentPoolUpgradeSettings(max_surge="50%"))).result()
    return aks


def _last_operation(sandbox):
    op = sandbox.operations()[-1]
    return op["end"] - op["start"]


def test_version_upgrades_read_upgrading_and_take_as_long_as_azure(sandbox, mgmt, rg):
    """Control plane ~10 min, a pool 5 min per surge batch (4 nodes, maxSurge 50%: 2 batches), scaled."""
    aks = _two_pool_cluster(sandbox, mgmt, rg)
    cluster = aks.managed_clusters.get(rg, "aks")
    cluster.kubernetes_version = "1.33.2"
    poller = aks.managed_clusters.begin_create_or_update(rg, "aks", cluster)
    assert aks.managed_clusters.get(rg, "aks").provisioning_state == "Upgrading"
    assert abs(_last_operation(sandbox) - 0.6) < 0.01
    assert poller.result().current_kubernetes_version == "1.33.2"
    assert aks.agent_pools.get(rg, "aks", "app").current_orchestrator_version == "1.32.6"  # control plane only

    pool = aks.agent_pools.get(rg, "aks", "app")
    pool.orchestrator_version = "1.33.2"
    poller = aks.agent_pools.begin_create_or_update(rg, "aks", "app", pool)
    assert aks.agent_pools.get(rg, "aks", "app").provisioning_state == "Upgrading"
    assert abs(_last_operation(sandbox) - 0.6) < 0.01
    done = poller.result()
    assert (done.provisioning_state, done.current_orchestrator_version) == ("Succeeded", "1.33.2")


def test_node_image_upgrade_takes_a_batch_per_surge(sandbox, mgmt, rg):
    aks = _two_pool_cluster(sandbox, mgmt, rg)
    aks.agent_pools.begin_upgrade_node_image_version(rg, "aks", "system")
    assert aks.agent_pools.get(rg, "aks", "system").provisioning_state == "UpgradingNodeImageVersion"
    assert abs(_last_operation(sandbox) - 3 * 0.3) < 0.01  # 3 nodes, default surge 10%: one node at a time


def test_a_pool_write_while_the_cluster_upgrades_is_refused(sandbox, mgmt, rg):
    aks = _two_pool_cluster(sandbox, mgmt, rg)
    sandbox.hold(_cluster_id(sandbox, rg), "Upgrading", seconds=30)
    pool = aks.agent_pools.get(rg, "aks", "app")
    try:
        aks.agent_pools.begin_create_or_update(rg, "aks", "app", pool)
    except ResourceExistsError as exc:
        assert exc.error.code == "OperationNotAllowed" and "in progress managed cluster operation" in exc.message
    else:
        raise AssertionError("a pool write during a cluster upgrade must be refused")


def test_a_cluster_write_while_a_pool_upgrades_is_refused(sandbox, mgmt, rg):
    aks = _two_pool_cluster(sandbox, mgmt, rg)
    sandbox.hold(_cluster_id(sandbox, rg) + "/agentPools/app", "UpgradingNodeImageVersion", seconds=30)
    cluster = aks.managed_clusters.get(rg, "aks")
    try:
        aks.managed_clusters.begin_create_or_update(rg, "aks", cluster)
    except ResourceExistsError as exc:
        assert exc.error.code == "OperationNotAllowed" and "in progress agent pool operation" in exc.message
    else:
        raise AssertionError("a cluster write during a pool upgrade must be refused")
