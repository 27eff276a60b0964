# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""user_assigned_identity and its info module: mapping, comparison, ids returned, refusals."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

import pytest
from azure.mgmt.msi.v2024_11_30 import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import user_assigned_identity, user_assigned_identity_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, TENANT, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

IDENTITY_ID = ('/subscriptions/%s/resourcegroups/rg-phonebill-prod/providers/Microsoft.ManagedIdentity/'
               'userAssignedIdentities/phonebill-services' % SUB)
PRINCIPAL = '6f1c2e0a-1111-4a5b-9c8d-0123456789ab'
CLIENT = '2b9d0c4e-2222-4f6a-8b7c-0123456789ab'
ARGS = dict(name='phonebill-services', resource_group='rg-phonebill-prod', location='Korea Central',
            tags={'service': 'phonebill'})


def fill(key, body, previous):
    """What Azure stores: lower-cased group in the id, ids generated once, display location normalised."""
    group, name = key
    body.update(id='/subscriptions/%s/resourcegroups/%s/providers/Microsoft.ManagedIdentity/userAssignedIdentities/%s'
                % (SUB, group.lower(), name), name=name, type='Microsoft.ManagedIdentity/userAssignedIdentities',
                location=body['location'].replace(' ', '').lower())
    body['properties'] = dict((previous or {}).get('properties') or dict(
        principalId=PRINCIPAL, clientId=CLIENT, tenantId=TENANT, isolationScope='None'))
    return body


def existing():
    return {'id': IDENTITY_ID, 'name': 'phonebill-services', 'type': 'Microsoft.ManagedIdentity/userAssignedIdentities',
            'location': 'koreacentral', 'tags': {'service': 'phonebill', 'added-by': 'policy'},
            'systemData': {'createdBy': 'someone@example.com', 'createdAt': '2025-01-01T00:00:00Z'},
            'properties': {'principalId': PRINCIPAL, 'clientId': CLIENT, 'tenantId': TENANT, 'isolationScope': 'None'}}


@pytest.fixture
def identities():
    collection = Collection(models.Identity, fill)
    collection.seed(('rg-phonebill-prod', 'phonebill-services'), existing())
    return collection


def run(collection, args, main=user_assigned_identity.main, **kwargs):
    ops = Operations(collection, 2, get='get', create_or_update='put', delete='delete',
                     list_by_resource_group='list', list_by_subscription='list')
    with mock.patch.object(AzureModule, 'client', client_factory({'msi': mock.Mock(user_assigned_identities=ops)})):
        return run_module(main, dict(AUTH, **args), **kwargs)


def test_existing_identity_is_unchanged_and_returns_its_ids(identities):
    result = run(identities, ARGS)
    assert result['changed'] is False and result['differences'] == []
    assert identities.writes == []
    assert (result['principal_id'], result['client_id'], result['tenant_id']) == (PRINCIPAL, CLIENT, TENANT)
    assert result['id'] == IDENTITY_ID


def test_create_in_check_mode_predicts_and_writes_nothing():
    empty = Collection(models.Identity, fill)
    result = run(empty, ARGS, check_mode=True, diff=True)
    assert result['changed'] is True and empty.writes == []
    assert sorted(d['path'] for d in result['differences']) == ['location', 'tags']
    assert result['principal_id'] is None


def test_create_sends_only_what_is_stated_then_rerun_is_unchanged():
    empty = Collection(models.Identity, fill)
    first = run(empty, ARGS)
    assert first['changed'] is True and first['principal_id'] == PRINCIPAL
    assert empty.writes == [('put', ('rg-phonebill-prod', 'phonebill-services'),
                             {'location': 'Korea Central', 'tags': {'service': 'phonebill'}})]
    assert run(empty, ARGS)['changed'] is False
    assert len(empty.writes) == 1


def test_tag_change_keeps_foreign_tags_and_server_fields(identities):
    result = run(identities, dict(ARGS, tags={'service': 'billing'}), diff=True)
    assert result['differences'] == [{'path': 'tags.service', 'before': 'phonebill', 'after': 'billing'}]
    (_verb, _key, body), = identities.writes
    assert body['tags'] == {'service': 'billing', 'added-by': 'policy'}
    assert 'principalId' not in body.get('properties', {}) and 'id' not in body and 'systemData' not in body


def test_location_cannot_move(identities):
    result = run(identities, dict(ARGS, location='koreasouth'))
    assert result['failed'] and result['msg'].startswith('location:')
    assert identities.writes == []


def test_delete_and_check_mode_delete(identities):
    args = dict(name='phonebill-services', resource_group='rg-phonebill-prod', state='absent')
    assert run(identities, args, check_mode=True)['changed'] is True and identities.writes == []
    assert run(identities, args)['changed'] is True
    assert identities.writes == [('delete', ('rg-phonebill-prod', 'phonebill-services'))]
    assert run(identities, args)['changed'] is False


@pytest.mark.parametrize('args, option', [
    (dict(name='ab'), 'name:'),
    (dict(name='-starts-with-dash'), 'name:'),
    (dict(name='ok-name', tags={'n': 1}), 'tags.n:'),
    (dict(name='ok-name', tags={'a<b': 'c'}), 'tags.a<b: tag names cannot contain <'),
])
def test_bad_input_fails_before_any_client(args, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(user_assigned_identity.main, dict(AUTH, resource_group='rg', location='koreacentral', **args))
    assert result['failed'] and result['msg'].startswith(option)


def test_info_by_name_group_and_tags(identities):
    found = run(identities, dict(name='phonebill-services', resource_group='rg-phonebill-prod'),
                main=user_assigned_identity_info.main)
    assert [i['properties']['clientId'] for i in found['identities']] == [CLIENT]
    assert run(identities, dict(name='missing', resource_group='rg-phonebill-prod'),
               main=user_assigned_identity_info.main)['identities'] == []
    assert len(run(identities, dict(resource_group='rg-phonebill-prod', tags={'service': 'phonebill'}),
                   main=user_assigned_identity_info.main)['identities']) == 1
    assert run(identities, dict(tags={'service': 'other'}), main=user_assigned_identity_info.main)['identities'] == []


def test_info_name_without_group_fails_before_any_client():
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(user_assigned_identity_info.main, dict(AUTH, name='phonebill-services'))
    assert result['failed'] and result['msg'].startswith('resource_group:')
