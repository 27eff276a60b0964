#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: front_door_profile
short_description: Create, update or delete an Azure Front Door Standard/Premium profile
version_added: 0.1.0
description:
  - Ensures an Azure Front Door profile (C(Microsoft.Cdn/profiles), SKU C(Standard_AzureFrontDoor) or
    C(Premium_AzureFrontDoor)) exists with the stated origin response timeout and tags, or is absent.
  - A Front Door profile is global (location C(global)). Its endpoints, origin groups, routes and security policies
    are managed by M(phonebill.platform.front_door_endpoint), M(phonebill.platform.front_door_origin_group),
    M(phonebill.platform.front_door_route) and M(phonebill.platform.front_door_security_policy).
  - Deleting the profile deletes everything in it.
options:
  name:
    description: Profile name (1-260 letters, digits and -).
    type: str
    required: true
  resource_group:
    description: Resource group of the profile.
    type: str
    required: true
  sku:
    description:
      - Tier of the profile. C(Premium_AzureFrontDoor) is needed for Microsoft-managed WAF rule sets (default rule set,
        bot manager) and private link origins.
      - Required to create the profile; it cannot change afterwards through this module (Azure upgrades a profile with
        its own operation).
    type: str
    choices: [Standard_AzureFrontDoor, Premium_AzureFrontDoor]
  origin_response_timeout_seconds:
    description: How long Front Door waits for an origin's answer before it fails the request (16-240 seconds).
    type: int
  tags:
    description: Tags of the profile. Values are strings.
  purge_tags:
    description: Remove tags that are not in O(tags).
  state:
    description: Whether the profile should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 1200 seconds.
requirements:
  - azure-mgmt-cdn >= 14, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Front Door Premium in front of the Application Gateway
  phonebill.platform.front_door_profile:
    name: afd-phonebill-prod
    resource_group: rg-phonebill-prod
    sku: Premium_AzureFrontDoor
    origin_response_timeout_seconds: 60
    tags:
      service: phonebill

- name: Delete a profile and everything in it
  phonebill.platform.front_door_profile:
    name: afd-phonebill-test
    resource_group: rg-phonebill-test
    state: absent
'''

RETURN = r'''
resource:
  description: The profile as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Cdn/profiles/afd-phonebill-prod
    location: global
    kind: frontdoor
    sku: {name: Premium_AzureFrontDoor}
    properties: {frontDoorId: 3b4682da-b3e2-47a1-96ca-08ab3cb7294e, originResponseTimeoutSeconds: 60,
                 provisioningState: Succeeded, resourceState: Active}
id:
  description: Resource id of the profile (empty in check mode before it exists).
  returned: when O(state=present)
  type: str
front_door_id:
  description: The id Front Door sends to the origins in the C(X-Azure-FDID) header (an origin can admit only its own).
  returned: when O(state=present)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.originResponseTimeoutSeconds, before: 30, after: 60}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.front_door import SKUS, profile_problems, reconcile_with_id
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems


class Profile(ArmResource):
    kind, service, operations = 'Front Door profile', 'cdn', 'profiles'
    create_method = 'begin_create'
    rules = {'sku.name': compare.IGNORE_CASE}
    readonly = ArmResource.readonly + ('kind', 'properties.frontDoorId', 'properties.resourceState',
                                       'properties.extendedProperties')
    immutable = ('location', 'sku.name')
    required_to_create = ('sku',)

    def desired(self):
        params = self.params
        return {'location': 'global', 'tags': params['tags'], 'sku': {'name': params['sku']},
                'properties': {'originResponseTimeoutSeconds': params['origin_response_timeout_seconds']}}


def validate(params):
    """Input problems that need no call to Azure (the checks preflight makes on phonebill_front_door.profile)."""
    return (profile_problems('', params) + name_problems('resource_group', params['resource_group'], 'resource_group')
            + tag_problems('tags', params['tags']))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            sku=dict(type='str', choices=list(SKUS)),
            origin_response_timeout_seconds=dict(type='int'),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=1200,
    )
    module.fail_on(validate(module.params))
    result = reconcile_with_id(module, Profile(module))
    if module.params['state'] == 'present':
        result['front_door_id'] = (result['resource'].get('properties') or {}).get('frontDoorId')
    module.exit(**result)


if __name__ == '__main__':
    main()
