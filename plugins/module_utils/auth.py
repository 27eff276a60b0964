# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who the modules act as: one credential chain for every module.

Parameter and environment names are azure.azcollection's, so playbooks and
AWX credential types migrate unchanged. Added: workload identity (federated
token file) and managed identity inside the automatic chain, and the Azure
CLI credential, which shells out to `az` rather than importing azure-cli.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import configparser
import hashlib
import os
import shutil
import time

try:
    from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy
except ImportError:  # the module fails naming the SDK requirement before it builds a client (sdk.py)
    ARMChallengeAuthenticationPolicy = object

AUTH_SOURCES = ['auto', 'env', 'credential_file', 'cli', 'msi', 'workload_identity']
CREDENTIAL_FILE = os.path.join('~', '.azure', 'credentials')


class AuthError(Exception):
    """No usable identity could be chosen from the parameters and environment."""


class Identity:
    """The chosen identity: how to build its credential, and the subscription it works in."""

    def __init__(self, source, subscription_id, tenant=None, client_id=None, secret=None,
                 certificate_path=None, token_file=None):
        self.source = source
        self.subscription_id = subscription_id
        self.tenant = tenant
        self.client_id = client_id
        self.secret = secret
        self.certificate_path = certificate_path
        self.token_file = token_file


def read_profile(profile, path=None):
    """A section of ~/.azure/credentials as a dict (empty when absent)."""
    path = os.path.expanduser(path or CREDENTIAL_FILE)
    parser = configparser.ConfigParser()
    if not parser.read(path):
        return {}
    name = profile or 'default'
    if not parser.has_section(name):
        raise AuthError('profile %r is not in %s (sections: %s)' % (name, path, ', '.join(parser.sections())))
    return dict(parser.items(name))


def _from_values(source, values, subscription_id):
    subscription = subscription_id or values.get('subscription_id')
    if values.get('client_id') and values.get('tenant') and (values.get('secret') or values.get('x509_certificate_path')):
        return Identity(source, subscription, tenant=values['tenant'], client_id=values['client_id'],
                        secret=values.get('secret'), certificate_path=values.get('x509_certificate_path'))
    return None


def _workload_identity(params, env):
    token_file = env.get('AZURE_FEDERATED_TOKEN_FILE')
    client_id = params.get('client_id') or env.get('AZURE_CLIENT_ID')
    tenant = params.get('tenant') or env.get('AZURE_TENANT_ID') or env.get('AZURE_TENANT')
    if token_file and client_id and tenant:
        return Identity('workload_identity', params.get('subscription_id'), tenant=tenant,
                        client_id=client_id, token_file=token_file)
    return None


def _require(identity, source, hint):
    if identity is None:
        raise AuthError('auth_source=%s but %s' % (source, hint))
    if not identity.subscription_id and source != 'cli':
        raise AuthError('no subscription: set subscription_id or AZURE_SUBSCRIPTION_ID')
    return identity


def choose_identity(params, env=None):
    """Pick the identity that auth_source (or the automatic chain) selects.

    params holds the module's auth options after environment fallbacks; env
    is the process environment (for the variables only platforms set).
    """
    env = os.environ if env is None else env
    source = params.get('auth_source') or 'auto'
    subscription_id = params.get('subscription_id')
    explicit = dict((k, params.get(k)) for k in ('client_id', 'secret', 'tenant', 'x509_certificate_path'))

    if source == 'env':
        return _require(_from_values('env', explicit, subscription_id), source,
                        'client_id, tenant and secret (or x509_certificate_path) are not all set')
    if source == 'credential_file':
        return _require(_from_values('credential_file', read_profile(params.get('profile')), subscription_id),
                        source, 'the profile lacks client_id, tenant or secret')
    if source == 'workload_identity':
        return _require(_workload_identity(params, env), source,
                        'AZURE_FEDERATED_TOKEN_FILE, the client id and the tenant are not all set')
    if source == 'cli':
        return Identity('cli', subscription_id)
    if source == 'msi':
        return _require(Identity('msi', subscription_id or env.get('AZURE_SUBSCRIPTION_ID'),
                                 client_id=params.get('client_id')), source, 'no subscription')

    chain = [
        lambda: _from_values('env', explicit, subscription_id),
        lambda: _workload_identity(params, env),
        lambda: _from_values('credential_file', read_profile(params.get('profile')), subscription_id)
        if params.get('profile') or os.path.exists(os.path.expanduser(CREDENTIAL_FILE)) else None,
        lambda: Identity('cli', subscription_id) if shutil.which('az') else None,
        lambda: Identity('msi', subscription_id, client_id=params.get('client_id'))
        if subscription_id and (env.get('IDENTITY_ENDPOINT') or env.get('MSI_ENDPOINT')) else None,
    ]
    for candidate in chain:
        identity = candidate()
        if identity is not None:
            return _require(identity, identity.source, 'it is incomplete')
    raise AuthError('no Azure credentials found: set client_id/secret/tenant (AZURE_CLIENT_ID, AZURE_SECRET, '
                    'AZURE_TENANT), a profile in ~/.azure/credentials, workload identity '
                    '(AZURE_FEDERATED_TOKEN_FILE), log in with `az login`, or use auth_source=msi')


def build_credential(identity_sdk, identity, cloud, connection_verify, transport=None):
    """An azure-identity credential object for the chosen identity and cloud.

    `transport`: the azure-core transport its token requests go through (the module run's shared one), or its own.
    """
    http = dict(connection_verify=connection_verify)
    if transport is not None:
        http['transport'] = transport
    common = dict(authority=cloud.login, **http)
    if cloud.custom:
        common['disable_instance_discovery'] = True
    if identity.source == 'cli':
        return identity_sdk.AzureCliCredential(tenant_id=identity.tenant)
    if identity.source == 'msi':
        return identity_sdk.ManagedIdentityCredential(client_id=identity.client_id, **http)
    if identity.source == 'workload_identity':
        return identity_sdk.WorkloadIdentityCredential(tenant_id=identity.tenant, client_id=identity.client_id,
                                                       token_file_path=identity.token_file, **common)
    if identity.certificate_path:
        return identity_sdk.CertificateCredential(identity.tenant, identity.client_id,
                                                  certificate_path=identity.certificate_path, **common)
    return identity_sdk.ClientSecretCredential(identity.tenant, identity.client_id, identity.secret, **common)


#: ARM and Key Vault tokens got once by the process that forks Ansible's task workers (plugin_utils/in_process.py),
#: by token_key: held in memory only, inherited by the workers, so a module run there sends no token request
WARM_TOKENS = {}
#: a warm token is used only while it has this long to live (seconds)
WARM_TOKEN_MARGIN = 300


def token_key(identity, cloud, connection_verify, scopes, options=None):
    """Everything a token depends on (the secret only as a digest); None when no warm token may answer the request.

    `options`: the keyword arguments of get_token. A claims challenge (Continuous Access Evaluation revoked the
    token) always needs a new token, and a tenant other than the identity's another token; the identity's own
    tenant, which Key Vault's challenge names, asks for the same token as none.
    """
    options = dict(options or {})
    if options.pop('claims', None):
        return None
    tenant = options.pop('tenant_id', None)
    if tenant and tenant.lower() != (identity.tenant or '').lower():
        return None
    secret = hashlib.sha256((identity.secret or '').encode('utf-8')).hexdigest()
    return (identity.source, identity.tenant, identity.client_id, secret, identity.certificate_path,
            identity.token_file, cloud.login, bool(connection_verify), tuple(scopes), tuple(sorted(options.items())))


class RenewableCredential:
    """The identity's credential, rebuilt when ARM refuses a token that has not expired yet.

    A token can be revoked or expire early (clock skew); azure-identity hands out
    its cached token until the token's own expiry, so a fresh token needs a fresh
    credential (an empty cache). `renewals` counts how often that happened.
    `warm_key(scopes, options)`: the WARM_TOKENS key of this identity (token_key), used before asking the credential.
    """

    def __init__(self, build, warm_key=None):
        self._build = build
        self._credential = build()
        self._warm_key = warm_key
        self.renewals = 0

    def get_token(self, *scopes, **kwargs):
        key = self._warm_key(scopes, kwargs) if self._warm_key else None
        warm = WARM_TOKENS.get(key) if key is not None else None
        if warm is not None and warm.expires_on > time.time() + WARM_TOKEN_MARGIN:
            return warm
        return self._credential.get_token(*scopes, **kwargs)

    def renew(self, scopes, refused):
        """A token other than the refused one; the credential is rebuilt unless another client already did."""
        if self._warm_key:
            warm = WARM_TOKENS.get(self._warm_key(scopes))
            if warm is not None and warm.token == refused:
                del WARM_TOKENS[self._warm_key(scopes)]
        if self._credential.get_token(*scopes).token == refused:
            self._credential = self._build()
            self.renewals += 1
        return self._credential.get_token(*scopes)


class RenewingAuthenticationPolicy(ARMChallengeAuthenticationPolicy):
    """ARM's bearer policy (it answers claims challenges) that also answers a plain 401 once.

    On 401 InvalidAuthenticationToken or ExpiredAuthenticationToken it gets a new
    token (RenewableCredential.renew) and sends the request again, once: a second
    401 reaches the module as an authentication failure.
    """

    def on_challenge(self, request, response):
        if super(RenewingAuthenticationPolicy, self).on_challenge(request, response):
            return True
        refused = request.http_request.headers.get('Authorization', '').partition(' ')[2]
        self._token = self._credential.renew(self._scopes, refused)
        self._update_headers(request.http_request.headers, self._token.token)
        return True


def cli_subscription(run_command):
    """The default subscription of the logged-in Azure CLI, asked through `az` itself."""
    rc, out, err = run_command(['az', 'account', 'show', '--query', 'id', '-o', 'tsv'])
    if rc != 0 or not out.strip():
        raise AuthError('auth_source=cli: `az account show` failed (%s); run `az login` or set subscription_id'
                        % (err.strip() or rc))
    return out.strip()
