#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: user_assigned_identity
short_description: Create, update or delete an Azure user-assigned managed identity
version_added: 0.1.0
description:
  - Ensures a user-assigned managed identity (C(Microsoft.ManagedIdentity/userAssignedIdentities)) exists with
    the stated location and tags, or is absent.
  - Returns the identity's principal (object) id, client id and tenant id, which role assignments, federated
    credentials and workloads need.
  - Only what is stated is compared and changed; tags set elsewhere stay unless O(purge_tags=true).
  - Deleting the identity removes its federated credentials and makes its role assignments orphans; it is
    done only with O(state=absent).
options:
  name:
    description: Name of the identity (3-128 letters, digits, C(-) and C(_), starting with a letter or digit).
    type: str
    required: true
  resource_group:
    description: Resource group of the identity.
    type: str
    required: true
  location:
    description:
      - Azure region, in either form (V(Korea Central) or V(koreacentral)).
      - Required to create the identity; an identity cannot move, so a different region on an existing one is
        an error.
    type: str
  state:
    description: Whether the identity should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - Identity writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
  - In check mode, a new identity has no ids yet; RV(principal_id), RV(client_id) and RV(tenant_id) are null.
requirements:
  - azure-mgmt-msi >= 7.1, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Identity the phonebill services run as (AKS workload identity)
  phonebill.platform.user_assigned_identity:
    name: phonebill-services
    resource_group: rg-phonebill-prod
    location: Korea Central
    tags:
      service: phonebill
  register: services_identity

- name: Show the ids the workloads need
  ansible.builtin.debug:
    msg: "client id {{ services_identity.client_id }}, object id {{ services_identity.principal_id }}"

- name: Remove a scratch identity
  phonebill.platform.user_assigned_identity:
    name: scratch-identity
    resource_group: rg-phonebill-prod
    state: absent
'''

RETURN = r'''
resource:
  description: The identity as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-phonebill-prod/\
      providers/Microsoft.ManagedIdentity/userAssignedIdentities/phonebill-services"
    name: phonebill-services
    type: Microsoft.ManagedIdentity/userAssignedIdentities
    location: koreacentral
    tags: {service: phonebill}
    properties:
      principalId: 6f1c2e0a-1111-4a5b-9c8d-0123456789ab
      clientId: 2b9d0c4e-2222-4f6a-8b7c-0123456789ab
      tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
id:
  description: Resource id of the identity.
  returned: when O(state=present) and the identity exists (not for a new identity in check mode)
  type: str
principal_id:
  description: Object id of the identity's service principal; what role assignments name.
  returned: when O(state=present)
  type: str
  sample: 6f1c2e0a-1111-4a5b-9c8d-0123456789ab
client_id:
  description: Application (client) id of the identity; what a workload's service account annotation names.
  returned: when O(state=present)
  type: str
  sample: 2b9d0c4e-2222-4f6a-8b7c-0123456789ab
tenant_id:
  description: Microsoft Entra tenant of the identity.
  returned: when O(state=present)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: tags.environment, before: staging, after: prod}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems


class UserAssignedIdentity(ArmResource):
    kind, service, operations = 'user-assigned identity', 'msi', 'user_assigned_identities'
    create_method, delete_method = 'create_or_update', 'delete'
    readonly = ArmResource.readonly + ('properties.principalId', 'properties.clientId', 'properties.tenantId')
    immutable = ('location',)
    required_to_create = ('location',)

    def desired(self):
        return compare.prune(dict(location=self.params['location'], tags=self.params['tags']))


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return (name_problems('name', params['name'], 'user_assigned_identity') + tag_problems('tags', params['tags'])
            + name_problems('resource_group', params['resource_group'], 'resource_group'))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, UserAssignedIdentity(module))
    if module.params['state'] == 'present':
        properties = result['resource'].get('properties') or {}
        result.update(id=result['resource'].get('id'), principal_id=properties.get('principalId'),
                      client_id=properties.get('clientId'), tenant_id=properties.get('tenantId'))
    module.exit(**result)


if __name__ == '__main__':
    main()
