#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: resource_group
short_description: Create, update or delete an Azure resource group
version_added: 0.1.0
description:
  - Ensures an Azure resource group exists with the stated location and tags, or is absent.
  - Only what is stated is compared and changed; tags set elsewhere stay unless O(purge_tags=true).
  - Deleting a resource group that still holds resources needs O(force_delete_nonempty=true).
options:
  name:
    description: Name of the resource group (1-90 letters, digits, C(_), C(-), C(.), C(( )); not ending in C(.)).
    type: str
    required: true
  location:
    description:
      - Azure region, in either form (V(Korea Central) or V(koreacentral)).
      - Required to create the group; a resource group cannot move, so a different region on an existing
        group is an error.
    type: str
  force_delete_nonempty:
    description: With O(state=absent), delete the group even when it still contains resources.
    type: bool
    default: false
  state:
    description: Whether the group should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 1800 seconds (deleting a group deletes everything in it).
requirements:
  - azure-mgmt-resource >= 26, < 27
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Resource group of the production platform
  phonebill.platform.resource_group:
    name: rg-phonebill-prod
    location: Korea Central
    tags:
      environment: prod
      service: phonebill

- name: Make the tags exactly these, removing any others
  phonebill.platform.resource_group:
    name: rg-phonebill-prod
    tags:
      environment: prod
    purge_tags: true

- name: Delete a scratch group and everything in it, without waiting
  phonebill.platform.resource_group:
    name: rg-phonebill-scratch
    state: absent
    force_delete_nonempty: true
    wait: false
'''

RETURN = r'''
resource:
  description: The resource group as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod
    name: rg-phonebill-prod
    location: koreacentral
    tags: {environment: prod}
    properties: {provisioningState: Succeeded}
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: tags.environment, before: staging, after: prod}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

import itertools

from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems


class ResourceGroup(ArmResource):
    kind, service, operations, key = 'resource group', 'resource', 'resource_groups', ('name',)
    create_method = 'create_or_update'
    readonly = ArmResource.readonly + ('managedBy',)
    immutable = ('location',)
    required_to_create = ('location',)

    def desired(self):
        return dict(location=self.params['location'], tags=self.params['tags'])

    def remove(self):
        if not self.params['force_delete_nonempty']:
            resources = self.module.client('resource').resources
            contents = self.module.call('list the contents of %s' % self.label, lambda: list(itertools.islice(
                resources.list_by_resource_group(self.params['name'], top=5), 5)))
            if contents:
                self.module.fail('%s still contains resources (%s); set force_delete_nonempty=true to delete them'
                                 % (self.label, ', '.join(r.name for r in contents)))
        return super(ResourceGroup, self).remove()


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return name_problems('name', params['name'], 'resource_group') + tag_problems('tags', params['tags'])


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            location=dict(type='str'),
            **TAGS_ARGUMENT_SPEC,
            force_delete_nonempty=dict(type='bool', default=False),
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
    )
    module.fail_on(validate(module.params))
    module.exit(**reconcile(module, ResourceGroup(module)))


if __name__ == '__main__':
    main()
