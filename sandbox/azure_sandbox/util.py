"""Small helpers shared by the sandbox modules."""

import json
import os
import re
import tempfile
import time
import uuid
from datetime import datetime, timezone


def atomic_write(path: str, data: bytes | str, mode: int = 0o644) -> None:
    """Write ``path`` so that readers never observe a partial file."""
    if isinstance(data, str):
        data = data.encode()
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_json(path: str, obj) -> None:
    atomic_write(path, json.dumps(obj, indent=1, sort_keys=True))


def parse_time(text) -> datetime | None:
    """An aware datetime from ARM's ISO 8601 text (up to 7 fractional digits), or None."""
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"(\.\d{6})\d+", r"\1", text.strip().replace("Z", "+00:00"))
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def now_iso(ts: float | None = None) -> str:
    """ARM timestamp format (UTC, 7 fractional digits like Azure)."""
    dt = datetime.fromtimestamp(time.time() if ts is None else ts, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def new_guid() -> str:
    return str(uuid.uuid4())


def aks_pool_vmss_id(subscription: str, node_group: str, pool: str) -> str:
    """The scale set an AKS node pool runs on, in the cluster's node resource group (costs and Compute's refusals name it)."""
    return (f"/subscriptions/{subscription}/resourceGroups/{node_group}"
            f"/providers/Microsoft.Compute/virtualMachineScaleSets/aks-{pool}-vmss")


def normalize_location(location):
    """'Korea Central' -> 'koreacentral', as ARM echoes locations."""
    if not isinstance(location, str):
        return location
    return location.replace(" ", "").lower()


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch (ARM PATCH semantics)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def get_path(obj: dict, dotted: str, default=None):
    cur = obj
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return default
        cur = cur[part]
    return cur


def set_path(obj: dict, dotted: str, value) -> None:
    parts = dotted.split(".")
    cur = obj
    for part in parts[:-1]:
        if not isinstance(cur.get(part), dict):
            cur[part] = {}
        cur = cur[part]
    cur[parts[-1]] = value


def setdefault_path(obj: dict, dotted: str, value):
    existing = get_path(obj, dotted)
    if existing is None:
        set_path(obj, dotted, value)
        return value
    return existing
