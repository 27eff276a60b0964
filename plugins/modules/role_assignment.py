#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: role_assignment
short_description: Grant or revoke an Azure RBAC role to a principal at a scope
version_added: 0.1.0
description:
  - Ensures a principal holds a role at a scope (C(Microsoft.Authorization/roleAssignments)), or does not.
  - An assignment is identified by principal, role and scope. Without O(name), an existing assignment of the
    same role to the same principal at the same scope is reused whatever its name; a new one is named by a
    UUID derived from principal, role and scope, so reruns never add a duplicate.
  - The role is given by name (a built-in role such as V(AcrPull) or V(Key Vault Secrets User), or a custom
    role), or by role definition id. A built-in role's name is resolved by its GUID, which is the same everywhere
    in Azure; another name through the role definitions visible at the scope.
  - With O(state=absent) only the assignment matching principal, role and scope (or O(name)) is removed;
    assignments inherited from a parent scope are never touched.
options:
  scope:
    description:
      - Resource id the role is granted on, e.g. a registry id, a resource group
        (C(/subscriptions/<id>/resourceGroups/<name>)) or a subscription (C(/subscriptions/<id>)).
      - Required, unless it is listed in O(unknown) in check mode.
    type: str
  principal_id:
    description:
      - Object id of the user, group or service principal (a managed identity's principal id).
      - Required, unless it is listed in O(unknown) in check mode.
    type: str
  role:
    description:
      - Role name as Azure shows it (V(AcrPull), V(Key Vault Secrets User)), a role definition GUID, or a
        role definition id (C(/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>)).
    type: str
    required: true
  principal_type:
    description:
      - Kind of principal. Stating it lets Azure accept an assignment to a principal created moments before
        (Microsoft Entra replication delay); managed identities are V(ServicePrincipal).
      - An existing assignment's principal type cannot change.
    type: str
    choices: [ServicePrincipal, User, Group]
  name:
    description:
      - GUID name of the assignment. Normally left out (see the description).
      - When given, the assignment of that name must grant this role to this principal at this scope.
    type: str
  description:
    description: Why the role is granted, shown in the Azure portal.
    type: str
  unknown:
    description:
      - Options whose value check mode cannot know because it comes from a resource check mode did not create;
        V(scope) for a resource not created yet (a registry), V(principal_id) for an identity not created yet (the
        kubelet identity of a cluster not created yet).
      - A resource or a principal that does not exist yet holds no assignment, so check mode predicts the assignment
        is created, with the value shown as C((known after a real run)); it reads no assignment and writes nothing.
        A role given by name is resolved at the subscription when the scope is unknown.
      - A real run fails on any option listed here before it calls Azure.
    type: list
    elements: str
    choices: [scope, principal_id]
    default: []
  state:
    description: Whether the principal should hold the role at the scope.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - Role assignment writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
  - The identity running the module needs C(Microsoft.Authorization/roleAssignments/write) at the scope
    (Owner, User Access Administrator or Role Based Access Control Administrator).
requirements:
  - azure-mgmt-authorization >= 4, < 5
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Let the AKS kubelet identity pull from the registry
  phonebill.platform.role_assignment:
    scope: "{{ registry.resource.id }}"
    role: AcrPull
    principal_id: "{{ kubelet_object_id }}"
    principal_type: ServicePrincipal

- name: Let the services identity read Key Vault secrets
  phonebill.platform.role_assignment:
    scope: "{{ vault_id }}"
    role: Key Vault Secrets User
    principal_id: "{{ services_identity.principal_id }}"
    principal_type: ServicePrincipal
    description: phonebill services read their secrets

- name: AcrPull for the kubelet of a cluster that check mode has not created yet (check mode predicts)
  phonebill.platform.role_assignment:
    scope: "{{ registry.id }}"
    role: AcrPull
    principal_id: "{{ kubelet_object_id if kubelet_object_id else omit }}"
    unknown: "{{ [] if kubelet_object_id else ['principal_id'] }}"
    principal_type: ServicePrincipal

- name: Revoke it
  phonebill.platform.role_assignment:
    scope: "{{ vault_id }}"
    role: Key Vault Secrets User
    principal_id: "{{ services_identity.principal_id }}"
    state: absent
'''

RETURN = r'''
resource:
  description: The assignment as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/\
      providers/Microsoft.ContainerRegistry/registries/acrphonebillprod/providers/Microsoft.Authorization/roleAssignments/5f0c7f0e-3c4b-5d6e-8f90-123456789abc"
    name: 5f0c7f0e-3c4b-5d6e-8f90-123456789abc
    type: Microsoft.Authorization/roleAssignments
    properties:
      roleDefinitionId: "/subscriptions/00000000-0000-0000-0000-000000000000/\
        providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"
      principalId: 6f1c2e0a-1111-4a5b-9c8d-0123456789ab
      principalType: ServicePrincipal
      scope: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/\
        providers/Microsoft.ContainerRegistry/registries/acrphonebillprod"
name:
  description:
    - GUID name of the assignment (reused, given, or derived from principal, role and scope).
    - C((known after a real run)) in check mode when O(unknown) names the scope or the principal.
  returned: always
  type: str
role_definition_id:
  description: Id of the role definition the role resolved to.
  returned: always
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.description, before: null, after: phonebill services read their secrets}]
'''

import re
import uuid

from ansible_collections.phonebill.platform.plugins.module_utils import compare, unknown
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.builtin_roles import builtin_role_guid
from ansible_collections.phonebill.platform.plugins.module_utils.validation import GUID, guid_problems

ROLE_DEFINITION_ID = re.compile(r'^(/subscriptions/[^/]+)?/providers/Microsoft\.Authorization/roleDefinitions/'
                                r'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$', re.IGNORECASE)
SCOPE = re.compile(r'^/(subscriptions/[^/\s]+(/[^/\s]+)*|providers/Microsoft\.Management/managementGroups/[^/\s]+)$',
                   re.IGNORECASE)
SUBSCRIPTION = re.compile(r'^/subscriptions/([^/]+)', re.IGNORECASE)
# where each option that may be unknown in check mode lives in the REST form
UNKNOWN_PATHS = {'scope': 'properties.scope', 'principal_id': 'properties.principalId'}
# Namespace of the derived assignment names: a rerun anywhere derives the same GUID.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, 'https://galaxy.ansible.com/phonebill/platform/role_assignment')


class RoleDefinition(compare.Rule):
    """Role definition ids name one role whatever their prefix: compare the GUID."""

    def normalize(self, value):
        return value.rstrip('/').rsplit('/', 1)[-1].lower() if isinstance(value, str) else value


ROLE_DEFINITION = RoleDefinition()


def derived_name(principal_id, role_definition_id, scope):
    """The assignment name a rerun derives again: uuid5 of principal, role GUID and scope."""
    key = '%s|%s|%s' % (principal_id.lower(), ROLE_DEFINITION.normalize(role_definition_id),
                        compare.RESOURCE_ID.normalize(scope))
    return str(uuid.uuid5(NAMESPACE, key))


class RoleAssignment(ArmResource):
    readonly = ArmResource.readonly + ('properties.scope', 'properties.createdOn', 'properties.updatedOn',
                                       'properties.createdBy', 'properties.updatedBy')
    immutable = ('properties.roleDefinitionId', 'properties.principalId', 'properties.principalType')
    rules = {'properties.roleDefinitionId': ROLE_DEFINITION,
             'properties.principalId': compare.IGNORE_CASE,
             'properties.principalType': compare.IGNORE_CASE}

    def __init__(self, module):
        super(RoleAssignment, self).__init__(module)
        self.scope = (self.params['scope'] or unknown.UNKNOWN).rstrip('/')
        self.name = self.params['name']
        self._role_id = None

    @property
    def label(self):
        return 'role assignment of %s to %s at %s' % (self.params['role'], self.params['principal_id'] or unknown.UNKNOWN,
                                                      self.scope)

    @property
    def role_scope(self):
        """Where the role is looked up: the scope, or its subscription while the scope is unknown (check mode)."""
        return '/subscriptions/%s' % self.module.subscription_id if 'scope' in self.params['unknown'] else self.scope

    @property
    def client(self):
        return self.module.client('authorization')

    @property
    def role_id(self):
        """The role definition id: a built-in role's from its known GUID, another role name's through the definitions
        visible at the scope (one read)."""
        if self._role_id is None:
            role = self.params['role']
            guid = role.lower() if GUID.match(role) else builtin_role_guid(role)
            if ROLE_DEFINITION_ID.match(role):
                self._role_id = role
            elif guid:
                subscription = SUBSCRIPTION.match(self.role_scope)
                prefix = '/subscriptions/%s' % (subscription.group(1) if subscription else self.module.subscription_id)
                self._role_id = '%s/providers/Microsoft.Authorization/roleDefinitions/%s' % (prefix, guid)
            else:
                self._role_id = self._lookup(role)
        return self._role_id

    def _lookup(self, role):
        odata = "roleName eq '%s'" % role.replace("'", "''")
        found = self.module.call('look up role %r at %s' % (role, self.role_scope),
                                 lambda: [to_rest(d) for d in self.client.role_definitions.list(self.role_scope, filter=odata)])
        ids = sorted(set(d['id'] for d in found if (d.get('properties') or {}).get('roleName', '').lower() == role.lower()))
        if not ids:
            self.module.fail('role: no role named %r is visible at %s; use the role name as Azure shows it '
                             '(e.g. AcrPull, Key Vault Secrets User) or a role definition id' % (role, self.role_scope))
        if len(ids) > 1:
            self.module.fail('role: %d roles are named %r at %s (%s); give the role definition id instead'
                             % (len(ids), role, self.role_scope, ', '.join(ids)))
        return ids[0]

    def _matches(self, assignment):
        properties = assignment.get('properties') or {}
        return (compare.RESOURCE_ID.equal(properties.get('scope'), self.scope)
                and compare.IGNORE_CASE.equal(properties.get('principalId'), self.params['principal_id'])
                and ROLE_DEFINITION.equal(properties.get('roleDefinitionId'), self.role_id))

    def _find_matching(self):
        odata = "principalId eq '%s'" % self.params['principal_id']
        found = self.module.call('list role assignments of %s at %s' % (self.params['principal_id'], self.scope),
                                 lambda: [to_rest(a) for a in self.client.role_assignments.list_for_scope(
                                     self.scope, filter=odata)])
        return next((a for a in found if self._matches(a)), None)

    def read(self):
        if self.params['unknown']:
            # a principal or a resource check mode has not created holds no assignment yet
            self.name = self.name or unknown.UNKNOWN
            return None
        absent = self.params['state'] == 'absent'
        if self.name:
            found = to_rest(self.module.get_or_none('read role assignment %s at %s' % (self.name, self.scope),
                                                    self.client.role_assignments.get, self.scope, self.name))
            if found is not None and absent and not self._matches(found):
                self.module.fail('name: role assignment %s at %s does not grant %s to %s; nothing was deleted'
                                 % (self.name, self.scope, self.params['role'], self.params['principal_id']))
            if found is None and not absent:
                other = self._find_matching()
                if other is not None:
                    self.module.fail('name: %s already grants this role as role assignment %s; leave name out to '
                                     'reuse it, or state name: %s' % (self.label, other['name'], other['name']))
            return found
        found = self._find_matching()
        self.name = found['name'] if found else derived_name(self.params['principal_id'], self.role_id, self.scope)
        return found

    def desired(self):
        return compare.prune(dict(properties=dict(roleDefinitionId=self.role_id, principalId=self.params['principal_id'],
                                                  principalType=self.params['principal_type'],
                                                  description=self.params['description'])))

    def write(self, body):
        return self.client.role_assignments.create(self.scope, self.name, body)

    def remove(self):
        return self.client.role_assignments.delete(self.scope, self.name)


def validate(params, check_mode):
    """Input errors that need no call to Azure: 'option: what is wrong; the fix' lines."""
    problems = unknown.unknown_problems(params, check_mode, required=('scope', 'principal_id'))
    if params['scope'] is not None and not SCOPE.match(params['scope'].rstrip('/')):
        problems.append('scope: %r is not a resource id; give the id of the resource, resource group '
                        '(/subscriptions/<id>/resourceGroups/<name>) or subscription (/subscriptions/<id>) '
                        'to grant the role on' % params['scope'])
    problems.extend(guid_problems('principal_id', params['principal_id']))
    if params['name'] is not None and not GUID.match(params['name']):
        problems.append('name: %r is not a GUID; role assignment names are GUIDs, or leave name out and one is derived'
                        % params['name'])
    role = params['role'].strip()
    if not role or (role.startswith('/') and not ROLE_DEFINITION_ID.match(role)):
        problems.append('role: %r is neither a role name nor a role definition id; give a name such as AcrPull or '
                        '/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>' % params['role'])
    return problems


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            scope=dict(type='str'),
            principal_id=dict(type='str'),
            role=dict(type='str', required=True),
            principal_type=dict(type='str', choices=['ServicePrincipal', 'User', 'Group']),
            name=dict(type='str'),
            description=dict(type='str'),
            **STATE_ARGUMENT_SPEC,
            **unknown.unknown_spec(UNKNOWN_PATHS)
        ),
    )
    module.fail_on(validate(module.params, module.check_mode))
    assignment = RoleAssignment(module)
    result = reconcile(module, assignment)
    if module.params['unknown'] and module.params['state'] == 'present':  # check mode only (validate)
        result = unknown.predicted(result, assignment.current, [UNKNOWN_PATHS[o] for o in module.params['unknown']])
    result.update(name=assignment.name, role_definition_id=assignment.role_id)
    module.exit(**result)


if __name__ == '__main__':
    main()
