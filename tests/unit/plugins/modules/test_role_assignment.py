# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""role_assignment: identity by principal, role and scope; reuse, derived names, refusals."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from unittest import mock

import pytest
from azure.mgmt.authorization.v2022_04_01 import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import role_assignment, role_assignment_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, Collection, as_model, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

SCOPE = ('/subscriptions/%s/resourceGroups/rg-phonebill-prod/providers/Microsoft.ContainerRegistry/registries/'
         'acrphonebillprod' % SUB)
ACRPULL = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
PRINCIPAL = '6f1c2e0a-1111-4a5b-9c8d-0123456789ab'
EXISTING = '0d5c2a3b-aaaa-4bbb-8ccc-0123456789ab'
CUSTOM = '5b1e4c2a-7d3f-4e8a-9b0c-1d2e3f4a5b6c'
ROLES = {ACRPULL: 'AcrPull', READER: 'Reader', CUSTOM: 'Phonebill Image Reader'}
ARGS = dict(scope=SCOPE, role='AcrPull', principal_id=PRINCIPAL, principal_type='ServicePrincipal')


def definition_id(guid):
    return '/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s' % (SUB, guid)


def fill(key, body, previous):
    """Azure keeps the scope as the URL had it, fills principalType and the audit fields."""
    scope, name = key
    body.update(id='%s/providers/Microsoft.Authorization/roleAssignments/%s' % (scope, name), name=name,
                type='Microsoft.Authorization/roleAssignments')
    properties = body.setdefault('properties', {})
    properties.update(scope=scope, createdOn=(previous or {}).get('properties', {}).get('createdOn', '2025-01-01T00:00:00Z'),
                      updatedOn='2025-02-01T00:00:00Z', createdBy='admin', updatedBy='admin')
    properties.setdefault('principalType', 'ServicePrincipal')
    return body


class FakeAuthorization:
    def __init__(self):
        self.assignments = Collection(models.RoleAssignment, fill)
        self.lookups = []
        self.role_assignments = mock.Mock()
        self.role_assignments.get.side_effect = self.assignments.get
        self.role_assignments.create.side_effect = lambda scope, name, body: self.assignments.put((scope, name), body)
        self.role_assignments.delete.side_effect = lambda scope, name: self.assignments.delete((scope, name))
        self.role_assignments.list_for_scope.side_effect = self.list_for_scope
        self.role_definitions = mock.Mock()
        self.role_definitions.list.side_effect = self.list_definitions

    def seed(self, scope, name, guid, principal=PRINCIPAL):
        self.assignments.seed((scope, name), fill((scope, name), {'properties': {
            'roleDefinitionId': definition_id(guid), 'principalId': principal}}, None))

    def list_for_scope(self, scope, filter=None):  # pylint: disable=redefined-builtin
        principal = re.search(r"principalId eq '([^']+)'", filter or '')
        # Azure lists assignments at, above and below the scope
        return iter([as_model(models.RoleAssignment, a) for a in self.assignments.items.values()
                     if not principal or a['properties']['principalId'] == principal.group(1)])

    def list_definitions(self, scope, filter=None):  # pylint: disable=redefined-builtin
        self.lookups.append((scope, filter))
        name = re.search(r"roleName eq '(.*)'$", filter or '')
        return iter([as_model(models.RoleDefinition, {'id': definition_id(guid), 'name': guid,
                                                      'properties': {'roleName': role, 'type': 'BuiltInRole'}})
                     for guid, role in ROLES.items()
                     if not name or role.lower() == name.group(1).replace("''", "'").lower()])


@pytest.fixture
def azure():
    return FakeAuthorization()


def run(azure, args, **kwargs):
    with mock.patch.object(AzureModule, 'client', client_factory({'authorization': azure})):
        return run_module(role_assignment.main, dict(AUTH, **args), **kwargs)


def test_existing_assignment_under_any_name_is_reused(azure):
    # the scope as Azure stores it differs in case; an assignment above the scope is not this one
    azure.seed(SCOPE.lower(), EXISTING, ACRPULL)
    azure.seed('/subscriptions/%s' % SUB, '11111111-2222-4333-8444-555555555555', ACRPULL)
    result = run(azure, ARGS)
    assert result['changed'] is False and result['differences'] == []
    assert result['name'] == EXISTING
    assert azure.assignments.writes == []
    assert azure.lookups == []  # a built-in role's GUID is known


def test_custom_role_name_is_looked_up_at_the_scope(azure):
    azure.seed(SCOPE, EXISTING, CUSTOM)
    result = run(azure, dict(ARGS, role='phonebill image reader'))
    assert result['changed'] is False and result['name'] == EXISTING
    assert result['role_definition_id'] == definition_id(CUSTOM)
    assert azure.lookups == [(SCOPE, "roleName eq 'phonebill image reader'")]


def test_built_in_role_name_in_any_case_needs_no_lookup(azure):
    azure.seed(SCOPE, EXISTING, ACRPULL)
    result = run(azure, dict(ARGS, role='acrpull'))
    assert result['changed'] is False and result['name'] == EXISTING
    assert result['role_definition_id'] == definition_id(ACRPULL) and azure.lookups == []


def test_new_assignment_gets_a_derived_name_and_reruns_never_duplicate(azure):
    predicted = run(azure, ARGS, check_mode=True)
    assert predicted['changed'] is True and azure.assignments.writes == []
    created = run(azure, ARGS)
    assert created['name'] == predicted['name'] == role_assignment.derived_name(PRINCIPAL, definition_id(ACRPULL), SCOPE)
    (_verb, key, body), = azure.assignments.writes
    assert key == (SCOPE, created['name'])
    assert body == {'properties': {'roleDefinitionId': definition_id(ACRPULL), 'principalId': PRINCIPAL,
                                   'principalType': 'ServicePrincipal'}}
    again = run(azure, ARGS)
    assert again['changed'] is False and len(azure.assignments.writes) == 1


def test_role_by_definition_guid_needs_no_lookup(azure):
    azure.seed(SCOPE, EXISTING, ACRPULL)
    result = run(azure, dict(ARGS, role=ACRPULL.upper()))
    assert result['changed'] is False and azure.lookups == []


def test_description_change_updates_in_place(azure):
    azure.seed(SCOPE, EXISTING, ACRPULL)
    result = run(azure, dict(ARGS, description='kubelet pulls images'), diff=True)
    assert result['differences'] == [{'path': 'properties.description', 'before': None, 'after': 'kubelet pulls images'}]
    (_verb, key, body), = azure.assignments.writes
    assert key == (SCOPE, EXISTING)
    assert body['properties']['description'] == 'kubelet pulls images'
    assert 'createdOn' not in body['properties'] and 'scope' not in body['properties']


def test_other_role_of_the_same_principal_is_a_new_assignment(azure):
    azure.seed(SCOPE, EXISTING, READER)
    result = run(azure, ARGS)
    assert result['changed'] is True and result['name'] != EXISTING
    assert len(azure.assignments.items) == 2


def test_principal_type_cannot_change(azure):
    azure.seed(SCOPE, EXISTING, ACRPULL)
    result = run(azure, dict(ARGS, principal_type='User'))
    assert result['failed'] and result['msg'].startswith('properties.principalType:')


def test_named_assignment_must_match(azure):
    azure.seed(SCOPE, EXISTING, READER)
    result = run(azure, dict(ARGS, name=EXISTING))
    assert result['failed'] and result['msg'].startswith('properties.roleDefinitionId:')
    deleted = run(azure, dict(ARGS, name=EXISTING, state='absent'))
    assert deleted['failed'] and deleted['msg'].startswith('name:') and azure.assignments.writes == []


def test_name_given_while_the_grant_exists_under_another_name(azure):
    azure.seed(SCOPE, EXISTING, ACRPULL)
    result = run(azure, dict(ARGS, name='99999999-8888-4777-8666-555555555555'))
    assert result['failed'] and result['msg'].startswith('name:') and EXISTING in result['msg']


def test_absent_removes_only_the_matching_assignment(azure):
    azure.seed(SCOPE, EXISTING, ACRPULL)
    azure.seed(SCOPE, '22222222-3333-4444-8555-666666666666', READER)
    args = dict(ARGS, state='absent')
    assert run(azure, args, check_mode=True)['changed'] is True and azure.assignments.writes == []
    assert run(azure, args)['changed'] is True
    assert azure.assignments.writes == [('delete', (SCOPE, EXISTING))]
    assert run(azure, args)['changed'] is False


def test_unknown_role_name_fails_naming_the_option(azure):
    result = run(azure, dict(ARGS, role='Acr Puller'))
    assert result['failed'] and result['msg'].startswith('role: no role named')
    assert azure.assignments.writes == []


@pytest.mark.parametrize('changes, option', [
    (dict(principal_id='not-a-guid'), 'principal_id:'),
    (dict(scope='resourceGroups/rg'), 'scope:'),
    (dict(scope='/subscriptions//resourceGroups/rg'), 'scope:'),
    (dict(name='assignment-1'), 'name:'),
    (dict(role='/providers/Microsoft.Authorization/roleDefinitions/not-a-guid'), 'role:'),
    (dict(role='  '), 'role:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(role_assignment.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option)


# Check mode of site.yml on an empty subscription: the registry and the cluster's kubelet identity do not exist yet.
@pytest.mark.parametrize('unknown', [['principal_id'], ['scope'], ['scope', 'principal_id']])
def test_check_mode_predicts_the_grant_of_values_not_known_yet(azure, unknown):
    args = dict(dict((k, v) for k, v in ARGS.items() if k not in unknown), unknown=unknown, role='Phonebill Image Reader')
    predicted = run(azure, args, check_mode=True, diff=True)
    assert not predicted.get('failed'), predicted.get('msg')
    assert predicted['changed'] is True and azure.assignments.writes == []
    assert predicted['role_definition_id'] == definition_id(CUSTOM)
    (created,) = predicted['differences']
    assert created['path'] == 'properties' and created['before'] is None
    assert created['after']['roleDefinitionId'] == definition_id(CUSTOM)
    for option in unknown:
        key = role_assignment.UNKNOWN_PATHS[option].split('.')[-1]
        assert created['after'][key] == predicted['diff']['after']['properties'][key] == '(known after a real run)'
    # no assignment is read for a principal or a resource that does not exist yet; a custom role is looked up
    # at the scope, or at the subscription while the scope is unknown
    azure.role_assignments.list_for_scope.assert_not_called()
    azure.role_assignments.get.assert_not_called()
    assert azure.lookups == [(SCOPE if 'scope' not in unknown else '/subscriptions/%s' % SUB, "roleName eq 'Phonebill Image Reader'")]


def test_a_real_run_refuses_unknown_values_before_any_client():
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(role_assignment.main, dict(AUTH, scope=SCOPE, role='AcrPull', unknown=['principal_id']))
    assert result['failed'] and result['msg'].startswith('principal_id: is unknown (listed in unknown), which only '
                                                         'check mode accepts')


@pytest.mark.parametrize('args, check_mode, option', [
    (dict(scope=SCOPE, role='AcrPull'), False, 'principal_id: required'),
    (dict(scope=SCOPE, role='AcrPull'), True, 'principal_id: required'),
    (dict(principal_id=PRINCIPAL, role='AcrPull'), True, 'scope: required'),
    (dict(ARGS, unknown=['principal_id']), True, 'unknown: lists principal_id, which is given'),
])
def test_required_values_are_given_or_unknown(args, check_mode, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(role_assignment.main, dict(AUTH, **args), check_mode=check_mode)
    assert result['failed'] and result['msg'].startswith(option)


def test_info_names_built_in_roles_without_listing_the_definitions(azure):
    azure.seed(SCOPE, EXISTING, ACRPULL)
    with mock.patch.object(AzureModule, 'client', client_factory({'authorization': azure})):
        found = run_module(role_assignment_info.main, dict(AUTH, scope=SCOPE, principal_id=PRINCIPAL))
    assert found['role_names'] == {ACRPULL: 'AcrPull'} and azure.lookups == []


def test_info_reads_the_definitions_for_a_custom_role(azure):
    azure.seed(SCOPE, EXISTING, ACRPULL)
    azure.seed(SCOPE, '22222222-3333-4444-8555-666666666666', CUSTOM)
    with mock.patch.object(AzureModule, 'client', client_factory({'authorization': azure})):
        found = run_module(role_assignment_info.main, dict(AUTH, scope=SCOPE, principal_id=PRINCIPAL))
    assert found['role_names'] == {ACRPULL: 'AcrPull', CUSTOM: 'Phonebill Image Reader'}
    assert azure.lookups == [(SCOPE, None)]
