"""High-availability failover of a PostgreSQL flexible server: ``POST .../restart`` with ``restartWithFailover``.

Shapes from Microsoft.DBforPostgreSQL 2025-08-01 (``ServersRestartWithFailover.json``: body
``{"restartWithFailover": true, "failoverMode": "ForcedFailover"}``; 202 with ``Location`` and
``Azure-AsyncOperation``, no body). Behaviour from Microsoft Learn "High availability in Azure Database for
PostgreSQL flexible server": while it runs the server reads ``state: Restarting`` and
``highAvailability.state: FailingOver``; at the end the standby serves, so ``availabilityZone`` and
``highAvailability.standbyAvailabilityZone`` swap, the server is ``Ready`` and the standby ``Healthy``; the
sessions on the old primary end (clients connect again to the same host name). A failover that fails leaves the
server on its primary (zones unchanged).

Refused before anything starts (no operation): a server without HA, or whose standby is not ``Healthy``, or a
server that is not ``Ready``. Codes and wording: ``ServerIsNotReady`` is Azure's (seen in Azure's answers to a
restart of an Updating server), but Azure gives it in the operation's status after accepting the request, where the
sandbox refuses the request itself; the HA ones are **not confirmed**.

Durations (before ``lro_scale``): planned 120 s, forced 90 s (Learn: a failover usually completes within 60-120 s;
a planned one first lets the primary finish writing). Config ``durations`` keys ``failover:planned`` and
``failover:forced`` override them; faults ``lro_failure`` (ends ``Failed``) and ``slow_lro`` (exact seconds) on the
restart's POST.
"""

from . import backing
from .messages import ApiError, Response
from .util import set_path

MODES = {"plannedfailover": ("planned", 120.0), "forcedfailover": ("forced", 90.0)}
# The switchover modes exist in the API for read replicas' promotion (FailoverMode); a restart refuses them.
KNOWN_MODES = ("PlannedFailover", "ForcedFailover", "PlannedSwitchover", "ForcedSwitchover")


def requested(req) -> bool:
    """Whether a restart request asks for a failover (``restartWithFailover: true``)."""
    body = req.json()
    return isinstance(body, dict) and body.get("restartWithFailover") is True


def start(engine, t, req) -> Response:
    body = req.json()
    mode = str(body.get("failoverMode") or "PlannedFailover")
    if mode.lower() not in MODES:
        raise ApiError(400, "InvalidParameterValue",
                       f"Invalid value given for parameter failoverMode. Specify a valid parameter value: one of "
                       f"{', '.join(KNOWN_MODES[:2])} for a restart with failover (got '{mode}').")
    rec = engine.store.get(t.rid)
    engine.check_conflicts(t, {}, rec)
    props = rec["body"].setdefault("properties", {})
    ha = props.get("highAvailability") or {}
    if str(props.get("state", "")).lower() != "ready":
        raise ApiError(400, "ServerIsNotReady", "Restart or Stop Server can only be performed on Started servers. "
                       f"Sever Name = {t.name}, Current Server State = {props.get('state')}")
    if str(ha.get("mode", "Disabled")).lower() == "disabled":
        raise ApiError(400, "HANotEnabledForServer",
                       f"Restart with failover is only supported on servers with high availability enabled. Server '{t.name}'.")
    if str(ha.get("state", "")).lower() != "healthy":
        raise ApiError(409, "StandbyNotHealthy",
                       f"Failover is not possible while the standby of server '{t.name}' is {ha.get('state')}.")
    name, default = MODES[mode.lower()]
    duration = float((engine.store.config.get("durations") or {}).get("failover:" + name, default))
    props["state"] = "Restarting"
    ha["state"] = "FailingOver"
    props["provisioningState"] = "Updating"
    op = engine.ops.start(kind="action", resource_id=rec["id"], namespace=t.namespace, location=engine.location_of(t),
                          duration=duration, api_version=req.api_version, fail=getattr(req, "lro_fail", None),
                          params={"action": "pg_failover", "mode": mode}, seconds=getattr(req, "lro_seconds", None))
    return Response(202, None, engine.op_headers(op, location=True))


def complete(engine, op, rec) -> None:
    """The standby serves (zones swapped) when the operation succeeded; the old primary keeps serving when it failed."""
    props = rec["body"].setdefault("properties", {})
    ha = props.setdefault("highAvailability", {})
    if op["status"] == "Succeeded":
        primary, standby = props.get("availabilityZone"), ha.get("standbyAvailabilityZone")
        props["availabilityZone"], ha["standbyAvailabilityZone"] = standby, primary
        try:
            backing.failed_over(engine, rec["id"])
        except backing.BackingError as exc:  # Azure's failover does not depend on the sessions ending
            print(f"sandbox: {exc}", flush=True)
    props["state"] = "Ready"
    set_path(rec["body"], "properties.highAvailability.state", "Healthy")
