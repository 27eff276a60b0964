"""AKS as Azure serves it, through the real SDK clients: seeds kept as given, the orchestrators listing,
the service principal placeholder of managed-identity clusters."""

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
