"""Cost Management query and Defender for Cloud alerts: Azure's shapes, seeded or derived costs, reads only."""

import pytest
from azure.core.rest import HttpRequest
from azure.mgmt.resource.resources import ResourceManagementClient

COST_API, SECURITY_API = "2023-11-01", "2022-01-01"
QUERY = {"type": "ActualCost", "timeframe": "MonthToDate",
         "dataset": {"granularity": "None", "aggregation": {"totalCost": {"name": "PreTaxCost", "function": "Sum"}},
                     "grouping": [{"type": "Dimension", "name": "ResourceType"}, {"type": "Dimension", "name": "MeterCategory"}]}}


def _send(mgmt, method, path, api, body=None):
    return mgmt(ResourceManagementClient).send_request(HttpRequest(method, path, params={"api-version": api}, json=body))


def _query(mgmt, sandbox, body, scope=""):
    return _send(mgmt, "POST", f"/subscriptions/{sandbox.subscription_id}{scope}/providers/Microsoft.CostManagement/query",
                 COST_API, body)


def test_seeded_costs_come_back_as_azures_table_and_the_query_is_no_write(mgmt, sandbox):
    sandbox.seed_costs([{"resourceType": "microsoft.cache/redis", "meterCategory": "Redis Cache", "cost": 100.0},
                        {"resourceType": "microsoft.cache/redis", "meterCategory": "Redis Cache", "cost": 25.5},
                        {"resourceType": "microsoft.keyvault/vaults", "meterCategory": "Key Vault", "cost": 1.25}])
    writes = sandbox.writes_count()
    answer = _query(mgmt, sandbox, QUERY)
    assert answer.status_code == 200
    body = answer.json()
    assert body["type"] == "Microsoft.CostManagement/query"
    assert body["properties"]["columns"] == [{"name": "PreTaxCost", "type": "Number"}, {"name": "ResourceType", "type": "String"},
                                             {"name": "MeterCategory", "type": "String"}, {"name": "Currency", "type": "String"}]
    assert sorted(body["properties"]["rows"]) == [[1.25, "microsoft.keyvault/vaults", "Key Vault", "USD"],
                                                  [125.5, "microsoft.cache/redis", "Redis Cache", "USD"]]
    assert sandbox.writes_count() == writes


def test_unseeded_costs_follow_the_resources_and_the_day_of_the_month(mgmt, sandbox, rg):
    sandbox.config(cost_as_of="2026-12-15")
    cache = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Cache/Redis/redis1"
    sandbox.seed([{"id": cache, "location": "koreacentral", "properties": {"sku": {"name": "Premium", "family": "P", "capacity": 2}}}])
    rows = _query(mgmt, sandbox, QUERY).json()["properties"]["rows"]
    assert rows == [[pytest.approx(250.0 * 15 / 31, abs=1e-4), "microsoft.cache/redis", "Redis Cache", "USD"]]
    other = dict(QUERY, dataset=dict(QUERY["dataset"], filter={"dimensions": {"name": "ResourceGroupName", "operator": "In",
                                                                              "values": ["rg-elsewhere"]}}))
    assert _query(mgmt, sandbox, other).json()["properties"]["rows"] == []


@pytest.mark.parametrize("change,message", [
    ({"type": "Bogus"}, "Invalid query type"),
    ({"timeframe": "Custom"}, "timePeriod"),
    ({"dataset": {"grouping": [{"type": "Dimension", "name": n} for n in ("ResourceType", "MeterCategory", "ResourceId")]}},
     "more than 2"),
])
def test_bad_definitions_are_refused(mgmt, sandbox, change, message):
    answer = _query(mgmt, sandbox, dict(QUERY, **change))
    assert answer.status_code == 400 and message in answer.json()["error"]["message"]


def test_defender_alerts_seeded_are_listed_by_subscription_and_location(mgmt, sandbox):
    sandbox.seed_security_alerts([{"properties": {"severity": "High", "alertDisplayName": "Suspicious process"},
                                   "resourceGroup": "rg-test"},
                                  {"properties": {"severity": "Low", "status": "Resolved"}, "location": "koreasouth"}])
    listed = _send(mgmt, "GET", f"/subscriptions/{sandbox.subscription_id}/providers/Microsoft.Security/alerts", SECURITY_API).json()
    assert [a["properties"]["severity"] for a in listed["value"]] == ["High", "Low"]
    high = listed["value"][0]
    assert high["type"] == "Microsoft.Security/Locations/alerts"
    assert "/resourceGroups/rg-test/providers/Microsoft.Security/locations/koreacentral/alerts/" in high["id"]
    assert high["properties"]["status"] == "Active" and high["properties"]["timeGeneratedUtc"]
    south = _send(mgmt, "GET", f"/subscriptions/{sandbox.subscription_id}/providers/Microsoft.Security/locations/koreasouth/alerts",
                  SECURITY_API).json()["value"]
    assert [a["properties"]["severity"] for a in south] == ["Low"]
    with pytest.raises(RuntimeError, match="InvalidSeed"):
        sandbox.seed_security_alerts([{"properties": {"severity": "Critical"}}])
