"""Microsoft Defender for Cloud alerts: ``GET /subscriptions/{s}/providers/Microsoft.Security/alerts``
and ``.../locations/{location}/alerts`` (api-version 2022-01-01).

Shape of GetAlertsSubscription_example.json (Azure/azure-rest-api-specs,
Microsoft.Security 2022-01-01): ``id`` under
``[resourceGroups/{rg}/]providers/Microsoft.Security/locations/{location}/alerts/{name}``,
``type: Microsoft.Security/Locations/alerts``, ``properties`` with
``alertType``, ``alertDisplayName``, ``severity`` (Informational, Low,
Medium, High), ``status`` (Active, InProgress, Resolved, Dismissed),
``compromisedEntity``, ``timeGeneratedUtc``, ``resourceIdentifiers`` ...
Defender raises alerts itself, so they are seeded through the control API
(``POST /_sandbox/security_alerts``); clients only read them.
"""

import uuid

from .messages import ApiError
from .util import now_iso

SEVERITIES = ("Informational", "Low", "Medium", "High")
STATUSES = ("Active", "InProgress", "Resolved", "Dismissed")


def seed(engine, items: list) -> list:
    """Control API: add alerts, completing each as Defender fills it; the stored documents."""
    added = []
    for item in items:
        props = dict(item.get("properties") or {})
        if props.get("severity") not in SEVERITIES or props.get("status", "Active") not in STATUSES:
            raise ApiError(400, "InvalidSeed", f"An alert needs properties.severity in {SEVERITIES} and a status in {STATUSES}.")
        location = item.get("location", "koreacentral")
        name = item.get("name") or f"2517{uuid.uuid4().int % 10**15:015d}_{uuid.uuid4()}".upper()
        group = item.get("resourceGroup")
        scope = f"/subscriptions/{engine.subscription}" + (f"/resourceGroups/{group}" if group else "")
        now = now_iso()
        props.setdefault("status", "Active")
        props.setdefault("version", "2022-01-01")
        props.setdefault("alertType", "VM_EICAR")
        props.setdefault("systemAlertId", name)
        props.setdefault("alertDisplayName", "Azure Security Center test alert (not a threat)")
        props.setdefault("startTimeUtc", now)
        props.setdefault("endTimeUtc", now)
        props.setdefault("timeGeneratedUtc", now)
        props.setdefault("processingEndTimeUtc", now)
        props.setdefault("vendorName", "Microsoft")
        props.setdefault("productName", "Microsoft Defender for Cloud")
        props.setdefault("resourceIdentifiers", [])
        props.setdefault("remediationSteps", [])
        alert = {"id": f"{scope}/providers/Microsoft.Security/locations/{location}/alerts/{name}", "name": name,
                 "type": "Microsoft.Security/Locations/alerts", "properties": props}
        engine.store.state.setdefault("security_alerts", []).append(alert)
        added.append(alert)
    engine.store.mark_dirty()
    return added


def listing(engine, t, req, location: str | None = None):
    """The alerts of the subscription (or one location), as the list operations return them."""
    alerts = engine.store.state.get("security_alerts") or []
    if location:
        alerts = [a for a in alerts if f"/locations/{location.lower()}/" in a["id"].lower()]
    return engine.list_response(req, alerts, rendered=True)
