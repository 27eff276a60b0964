# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""role_assignment against the sandbox: built-in role names, reuse, derived names, removal."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from azure_sandbox import roles as sandbox_roles

from ansible_collections.phonebill.platform.plugins.module_utils.builtin_roles import BUILTIN_ROLES

ACRPULL = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
EXISTING = '0d5c2a3b-aaaa-4bbb-8ccc-0123456789ab'


@pytest.fixture
def grant(azure):
    group = azure('resource_group', name='rg-phonebill-it', location='koreacentral')
    identity = azure('user_assigned_identity', name='phonebill-services', resource_group='rg-phonebill-it',
                     location='koreacentral')
    return dict(scope=group['resource']['id'], role='AcrPull', principal_id=identity['principal_id'],
                principal_type='ServicePrincipal')


def test_the_built_in_role_table_agrees_with_the_sandbox_role_definitions():
    """Both carry Azure's GUIDs (ansible-test units has no sandbox, so this lives here): a role the sandbox
    defines under another GUID or name would be a wrong entry."""
    assert dict((guid, name) for name, guid in BUILTIN_ROLES.items()) == sandbox_roles.BUILTIN_ROLES


def test_create_predicted_then_unchanged_with_no_write(azure, grant):
    writes = azure.writes()
    predicted = azure('role_assignment', check_mode=True, **grant)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('role_assignment', **grant)
    assert created['differences'] == predicted['differences'] and created['name'] == predicted['name']
    assert created['role_definition_id'].lower().endswith(ACRPULL)
    assert created['resource']['properties']['principalId'] == grant['principal_id']
    writes = azure.writes()
    again = azure('role_assignment', **grant)
    assert again['changed'] is False and again['name'] == created['name'] and azure.writes() == writes


def test_a_no_op_run_sends_one_read(azure, sandbox, grant):
    """The built-in role needs no lookup of the role definitions: the assignments' list is the only request."""
    azure('role_assignment', **grant)
    sandbox.clear_requests()
    again = azure('role_assignment', **grant)
    assert again['changed'] is False
    assert [(r['method'], r['path'].split('?')[0].rsplit('/', 1)[-1]) for r in sandbox.requests()] == [
        ('GET', 'roleAssignments')]


def test_existing_assignment_made_elsewhere_is_reused(azure, sandbox, grant):
    scope = grant['scope']
    sandbox.seed([{'id': '%s/providers/Microsoft.Authorization/roleAssignments/%s' % (scope, EXISTING),
                   'name': EXISTING, 'type': 'Microsoft.Authorization/roleAssignments',
                   'properties': {'roleDefinitionId': '/subscriptions/%s/providers/Microsoft.Authorization/'
                                                      'roleDefinitions/%s' % (sandbox.subscription_id, ACRPULL),
                                  'principalId': grant['principal_id'], 'principalType': 'ServicePrincipal',
                                  'scope': scope}}])
    writes = azure.writes()
    result = azure('role_assignment', **grant)
    assert result['changed'] is False and result['name'] == EXISTING and azure.writes() == writes


def test_drift_is_reported_and_repaired_then_removed(azure, sandbox, grant):
    grant = dict(grant, description='phonebill services pull images')
    created = azure('role_assignment', **grant)
    sandbox.drift(created['resource']['id'], {'properties': {'description': 'changed by hand'}})
    predicted = azure('role_assignment', check_mode=True, **grant)
    assert predicted['differences'] == [{'path': 'properties.description', 'before': 'changed by hand',
                                         'after': 'phonebill services pull images'}]
    repaired = azure('role_assignment', **grant)
    assert repaired['differences'] == predicted['differences'] and repaired['name'] == created['name']
    absent = dict(grant, state='absent')
    writes = azure.writes()
    assert azure('role_assignment', check_mode=True, **absent)['changed'] is True and azure.writes() == writes
    assert azure('role_assignment', **absent)['changed'] is True
    assert azure('role_assignment', **absent)['changed'] is False


def test_unknown_role_fails_naming_the_option(azure, grant):
    writes = azure.writes()
    failed = azure('role_assignment', **dict(grant, role='Acr Puller'))
    assert failed['failed'] and failed['msg'].startswith('role:') and azure.writes() == writes


def test_check_mode_predicts_the_grant_on_an_empty_subscription_with_no_write(azure):
    """site.yml's AcrPull in check mode: neither the registry nor the cluster's kubelet identity exists yet."""
    predicted = azure('role_assignment', check_mode=True, role='AcrPull', principal_type='ServicePrincipal',
                      unknown=['scope', 'principal_id'])
    assert not predicted.get('failed'), predicted.get('msg')
    assert predicted['changed'] is True and azure.writes() == 0
    assert predicted['role_definition_id'].lower().endswith(ACRPULL)
    assert predicted['resource']['properties']['principalId'] == '(known after a real run)'
    refused = azure('role_assignment', role='AcrPull', principal_type='ServicePrincipal', unknown=['scope', 'principal_id'])
    assert refused['failed'] and refused['msg'].startswith('2 problems') and azure.writes() == 0
