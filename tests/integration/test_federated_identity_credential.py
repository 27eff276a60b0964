# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""federated_identity_credential against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

ISSUER = 'https://koreacentral.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/1c2d3e4f-0000-4a5b-9c8d-0123456789ab/'
CREDENTIAL = dict(name='auth-service-sa', identity='phonebill-services', resource_group='rg-phonebill-it',
                  issuer=ISSUER, subject='system:serviceaccount:phonebill-prod:auth-service-sa')


@pytest.fixture
def identity(azure):
    azure('resource_group', name='rg-phonebill-it', location='koreacentral')
    return azure('user_assigned_identity', name='phonebill-services', resource_group='rg-phonebill-it',
                 location='koreacentral')


def test_create_predicted_then_unchanged_with_no_write(azure, identity):
    writes = azure.writes()
    predicted = azure('federated_identity_credential', check_mode=True, **CREDENTIAL)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('federated_identity_credential', **CREDENTIAL)
    assert created['differences'] == predicted['differences']
    assert created['resource']['properties']['audiences'] == ['api://AzureADTokenExchange']
    writes = azure.writes()
    assert azure('federated_identity_credential', **CREDENTIAL)['changed'] is False
    assert azure.writes() == writes


def test_drift_is_reported_and_repaired_then_deleted(azure, sandbox, identity):
    created = azure('federated_identity_credential', **CREDENTIAL)
    sandbox.drift(created['resource']['id'], {'properties': {'subject': 'system:serviceaccount:default:intruder'}})
    predicted = azure('federated_identity_credential', check_mode=True, **CREDENTIAL)
    assert predicted['differences'] == [{'path': 'properties.subject', 'before': 'system:serviceaccount:default:intruder',
                                         'after': CREDENTIAL['subject']}]
    repaired = azure('federated_identity_credential', **CREDENTIAL)
    assert repaired['differences'] == predicted['differences']
    assert repaired['resource']['properties']['subject'] == CREDENTIAL['subject']
    absent = dict(CREDENTIAL, state='absent')
    assert azure('federated_identity_credential', **absent)['changed'] is True
    assert azure('federated_identity_credential', **absent)['changed'] is False


def test_bad_subject_fails_before_any_request(azure, sandbox, identity):
    sandbox.clear_requests()
    failed = azure('federated_identity_credential', **dict(CREDENTIAL, subject='system:serviceaccount:only-namespace'))
    assert failed['failed'] and failed['msg'].startswith('subject:')
    assert sandbox.requests() == []


def test_check_mode_predicts_the_credential_of_a_cluster_not_created_yet(azure):
    """site.yml's credentials in check mode on an empty subscription: no identity, no cluster issuer yet."""
    args = dict(dict((k, v) for k, v in CREDENTIAL.items() if k != 'issuer'), unknown=['issuer'])
    predicted = azure('federated_identity_credential', check_mode=True, **args)
    assert not predicted.get('failed'), predicted.get('msg')
    assert predicted['changed'] is True and azure.writes() == 0
    assert predicted['resource']['properties']['issuer'] == '(known after a real run)'
    refused = azure('federated_identity_credential', **args)
    assert refused['failed'] and refused['msg'].startswith('issuer: is unknown') and azure.writes() == 0
