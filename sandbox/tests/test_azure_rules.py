"""Fields Azure fills and writes Azure refuses, through the real SDK clients."""

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError
from azure.mgmt.containerregistry import ContainerRegistryManagementClient
from azure.mgmt.containerregistry import models as acr
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.containerservice import models as cm
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
from azure.mgmt.postgresqlflexibleservers import models as pm
from azure.mgmt.privatedns import PrivateDnsManagementClient
from azure.mgmt.privatedns import models as dns
from azure.mgmt.resource.resources import ResourceManagementClient


def _vnet(nc, rg, subnets, name="vnet", prefixes=("10.0.0.0/16",)):
    return nc.virtual_networks.begin_create_or_update(rg, name, nm.VirtualNetwork(
        location="koreacentral", address_space=nm.AddressSpace(address_prefixes=list(prefixes)), subnets=subnets)).result()


def _refused(call, code, status=400):
    with pytest.raises(HttpResponseError) as exc:
        call()
    assert exc.value.status_code == status and exc.value.error.code == code, exc.value.message
    return exc.value


def test_subnet_fields_azure_fills(mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    vnet = _vnet(nc, rg, [
        nm.Subnet(name="db", address_prefix="10.0.2.0/24",
                  delegations=[nm.Delegation(name="pg", service_name="Microsoft.DBforPostgreSQL/flexibleServers")]),
        nm.Subnet(name="app", address_prefix="10.0.1.0/24",
                  service_endpoints=[nm.ServiceEndpointPropertiesFormat(service="Microsoft.ContainerRegistry"),
                                     nm.ServiceEndpointPropertiesFormat(service="Microsoft.Sql")])])
    subnets = {s.name: s for s in vnet.subnets}
    app, db = subnets["app"], nc.subnets.get(rg, "vnet", "db")
    assert app.private_endpoint_network_policies == "Disabled" and app.private_link_service_network_policies == "Enabled"
    assert app.delegations == []
    assert [(e.service, e.locations, e.provisioning_state) for e in app.service_endpoints] == [
        ("Microsoft.ContainerRegistry", ["*"], "Succeeded"), ("Microsoft.Sql", ["koreacentral"], "Succeeded")]
    delegation, = db.delegations
    assert delegation.actions == ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    assert delegation.type == "Microsoft.Network/virtualNetworks/subnets/delegations"
    assert delegation.id == db.id + "/delegations/pg"


def test_vnet_address_validation_and_nsg_in_use(mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    _refused(lambda: _vnet(nc, rg, [nm.Subnet(name="out", address_prefix="10.1.0.0/24")]), "NetcfgSubnetRangeOutsideVnet")
    _refused(lambda: _vnet(nc, rg, [nm.Subnet(name="a", address_prefix="10.0.0.0/23"),
                                    nm.Subnet(name="b", address_prefix="10.0.1.0/24")]), "NetcfgSubnetRangesOverlap")
    nsg = nc.network_security_groups.begin_create_or_update(rg, "nsg", nm.NetworkSecurityGroup(location="koreacentral")).result()
    _vnet(nc, rg, [nm.Subnet(name="a", address_prefix="10.0.1.0/24", network_security_group=nm.NetworkSecurityGroup(id=nsg.id))])
    _refused(lambda: nc.subnets.begin_create_or_update(rg, "vnet", "b", nm.Subnet(address_prefix="10.0.1.128/25")).result(),
             "NetcfgSubnetRangesOverlap")
    nc.subnets.begin_create_or_update(rg, "vnet", "a", nm.Subnet(address_prefix="10.0.1.0/24",
                                                                 network_security_group=nm.NetworkSecurityGroup(id=nsg.id))).result()
    err = _refused(lambda: nc.network_security_groups.begin_delete(rg, "nsg").result(), "InUseNetworkSecurityGroupCannotBeDeleted")
    assert "/subnets/a" in err.message
    nc.subnets.begin_create_or_update(rg, "vnet", "a", nm.Subnet(address_prefix="10.0.1.0/24")).result()
    nc.network_security_groups.begin_delete(rg, "nsg").result()


@pytest.mark.parametrize("endpoint", ["Microsoft.Cache", "Microsoft.Redis", "Storage"])
def test_subnet_service_endpoint_azure_does_not_have_is_refused(mgmt, rg, endpoint):
    nc = mgmt(NetworkManagementClient)
    subnet = nm.Subnet(name="app", address_prefix="10.0.1.0/24",
                       service_endpoints=[nm.ServiceEndpointPropertiesFormat(service=endpoint)])
    err = _refused(lambda: _vnet(nc, rg, [subnet]), "InvalidServiceNameOnSubnet")
    assert "'app'" in err.message and endpoint in err.message
    _vnet(nc, rg, [])
    _refused(lambda: nc.subnets.begin_create_or_update(rg, "vnet", "app", subnet).result(), "InvalidServiceNameOnSubnet")
    assert [s.name for s in nc.virtual_networks.get(rg, "vnet").subnets] == []


def test_every_service_endpoint_azure_has_is_accepted_in_any_case(mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    names = ["Microsoft.Storage", "Microsoft.Storage.Global", "Microsoft.Sql", "Microsoft.AzureCosmosDB",
             "Microsoft.KeyVault", "Microsoft.ServiceBus", "Microsoft.EventHub", "Microsoft.Web",
             "Microsoft.ContainerRegistry", "Microsoft.CognitiveServices", "microsoft.azureactivedirectory"]
    vnet = _vnet(nc, rg, [nm.Subnet(name="app", address_prefix="10.0.1.0/24", service_endpoints=[
        nm.ServiceEndpointPropertiesFormat(service=name) for name in names])])
    assert [e.service for e in vnet.subnets[0].service_endpoints] == names


@pytest.mark.parametrize("tags,code", [
    ({"cost/center": "billing"}, "InvalidTagNameCharacters"),
    ({"a<b": "x"}, "InvalidTagNameCharacters"),
    ({"50%": "x"}, "InvalidTagNameCharacters"),
    ({"k" * 513: "v"}, "InvalidTagName"),
    ({"owner": "o" * 257}, "InvalidTagValueLength"),
])
def test_tags_azure_refuses_on_put_and_patch_of_any_resource(mgmt, rg, tags, code):
    groups = mgmt(ResourceManagementClient).resource_groups
    err = _refused(lambda: groups.create_or_update("rg-tagged", {"location": "koreacentral", "tags": tags}), code)
    assert next(iter(tags)) in err.message or next(iter(tags.values())) in err.message
    assert not groups.check_existence("rg-tagged")
    _refused(lambda: groups.update(rg, {"tags": tags}), code)
    assert groups.get(rg).tags in (None, {})
    nc = mgmt(NetworkManagementClient)
    _refused(lambda: nc.public_ip_addresses.begin_create_or_update(rg, "pip", nm.PublicIPAddress(
        location="koreacentral", tags=tags)).result(), code)


def test_tags_at_azure_limits_are_accepted(mgmt, rg):
    groups = mgmt(ResourceManagementClient).resource_groups
    tags = {"k" * 512: "v" * 256, "cost-center": "telecom-billing", "a.b_c:d=e+f@g": ""}
    assert groups.create_or_update("rg-tagged", {"location": "koreacentral", "tags": tags}).tags == tags
    assert groups.update("rg-tagged", {"tags": {"environment": "prod"}}).tags == {"environment": "prod"}


def test_security_rule_fields_and_refusals(mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    rule = dict(protocol="Tcp", access="Allow", direction="Inbound", source_port_range="*", destination_address_prefix="*")
    nsg = nc.network_security_groups.begin_create_or_update(rg, "nsg", nm.NetworkSecurityGroup(location="koreacentral", security_rules=[
        nm.SecurityRule(name="web", priority=100, source_address_prefix="Internet", destination_port_ranges=["80", "443"], **rule)])).result()
    web, = nsg.security_rules
    assert web.source_address_prefixes == [] and web.destination_address_prefixes == [] and web.source_port_ranges == []
    assert web.destination_port_range is None and web.destination_port_ranges == ["80", "443"]
    _refused(lambda: nc.security_rules.begin_create_or_update(rg, "nsg", "both", nm.SecurityRule(
        priority=110, source_address_prefix="10.0.0.0/24", source_address_prefixes=["10.0.1.0/24"], destination_port_range="22", **rule)).result(),
        "SecurityRuleParameterContainsUnsupportedValue")
    err = _refused(lambda: nc.security_rules.begin_create_or_update(rg, "nsg", "dup", nm.SecurityRule(
        priority=100, source_address_prefix="10.0.0.0/24", destination_port_range="22", **rule)).result(), "SecurityRuleConflict")
    assert "Rules cannot have the same Priority and Direction" in err.message
    outbound = dict(rule, direction="Outbound")
    nc.security_rules.begin_create_or_update(rg, "nsg", "out", nm.SecurityRule(
        priority=100, source_address_prefix="*", destination_port_range="5432", **outbound)).result()


def test_public_ip_dns_tier_and_immutable_zones_sku(mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    body = dict(location="koreacentral", sku=nm.PublicIPAddressSku(name="Standard"), public_ip_allocation_method="Static",
                zones=["1", "2", "3"], dns_settings=nm.PublicIPAddressDnsSettings(domain_name_label="phonebill"))
    pip = nc.public_ip_addresses.begin_create_or_update(rg, "pip", nm.PublicIPAddress(**body)).result()
    assert pip.dns_settings.fqdn == "phonebill.koreacentral.cloudapp.azure.com" and pip.sku.tier == "Regional"
    err = _refused(lambda: nc.public_ip_addresses.begin_create_or_update(rg, "pip", nm.PublicIPAddress(**dict(body, zones=["1"]))).result(),
                   "ResourceAvailabilityZonesCannotBeModified")
    assert "existing availability zone constraint 1, 2, 3" in err.message
    err = _refused(lambda: nc.public_ip_addresses.begin_create_or_update(rg, "pip", nm.PublicIPAddress(
        **dict(body, sku=nm.PublicIPAddressSku(name="Basic")))).result(), "SkuCannotBeChangedOnUpdate")
    assert err.error.message == ("Sku property is set at creation time and cannot be changed from Standard to Basic on "
                                 f"resource update for resource {pip.id}."), err.message


def test_private_dns_zone_links_need_a_vnet_and_block_zone_delete(mgmt, rg, sandbox):
    nc, dc = mgmt(NetworkManagementClient), mgmt(PrivateDnsManagementClient)
    zone = "privatelink.postgres.database.azure.com"
    dc.private_zones.begin_create_or_update(rg, zone, dns.PrivateZone(location="global")).result()
    missing = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/nope"
    link = lambda vnet_id: dc.virtual_network_links.begin_create_or_update(rg, zone, "link", dns.VirtualNetworkLink(  # noqa: E731
        location="global", virtual_network=dns.SubResource(id=vnet_id), registration_enabled=False)).result()
    _refused(lambda: link(missing), "BadRequest")
    link(_vnet(nc, rg, []).id)
    err = _refused(lambda: dc.private_zones.begin_delete(rg, zone).result(), "CannotDeleteResource", 409)
    assert f"'Microsoft.Network/privateDnsZones/{zone}/virtualNetworkLinks/link'" in err.message
    assert isinstance(err, ResourceExistsError)
    dc.virtual_network_links.begin_delete(rg, zone, "link").result()
    dc.private_zones.begin_delete(rg, zone).result()


def test_private_endpoint_fields_and_missing_target(mgmt, rg, sandbox):
    nc, dc = mgmt(NetworkManagementClient), mgmt(PrivateDnsManagementClient)
    subnet = _vnet(nc, rg, [nm.Subnet(name="pe", address_prefix="10.0.3.0/24")]).subnets[0]
    vault = mgmt(KeyVaultManagementClient).vaults.begin_create_or_update(rg, "kv-phonebill", {
        "location": "koreacentral", "properties": {"tenantId": sandbox.tenant_id, "sku": {"family": "A", "name": "standard"}}}).result()
    zone = dc.private_zones.begin_create_or_update(rg, "privatelink.vaultcore.azure.net", dns.PrivateZone(location="global")).result()

    def endpoint(target):
        return nc.private_endpoints.begin_create_or_update(rg, "pe-kv", nm.PrivateEndpoint(
            location="koreacentral", subnet=nm.Subnet(id=subnet.id), private_link_service_connections=[
                nm.PrivateLinkServiceConnection(name="kv", private_link_service_id=target, group_ids=["vault"])])).result()

    _refused(lambda: endpoint(vault.id.replace("kv-phonebill", "kv-missing")), "InvalidResourceReference")
    pe = endpoint(vault.id)
    assert pe.network_interfaces[0].id.split("/networkInterfaces/")[1].startswith("pe-kv.nic.")
    state = pe.private_link_service_connections[0].private_link_service_connection_state
    assert (state.status, state.description) == ("Approved", "Auto-Approved")
    assert [(c.fqdn, c.ip_addresses) for c in pe.custom_dns_configs] == [("kv-phonebill.vault.azure.net", ["10.0.3.4"])]
    assert endpoint(vault.id).network_interfaces[0].id == pe.network_interfaces[0].id
    group = nc.private_dns_zone_groups.begin_create_or_update(rg, "pe-kv", "default", nm.PrivateDnsZoneGroup(
        private_dns_zone_configs=[nm.PrivateDnsZoneConfig(name="vault", private_dns_zone_id=zone.id)])).result()
    record, = group.private_dns_zone_configs[0].record_sets
    assert (record.record_set_name, record.fqdn, record.ip_addresses) == (
        "kv-phonebill", "kv-phonebill.privatelink.vaultcore.azure.net", ["10.0.3.4"])


def test_aks_subnet_must_exist_and_pool_upgrades_stop_at_control_plane(mgmt, rg, sandbox):
    nc, aks = mgmt(NetworkManagementClient), mgmt(ContainerServiceClient)
    subnet_id = _vnet(nc, rg, [nm.Subnet(name="aks", address_prefix="10.0.1.0/24")]).subnets[0].id

    def cluster(subnet):
        return aks.managed_clusters.begin_create_or_update(rg, "aks", cm.ManagedCluster(
            location="koreacentral", dns_prefix="pb", kubernetes_version="1.32.6", agent_pool_profiles=[
                cm.ManagedClusterAgentPoolProfile(name="system", count=1, vm_size="Standard_D2s_v3", mode="System",
                                                  vnet_subnet_id=subnet, orchestrator_version="1.31.10")])).result()

    err = _refused(lambda: cluster(subnet_id.replace("/aks", "/gone")), "SubnetNotFound")
    assert err.error.message.startswith("Could not find subnet gone in vnet vnet from resource group")
    cluster(subnet_id)
    _refused(lambda: aks.agent_pools.begin_create_or_update(rg, "aks", "app", cm.AgentPool(
        count=1, vm_size="Standard_D2s_v3", vnet_subnet_id=subnet_id + "x")).result(), "SubnetNotFound")
    pool = aks.agent_pools.get_upgrade_profile(rg, "aks", "system")
    assert [u.kubernetes_version for u in pool.upgrades] == ["1.32.6"]
    cp = aks.managed_clusters.get_upgrade_profile(rg, "aks")
    assert [u.kubernetes_version for u in cp.agent_pool_profiles[0].upgrades] == ["1.32.6"]


def test_premium_registry_home_replication(mgmt, rg):
    rc = mgmt(ContainerRegistryManagementClient)
    rc.registries.begin_create(rg, "acrphonebill", acr.Registry(location="koreacentral", sku=acr.Sku(name="Premium"))).result()
    rc.replications.begin_create(rg, "acrphonebill", "koreasouth", acr.Replication(location="koreasouth")).result()
    assert sorted(r.name for r in rc.replications.list(rg, "acrphonebill")) == ["koreacentral", "koreasouth"]
    assert rc.replications.get(rg, "acrphonebill", "koreacentral").location == "koreacentral"
    rc.replications.begin_delete(rg, "acrphonebill", "koreasouth").result()
    # The home-region replication is deleted as any other (Azure/acr #729: `az acr replication delete` succeeds,
    # only the portal greys it out), and an update of the registry does not bring it back.
    rc.replications.begin_delete(rg, "acrphonebill", "koreacentral").result()
    assert list(rc.replications.list(rg, "acrphonebill")) == []
    rc.registries.begin_create(rg, "acrphonebill", acr.Registry(location="koreacentral", sku=acr.Sku(name="Premium"),
                                                                tags={"service": "phonebill"})).result()
    assert list(rc.replications.list(rg, "acrphonebill")) == []
    # one in the registry's own location is accepted (Azure/azure-rest-api-specs #10233, terraform-provider-azurerm #15787)
    again = rc.replications.begin_create(rg, "acrphonebill", "koreacentral", acr.Replication(location="koreacentral")).result()
    assert again.location == "koreacentral" and again.provisioning_state == "Succeeded"
    rc.registries.begin_create(rg, "acrbasic", acr.Registry(location="koreacentral", sku=acr.Sku(name="Basic"))).result()
    assert list(rc.replications.list(rg, "acrbasic")) == []
    # moved to Premium, the registry lists its home region too
    rc.registries.begin_create(rg, "acrbasic", acr.Registry(location="koreacentral", sku=acr.Sku(name="Premium"))).result()
    assert [r.name for r in rc.replications.list(rg, "acrbasic")] == ["koreacentral"]


def test_postgres_configuration_defaults_and_override(mgmt, rg):
    pg = mgmt(PostgreSQLManagementClient)
    pg.servers.begin_create_or_update(rg, "pg-main", pm.Server(
        location="koreacentral", sku=pm.Sku(name="Standard_D4s_v3", tier="GeneralPurpose"), properties=pm.ServerProperties(
            administrator_login="pgadmin", administrator_login_password="S3cret!x", version="16"))).result()
    tls = pg.configurations.get(rg, "pg-main", "require_secure_transport")
    assert (tls.value, tls.default_value, tls.source) == ("on", "on", "system-default")
    assert pg.configurations.get(rg, "pg-main", "ssl_min_protocol_version").value == "TLSv1.2"
    assert pg.configurations.get(rg, "pg-main", "max_connections").value == "1718"
    assert pg.configurations.get(rg, "pg-main", "azure.extensions").value == ""
    assert pg.configurations.get(rg, "pg-main", "log_min_duration_statement").value == "-1"
    changed = pg.configurations.begin_update(rg, "pg-main", "azure.extensions", pm.ConfigurationForUpdate(
        properties=pm.ConfigurationProperties(value="PG_TRGM,PGCRYPTO", source="user-override"))).result()
    assert (changed.value, changed.default_value, changed.source) == ("PG_TRGM,PGCRYPTO", "", "user-override")
    listed = {c.name: c.value for c in pg.configurations.list_by_server(rg, "pg-main")}
    assert listed["azure.extensions"] == "PG_TRGM,PGCRYPTO" and listed["require_secure_transport"] == "on"
    with pytest.raises(HttpResponseError) as exc:
        pg.configurations.get(rg, "pg-main", "no_such_parameter")
    assert exc.value.status_code == 404
