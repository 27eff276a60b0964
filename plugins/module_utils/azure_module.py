# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AnsibleModule wrapped once for every Azure module.

It adds the shared authentication and wait options, resolves the cloud and
the identity lazily (a module in check mode with bad input never reaches
Azure), builds SDK clients with one retry and polling policy, and turns SDK
errors into failures that carry Azure's code, message and request id.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import time

from ansible.module_utils.basic import env_fallback

from ansible_collections.phonebill.platform.plugins.module_utils import auth, cloud as cloud_utils, errors, sdk, transport, waiter
from ansible_collections.phonebill.platform.plugins.module_utils.module_base import ModuleBase

AUTH_ARGUMENT_SPEC = dict(
    auth_source=dict(type='str', choices=auth.AUTH_SOURCES, default='auto',
                     fallback=(env_fallback, ['ANSIBLE_AZURE_AUTH_SOURCE'])),
    profile=dict(type='str', fallback=(env_fallback, ['AZURE_PROFILE'])),
    subscription_id=dict(type='str', fallback=(env_fallback, ['AZURE_SUBSCRIPTION_ID'])),
    client_id=dict(type='str', fallback=(env_fallback, ['AZURE_CLIENT_ID'])),
    secret=dict(type='str', no_log=True, fallback=(env_fallback, ['AZURE_SECRET'])),
    tenant=dict(type='str', fallback=(env_fallback, ['AZURE_TENANT'])),
    x509_certificate_path=dict(type='path', fallback=(env_fallback, ['AZURE_X509_CERTIFICATE_PATH'])),
    cloud_environment=dict(type='str', default='AzureCloud', fallback=(env_fallback, ['AZURE_CLOUD_ENVIRONMENT'])),
    cert_validation_mode=dict(type='str', choices=['validate', 'ignore'], default='validate',
                              fallback=(env_fallback, ['AZURE_CERT_VALIDATION_MODE'])),
)

# The options of phonebill.platform.azure.tags and phonebill.platform.azure.resource.
TAGS_ARGUMENT_SPEC = dict(
    tags=dict(type='dict'),
    purge_tags=dict(type='bool', default=False),
)

STATE_ARGUMENT_SPEC = dict(
    state=dict(type='str', choices=['present', 'absent'], default='present'),
)

# Used only when Azure sends no Retry-After (it nearly always does).
POLLING_INTERVAL = 5


def to_rest(model):
    """An SDK model (either generator's) as the REST document Azure sent."""
    if model is None or isinstance(model, (dict, list, str)):
        return model
    if hasattr(model, '_attribute_map') and hasattr(model, 'serialize'):
        return model.serialize(keep_readonly=True)
    if hasattr(model, 'as_dict'):
        return model.as_dict()
    return model


class AzureModule(ModuleBase):
    """The module object every Azure module of the collection uses (auth options; see ModuleBase)."""

    shared_spec = AUTH_ARGUMENT_SPEC

    def __init__(self, argument_spec, long_running=False, default_timeout=1800, **kwargs):
        super(AzureModule, self).__init__(argument_spec, long_running, default_timeout, **kwargs)
        #: when the task's `timeout` runs out: throttled requests are retried until then
        self.deadline = time.monotonic() + self.timeout
        self._cloud = None
        self._identity = None
        self._credential = None
        self._transport = None
        self._clients = {}

    def require(self, service):
        """The imported Python module of an SDK service, or a failure naming the pip requirement."""
        return self.imported(lambda: sdk.load(service), errors=sdk.MissingLibrary)

    # ---- where and as whom ----
    @property
    def connection_verify(self):
        return self.params['cert_validation_mode'] != 'ignore'

    @property
    def cloud(self):
        if self._cloud is None:
            try:
                value = self.params['cloud_environment']
                self._cloud = cloud_utils.WARM_CLOUDS.get(value) or cloud_utils.resolve_cloud(value, self._fetch_text)
            except cloud_utils.CloudError as exc:
                self.fail('cloud_environment: %s' % exc)
        return self._cloud

    @property
    def transport(self):
        """The HTTP transport every client and the credential of this run share (one session; transport.py)."""
        if self._transport is None:
            transport_sdk = self.imported(lambda: sdk.load(transport.TRANSPORT), errors=sdk.MissingLibrary)
            self._transport = transport.requests_transport(transport_sdk, transport.session(), self.connection_verify)
        return self._transport

    def _fetch_text(self, url):
        # azure-core's own transport dependencies; urllib3 raises its own errors through the shared session, which
        # leaves retries to azure-core's policy as azure-core's own sessions do
        requests = self.imported(lambda: importlib.import_module('requests'), sdk.CORE_EXCEPTIONS.requirement)
        urllib3 = self.imported(lambda: importlib.import_module('urllib3.exceptions'), sdk.CORE_EXCEPTIONS.requirement)
        try:
            response = self.transport.session.get(url, timeout=30, verify=self.connection_verify)
            response.raise_for_status()
        except (requests.RequestException, urllib3.HTTPError) as exc:
            if errors.unreachable(exc):  # the endpoint is down, not the setting wrong
                self.fail('cannot reach Azure Resource Manager at %s: %s' % (url, errors.unreachable(exc)))
            raise cloud_utils.CloudError('cannot read the metadata endpoint %s: %s' % (url, exc))
        return response.text

    @property
    def identity(self):
        if self._identity is None:
            try:
                self._identity = auth.choose_identity(self.params)
                if not self._identity.subscription_id and self._identity.source == 'cli':
                    self._identity.subscription_id = auth.cli_subscription(self.ansible.run_command)
            except auth.AuthError as exc:
                self.fail('authentication: %s' % exc)
        return self._identity

    @property
    def subscription_id(self):
        return self.identity.subscription_id

    @property
    def credential(self):
        """One credential for every client of the run, renewed once when ARM refuses its token."""
        if self._credential is None:
            identity_sdk = self.require(sdk.IDENTITY)
            self._credential = auth.RenewableCredential(
                lambda: auth.build_credential(identity_sdk, self.identity, self.cloud, self.connection_verify,
                                              transport=self.transport),
                warm_key=lambda scopes, options=None: auth.token_key(self.identity, self.cloud, self.connection_verify,
                                                                     scopes, options))
        return self._credential

    def client(self, name):
        """The management client of an SDK service, built once per run."""
        if name not in self._clients:
            client_class = self.imported(lambda: sdk.client_class(name), errors=sdk.MissingLibrary)
            self._clients[name] = client_class(
                credential=self.credential, subscription_id=self.subscription_id,
                base_url=self.cloud.resource_manager, credential_scopes=[self.cloud.scope],
                connection_verify=self.connection_verify, transport=self.transport, polling_interval=POLLING_INTERVAL,
                retry_policy=errors.RetryPolicy(self.deadline),
                authentication_policy=auth.RenewingAuthenticationPolicy(self.credential, self.cloud.scope))
        return self._clients[name]

    # ---- calling Azure ----
    def call(self, action, function, *args, **kwargs):
        """function(*args, **kwargs), failing the module with Azure's error on an SDK error."""
        return self._invoke(action, function, args, kwargs, missing_ok=False)

    def get_or_none(self, action, function, *args, **kwargs):
        """A resource read that returns None for 404 instead of failing."""
        return self._invoke(action, function, args, kwargs, missing_ok=True)

    def _invoke(self, action, function, args, kwargs, missing_ok):
        exceptions = self.require(sdk.CORE_EXCEPTIONS)
        try:
            return function(*args, **kwargs)
        except exceptions.AzureError as exc:
            if missing_ok and isinstance(exc, exceptions.ResourceNotFoundError):
                return None
            self.fail_with(exc, action)
        return None

    def fail_with(self, exc, action, status_url=None):
        """Fail on an SDK error: an endpoint that cannot be reached, a refused identity, or Azure's answer."""
        exceptions = self.require(sdk.CORE_EXCEPTIONS)
        signing_in = isinstance(exc, exceptions.ClientAuthenticationError)
        reason = errors.unreachable(exc)
        if reason:
            attempts = errors.attempts_text(exc)
            self.fail('%s: cannot reach %s: %s%s' % (action, self._endpoint(signing_in), reason,
                                                     ' (%s)' % attempts if attempts else ''))
        if signing_in:
            self.fail('authentication: %s' % errors.describe(exc, action))
        self.fail(errors.describe(exc, action, status_url), azure_error_code=errors.error_code(exc))

    def _endpoint(self, signing_in):
        """What a request that failed to connect was trying to reach."""
        if not signing_in:
            return 'Azure Resource Manager at %s' % self.cloud.resource_manager
        if self.identity.source == 'msi':
            return 'the managed identity endpoint'
        return 'Microsoft Entra ID (sign-in) at %s' % self.cloud.login

    def run_operation(self, action, start):
        """Start a long-running operation and wait for it within `timeout`.

        Returns (REST result or None, status URL when not waited for).
        """
        exceptions = self.require(sdk.CORE_EXCEPTIONS)
        poller = self.call(action, start)
        if not hasattr(poller, 'polling_method'):
            return to_rest(poller), None
        if not self.params.get('wait', True):
            return None, waiter.status_url(poller)
        try:
            return to_rest(waiter.wait_for_poller(poller, self.timeout, action)), None
        except waiter.OperationTimeout as exc:
            self.fail(str(exc), status_url=exc.status_url)
        except exceptions.AzureError as exc:
            self.fail_with(exc, action, waiter.status_url(poller))
        return None, None

    def settle(self, action, busy):
        """Re-attach to operations running on the resource (busy(): what runs, read again); fail when they outlast `timeout`."""
        try:
            waiter.wait_until_settled(busy, self.timeout, action)
        except waiter.OperationTimeout as exc:
            self.fail('%s; nothing was written' % exc)
