import pytest
import requests
from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.msi import ManagedServiceIdentityClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm
from azure.mgmt.redis import RedisManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"


def test_resource_group_crud_and_404(mgmt):
    rc = mgmt(ResourceManagementClient)
    created = rc.resource_groups.create_or_update("Rg-One", {"location": "Korea Central", "tags": {"a": "1"}})
    assert created.location == "koreacentral" and created.properties.provisioning_state == "Succeeded"
    assert rc.resource_groups.get("rg-one").name == "Rg-One"  # case-insensitive, casing as created
    assert rc.resource_groups.check_existence("rg-one")
    assert [g.name for g in rc.resource_groups.list()] == ["Rg-One"]
    rc.resource_groups.update("rg-one", {"tags": {"b": "2"}})
    assert rc.resource_groups.get("Rg-One").tags == {"b": "2"}
    rc.resource_groups.begin_delete("rg-one").result()
    with pytest.raises(ResourceNotFoundError):
        rc.resource_groups.get("rg-one")


def test_missing_resource_group_and_resource(mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    with pytest.raises(ResourceNotFoundError) as exc:
        nc.virtual_networks.get("nope", "vnet")
    assert exc.value.error.code == "ResourceGroupNotFound"
    with pytest.raises(ResourceNotFoundError) as exc:
        nc.virtual_networks.get(rg, "vnet")
    assert exc.value.error.code == "ResourceNotFound"
    with pytest.raises(ResourceNotFoundError) as exc:
        nc.subnets.begin_create_or_update(rg, "missing-vnet", "s", nm.Subnet(address_prefix="10.0.0.0/24"))
    assert exc.value.error.code == "ParentResourceNotFound"


def test_missing_api_version_is_400(sandbox):
    token = sandbox.credential().get_token("https://management.azure.com/.default").token
    resp = requests.get(f"{sandbox.arm}/subscriptions/{sandbox.subscription_id}/resourcegroups",
                        headers={"Authorization": f"Bearer {token}"}, verify=sandbox.endpoints["ca_file"])
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "MissingApiVersionParameter"


def test_conflicts_map_to_resource_exists(mgmt, rg, sandbox):
    auth = mgmt(AuthorizationManagementClient)
    scope = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}"
    role = f"/subscriptions/{sandbox.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{ACR_PULL}"
    params = {"role_definition_id": role, "principal_id": "11111111-1111-1111-1111-111111111111"}
    first = auth.role_assignments.create(scope, "aaaaaaaa-0000-0000-0000-000000000001", params)
    assert first.scope.lower() == scope.lower()
    with pytest.raises(ResourceExistsError):
        auth.role_assignments.create(scope, "aaaaaaaa-0000-0000-0000-000000000002", params)
    found = list(auth.role_assignments.list_for_scope(scope, filter="principalId eq '11111111-1111-1111-1111-111111111111'"))
    assert [a.name for a in found] == ["aaaaaaaa-0000-0000-0000-000000000001"]
    assert auth.role_definitions.get(scope, ACR_PULL).role_name == "AcrPull"
    by_name = list(auth.role_definitions.list(scope, filter="roleName eq 'Key Vault Secrets User'"))
    assert by_name[0].name == "4633458b-17de-408a-b874-0445c86b69e6"


def test_readonly_fields_ignored_and_server_fields_filled(mgmt, rg, sandbox):
    redis = mgmt(RedisManagementClient)
    body = {"location": "Korea Central", "sku": {"name": "Premium", "family": "P", "capacity": 2},
            "hostName": "evil.example.com", "port": 1234, "shardCount": 3, "enableNonSslPort": False}
    # msrest-style SDK: pass a dict in SDK attribute form via the model
    from azure.mgmt.redis.models import RedisCreateParameters, Sku
    params = RedisCreateParameters(location="Korea Central", sku=Sku(name="Premium", family="P", capacity=2), shard_count=3)
    cache = redis.redis.begin_create(rg, "cache1", params).result()
    assert cache.location == "koreacentral"
    assert cache.host_name == "cache1.redis.cache.windows.net" and cache.port == 6379 and cache.ssl_port == 6380
    assert cache.redis_version and cache.provisioning_state == "Succeeded"
    assert cache.id == f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Cache/redis/cache1"  # request casing
    # a raw body with read-only values: ignored
    rid = cache.id
    token = sandbox.credential().get_token("https://management.azure.com/.default").token
    resp = requests.put(f"{sandbox.arm}{rid}?api-version=2024-11-01", json={
        "location": "koreacentral", "properties": {**body, "sku": body["sku"], "hostName": "evil", "port": 1}},
        headers={"Authorization": f"Bearer {token}"}, verify=sandbox.endpoints["ca_file"])
    assert resp.status_code == 200
    got = redis.redis.get(rg, "cache1")
    assert got.host_name == "cache1.redis.cache.windows.net" and got.port == 6379


def test_identity_fields_and_patch(mgmt, rg, sandbox):
    msi = mgmt(ManagedServiceIdentityClient)
    ident = msi.user_assigned_identities.create_or_update(rg, "phonebill-services", {"location": "koreacentral"})
    assert ident.principal_id and ident.client_id and ident.tenant_id == sandbox.tenant_id
    updated = msi.user_assigned_identities.update(rg, "phonebill-services", {"tags": {"env": "prod"}})
    assert updated.tags == {"env": "prod"} and updated.client_id == ident.client_id
    assert updated.type == "Microsoft.ManagedIdentity/userAssignedIdentities"
    assert updated.system_data.created_by_type == "Application"


def test_list_by_rg_and_subscription_with_paging(mgmt, rg, sandbox):
    rc = mgmt(ResourceManagementClient)
    rc.resource_groups.create_or_update("rg-two", {"location": "koreasouth"})
    nc = mgmt(NetworkManagementClient)
    for name, group in (("a", rg), ("b", rg), ("c", "rg-two")):
        nc.public_ip_addresses.begin_create_or_update(group, name, nm.PublicIPAddress(
            location="koreacentral", sku=nm.PublicIPAddressSku(name="Standard"))).result()
    sandbox.config(page_size=1)
    assert sorted(p.name for p in nc.public_ip_addresses.list(rg)) == ["a", "b"]
    assert sorted(p.name for p in nc.public_ip_addresses.list_all()) == ["a", "b", "c"]
    pip = nc.public_ip_addresses.get(rg, "a")
    assert pip.ip_address and pip.public_ip_allocation_method == "Static"


def test_resource_group_contents_listing(mgmt, rg):
    nc = mgmt(NetworkManagementClient)
    nc.virtual_networks.begin_create_or_update(rg, "vnet", nm.VirtualNetwork(
        location="koreacentral", address_space=nm.AddressSpace(address_prefixes=["10.0.0.0/16"]),
        subnets=[nm.Subnet(name="s", address_prefix="10.0.1.0/24")])).result()
    rc = mgmt(ResourceManagementClient)
    listed = list(rc.resources.list_by_resource_group(rg))
    assert [(r.name, r.type) for r in listed] == [("vnet", "Microsoft.Network/virtualNetworks")]  # no child subnets
    assert listed[0].location == "koreacentral"
