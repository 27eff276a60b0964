"""Diagnostic settings: the categories each resource type offers, and the refusals that follow.

``GET {resource}/providers/Microsoft.Insights/diagnosticSettingsCategories``
lists them (shape of the DiagnosticSettingsCategory list, API
2021-05-01-preview: ``name``, ``properties.categoryType`` Logs/Metrics,
``properties.categoryGroups``); a diagnostic setting naming a category or
group the resource does not offer is refused as Azure does.  Category names
are the ones Microsoft Learn's "Supported categories for Azure Monitor
resource logs" lists per type.
"""

from .messages import ApiError, Response

ALL_LOGS, AUDIT = "allLogs", "audit"

# type (lower-case) -> {log category: groups beyond allLogs}
LOG_CATEGORIES = {
    "microsoft.containerservice/managedclusters": {
        "kube-apiserver": (), "kube-audit": (AUDIT,), "kube-audit-admin": (AUDIT,), "kube-controller-manager": (),
        "kube-scheduler": (), "cluster-autoscaler": (), "cloud-controller-manager": (), "guard": (AUDIT,),
        "csi-azuredisk-controller": (), "csi-azurefile-controller": (), "csi-snapshot-controller": (),
        "fleet-member-agent": (), "fleet-member-net-controller-manager": (), "fleet-mcs-controller-manager": ()},
    "microsoft.network/applicationgateways": {
        "ApplicationGatewayAccessLog": (), "ApplicationGatewayPerformanceLog": (), "ApplicationGatewayFirewallLog": ()},
    "microsoft.dbforpostgresql/flexibleservers": {
        "PostgreSQLLogs": (AUDIT,), "PostgreSQLFlexSessions": (), "PostgreSQLFlexQueryStoreRuntime": (),
        "PostgreSQLFlexQueryStoreWaitStats": (), "PostgreSQLFlexTableStats": (), "PostgreSQLFlexDatabaseXacts": ()},
    "microsoft.cache/redis": {"ConnectedClientList": (AUDIT,), "MSEntraAuthenticationAuditLog": (AUDIT,)},
    "microsoft.keyvault/vaults": {"AuditEvent": (AUDIT,), "AzurePolicyEvaluationDetails": ()},
    "microsoft.operationalinsights/workspaces": {"Audit": (AUDIT,), "SummaryLogs": ()},
    "microsoft.insights/components": {
        c: () for c in ("AppAvailabilityResults", "AppBrowserTimings", "AppEvents", "AppMetrics", "AppDependencies",
                        "AppExceptions", "AppPageViews", "AppPerformanceCounters", "AppRequests", "AppSystemEvents",
                        "AppTraces")},
}
METRIC_CATEGORIES = ("AllMetrics",)


def categories(resource_type: str) -> list:
    """(name, categoryType, groups) of every category the type offers; none for a type without diagnostics."""
    logs = LOG_CATEGORIES.get(resource_type.lower())
    if logs is None:
        return []
    return ([(name, "Logs", (ALL_LOGS,) + groups) for name, groups in logs.items()]
            + [(name, "Metrics", ()) for name in METRIC_CATEGORIES])


def list_categories(engine, t, req) -> Response:
    """The categories of the resource the path names (a type without diagnostics lists none)."""
    owner = engine.store.get(t.rid)
    found = categories(owner["type"]) if owner else []
    items = [{"id": f"{owner['id']}/providers/microsoft.insights/diagnosticSettingsCategories/{name}", "name": name,
              "type": "microsoft.insights/diagnosticSettingsCategories",
              "properties": {"categoryType": kind, "categoryGroups": list(groups)}} for name, kind, groups in found]
    return engine.list_response(req, items, rendered=True)


def check_setting(engine, t, body) -> None:
    """A setting's destination and categories, refused as Azure refuses them."""
    props = body.get("properties") or {}
    if not any(props.get(k) for k in ("workspaceId", "storageAccountId", "eventHubAuthorizationRuleId",
                                      "marketplacePartnerId")):
        raise ApiError(400, "BadRequest", "At least one destination (storage account, event hub, Log Analytics "
                                          "workspace or partner solution) must be specified.")
    owner = engine.store.get(t.parent)
    offered = categories(owner["type"]) if owner else []
    names = {name.lower(): kind for name, kind, _ in offered}
    groups = {g.lower() for _, _, gs in offered for g in gs}
    for kind, entries in (("Logs", props.get("logs") or []), ("Metrics", props.get("metrics") or [])):
        for entry in entries:
            category, group = entry.get("category"), entry.get("categoryGroup")
            if category is not None and names.get(category.lower()) != kind:
                raise ApiError(400, "BadRequest", f"Category '{category}' is not supported.")
            if group is not None and (kind != "Logs" or group.lower() not in groups):
                raise ApiError(400, "BadRequest", f"Category group '{group}' is not supported.")
    workspace = props.get("workspaceId")
    if workspace and engine.store.get(workspace) is None:
        raise ApiError(400, "BadRequest", f"The Log Analytics workspace '{workspace}' could not be found.")
