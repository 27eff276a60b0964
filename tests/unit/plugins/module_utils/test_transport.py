# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared TLS context: parsed once per bundle, verifying exactly as requests does, against a local HTTPS server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import http.server
import ipaddress
import shutil
import ssl
import threading

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.phonebill.platform.plugins.module_utils import transport


def certificate(subject, issuer_name, issuer_key, public_key, ca, ip=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(hours=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                                        critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # pylint: disable=invalid-name  # http.server's name
        self.send_response(200)
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'ok')

    def log_message(self, *args):  # pylint: disable=arguments-differ  # quiet
        pass


@pytest.fixture
def server(tmp_path):
    """(https://127.0.0.1:<port>/, the path of a bundle holding only its private CA): a certificate for 127.0.0.1 only."""
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate('unit test CA', 'unit test CA', ca_key, ca_key.public_key(), ca=True)
    leaf = certificate('127.0.0.1', 'unit test CA', ca_key, leaf_key.public_key(), ca=False, ip='127.0.0.1')
    bundle, chain, key = tmp_path / 'ca-bundle.pem', tmp_path / 'server.pem', tmp_path / 'server-key.pem'
    bundle.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Ok)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(chain), str(key))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield 'https://127.0.0.1:%d/' % httpd.server_address[1], str(bundle)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loads(monkeypatch):
    """The CA files parsed (SSLContext.load_verify_locations), in order, with the process's contexts forgotten."""
    monkeypatch.setattr(transport, 'CONTEXTS', {})
    parsed = []
    original = ssl.SSLContext.load_verify_locations

    def load_verify_locations(context, cafile=None, capath=None, cadata=None):
        parsed.append(cafile or capath)
        return original(context, cafile, capath, cadata)

    monkeypatch.setattr(ssl.SSLContext, 'load_verify_locations', load_verify_locations)
    return parsed


def fresh_connections(session, url, count, **kwargs):
    """count GETs, each on a new connection (the server is told to close it)."""
    return [session.get(url, headers={'Connection': 'close'}, timeout=5, **kwargs).text for dummy in range(count)]


def test_a_bundle_is_parsed_once_for_every_connection_and_session(server, loads, monkeypatch):
    url, bundle = server
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', bundle)  # as the sandbox and a corporate proxy set it
    assert fresh_connections(transport.session(), url, 3) == ['ok'] * 3
    assert fresh_connections(transport.session(), url, 2, verify=bundle) == ['ok'] * 2
    assert loads == [bundle] and len(transport.CONTEXTS) == 1
    assert fresh_connections(requests.Session(), url, 2) == ['ok'] * 2  # what requests alone does: parse per connection
    assert loads == [bundle] * 3


@pytest.mark.filterwarnings('ignore:Unverified HTTPS request')  # the last request is unverified on purpose
def test_the_shared_context_refuses_what_requests_refuses(server, loads, tmp_path):
    url, bundle = server
    shared = transport.session()
    with pytest.raises(requests.exceptions.SSLError, match='CERTIFICATE_VERIFY_FAILED'):  # not in certifi's bundle
        shared.get(url, timeout=5, verify=True)
    with pytest.raises(requests.exceptions.SSLError, match="match|mismatch"):  # the certificate names 127.0.0.1 only
        shared.get(url.replace('127.0.0.1', 'localhost'), timeout=5, verify=bundle)
    with pytest.raises(OSError, match='Could not find a suitable TLS CA certificate bundle, invalid path'):
        shared.get(url, timeout=5, verify=str(tmp_path / 'missing.pem'))
    assert shared.get(url, timeout=5, verify=False).text == 'ok'  # cert_validation_mode: ignore


def test_another_bundle_or_a_rewritten_one_gets_a_new_context(server, loads, tmp_path):
    url, bundle = server
    copy = str(tmp_path / 'copy.pem')
    shutil.copy(bundle, copy)
    first = transport.tls_context(bundle)
    assert transport.tls_context(bundle) is first
    assert transport.tls_context(copy) is not first
    with open(bundle, 'ab') as changed:  # a bundle rewritten in place: its size differs
        changed.write(b'\n')
    assert transport.tls_context(bundle) is not first
    assert loads == [bundle, copy, bundle]
    assert fresh_connections(transport.session(), url, 1, verify=bundle) == ['ok'] and len(loads) == 3


def test_the_bundle_requests_would_verify_with():
    env = dict(REQUESTS_CA_BUNDLE='/etc/proxy-ca.pem', CURL_CA_BUNDLE='/etc/curl.pem')
    assert transport.bundle_path(True, env) == '/etc/proxy-ca.pem'
    assert transport.bundle_path(True, dict(CURL_CA_BUNDLE='/etc/curl.pem')) == '/etc/curl.pem'
    assert transport.bundle_path(True, {}) == requests.utils.DEFAULT_CA_BUNDLE_PATH
    assert transport.bundle_path('/given.pem', env) == '/given.pem'
    assert transport.bundle_path(False, env) is None
