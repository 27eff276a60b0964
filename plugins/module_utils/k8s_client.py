# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AnsibleModule wrapped once for every Kubernetes module.

The Kubernetes counterpart of azure_module.AzureModule: the shared connection
options (kubeconfig, context) and wait options, the `kubernetes` client
imported lazily (bad input fails before the library or the cluster is
touched), one dynamic client per run, and API errors turned into failures
that carry the API status code, reason and message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

from ansible.module_utils.basic import env_fallback

from ansible_collections.phonebill.platform.plugins.module_utils.module_base import ModuleBase

REQUIREMENT = 'kubernetes>=33,<38'

CONNECTION_ARGUMENT_SPEC = dict(
    kubeconfig=dict(type='path', fallback=(env_fallback, ['K8S_AUTH_KUBECONFIG', 'KUBECONFIG'])),
    context=dict(type='str', fallback=(env_fallback, ['K8S_AUTH_CONTEXT'])),
)


class KubernetesLibrary:
    """The imported `kubernetes` package parts the collection uses."""

    def __init__(self):
        from kubernetes import client, config  # pylint: disable=import-outside-toplevel
        from kubernetes.client.rest import ApiException  # pylint: disable=import-outside-toplevel
        from kubernetes.dynamic import DynamicClient  # pylint: disable=import-outside-toplevel
        from kubernetes.dynamic.exceptions import DynamicApiError, ResourceNotFoundError  # pylint: disable=import-outside-toplevel
        self.client = client
        self.config = config
        self.api_exception = ApiException
        self.dynamic_client = DynamicClient
        self.dynamic_error = DynamicApiError
        self.resource_not_found = ResourceNotFoundError


def describe_error(exc, action):
    """'<action>: <code> <reason>: <message>' from an API error (body is a metav1.Status)."""
    status = getattr(exc, 'status', None)
    reason = getattr(exc, 'reason', None) or ''
    message = ''
    causes = []
    body = getattr(exc, 'body', None)
    if isinstance(body, bytes):
        body = body.decode('utf-8', 'replace')
    try:
        document = json.loads(body) if body else {}
    except ValueError:
        document = {}
    if isinstance(document, dict):
        reason = document.get('reason') or reason
        message = document.get('message') or ''
        for cause in (document.get('details') or {}).get('causes') or []:
            causes.append('%s: %s' % (cause.get('field', ''), cause.get('message', '')))
    text = '%s: %s %s' % (action, status if status is not None else '', reason)
    if message:
        text += ': %s' % message
    elif not body and str(exc):
        text += ': %s' % str(exc).strip()
    return text.strip(), dict(status=status, reason=reason, causes=causes)


class K8sModule(ModuleBase):
    """The module object every Kubernetes module of the collection uses (connection options; see ModuleBase)."""

    shared_spec = CONNECTION_ARGUMENT_SPEC

    def __init__(self, argument_spec, long_running=False, default_timeout=300, **kwargs):
        super(K8sModule, self).__init__(argument_spec, long_running, default_timeout, **kwargs)
        self._lib = None
        self._api_client = None
        self._dynamic = None
        self._resources = {}

    def hide(self, values):
        """Mask these strings everywhere in the result (Secret values found in the input)."""
        self.ansible.no_log_values.update(v for v in values if isinstance(v, str) and v)

    # ---- the client ----
    @property
    def lib(self):
        if self._lib is None:
            self._lib = self.imported(KubernetesLibrary, REQUIREMENT)
        return self._lib

    @property
    def api_client(self):
        """An ApiClient from the kubeconfig (or the in-cluster service account when none is given)."""
        if self._api_client is None:
            path, context = self.params.get('kubeconfig'), self.params.get('context')
            try:
                if path or not self._in_cluster():
                    self._api_client = self.lib.config.new_client_from_config(config_file=path, context=context)
                else:
                    self.lib.config.load_incluster_config()
                    self._api_client = self.lib.client.ApiClient()
            except (self.lib.config.ConfigException, OSError, ValueError, TypeError) as exc:
                self.fail('kubeconfig: cannot load %s%s: %s; give the path of a kubeconfig (or set K8S_AUTH_KUBECONFIG)'
                          % (path or 'the default kubeconfig', ' context %s' % context if context else '', exc))
        return self._api_client

    @staticmethod
    def _in_cluster():
        return bool(os.environ.get('KUBERNETES_SERVICE_HOST')) and not os.environ.get('KUBECONFIG')

    @property
    def dynamic(self):
        if self._dynamic is None:
            self._dynamic = self.call('discover the API', self.lib.dynamic_client, self.api_client)
        return self._dynamic

    def resource(self, api_version, kind):
        """The dynamic resource of a kind, failing with the kind's name when the cluster does not serve it."""
        key = (api_version, kind)
        if key not in self._resources:
            try:
                self._resources[key] = self.dynamic.resources.get(api_version=api_version, kind=kind)
            except self.lib.resource_not_found:
                self.fail('%s %s: the cluster does not serve this kind (is its CRD installed?)' % (api_version, kind))
        return self._resources[key]

    # ---- calling the API ----
    def call(self, action, function, *args, **kwargs):
        """function(*args, **kwargs), failing the module with the API status on an error."""
        return self._invoke(action, function, args, kwargs, missing_ok=False)

    def get_or_none(self, action, function, *args, **kwargs):
        """A read that returns None for 404 instead of failing."""
        return self._invoke(action, function, args, kwargs, missing_ok=True)

    def _invoke(self, action, function, args, kwargs, missing_ok):
        errors = (self.lib.api_exception, self.lib.dynamic_error)
        try:
            return function(*args, **kwargs)
        except errors as exc:
            if missing_ok and getattr(exc, 'status', None) == 404:
                return None
            msg, details = describe_error(exc, action)
            self.fail(msg, api_status=details['status'], api_reason=details['reason'], api_causes=details['causes'])
        except (OSError, ValueError) as exc:
            self.fail('%s: %s' % (action, exc))
        return None

    def poll(self, what, check, interval=1.0):
        """Call check() until it returns a true value or `timeout` passes; fail naming `what` then."""
        deadline = time.monotonic() + self.timeout
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() >= deadline:
                self.fail('timeout: %s did not happen within %s seconds' % (what, self.timeout))
            time.sleep(interval)


def to_dict(obj):
    """A dynamic client ResourceInstance (or None) as a plain dict."""
    if obj is None or isinstance(obj, dict):
        return obj
    return obj.to_dict()
