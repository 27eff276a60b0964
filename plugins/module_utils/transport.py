# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP transport of a module run: one requests session for all its clients, one TLS context per CA bundle.

Why: requests (2.32+) gives urllib3 the path of the CA bundle, and urllib3 builds a new SSLContext and parses the
whole bundle for every new connection (~10 ms of CPU for certifi's, more at load). Each client of a module run
(ARM, Key Vault data plane, Graph, the credential's sign-in) had its own session, so its own connections; a
no-op site.yml spent ~45% of its module CPU there. Here every client of a run shares one session (one connection
per host), and the context of a bundle is built once per process: the controller builds it before Ansible forks
its workers (plugin_utils/in_process.py), so module runs there inherit it parsed.

Verification is unchanged: the bundle requests would use (``verify``, else REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE,
certifi's), urllib3's own client context (certificate required, host name checked), and the errors requests
gives for a bundle that does not exist. A bundle rewritten in place (another size or time) is parsed again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import ssl

from ansible_collections.phonebill.platform.plugins.module_utils import sdk

try:
    from requests import Session
    from requests.adapters import HTTPAdapter
    from requests.utils import DEFAULT_CA_BUNDLE_PATH
    from urllib3.util.retry import Retry
    from urllib3.util.ssl_ import create_urllib3_context
except ImportError:  # azure-core's own dependencies: the module fails naming azure-core before it builds a client
    HTTPAdapter = object
    Session = Retry = create_urllib3_context = DEFAULT_CA_BUNDLE_PATH = None

# The requirement string matches requirements.txt, which a unit test enforces.
TRANSPORT = sdk.Service('azure.core.pipeline.transport', 'RequestsTransport', 'azure-core>=1.38,<2')

#: (bundle path, its size, its modification time) -> the SSLContext trusting it, for the life of the process
CONTEXTS = {}


def bundle_path(verify, env=None):
    """The CA bundle (file or directory) requests verifies with for `verify`, None for no verification.

    `verify` as a session resolves it: False, a path, or True (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE or certifi's).
    """
    if verify is False or verify is None:
        return None
    if verify is True:
        env = os.environ if env is None else env
        return env.get('REQUESTS_CA_BUNDLE') or env.get('CURL_CA_BUNDLE') or DEFAULT_CA_BUNDLE_PATH
    return verify


def tls_context(path):
    """urllib3's client context trusting the bundle at path (file or directory), built once per bundle version.

    Raises OSError when path does not exist.
    """
    found = os.stat(path)
    key = (path, found.st_size, found.st_mtime_ns)
    context = CONTEXTS.get(key)
    if context is None:
        context = create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED)
        if os.path.isdir(path):
            context.load_verify_locations(capath=path)
        else:
            context.load_verify_locations(cafile=path)
        CONTEXTS[key] = context
    return context


class SharedContextAdapter(HTTPAdapter):
    """requests' adapter with azure-core's settings (no retries of its own) that verifies with tls_context()."""

    def __init__(self):
        super(SharedContextAdapter, self).__init__(max_retries=Retry(total=False, redirect=False, raise_on_status=False))

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host, pool = super(SharedContextAdapter, self).build_connection_pool_key_attributes(request, verify, cert)
        path = bundle_path(verify, env={}) if verify is True or isinstance(verify, str) else None
        if host['scheme'] == 'https' and path and os.path.exists(path):  # else requests says what is wrong
            pool.pop('ca_certs', None)
            pool.pop('ca_cert_dir', None)
            pool['ssl_context'] = tls_context(path)
        return host, pool

    def cert_verify(self, conn, url, verify, cert):
        super(SharedContextAdapter, self).cert_verify(conn, url, verify, cert)
        if conn.conn_kw.get('ssl_context') is not None:  # the bundle is in the context: not loaded again per connection
            conn.ca_certs = None
            conn.ca_cert_dir = None


def session():
    """A requests session whose HTTPS connections verify with the shared context of their bundle."""
    shared = Session()
    adapter = SharedContextAdapter()
    for prefix in ('http://', 'https://'):
        shared.mount(prefix, adapter)
    return shared


def requests_transport(transport_module, shared_session, connection_verify):
    """An azure-core transport on shared_session that leaves it open when a client closes (session_owner False)."""
    return transport_module.RequestsTransport(session=shared_session, session_owner=False,
                                              connection_verify=connection_verify)
