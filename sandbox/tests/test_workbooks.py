"""Workbooks (Microsoft.Insights/workbooks 2023-06-01) through the real SDK client and raw ARM requests."""

import json

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest
from azure.mgmt.applicationinsights import ApplicationInsightsManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

API = "2023-06-01"
NAME = "deadb33f-5e0d-4064-8ebb-1a4ed0313eb2"


def _body(**properties):
    props = {"displayName": "Sample workbook", "category": "workbook",
             "serializedData": '{"version":"Notebook/1.0","items":[]}'}
    props.update(properties)
    return {"location": "koreacentral", "kind": "shared", "properties": props}


def _send(mgmt, method, path, body=None, **params):
    client = mgmt(ResourceManagementClient)
    return client.send_request(HttpRequest(method, path, params={"api-version": API, **params}, json=body))


@pytest.fixture
def base(sandbox, rg):
    return f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Insights/workbooks/"


def test_create_answers_201_then_200_with_the_fields_azure_sets(mgmt, base, sandbox, rg):
    client = mgmt(ApplicationInsightsManagementClient)
    created = _send(mgmt, "PUT", base + NAME, _body(sourceId=f"/subscriptions/{sandbox.subscription_id}/resourcegroups/{rg}"))
    assert created.status_code == 201
    props = created.json()["properties"]
    assert props["userId"] and props["timeModified"] and props["revision"] and props["storageUri"] is None
    again = _send(mgmt, "PUT", base + NAME, _body())
    assert again.status_code == 200 and again.json()["properties"]["revision"] != props["revision"]
    read = client.workbooks.get(rg, NAME, can_fetch_content=True)
    assert read.kind == "shared" and json.loads(read.serialized_data) == {"version": "Notebook/1.0", "items": []}


@pytest.mark.parametrize("name,body,message", [
    ("ops-workbook", _body(), "must be a GUID"),
    (NAME, dict(_body(), kind="user"), "only valid value is 'shared'"),
    (NAME, _body(serializedData="{"), "not valid JSON"),
    (NAME, {"location": "koreacentral", "kind": "shared", "properties": {"displayName": "x", "serializedData": "{}"}},
     "category"),
    (NAME, {"kind": "shared", "properties": _body()["properties"]}, "location"),
], ids=["name-not-a-guid", "kind-not-shared", "content-not-json", "no-category", "no-location"])
def test_refused_as_azure_refuses(mgmt, base, name, body, message):
    answer = _send(mgmt, "PUT", base + name, body)
    assert answer.status_code == 400 and message in answer.json()["error"]["message"], answer.text


def test_listing_needs_a_category_filters_by_it_and_its_source_and_omits_content(mgmt, base, sandbox, rg):
    source = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Web/sites/MyApp"
    _send(mgmt, "PUT", base + NAME, _body(sourceId=source))
    _send(mgmt, "PUT", base + "c0deea5e-3344-40f2-96f8-6f8e1c3b5722", _body(category="TSG"))
    collection = base.rstrip("/")
    assert _send(mgmt, "GET", collection).status_code == 400
    client = mgmt(ApplicationInsightsManagementClient)
    listed = list(client.workbooks.list_by_resource_group(rg, "workbook"))
    assert [w.name for w in listed] == [NAME] and listed[0].serialized_data is None
    full = list(client.workbooks.list_by_resource_group(rg, "workbook", can_fetch_content=True))
    assert full[0].serialized_data
    assert list(client.workbooks.list_by_resource_group(rg, "workbook", source_id=source.upper()))
    assert not list(client.workbooks.list_by_resource_group(rg, "workbook", source_id=source + "x"))
    assert [w.name for w in client.workbooks.list_by_subscription("TSG")] == ["c0deea5e-3344-40f2-96f8-6f8e1c3b5722"]
    client.workbooks.delete(rg, NAME)
    with pytest.raises(HttpResponseError):
        client.workbooks.get(rg, NAME)
