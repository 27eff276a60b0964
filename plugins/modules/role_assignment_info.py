#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: role_assignment_info
short_description: Read the Azure role assignments of a scope, with their role names
version_added: 0.1.0
description:
  - Lists the role assignments on a scope (a subscription, resource group or resource) as Azure returns them, and the
    name of each role they assign, so an audit can compare them with what the inventory declares.
  - By default only the assignments made at the scope or below it (a Key Vault secret under its vault); with
    O(inherited), also those inherited from above (resource group, subscription).
options:
  scope:
    description: The ARM id of the scope.
    type: str
    required: true
  inherited:
    description: Also return the assignments made above the scope, which apply to it by inheritance.
    type: bool
    default: false
  principal_id:
    description:
      - Only the assignments of this principal (object id). With a subscription as O(scope), every role the
        principal holds in it, which is what an audit of "this identity holds exactly these roles" reads.
    type: str
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-authorization >= 4, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Who may do what on the platform's Key Vault
  phonebill.platform.role_assignment_info:
    scope: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/providers/Microsoft.KeyVault/vaults/kv-phonebill-prod
  register: vault_access

- name: Every role the delivery identity holds in the subscription
  phonebill.platform.role_assignment_info:
    scope: /subscriptions/00000000-0000-0000-0000-000000000000
    principal_id: 6f1c2e0a-1111-4a5b-9c8d-0123456789ab
  register: delivery_roles
'''

RETURN = r'''
assignments:
  description: The role assignments, as Azure returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/.../providers/Microsoft.KeyVault/vaults/kv-phonebill-prod/providers/Microsoft.Authorization/roleAssignments/0b5c...
      name: 0b5c...
      properties:
        principalId: 6f2a...
        principalType: ServicePrincipal
        roleDefinitionId: /subscriptions/.../providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6
        scope: /subscriptions/.../providers/Microsoft.KeyVault/vaults/kv-phonebill-prod
role_names:
  description: The name of each role definition the assignments use, by the definition's GUID (lower case).
  returned: always
  type: dict
  sample: {4633458b-17de-408a-b874-0445c86b69e6: Key Vault Secrets User}
'''

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.builtin_roles import builtin_role_name


def in_scope(assignment, scope, inherited):
    """Made at the scope or below it; with inherited, also above it."""
    made_at = str((assignment.get('properties') or {}).get('scope', '')).lower().rstrip('/')
    scope = scope.lower().rstrip('/')
    return made_at == scope or made_at.startswith(scope + '/') or (inherited and scope.startswith(made_at + '/'))


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        scope=dict(type='str', required=True),
        inherited=dict(type='bool', default=False),
        principal_id=dict(type='str'),
    ))
    params = module.params
    scope = params['scope'].rstrip('/')
    module.fail_on([] if scope.lower().startswith('/subscriptions/') else
                   ['scope: %r is not an ARM id; give /subscriptions/{id}[/resourceGroups/{name}[/providers/...]]' % scope])
    client = module.client('authorization')
    found = module.call('list the role assignments of %s' % scope,
                        lambda: [to_rest(a) for a in client.role_assignments.list_for_scope(scope)])
    principal = (params['principal_id'] or '').lower()
    assignments = [a for a in found if in_scope(a, scope, params['inherited'])
                   and (not principal or str((a.get('properties') or {}).get('principalId', '')).lower() == principal)]
    used = set(str((a.get('properties') or {}).get('roleDefinitionId', '')).lower().rsplit('/', 1)[-1] for a in assignments)
    names = dict((guid, builtin_role_name(guid)) for guid in used if builtin_role_name(guid))
    if used - set(names):  # a custom role: its name is read from the definitions visible at the scope
        definitions = module.call('list the role definitions visible at %s' % scope,
                                  lambda: [to_rest(d) for d in client.role_definitions.list(scope)])
        names = dict((d['name'].lower(), (d.get('properties') or {}).get('roleName')) for d in definitions if d.get('name'))
    module.exit(changed=False, assignments=assignments, role_names=dict((guid, names.get(guid)) for guid in sorted(used)))


if __name__ == '__main__':
    main()
