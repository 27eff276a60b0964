"""Every resource type the collection provisions can be created, read and deleted."""

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.applicationinsights import ApplicationInsightsManagementClient
from azure.mgmt.cdn import CdnManagementClient
from azure.mgmt.cdn import models as cdn
from azure.mgmt.containerregistry import ContainerRegistryManagementClient
from azure.mgmt.containerregistry import models as acr
from azure.mgmt.loganalytics import LogAnalyticsManagementClient
from azure.mgmt.loganalytics import models as la
from azure.mgmt.monitor import MonitorManagementClient
from azure.mgmt.monitor import models as mon
from azure.mgmt.msi import ManagedServiceIdentityClient
from azure.mgmt.privatedns import PrivateDnsManagementClient
from azure.mgmt.privatedns import models as dns
from azure.mgmt.storage import StorageManagementClient
from azure.mgmt.storage import models as st


def test_observability(mgmt, rg):
    ws = mgmt(LogAnalyticsManagementClient).workspaces.begin_create_or_update(
        rg, "law-phonebill-prod", la.Workspace(location="koreacentral",
                                               properties=la.WorkspaceProperties(retention_in_days=90))).result()
    assert ws.properties.customer_id and ws.properties.retention_in_days == 90
    comp = mgmt(ApplicationInsightsManagementClient).components.create_or_update(
        rg, "appi-phonebill-prod", {"location": "koreacentral", "kind": "web", "application_type": "web",
                                    "workspace_resource_id": ws.id, "sampling_percentage": 10})
    assert comp.instrumentation_key and comp.connection_string.startswith("InstrumentationKey=")
    monitor = mgmt(MonitorManagementClient)
    group = monitor.action_groups.create_or_update(rg, "ag", mon.ActionGroupResource(
        location="global", group_short_name="ops", enabled=True,
        email_receivers=[mon.EmailReceiver(name="ops", email_address="ops@example.com")]))
    assert group.group_short_name == "ops"
    assert [g.name for g in monitor.action_groups.list_by_resource_group(rg)] == ["ag"]


def test_registry_storage_identity(mgmt, rg):
    reg_client = mgmt(ContainerRegistryManagementClient)
    registry = reg_client.registries.begin_create(rg, "acrPhonebill", acr.Registry(location="koreacentral", sku=acr.Sku(name="Premium"))).result()
    assert registry.login_server == "acrphonebill.azurecr.io"
    rep = reg_client.replications.begin_create(rg, "acrPhonebill", "koreasouth", acr.Replication(location="koreasouth")).result()
    assert rep.provisioning_state == "Succeeded"
    storage = mgmt(StorageManagementClient)
    account = storage.storage_accounts.begin_create(rg, "stphonebill", st.StorageAccountCreateParameters(
        sku=st.Sku(name="Standard_ZRS"), kind="StorageV2", location="koreacentral")).result()
    assert account.primary_endpoints.blob == "https://stphonebill.blob.core.windows.net/"
    assert storage.storage_accounts.list_keys(rg, "stphonebill")["keys"][0]["value"]  # .keys is Mapping.keys
    storage.storage_accounts.delete(rg, "stphonebill")
    msi = mgmt(ManagedServiceIdentityClient)
    msi.user_assigned_identities.create_or_update(rg, "svc", {"location": "koreacentral"})
    fic = msi.federated_identity_credentials.create_or_update(rg, "svc", "auth-service", {
        "issuer": "https://koreacentral.oic.prod-aks.azure.com/x/", "subject": "system:serviceaccount:phonebill-prod:auth-service-sa",
        "audiences": ["api://AzureADTokenExchange"]})
    assert fic.subject.endswith("auth-service-sa")


def test_private_dns_and_front_door(mgmt, rg, sandbox):
    dns_client = mgmt(PrivateDnsManagementClient)
    zone = dns_client.private_zones.begin_create_or_update(rg, "privatelink.postgres.database.azure.com",
                                                           dns.PrivateZone(location="global")).result()
    assert zone.provisioning_state == "Succeeded"
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.network import models as nm

    vnet_id = mgmt(NetworkManagementClient).virtual_networks.begin_create_or_update(rg, "vnet", nm.VirtualNetwork(
        location="koreacentral", address_space=nm.AddressSpace(address_prefixes=["10.0.0.0/16"]))).result().id
    link = dns_client.virtual_network_links.begin_create_or_update(rg, zone.name, "link", dns.VirtualNetworkLink(
        location="global", virtual_network=dns.SubResource(id=vnet_id), registration_enabled=False)).result()
    assert link.virtual_network_link_state == "Completed"
    c = mgmt(CdnManagementClient)
    c.profiles.begin_create(rg, "afd", cdn.Profile(location="global", sku=cdn.Sku(name="Premium_AzureFrontDoor"))).result()
    ep = c.afd_endpoints.begin_create(rg, "afd", "phonebill", cdn.AFDEndpoint(location="global")).result()
    assert ep.host_name.endswith(".z01.azurefd.net")
    c.afd_origin_groups.begin_create(rg, "afd", "agw", cdn.AFDOriginGroup(load_balancing_settings=cdn.LoadBalancingSettingsParameters(sample_size=4))).result()
    c.afd_origins.begin_create(rg, "afd", "agw", "agw-origin", cdn.AFDOrigin(host_name="20.0.0.1")).result()
    assert [o.name for o in c.afd_origins.list_by_origin_group(rg, "afd", "agw")] == ["agw-origin"]
    c.profiles.begin_delete(rg, "afd").result()
    with pytest.raises(ResourceNotFoundError):
        c.afd_endpoints.get(rg, "afd", "phonebill")


def test_gateway_waf_and_private_endpoint(mgmt, rg, sandbox):
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.network import models as nm

    nc = mgmt(NetworkManagementClient)
    sandbox.config(durations={"microsoft.network/applicationgateways": 20})
    vnet = nc.virtual_networks.begin_create_or_update(rg, "vnet", nm.VirtualNetwork(
        location="koreacentral", address_space=nm.AddressSpace(address_prefixes=["10.0.0.0/16"]),
        subnets=[nm.Subnet(name="Gateway", address_prefix="10.0.4.0/24"), nm.Subnet(name="Cache", address_prefix="10.0.3.0/24")])).result()
    waf = nc.web_application_firewall_policies.create_or_update(rg, "waf", nm.WebApplicationFirewallPolicy(
        location="koreacentral", policy_settings=nm.PolicySettings(mode="Prevention", state="Enabled"),
        managed_rules=nm.ManagedRulesDefinition(managed_rule_sets=[nm.ManagedRuleSet(rule_set_type="OWASP", rule_set_version="3.2")])))
    assert waf.provisioning_state == "Succeeded"
    gw_subnet = {s.name: s.id for s in vnet.subnets}["Gateway"]
    gw = nc.application_gateways.begin_create_or_update(rg, "agw", nm.ApplicationGateway(
        location="koreacentral", sku=nm.ApplicationGatewaySku(name="WAF_v2", tier="WAF_v2"), zones=["1", "2", "3"],
        autoscale_configuration=nm.ApplicationGatewayAutoscaleConfiguration(min_capacity=2),
        gateway_ip_configurations=[nm.ApplicationGatewayIPConfiguration(name="ipc", subnet=nm.SubResource(id=gw_subnet))],
        firewall_policy=nm.SubResource(id=waf.id))).result()
    assert gw.operational_state == "Running" and gw.firewall_policy.id == waf.id
    pe = nc.private_endpoints.begin_create_or_update(rg, "pe-redis", nm.PrivateEndpoint(
        location="koreacentral", subnet=nm.Subnet(id={s.name: s.id for s in vnet.subnets}["Cache"]),
        private_link_service_connections=[nm.PrivateLinkServiceConnection(name="redis", private_link_service_id=gw.id, group_ids=["redisCache"])])).result()
    group = nc.private_dns_zone_groups.begin_create_or_update(rg, "pe-redis", "default", nm.PrivateDnsZoneGroup(
        private_dns_zone_configs=[nm.PrivateDnsZoneConfig(name="redis", private_dns_zone_id=pe.id)])).result()
    assert group.provisioning_state == "Succeeded"
    assert [g.name for g in nc.private_dns_zone_groups.list("pe-redis", rg)] == ["default"]
