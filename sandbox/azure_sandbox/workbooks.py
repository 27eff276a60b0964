"""Azure Monitor workbooks (Microsoft.Insights/workbooks, API 2023-06-01) as Azure serves them.

Shapes from Azure/azure-rest-api-specs ``specification/applicationinsights/
resource-manager/Microsoft.Insights/stable/2023-06-01`` (workbooks_API.json,
examples WorkbookGet.json, WorkbookManagedAdd.json, WorkbooksList.json):

* the name is a GUID; ``kind`` is ``shared`` (the only value the API takes);
  ``properties.displayName``, ``category`` and ``serializedData`` are required,
  and ``serializedData`` is a string holding JSON;
* the service adds ``userId``, ``timeModified`` and a new ``revision`` on every
  write (read-only), and answers ``storageUri``/``description`` as null when
  not set;
* ``Workbooks_ListByResourceGroup``/``_ListBySubscription`` require the
  ``category`` query parameter, filter by it and by ``sourceId``, and return
  the content (``serializedData``) only with ``canFetchContent=true``.
"""

import json
import re
import uuid

from .messages import ApiError, Response
from .util import get_path, now_iso

WORKBOOK = "Microsoft.Insights/workbooks"
KINDS = ("shared",)
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def _bad(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def check_put(engine, t, body: dict) -> None:
    """What Azure refuses before storing a workbook."""
    if not GUID.match(t.name):
        raise _bad(f"The workbook resource name '{t.name}' is invalid: it must be a GUID.")
    if not body.get("location"):
        raise ApiError(400, "LocationRequired", "The location property is required for this definition.")
    if str(body.get("kind") or "").lower() not in KINDS:
        raise _bad(f"The workbook kind '{body.get('kind')}' is not valid. The only valid value is 'shared'.")
    props = body.get("properties") or {}
    missing = [k for k in ("displayName", "category", "serializedData") if not props.get(k)]
    if missing:
        raise _bad(f"The workbook is missing the required properties: {', '.join(missing)}.")
    try:
        json.loads(props["serializedData"])
    except (TypeError, ValueError):
        raise _bad("The workbook's serializedData is not valid JSON.") from None


def fill(ctx) -> None:
    """The read-only fields Azure sets on every write, and the nullable ones it shows as null."""
    ctx.props["userId"] = ctx.engine.identity["client_id"]
    ctx.props["timeModified"] = now_iso()
    ctx.props["revision"] = uuid.uuid4().hex
    for key in ("storageUri", "description"):
        ctx.props.setdefault(key, None)


def listing(engine, t, req) -> Response:
    """Workbooks of a resource group or subscription, by category (required) and source, summaries by default."""
    category = req.query.get("category")
    if not category:
        raise ApiError(400, "BadRequest", "The category query parameter is required.")
    source = (req.query.get("sourceid") or "").lower().rstrip("/")
    content = str(req.query.get("canfetchcontent") or "").lower() == "true"
    if t.parent.lower().count("/") <= 2:
        recs = engine.store.find(WORKBOOK, prefix=t.parent)
    else:
        recs = engine.store.find(WORKBOOK, parent=t.parent)
    found = []
    for rec in recs:
        props = rec["body"].get("properties") or {}
        if str(props.get("category", "")).lower() != category.lower():
            continue
        if source and str(get_path(rec["body"], "properties.sourceId", "")).lower().rstrip("/") != source:
            continue
        body = engine.render(rec)
        if not content:
            body["properties"].pop("serializedData", None)
        found.append(body)
    return engine.list_response(req, found, rendered=True)
