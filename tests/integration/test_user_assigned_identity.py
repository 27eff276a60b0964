# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""user_assigned_identity and user_assigned_identity_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

GROUP = dict(name='rg-phonebill-it', location='koreacentral')
IDENTITY = dict(name='phonebill-services', resource_group='rg-phonebill-it', location='Korea Central',
                tags={'service': 'phonebill', 'environment': 'prod'})


@pytest.fixture
def group(azure):
    assert azure('resource_group', **GROUP)['changed'] is True


def test_create_predicted_then_unchanged_with_no_write(azure, group):
    writes = azure.writes()
    predicted = azure('user_assigned_identity', check_mode=True, **IDENTITY)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('user_assigned_identity', **IDENTITY)
    assert created['changed'] is True
    assert created['differences'] == predicted['differences']
    assert created['principal_id'] and created['client_id'] and created['tenant_id']
    assert created['id'].lower().endswith('/userassignedidentities/phonebill-services')
    writes = azure.writes()
    again = azure('user_assigned_identity', **IDENTITY)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes
    assert again['principal_id'] == created['principal_id']


def test_drift_is_reported_and_repaired(azure, sandbox, group):
    created = azure('user_assigned_identity', **IDENTITY)
    sandbox.drift(created['id'], {'tags': {'service': 'phonebill', 'environment': 'staging', 'added-by': 'policy'}})
    predicted = azure('user_assigned_identity', check_mode=True, **IDENTITY)
    assert predicted['differences'] == [{'path': 'tags.environment', 'before': 'staging', 'after': 'prod'}]
    repaired = azure('user_assigned_identity', **IDENTITY)
    assert repaired['differences'] == predicted['differences']
    assert repaired['resource']['tags'] == {'service': 'phonebill', 'environment': 'prod', 'added-by': 'policy'}
    assert repaired['principal_id'] == created['principal_id']
    assert azure('user_assigned_identity', **IDENTITY)['changed'] is False


def test_info_and_delete(azure, group):
    created = azure('user_assigned_identity', **IDENTITY)
    found = azure('user_assigned_identity_info', name=IDENTITY['name'], resource_group=IDENTITY['resource_group'])
    assert [i['properties']['clientId'] for i in found['identities']] == [created['client_id']]
    assert len(azure('user_assigned_identity_info', tags={'service': 'phonebill'})['identities']) == 1
    absent = dict(name=IDENTITY['name'], resource_group=IDENTITY['resource_group'], state='absent')
    writes = azure.writes()
    assert azure('user_assigned_identity', check_mode=True, **absent)['changed'] is True and azure.writes() == writes
    assert azure('user_assigned_identity', **absent)['changed'] is True
    assert azure('user_assigned_identity_info', resource_group=IDENTITY['resource_group'])['identities'] == []
    assert azure('user_assigned_identity', **absent)['changed'] is False
