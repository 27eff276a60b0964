"""Python client for a running sandbox: control API plus ready-made SDK kwargs.

    sb = SandboxClient("/tmp/sandbox-state")      # or an endpoints dict
    client = NetworkManagementClient(sb.credential(), sb.subscription_id, **sb.mgmt_kwargs())
"""

import json
import os

import requests

from .__main__ import ansible_env


class SandboxClient:
    def __init__(self, state_dir_or_endpoints):
        if isinstance(state_dir_or_endpoints, dict):
            self.endpoints = dict(state_dir_or_endpoints)
        else:
            with open(os.path.join(state_dir_or_endpoints, "endpoints.json")) as f:
                self.endpoints = json.load(f)
        self.session = requests.Session()

    @property
    def _verify(self) -> str:
        # per request: a session-level verify loses to $REQUESTS_CA_BUNDLE in requests
        return self.endpoints["ca_file"]

    # -- identities -----------------------------------------------------------------
    @property
    def subscription_id(self) -> str:
        return self.endpoints["subscription_id"]

    @property
    def tenant_id(self) -> str:
        return self.endpoints["tenant_id"]

    @property
    def arm(self) -> str:
        return self.endpoints["arm"]

    def credential(self):
        from azure.identity import ClientSecretCredential

        ep = self.endpoints
        return ClientSecretCredential(ep["tenant_id"], ep["client_id"], ep["client_secret"], authority=ep["arm"],
                                      disable_instance_discovery=True, connection_verify=ep["ca_file"])

    def mgmt_kwargs(self) -> dict:
        """Keyword arguments for any azure-mgmt-* client constructor."""
        return {"base_url": self.arm, "credential_scopes": ["https://management.azure.com/.default"],
                "connection_verify": self.endpoints["ca_file"], "polling_interval": 0}

    def data_plane_kwargs(self) -> dict:
        """Keyword arguments for SecretClient/CertificateClient on a sandbox vault."""
        return {"verify_challenge_resource": False, "connection_verify": self.endpoints["ca_file"]}

    def ansible_env(self) -> dict:
        return ansible_env(self.endpoints)

    # -- control API ---------------------------------------------------------------------
    def _call(self, method: str, route: str, body=None, **params):
        resp = self.session.request(method, f"{self.endpoints['control']}/{route}", json=body, params=params or None,
                                    verify=self._verify)
        if resp.status_code >= 400:
            raise RuntimeError(f"sandbox control {method} {route}: {resp.status_code} {resp.text}")
        return resp.json() if resp.content else None

    def reset(self) -> None:
        self._call("POST", "reset")

    def snapshot(self) -> dict:
        return self._call("GET", "snapshot")

    def restore(self, state: dict) -> None:
        self._call("POST", "restore", state)

    def seed(self, resources: list) -> list:
        return self._call("POST", "seed", resources)["value"]

    def get(self, resource_id: str) -> dict:
        return self._call("GET", "resource", id=resource_id)

    def drift(self, resource_id: str, patch: dict | None = None, *, replace: dict | None = None, delete: bool = False):
        """Change a resource behind the client's back (merge patch, replace or delete)."""
        if delete:
            return self.session.delete(f"{self.endpoints['control']}/resource", params={"id": resource_id},
                                       verify=self._verify).status_code == 200
        if replace is not None:
            return self._call("PUT", "resource", replace, id=resource_id)
        return self._call("PATCH", "resource", patch or {}, id=resource_id)

    def fault(self, kind: str, *, method: str | None = None, path_contains: str | None = None, count: int = 1, **extra) -> dict:
        match = {k: v for k, v in (("method", method), ("path_contains", path_contains)) if v}
        return self._call("POST", "faults", {"match": match, "count": count, "kind": kind, **extra})["value"][0]

    def hold(self, resource_id: str, state: str, seconds: float) -> dict:
        """Keep a resource in provisioning state ``state`` for ``seconds`` (an operation in progress), then Succeeded."""
        return self._call("POST", "hold", {"id": resource_id, "state": state, "seconds": seconds})

    def tokens_issued(self) -> int:
        return self.counters()["tokens_issued"]

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def requests(self) -> list:
        return self._call("GET", "requests")["value"]

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def operations(self) -> list:
        """The long-running operations clients started, in start order, each with its interval (lro.Operations.log)."""
        return self._call("GET", "operations")["value"]

    def counters(self) -> dict:
        return self._call("GET", "counters")

    def writes_count(self) -> int:
        return self.counters()["writes"]

    def bind_postgres(self, server_id: str, host: str, port: int, user: str, password: str,
                      database: str = "postgres") -> dict:
        """Back a PostgreSQL flexible server with a real server (superuser login): ARM admin password changes reach it."""
        return self._call("POST", "backing", {"id": server_id, "postgres": {
            "host": host, "port": port, "user": user, "password": password, "database": database}})

    def bind_redis(self, cache_id: str, host: str, port: int, username: str, password: str) -> dict:
        """Back a Redis cache with a real Redis (an admin ACL login): its access keys ARE the default user's passwords."""
        return self._call("POST", "backing", {"id": cache_id, "redis": {
            "host": host, "port": port, "username": username, "password": password}})

    def backings(self) -> list:
        return self._call("GET", "backing")["value"]

    def config(self, **changes) -> dict:
        return self._call("PUT", "config", changes) if changes else self._call("GET", "config")

    def seed_costs(self, rows: list | None) -> dict:
        """Month-to-date cost rows the Cost Management query answers with ({resourceType, meterCategory, cost, ...});
        None derives them from the resources again."""
        return self._call("POST", "costs", {"rows": rows})

    def seed_security_alerts(self, alerts: list) -> list:
        """Defender for Cloud alerts ({properties: {severity, status, ...}, location, resourceGroup})."""
        return self._call("POST", "security_alerts", alerts)["value"]

    # -- Azure Monitor data the daily checks read (the sandbox runs no KQL: see monitor.py) -------------------
    def seed_metric(self, resource_id: str, metric: str, data: list, *, unit: str | None = None,
                    dimensions: dict | None = None, series: list | None = None) -> dict:
        """What `metric` of a resource measured: data points ({average, maximum, ...}), latest last."""
        body = {"id": resource_id, "metric": metric, "unit": unit}
        body.update({"series": series} if series is not None else {"data": data, "dimensions": dimensions or {}})
        return self._call("POST", "monitor/metrics", body)

    def seed_query(self, scope: str, query: str, tables: list) -> dict:
        """The tables (name, columns [{name, type}], rows) a Log Analytics query answers, by its exact text."""
        return self._call("POST", "monitor/logs", {"scope": scope, "query": query, "tables": tables})

    def seed_health(self, resource_id: str, availability_state: str, summary: str | None = None,
                    reason_type: str | None = None) -> dict:
        """A resource's Resource Health availability (Available, Unavailable, Degraded, Unknown)."""
        body = {"id": resource_id, "availabilityState": availability_state}
        body.update({k: v for k, v in (("summary", summary), ("reasonType", reason_type)) if v is not None})
        return self._call("POST", "monitor/health", body)

    def graph_objects(self, collection: str) -> list:
        """The Graph directory's applications or servicePrincipals, as stored."""
        return self._call("GET", f"graph/{collection}")["value"]

    def seed_graph(self, collection: str, body: dict) -> dict:
        """Create a Graph object as someone outside the collection would (an application needs displayName)."""
        return self._call("POST", f"graph/{collection}", body)

    def drift_graph(self, collection: str, object_id: str, patch: dict | None = None, *, delete: bool = False):
        """Change (top-level fields replaced) or delete a Graph object behind the collection's back."""
        return self._call("DELETE" if delete else "PATCH", f"graph/{collection}/{object_id}", None if delete else patch)
