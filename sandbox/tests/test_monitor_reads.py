"""Metrics, Log Analytics queries and Resource Health through the real SDK clients, in Azure's shapes."""

import pytest
import requests
from azure.core.exceptions import HttpResponseError
from azure.mgmt.monitor import MonitorManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

# Keys of Microsoft's examples (monitor 2023-10-01 GetMetric.json, operationalinsights v1 oms-post-example.json,
# resourcehealth 2022-10-01 AvailabilityStatus_GetByResource.json)
METRICS_ANSWER_KEYS = {"cost", "timespan", "interval", "value", "namespace", "resourceregion"}
METRIC_KEYS = {"id", "type", "name", "displayDescription", "unit", "timeseries", "errorCode"}


@pytest.fixture
def server(sandbox, rg):
    sid = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg"
    law = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/law"
    sandbox.seed([{"id": sid, "location": "koreacentral", "properties": {"state": "Ready"}},
                  {"id": law, "location": "koreacentral", "properties": {}}])
    return sid, law


def _raw(sandbox, method, path, scope, **kwargs):
    token = sandbox.credential().get_token(scope).token
    return requests.request(method, sandbox.arm + path, headers={"Authorization": "Bearer " + token},
                            verify=sandbox.endpoints["ca_file"], **kwargs)


def test_metrics_answer_in_azures_shape_with_the_seeded_points_last(mgmt, sandbox, server):
    sandbox.seed_metric(server[0], "storage_percent", [{"maximum": 70.0, "average": 60.0}], unit="Percent")
    client = mgmt(MonitorManagementClient)
    answer = client.metrics.list(server[0], timespan="2026-12-01T00:00:00Z/2026-12-01T04:00:00Z", interval="PT1H",
                                 metricnames="storage_percent", aggregation="Maximum")
    raw = _raw(sandbox, "GET", server[0] + "/providers/Microsoft.Insights/metrics",
               "https://management.azure.com/.default",
               params={"api-version": "2023-10-01", "metricnames": "storage_percent", "interval": "PT1H",
                       "timespan": "2026-12-01T00:00:00Z/2026-12-01T04:00:00Z", "aggregation": "Maximum"}).json()
    assert set(raw) == METRICS_ANSWER_KEYS and set(raw["value"][0]) == METRIC_KEYS
    data = answer.value[0].timeseries[0].data
    assert [p.maximum for p in data] == [None, None, None, 70.0]   # only the aggregation asked for
    assert data[-1].average is None and answer.interval == "PT1H" and answer.value[0].unit == "Percent"
    reads = [r for r in sandbox.requests() if r["path"].endswith("/metrics")]
    assert len(reads) == 2 and not any(r["write"] for r in reads)


def test_an_unknown_metric_is_refused_as_azure_words_it(mgmt, server):
    with pytest.raises(HttpResponseError) as refused:
        mgmt(MonitorManagementClient).metrics.list(server[0], metricnames="storage_pct")
    assert refused.value.status_code == 400
    assert "Failed to find metric configuration for provider: Microsoft.DBforPostgreSQL" in str(refused.value)


def test_query_answers_seeded_tables_for_the_exact_text_only(sandbox, server):
    customer = sandbox.get(server[1])["properties"]["customerId"]
    tables = [{"name": "PrimaryResult", "columns": [{"name": "n", "type": "long"}], "rows": [[7]]}]
    sandbox.seed_query(server[1], "Usage | take 10", tables)
    scope = sandbox.arm + "/.default"
    by_guid = _raw(sandbox, "POST", f"/v1/workspaces/{customer}/query", scope, json={"query": "Usage |  take 10", "timespan": "PT12H"})
    assert by_guid.json() == {"tables": tables}
    by_id = _raw(sandbox, "POST", f"/v1{server[1]}/query", scope, json={"query": "Usage | take 10"})
    assert by_id.json() == {"tables": tables}
    other = _raw(sandbox, "POST", f"/v1{server[1]}/query", scope, json={"query": "Usage | take 11"})
    assert other.json() == {"tables": [{"name": "PrimaryResult", "columns": [], "rows": []}]}
    log = [r for r in sandbox.requests() if r["plane"] == "logs"]
    assert len(log) == 3 and not any(r["write"] for r in log)


def test_query_refuses_a_token_for_another_audience(sandbox, server):
    refused = _raw(sandbox, "POST", f"/v1{server[1]}/query", "https://vault.azure.net/.default", json={"query": "Usage"})
    assert refused.status_code == 401


def test_health_and_provisioning_state_follow_seed_and_hold(mgmt, sandbox, server, rg):
    sandbox.seed_health(server[0], "Degraded", summary="High latency")
    sandbox.hold(server[1], "Updating", 30)
    listing = _raw(sandbox, "GET", f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/"
                   "Microsoft.ResourceHealth/availabilityStatuses", "https://management.azure.com/.default",
                   params={"api-version": "2022-10-01"}).json()["value"]
    by_id = {item["id"].rsplit("/providers/Microsoft.ResourceHealth", 1)[0]: item for item in listing}
    assert by_id[server[0]]["properties"]["availabilityState"] == "Degraded"
    assert by_id[server[0]]["properties"]["summary"] == "High latency"
    assert by_id[server[1]]["properties"]["availabilityState"] == "Available"
    one = _raw(sandbox, "GET", server[0] + "/providers/Microsoft.ResourceHealth/availabilityStatuses/current",
               "https://management.azure.com/.default", params={"api-version": "2022-10-01"}).json()
    assert one["name"] == "current" and one["type"] == "Microsoft.ResourceHealth/AvailabilityStatuses"
    states = {r.name: r.provisioning_state for r in mgmt(ResourceManagementClient).resources.list_by_resource_group(
        rg, expand="provisioningState")}
    assert states == {"pg": "Succeeded", "law": "Updating"}


def test_seeded_telemetry_survives_snapshot_and_is_cleared_by_reset(sandbox, server):
    sandbox.seed_health(server[0], "Unavailable")
    state = sandbox.snapshot()
    sandbox.reset()
    assert sandbox.snapshot()["monitor"] == {"metrics": {}, "logs": {}, "health": {}}
    sandbox.restore(state)
    assert sandbox.snapshot()["monitor"]["health"][server[0].lower()]["availabilityState"] == "Unavailable"
