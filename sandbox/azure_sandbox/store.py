"""The sandbox's whole mutable state, behind one lock.

Everything a client can observe lives in ``Store.state`` (plain JSON-able
data) so that snapshot/restore and ``--persist`` are a ``json.dump`` away:

* ``resources``: lower-cased ARM id -> {"id", "type", "parent", "body"}
* ``operations``: operation id -> long-running operation record (lro.py)
* ``deleted_vaults``: soft-deleted Key Vaults by lower-cased name
* ``secrets``: per-resource generated secrets (Redis access keys, ...)
* ``kv``: Key Vault data plane contents by lower-cased vault name
* ``config``: tunables (LRO scale and durations, AKS versions, kubeconfig)
* ``backings``: resources bound to a real data plane server (backing.py)
* ``graph``: Microsoft Graph directory objects (applications, servicePrincipals) by object id (graph.py)
"""

import copy
import json
import os
import threading

from .util import atomic_write_json

DEFAULT_CONFIG = {
    "lro_scale": 0.001,
    "durations": {},  # resource type (lower) -> seconds, overrides resource_types.py
    "kubernetes_versions": ["1.31.10", "1.32.6", "1.33.2"],
    "default_kubernetes_version": "1.32.6",
    "node_image_version": "AKSUbuntu-2204gen2containerd-202507.21.0",
    "aks_kubeconfig": None,  # path of a kubeconfig file returned by listClusterUserCredential
    "page_size": 100,
}


def _empty_state(config: dict) -> dict:
    return {
        "resources": {},
        "operations": {},
        "deleted_vaults": {},
        "secrets": {},
        "kv": {},
        "config": copy.deepcopy(config),
        "backings": {},
        "monitor": {"metrics": {}, "logs": {}, "health": {}},
        "graph": {"applications": {}, "servicePrincipals": {}},
    }


class Store:
    def __init__(self, persist: str | None = None, config: dict | None = None):
        self.lock = threading.RLock()
        self.persist = persist
        self._base_config = {**DEFAULT_CONFIG, **(config or {})}
        self.state = _empty_state(self._base_config)
        self._dirty = False
        if persist and os.path.exists(persist):
            with open(persist) as f:
                self.restore(json.load(f))
            self._dirty = False

    # -- resources -------------------------------------------------------
    @property
    def resources(self) -> dict:
        return self.state["resources"]

    @property
    def config(self) -> dict:
        return self.state["config"]

    def get(self, rid: str) -> dict | None:
        return self.resources.get(rid.lower())

    def put(self, rid: str, type_name: str, parent: str, body: dict) -> dict:
        rec = {"id": rid, "type": type_name, "parent": parent.lower(), "body": body}
        self.resources[rid.lower()] = rec
        self.mark_dirty()
        return rec

    def remove_tree(self, rid: str) -> list:
        """Remove a resource and everything below its id; return removed records."""
        key = rid.lower()
        doomed = [k for k in self.resources if k == key or k.startswith(key + "/")]
        removed = [self.resources.pop(k) for k in doomed]
        if removed:
            self.mark_dirty()
        return removed

    def find(self, type_name: str | None = None, parent: str | None = None, prefix: str | None = None) -> list:
        out = []
        for key, rec in self.resources.items():
            if type_name and rec["type"].lower() != type_name.lower():
                continue
            if parent is not None and rec["parent"] != parent.lower():
                continue
            if prefix and not key.startswith(prefix.lower()):
                continue
            out.append(rec)
        return sorted(out, key=lambda r: r["id"].lower())

    # -- whole state -----------------------------------------------------
    def mark_dirty(self) -> None:
        self._dirty = True

    def snapshot(self) -> dict:
        with self.lock:
            return copy.deepcopy(self.state)

    def restore(self, state: dict) -> None:
        with self.lock:
            fresh = _empty_state(self._base_config)
            fresh.update(copy.deepcopy(state))
            fresh["config"] = {**self._base_config, **fresh.get("config", {})}
            self.state = fresh
            self.mark_dirty()

    def reset(self) -> None:
        with self.lock:
            self.state = _empty_state(self._base_config)
            self.mark_dirty()

    def save_if_dirty(self) -> None:
        with self.lock:
            if self.persist and self._dirty:
                atomic_write_json(self.persist, self.state)
            self._dirty = False
