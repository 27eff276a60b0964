"""AKS version and node image upgrades as Azure runs them.

A PUT that changes a cluster's ``kubernetesVersion`` or a pool's
``orchestratorVersion`` is an upgrade: the resource reads ``Upgrading`` (not
``Updating``) until it is done, and it takes as long as Azure's does. The
control plane takes about 10 minutes; a pool (version or node image) is
upgraded in batches of ``maxSurge`` extra nodes, each batch about 5 minutes
(surge node created, old node cordoned, drained and removed). Both scale by
``lro_scale`` like every duration; ``durations`` in the config overrides
``upgrade:controlplane`` and ``upgrade:batch`` (seconds, before scaling).

While an operation runs on a cluster, AKS refuses a write to its pools, and
while one runs on a pool it refuses a write to the cluster (409
``OperationNotAllowed``): Microsoft's "Operation is not allowed because
there's an in progress ... operation" error.
"""

import math

from .messages import ApiError
from .util import get_path

CLUSTER = "microsoft.containerservice/managedclusters"
POOL = "microsoft.containerservice/managedclusters/agentpools"
CONTROL_PLANE_SECONDS = 600
BATCH_SECONDS = 300
UPGRADING = ("upgrading", "upgradingnodeimageversion")


def version_field(type_lower: str) -> str | None:
    return {CLUSTER: "properties.kubernetesVersion", POOL: "properties.orchestratorVersion"}.get(type_lower)


def is_upgrade(type_lower: str, prev: dict | None, body: dict) -> bool:
    """Whether a client write changes the stated Kubernetes version of an existing cluster or pool."""
    field = version_field(type_lower)
    if not field or not prev:
        return False
    stated = get_path(body, field)
    return bool(stated) and str(stated) != str(get_path(prev, field))


def batches(pool_properties: dict) -> int:
    """How many surge batches a pool upgrade takes: nodes / maxSurge (a count or a percentage), rounded up."""
    count = int(pool_properties.get("count") or 1)
    surge = str(get_path(pool_properties, "upgradeSettings.maxSurge") or "10%")
    per_batch = math.ceil(count * int(surge[:-1]) / 100) if surge.endswith("%") else int(surge)
    return max(1, math.ceil(count / max(1, per_batch)))


def duration(engine, rec: dict) -> float | None:
    """Seconds (before lro_scale) of the upgrade running on rec, None when rec is not upgrading."""
    props = rec["body"].get("properties") or {}
    if str(props.get("provisioningState", "")).lower() not in UPGRADING:
        return None
    durations = engine.store.config.get("durations") or {}
    if rec["type"].lower() == CLUSTER:
        return float(durations.get("upgrade:controlplane", CONTROL_PLANE_SECONDS))
    return float(durations.get("upgrade:batch", BATCH_SECONDS)) * batches(props)


def check_family(engine, t) -> None:
    """409 OperationNotAllowed for a write to a pool while its cluster is busy, or to a cluster while a pool is."""
    kind = t.type_name.lower()
    if kind == POOL:
        busy = [engine.ops.running_on(t.parent)] if t.parent else []
        what = "managed cluster"
    elif kind == CLUSTER:
        busy = [engine.ops.running_on(r["id"]) for r in engine.store.find(POOL, parent=t.rid)]
        what = "agent pool"
    else:
        return
    op = next((o for o in busy if o), None)
    if op:
        raise ApiError(409, "OperationNotAllowed",
                       f"Operation is not allowed because there's an in progress {what} operation {op['id']} "
                       f"on resource '{op['resource_id'].rsplit('/', 1)[-1]}'. Please wait for it to finish.")
