"""Azure Monitor types through the real SDK clients (and raw ARM requests where the SDK has none)."""

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.rest import HttpRequest
from azure.mgmt.monitor import MonitorManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

DIAGNOSTICS_API = "2021-05-01-preview"


@pytest.fixture
def cluster(sandbox, rg):
    cid = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/aks"
    workspace = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/law"
    sandbox.seed([{"id": cid, "location": "koreacentral", "properties": {}},
                  {"id": workspace, "location": "koreacentral", "properties": {}}])
    return cid, workspace


def _send(mgmt, method, path, body=None):
    client = mgmt(ResourceManagementClient)
    return client.send_request(HttpRequest(method, path, params={"api-version": DIAGNOSTICS_API}, json=body))


def test_categories_of_a_cluster_are_azures(mgmt, cluster):
    listed = _send(mgmt, "GET", cluster[0] + "/providers/Microsoft.Insights/diagnosticSettingsCategories").json()["value"]
    by_name = {c["name"]: c["properties"] for c in listed}
    assert by_name["kube-audit-admin"] == {"categoryType": "Logs", "categoryGroups": ["allLogs", "audit"]}
    assert by_name["AllMetrics"]["categoryType"] == "Metrics"
    assert "ApplicationGatewayFirewallLog" not in by_name


def test_diagnostic_setting_is_an_extension_resource_and_unknown_categories_are_refused(mgmt, cluster, sandbox):
    path = cluster[0] + "/providers/Microsoft.Insights/diagnosticSettings/to-law"
    refused = _send(mgmt, "PUT", path, {"properties": {"workspaceId": cluster[1],
                                                       "logs": [{"category": "ApplicationGatewayAccessLog", "enabled": True}]}})
    assert refused.status_code == 400 and refused.json()["error"]["message"] == "Category 'ApplicationGatewayAccessLog' is not supported."
    created = _send(mgmt, "PUT", path, {"properties": {"workspaceId": cluster[1],
                                                       "logs": [{"categoryGroup": "audit", "enabled": True}]}})
    assert created.status_code == 200
    body = created.json()
    assert body["id"] == path and "location" not in body
    assert body["properties"]["logs"] == [{"categoryGroup": "audit", "enabled": True, "category": None,
                                           "retentionPolicy": {"enabled": False, "days": 0}}]
    sandbox.drift(cluster[0], delete=True)
    assert _send(mgmt, "GET", path).status_code == 404


def test_metric_alert_create_answers_200_and_needs_global_and_its_action_group(mgmt, rg, cluster, sandbox):
    monitor = mgmt(MonitorManagementClient)
    group = monitor.action_groups.create_or_update(rg, "ag", {"location": "Global", "properties": {
        "groupShortName": "ops", "enabled": True, "emailReceivers": [{"name": "m", "emailAddress": "a@b.example"}]}})
    assert group.email_receivers[0].status == "Enabled"
    with pytest.raises(HttpResponseError) as too_long:
        monitor.action_groups.create_or_update(rg, "ag-long", {"location": "Global", "properties": {
            "groupShortName": "phonebill-ops", "enabled": True}})
    assert (too_long.value.status_code, too_long.value.error.code, too_long.value.error.message) == (
        400, "GroupShortNameIsTooLong",
        "The action group short name 'phonebill-ops' is too long. Please specify a short name with '12' or less characters.")
    alert = {"location": "global", "properties": {
        "severity": 2, "enabled": True, "scopes": [cluster[0]], "evaluationFrequency": "PT5M", "windowSize": "PT15M",
        "criteria": {"odata.type": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                     "allOf": [{"criterionType": "StaticThresholdCriterion", "name": "cpu", "metricName": "cpu",
                                "operator": "GreaterThan", "threshold": 85, "timeAggregation": "Average"}]},
        "actions": [{"actionGroupId": group.id}]}}
    created = monitor.metric_alerts.create_or_update(rg, "cpu", alert)
    assert created.auto_mitigate is True and created.last_updated_time is not None
    for change, message in ((dict(location="koreacentral"), "is not available for resource type"),
                            (dict(windowSize="PT1M"), "Window size must be greater than or equal to evaluation frequency."),
                            (dict(evaluationFrequency="PT10M"), "Evaluation frequency 'PT10M' is not supported."),
                            (dict(actions=[{"actionGroupId": group.id + "-gone"}]), "could not be found")):
        body = {**alert, **({"location": change.pop("location")} if "location" in change else {})}
        body = {**body, "properties": {**alert["properties"], **change}}
        with pytest.raises(HttpResponseError, match=message):
            monitor.metric_alerts.create_or_update(rg, "cpu-bad", body)
