from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.containerservice import models as cm
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm


def _vnet(subnets):
    return nm.VirtualNetwork(location="koreacentral", address_space=nm.AddressSpace(address_prefixes=["10.0.0.0/16"]),
                             subnets=subnets)


def test_subnets_both_ways_and_pruned_by_vnet_put(mgmt, rg, sandbox):
    nc = mgmt(NetworkManagementClient)
    vnet = nc.virtual_networks.begin_create_or_update(rg, "vnet", _vnet([nm.Subnet(name="Application", address_prefix="10.0.1.0/24")])).result()
    sub = nc.subnets.get(rg, "vnet", "Application")
    assert sub.id == vnet.subnets[0].id and sub.provisioning_state == "Succeeded"
    assert sub.id.endswith("/virtualNetworks/vnet/subnets/Application")
    nc.subnets.begin_create_or_update(rg, "vnet", "Database", nm.Subnet(address_prefix="10.0.2.0/24")).result()
    assert sorted(s.name for s in nc.virtual_networks.get(rg, "vnet").subnets) == ["Application", "Database"]
    assert sorted(s.name for s in nc.subnets.list(rg, "vnet")) == ["Application", "Database"]
    # a VNet PUT that omits a subnet deletes it, as Azure does
    nc.virtual_networks.begin_create_or_update(rg, "vnet", _vnet([nm.Subnet(name="Database", address_prefix="10.0.2.0/24")])).result()
    assert [s.name for s in nc.subnets.list(rg, "vnet")] == ["Database"]
    # tags update (PATCH) does not touch subnets
    nc.virtual_networks.update_tags(rg, "vnet", nm.TagsObject(tags={"a": "b"}))
    assert [s.name for s in nc.virtual_networks.get(rg, "vnet").subnets] == ["Database"]
    nc.subnets.begin_delete(rg, "vnet", "Database").result()
    assert nc.virtual_networks.get(rg, "vnet").subnets == []


def test_nsg_rules_and_defaults(mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    rule = nm.SecurityRule(name="allow-https", protocol="Tcp", source_port_range="*", destination_port_range="443",
                           source_address_prefix="Internet", destination_address_prefix="*", access="Allow",
                           priority=100, direction="Inbound")
    nsg = nc.network_security_groups.begin_create_or_update(rg, "nsg-agw", nm.NetworkSecurityGroup(location="Korea Central", security_rules=[rule])).result()
    assert [r.name for r in nsg.default_security_rules] == ["AllowVnetInBound", "AllowAzureLoadBalancerInBound", "DenyAllInBound",
                                                             "AllowVnetOutBound", "AllowInternetOutBound", "DenyAllOutBound"]
    assert nc.security_rules.get(rg, "nsg-agw", "allow-https").destination_port_range == "443"
    nc.security_rules.begin_create_or_update(rg, "nsg-agw", "gm", nm.SecurityRule(
        protocol="*", source_port_range="*", destination_port_range="65200-65535", source_address_prefix="GatewayManager",
        destination_address_prefix="*", access="Allow", priority=110, direction="Inbound")).result()
    assert sorted(r.name for r in nc.network_security_groups.get(rg, "nsg-agw").security_rules) == ["allow-https", "gm"]


def test_agent_pools_both_ways(mgmt, rg):
    aks = mgmt(ContainerServiceClient)
    cluster = cm.ManagedCluster(location="koreacentral", dns_prefix="pb", kubernetes_version="1.32.6",
                                identity=cm.ManagedClusterIdentity(type="SystemAssigned"),
                                agent_pool_profiles=[cm.ManagedClusterAgentPoolProfile(name="system", count=3, vm_size="Standard_D2s_v3", mode="System")],
                                oidc_issuer_profile=cm.ManagedClusterOIDCIssuerProfile(enabled=True),
                                api_server_access_profile=cm.ManagedClusterAPIServerAccessProfile(enable_private_cluster=True))
    created = aks.managed_clusters.begin_create_or_update(rg, "aks", cluster).result()
    assert created.current_kubernetes_version == "1.32.6"
    assert created.private_fqdn.endswith(".privatelink.koreacentral.azmk8s.io")
    assert created.node_resource_group == "MC_rg-test_aks_koreacentral"
    assert created.oidc_issuer_profile.issuer_url.startswith("https://koreacentral.oic.prod-aks.azure.com/")
    assert created.identity_profile["kubeletidentity"].client_id
    pool = aks.agent_pools.get(rg, "aks", "system")
    assert pool.count == 3 and pool.node_image_version and pool.current_orchestrator_version == "1.32.6"
    aks.agent_pools.begin_create_or_update(rg, "aks", "app", cm.AgentPool(
        count=3, vm_size="Standard_D4s_v3", mode="User", node_taints=["application-workload=true:NoSchedule"])).result()
    profiles = {p.name: p for p in aks.managed_clusters.get(rg, "aks").agent_pool_profiles}
    assert set(profiles) == {"system", "app"} and profiles["app"].node_taints == ["application-workload=true:NoSchedule"]
    # cluster upgrade through PUT: current version moves when the LRO completes
    current = aks.managed_clusters.get(rg, "aks")
    current.kubernetes_version = "1.33.2"
    upgraded = aks.managed_clusters.begin_create_or_update(rg, "aks", current).result()
    assert upgraded.current_kubernetes_version == "1.33.2"
    assert upgraded.oidc_issuer_profile.issuer_url == created.oidc_issuer_profile.issuer_url
