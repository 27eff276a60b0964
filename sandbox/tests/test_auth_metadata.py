import requests
import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientSecretCredential
from azure.mgmt.resource.resources import ResourceManagementClient


def test_client_secret_credential_gets_jwt_token(sandbox):
    ep = sandbox.endpoints
    cred = ClientSecretCredential(ep["tenant_id"], ep["client_id"], ep["client_secret"], authority=ep["arm"],
                                  disable_instance_discovery=True, connection_verify=ep["ca_file"])
    token = cred.get_token("https://management.azure.com/.default")
    assert token.token.count(".") == 2 and token.expires_on > 0


def test_wrong_secret_is_aadsts7000215(sandbox):
    ep = sandbox.endpoints
    cred = ClientSecretCredential(ep["tenant_id"], ep["client_id"], "wrong", authority=ep["arm"],
                                  disable_instance_discovery=True, connection_verify=ep["ca_file"])
    with pytest.raises(ClientAuthenticationError, match="AADSTS7000215"):
        cred.get_token("https://management.azure.com/.default")


def test_client_assertion_is_accepted(sandbox):
    from azure.identity import ClientAssertionCredential

    ep = sandbox.endpoints
    cred = ClientAssertionCredential(ep["tenant_id"], "workload-app", lambda: "federated.jwt.assertion", authority=ep["arm"],
                                     disable_instance_discovery=True, connection_verify=ep["ca_file"])
    assert cred.get_token("https://management.azure.com/.default").token


def test_arm_without_bearer_is_401(sandbox):
    url = f"{sandbox.arm}/subscriptions/{sandbox.subscription_id}/resourcegroups?api-version=2022-09-01"
    resp = requests.get(url, verify=sandbox.endpoints["ca_file"])
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "AuthenticationFailed"
    assert resp.headers["x-ms-request-id"]


def test_bad_token_raises_client_authentication_error(sandbox):
    from azure.core.credentials import AccessToken

    class Forged:
        def get_token(self, *scopes, **kwargs):
            return AccessToken("a.b.c", 2**31)

    client = ResourceManagementClient(Forged(), sandbox.subscription_id, **sandbox.mgmt_kwargs())
    with pytest.raises(ClientAuthenticationError):
        client.resource_groups.get("x")


def test_cloud_metadata(sandbox):
    resp = requests.get(sandbox.endpoints["metadata_url"], verify=sandbox.endpoints["ca_file"])
    meta = resp.json()
    assert meta["resourceManager"] == sandbox.arm + "/"
    assert meta["authentication"]["loginEndpoint"] == sandbox.arm + "/"
    assert "https://management.azure.com/" in meta["authentication"]["audiences"]
    assert meta["suffixes"]["keyVaultDns"] == "vault.azure.net"


def test_ca_bundle_contains_system_roots_and_sandbox_ca(sandbox):
    bundle = open(sandbox.endpoints["ca_bundle"]).read()
    ca = open(sandbox.endpoints["ca_file"]).read()
    assert ca.strip() in bundle and bundle.count("BEGIN CERTIFICATE") > 1
    assert requests.get(sandbox.endpoints["metadata_url"], verify=sandbox.endpoints["ca_bundle"]).ok


def test_ansible_env(sandbox):
    env = sandbox.ansible_env()
    assert env["AZURE_CLOUD_ENVIRONMENT"].startswith(sandbox.arm + "/metadata/endpoints")
    assert set(env) == {"AZURE_CLOUD_ENVIRONMENT", "AZURE_SUBSCRIPTION_ID", "AZURE_CLIENT_ID", "AZURE_SECRET",
                        "AZURE_TENANT", "REQUESTS_CA_BUNDLE"}


@pytest.mark.parametrize("scope", ["{arm}/.default", "{arm}//.default", "https://management.core.windows.net//.default"])
def test_arm_accepts_its_own_url_and_both_public_audiences(sandbox, scope):
    """Clients that ask for a token for the resourceManager URL the metadata advertises (with or without slash)."""
    client = ResourceManagementClient(sandbox.credential(), sandbox.subscription_id,
                                      **{**sandbox.mgmt_kwargs(), "credential_scopes": [scope.format(arm=sandbox.arm)]})
    assert client.resource_groups.create_or_update("rg-aud", {"location": "koreacentral"}).name == "rg-aud"


def test_other_audience_is_refused_with_the_allowed_list(sandbox):
    token = sandbox.credential().get_token("https://vault.azure.net/.default").token
    resp = requests.get(f"{sandbox.arm}/subscriptions/{sandbox.subscription_id}/resourcegroups?api-version=2022-09-01",
                        headers={"Authorization": f"Bearer {token}"}, verify=sandbox.endpoints["ca_file"])
    error = resp.json()["error"]
    assert resp.status_code == 401 and error["code"] == "InvalidAuthenticationTokenAudience"
    assert "'https://management.azure.com/','https://management.azure.com'" in error["message"]
    assert f"'{sandbox.arm}/'" in error["message"]
    assert resp.headers["WWW-Authenticate"].startswith(f'Bearer authorization_uri="{sandbox.arm}/{sandbox.tenant_id}"')
