# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Workbook naming, content and checks, and the comparison of serializedData as JSON."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import uuid

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import compare, workbooks

SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod'
DOCUMENT = {'version': 'Notebook/1.0', 'items': [{'type': 1, 'content': {'json': '## ops'}}], 'isLocked': False}


def test_derived_name_is_a_guid_fixed_by_display_name_and_scope():
    name = workbooks.workbook_name(SCOPE, 'phonebill operations')
    assert uuid.UUID(name).version == 5
    assert name == workbooks.workbook_name(SCOPE.lower() + '/', 'phonebill operations')
    assert name != workbooks.workbook_name(SCOPE, 'phonebill Operations')
    assert name != workbooks.workbook_name(SCOPE.replace('prod', 'stage'), 'phonebill operations')
    # the namespace never changes: a rerun (or another machine) addresses the same workbook
    assert name == str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, 'https://galaxy.ansible.com/phonebill/platform/workbooks'),
                                  SCOPE.lower() + '|phonebill operations'))


def test_content_from_mapping_or_text_and_serialized_the_same_way():
    assert workbooks.content(json.dumps(DOCUMENT, indent=2)) == DOCUMENT
    assert workbooks.content('[1]') is None and workbooks.content('{') is None and workbooks.content(3) is None
    assert workbooks.serialized(DOCUMENT) == workbooks.serialized(json.dumps(DOCUMENT, indent=4))
    assert ' ' not in workbooks.serialized({'b': 1, 'a': [1, 2]}) and workbooks.serialized({'b': 1, 'a': 2}) == '{"a":2,"b":1}'


def test_serialized_data_compares_as_json_not_as_text():
    comparator = compare.Comparator({'properties.serializedData': compare.JSON_TEXT})
    desired = {'properties': {'serializedData': workbooks.serialized(DOCUMENT)}}
    portal = {'properties': {'serializedData': json.dumps(DOCUMENT, indent=2)}}
    assert comparator.differences(desired, portal) == []
    edited = dict(DOCUMENT, isLocked=True)
    found = comparator.differences(desired, {'properties': {'serializedData': json.dumps(edited)}})
    assert [d.path for d in found] == ['properties.serializedData']
    # text that is not JSON (the 2023-06-01 WorkbookGet example's) is compared as text
    assert comparator.differences(desired, {'properties': {'serializedData': '{"content":"{"json"}'}})


def test_same_display_name_prefers_the_stated_source_then_the_name():
    listing = [{'name': 'ffff', 'properties': {'displayName': 'ops', 'sourceId': SCOPE}},
               {'name': 'eeee', 'properties': {'displayName': 'ops', 'sourceId': SCOPE + '/providers/x/y/law'}},
               {'name': 'aaaa', 'properties': {'displayName': 'ops', 'sourceId': SCOPE}},
               {'name': 'bbbb', 'properties': {'displayName': 'other'}},
               {'name': 'DERIVED', 'properties': {'displayName': 'ops'}}]
    found = workbooks.same_display_name(listing, 'ops', 'derived', SCOPE.upper() + '/providers/X/Y/LAW')
    assert [w['name'] for w in found] == ['eeee', 'aaaa', 'ffff']
    assert [w['name'] for w in workbooks.same_display_name(listing, 'ops', 'derived')] == ['aaaa', 'eeee', 'ffff']


@pytest.mark.parametrize('params,option', [
    (dict(name='ops'), 'name'),
    (dict(display_name=''), 'display_name'),
    (dict(serialized_data='{"version": "Notebook/1.0"'), 'serialized_data'),
    (dict(serialized_data={'version': 'Notebook/2.0', 'items': []}), 'serialized_data'),
    (dict(serialized_data={'version': 'Notebook/1.0', 'items': {}}), 'serialized_data'),
    (dict(category='dashboards'), 'category'),
    (dict(source_id='law-phonebill-prod'), 'source_id'),
    (dict(tags={'a/b': 'x'}), 'tags'),
])
def test_problems_name_the_option(params, option):
    base = dict(name=None, display_name='phonebill operations', serialized_data=DOCUMENT, category='workbook',
                source_id=SCOPE, tags=None)
    found = workbooks.workbook_problems(dict(base, **params), 'phonebill_ops_workbook.')
    assert found and all(p.startswith('phonebill_ops_workbook.' + option) for p in found), found
    assert workbooks.workbook_problems(base) == []
