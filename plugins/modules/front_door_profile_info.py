#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: front_door_profile_info
short_description: Read Azure Front Door Standard/Premium profiles, with the endpoints, routes and origins of one
version_added: 0.1.0
description:
  - Returns one Front Door profile by name, those of a resource group, or those of the subscription, optionally only
    those carrying the given tags. Classic CDN profiles in the same provider are left out.
  - For a profile read by name, also returns its endpoints (each with its routes), its origin groups (each with its
    origins) and its security policies, so an operator sees what a request to the endpoint goes through.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
  - phonebill.platform.azure.info_filters
requirements:
  - azure-mgmt-cdn >= 14, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: What Front Door serves and where it sends it
  phonebill.platform.front_door_profile_info:
    name: afd-phonebill-prod
    resource_group: rg-phonebill-prod
  register: front_door

- name: Routes of the first endpoint
  ansible.builtin.debug:
    msg: "{{ front_door.endpoints[0].routes | map(attribute='properties.patternsToMatch') | list }}"
'''

RETURN = r'''
profiles:
  description: The Front Door profiles found, as Azure returns them (empty when the named profile does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - name: afd-phonebill-prod
      location: global
      sku: {name: Premium_AzureFrontDoor}
      properties: {frontDoorId: 3b4682da-b3e2-47a1-96ca-08ab3cb7294e, originResponseTimeoutSeconds: 60}
endpoints:
  description: The profile's endpoints, each with C(routes), the routes of the endpoint.
  returned: when O(name) is given and the profile exists
  type: list
  elements: dict
origin_groups:
  description: The profile's origin groups, each with C(origins), the origins of the group.
  returned: when O(name) is given and the profile exists
  type: list
  elements: dict
security_policies:
  description: The profile's security policies (the WAF policies attached to its domains).
  returned: when O(name) is given and the profile exists
  type: list
  elements: dict
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.front_door import SKUS
from ansible_collections.phonebill.platform.plugins.module_utils.validation import same


def listed(module, what, operation, *where):
    return module.call('list the %s' % what, lambda: [to_rest(item) for item in operation(*where)])


def children(module, group, profile):
    """Endpoints with their routes, origin groups with their origins, security policies of one profile."""
    cdn = module.client('cdn')
    label = 'of Front Door profile %s' % profile
    endpoints = listed(module, 'endpoints ' + label, cdn.afd_endpoints.list_by_profile, group, profile)
    for endpoint in endpoints:
        endpoint['routes'] = listed(module, 'routes of Front Door endpoint %s' % endpoint['name'],
                                    cdn.routes.list_by_endpoint, group, profile, endpoint['name'])
    origin_groups = listed(module, 'origin groups ' + label, cdn.afd_origin_groups.list_by_profile, group, profile)
    for origin_group in origin_groups:
        origin_group['origins'] = listed(module, 'origins of Front Door origin group %s' % origin_group['name'],
                                         cdn.afd_origins.list_by_origin_group, group, profile, origin_group['name'])
    policies = listed(module, 'security policies ' + label, cdn.security_policies.list_by_profile, group, profile)
    return dict(endpoints=endpoints, origin_groups=origin_groups, security_policies=policies)


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    profiles = [profile for profile in arm_info.read(module, 'Front Door profile', lambda: module.client('cdn').profiles,
                                                     by_subscription='list')
                if any(same((profile.get('sku') or {}).get('name'), sku) for sku in SKUS)]
    result = dict(changed=False, profiles=profiles)
    if module.params['name'] and profiles:
        result.update(children(module, module.params['resource_group'], profiles[0]['name']))
    module.exit(**result)


if __name__ == '__main__':
    main()
