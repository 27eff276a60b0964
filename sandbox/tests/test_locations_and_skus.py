"""The subscription's locations, the Compute SKU listing, and the writes Azure refuses for them."""

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.containerservice import models as cm
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm
from azure.mgmt.resource.resources import ResourceManagementClient


def _get(mgmt, sandbox, path, api_version, **query):
    """A GET through a real SDK client's pipeline (azure-mgmt-resource 26 has no SubscriptionClient)."""
    client = mgmt(ResourceManagementClient)
    response = client.send_request(HttpRequest("GET", f"/subscriptions/{sandbox.subscription_id}{path}",
                                               params={"api-version": api_version, **query}))
    response.raise_for_status()
    return response.json()


def _skus(mgmt, sandbox, location):
    return _get(mgmt, sandbox, "/providers/Microsoft.Compute/skus", "2021-07-01", **{"$filter": f"location eq '{location}'"})


def _refused(call, code):
    with pytest.raises(HttpResponseError) as exc:
        call()
    assert exc.value.status_code == 400 and exc.value.error.code == code, exc.value.message
    return exc.value.error.message


def _cluster(rg, location="koreacentral", size="Standard_D2s_v3", zones=None):
    return cm.ManagedCluster(location=location, dns_prefix="pb", kubernetes_version="1.32.6", agent_pool_profiles=[
        cm.ManagedClusterAgentPoolProfile(name="system", count=1, vm_size=size, mode="System", availability_zones=zones)])


def test_locations_have_the_shape_of_get_locations(mgmt, sandbox):
    listing = _get(mgmt, sandbox, "/locations", "2022-12-01")["value"]
    by_name = {entry["name"]: entry for entry in listing}
    central = by_name["koreacentral"]
    assert central["id"] == f"/subscriptions/{sandbox.subscription_id}/locations/koreacentral"
    assert (central["type"], central["displayName"], central["regionalDisplayName"]) == (
        "Region", "Korea Central", "(Asia Pacific) Korea Central")
    assert central["metadata"]["regionType"] == "Physical"
    assert central["metadata"]["pairedRegion"] == [
        {"name": "koreasouth", "id": f"/subscriptions/{sandbox.subscription_id}/locations/koreasouth"}]
    assert [m["logicalZone"] for m in central["availabilityZoneMappings"]] == ["1", "2", "3"]
    assert "availabilityZoneMappings" not in by_name["koreasouth"]  # Korea South has no availability zones
    assert by_name["asiapacific"]["metadata"] == {"regionType": "Logical", "regionCategory": "Other"}


def test_skus_of_a_region_have_the_shape_of_list_available_resource_skus(mgmt, sandbox):
    listing = _skus(mgmt, sandbox, "koreacentral")["value"]
    vms = {s["name"]: s for s in listing if s["resourceType"] == "virtualMachines"}
    assert {s["resourceType"] for s in listing} == {"virtualMachines", "disks"}
    d4 = vms["Standard_D4s_v3"]
    assert (d4["tier"], d4["size"], d4["family"], d4["locations"]) == ("Standard", "D4s_v3", "standardDSv3Family",
                                                                       ["koreacentral"])
    assert d4["locationInfo"][0]["location"] == "koreacentral" and d4["locationInfo"][0]["zones"] == ["1", "2", "3"]
    assert {"name": "vCPUs", "value": "4"} in d4["capabilities"] and {"name": "MemoryGB", "value": "16"} in d4["capabilities"]
    assert d4["restrictions"] == []
    assert "Standard_HB120rs_v3" not in vms
    south = {s["name"]: s for s in _skus(mgmt, sandbox, "Korea South")["value"] if s["resourceType"] == "virtualMachines"}
    assert "Standard_D4s_v5" not in south and south["Standard_D4s_v3"]["locationInfo"][0]["zones"] == []
    assert _skus(mgmt, sandbox, "atlantis")["value"] == []


def test_restrictions_configured_for_the_subscription_are_listed_as_azure_lists_them(mgmt, sandbox):
    sandbox.config(vm_sku_restrictions=[{"name": "Standard_D4s_v3", "location": "koreacentral", "zones": ["3"]},
                                        {"name": "Standard_E4s_v3", "location": "koreacentral", "reasonCode": "QuotaId"}])
    vms = {s["name"]: s for s in _skus(mgmt, sandbox, "koreacentral")["value"]}
    assert vms["Standard_D4s_v3"]["restrictions"] == [{
        "type": "Zone", "values": ["koreacentral"], "restrictionInfo": {"locations": ["koreacentral"], "zones": ["3"]},
        "reasonCode": "NotAvailableForSubscription"}]
    assert vms["Standard_E4s_v3"]["restrictions"] == [{
        "type": "Location", "values": ["koreacentral"], "restrictionInfo": {"locations": ["koreacentral"]},
        "reasonCode": "QuotaId"}]


def test_a_location_that_is_not_a_region_is_refused(mgmt):
    rm, nc = mgmt(ResourceManagementClient), mgmt(NetworkManagementClient)
    message = _refused(lambda: rm.resource_groups.create_or_update("rg-x", {"location": "Korea Centrall"}),
                       "LocationNotAvailableForResourceGroup")
    assert message.startswith("The provided location 'Korea Centrall' is not available for resource group. "
                              "List of available regions is 'koreacentral,koreasouth,")
    rm.resource_groups.create_or_update("rg-x", {"location": "Korea Central"})
    message = _refused(lambda: nc.virtual_networks.begin_create_or_update("rg-x", "vnet", nm.VirtualNetwork(
        location="asiapacific", address_space=nm.AddressSpace(address_prefixes=["10.0.0.0/16"]))).result(),
        "LocationNotAvailableForResourceType")
    assert message.startswith("The provided location 'asiapacific' is not available for resource type "
                              "'Microsoft.Network/virtualNetworks'.")
    assert list(nc.virtual_networks.list("rg-x")) == []


def test_pool_vm_size_the_subscription_cannot_use_is_refused(mgmt, rg, sandbox):
    aks = mgmt(ContainerServiceClient)
    message = _refused(lambda: aks.managed_clusters.begin_create_or_update(
        rg, "aks", _cluster(rg, size="Standard_HB120rs_v3")).result(), "BadRequest")
    assert message == ("The VM size of AgentPoolProfile:system is not allowed in your subscription in location "
                       "'koreacentral'. For more details, please visit https://aka.ms/aks/quotas-skus-regions")
    _refused(lambda: aks.managed_clusters.begin_create_or_update(
        rg, "south", _cluster(rg, location="koreasouth", zones=["1"])).result(), "AvailabilityZoneNotSupported")
    aks.managed_clusters.begin_create_or_update(rg, "aks", _cluster(rg, zones=["1", "2", "3"])).result()
    sandbox.config(vm_sku_restrictions=[{"name": "Standard_D4s_v3", "location": "koreacentral", "zones": ["3"]}])
    message = _refused(lambda: aks.agent_pools.begin_create_or_update(rg, "aks", "app", cm.AgentPool(
        count=1, vm_size="Standard_D4s_v3", availability_zones=["1", "2", "3"])).result(), "PreconditionFailed")
    vmss = (f"/subscriptions/{sandbox.subscription_id}/resourceGroups/MC_{rg}_aks_koreacentral"
            "/providers/Microsoft.Compute/virtualMachineScaleSets/aks-app-vmss")
    assert message.startswith('Provisioning of resource(s) for Agent Pool app failed. Error: {\n  "code": "InvalidTemplateDeployment",\n'
                              f'  "message": "The template deployment failed with error: \'The resource with id: \'{vmss}\' failed '
                              f'validation with message: \'The requested size for resource \'{vmss}\' is currently not '
                              "available in location 'koreacentral' zones '1,2,3' for subscription"), message
    message = _refused(lambda: aks.managed_clusters.begin_create_or_update(rg, "zoned", _cluster(
        rg, size="Standard_D4s_v3", zones=["1", "2", "3"])).result(), "SkuNotAvailable")
    assert message.startswith(f"Provisioning of resource(s) for container service zoned in resource group {rg} failed. "
                              "Message: The template deployment failed with error: "), message
    aks.agent_pools.begin_create_or_update(rg, "aks", "app", cm.AgentPool(
        count=1, vm_size="Standard_D4s_v3", availability_zones=["1", "2"])).result()


def test_existing_pools_are_not_checked_again(mgmt, rg, sandbox):
    """A size restricted after the pool was made does not block updates of the cluster."""
    aks = mgmt(ContainerServiceClient)
    aks.managed_clusters.begin_create_or_update(rg, "aks", _cluster(rg)).result()
    sandbox.config(vm_sku_restrictions=[{"name": "Standard_D2s_v3", "location": "koreacentral"}])
    cluster = _cluster(rg)
    cluster.tags = {"owner": "platform"}
    assert aks.managed_clusters.begin_create_or_update(rg, "aks", cluster).result().tags == {"owner": "platform"}
