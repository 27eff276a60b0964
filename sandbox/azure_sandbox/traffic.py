"""Log and counters of client traffic (ARM and Key Vault), so tests can
assert what a playbook did: e.g. a second, idempotent run makes no writes.
Control-API calls and token requests are not client resource traffic.
"""

import threading
import time
from collections import Counter


class Traffic:
    def __init__(self):
        self._lock = threading.Lock()
        self.entries: list = []

    def record(self, req, status: int, plane: str) -> None:
        entry = {
            "time": time.time(),
            "plane": plane,
            "method": req.method,
            "path": req.path,
            "api_version": req.api_version,
            "status": status,
            "resource_type": getattr(req, "resource_type", None),
            # a 401 is the bearer challenge preceding the real call: never a write
            "write": status != 401 and bool(getattr(req, "is_write", req.method not in ("GET", "HEAD"))),
        }
        with self._lock:
            self.entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self.entries.clear()

    def log(self) -> list:
        with self._lock:
            return list(self.entries)

    def counters(self) -> dict:
        entries = self.log()
        by_type: dict = {}
        for e in entries:
            slot = by_type.setdefault(e["resource_type"] or "", {"reads": 0, "writes": 0})
            slot["writes" if e["write"] else "reads"] += 1
        return {
            "total": len(entries),
            "writes": sum(e["write"] for e in entries),
            "reads": sum(not e["write"] for e in entries),
            "by_method": dict(Counter(e["method"] for e in entries)),
            "by_type": by_type,
            "by_method_type": dict(Counter(f"{e['method']} {e['resource_type']}" for e in entries)),
        }
