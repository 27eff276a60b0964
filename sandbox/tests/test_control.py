import os

from azure.keyvault.secrets import SecretClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.msi import ManagedServiceIdentityClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm
from azure.mgmt.resource.resources import ResourceManagementClient

from azure_sandbox.client import SandboxClient
from azure_sandbox.pytest_plugin import start_server, stop_server


def test_drift_is_visible_and_not_logged(sandbox, mgmt, rg):
    msi = mgmt(ManagedServiceIdentityClient)
    ident = msi.user_assigned_identities.create_or_update(rg, "id1", {"location": "koreacentral", "tags": {"owner": "ops"}})
    sandbox.clear_requests()
    sandbox.drift(ident.id, {"tags": {"owner": "someone-else"}})
    assert sandbox.requests() == []
    assert msi.user_assigned_identities.get(rg, "id1").tags == {"owner": "someone-else"}
    assert sandbox.drift(ident.id, delete=True)
    assert [i.name for i in msi.user_assigned_identities.list_by_resource_group(rg)] == []


def test_seed_snapshot_restore(sandbox, mgmt):
    sub = sandbox.subscription_id
    vnet_id = f"/subscriptions/{sub}/resourceGroups/rg-seed/providers/Microsoft.Network/virtualNetworks/vnet"
    sandbox.seed([{"id": vnet_id, "location": "Korea Central", "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "Application", "properties": {"addressPrefix": "10.0.1.0/24"}}]}}])
    nc = mgmt(NetworkManagementClient)
    assert nc.subnets.get("rg-seed", "vnet", "Application").address_prefix == "10.0.1.0/24"
    assert mgmt(ResourceManagementClient).resource_groups.get("rg-seed").location == "koreacentral"
    snap = sandbox.snapshot()
    nc.subnets.begin_delete("rg-seed", "vnet", "Application").result()
    sandbox.restore(snap)
    assert [s.name for s in nc.virtual_networks.get("rg-seed", "vnet").subnets] == ["Application"]


def test_counters_writes_vs_reads(sandbox, mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    sandbox.clear_requests()
    nc.network_security_groups.begin_create_or_update(rg, "nsg", nm.NetworkSecurityGroup(location="koreacentral")).result()
    nc.network_security_groups.get(rg, "nsg")
    counters = sandbox.counters()
    assert counters["by_type"]["Microsoft.Network/networkSecurityGroups"]["writes"] == 1
    assert counters["by_method_type"]["PUT Microsoft.Network/networkSecurityGroups"] == 1
    assert sandbox.writes_count() == 1
    sandbox.clear_requests()
    nc.network_security_groups.get(rg, "nsg")
    assert sandbox.writes_count() == 0


def test_persistence_across_restart(tmp_path):
    state_dir = str(tmp_path)
    persist = os.path.join(state_dir, "state.json")
    proc, endpoints = start_server(state_dir, "--persist", persist)
    try:
        sb = SandboxClient(endpoints)
        rc = ResourceManagementClient(sb.credential(), sb.subscription_id, **sb.mgmt_kwargs())
        rc.resource_groups.create_or_update("kept", {"location": "koreacentral"})
        kv = KeyVaultManagementClient(sb.credential(), sb.subscription_id, **sb.mgmt_kwargs())
        vault = kv.vaults.begin_create_or_update("kept", "kv-kept", {"location": "koreacentral", "properties": {
            "tenantId": sb.tenant_id, "sku": {"family": "A", "name": "standard"}}}).result()
        SecretClient(vault.properties.vault_uri, sb.credential(), **sb.data_plane_kwargs()).set_secret("s", "survives")
    finally:
        stop_server(proc)
    proc, endpoints = start_server(state_dir, "--persist", persist)
    try:
        sb = SandboxClient(endpoints)
        rc = ResourceManagementClient(sb.credential(), sb.subscription_id, **sb.mgmt_kwargs())
        assert rc.resource_groups.get("kept").location == "koreacentral"
        kv = KeyVaultManagementClient(sb.credential(), sb.subscription_id, **sb.mgmt_kwargs())
        uri = kv.vaults.get("kept", "kv-kept").properties.vault_uri
        assert SecretClient(uri, sb.credential(), **sb.data_plane_kwargs()).get_secret("s").value == "survives"
    finally:
        stop_server(proc)


def test_cli_start_env_stop(tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    run = lambda *a: subprocess.run([sys.executable, "-m", "azure_sandbox", *a, "--state-dir", str(tmp_path)],
                                    env=env, capture_output=True, text=True, timeout=60)
    assert run("start").returncode == 0
    try:
        out = run("env").stdout
        assert "export AZURE_CLOUD_ENVIRONMENT=" in out and "export REQUESTS_CA_BUNDLE=" in out
    finally:
        assert run("stop").returncode == 0
    assert not (tmp_path / "endpoints.json").exists()
