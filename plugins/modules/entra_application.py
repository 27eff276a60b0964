#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: entra_application
short_description: Create, update or delete a Microsoft Entra app registration with its app roles and service principal
version_added: 0.1.0
description:
  - Ensures a Microsoft Entra ID app registration (Microsoft Graph v1.0 C(application)) exists with the stated display
    name, sign-in audience, identifier URIs and app roles, and that its service principal exists so its app roles can
    be assigned to users, groups and applications; or that the application is absent (Graph then deletes its service
    principal too).
  - The application is found by its O(unique_name), Graph's alternate key, and created with
    C(PATCH /applications(uniqueName=...)) with the C(Prefer) header V(create-if-missing), so a re-run never makes a second one. An
    application with the same display name but no uniqueName is refused, never adopted or duplicated.
  - Graph is reached at the cloud's C(microsoftGraphResourceId) (ARM metadata of O(cloud_environment)), with the same
    credential as every module (token scope C(<graph>/.default)); the identity needs C(Application.ReadWrite.OwnedBy)
    or C(Application.ReadWrite.All).
  - App roles are compared as a set keyed by their value, never by position. A role's id is stable (the existing
    role's, else derived from O(unique_name) and the value), because tokens and assignments carry it. Roles found in
    Graph and not stated are reported and kept, unless O(purge_app_roles=true); Graph refuses to remove an enabled
    role, so a removal is two PATCHes, the first disabling the roles that go.
  - Only what is stated is compared and changed.
options:
  unique_name:
    description: The application's uniqueName (immutable once created), e.g. V(phonebill-api).
    type: str
    required: true
  display_name:
    description: The name shown in the portal and on consent screens. Required when O(state=present).
    type: str
  description:
    description: Free text about the application.
    type: str
  sign_in_audience:
    description: Which accounts may sign in. Graph makes a new application V(AzureADMyOrg) when not stated.
    type: str
    choices: [AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount]
  identifier_uris:
    description:
      - The application ID URIs (C(aud) of the tokens issued for it), e.g. V(api://phonebill-api). Compared as a set;
        exactly these when stated.
    type: list
    elements: str
  app_roles:
    description: The app roles, keyed by O(app_roles[].value).
    type: list
    elements: dict
    suboptions:
      value:
        description: The value of the C(roles) claim (at most 120 characters, no space).
        type: str
        required: true
      display_name:
        description: The role's name in the assignment screens.
        type: str
        required: true
      description:
        description: What the role allows.
        type: str
        required: true
      allowed_member_types:
        description: V(User) (users and groups) and/or V(Application) (applications, as an application permission).
        type: list
        elements: str
        default: [User]
      enabled:
        description: Whether the role can be assigned and appears in tokens.
        type: bool
        default: true
      id:
        description: The role's id (a GUID). Normally left out; see the description.
        type: str
  purge_app_roles:
    description: Remove the app roles Graph has and O(app_roles) does not state (disabled first, as Graph requires).
    type: bool
    default: false
  service_principal:
    description: Also ensure the application's service principal exists (app roles are assigned on it).
    type: bool
    default: true
  app_role_assignment_required:
    description: Whether users and applications need an assignment of an app role to get a token (service principal).
    type: bool
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - Graph writes are synchronous, so the module has no O(ignore:wait) or O(ignore:timeout).
  - In check mode a new application has no ids yet; RV(app_id), RV(object_id) and RV(service_principal_id) are null.
  - The subscription options are not used by Graph, but the shared authentication still asks for a subscription.
requirements:
  - azure-core >= 1.38, < 2
  - azure-identity >= 1.25, < 2
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: App registration of the phonebill API with its roles (SPEC §8)
  phonebill.platform.entra_application:
    unique_name: phonebill-api
    display_name: phonebill-api
    sign_in_audience: AzureADMyOrg
    identifier_uris: [api://phonebill-api]
    app_roles:
      - value: User
        display_name: User
        description: Reads own bills and changes own products
      - value: Admin
        display_name: Admin
        description: Administers the phonebill service
      - value: ServiceAccount
        display_name: Service account
        description: Service-to-service calls
        allowed_member_types: [Application]
  register: phonebill_api

- name: Remove a scratch app registration
  phonebill.platform.entra_application:
    unique_name: scratch-api
    state: absent
'''

RETURN = r'''
resource:
  description: The application as Graph returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: 0d1f6a51-7c34-4a4c-9b9d-1f1e3f0f6b10
    appId: 7c5e8a7e-52b7-4c3d-9a0c-5f3c2b1a0e99
    uniqueName: phonebill-api
    displayName: phonebill-api
    signInAudience: AzureADMyOrg
    identifierUris: [api://phonebill-api]
    appRoles:
      - {id: 6f1c2e0a-1111-4a5b-9c8d-0123456789ab, value: Admin, displayName: Admin, isEnabled: true,
         description: Administers the phonebill service, allowedMemberTypes: [User], origin: Application}
object_id:
  description: Object id of the application.
  returned: when O(state=present)
  type: str
app_id:
  description: Application (client) id.
  returned: when O(state=present)
  type: str
service_principal_id:
  description: Object id of the service principal (what app role assignments name as resource).
  returned: when O(state=present) and O(service_principal=true)
  type: str
app_role_ids:
  description: The id of each app role, by value.
  returned: when O(state=present)
  type: dict
  sample: {User: 6f1c2e0a-1111-4a5b-9c8d-0123456789ab}
unmanaged_app_roles:
  description: Values of the app roles Graph has and O(app_roles) does not state (kept unless O(purge_app_roles)).
  returned: when O(state=present)
  type: list
  elements: str
differences:
  description: Every stated field that differed from Graph (service principal fields prefixed C(servicePrincipal.)).
  returned: always
  type: list
  elements: dict
  sample: [{path: "appRoles[Admin].description", before: Admins, after: Administers the phonebill service}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import graph
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.entra_application import (
    EntraApplication, ServicePrincipal, application_problems)

APP_ROLE_SPEC = dict(
    value=dict(type='str', required=True),
    display_name=dict(type='str', required=True),
    description=dict(type='str', required=True),
    allowed_member_types=dict(type='list', elements='str', default=['User']),
    enabled=dict(type='bool', default=True),
    id=dict(type='str'),
)


def service_principal_result(module, client, app_id):
    """Reconcile the service principal; a new application (check mode) predicts a new one without reading."""
    if app_id is None:
        return dict(changed=True, resource={}, differences=[dict(path='servicePrincipal', before=None,
                                                                 after='(created with the application)')])
    return reconcile(module, ServicePrincipal(module, client, app_id))


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            unique_name=dict(type='str', required=True),
            display_name=dict(type='str'),
            description=dict(type='str'),
            sign_in_audience=dict(type='str', choices=['AzureADMyOrg', 'AzureADMultipleOrgs',
                                                       'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']),
            identifier_uris=dict(type='list', elements='str'),
            app_roles=dict(type='list', elements='dict', options=APP_ROLE_SPEC),
            purge_app_roles=dict(type='bool', default=False),
            service_principal=dict(type='bool', default=True),
            app_role_assignment_required=dict(type='bool'),
            **STATE_ARGUMENT_SPEC,
        ),
    )
    params = module.params
    module.fail_on(application_problems('', params))
    client = graph.Graph(module)
    result = reconcile(module, EntraApplication(module, client))
    if params['state'] == 'present':
        application = result['resource']
        stated = set(r['value'] for r in params['app_roles'] or [])
        result.update(object_id=application.get('id'), app_id=application.get('appId'),
                      app_role_ids=dict((r.get('value'), r.get('id')) for r in application.get('appRoles') or []),
                      unmanaged_app_roles=sorted(r.get('value') for r in application.get('appRoles') or []
                                                 if r.get('value') not in stated))
        if params['service_principal']:
            principal = service_principal_result(module, client, application.get('appId'))
            result.update(changed=result['changed'] or principal['changed'],
                          service_principal_id=principal['resource'].get('id'),
                          differences=result['differences'] + [
                              dict(d, path='servicePrincipal.' + d['path'] if d['path'] != 'servicePrincipal' else d['path'])
                              for d in principal['differences']])
            if 'diff' in result:
                result['diff']['before']['servicePrincipal'] = principal.get('diff', {}).get('before')
                result['diff']['after']['servicePrincipal'] = principal.get('diff', {}).get('after')
    module.exit(**result)


if __name__ == '__main__':
    main()
