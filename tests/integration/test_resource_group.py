# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""resource_group and resource_group_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

GROUP = dict(name='rg-phonebill-it', location='Korea Central', tags={'service': 'phonebill', 'environment': 'prod'})


def test_create_then_unchanged_with_no_write(azure):
    predicted = azure('resource_group', check_mode=True, **GROUP)
    assert predicted['changed'] is True and azure.writes() == 0
    created = azure('resource_group', **GROUP)
    assert created['changed'] is True
    assert created['resource']['location'] == 'koreacentral'
    assert created['resource']['id'].endswith('/resourceGroups/rg-phonebill-it')
    assert [d['path'] for d in predicted['differences']] == [d['path'] for d in created['differences']]
    writes = azure.writes()
    again = azure('resource_group', **GROUP)
    assert again['changed'] is False and again['differences'] == []
    assert azure.writes() == writes


def test_drift_is_reported_and_repaired_keeping_foreign_tags(azure, sandbox):
    azure('resource_group', **GROUP)
    group_id = azure('resource_group_info', name=GROUP['name'])['resource_groups'][0]['id']
    sandbox.drift(group_id, {'tags': {'service': 'phonebill', 'environment': 'staging', 'added-by': 'policy'}})
    predicted = azure('resource_group', check_mode=True, **GROUP)
    assert predicted['differences'] == [{'path': 'tags.environment', 'before': 'staging', 'after': 'prod'}]
    repaired = azure('resource_group', **GROUP)
    assert repaired['differences'] == predicted['differences']
    assert repaired['resource']['tags'] == {'service': 'phonebill', 'environment': 'prod', 'added-by': 'policy'}
    assert azure('resource_group', **GROUP)['changed'] is False


def test_info_filters_by_tag(azure):
    azure('resource_group', **GROUP)
    azure('resource_group', name='rg-other', location='koreasouth', tags={'service': 'other'})
    found = azure('resource_group_info', tags={'service': 'phonebill'})['resource_groups']
    assert [g['name'] for g in found] == ['rg-phonebill-it']
    assert azure('resource_group_info', name='rg-missing')['resource_groups'] == []


def test_delete_is_refused_while_resources_remain_then_forced(azure, sandbox):
    azure('resource_group', **GROUP)
    group_id = azure('resource_group_info', name=GROUP['name'])['resource_groups'][0]['id']
    sandbox.seed([{'id': group_id + '/providers/Microsoft.ManagedIdentity/userAssignedIdentities/phonebill-services',
                   'name': 'phonebill-services', 'type': 'Microsoft.ManagedIdentity/userAssignedIdentities',
                   'location': 'koreacentral', 'properties': {}}])
    refused = azure('resource_group', name=GROUP['name'], state='absent')
    assert refused['failed'] and 'phonebill-services' in refused['msg']
    assert azure('resource_group', name=GROUP['name'], state='absent', check_mode=True)['changed'] is True
    deleted = azure('resource_group', name=GROUP['name'], state='absent', force_delete_nonempty=True)
    assert deleted['changed'] is True
    assert azure('resource_group_info', name=GROUP['name'])['resource_groups'] == []
    assert azure('resource_group', name=GROUP['name'], state='absent')['changed'] is False


def test_throttling_is_retried(azure, sandbox):
    sandbox.fault('throttle', method='PUT', path_contains='resourceGroups', count=2, status=429, retry_after=1)
    assert azure('resource_group', **GROUP)['changed'] is True


def test_wrong_secret_fails_with_authentication_message(azure, monkeypatch):
    monkeypatch.setenv('AZURE_SECRET', 'not-the-secret')
    failed = azure('resource_group', **GROUP)
    assert failed['failed'] and failed['msg'].startswith('authentication')
    assert 'not-the-secret' not in json.dumps(failed)
