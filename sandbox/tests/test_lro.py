import pytest
import requests
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.containerservice import models as cm
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
from azure.mgmt.postgresqlflexibleservers import models as pm


def _pg_server(**extra):
    return pm.Server(location="koreacentral", sku=pm.Sku(name="Standard_D4s_v3", tier="GeneralPurpose"),
                     properties=pm.ServerProperties(administrator_login="pgadmin", administrator_login_password="S3cret!x",
                                                    version="16", **extra))


def _raw(sandbox, method, path, body=None):
    token = sandbox.credential().get_token("https://management.azure.com/.default").token
    return requests.request(method, f"{sandbox.arm}{path}", json=body, headers={"Authorization": f"Bearer {token}"},
                            verify=sandbox.endpoints["ca_file"])


def test_put_201_with_async_operation_then_succeeded(sandbox, mgmt, rg):
    sandbox.config(durations={"microsoft.network/virtualnetworks": 500})  # 0.5 s at the default scale
    path = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/v1?api-version=2024-05-01"
    resp = _raw(sandbox, "PUT", path, {"location": "koreacentral", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}})
    assert resp.status_code == 201 and resp.json()["properties"]["provisioningState"] == "Creating"
    op_url = resp.headers["Azure-AsyncOperation"]
    assert op_url.startswith(sandbox.arm + f"/subscriptions/{sandbox.subscription_id}/providers/Microsoft.Network/locations/koreacentral/operations/")
    assert int(resp.headers["retry-after-ms"]) > 0
    token = sandbox.credential().get_token("https://management.azure.com/.default").token
    assert requests.get(op_url, headers={"Authorization": f"Bearer {token}"}, verify=sandbox.endpoints["ca_file"]).json()["status"] == "InProgress"
    # the real poller finishes it
    nc = mgmt(NetworkManagementClient)
    poller = nc.virtual_networks.begin_create_or_update(rg, "v2", nm.VirtualNetwork(
        location="koreacentral", address_space=nm.AddressSpace(address_prefixes=["10.0.0.0/16"])))
    assert poller.result().provisioning_state == "Succeeded"


def test_postgres_202_without_body(sandbox, mgmt, rg):
    path = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg1?api-version=2025-08-01"
    resp = _raw(sandbox, "PUT", path, {"location": "koreacentral",
                                       "properties": {"administratorLogin": "pgadmin", "administratorLoginPassword": "Sandbox-Passw0rd"}})
    assert resp.status_code == 202 and not resp.content
    assert resp.headers["Location"] and resp.headers["Azure-AsyncOperation"]
    pg = mgmt(PostgreSQLManagementClient)
    server = pg.servers.begin_create_or_update(rg, "pg2", _pg_server()).result()
    assert server.fully_qualified_domain_name == "pg2.postgres.database.azure.com" and server.state == "Ready"
    assert server.administrator_login_password is None  # write-only, never returned
    updated = pg.servers.begin_update(rg, "pg2", pm.ServerForPatch(tags={"tier": "prod"})).result()
    assert updated.tags == {"tier": "prod"}


def test_delete_202_location_then_404(sandbox, mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    nc.public_ip_addresses.begin_create_or_update(rg, "pip", nm.PublicIPAddress(location="koreacentral")).result()
    sandbox.config(durations={"microsoft.network/publicipaddresses": 1000})
    path = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/publicIPAddresses/pip?api-version=2024-05-01"
    resp = _raw(sandbox, "DELETE", path)
    assert resp.status_code == 202 and resp.headers["Location"] and resp.headers["Azure-AsyncOperation"]
    token = sandbox.credential().get_token("https://management.azure.com/.default").token
    assert requests.get(resp.headers["Location"], headers={"Authorization": f"Bearer {token}"},
                        verify=sandbox.endpoints["ca_file"]).status_code == 202
    assert nc.public_ip_addresses.get(rg, "pip").provisioning_state == "Deleting"
    nc.public_ip_addresses.begin_delete(rg, "pip").result()  # joins the running delete
    with pytest.raises(ResourceNotFoundError):
        nc.public_ip_addresses.get(rg, "pip")


def test_failed_lro_raises_and_marks_failed(sandbox, mgmt, rg):
    sandbox.fault("lro_failure", method="PUT", path_contains="managedClusters", code="QuotaExceeded", message="no cores")
    aks = mgmt(ContainerServiceClient)
    cluster = cm.ManagedCluster(location="koreacentral", dns_prefix="x", agent_pool_profiles=[
        cm.ManagedClusterAgentPoolProfile(name="system", count=1, vm_size="Standard_D2s_v3", mode="System")])
    with pytest.raises(HttpResponseError, match="no cores"):
        aks.managed_clusters.begin_create_or_update(rg, "aks", cluster).result()
    assert aks.managed_clusters.get(rg, "aks").provisioning_state == "Failed"
    # a retry succeeds
    assert aks.managed_clusters.begin_create_or_update(rg, "aks", cluster).result().provisioning_state == "Succeeded"


def test_put_during_running_operation_is_409(sandbox, mgmt, rg):
    from azure.core.exceptions import ResourceExistsError

    sandbox.config(lro_scale=1.0, durations={"microsoft.network/virtualnetworks": 30})
    nc = mgmt(NetworkManagementClient)
    body = nm.VirtualNetwork(location="koreacentral", address_space=nm.AddressSpace(address_prefixes=["10.0.0.0/16"]))
    nc.virtual_networks.begin_create_or_update(rg, "slow", body)
    with pytest.raises(ResourceExistsError):
        nc.virtual_networks.begin_create_or_update(rg, "slow", body)


@pytest.mark.parametrize("state", ["UpgradingNodeImageVersion", "Migrating", "RotatingQuantumKeys"])
def test_hold_keeps_a_resource_in_any_state_then_succeeds(sandbox, mgmt, rg, state):
    import time

    from azure.core.exceptions import ResourceExistsError

    nc = mgmt(NetworkManagementClient)
    body = nm.PublicIPAddress(location="koreacentral")
    pip = nc.public_ip_addresses.begin_create_or_update(rg, "pip", body).result()
    held = sandbox.hold(pip.id, state, seconds=1.0)
    assert held["properties"]["provisioningState"] == state
    assert nc.public_ip_addresses.get(rg, "pip").provisioning_state == state
    with pytest.raises(ResourceExistsError, match="AnotherOperationInProgress"):
        nc.public_ip_addresses.begin_create_or_update(rg, "pip", body)
    time.sleep(1.1)
    assert nc.public_ip_addresses.get(rg, "pip").provisioning_state == "Succeeded"
    assert nc.public_ip_addresses.begin_create_or_update(rg, "pip", body).result().provisioning_state == "Succeeded"


def test_operation_log_gives_each_operation_its_interval_in_start_order(sandbox, mgmt, rg):
    sandbox.config(lro_scale=0.01, durations={"microsoft.network/virtualnetworks": 30, "microsoft.network/publicipaddresses": 10})
    nc = mgmt(NetworkManagementClient)
    vnet = nc.virtual_networks.begin_create_or_update(rg, "v-log", nm.VirtualNetwork(
        location="koreacentral", address_space=nm.AddressSpace(address_prefixes=["10.0.0.0/16"])))
    pip = nc.public_ip_addresses.begin_create_or_update(rg, "pip-log", nm.PublicIPAddress(location="koreacentral"))
    vnet.result(), pip.result()
    log = [op for op in sandbox.operations() if op["resource_id"].lower().endswith(("/v-log", "/pip-log"))]
    assert [(op["kind"], op["status"], op["resource_id"].rsplit("/", 1)[-1]) for op in log] == [
        ("put", "Succeeded", "v-log"), ("put", "Succeeded", "pip-log")]
    vnet_op, pip_op = log
    assert vnet_op["end"] - vnet_op["start"] == pytest.approx(0.3) and pip_op["end"] - pip_op["start"] == pytest.approx(0.1)
    assert pip_op["start"] < vnet_op["end"]  # both were running at once
    assert all(op["completed"] >= op["end"] for op in log)
