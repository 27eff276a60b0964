import pytest
import requests
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.keyvault.certificates import CertificateClient, CertificatePolicy
from azure.keyvault.secrets import SecretClient
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.keyvault import models as km
from cryptography import x509


def _vault(mgmt, sandbox, rg, name="kv-phonebill", **props):
    kv = mgmt(KeyVaultManagementClient)
    params = km.VaultCreateOrUpdateParameters(location="koreacentral", properties=km.VaultProperties(
        tenant_id=sandbox.tenant_id, sku=km.Sku(family="A", name="premium"), enable_rbac_authorization=True, **props))
    return kv, kv.vaults.begin_create_or_update(rg, name, params).result()


def test_vault_uri_and_challenge(sandbox, mgmt, rg):
    _, vault = _vault(mgmt, sandbox, rg)
    uri = vault.properties.vault_uri
    assert uri.startswith("https://127.0.0.1:") and uri != sandbox.arm + "/"
    resp = requests.get(f"{uri}secrets/x?api-version=7.5", verify=sandbox.endpoints["ca_file"])
    assert resp.status_code == 401
    challenge = resp.headers["WWW-Authenticate"]
    assert f'authorization="{sandbox.arm}/{sandbox.tenant_id}"' in challenge and 'resource="https://vault.azure.net"' in challenge


def test_secret_versions_soft_delete_recover_purge(sandbox, mgmt, rg):
    _, vault = _vault(mgmt, sandbox, rg)
    sc = SecretClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    v1 = sc.set_secret("jwt-signing-key", "one", content_type="text/plain", tags={"rotation": "90d"})
    v2 = sc.set_secret("jwt-signing-key", "two")
    assert v1.properties.version != v2.properties.version
    assert sc.get_secret("jwt-signing-key").value == "two"
    assert sc.get_secret("jwt-signing-key", v1.properties.version).value == "one"
    assert len(list(sc.list_properties_of_secret_versions("jwt-signing-key"))) == 2
    assert [p.name for p in sc.list_properties_of_secrets()] == ["jwt-signing-key"]
    updated = sc.update_secret_properties("jwt-signing-key", v2.properties.version, enabled=False, tags={"k": "v"})
    assert updated.enabled is False and updated.tags == {"k": "v"}
    sc.update_secret_properties("jwt-signing-key", v2.properties.version, enabled=True)  # a disabled value is withheld
    deleted = sc.begin_delete_secret("jwt-signing-key", _polling_interval=0).result()
    assert deleted.recovery_id.endswith("/deletedsecrets/jwt-signing-key")
    with pytest.raises(ResourceNotFoundError):
        sc.get_secret("jwt-signing-key")
    with pytest.raises(ResourceExistsError):
        sc.set_secret("jwt-signing-key", "three")
    assert [d.name for d in sc.list_deleted_secrets()] == ["jwt-signing-key"]
    sc.begin_recover_deleted_secret("jwt-signing-key", _polling_interval=0).result()
    assert sc.get_secret("jwt-signing-key").value == "two"
    sc.begin_delete_secret("jwt-signing-key", _polling_interval=0).result()
    sc.purge_deleted_secret("jwt-signing-key")
    assert list(sc.list_deleted_secrets()) == []
    assert sc.set_secret("jwt-signing-key", "fresh").value == "fresh"


def test_certificate_create_rotate_import(sandbox, mgmt, rg):
    _, vault = _vault(mgmt, sandbox, rg)
    cc = CertificateClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    policy = CertificatePolicy(issuer_name="Self", subject="CN=*.phonebill.example", san_dns_names=["*.phonebill.example"],
                               validity_in_months=12)
    first = cc.begin_create_certificate("ssl-wildcard-cert", policy, _polling_interval=0.01).result()
    cert = x509.load_der_x509_certificate(bytes(first.cer))
    assert cert.subject.rfc4514_string() == "CN=*.phonebill.example"
    second = cc.begin_create_certificate("ssl-wildcard-cert", policy, _polling_interval=0.01).result()
    assert second.properties.version != first.properties.version
    assert len(list(cc.list_properties_of_certificate_versions("ssl-wildcard-cert"))) == 2
    assert cc.get_certificate_policy("ssl-wildcard-cert").subject == "CN=*.phonebill.example"
    # the backing secret holds the PFX of the latest version
    sc = SecretClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    backing = sc.get_secret("ssl-wildcard-cert")
    assert backing.properties.version == second.properties.version and backing.properties.content_type == "application/x-pkcs12"
    imported = cc.import_certificate("client-cert", bytes(__import__("base64").b64decode(backing.value)))
    assert imported.properties.x509_thumbprint == second.properties.x509_thumbprint
    cc.begin_delete_certificate("client-cert", _polling_interval=0).result()
    cc.begin_recover_deleted_certificate("client-cert", _polling_interval=0).result()
    assert cc.get_certificate("client-cert").name == "client-cert"


def test_vault_soft_delete_recover_and_purge(sandbox, mgmt, rg):
    kv, vault = _vault(mgmt, sandbox, rg, name="kv-soft")
    sc = SecretClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    sc.set_secret("redis-auth-key", "k1")
    kv.vaults.delete(rg, "kv-soft")
    deleted = kv.vaults.get_deleted("kv-soft", "koreacentral")
    assert deleted.properties.vault_id.endswith("/vaults/kv-soft")
    with pytest.raises(ResourceExistsError):
        _vault(mgmt, sandbox, rg, name="kv-soft")
    recovered = kv.vaults.begin_create_or_update(rg, "kv-soft", km.VaultCreateOrUpdateParameters(
        location="koreacentral", properties=km.VaultProperties(tenant_id=sandbox.tenant_id, sku=km.Sku(family="A", name="premium"),
                                                               create_mode="recover"))).result()
    sc = SecretClient(recovered.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    assert sc.get_secret("redis-auth-key").value == "k1"
    kv.vaults.delete(rg, "kv-soft")
    kv.vaults.begin_purge_deleted("kv-soft", "koreacentral").result()
    with pytest.raises(ResourceNotFoundError):
        kv.vaults.get_deleted("kv-soft", "koreacentral")


def test_purge_protection_blocks_purge(sandbox, mgmt, rg):
    kv, _ = _vault(mgmt, sandbox, rg, name="kv-protected", enable_purge_protection=True)
    kv.vaults.delete(rg, "kv-protected")
    with pytest.raises(HttpResponseError) as refused:
        kv.vaults.begin_purge_deleted("kv-protected", "koreacentral").result()
    assert refused.value.status_code == 405 and refused.value.error.code == "MethodNotAllowed"
    assert "Operation 'DeletedVaultPurge' is not allowed." in str(refused.value)
    with pytest.raises(ResourceExistsError) as held:
        _vault(mgmt, sandbox, rg, name="kv-protected")
    assert held.value.error.code == "ConflictError" and "already exists in deleted state" in str(held.value)


def test_purge_protection_cannot_be_stated_false(sandbox, mgmt, rg):
    with pytest.raises(HttpResponseError) as refused:
        _vault(mgmt, sandbox, rg, name="kv-false", enable_purge_protection=False)
    assert refused.value.status_code == 400 and 'The property "enablePurgeProtection" cannot be set to false' in str(refused.value)
    kv, _ = _vault(mgmt, sandbox, rg, name="kv-false")
    assert kv.vaults.get(rg, "kv-false").properties.enable_purge_protection is None


def test_network_rules_come_back_normalised(sandbox, mgmt, rg):
    subnet = (f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/"
              "vnet-phonebill/subnets/snet-aks")
    _, vault = _vault(mgmt, sandbox, rg, name="kv-acls", network_acls=km.NetworkRuleSet(
        default_action="Deny", bypass="AzureServices", ip_rules=[km.IPRule(value="20.41.0.10"), km.IPRule(value="20.41.1.0/24")],
        virtual_network_rules=[km.VirtualNetworkRule(id=subnet)]))
    acls = vault.properties.network_acls
    assert [r.value for r in acls.ip_rules] == ["20.41.0.10/32", "20.41.1.0/24"]
    assert [r.id for r in acls.virtual_network_rules] == [subnet.lower()]


def test_disabled_secret_value_is_withheld(sandbox, mgmt, rg):
    _, vault = _vault(mgmt, sandbox, rg, name="kv-disabled")
    sc = SecretClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    version = sc.set_secret("redis-auth-key", "k1").properties.version
    sc.update_secret_properties("redis-auth-key", version, enabled=False)
    for args in (("redis-auth-key",), ("redis-auth-key", version)):
        with pytest.raises(HttpResponseError) as withheld:
            sc.get_secret(*args)
        assert withheld.value.status_code == 403 and "not allowed on a disabled secret" in str(withheld.value)
        assert "SecretDisabled" in withheld.value.response.text()
    assert [p.enabled for p in sc.list_properties_of_secret_versions("redis-auth-key")] == [False]
    sc.update_secret_properties("redis-auth-key", version, enabled=True)
    assert sc.get_secret("redis-auth-key").value == "k1"


def test_data_plane_counters_and_faults(sandbox, mgmt, rg):
    _, vault = _vault(mgmt, sandbox, rg, name="kv-count")
    sc = SecretClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    sandbox.clear_requests()
    sc.set_secret("kos-api-credentials", "x")  # challenge (401) + PUT
    assert sandbox.writes_count() == 1
    sandbox.fault("throttle", method="GET", path_contains="/secrets/kos-api-credentials", retry_after=0.01)
    assert sc.get_secret("kos-api-credentials").value == "x"
    assert [r["status"] for r in sandbox.requests() if r["method"] == "GET"] == [429, 200]


def test_partial_policy_update_keeps_the_rest(sandbox, mgmt, rg):
    _, vault = _vault(mgmt, sandbox, rg, name="kv-policy")
    cc = CertificateClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    cc.begin_create_certificate("ssl-wildcard-cert", CertificatePolicy(
        issuer_name="Self", subject="CN=*.phonebill.example", san_dns_names=["*.phonebill.example"]), _polling_interval=0.01).result()
    cc.update_certificate_policy("ssl-wildcard-cert", CertificatePolicy(validity_in_months=24))
    policy = cc.get_certificate_policy("ssl-wildcard-cert")
    assert policy.validity_in_months == 24 and policy.san_dns_names == ["*.phonebill.example"]
    assert policy.subject == "CN=*.phonebill.example" and policy.key_size == 2048


def test_role_assignment_scoped_to_one_secret_of_the_vault(sandbox, mgmt, rg):
    """A secret of a vault is an ARM scope while the vault holds it (secret scope role assignment)."""
    _, vault = _vault(mgmt, sandbox, rg)
    auth = mgmt(AuthorizationManagementClient)
    scope = f"{vault.id}/secrets/ssl-wildcard-cert"
    role = f"/subscriptions/{sandbox.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6"
    params = {"role_definition_id": role, "principal_id": "22222222-2222-2222-2222-222222222222"}
    with pytest.raises(ResourceNotFoundError):
        auth.role_assignments.create(scope, "bbbbbbbb-0000-0000-0000-000000000001", params)
    SecretClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs()).set_secret(
        "ssl-wildcard-cert", "pfx")
    made = auth.role_assignments.create(scope, "bbbbbbbb-0000-0000-0000-000000000001", params)
    assert made.scope.lower() == scope.lower()
    assert [a.name for a in auth.role_assignments.list_for_scope(scope)] == ["bbbbbbbb-0000-0000-0000-000000000001"]
