#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: workbook
short_description: Create, update or delete a shared Azure Monitor workbook kept as code
version_added: 0.1.0
description:
  - Ensures a shared workbook (C(Microsoft.Insights/workbooks), kind C(shared), API 2023-06-01) exists with the stated
    display name, content, category and source resource, or is absent.
  - Azure names a workbook by a GUID. Without O(name) the module derives it from O(display_name) and the resource
    group (a version 5 UUID), so every run addresses the same workbook.
  - When no workbook has that name but one of the resource group (category O(category)) carries the display name
    under another GUID (made in the portal, or by an earlier tool), that one is managed in place and returned in
    RV(adopted); no second workbook is created. Further workbooks with the same display name are only reported in
    RV(duplicates).
  - The content is compared as a JSON document, not as text, so the same workbook saved by the portal with other
    spacing or key order is unchanged.
options:
  name:
    description:
      - The workbook's GUID. Leave it out to derive it from O(display_name) and the resource group.
    type: str
  resource_group:
    description: Resource group of the workbook.
    type: str
    required: true
  display_name:
    description: The name the portal shows; also what the derived O(name) and the search for an existing workbook use.
    type: str
    required: true
  location:
    description: Region of the workbook. Required to create it; it cannot move.
    type: str
  source_id:
    description:
      - Resource id of what the workbook reads by default and is listed under (the Log Analytics workspace or the
        Application Insights component). Required to create it.
    type: str
  serialized_data:
    description:
      - The workbook content, the Notebook document of the portal's Advanced Editor (C(version) V(Notebook/1.0) and
        its C(items)), as a mapping or its JSON text. Required to create the workbook.
    type: raw
  description:
    description: Description shown in the workbook gallery.
    type: str
  category:
    description: Gallery the workbook is listed in.
    type: str
    default: workbook
    choices: [workbook, TSG, performance, retention]
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
  - phonebill.platform.azure.tags
notes:
  - Writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
  - Only workbooks of kind C(shared) exist in this API; private workbooks (C(myWorkbooks)) are out of scope.
requirements:
  - azure-mgmt-applicationinsights >= 4.1, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The operations workbook of the business and technical metrics (SPEC 9)
  phonebill.platform.workbook:
    resource_group: rg-phonebill-prod
    display_name: phonebill operations
    location: koreacentral
    source_id: >-
      /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/providers/Microsoft.OperationalInsights/workspaces/law-phonebill-prod
    serialized_data: "{{ lookup('ansible.builtin.template', 'workbook.json.j2') }}"
    tags:
      environment: prod

- name: Remove it
  phonebill.platform.workbook:
    resource_group: rg-phonebill-prod
    display_name: phonebill operations
    state: absent
'''

RETURN = r'''
resource:
  description: The workbook as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    name: 3f1d3c8e-1c1a-5d7e-9a55-0c2b0b7a3f10
    kind: shared
    location: koreacentral
    properties:
      displayName: phonebill operations
      category: workbook
      serializedData: '{"items":[],"version":"Notebook/1.0"}'
      sourceId: /subscriptions/0000/resourceGroups/rg-phonebill-prod/providers/Microsoft.OperationalInsights/workspaces/law-phonebill-prod
name:
  description: The GUID of the workbook managed (derived, stated, or the one adopted by display name).
  returned: always
  type: str
id:
  description: Resource id of the workbook.
  returned: when O(state=present) and the workbook exists (not for a new one in check mode)
  type: str
adopted:
  description: The GUID of an existing workbook found by its display name and managed in place of the derived name.
  returned: when one was found
  type: str
duplicates:
  description: Ids of further workbooks of the resource group with the same display name; reported, never changed.
  returned: always
  type: list
  elements: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.displayName, before: ops, after: phonebill operations}]
'''

import io
import json

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import (
    AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC, to_rest)
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems
from ansible_collections.phonebill.platform.plugins.module_utils.workbooks import (
    KIND, NOTEBOOK_VERSION, same_display_name, serialized, workbook_name, workbook_problems)


class Workbook(ArmResource):
    kind, service, operations = 'workbook', 'applicationinsights', 'workbooks'
    create_method, delete_method = 'create_or_update', 'delete'
    rules = {'kind': compare.IGNORE_CASE, 'properties.category': compare.IGNORE_CASE,
             'properties.sourceId': compare.RESOURCE_ID, 'properties.serializedData': compare.JSON_TEXT}
    readonly = ArmResource.readonly + ('properties.timeModified', 'properties.userId', 'properties.revision')
    immutable = ('location',)
    required_to_create = ('location', 'source_id', 'serialized_data')

    def __init__(self, module):
        super(Workbook, self).__init__(module)
        self.adopted, self.duplicates, self.derived = None, [], not self.params['name']
        if self.derived:
            scope = '/subscriptions/%s/resourceGroups/%s' % (module.subscription_id, self.params['resource_group'])
            self.params['name'] = workbook_name(scope, self.params['display_name'])
        self.stated_name = self.params['name']

    def _get(self, name):
        return self.module.get_or_none('read %s %s' % (self.kind, name), self.ops.get, self.params['resource_group'],
                                       name, can_fetch_content=True)

    def read(self):
        """The workbook by its name; else (name derived) the one of the resource group with the display name."""
        found = self._get(self.params['name'])
        # a resource group that does not exist yet (check mode of a whole site) has no workbook: None
        others = self.module.get_or_none('list the workbooks of resource group %s' % self.params['resource_group'],
                                         lambda: [to_rest(w) for w in self.ops.list_by_resource_group(
                                             self.params['resource_group'], self.params['category'])])
        others = same_display_name(others or [], self.params['display_name'], self.params['name'],
                                   self.params['source_id'])
        if found is None and self.derived and others:
            self.adopted = others.pop(0)['name']
            self.params['name'] = self.adopted
            found = self._get(self.adopted)
        self.duplicates = [w.get('id') for w in others]
        return found

    def desired(self):
        params = self.params
        data = params['serialized_data']
        return compare.prune(dict(
            location=params['location'], kind=KIND, tags=params['tags'],
            properties=dict(displayName=params['display_name'], category=params['category'],
                            serializedData=serialized(data) if data is not None else None,
                            version=NOTEBOOK_VERSION if data is not None else None,
                            sourceId=params['source_id'], description=params['description'])))

    def write(self, body):
        # Sent as JSON, not through the SDK's model: azure-mgmt-applicationinsights 4.1 cannot build a Workbook
        # from a dict with tags (its deprecated properties.tags list takes the resource's tags mapping).
        return self.ops.create_or_update(self.params['resource_group'], self.params['name'],
                                         io.BytesIO(json.dumps(body).encode('utf-8')),
                                         source_id=self.params['source_id'], content_type='application/json')


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return workbook_problems(params) + name_problems('resource_group', params['resource_group'], 'resource_group')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str'),
            resource_group=dict(type='str', required=True),
            display_name=dict(type='str', required=True),
            location=dict(type='str'),
            source_id=dict(type='str'),
            serialized_data=dict(type='raw'),
            description=dict(type='str'),
            category=dict(type='str', default='workbook', choices=['workbook', 'TSG', 'performance', 'retention']),
            **dict(TAGS_ARGUMENT_SPEC, **STATE_ARGUMENT_SPEC)
        ),
    )
    module.fail_on(validate(module.params))
    resource = Workbook(module)
    result = reconcile(module, resource)
    if resource.adopted:
        module.warn('no workbook %s exists, but %s carries the display name %r: it is managed in place, not duplicated'
                    % (resource.stated_name, resource.adopted, module.params['display_name']))
        result['adopted'] = resource.adopted
    if resource.duplicates:
        module.warn('workbooks with the display name %r besides %s: %s (left as they are)'
                    % (module.params['display_name'], module.params['name'], ', '.join(map(str, resource.duplicates))))
    result.update(name=module.params['name'], duplicates=resource.duplicates)
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    module.exit(**result)


if __name__ == '__main__':
    main()
