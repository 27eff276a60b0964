"""Control API under ``/_sandbox/`` (no auth, JSON), for tests and scripts.

Changes made here are not client traffic: they are neither logged nor
counted, so a test can drift a resource and then assert exactly what the
collection did about it.
"""

from . import backing, costs, defender, monitor
from .messages import ApiError, Response
from .util import set_path


class Control:
    def __init__(self, sandbox):
        self.sb = sandbox

    def handle(self, req) -> Response:
        sb = self.sb
        route = req.path[len("/_sandbox"):].strip("/").lower()
        m = req.method
        if route == "health" and m == "GET":
            return Response(200, {"ok": True})
        if route == "reset" and m == "POST":
            sb.reset()
            return Response(200, {"ok": True})
        if route == "snapshot" and m == "GET":
            return Response(200, sb.store.snapshot())
        if route == "restore" and m == "POST":
            sb.restore(req.json() or {})
            return Response(200, {"ok": True})
        if route == "seed" and m == "POST":
            items = req.json() or []
            if isinstance(items, dict):
                items = items.get("resources", [items])
            out = []
            for item in items:
                if not isinstance(item, dict) or not item.get("id"):
                    raise ApiError(400, "InvalidSeed", "Each seeded resource needs an 'id'.")
                out.append(sb.engine.drift_put(item["id"], item, seed=True))
            return Response(200, {"value": out})
        if route == "resource":
            rid = req.query.get("id")
            if not rid:
                raise ApiError(400, "MissingId", "Query parameter 'id' is required.")
            if m == "GET":
                with sb.store.lock:
                    t = sb.engine.parse(rid)
                    return Response(200, sb.engine.render(sb.engine.require(t)))
            if m == "PUT":
                return Response(200, sb.engine.drift_put(rid, req.json() or {}))
            if m == "PATCH":
                return Response(200, sb.engine.drift_patch(rid, req.json() or {}))
            if m == "DELETE":
                return Response(200 if sb.engine.drift_delete(rid) else 404)
        if route == "faults":
            if m == "POST":
                body = req.json() or {}
                rules = body if isinstance(body, list) else [body]
                return Response(200, {"value": [sb.faults.add(r) for r in rules]})
            if m == "GET":
                return Response(200, {"value": sb.faults.rules})
            if m == "DELETE":
                sb.faults.clear()
                return Response(200, {"ok": True})
        if route == "requests":
            if m == "GET":
                return Response(200, {"value": sb.traffic.log()})
            if m == "DELETE":
                sb.traffic.clear()
                return Response(200, {"ok": True})
        if route == "operations" and m == "GET":
            with sb.store.lock:
                return Response(200, {"value": sb.engine.ops.log()})
        if route == "counters" and m == "GET":
            return Response(200, {**sb.traffic.counters(), "tokens_issued": len(sb.authority.issued)})
        if route == "hold" and m == "POST":
            return Response(200, self.hold(req.json() or {}))
        if route == "config":
            if m in ("PUT", "PATCH"):
                with sb.store.lock:
                    sb.store.config.update(req.json() or {})
                    sb.store.mark_dirty()
            if m in ("GET", "PUT", "PATCH"):
                return Response(200, sb.store.config)
        if route == "backing":
            if m == "POST":
                with sb.store.lock:
                    return Response(200, backing.bind(sb.engine, req.json() or {}))
            if m == "GET":
                with sb.store.lock:
                    return Response(200, {"value": backing.listing(sb.engine)})
        if route == "costs" and m == "POST":
            with sb.store.lock:
                return Response(200, costs.seed(sb.engine, req.json() or {}))
        if route == "security_alerts":
            with sb.store.lock:
                if m == "POST":
                    body = req.json() or []
                    return Response(200, {"value": defender.seed(sb.engine, body if isinstance(body, list) else [body])})
                if m == "GET":
                    return Response(200, {"value": sb.store.state.get("security_alerts") or []})
        if route.startswith("monitor/") and m == "POST" and route[len("monitor/"):] in monitor.SEEDERS:
            with sb.store.lock:
                return Response(200, monitor.SEEDERS[route[len("monitor/"):]](sb.engine, req.json() or {}))
        if route == "endpoints" and m == "GET":
            return Response(200, sb.endpoints())
        if route == "graph" or route.startswith("graph/"):
            return sb.directory.control(m, req.path[len("/_sandbox/graph"):], req.json())
        raise ApiError(404, "NotFound", f"No control route '{req.method} {req.path}'.")

    def hold(self, body: dict) -> dict:
        """Put a resource in provisioning state ``state`` for ``seconds``, as an operation Azure runs on it.

        Meanwhile client writes get 409 AnotherOperationInProgress; then it is Succeeded.
        Any state can be held, including ones Azure has not invented yet.
        """
        if not body.get("id") or not body.get("state"):
            raise ApiError(400, "InvalidHold", "'id' and 'state' are required.")
        engine = self.sb.engine
        with engine.store.lock:
            t = engine.parse(body["id"])
            rec = engine.require(t)
            set_path(rec["body"], "properties.provisioningState", body["state"])
            engine.ops.start(kind="action", resource_id=rec["id"], namespace=t.namespace or "Microsoft.Resources",
                             location=engine.location_of(t), duration=0, api_version=None, params={"action": "hold"},
                             seconds=float(body.get("seconds", 1)))
            engine.store.mark_dirty()
            return engine.render(rec)
