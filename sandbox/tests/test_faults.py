import pytest
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
