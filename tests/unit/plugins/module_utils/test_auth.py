# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which identity each auth_source and the automatic chain choose, and the credential built for it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from unittest import mock

import pytest
from azure.core.credentials import AccessToken
from azure.core.pipeline import Pipeline
from azure.core.pipeline.transport import HttpRequest, HttpResponse, HttpTransport

from ansible_collections.phonebill.platform.plugins.module_utils import auth, cloud

SP = dict(client_id='app-id', secret='s3cret', tenant='tenant-id', subscription_id='sub-id')


@pytest.fixture(autouse=True)
def no_credential_file_and_no_cli(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, 'CREDENTIAL_FILE', str(tmp_path / 'credentials'))
    monkeypatch.setattr(auth.shutil, 'which', lambda name: None)
    return tmp_path / 'credentials'


def test_service_principal_from_parameters():
    identity = auth.choose_identity(dict(SP), env={})
    assert (identity.source, identity.client_id, identity.subscription_id) == ('env', 'app-id', 'sub-id')


def test_workload_identity_comes_before_the_credential_file(no_credential_file_and_no_cli):
    no_credential_file_and_no_cli.write_text('[default]\nclient_id=f\nsecret=g\ntenant=h\nsubscription_id=i\n')
    env = {'AZURE_FEDERATED_TOKEN_FILE': '/var/run/secrets/azure/tokens/azure-identity-token',
           'AZURE_CLIENT_ID': 'wi-client', 'AZURE_TENANT_ID': 'wi-tenant'}
    identity = auth.choose_identity(dict(subscription_id='sub-id'), env=env)
    assert (identity.source, identity.client_id, identity.tenant) == ('workload_identity', 'wi-client', 'wi-tenant')


def test_credential_file_profile(no_credential_file_and_no_cli):
    no_credential_file_and_no_cli.write_text('[default]\nclient_id=a\nsecret=b\ntenant=c\nsubscription_id=d\n'
                                             '[prod]\nclient_id=p\nsecret=q\ntenant=r\nsubscription_id=s\n')
    identity = auth.choose_identity(dict(auth_source='credential_file', profile='prod'), env={})
    assert (identity.client_id, identity.subscription_id) == ('p', 's')
    with pytest.raises(auth.AuthError, match="profile 'nope'"):
        auth.choose_identity(dict(auth_source='credential_file', profile='nope'), env={})


def test_managed_identity_only_where_the_platform_announces_it():
    with pytest.raises(auth.AuthError, match='no Azure credentials found'):
        auth.choose_identity(dict(subscription_id='sub-id'), env={})
    identity = auth.choose_identity(dict(subscription_id='sub-id'), env={'IDENTITY_ENDPOINT': 'http://x'})
    assert identity.source == 'msi'


def test_cli_when_az_is_installed(monkeypatch):
    monkeypatch.setattr(auth.shutil, 'which', lambda name: '/usr/bin/az')
    assert auth.choose_identity({}, env={}).source == 'cli'


def test_explicit_sources_name_what_is_missing():
    with pytest.raises(auth.AuthError, match='auth_source=env but client_id, tenant and secret'):
        auth.choose_identity(dict(auth_source='env', client_id='x'), env={})
    with pytest.raises(auth.AuthError, match='no subscription'):
        auth.choose_identity(dict(SP, subscription_id=None, auth_source='env'), env={})


def test_custom_cloud_credential_skips_instance_discovery():
    identity_sdk = mock.Mock()
    sandbox = cloud.Cloud('AzureSandbox', 'https://127.0.0.1:8443/', 'https://127.0.0.1:8443/',
                          'https://management.core.windows.net/', custom=True)
    auth.build_credential(identity_sdk, auth.Identity('env', 'sub', tenant='t', client_id='c', secret='s'),
                          sandbox, connection_verify=True)
    identity_sdk.ClientSecretCredential.assert_called_once_with(
        't', 'c', 's', authority='https://127.0.0.1:8443/', connection_verify=True, disable_instance_discovery=True)


def test_public_cloud_credential_keeps_instance_discovery():
    identity_sdk = mock.Mock()
    auth.build_credential(identity_sdk, auth.Identity('workload_identity', 'sub', tenant='t', client_id='c',
                                                      token_file='/tok'), cloud.KNOWN_CLOUDS['azurecloud'], True)
    kwargs = identity_sdk.WorkloadIdentityCredential.call_args.kwargs
    assert 'disable_instance_discovery' not in kwargs and kwargs['token_file_path'] == '/tok'


def test_cli_subscription_reports_az_failure():
    with pytest.raises(auth.AuthError, match='az login'):
        auth.cli_subscription(lambda cmd: (1, '', 'Please run az login'))
    assert auth.cli_subscription(lambda cmd: (0, 'sub-from-cli\n', '')) == 'sub-from-cli'


class IssuedTokens:
    """Builds credentials the way azure-identity's behave: each caches the one token it got."""

    def __init__(self):
        self.issued = 0

    def build(self):
        self.issued += 1
        token = AccessToken('token-%d' % self.issued, 2 ** 31)
        return mock.Mock(get_token=lambda *scopes, **kwargs: token)


class Arm(HttpTransport):
    """Answers 401 InvalidAuthenticationToken (with ARM's Bearer challenge) to the tokens it is told to refuse."""

    def __init__(self, refused):
        self.refused = set(refused)
        self.seen = []

    def send(self, request, **kwargs):
        token = request.headers['Authorization'].partition(' ')[2]
        self.seen.append(token)
        response = HttpResponse(request, None)
        response.status_code = 401 if token in self.refused else 200
        response.headers = {'WWW-Authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/t", '
                                                'error="invalid_token", error_description="The access token is invalid."'}
        return response

    def open(self):
        pass

    def close(self):
        pass

    def __exit__(self, *args):
        pass


def send_twice(tokens, arm):
    credential = auth.RenewableCredential(tokens.build)
    pipeline = Pipeline(arm, [auth.RenewingAuthenticationPolicy(credential, 'https://management.core.windows.net/.default')])
    statuses = [pipeline.run(HttpRequest('GET', 'https://management.azure.com/subscriptions')).http_response.status_code
                for _attempt in range(2)]
    return credential, statuses


def test_refused_token_is_renewed_once_and_the_request_sent_again():
    tokens = IssuedTokens()
    credential, statuses = send_twice(tokens, Arm(refused=['token-1']))
    assert statuses == [200, 200] and credential.renewals == 1 and tokens.issued == 2


def test_one_renewal_per_request_a_second_refusal_is_the_answer():
    tokens = IssuedTokens()
    arm = Arm(refused=['token-1', 'token-2'])
    credential, statuses = send_twice(tokens, arm)
    assert statuses == [401, 200]  # the first request gives up after one renewal; the next renews again
    assert arm.seen == ['token-1', 'token-2', 'token-2', 'token-3'] and credential.renewals == 2


def test_clients_sharing_the_credential_renew_it_once():
    tokens = IssuedTokens()
    credential = auth.RenewableCredential(tokens.build)
    assert credential.renew(['scope'], 'token-1').token == 'token-2'
    assert credential.renew(['scope'], 'token-1').token == 'token-2'  # another client's stale token
    assert credential.renewals == 1


WARM_IDENTITY = auth.Identity('env', 'sub', tenant='t', client_id='c', secret='s3cret-value')


def warm_credential(tokens, warm_token, monkeypatch):
    """A credential whose identity has `warm_token` in WARM_TOKENS (as the controller's warm start leaves it)."""
    cloud_ = cloud.KNOWN_CLOUDS['azurecloud']
    monkeypatch.setattr(auth, 'WARM_TOKENS', {auth.token_key(WARM_IDENTITY, cloud_, True, ('scope',)): warm_token})
    return auth.RenewableCredential(tokens.build, warm_key=lambda scopes, options=None: auth.token_key(
        WARM_IDENTITY, cloud_, True, scopes, options))


def test_a_warm_token_is_used_without_asking_the_credential(monkeypatch):
    tokens = IssuedTokens()
    credential = warm_credential(tokens, AccessToken('warm', int(time.time()) + 3600), monkeypatch)
    assert credential.get_token('scope').token == 'warm'
    assert credential.get_token('other-scope').token == 'token-1'  # another scope: the credential's own
    assert credential.get_token('scope', claims='x').token == 'token-1'  # a claims challenge: never the warm one


def test_a_warm_token_close_to_its_expiry_is_not_used(monkeypatch):
    credential = warm_credential(IssuedTokens(), AccessToken('warm', int(time.time()) + 60), monkeypatch)
    assert credential.get_token('scope').token == 'token-1'


def test_a_refused_warm_token_is_dropped_and_renewed(monkeypatch):
    tokens = IssuedTokens()
    credential = warm_credential(tokens, AccessToken('warm', int(time.time()) + 3600), monkeypatch)
    assert credential.renew(('scope',), 'warm').token == 'token-1'
    assert credential.get_token('scope').token == 'token-1' and auth.WARM_TOKENS == {}


def test_the_token_key_holds_no_secret_and_tells_identities_apart():
    cloud_ = cloud.KNOWN_CLOUDS['azurecloud']
    key = auth.token_key(WARM_IDENTITY, cloud_, True, ('scope',))
    assert 's3cret-value' not in repr(key)
    other = auth.Identity('env', 'sub', tenant='t', client_id='c', secret='another')
    assert key != auth.token_key(other, cloud_, True, ('scope',))
