"""Long-running operations, as ARMPolling (azure-mgmt-core) consumes them.

An operation is a record with a start time and a simulated duration
(resource type's real duration x ``lro_scale``).  Nothing runs in the
background: ``tick()`` is called on every request and completes the
operations that are due, so state is deterministic and persistable.

The initial response carries ``Azure-AsyncOperation`` (status resource,
``{"status": "InProgress" | "Succeeded" | "Failed"}``) and for 202s a
``Location`` (202 until done, then 200 with the result or 204).  Both are
absolute URLs.  ``retry-after-ms`` tells the poller to come back exactly
when the operation is due (``Retry-After: 0`` would make it wait 30 s).
"""

import time
import uuid

from .util import now_iso

MAX_RETRY_MS = 5000


class Operations:
    def __init__(self, store, complete):
        """``complete(op)`` applies the operation's effect (arm.Engine)."""
        self.store = store
        self._complete = complete

    @property
    def ops(self) -> dict:
        return self.store.state["operations"]

    def start(self, *, kind, resource_id, namespace, location, duration, api_version,
              fail=None, result=None, params=None, seconds=None) -> dict:
        """Record an operation due after ``duration`` x lro_scale (or exactly ``seconds``, unscaled)."""
        scale = float(self.store.config.get("lro_scale", 0.001))
        now = time.time()
        op = {
            "id": str(uuid.uuid4()),
            "kind": kind,  # put | delete | action
            "resource_id": resource_id,
            "namespace": namespace,
            "location": location or "global",
            "api_version": api_version,
            "start": now,
            "end": now + max(0.0, duration * scale if seconds is None else seconds),
            "status": "InProgress",
            "fail": fail,  # {"code", "message"} to end in Failed
            "result": result,
            "params": params or {},
        }
        self.ops[op["id"]] = op
        self.store.mark_dirty()
        return op

    def tick(self) -> None:
        now = time.time()
        for op in sorted(self.ops.values(), key=lambda o: o["end"]):
            if op["status"] == "InProgress" and op["end"] <= now:
                op["status"] = "Failed" if op["fail"] else "Succeeded"
                op["completed"] = now
                self._complete(op)
                self.store.mark_dirty()

    def log(self) -> list:
        """Every operation in start order, with its interval: what a benchmark or test needs to see overlap.

        ``end`` is when Azure would be done (start + scaled duration); ``completed`` when the sandbox
        applied it (the first request after ``end``).
        """
        keys = ("id", "kind", "resource_id", "status", "start", "end", "completed")
        return [{k: op.get(k) for k in keys} for op in sorted(self.ops.values(), key=lambda o: o["start"])]

    def running_on(self, resource_id: str) -> dict | None:
        key = resource_id.lower()
        for op in self.ops.values():
            if op["status"] == "InProgress" and op["resource_id"].lower() == key:
                return op
        return None

    def urls(self, op: dict, base: str, subscription: str) -> tuple:
        prefix = f"{base}/subscriptions/{subscription}/providers/{op['namespace']}/locations/{op['location']}"
        q = f"?api-version={op['api_version']}"
        return f"{prefix}/operations/{op['id']}{q}", f"{prefix}/operationResults/{op['id']}{q}"

    def headers(self, op: dict, base: str, subscription: str, location: bool) -> dict:
        async_url, location_url = self.urls(op, base, subscription)
        headers = {"Azure-AsyncOperation": async_url, "retry-after-ms": str(self.retry_ms(op))}
        if location:
            headers["Location"] = location_url
        return headers

    @staticmethod
    def retry_ms(op: dict) -> int:
        remaining = (op["end"] - time.time()) * 1000
        return int(min(MAX_RETRY_MS, max(1, remaining + 1)))

    def status_body(self, op: dict) -> dict:
        body = {"id": op["id"], "name": op["id"], "status": op["status"], "startTime": now_iso(op["start"])}
        if op["status"] != "InProgress":
            body["endTime"] = now_iso(op["end"])
        if op["status"] == "Failed":
            body["error"] = op["fail"]
        return body
