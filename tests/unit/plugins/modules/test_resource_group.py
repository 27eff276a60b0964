# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""resource_group: mapping, comparison, check mode and refusals, on a fake ARM client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from unittest import mock

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.resource.resources import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import resource_group
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

SUB = '00000000-0000-0000-0000-000000000001'
AUTH = dict(subscription_id=SUB, client_id='app', secret='very-secret-value', tenant='tenant')


class FakeGroups:
    """resource_groups of a ResourceManagementClient, holding one subscription's groups."""

    def __init__(self, groups=None):
        self.groups = dict(groups or {})
        self.writes = []

    def get(self, name):
        if name.lower() not in self.groups:
            raise ResourceNotFoundError('Resource group %r could not be found.' % name)
        return self.groups[name.lower()]

    def create_or_update(self, name, body):
        self.writes.append(('put', name, body))
        stored = models.ResourceGroup(location=body['location'].replace(' ', '').lower(), tags=body.get('tags'))
        stored['id'] = '/subscriptions/%s/resourceGroups/%s' % (SUB, name)
        stored['name'] = name
        stored['properties'] = {'provisioningState': 'Succeeded'}
        self.groups[name.lower()] = stored
        return stored

    def begin_delete(self, name):
        self.writes.append(('delete', name))
        self.groups.pop(name.lower())
        return mock.Mock(polling_method=mock.Mock(), wait=mock.Mock(), done=lambda: True, result=lambda: None)


class FakeClient:
    def __init__(self, groups, contents=()):
        self.resource_groups = groups
        self.resources = mock.Mock()
        self.resources.list_by_resource_group.return_value = iter(contents)


def existing_group(tags):
    """A group as Azure returns it: lower-case location, server fields."""
    group = models.ResourceGroup(location='koreacentral', tags=tags)
    group['id'] = '/subscriptions/%s/resourceGroups/rg-phonebill-prod' % SUB
    group['name'] = 'rg-phonebill-prod'
    group['type'] = 'Microsoft.Resources/resourceGroups'
    group['properties'] = {'provisioningState': 'Succeeded'}
    return group


@pytest.fixture
def groups():
    return FakeGroups({'rg-phonebill-prod': existing_group({'environment': 'prod', 'added-by': 'policy'})})


def run(groups, args, contents=(), **kwargs):
    with mock.patch.object(AzureModule, 'client', lambda self, name: FakeClient(groups, contents)):
        return run_module(resource_group.main, dict(AUTH, **args), **kwargs)


def test_existing_group_in_display_name_location_is_unchanged(groups):
    result = run(groups, dict(name='rg-phonebill-prod', location='Korea Central', tags={'environment': 'prod'}))
    assert result['changed'] is False
    assert result['differences'] == []
    assert groups.writes == []


def test_create_in_check_mode_predicts_and_writes_nothing():
    empty = FakeGroups()
    result = run(empty, dict(name='rg-new', location='Korea Central', tags={'a': 'b'}), check_mode=True, diff=True)
    assert result['changed'] is True
    assert empty.writes == []
    assert result['diff'] == {'before': {}, 'after': {'location': 'Korea Central', 'tags': {'a': 'b'}}}
    assert sorted(d['path'] for d in result['differences']) == ['location', 'tags']


def test_create_then_second_run_is_unchanged():
    empty = FakeGroups()
    first = run(empty, dict(name='rg-new', location='Korea Central', tags={'a': 'b'}))
    second = run(empty, dict(name='rg-new', location='Korea Central', tags={'a': 'b'}))
    assert first['changed'] is True and second['changed'] is False
    assert first['resource']['location'] == 'koreacentral'
    assert len(empty.writes) == 1


def test_tag_change_merges_onto_existing_tags(groups):
    result = run(groups, dict(name='rg-phonebill-prod', tags={'environment': 'staging'}), diff=True)
    assert result['changed'] is True
    assert result['differences'] == [{'path': 'tags.environment', 'before': 'prod', 'after': 'staging'}]
    (_verb, _name, body), = groups.writes
    assert body == {'location': 'koreacentral', 'tags': {'environment': 'staging', 'added-by': 'policy'}}
    assert result['diff']['before']['tags'] == {'environment': 'prod', 'added-by': 'policy'}


def test_purge_tags_removes_unstated_tags(groups):
    result = run(groups, dict(name='rg-phonebill-prod', tags={'environment': 'prod'}, purge_tags=True))
    assert [d['path'] for d in result['differences']] == ['tags.added-by']
    assert groups.writes[0][2]['tags'] == {'environment': 'prod'}


def test_location_cannot_move(groups):
    result = run(groups, dict(name='rg-phonebill-prod', location='Korea South'))
    assert result['failed'] and result['msg'].startswith('location: resource group rg-phonebill-prod has')
    assert groups.writes == []


def test_create_without_location_names_the_field():
    result = run(FakeGroups(), dict(name='rg-new'))
    assert result['failed'] and result['msg'].startswith('location: required to create')


@pytest.mark.parametrize('name', ['bad/name', 'ends.', 'x' * 91, ''])
def test_invalid_names_fail_before_any_call(name):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no call expected')):
        result = run_module(resource_group.main, dict(AUTH, name=name, location='koreacentral'))
    assert result['failed'] and result['msg'].startswith('name:')


def test_non_string_tag_value_fails_before_any_call():
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no call expected')):
        result = run_module(resource_group.main, dict(AUTH, name='rg', location='koreacentral', tags={'n': 1}))
    assert result['failed'] and result['msg'].startswith('tags.n:')


def test_delete_of_nonempty_group_is_refused_without_force(groups):
    content = mock.Mock()
    content.name = 'vnet-phonebill-prod'
    result = run(groups, dict(name='rg-phonebill-prod', state='absent'), contents=[content])
    assert result['failed'] and 'force_delete_nonempty' in result['msg'] and 'vnet-phonebill-prod' in result['msg']
    assert groups.writes == []


def test_delete_absent_group_is_unchanged_and_check_mode_delete_writes_nothing(groups):
    assert run(FakeGroups(), dict(name='rg-gone', state='absent'))['changed'] is False
    result = run(groups, dict(name='rg-phonebill-prod', state='absent', force_delete_nonempty=True), check_mode=True)
    assert result['changed'] is True and groups.writes == []
    result = run(groups, dict(name='rg-phonebill-prod', state='absent', force_delete_nonempty=True))
    assert result['changed'] is True and groups.writes == [('delete', 'rg-phonebill-prod')]


def test_secret_never_in_result(groups):
    result = run(groups, dict(name='rg-phonebill-prod', tags={'environment': 'staging'}), diff=True)
    assert 'very-secret-value' not in json.dumps(result)
