# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The workbook module against the sandbox: lifecycle, the derived GUID name, adoption by display name,
content compared as JSON, Azure's refusals, and Microsoft's REST example read as unchanged.

The example is WorkbookManagedAdd.json (Azure/azure-rest-api-specs, applicationinsights
Microsoft.Insights stable 2023-06-01): its response body with the platform's names,
lower-case "resourcegroups" in the id and sourceId, userId/timeModified/revision, a
storageUri and serializedData as Azure stores the text (no spaces, another key order).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils.workbooks import workbook_name

GROUP = 'rg-phonebill-wb'
CONTENT = {'version': 'Notebook/1.0', 'isLocked': False,
           'items': [{'type': 1, 'name': 'title', 'content': {'json': '## phonebill operations'}},
                     {'type': 3, 'name': 'bill-inquiry-success-rate',
                      'content': {'version': 'KqlItem/1.0', 'queryType': 0, 'resourceType':
                                  'microsoft.operationalinsights/workspaces',
                                  'query': 'AppRequests | summarize success = 100.0 * countif(Success) / count()'}}]}


@pytest.fixture
def scope(azure, sandbox):
    """The resource group and the workspace the workbook reads; (group id, workspace id)."""
    azure('resource_group', name=GROUP, location='koreacentral')
    workspace = azure('log_analytics_workspace', name='law-phonebill-wb', resource_group=GROUP,
                      location='koreacentral')['id']
    return '/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, GROUP), workspace


def args(workspace, **extra):
    return dict(dict(resource_group=GROUP, display_name='phonebill operations', location='koreacentral',
                     source_id=workspace, serialized_data=CONTENT, description='SPEC 9 metrics',
                     tags={'environment': 'it'}), **extra)


def test_lifecycle_with_derived_name(azure, sandbox, scope):
    group_id, workspace = scope
    name = workbook_name(group_id, 'phonebill operations')
    rid = group_id + '/providers/Microsoft.Insights/workbooks/' + name

    writes = azure.writes()
    predicted = azure('workbook', check_mode=True, **args(workspace))
    assert predicted['changed'] is True and predicted['name'] == name and azure.writes() == writes
    created = azure('workbook', **args(workspace))
    assert created['changed'] is True and created['id'].lower() == rid.lower(), created.get('msg')
    assert azure.writes() == writes + 1
    stored = sandbox.get(rid)
    assert stored['kind'] == 'shared' and json.loads(stored['properties']['serializedData']) == CONTENT
    assert stored['properties']['sourceId'].lower() == workspace.lower()

    writes = azure.writes()
    again = azure('workbook', **args(workspace))
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes
    assert azure('workbook', check_mode=True, **args(workspace))['changed'] is False and azure.writes() == writes

    # the portal saves the same document with its own spacing and key order: unchanged
    portal_text = json.dumps(CONTENT, indent=2)
    assert portal_text != stored['properties']['serializedData']
    sandbox.drift(rid, {'properties': {'serializedData': portal_text}})
    assert azure('workbook', **args(workspace))['changed'] is False and azure.writes() == writes

    # someone edits a query in the portal: reported, predicted without a write, repaired
    edited = json.loads(json.dumps(CONTENT))
    edited['items'][1]['content']['query'] = 'AppRequests | take 10'
    sandbox.drift(rid, {'properties': {'serializedData': json.dumps(edited), 'displayName': 'ops'}})
    drifted = azure('workbook', check_mode=True, **args(workspace))
    paths = sorted(d['path'] for d in drifted['differences'])
    assert drifted['changed'] is True and paths == ['properties.displayName', 'properties.serializedData']
    assert azure.writes() == writes
    repaired = azure('workbook', **args(workspace))
    assert repaired['changed'] is True and azure.writes() == writes + 1
    assert json.loads(sandbox.get(rid)['properties']['serializedData']) == CONTENT
    assert azure('workbook', **args(workspace))['changed'] is False

    assert azure('workbook', check_mode=True, state='absent', resource_group=GROUP,
                 display_name='phonebill operations')['changed'] is True
    assert azure.writes() == writes + 1
    assert azure('workbook', state='absent', resource_group=GROUP, display_name='phonebill operations')['changed']
    with pytest.raises(RuntimeError, match='404'):
        sandbox.get(rid)
    assert azure('workbook', state='absent', resource_group=GROUP, display_name='phonebill operations')['changed'] is False


def test_workbook_with_the_display_name_under_another_guid_is_adopted_not_duplicated(azure, sandbox, scope):
    group_id, workspace = scope
    portal = group_id + '/providers/Microsoft.Insights/workbooks/deadb33f-5e0d-4064-8ebb-1a4ed0313eb2'
    other = group_id + '/providers/Microsoft.Insights/workbooks/c0deea5e-3344-40f2-96f8-6f8e1c3b5722'
    # the one reading the workspace is adopted; the other (reading the resource group) is only reported
    for rid, source in ((portal, workspace.lower()), (other, group_id)):
        sandbox.seed([{'id': rid, 'type': 'Microsoft.Insights/workbooks', 'location': 'koreacentral', 'kind': 'shared',
                       'properties': {'displayName': 'phonebill operations', 'category': 'workbook',
                                      'serializedData': '{"version":"Notebook/1.0","items":[]}', 'sourceId': source}}])
    writes = azure.writes()
    result = azure('workbook', **args(workspace))
    assert result['changed'] is True and result['adopted'] == 'deadb33f-5e0d-4064-8ebb-1a4ed0313eb2'
    assert result['duplicates'] == [sandbox.get(other)['id']]
    assert azure.writes() == writes + 1
    assert json.loads(sandbox.get(portal)['properties']['serializedData']) == CONTENT
    with pytest.raises(RuntimeError, match='404'):
        sandbox.get(group_id + '/providers/Microsoft.Insights/workbooks/' + workbook_name(group_id, 'phonebill operations'))
    assert azure('workbook', **args(workspace))['changed'] is False and azure.writes() == writes + 1


def test_example_seeded_reads_as_unchanged_with_no_write(azure, sandbox, scope):
    group_id, workspace = scope
    lower = group_id.replace('resourceGroups', 'resourcegroups')
    name = 'deadb33f-5e0d-4064-8ebb-1a4ed0313eb2'
    sandbox.seed([{
        'id': lower + '/providers/Microsoft.Insights/workbooks/' + name, 'name': name,
        'type': 'Microsoft.Insights/workbooks', 'location': 'koreacentral', 'kind': 'shared', 'tags': {},
        'properties': {
            'displayName': 'Sample workbook', 'description': 'Sample workbook', 'category': 'workbook',
            'version': 'Notebook/1.0', 'userId': '70d90f65-8a70-4e42-b8d5-86gv25e0a90f',
            'serializedData': '{"version":"Notebook/1.0","items":[],"isLocked":false,"fallbackResourceIds":["%s"]}'
                              % workspace.lower(),
            'sourceId': lower, 'timeModified': '2020-10-20T22:00:26.4229554Z',
            'revision': '1e2f8435b98248febee70c64ac22e1bb',
            'storageUri': lower + '/providers/Microsoft.Storage/storageAccounts/mystorage/blobServices/default/'
                                  'containers/mycontainer'}}])
    writes = azure.writes()
    result = azure('workbook', name=name, resource_group=GROUP, display_name='Sample workbook', location='koreacentral',
                   source_id=group_id, description='Sample workbook',
                   serialized_data={'fallbackResourceIds': [workspace.lower()], 'isLocked': False, 'items': [],
                                    'version': 'Notebook/1.0'})
    assert result['changed'] is False and result['differences'] == [], result.get('differences') or result.get('msg')
    assert azure.writes() == writes


@pytest.mark.parametrize('change,problem', [
    (dict(serialized_data='{"version": "Notebook/1.0", "items": ['), 'serialized_data: not a JSON object'),
    (dict(serialized_data={'items': []}), 'serialized_data: not a workbook document'),
    (dict(name='phonebill-ops'), 'name:'),
    (dict(display_name=' '), 'display_name:'),
    (dict(source_id='law-phonebill-wb'), 'source_id:'),
], ids=['not-json', 'not-a-notebook', 'name-not-a-guid', 'blank-display-name', 'source-not-an-id'])
def test_bad_input_fails_before_any_request(azure, sandbox, scope, change, problem):
    writes = azure.writes()
    result = azure('workbook', **args(scope[1], **change))
    assert result['failed'] and problem in result['msg'] and azure.writes() == writes


def test_check_mode_before_the_resource_group_exists_predicts_the_creation(azure, sandbox):
    """Check mode of a whole site on an empty subscription: the group is not there yet, nothing is written."""
    workspace = '/subscriptions/%s/resourceGroups/rg-not-yet/providers/Microsoft.OperationalInsights/workspaces/law' % (
        sandbox.subscription_id)
    writes = azure.writes()
    predicted = azure('workbook', check_mode=True, **dict(args(workspace), resource_group='rg-not-yet'))
    assert predicted['changed'] is True and predicted['duplicates'] == [], predicted.get('msg')
    assert azure.writes() == writes
