"""The emulated nodes are the inventory's node pools (phonebill_aks.pools), not a second copy (issue 8).

No binaries needed: these check the node manifests controlplane.py builds.
"""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
import yaml

from controlplane import controlplane as cp


def inventory_pools(inventory=cp.INVENTORY):
    return yaml.safe_load((inventory / "aks.yml").read_text())["phonebill_aks"]["pools"]


def nodes_by_pool(inventory=cp.INVENTORY):
    pools = {}
    for node in cp.node_manifests("v1.34.4", inventory):
        pools.setdefault(node["metadata"]["labels"]["agentpool"], []).append(node)
    return pools


def test_nodes_are_the_inventory_pools():
    nodes = nodes_by_pool()
    pools = inventory_pools()
    assert sorted(nodes) == sorted(p["name"] for p in pools)
    for pool in pools:
        members = nodes[pool["name"]]
        assert len(members) == pool["count"]
        zones = Counter()
        for node in members:
            labels = node["metadata"]["labels"]
            assert labels["kubernetes.azure.com/mode"] == pool["mode"].lower()
            assert labels["node.kubernetes.io/instance-type"] == pool["vm_size"]
            assert {k: labels[k] for k in pool.get("labels", {})} == pool.get("labels", {})
            assert ["%(key)s=%(value)s:%(effect)s" % t for t in node["spec"]["taints"]] == pool.get("taints", [])
            assert node["status"]["allocatable"] == dict(cp.VM_SIZES[pool["vm_size"]]["allocatable"], pods="30")
            zones[labels["topology.kubernetes.io/zone"]] += 1
        assert sorted(zones) == ["koreacentral-%s" % z for z in pool["zones"]]
        assert max(zones.values()) - min(zones.values()) <= 1


def test_node_addresses_are_in_the_aks_subnet_after_the_ones_azure_keeps():
    addresses = [n["status"]["addresses"][0]["address"] for n in cp.node_manifests("v1.34.4")]
    assert addresses == ["10.0.1.%d" % (4 + i) for i in range(len(addresses))]


@pytest.fixture
def inventory(tmp_path):
    copy = tmp_path / "all"
    shutil.copytree(cp.INVENTORY, copy)
    return copy


def edit_pools(inventory, change):
    path = inventory / "aks.yml"
    data = yaml.safe_load(path.read_text())
    change(data["phonebill_aks"]["pools"])
    path.write_text(yaml.safe_dump(data))


def test_a_changed_inventory_changes_the_nodes(inventory):
    def change(pools):
        pools[1].update(count=4, vm_size="Standard_D2s_v3", zones=["1", "2"], labels={"tier": "batch"},
                        taints=["batch=true:NoExecute", "dedicated:PreferNoSchedule"])
        pools.append({"name": "spot", "mode": "User", "vm_size": "Standard_D4s_v3", "min_count": 2})
    edit_pools(inventory, change)
    nodes = nodes_by_pool(inventory)
    app = nodes["app"]
    assert len(app) == 4
    assert {n["metadata"]["labels"]["node.kubernetes.io/instance-type"] for n in app} == {"Standard_D2s_v3"}
    assert Counter(n["metadata"]["labels"]["topology.kubernetes.io/zone"] for n in app) == {
        "koreacentral-1": 2, "koreacentral-2": 2}
    assert app[0]["metadata"]["labels"]["tier"] == "batch" and "workload" not in app[0]["metadata"]["labels"]
    assert app[0]["spec"]["taints"] == [{"key": "batch", "value": "true", "effect": "NoExecute"},
                                        {"key": "dedicated", "value": "", "effect": "PreferNoSchedule"}]
    # no zones: AKS labels the nodes with zone "0"; no count: the autoscaler's minimum
    assert [n["metadata"]["labels"]["topology.kubernetes.io/zone"] for n in nodes["spot"]] == ["0", "0"]


def test_a_vm_size_without_emulation_data_names_the_pool(inventory):
    edit_pools(inventory, lambda pools: pools[1].update(vm_size="Standard_E8s_v5"))
    with pytest.raises(cp.ControlPlaneError, match=r"^phonebill_aks\.pools\[app\]\.vm_size: Standard_E8s_v5 has no "):
        cp.node_manifests("v1.34.4", inventory)
