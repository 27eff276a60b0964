"""Registry replications, registry name checks and private endpoint connections, through the real SDK clients."""

import pytest
from azure.mgmt.containerregistry import ContainerRegistryManagementClient
from azure.mgmt.containerregistry import models as acr
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries"


@pytest.fixture
def registry(mgmt, rg):
    """A Premium registry in Korea Central with a replication named otherwise than its region."""
    rc = mgmt(ContainerRegistryManagementClient)
    rc.registries.begin_create(rg, "acrphonebill", acr.Registry(location="koreacentral", sku=acr.Sku(name="Premium"))).result()
    rc.replications.begin_create(rg, "acrphonebill", "krsouthreplica", acr.Replication(location="koreasouth")).result()
    return rc


def test_replications_in_a_region_that_has_one_are_accepted(registry, rg):
    """No record shows Azure refusing a replication where the registry has one (home region or not, another name);
    Azure accepts one in the home location (Azure/azure-rest-api-specs #10233, terraform-provider-azurerm #15787)."""
    for name, location in (("krcentral2", "koreacentral"), ("krsouth2", "Korea South")):
        made = registry.replications.begin_create(rg, "acrphonebill", name, acr.Replication(location=location)).result()
        assert made.provisioning_state == "Succeeded" and made.location == location.replace(" ", "").lower()
    updated = registry.replications.begin_create(rg, "acrphonebill", "krsouthreplica", acr.Replication(
        location="koreasouth", region_endpoint_enabled=False)).result()
    assert updated.region_endpoint_enabled is False
    assert sorted((r.name, r.location) for r in registry.replications.list(rg, "acrphonebill")) == [
        ("koreacentral", "koreacentral"), ("krcentral2", "koreacentral"), ("krsouth2", "koreasouth"),
        ("krsouthreplica", "koreasouth")]


def test_home_replication_named_otherwise_is_not_doubled_by_a_registry_update(registry, rg, sandbox):
    home = registry.registries.get(rg, "acrphonebill").id + "/replications"
    sandbox.drift(home + "/koreacentral", delete=True)
    sandbox.seed([{"id": home + "/krcentralhome", "name": "krcentralhome", "location": "koreacentral",
                   "type": REGISTRY_TYPE + "/replications", "properties": {"regionEndpointEnabled": True}}])
    registry.registries.begin_create(rg, "acrphonebill", acr.Registry(
        location="koreacentral", sku=acr.Sku(name="Premium"), tags={"service": "phonebill"})).result()
    assert sorted(r.name for r in registry.replications.list(rg, "acrphonebill")) == ["krcentralhome", "krsouthreplica"]


def test_registry_name_availability(registry, mgmt, sandbox):
    mgmt(ResourceManagementClient).resource_groups.create_or_update("rg-other", {"location": "koreacentral"})
    writes = sandbox.writes_count()

    def check(name):
        return registry.registries.check_name_availability(acr.RegistryNameCheckRequest(name=name, type=REGISTRY_TYPE))

    taken = check("ACRPhonebill")
    assert (taken.name_available, taken.reason, taken.message) == (
        False, "AlreadyExists", "The registry ACRPhonebill is already in use.")
    for bad in ("acr-phonebill", "acr", "a" * 51):
        invalid = check(bad)
        assert (invalid.name_available, invalid.reason) == (False, "Invalid"), bad
    free = check("acrphonebillnew")
    assert free.name_available is True and free.reason is None
    # a name check changes nothing: a check-mode run that makes one still sends no write
    assert sandbox.writes_count() == writes


PE_TYPE = "Microsoft.Network/privateEndpoints"


def test_connection_without_name_keeps_its_id_and_gets_no_name(mgmt, rg, sandbox):
    """Seeded as Microsoft's PrivateEndpointGet example returns it: the connection has an id, no name."""
    group_id = mgmt(ResourceManagementClient).resource_groups.get(rg).id
    target, = sandbox.seed([{"id": group_id + "/providers/Microsoft.KeyVault/vaults/kv-phonebill", "name": "kv-phonebill",
                             "type": "Microsoft.KeyVault/vaults", "location": "koreacentral", "properties": {}}])
    endpoint_id = group_id + "/providers/Microsoft.Network/privateEndpoints/pe-kv"
    connection_id = endpoint_id + "/privateLinkServiceConnections/plsconnection1"
    sandbox.seed([{"id": endpoint_id, "name": "pe-kv", "type": PE_TYPE, "location": "koreacentral", "properties": {
        "privateLinkServiceConnections": [{"id": connection_id, "properties": {
            "privateLinkServiceId": target["id"], "groupIds": ["vault"], "requestMessage": "Please approve my connection."}}],
        "subnet": {"id": group_id + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"}}}])
    nc = mgmt(NetworkManagementClient)
    endpoint = nc.private_endpoints.get(rg, "pe-kv")
    connection, = endpoint.private_link_service_connections
    assert (connection.id, connection.name) == (connection_id, None)
    assert connection.private_link_service_connection_state.status == "Approved"
    endpoint.tags = {"service": "phonebill"}
    updated = nc.private_endpoints.begin_create_or_update(rg, "pe-kv", endpoint).result()
    connection, = updated.private_link_service_connections
    assert (connection.id, connection.name) == (connection_id, None)


def test_named_connection_id_follows_its_name(mgmt, rg, sandbox):
    group_id = mgmt(ResourceManagementClient).resource_groups.get(rg).id
    target, = sandbox.seed([{"id": group_id + "/providers/Microsoft.KeyVault/vaults/kv-phonebill", "name": "kv-phonebill",
                             "type": "Microsoft.KeyVault/vaults", "location": "koreacentral", "properties": {}}])
    endpoint_id = group_id + "/providers/Microsoft.Network/privateEndpoints/pe-kv"
    sandbox.seed([{"id": endpoint_id, "name": "pe-kv", "type": PE_TYPE, "location": "koreacentral", "properties": {
        "privateLinkServiceConnections": [{"name": "kv", "properties": {
            "privateLinkServiceId": target["id"], "groupIds": ["vault"]}}]}}])
    connection, = mgmt(NetworkManagementClient).private_endpoints.get(rg, "pe-kv").private_link_service_connections
    assert (connection.id, connection.name) == (endpoint_id + "/privateLinkServiceConnections/kv", "kv")
