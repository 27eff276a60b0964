"""HTTPS listeners and the request pipeline shared by ARM and Key Vault.

Pipeline for client traffic: fault injection -> authentication -> engine
-> persistence -> traffic log, with ``x-ms-request-id`` on every response
and a Bearer challenge on every ARM 401.
The control API and AAD endpoints bypass faults, logging and auth.
"""

import json
import os
import sys
import threading
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import monitor
from .aad import Authority, new_identity
from .arm import Engine
from .control import Control
from .faults import Faults, error_for
from .graph import GRAPH_AUDIENCE, Directory
from .keyvault import KeyVaultManager
from .messages import ApiError, Request, Response
from .store import Store
from .tls import TLSMaterial
from .traffic import Traffic
from .util import atomic_write_json


class DropConnection(Exception):
    """Close the socket without answering (the ``drop`` fault)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AzureSandbox/1.0"
    # Without TCP_NODELAY, an answer's second write (the body after the headers) waits for the client's delayed
    # ACK: 40 ms added to every request, which Azure's front ends do not add.
    disable_nagle_algorithm = True

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, self.server.base_url)
        try:
            resp = self.server.app(req)
        except DropConnection:
            self.close_connection = True
            return
        payload = resp.encoded()
        self.send_response(resp.status)
        headers = {"Content-Type": "application/json; charset=utf-8", **resp.headers}
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_message(self, format, *args):  # noqa: A002 - signature from BaseHTTPRequestHandler
        if os.environ.get("AZURE_SANDBOX_DEBUG"):
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def listen(app, port: int, ssl_context) -> _Server:
    """Serve ``app(Request) -> Response`` over HTTPS on 127.0.0.1:port in a thread."""
    server = _Server(("127.0.0.1", port), _Handler)
    # handshake in the handler thread, so one stalled client cannot block accept()
    server.socket = ssl_context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.app = app
    server.base_url = f"https://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True, name=f"sandbox-{server.server_address[1]}").start()
    return server


def _load_identity(state_dir: str) -> dict:
    path = os.path.join(state_dir, "identity.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    identity = new_identity()
    atomic_write_json(path, identity)
    os.chmod(path, 0o600)
    return identity


class Sandbox:
    """One running sandbox: ARM/AAD/control listener plus per-vault listeners."""

    def __init__(self, state_dir: str, port: int = 0, lro_scale: float | None = None, persist: str | None = None):
        os.makedirs(state_dir, exist_ok=True)
        self.state_dir = os.path.abspath(state_dir)
        self.tls = TLSMaterial(self.state_dir)
        self.identity = _load_identity(self.state_dir)
        self.store = Store(persist, config={"lro_scale": lro_scale} if lro_scale is not None else None)
        if lro_scale is not None:
            self.store.config["lro_scale"] = lro_scale
        self.authority = Authority(self.identity)
        self.faults = Faults()
        self.traffic = Traffic()
        self.ssl_context = self.tls.server_context()
        self.keyvault = KeyVaultManager(self.store, self.authority,
                                        lambda app, p: listen(app, p, self.ssl_context),
                                        lambda req, app: self.client_request(req, app, "keyvault"))
        self.engine = Engine(self.store, self.identity, self.keyvault)
        self.directory = Directory(self.store, self.identity)
        self.control = Control(self)
        self.server = listen(self.app, port, self.ssl_context)
        self.base_url = self.server.base_url
        self.engine.base_url = self.base_url
        self.keyvault.authority_base = self.base_url
        with self.store.lock:
            self.keyvault.resync()
            self.store.save_if_dirty()

    # -- request pipeline ------------------------------------------------------------
    def app(self, req) -> Response:
        try:
            if req.path.startswith("/_sandbox"):
                resp = self.control.handle(req)
                self.store.save_if_dirty()
                return _stamp(resp)
            resp = self.authority.handle(req)
            if resp is not None:
                return _stamp(resp)
        except ApiError as exc:
            return _stamp(exc.response())
        if req.path.lower().startswith("/v1/"):
            return self.client_request(req, self.logs, "logs")
        if req.path.lower().startswith("/v1.0/"):
            return self.client_request(req, self.graph, "graph")
        return self.client_request(req, self.arm, "arm")

    def arm(self, req) -> Response:
        self.authority.validate(req.headers.get("authorization"), self.authority.arm_audiences(self.base_url))
        return self.engine.handle(req)

    def logs(self, req) -> Response:
        """The Log Analytics query API (api.loganalytics.io in Azure), served on this host: reads only."""
        req.resource_type, req.is_write = "Microsoft.OperationalInsights/query", False
        self.authority.validate(req.headers.get("authorization"), (monitor.LOGS_AUDIENCE, self.base_url.rstrip("/")))
        return monitor.query(self.engine, req)

    def graph(self, req) -> Response:
        """Microsoft Graph v1.0 (graph.microsoft.com in Azure), served on this host: app registrations."""
        self.authority.validate(req.headers.get("authorization"), (GRAPH_AUDIENCE, self.base_url.rstrip("/")))
        return self.directory.handle(req)

    def bearer_challenge(self, resp: Response) -> None:
        """ARM answers every 401 with a Bearer challenge naming the authority (clients re-authenticate on it)."""
        message = ((resp.body or {}).get("error") or {}).get("message", "") if isinstance(resp.body, dict) else ""
        resp.headers.setdefault("WWW-Authenticate", f'Bearer authorization_uri="{self.base_url}/{self.identity["tenant_id"]}", '
                                                    f'error="invalid_token", error_description="{message}"')

    def client_request(self, req, app, plane: str) -> Response:
        rule = self.faults.take(req, plane)
        if rule and rule["kind"] == "drop":
            raise DropConnection()
        if rule and rule["kind"] == "revoke_tokens":
            self.authority.revoke_issued()
        if rule and rule["kind"] == "slow_lro":
            req.lro_seconds = float(rule.get("seconds", 5))
        if rule and rule["kind"] == "lro_failure":
            req.lro_fail = {"code": rule.get("code", "InternalOperationError"),
                            "message": rule.get("message", "Injected long-running operation failure.")}
        try:
            if rule and rule["kind"] in ("throttle", "error"):
                raise error_for(rule)
            resp = app(req)
        except ApiError as exc:
            resp = exc.response()
        except Exception:  # an engine bug must surface as a 500, not a hung client
            traceback.print_exc()
            resp = ApiError(500, "InternalServerError", "Sandbox internal error (see its log).").response()
        if plane == "arm" and resp.status == 401:
            self.bearer_challenge(resp)
        self.store.save_if_dirty()
        self.traffic.record(req, resp.status, plane)
        return _stamp(resp)

    # -- lifecycle / control helpers -------------------------------------------------------
    def reset(self) -> None:
        with self.store.lock:
            self.keyvault.stop_all()
            self.store.reset()
            self.faults.clear()
            self.traffic.clear()
            self.authority.reset()

    def restore(self, state: dict) -> None:
        with self.store.lock:
            self.keyvault.stop_all()
            self.store.restore(state)
            self.keyvault.resync()

    def endpoints(self) -> dict:
        base = self.base_url
        return {
            "arm": base,
            "metadata_url": f"{base}/metadata/endpoints?api-version=2019-05-01",
            "tenant_id": self.identity["tenant_id"],
            "subscription_id": self.identity["subscription_id"],
            "client_id": self.identity["client_id"],
            "client_secret": self.identity["client_secret"],
            "ca_file": self.tls.ca_file,
            "ca_bundle": self.tls.ca_bundle,
            "control": f"{base}/_sandbox",
            "pid": os.getpid(),
        }

    def write_endpoints(self) -> str:
        path = os.path.join(self.state_dir, "endpoints.json")
        atomic_write_json(path, self.endpoints())
        return path

    def shutdown(self) -> None:
        self.keyvault.stop_all()
        self.server.shutdown()
        self.server.server_close()
        self.store.save_if_dirty()


def _stamp(resp: Response) -> Response:
    rid = str(uuid.uuid4())
    resp.headers.setdefault("x-ms-request-id", rid)
    resp.headers.setdefault("x-ms-correlation-request-id", rid)
    return resp
