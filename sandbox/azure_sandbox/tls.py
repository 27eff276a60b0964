"""TLS material for the sandbox.

A private CA (kept in the state directory so that clients trusting it keep
working across restarts) signs one server certificate valid for 127.0.0.1
and localhost, shared by the ARM listener and every Key Vault listener.
``ca-bundle.pem`` concatenates the system trust store with the sandbox CA so
that REQUESTS_CA_BUNDLE can point at it without breaking real Azure calls.
"""

import os
import ssl

import trustme

from .util import atomic_write

SYSTEM_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")


def _system_bundle_path(exclude: str) -> str | None:
    """Locate the trust store the process would otherwise use."""
    candidates = [os.environ.get("REQUESTS_CA_BUNDLE"), os.environ.get("SSL_CERT_FILE")]
    try:
        import certifi

        candidates.append(certifi.where())
    except ImportError:  # certifi is optional
        pass
    candidates.extend(SYSTEM_BUNDLES)
    for path in candidates:
        if path and os.path.isfile(path) and os.path.abspath(path) != os.path.abspath(exclude):
            return path
    return None


class TLSMaterial:
    """Files for the CA, the bundle and the server key pair in ``state_dir``."""

    def __init__(self, state_dir: str):
        self.ca_file = os.path.join(state_dir, "ca.pem")
        self.ca_key_file = os.path.join(state_dir, "ca-key.pem")
        self.ca_bundle = os.path.join(state_dir, "ca-bundle.pem")
        self.server_chain = os.path.join(state_dir, "server.pem")
        self.server_key = os.path.join(state_dir, "server-key.pem")
        self._ensure()

    def _ensure(self) -> None:
        if not (os.path.exists(self.ca_file) and os.path.exists(self.ca_key_file)):
            ca = trustme.CA(organization_name="Azure Sandbox")
            atomic_write(self.ca_key_file, ca.private_key_pem.bytes(), mode=0o600)
            atomic_write(self.ca_file, ca.cert_pem.bytes())
        if not (os.path.exists(self.server_chain) and os.path.exists(self.server_key)):
            with open(self.ca_file, "rb") as c, open(self.ca_key_file, "rb") as k:
                ca = trustme.CA.from_pem(c.read(), k.read())
            leaf = ca.issue_cert("127.0.0.1", "localhost")
            atomic_write(self.server_key, leaf.private_key_pem.bytes(), mode=0o600)
            atomic_write(self.server_chain, b"".join(b.bytes() for b in leaf.cert_chain_pems))
        with open(self.ca_file, "rb") as c:
            ca_pem = c.read()
        system = _system_bundle_path(self.ca_bundle)
        bundle = b""
        if system:
            with open(system, "rb") as f:
                bundle = f.read().rstrip(b"\n") + b"\n"
        atomic_write(self.ca_bundle, bundle + ca_pem)

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.server_chain, self.server_key)
        return ctx
