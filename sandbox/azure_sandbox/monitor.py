"""Azure Monitor reads the daily checks make: metrics, Log Analytics queries, resource health.

Shapes (Azure/azure-rest-api-specs):

* ``GET {resource}/providers/Microsoft.Insights/metrics`` (monitor 2023-10-01
  GetMetric.json, GetMetricError.json): ``cost``, ``timespan``, ``interval``,
  ``namespace``, ``resourceregion``, ``value[]`` of ``{id, type, name{value,
  localizedValue}, unit, timeseries[{metadatavalues, data[{timeStamp,
  average|minimum|maximum|total|count}]}], errorCode}``; a metric the type does
  not define is 400 ``BadRequest`` (message as Azure words it).
* ``POST /v1/workspaces/{customerId}/query`` and ``POST /v1/{resourceId}/query``
  (operationalinsights data-plane v1 oms-post-example.json): ``{"tables":
  [{"name": "PrimaryResult", "columns": [{"name", "type"}], "rows": [[...]]}]}``.
* ``GET {resource}/providers/Microsoft.ResourceHealth/availabilityStatuses/current``
  and the resource group listing (resourcehealth 2022-10-01
  AvailabilityStatus_GetByResource.json): ``properties.availabilityState``
  Available/Unavailable/Degraded/Unknown, ``summary``, ``reasonType``.

The sandbox runs no KQL and gathers no telemetry: tests seed what a metric
measured, what a query (by its exact text, whitespace folded) answers and a
resource's availability through the control API (``POST monitor``). An
unseeded metric has points without values (as Azure answers when nothing was
emitted), an unseeded query an empty ``PrimaryResult`` without columns, an
unseeded resource is ``Available``.
"""

import re
from datetime import datetime, timedelta, timezone

from .messages import ApiError, Response

# Metrics the daily checks read, per resource type (Microsoft Learn "Supported metrics"); a type not
# listed here accepts any metric name.
METRICS = {
    "microsoft.insights/components": {
        "requests/duration": ("Server response time", "MilliSeconds"),
        "requests/failed": ("Failed requests", "Count"),
        "requests/count": ("Server requests", "Count"),
    },
    "microsoft.containerservice/managedclusters": {
        "node_cpu_usage_percentage": ("CPU Usage Percentage", "Percent"),
        "node_memory_working_set_percentage": ("Memory Working Set Percentage", "Percent"),
        "kube_pod_status_ready": ("Number of pods in Ready state", "Count"),
    },
    "microsoft.dbforpostgresql/flexibleservers": {
        "storage_percent": ("Storage percent", "Percent"),
        "cpu_percent": ("CPU percent", "Percent"),
        "memory_percent": ("Memory percent", "Percent"),
        "active_connections": ("Active Connections", "Count"),
    },
    "microsoft.cache/redis": {
        "usedmemorypercentage": ("Used Memory Percentage", "Percent"),
        "allusedmemorypercentage": ("Used Memory Percentage (Instance Based)", "Percent"),
        "serverLoad": ("Server Load", "Percent"),
        # passive geo-replication (Premium): the first two from the geo-secondary, the offset from the geo-primary
        "GeoReplicationHealthy": ("Geo-replication Healthy", "Count"),
        "GeoReplicationConnectivityLag": ("Geo-replication Connectivity Lag", "Seconds"),
        "GeoReplicationDataSyncOffset": ("Geo-replication Data Sync Offset", "Bytes"),
    },
}
AGGREGATIONS = ("average", "minimum", "maximum", "total", "count")
AVAILABILITY_STATES = ("Available", "Unavailable", "Degraded", "Unknown")
LOGS_AUDIENCE = "https://api.loganalytics.io"
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.I)
_FILTER_CLAUSE = re.compile(r"([\w/.\-]+)\s+eq\s+'([^']*)'", re.I)


def _state(store) -> dict:
    return store.state.setdefault("monitor", {"metrics": {}, "logs": {}, "health": {}})


def _seconds(duration: str) -> int:
    match = _DURATION.match(duration or "")
    if not match or not any(match.groups()):
        raise ApiError(400, "BadRequest", f"Invalid ISO 8601 duration '{duration}'.")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def _timespan(text: str | None) -> tuple:
    """(start, end) of a metrics timespan: 'start/end' or a duration ending now (Azure's default: the last hour)."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    if not text:
        return now - timedelta(hours=1), now
    if "/" in text:
        start, end = text.split("/", 1)
        try:
            parse = [datetime.fromisoformat(v.replace("Z", "+00:00")) for v in (start, end)]
        except ValueError:
            raise ApiError(400, "BadRequest", f"Invalid timespan '{text}'.")
        return parse[0], parse[1]
    return now - timedelta(seconds=_seconds(text)), now


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _filter(text: str | None) -> dict:
    """Dimension name (lower) -> allowed values, from `$filter` clauses `name eq 'value'` joined by and/or."""
    wanted: dict = {}
    for name, value in _FILTER_CLAUSE.findall(text or ""):
        wanted.setdefault(name.lower(), set()).add(value)
    return wanted


def list_metrics(engine, t, req) -> Response:
    """The metrics of the resource the path names, over the timespan at the interval asked for."""
    owner = engine.store.get(t.rid)
    if owner is None:
        raise ApiError(404, "ResourceNotFound", f"The Resource '{t.rid}' was not found.")
    rtype = owner["type"].lower()
    known = METRICS.get(rtype)
    names = [n.strip() for n in (req.query.get("metricnames") or "").split(",") if n.strip()]
    if known is not None:
        unknown = [n for n in names if n.lower() not in {k.lower() for k in known}]
        if unknown:
            raise ApiError(400, "BadRequest", f"Failed to find metric configuration for provider: {owner['type'].split('/')[0]}, "
                                              f"resource Type: {owner['type'].split('/', 1)[1]}, metric: {unknown[0]}, "
                                              f"Valid metrics: {','.join(known)}")
    start, end = _timespan(req.query.get("timespan"))
    interval = req.query.get("interval") or "PT1M"
    step = (end - start) if interval.upper() == "FULL" else timedelta(seconds=_seconds(interval))
    aggregations = [a.strip().lower() for a in (req.query.get("aggregation") or "average").split(",")]
    wanted = _filter(req.query.get("$filter"))
    seeded = _state(engine.store)["metrics"].get(owner["id"].lower(), {})
    value = []
    for name in names:
        display, unit = (known or {}).get(name, (name, "Unspecified"))
        for key, (d, u) in (known or {}).items():
            if key.lower() == name.lower():
                name, display, unit = key, d, u
        entry = seeded.get(name.lower(), {})
        series = [s for s in entry.get("series", []) if _selected(s.get("dimensions") or {}, wanted)]
        value.append({
            "id": f"{owner['id']}/providers/Microsoft.Insights/metrics/{name}", "type": "Microsoft.Insights/metrics",
            "name": {"value": name, "localizedValue": display}, "displayDescription": display,
            "unit": entry.get("unit") or unit, "errorCode": "Success",
            "timeseries": [_series(s, start, end, step, aggregations, wanted) for s in series]
            or [{"metadatavalues": [], "data": _points([], start, end, step, aggregations)}],
        })
    return Response(200, {"cost": len(names) * 60, "timespan": f"{_iso(start)}/{_iso(end)}",
                          "interval": interval.upper() if interval.upper() != "FULL" else _duration(end - start),
                          "value": value, "namespace": owner["type"].lower(),
                          "resourceregion": owner["body"].get("location", "global")})


def _selected(dimensions: dict, wanted: dict) -> bool:
    """Whether a series' dimension values pass the filter (a dimension the series lacks does not filter it)."""
    values = {k.lower(): v for k, v in dimensions.items()}
    return all(values[dim] in allowed for dim, allowed in wanted.items() if dim in values)


def _duration(delta: timedelta) -> str:
    total = int(delta.total_seconds())
    hours, rest = divmod(total, 3600)
    return f"PT{hours}H" + (f"{rest // 60}M" if rest % 3600 else "")


def _series(seeded: dict, start, end, step, aggregations, wanted) -> dict:
    dims = {k.lower(): (k, v) for k, v in (seeded.get("dimensions") or {}).items()}
    meta = [{"name": {"value": key, "localizedValue": key}, "value": value}
            for low, (key, value) in sorted(dims.items()) if low in wanted or not wanted]
    return {"metadatavalues": meta, "data": _points(seeded.get("data", []), start, end, step, aggregations)}


def _points(seeded: list, start, end, step, aggregations) -> list:
    """One point per interval; the seeded values fill the latest intervals, the earlier ones have no value."""
    slots = max(1, int((end - start) / step)) if step.total_seconds() > 0 else 1
    seeded = seeded[-slots:]
    points = []
    for index in range(slots):
        point = {"timeStamp": _iso(start + index * step)}
        at = index - (slots - len(seeded))
        if at >= 0:
            point.update({k: v for k, v in seeded[at].items() if k in aggregations})
        points.append(point)
    return points


def seed_metric(engine, body: dict) -> dict:
    """Control API: what a resource's metric measured (`id`, `metric`, `unit`, `series[{dimensions, data}]`)."""
    rec = engine.store.get(body.get("id") or "")
    if rec is None or not body.get("metric"):
        raise ApiError(400, "InvalidSeed", "'id' (an existing resource) and 'metric' are required.")
    series = body.get("series") or [{"dimensions": body.get("dimensions") or {}, "data": body.get("data") or []}]
    for s in series:
        for point in s.get("data") or []:
            if set(point) - set(AGGREGATIONS):
                raise ApiError(400, "InvalidSeed", f"data points carry only {', '.join(AGGREGATIONS)}.")
    _state(engine.store)["metrics"].setdefault(rec["id"].lower(), {})[body["metric"].lower()] = {
        "unit": body.get("unit"), "series": series}
    engine.store.mark_dirty()
    return {"id": rec["id"], "metric": body["metric"], "series": len(series)}


# -- Log Analytics query ---------------------------------------------------------------------

def _fold(query: str) -> str:
    return " ".join((query or "").split())


def _scope_of(engine, segs: list) -> str:
    """The ARM id whose data a /v1 query path reads: a workspace by customerId, or any resource by id."""
    if len(segs) == 4 and segs[1].lower() == "workspaces":
        for rec in engine.store.find("Microsoft.OperationalInsights/workspaces"):
            if str(rec["body"].get("properties", {}).get("customerId", "")).lower() == segs[2].lower():
                return rec["id"]
        raise ApiError(404, "WorkspaceNotFoundError", f"The workspace {segs[2]} could not be found.")
    rid = "/" + "/".join(segs[1:-1])
    rec = engine.store.get(rid)
    if rec is None:
        raise ApiError(404, "ResourceNotFoundError", f"The resource {rid} could not be found.")
    return rec["id"]


def query(engine, req) -> Response:
    """POST /v1/.../query: the seeded answer to the query's text, else an empty PrimaryResult."""
    segs = [s for s in req.path.split("/") if s]
    if req.method != "POST" or len(segs) < 3 or segs[-1].lower() != "query":
        raise ApiError(404, "PathNotFoundError", f"The requested path does not exist: {req.path}")
    body = req.json() or {}
    if not isinstance(body, dict) or not str(body.get("query") or "").strip():
        raise ApiError(400, "BadArgumentError", "The request had some invalid properties: query is required.")
    with engine.store.lock:
        scope = _scope_of(engine, segs)
        answer = _state(engine.store)["logs"].get(scope.lower(), {}).get(_fold(body["query"]))
    return Response(200, {"tables": answer or [{"name": "PrimaryResult", "columns": [], "rows": []}]})


def seed_query(engine, body: dict) -> dict:
    """Control API: the tables a query (`scope`: the workspace's or resource's id) answers."""
    rec = engine.store.get(body.get("scope") or "")
    if rec is None or not str(body.get("query") or "").strip():
        raise ApiError(400, "InvalidSeed", "'scope' (an existing workspace or resource id) and 'query' are required.")
    tables = body.get("tables") or []
    for table in tables:
        width = len(table.get("columns") or [])
        if any(len(row) != width for row in table.get("rows") or []):
            raise ApiError(400, "InvalidSeed", "every row needs one value per column.")
    _state(engine.store)["logs"].setdefault(rec["id"].lower(), {})[_fold(body["query"])] = tables
    engine.store.mark_dirty()
    return {"scope": rec["id"], "tables": len(tables)}


# -- Resource health ---------------------------------------------------------------------------

def availability(engine, rec: dict) -> dict:
    seeded = _state(engine.store)["health"].get(rec["id"].lower(), {})
    state = seeded.get("availabilityState", "Available")
    return {
        "id": f"{rec['id']}/providers/Microsoft.ResourceHealth/availabilityStatuses/current", "name": "current",
        "type": "Microsoft.ResourceHealth/AvailabilityStatuses", "location": rec["body"].get("location", "global"),
        "properties": {"availabilityState": state, "title": state,
                       "summary": seeded.get("summary", "There aren't any known Azure platform problems affecting this resource."),
                       "reasonType": seeded.get("reasonType", ""), "reasonChronicity": "Persistent",
                       "occuredTime": seeded.get("occuredTime", engine_now()),
                       "reportedTime": engine_now()},
    }


def engine_now() -> str:
    return _iso(datetime.now(timezone.utc))


def get_availability(engine, t) -> Response | None:
    """GET {resource}/providers/Microsoft.ResourceHealth/availabilityStatuses/current."""
    if t.name.lower() != "current":
        return None
    rec = engine.store.get(t.parent)
    if rec is None:
        raise ApiError(404, "ResourceNotFound", f"The Resource '{t.parent}' was not found.")
    return Response(200, availability(engine, rec))


def list_availability(engine, t, req) -> Response:
    """Every resource of a resource group (or the subscription) with its availability."""
    recs = [r for r in engine.store.find(prefix=t.parent + "/providers/")
            if r["type"].count("/") == 1 and r["type"].lower() != "microsoft.resources/resourcegroups"]
    return engine.list_response(req, [availability(engine, r) for r in recs], rendered=True)


def seed_health(engine, body: dict) -> dict:
    """Control API: a resource's availability (`id`, `availabilityState`, `summary`, `reasonType`)."""
    rec = engine.store.get(body.get("id") or "")
    if rec is None or body.get("availabilityState") not in AVAILABILITY_STATES:
        raise ApiError(400, "InvalidSeed", f"'id' (an existing resource) and 'availabilityState' "
                                           f"({', '.join(AVAILABILITY_STATES)}) are required.")
    _state(engine.store)["health"][rec["id"].lower()] = {k: body[k] for k in (
        "availabilityState", "summary", "reasonType", "occuredTime") if k in body}
    engine.store.mark_dirty()
    return availability(engine, rec)


SEEDERS = {"metrics": seed_metric, "logs": seed_query, "health": seed_health}
