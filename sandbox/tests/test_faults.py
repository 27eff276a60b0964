import pytest
import requests
from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError
from azure.mgmt.resource.resources import ResourceManagementClient


def test_throttle_429_is_retried_by_the_sdk(sandbox, mgmt, rg):
    rc = mgmt(ResourceManagementClient)
    sandbox.clear_requests()
    sandbox.fault("throttle", method="GET", path_contains="resourcegroups/rg-test", count=2, retry_after=0.01)
    assert rc.resource_groups.get(rg).name == rg
    statuses = [r["status"] for r in sandbox.requests() if r["method"] == "GET"]
    assert statuses == [429, 429, 200]


def test_500_fault_surfaces_when_retries_disabled(sandbox, mgmt, rg):
    rc = mgmt(ResourceManagementClient, retry_total=0)
    sandbox.fault("error", method="PUT", path_contains="resourcegroups/rg-x", status=500)
    with pytest.raises(HttpResponseError) as exc:
        rc.resource_groups.create_or_update("rg-x", {"location": "koreacentral"})
    assert exc.value.status_code == 500
    assert rc.resource_groups.create_or_update("rg-x", {"location": "koreacentral"}).name == "rg-x"


def test_503_fault_is_retried(sandbox, mgmt, rg):
    rc = mgmt(ResourceManagementClient, retry_backoff_factor=0.01)
    sandbox.fault("error", method="GET", path_contains="resourcegroups/rg-test", status=503)
    assert rc.resource_groups.get(rg).name == rg


def test_dropped_connection(sandbox, mgmt, rg):
    rc = mgmt(ResourceManagementClient, retry_total=0)
    sandbox.fault("drop", method="GET", path_contains="resourcegroups/rg-test")
    with pytest.raises((ServiceResponseError, ServiceRequestError)):
        rc.resource_groups.get(rg)
    retrying = mgmt(ResourceManagementClient, retry_backoff_factor=0.01)
    sandbox.fault("drop", method="GET", path_contains="resourcegroups/rg-test")
    assert retrying.resource_groups.get(rg).name == rg


def _list_groups(sandbox, token):
    return requests.get(f"{sandbox.arm}/subscriptions/{sandbox.subscription_id}/resourcegroups?api-version=2022-09-01",
                        headers={"Authorization": f"Bearer {token}"}, verify=sandbox.endpoints["ca_file"])


def test_revoke_tokens_refuses_every_token_issued_before(sandbox, rg):
    old = sandbox.credential().get_token("https://management.azure.com/.default").token
    assert _list_groups(sandbox, old).status_code == 200
    sandbox.fault("revoke_tokens", method="GET", path_contains="/resourcegroups")
    refused = _list_groups(sandbox, old)
    assert refused.status_code == 401
    assert refused.json()["error"] == {"code": "InvalidAuthenticationToken", "message": "The access token is invalid."}
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert _list_groups(sandbox, old).status_code == 401  # revoked for good, not only for the matched request
    issued = sandbox.tokens_issued()
    fresh = sandbox.credential().get_token("https://management.azure.com/.default").token
    assert sandbox.tokens_issued() == issued + 1 and _list_groups(sandbox, fresh).status_code == 200


def test_injected_401_carries_the_bearer_challenge(sandbox, mgmt, rg):
    sandbox.fault("error", method="GET", path_contains="resourcegroups/rg-test", status=401, code="ExpiredAuthenticationToken",
                  message="The access token expiry UTC time is earlier than current UTC time.")
    token = sandbox.credential().get_token("https://management.azure.com/.default").token
    resp = requests.get(f"{sandbox.arm}/subscriptions/{sandbox.subscription_id}/resourcegroups/rg-test?api-version=2022-09-01",
                        headers={"Authorization": f"Bearer {token}"}, verify=sandbox.endpoints["ca_file"])
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "ExpiredAuthenticationToken"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer authorization_uri=")


def test_error_fault_can_ask_to_retry_after(sandbox, rg):
    sandbox.fault("error", method="GET", path_contains="resourcegroups/rg-test", status=503, code="ServerBusy", retry_after=2)
    token = sandbox.credential().get_token("https://management.azure.com/.default").token
    resp = requests.get(f"{sandbox.arm}/subscriptions/{sandbox.subscription_id}/resourcegroups/rg-test?api-version=2022-09-01",
                        headers={"Authorization": f"Bearer {token}"}, verify=sandbox.endpoints["ca_file"])
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "2" and resp.json()["error"]["code"] == "ServerBusy"
