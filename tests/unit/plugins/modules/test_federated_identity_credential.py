# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""federated_identity_credential: audiences as a set, issuer/subject updates, input checks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

import pytest
from azure.mgmt.msi.v2024_11_30 import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import federated_identity_credential
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, TENANT, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

ISSUER = 'https://koreacentral.oic.prod-aks.azure.com/%s/1c2d3e4f-0000-4a5b-9c8d-0123456789ab/' % TENANT
SUBJECT = 'system:serviceaccount:phonebill-prod:auth-service-sa'
KEY = ('rg-phonebill-prod', 'phonebill-services', 'auth-service-sa')
ARGS = dict(name='auth-service-sa', identity='phonebill-services', resource_group='rg-phonebill-prod',
            issuer=ISSUER, subject=SUBJECT)


def fill(key, body, previous):  # pylint: disable=unused-argument
    group, identity, name = key
    body.update(id='/subscriptions/%s/resourcegroups/%s/providers/Microsoft.ManagedIdentity/userAssignedIdentities/%s/'
                   'federatedIdentityCredentials/%s' % (SUB, group.lower(), identity, name),
                name=name, type='Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials')
    return body


@pytest.fixture
def credentials():
    collection = Collection(models.FederatedIdentityCredential, fill)
    collection.seed(KEY, fill(KEY, {'properties': {'issuer': ISSUER, 'subject': SUBJECT,
                                                   'audiences': ['api://AzureADTokenExchange']},
                                    'systemData': {'createdAt': '2025-01-01T00:00:00Z'}}, None))
    return collection


def run(collection, args, **kwargs):
    ops = Operations(collection, 3, get='get', create_or_update='put', delete='delete')
    with mock.patch.object(AzureModule, 'client', client_factory({'msi': mock.Mock(federated_identity_credentials=ops)})):
        return run_module(federated_identity_credential.main, dict(AUTH, **args), **kwargs)


def test_existing_credential_is_unchanged(credentials):
    result = run(credentials, ARGS)
    assert result['changed'] is False and credentials.writes == []


def test_create_with_default_audience_then_unchanged():
    empty = Collection(models.FederatedIdentityCredential, fill)
    predicted = run(empty, ARGS, check_mode=True)
    assert predicted['changed'] is True and empty.writes == []
    created = run(empty, ARGS)
    assert [d['path'] for d in created['differences']] == [d['path'] for d in predicted['differences']]
    assert empty.writes[0][2] == {'properties': {'issuer': ISSUER, 'subject': SUBJECT,
                                                 'audiences': ['api://AzureADTokenExchange']}}
    assert run(empty, ARGS)['changed'] is False and len(empty.writes) == 1


def test_subject_change_is_an_update_of_the_same_credential(credentials):
    subject = 'system:serviceaccount:phonebill-prod:bill-inquiry-service-sa'
    result = run(credentials, dict(ARGS, subject=subject), diff=True)
    assert result['differences'] == [{'path': 'properties.subject', 'before': SUBJECT, 'after': subject}]
    (verb, key, body), = credentials.writes
    assert (verb, key) == ('put', KEY)
    assert body['properties'] == {'issuer': ISSUER, 'subject': subject, 'audiences': ['api://AzureADTokenExchange']}


def test_audience_change_is_detected(credentials):
    result = run(credentials, dict(ARGS, audiences=['api://other']))
    assert [d['path'] for d in result['differences']] == ['properties.audiences']


def test_delete(credentials):
    args = dict(ARGS, state='absent')
    assert run(credentials, args)['changed'] is True
    assert credentials.writes == [('delete', KEY)]


def test_create_without_issuer_names_it():
    result = run(Collection(models.FederatedIdentityCredential, fill), dict(ARGS, issuer=None))
    assert result['failed'] and result['msg'].startswith('issuer: required to create')


@pytest.mark.parametrize('changes, option', [
    (dict(issuer='http://koreacentral.oic.prod-aks.azure.com/x/'), 'issuer:'),
    (dict(issuer='koreacentral.oic.prod-aks.azure.com'), 'issuer:'),
    (dict(subject='system:serviceaccount:phonebill-prod'), 'subject:'),
    (dict(subject='system:serviceaccount:Phonebill_Prod:auth'), 'subject:'),
    (dict(subject='system:serviceaccount:phonebill-prod:auth:extra'), 'subject:'),
    (dict(audiences=[]), 'audiences:'),
    (dict(audiences=['a', 'b']), 'audiences:'),
    (dict(name='x'), 'name:'),
    (dict(identity='bad identity'), 'identity:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(federated_identity_credential.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option)


def test_other_subjects_are_not_forced_into_the_kubernetes_form():
    empty = Collection(models.FederatedIdentityCredential, fill)
    result = run(empty, dict(ARGS, issuer='https://token.actions.githubusercontent.com',
                             subject='repo:phonebill/platform:environment:prod'))
    assert result['changed'] is True


UNKNOWN_ISSUER = dict(dict((k, v) for k, v in ARGS.items() if k != 'issuer'), unknown=['issuer'])


def test_check_mode_predicts_a_credential_for_a_cluster_not_created_yet():
    empty = Collection(models.FederatedIdentityCredential, fill)
    predicted = run(empty, UNKNOWN_ISSUER, check_mode=True, diff=True)
    assert not predicted.get('failed'), predicted.get('msg')
    assert predicted['changed'] is True and empty.writes == []
    expected = {'issuer': '(known after a real run)', 'subject': SUBJECT, 'audiences': ['api://AzureADTokenExchange']}
    assert predicted['differences'] == [{'path': 'properties', 'before': None, 'after': expected}]
    assert predicted['diff']['after']['properties'] == expected


def test_check_mode_predicts_an_existing_credential_will_trust_the_new_issuer(credentials):
    """A cluster created (again) gets a new issuer URL: the credential that exists will change."""
    predicted = run(credentials, UNKNOWN_ISSUER, check_mode=True)
    assert predicted['changed'] is True and credentials.writes == []
    assert predicted['differences'] == [{'path': 'properties.issuer', 'before': ISSUER, 'after': '(known after a real run)'}]


def test_a_real_run_refuses_an_unknown_issuer_before_any_client():
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(federated_identity_credential.main, dict(AUTH, **UNKNOWN_ISSUER))
    assert result['failed'] and result['msg'].startswith('issuer: is unknown (listed in unknown), which only check '
                                                         'mode accepts; a real run needs its value')
