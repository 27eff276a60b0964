# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A test double of the metrics adapter: the real custom.metrics.k8s.io/v1beta2 API over HTTPS.

No Prometheus runs locally, so this stands in for prometheus-adapter behind
the same APIService: discovery lists `pods/<metric>` for exactly the metric
names the adapter's rules produce (from the rendered adapter ConfigMap), and
`/namespaces/{ns}/pods/*/{metric}?labelSelector=...` answers a MetricValueList
with one item per pod the API server lists for that selector (as the adapter
does), at the value the test sets. A name no rule produces is a 404, as the
adapter answers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import re
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

import yaml

GROUP = 'custom.metrics.k8s.io'
VERSION = 'v1beta2'
PODS_METRIC = re.compile(r'^/apis/%s/%s/namespaces/(?P<ns>[^/]+)/pods/(?P<pod>[^/]+)/(?P<metric>[^/]+)$'
                         % (re.escape(GROUP), VERSION))


def served_names(adapter_config):
    """The custom metric names of the adapter's config.yaml (each rule's name.as)."""
    return [rule['name']['as'] for rule in yaml.safe_load(adapter_config)['rules']]


def self_signed(directory, host):
    """A serving certificate and key for host (the name the API server's aggregator checks), made with openssl."""
    cert, key = directory / 'double.crt', directory / 'double.key'
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
                    '-subj', '/CN=%s' % host, '-addext', 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1' % host,
                    '-keyout', str(key), '-out', str(cert)], check=True, capture_output=True)
    return cert, key


class CustomMetricsDouble:
    """Serves the custom metrics API on 127.0.0.1 (a free port) until stop(); values set per metric name."""

    def __init__(self, core_api, names, cert, key):
        self.core, self.names, self.values = core_api, list(names), {}
        self.requests = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):   # quiet: the test reads self.requests
                return

            def do_GET(self):   # pylint: disable=invalid-name
                status, body = double.answer(self.path)
                data = json.dumps(body).encode('utf-8')
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, raw_path):
        url = urlparse(raw_path)
        path = unquote(url.path)   # the aggregator sends pods/* as pods/%2A
        self.requests.append(path)
        if path in ('/apis/%s/%s' % (GROUP, VERSION), '/apis/%s/%s/' % (GROUP, VERSION)):
            return 200, self.discovery()
        if path == '/apis/%s' % GROUP:
            version = {'groupVersion': '%s/%s' % (GROUP, VERSION), 'version': VERSION}
            return 200, {'kind': 'APIGroup', 'apiVersion': 'v1', 'name': GROUP, 'versions': [version],
                         'preferredVersion': version}
        match = PODS_METRIC.match(path)
        if match and match.group('metric') in self.names:
            selector = parse_qs(url.query).get('labelSelector', [''])[0]
            return 200, self.metric_values(match.group('ns'), match.group('pod'), match.group('metric'), selector)
        return 404, {'kind': 'Status', 'apiVersion': 'v1', 'status': 'Failure', 'reason': 'NotFound', 'code': 404,
                     'message': 'the server could not find the metric %s' % path}

    def discovery(self):
        return {'kind': 'APIResourceList', 'apiVersion': 'v1', 'groupVersion': '%s/%s' % (GROUP, VERSION),
                'resources': [{'name': 'pods/%s' % name, 'singularName': '', 'namespaced': True,
                               'kind': 'MetricValueList', 'verbs': ['get']} for name in self.names]}

    def metric_values(self, namespace, pod, metric, selector):
        """One MetricValue per pod of the selector (or the one named pod), as the adapter answers."""
        if pod == '*':
            pods = [p.metadata.name for p in self.core.list_namespaced_pod(namespace, label_selector=selector).items]
        else:
            pods = [pod]
        now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        value = self.values.get(metric, 0)
        return {'kind': 'MetricValueList', 'apiVersion': '%s/%s' % (GROUP, VERSION),
                'metadata': {}, 'items': [
                    {'describedObject': {'kind': 'Pod', 'namespace': namespace, 'name': name, 'apiVersion': '/v1'},
                     'metric': {'name': metric}, 'timestamp': now, 'windowSeconds': 60,
                     'value': '%dm' % int(value * 1000)} for name in pods]}
