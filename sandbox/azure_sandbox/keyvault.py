"""Key Vault data plane: secrets and certificates, one HTTPS listener per vault.

Each vault created through ARM gets its own port on 127.0.0.1 (same CA) and
``properties.vaultUri = https://127.0.0.1:PORT/``, so SecretClient and
CertificateClient address it exactly like a real vault.  Unauthenticated
requests get Key Vault's bearer challenge (401 + WWW-Authenticate naming the
sandbox authority); clients must pass ``verify_challenge_resource=False``
because the vault host is not under vault.azure.net.

Contents live in ``store.state["kv"][vault_name]`` so they survive soft
delete/recover of the vault and are part of snapshots.
"""

import base64
import copy
import json
import re
import threading
import time
import uuid

from . import certs
from .aad import VAULT_AUDIENCE
from .messages import ApiError, Response

RETENTION_DAYS = 90
DEFAULT_POLICY = {
    "key_props": {"exportable": True, "kty": "RSA", "key_size": 2048, "reuse_key": False},
    "secret_props": {"contentType": certs.PFX},
    "x509_props": {"subject": "CN=sandbox", "sans": {"dns_names": []}, "validity_months": 12,
                   "ekus": ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], "key_usage": ["digitalSignature", "keyEncipherment"]},
    "lifetime_actions": [{"trigger": {"lifetime_percentage": 80}, "action": {"action_type": "AutoRenew"}}],
    "issuer": {"name": "Self"},
}


def _err(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, code, message)


class SecretDisabled(ApiError):
    """403 Forbidden with Key Vault's inner code for a read of a disabled secret version."""

    def __init__(self):
        super().__init__(403, "Forbidden", "Operation get is not allowed on a disabled secret.")

    def response(self) -> Response:
        resp = super().response()
        resp.body["error"]["innererror"] = {"code": "SecretDisabled"}
        return resp


# A vault's secrets and certificates are also ARM child resources (Microsoft.KeyVault/vaults/secrets, ...), and a
# role assignment can be scoped to one of them (Microsoft Learn, "Provide access to Key Vault keys, certificates,
# and secrets with Azure role-based access control": secret scope role assignment).
OBJECT_SCOPE = re.compile(r"^(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.keyvault/vaults/([^/]+))"
                          r"/(secrets|certificates)/([^/]+)$", re.IGNORECASE)


class KeyVaultManager:
    def __init__(self, store, authority, listen, on_request):
        """``listen(app, port)`` starts an HTTPS listener (server.py);
        ``on_request(req, app)`` wraps the app with faults/logging/persistence."""
        self.store = store
        self.authority = authority
        self._listen = listen
        self._on_request = on_request
        self.listeners: dict = {}
        self._lock = threading.RLock()
        self.authority_base = ""  # ARM/AAD listener URL, named in the bearer challenge

    # -- listeners ------------------------------------------------------------
    def data(self, name: str) -> dict:
        kv = self.store.state["kv"].setdefault(name.lower(), {})
        for key in ("secrets", "deleted_secrets", "certificates", "deleted_certificates"):
            kv.setdefault(key, {})
        kv.setdefault("name", name)
        return kv

    def holds(self, scope: str) -> bool:
        """Whether scope is a secret or certificate of a live vault (an ARM scope of its own)."""
        match = OBJECT_SCOPE.match(scope)
        if not match or not self.store.get(match.group(1)):
            return False
        return match.group(4).lower() in self.data(match.group(2)).get(match.group(3).lower(), {})

    def ensure_listener(self, name: str) -> str:
        with self._lock:
            lname = name.lower()
            if lname not in self.listeners:
                kv = self.data(name)
                app = VaultApp(self, lname)
                try:
                    server = self._listen(lambda req: self._on_request(req, app), kv.get("port") or 0)
                except OSError:
                    server = self._listen(lambda req: self._on_request(req, app), 0)
                kv["port"] = server.server_address[1]
                self.store.mark_dirty()
                self.listeners[lname] = server
            return f"https://127.0.0.1:{self.listeners[lname].server_address[1]}/"

    def stop_listener(self, name: str) -> None:
        with self._lock:
            server = self.listeners.pop(name.lower(), None)
        if server:
            threading.Thread(target=server.shutdown, daemon=True).start()
            server.server_close()

    def stop_all(self) -> None:
        for name in list(self.listeners):
            self.stop_listener(name)

    def resync(self) -> None:
        """After restore/restart: one listener per live vault, vaultUri updated."""
        self.stop_all()
        for rec in self.store.find("Microsoft.KeyVault/vaults"):
            rec["body"].setdefault("properties", {})["vaultUri"] = self.ensure_listener(rec["body"]["name"])
        self.store.mark_dirty()


def _now() -> int:
    return int(time.time())


def _attributes(given: dict | None, prev: dict | None, recovery: str) -> dict:
    attrs = dict(prev or {"enabled": True, "created": _now()})
    for k, v in (given or {}).items():
        if k in ("enabled", "nbf", "exp"):
            attrs[k] = v
    attrs["updated"] = _now()
    attrs["recoveryLevel"] = recovery
    attrs["recoverableDays"] = RETENTION_DAYS
    return attrs


class VaultApp:
    """Request handling for one vault."""

    def __init__(self, manager: KeyVaultManager, name: str):
        self.m = manager
        self.name = name

    @property
    def kv(self) -> dict:
        return self.m.data(self.name)

    def recovery_level(self) -> str:
        for rec in self.m.store.find("Microsoft.KeyVault/vaults"):
            if rec["body"]["name"].lower() == self.name:
                if rec["body"].get("properties", {}).get("enablePurgeProtection"):
                    return "Recoverable"
        return "Recoverable+Purgeable"

    def __call__(self, req) -> Response:
        base = req.base_url
        if not req.headers.get("authorization"):
            tenant = self.m.authority.identity["tenant_id"]
            raise ApiError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", {
                "WWW-Authenticate": f'Bearer authorization="{self.m.authority_base}/{tenant}", resource="{VAULT_AUDIENCE}"'})
        try:
            self.m.authority.validate(req.headers.get("authorization"), (VAULT_AUDIENCE,))
        except ApiError as exc:
            raise ApiError(401, "Unauthorized", exc.message) from exc
        if not req.api_version:
            raise _err(400, "BadParameter", "The 'api-version' query parameter is missing.")
        req.resource_type = "keyvault/" + ([s for s in req.path.split("/") if s] or [""])[0].lower()
        req.is_write = req.method in ("PUT", "PATCH", "DELETE", "POST")
        with self.m.store.lock:
            self.tick()
            resp = self.route(req, base)
            if req.is_write:
                self.m.store.mark_dirty()
            return resp

    # -- routing -------------------------------------------------------------------
    def route(self, req, base: str) -> Response:
        segs = [s for s in req.path.split("/") if s]
        low = [s.lower() for s in segs]
        m = req.method
        if low[:1] == ["secrets"]:
            if len(segs) == 1 and m == "GET":
                return Response(200, {"value": [self.secret_item(base, s, latest=True) for s in self.live_secrets()], "nextLink": None})
            if low[1:] == ["restore"] and m == "POST":
                return self.restore_secret(base, req.json() or {})
            name = segs[1] if len(segs) > 1 else ""
            rest = low[2:]
            if not rest:
                if m == "PUT":
                    return self.set_secret(base, name, req.json() or {})
                if m == "GET":
                    return Response(200, self.readable(base, self.secret(name), None))
                if m == "DELETE":
                    return self.delete_secret(base, name)
            if rest == ["versions"] and m == "GET":
                s = self.secret(name)
                return Response(200, {"value": [self.secret_item(base, s, v) for v in s["versions"]], "nextLink": None})
            if rest == ["backup"] and m == "POST":
                blob = json.dumps({"vault_secret": self.secret(name)}).encode()
                return Response(200, {"value": base64.urlsafe_b64encode(blob).rstrip(b"=").decode()})
            if len(rest) == 1 and m in ("GET", "PATCH"):
                s = self.secret(name)
                version = self.version(s, segs[2], "Secret")
                if m == "PATCH":
                    self.update_secret(version, req.json() or {})
                    body = self.secret_bundle(base, s, version)
                    body.pop("value", None)
                    return Response(200, body)
                return Response(200, self.readable(base, s, version))
        if low[:1] == ["deletedsecrets"]:
            return self.route_deleted(req, base, segs, "secrets")
        if low[:1] == ["certificates"]:
            return self.route_certificates(req, base, segs)
        if low[:1] == ["deletedcertificates"]:
            return self.route_deleted(req, base, segs, "certificates")
        raise _err(404, "NotFound", f"No route for '{req.path}'.")

    # -- secrets -----------------------------------------------------------------------
    def live_secrets(self) -> list:
        return sorted(self.kv["secrets"].values(), key=lambda s: s["name"].lower())

    def secret(self, name: str) -> dict:
        s = self.kv["secrets"].get(name.lower())
        if s is None:
            raise _err(404, "SecretNotFound", f"A secret with (name/id) {name} was not found in this key vault.")
        return s

    @staticmethod
    def version(obj: dict, version: str, kind: str) -> dict:
        for v in obj["versions"]:
            if v["version"] == version.lower():
                return v
        raise _err(404, f"{kind}NotFound", f"A {kind.lower()} with (name/id) {obj['name']}/{version} was not found in this key vault.")

    def set_secret(self, base, name: str, body: dict, managed: dict | None = None, version_id: str | None = None) -> Response:
        if name.lower() in self.kv["deleted_secrets"]:
            raise _err(409, "Conflict", f"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.")
        if "value" not in body:
            raise _err(400, "BadParameter", "Property 'value' is required.")
        s = self.kv["secrets"].setdefault(name.lower(), {"name": name, "versions": []})
        version = {"version": version_id or uuid.uuid4().hex, "value": body["value"], "contentType": body.get("contentType"),
                   "tags": body.get("tags"), "attributes": _attributes(body.get("attributes"), None, self.recovery_level())}
        if managed:
            version.update(managed)
        s["versions"].append(version)
        return Response(200, self.secret_bundle(base, s, version))

    def update_secret(self, version: dict, body: dict) -> None:
        if "contentType" in body:
            version["contentType"] = body["contentType"]
        if "tags" in body:
            version["tags"] = body["tags"]
        version["attributes"] = _attributes(body.get("attributes"), version["attributes"], self.recovery_level())

    def secret_item(self, base, s: dict, version: dict | None = None, latest: bool = False) -> dict:
        v = version or s["versions"][-1]
        item = {"id": f"{base}/secrets/{s['name']}" + ("" if latest else f"/{v['version']}"), "attributes": v["attributes"]}
        for k in ("contentType", "tags", "managed"):
            if v.get(k) is not None:
                item[k] = v[k]
        return item

    def readable(self, base, s: dict, version: dict | None) -> dict:
        """A GET of a secret: Key Vault withholds a disabled version (403, inner code SecretDisabled)."""
        v = version or s["versions"][-1]
        if v["attributes"].get("enabled") is False:
            raise SecretDisabled()
        return self.secret_bundle(base, s, version)

    def secret_bundle(self, base, s: dict, version: dict | None) -> dict:
        v = version or s["versions"][-1]
        body = {"value": v["value"], "id": f"{base}/secrets/{s['name']}/{v['version']}", "attributes": v["attributes"]}
        for k in ("contentType", "tags", "kid", "managed"):
            if v.get(k) is not None:
                body[k] = v[k]
        return body

    def delete_secret(self, base, name: str) -> Response:
        s = self.secret(name)
        if s["versions"][-1].get("managed"):
            raise _err(403, "Forbidden", f"Secret {name} is backing a certificate; delete the certificate instead.")
        self.kv["secrets"].pop(name.lower())
        s["deletedDate"], s["scheduledPurgeDate"] = _now(), _now() + RETENTION_DAYS * 86400
        self.kv["deleted_secrets"][name.lower()] = s
        return Response(200, self.deleted_body(base, s, "secrets"))

    def restore_secret(self, base, body: dict) -> Response:
        blob = body.get("value", "")
        s = json.loads(base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4)))["vault_secret"]
        if s["name"].lower() in self.kv["secrets"]:
            raise _err(409, "Conflict", f"Secret {s['name']} already exists.")
        self.kv["secrets"][s["name"].lower()] = s
        return Response(200, self.secret_bundle(base, s, None))

    # -- deleted objects (secrets and certificates alike) ------------------------------------
    def deleted_body(self, base, obj: dict, kind: str) -> dict:
        body = self.secret_bundle(base, obj, None) if kind == "secrets" else self.cert_bundle(base, obj, None)
        body.pop("value", None)
        body.update(recoveryId=f"{base}/deleted{kind}/{obj['name']}", deletedDate=obj["deletedDate"],
                    scheduledPurgeDate=obj["scheduledPurgeDate"])
        return body

    def route_deleted(self, req, base, segs, kind: str) -> Response:
        store = self.kv["deleted_" + kind]
        noun = "Secret" if kind == "secrets" else "Certificate"
        if len(segs) == 1 and req.method == "GET":
            items = []
            for obj in sorted(store.values(), key=lambda o: o["name"].lower()):
                b = self.deleted_body(base, obj, kind)
                b["id"] = b["id"].rsplit("/", 1)[0]
                b.pop("policy", None)
                items.append(b)
            return Response(200, {"value": items, "nextLink": None})
        name = segs[1]
        obj = store.get(name.lower())
        if obj is None:
            raise _err(404, f"{noun}NotFound", f"Deleted {noun.lower()} {name} was not found in this key vault.")
        if len(segs) == 2 and req.method == "GET":
            return Response(200, self.deleted_body(base, obj, kind))
        if len(segs) == 2 and req.method == "DELETE":
            if self.recovery_level() == "Recoverable":
                raise _err(403, "Forbidden", "Operation 'purge' is not allowed: the vault has purge protection enabled.")
            store.pop(name.lower())
            if kind == "certificates":
                self.kv["deleted_secrets"].pop(name.lower(), None)
            return Response(204)
        if segs[2:] == ["recover"] and req.method == "POST":
            store.pop(name.lower())
            for k in ("deletedDate", "scheduledPurgeDate"):
                obj.pop(k, None)
            self.kv[kind][name.lower()] = obj
            if kind == "certificates":
                backing = self.kv["deleted_secrets"].pop(name.lower(), None)
                if backing:
                    self.kv["secrets"][name.lower()] = backing
                return Response(200, self.cert_bundle(base, obj, None))
            return Response(200, self.secret_bundle(base, obj, None))
        raise _err(404, "NotFound", f"No route for '{req.path}'.")

    # -- certificates -------------------------------------------------------------------------
    def cert(self, name: str) -> dict:
        c = self.kv["certificates"].get(name.lower())
        if c is None:
            raise _err(404, "CertificateNotFound", f"A certificate with (name/id) {name} was not found in this key vault.")
        return c

    def route_certificates(self, req, base, segs) -> Response:
        m = req.method
        low = [s.lower() for s in segs]
        if len(segs) == 1 and m == "GET":
            items = [self.cert_item(base, c, None, latest=True) for c in sorted(self.kv["certificates"].values(), key=lambda c: c["name"].lower()) if c["versions"]]
            return Response(200, {"value": items, "nextLink": None})
        name = segs[1]
        rest = low[2:]
        if rest == ["create"] and m == "POST":
            return self.create_certificate(base, name, req.json() or {})
        if rest == ["import"] and m == "POST":
            return self.import_certificate(base, name, req.json() or {})
        if rest == ["pending"]:
            c = self.cert(name)
            if not c.get("pending"):
                raise _err(404, "PendingCertificateNotFound", f"Pending certificate not found: {name}")
            if m == "DELETE":
                op = c.pop("pending")
                return Response(200, self.pending_body(base, c, op))
            return Response(200, self.pending_body(base, c, c["pending"]))
        if rest == ["policy"]:
            c = self.cert(name)
            if m == "PATCH":
                c["policy"] = _merge_policy(c["policy"], req.json() or {})
            return Response(200, self.policy_body(base, c))
        if rest == ["versions"] and m == "GET":
            c = self.cert(name)
            return Response(200, {"value": [self.cert_item(base, c, v) for v in c["versions"]], "nextLink": None})
        if not rest:
            c = self.cert(name)
            if m == "GET":
                if not c["versions"]:
                    raise _err(404, "CertificateNotFound", f"A certificate with (name/id) {name} was not found in this key vault.")
                return Response(200, self.cert_bundle(base, c, None))
            if m == "DELETE":
                self.kv["certificates"].pop(name.lower())
                c["deletedDate"], c["scheduledPurgeDate"] = _now(), _now() + RETENTION_DAYS * 86400
                self.kv["deleted_certificates"][name.lower()] = c
                backing = self.kv["secrets"].pop(name.lower(), None)
                if backing:
                    backing.update(deletedDate=c["deletedDate"], scheduledPurgeDate=c["scheduledPurgeDate"])
                    self.kv["deleted_secrets"][name.lower()] = backing
                return Response(200, self.deleted_body(base, c, "certificates"))
        if len(rest) == 1 and m in ("GET", "PATCH"):
            c = self.cert(name)
            v = self.version(c, segs[2], "Certificate")
            if m == "PATCH":
                body = req.json() or {}
                if "tags" in body:
                    v["tags"] = body["tags"]
                v["attributes"] = _attributes(body.get("attributes"), v["attributes"], self.recovery_level())
                if body.get("policy"):
                    c["policy"] = _merge_policy(c["policy"], body["policy"])
            return Response(200, self.cert_bundle(base, c, v))
        raise _err(404, "NotFound", f"No route for '{req.path}'.")

    def create_certificate(self, base, name: str, body: dict) -> Response:
        if name.lower() in self.kv["deleted_certificates"]:
            raise _err(409, "Conflict", f"Certificate {name} is currently in a deleted but recoverable state.")
        c = self.kv["certificates"].setdefault(name.lower(), {"name": name, "versions": [], "policy": copy.deepcopy(DEFAULT_POLICY)})
        if body.get("policy"):
            c["policy"] = _merge_policy(DEFAULT_POLICY, body["policy"])
        scale = float(self.m.store.config.get("lro_scale", 0.001))
        c["pending"] = {"request_id": uuid.uuid4().hex, "status": "inProgress", "end": time.time() + 30 * scale,
                        "attributes": body.get("attributes"), "tags": body.get("tags")}
        return Response(202, self.pending_body(base, c, c["pending"]))

    def tick(self) -> None:
        """Complete due certificate requests (self-signed issuance)."""
        for c in self.kv["certificates"].values():
            op = c.get("pending")
            if op and op["status"] == "inProgress" and op["end"] <= time.time():
                key, cert = certs.self_signed(c["policy"])
                self.add_cert_version(c, key, cert, op.get("attributes"), op.get("tags"))
                op["status"] = "completed"

    def import_certificate(self, base, name: str, body: dict) -> Response:
        try:
            key, cert = certs.load_import(body.get("value", ""), body.get("pwd"))
        except (ValueError, TypeError) as exc:
            raise _err(400, "BadParameter", f"The specified PEM/PFX certificate content could not be read: {exc}") from exc
        c = self.kv["certificates"].setdefault(name.lower(), {"name": name, "versions": [], "policy": copy.deepcopy(DEFAULT_POLICY)})
        if body.get("policy"):
            c["policy"] = _merge_policy(c["policy"], body["policy"])
        c["policy"]["issuer"] = {"name": "Unknown"}
        c["policy"]["x509_props"]["subject"] = cert.subject.rfc4514_string()
        v = self.add_cert_version(c, key, cert, body.get("attributes"), body.get("tags"))
        return Response(200, self.cert_bundle(base, c, v))

    def add_cert_version(self, c: dict, key, cert, attributes, tags) -> dict:
        version_id = uuid.uuid4().hex
        nbf, exp = certs.validity(cert)
        attrs = _attributes(attributes, None, self.recovery_level())
        attrs.update(nbf=nbf, exp=exp)
        v = {"version": version_id, "cer": certs.der_b64(cert), "x5t": certs.x5t(cert), "attributes": attrs, "tags": tags}
        c["versions"].append(v)
        content_type = (c["policy"].get("secret_props") or {}).get("contentType") or certs.PFX
        secret = self.kv["secrets"].setdefault(c["name"].lower(), {"name": c["name"], "versions": []})
        secret["versions"].append({"version": version_id, "value": certs.secret_value(key, cert, content_type),
                                   "contentType": content_type, "tags": tags, "attributes": dict(attrs), "managed": True,
                                   "kid": f"/keys/{c['name']}/{version_id}"})
        return v

    def pending_body(self, base, c: dict, op: dict) -> dict:
        body = {"id": f"{base}/certificates/{c['name']}/pending", "issuer": {"name": c["policy"]["issuer"].get("name", "Self")},
                "csr": "", "cancellation_requested": False, "status": op["status"], "request_id": op["request_id"]}
        if op["status"] == "completed":
            body["target"] = f"{base}/certificates/{c['name']}"
            body["status_details"] = ""
        else:
            body["status_details"] = "Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later."
        return body

    def policy_body(self, base, c: dict) -> dict:
        policy = copy.deepcopy(c["policy"])
        policy["id"] = f"{base}/certificates/{c['name']}/policy"
        policy.setdefault("attributes", {"enabled": True, "created": _now(), "updated": _now()})
        return policy

    def cert_item(self, base, c: dict, version: dict | None, latest: bool = False) -> dict:
        v = version or c["versions"][-1]
        item = {"id": f"{base}/certificates/{c['name']}" + ("" if latest else f"/{v['version']}"), "x5t": v["x5t"],
                "attributes": v["attributes"]}
        if v.get("tags") is not None:
            item["tags"] = v["tags"]
        return item

    def cert_bundle(self, base, c: dict, version: dict | None) -> dict:
        v = version or c["versions"][-1]
        body = {"id": f"{base}/certificates/{c['name']}/{v['version']}", "kid": f"{base}/keys/{c['name']}/{v['version']}",
                "sid": f"{base}/secrets/{c['name']}/{v['version']}", "x5t": v["x5t"], "cer": v["cer"],
                "attributes": v["attributes"], "policy": self.policy_body(base, c)}
        if v.get("tags") is not None:
            body["tags"] = v["tags"]
        return body


def _merge_policy(base: dict, patch: dict) -> dict:
    """The policy with patch applied as a merge patch (UpdateCertificatePolicy is a PATCH): nested objects
    merge, so the SDK's empty ``sans: {}`` of a partial policy keeps the names; lists are replaced."""
    out = copy.deepcopy(base)
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge_policy(out[k], v)
        elif v is not None:
            out[k] = copy.deepcopy(v)
    return out
