"""Cost Management: ``POST {scope}/providers/Microsoft.CostManagement/query``.

Request and answer as Microsoft.CostManagement 2023-11-01 has them
(BillingAccountQueryGrouping.json, QueryDefinition in costmanagement.json):
the answer is a table, ``properties.columns`` (``name``, ``type`` Number or
String) and ``properties.rows``, the aggregated cost column first (named after
the aggregation's source column, e.g. ``PreTaxCost`` or ``Cost``), then one
column per grouping dimension, then ``Currency``. At most 2 groupings, as
Azure allows.

Costs come from the control API (``POST /_sandbox/costs`` with rows
``{resourceType, meterCategory, resourceId, resourceGroup, cost}``: month to
date, USD), or, when none are seeded, are derived from the resources that
exist: each priced resource type accrues its monthly price (``MONTHLY_USD``,
the sandbox's own round figures near the SPEC §11 estimate, not Azure's price
list) evenly over the month, up to ``config.cost_as_of`` (a date; today when
unset). AKS nodes are billed as Azure bills them, as the scale sets of the
cluster's node resource group: pool count × the VM size's monthly price.
``dataset.filter`` takes ``dimensions`` (``In``) and ``and`` of them.
"""

import calendar
import datetime

from .messages import ApiError, Response
from .util import aks_pool_vmss_id, get_path

QUERY_TYPES = ("ActualCost", "AmortizedCost", "Usage")
TIMEFRAMES = ("MonthToDate", "BillingMonthToDate", "TheLastMonth", "TheLastBillingMonth", "WeekToDate", "Custom")
DIMENSIONS = {"resourcetype": "ResourceType", "metercategory": "MeterCategory", "resourceid": "ResourceId",
              "resourcegroup": "ResourceGroup", "resourcegroupname": "ResourceGroupName"}
MAX_GROUPINGS = 2

# type (lower) -> (meter category, USD a month)
MONTHLY_USD = {
    "microsoft.dbforpostgresql/flexibleservers": ("Azure Database for PostgreSQL", 450.0),
    "microsoft.cache/redis": ("Redis Cache", 250.0),
    "microsoft.network/applicationgateways": ("Application Gateway", 150.0),
    "microsoft.network/loadbalancers": ("Load Balancer", 50.0),
    "microsoft.storage/storageaccounts": ("Storage", 100.0),
    "microsoft.network/publicipaddresses": ("Virtual Network", 4.0),
    "microsoft.network/privateendpoints": ("Virtual Network", 7.5),
    "microsoft.operationalinsights/workspaces": ("Log Analytics", 90.0),
    "microsoft.insights/components": ("Application Insights", 10.0),
    "microsoft.keyvault/vaults": ("Key Vault", 5.0),
    "microsoft.containerregistry/registries": ("Container Registry", 50.0),
}
VM_MONTHLY_USD = {"standard_d2s_v3": 100.0, "standard_d4s_v3": 200.0}
VM_DEFAULT_USD = 150.0


def _as_of(engine) -> datetime.date:
    stated = engine.store.config.get("cost_as_of")
    return datetime.date.fromisoformat(stated) if stated else datetime.datetime.now(datetime.timezone.utc).date()


def _derived_rows(engine) -> list:
    as_of = _as_of(engine)
    share = as_of.day / calendar.monthrange(as_of.year, as_of.month)[1]
    rows = []
    for rec in engine.store.resources.values():
        rtype = rec["type"].lower()
        body = rec["body"]
        group = rec["id"].split("/")[4] if rec["id"].lower().startswith("/subscriptions/") and "/resourcegroups/" in rec["id"].lower() else ""
        if rtype == "microsoft.containerservice/managedclusters/agentpools":
            props = body.get("properties") or {}
            monthly = (props.get("count") or 0) * VM_MONTHLY_USD.get(str(props.get("vmSize", "")).lower(), VM_DEFAULT_USD)
            cluster = engine.store.get(rec["parent"]) if rec.get("parent") else None
            nodes = get_path(cluster["body"], "properties.nodeResourceGroup", group) if cluster else group
            vmss = aks_pool_vmss_id(engine.subscription, nodes, body.get("name"))
            rows.append({"resourceType": "microsoft.compute/virtualmachinescalesets", "meterCategory": "Virtual Machines",
                         "resourceId": vmss.lower(), "resourceGroup": nodes, "cost": monthly * share})
        elif rtype in MONTHLY_USD:
            meter, monthly = MONTHLY_USD[rtype]
            rows.append({"resourceType": rtype, "meterCategory": meter, "resourceId": rec["id"].lower(),
                         "resourceGroup": group, "cost": monthly * share})
    return rows


def _check(body: dict) -> tuple:
    """The query's cost column and grouping dimensions; Azure's refusals of a bad definition."""
    if body.get("type") not in QUERY_TYPES:
        raise ApiError(400, "BadRequest", f"Invalid query type '{body.get('type')}'. Valid values are {', '.join(QUERY_TYPES)}.")
    if body.get("timeframe") not in TIMEFRAMES:
        raise ApiError(400, "BadRequest", f"Invalid timeframe '{body.get('timeframe')}'.")
    if body["timeframe"] == "Custom" and not (get_path(body, "timePeriod.from") and get_path(body, "timePeriod.to")):
        raise ApiError(400, "BadRequest", "timePeriod with from and to is required for the Custom timeframe.")
    dataset = body.get("dataset")
    if not isinstance(dataset, dict):
        raise ApiError(400, "BadRequest", "The dataset of the query is required.")
    aggregation = dataset.get("aggregation") or {}
    column = next((a.get("name") for a in aggregation.values() if isinstance(a, dict)), "Cost")
    groupings = dataset.get("grouping") or []
    if len(groupings) > MAX_GROUPINGS:
        raise ApiError(400, "BadRequest", f"Grouping by more than {MAX_GROUPINGS} dimensions is not supported.")
    dims = []
    for grouping in groupings:
        name = DIMENSIONS.get(str(grouping.get("name", "")).lower())
        if grouping.get("type") != "Dimension" or name is None:
            raise ApiError(400, "BadRequest", f"Invalid dimension '{grouping.get('name')}' in grouping.")
        dims.append(name)
    return column, dims


def _matches(row: dict, flt: dict | None) -> bool:
    """A QueryFilter: ``dimensions`` with operator In, or ``and`` of such filters."""
    if not flt:
        return True
    if "and" in flt:
        return all(_matches(row, f) for f in flt["and"])
    dims = flt.get("dimensions")
    if not dims or dims.get("operator") != "In" or str(dims.get("name", "")).lower() not in DIMENSIONS:
        raise ApiError(400, "BadRequest", "The sandbox answers filters of dimensions with operator In (and 'and' of them).")
    value = _value(row, DIMENSIONS[dims["name"].lower()]).lower()
    return value in [str(v).lower() for v in dims.get("values") or []]


def _value(row: dict, dim: str) -> str:
    return {"ResourceType": row.get("resourceType"), "MeterCategory": row.get("meterCategory"),
            "ResourceId": row.get("resourceId"), "ResourceGroup": row.get("resourceGroup"),
            "ResourceGroupName": row.get("resourceGroup")}[dim] or ""


def query(engine, t, req) -> Response:
    """The costs of the scope, aggregated by the query's dimensions."""
    body = req.json() or {}
    column, dims = _check(body)
    seeded = engine.store.state.get("costs")
    scope = t.rid.lower()
    rows = [r for r in (seeded if seeded is not None else _derived_rows(engine))
            if (not r.get("resourceId") or str(r["resourceId"]).lower().startswith(scope))
            and _matches(r, (body.get("dataset") or {}).get("filter"))]
    totals = {}
    for row in rows:
        key = tuple(_value(row, d) for d in dims)
        totals[key] = totals.get(key, 0.0) + float(row.get("cost", 0))
    columns = [{"name": column, "type": "Number"}] + [{"name": d, "type": "String"} for d in dims] \
        + [{"name": "Currency", "type": "String"}]
    name = "00000000-0000-0000-0000-%012d" % (len(totals))
    return Response(200, {"id": f"{t.rid}/providers/Microsoft.CostManagement/query/{name}", "name": name,
                          "type": "Microsoft.CostManagement/query",
                          "properties": {"nextLink": None, "columns": columns,
                                         "rows": [[round(v, 6)] + list(k) + ["USD"] for k, v in sorted(totals.items())]}})


def seed(engine, body: dict) -> dict:
    """Control API: the month-to-date cost rows to answer with (None: derive them again)."""
    rows = body.get("rows")
    if rows is not None and not all(isinstance(r, dict) and isinstance(r.get("cost"), (int, float)) for r in rows):
        raise ApiError(400, "InvalidSeed", "Each cost row needs a numeric 'cost'.")
    engine.store.state["costs"] = rows
    engine.store.mark_dirty()
    return {"rows": rows}
