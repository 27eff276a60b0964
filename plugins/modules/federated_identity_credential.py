#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: federated_identity_credential
short_description: Create, update or delete a federated credential of a user-assigned managed identity
version_added: 0.1.0
description:
  - Ensures a federated identity credential
    (C(Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials)) exists on a user-assigned
    identity, trusting tokens of one issuer and subject, or is absent.
  - With AKS workload identity the issuer is the cluster's OIDC issuer URL and the subject the Kubernetes
    service account, C(system:serviceaccount:<namespace>:<service account>).
  - A changed issuer, subject or audience is an update of the same credential.
options:
  name:
    description: Name of the credential (3-120 letters, digits, C(-) and C(_), starting with a letter or digit).
    type: str
    required: true
  identity:
    description: Name of the user-assigned identity the credential belongs to.
    type: str
    required: true
  resource_group:
    description: Resource group of the identity.
    type: str
    required: true
  issuer:
    description:
      - https URL of the token issuer to trust, exactly as the C(iss) claim of its tokens (an AKS OIDC issuer
        URL ends with C(/)).
      - Required to create the credential, unless it is listed in O(unknown) in check mode.
    type: str
  subject:
    description:
      - The C(sub) claim of the tokens to trust (at most 600 characters).
      - A Kubernetes service account is C(system:serviceaccount:<namespace>:<service account>); a subject
        starting with C(system:serviceaccount) is checked against that form before any call to Azure.
      - Required to create the credential.
    type: str
  audiences:
    description:
      - The C(aud) claim of the tokens to trust. Microsoft Entra ID accepts exactly one audience.
      - Compared as a set.
    type: list
    elements: str
    default: [api://AzureADTokenExchange]
  unknown:
    description:
      - Options whose value check mode cannot know because it comes from a resource check mode did not create;
        V(issuer) for a cluster not created yet, or one whose OIDC issuer is only being enabled.
      - In check mode the change is then predicted (an existing credential will trust the new issuer, so it is
        reported changed) with the value shown as C((known after a real run)); nothing is written.
      - A real run fails on any option listed here before it calls Azure.
    type: list
    elements: str
    choices: [issuer]
    default: []
  state:
    description: Whether the credential should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - Credential writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
  - Azure refuses concurrent writes of credentials of one identity; write them one after another (an Ansible
    loop does).
  - An identity holds at most 20 federated credentials.
requirements:
  - azure-mgmt-msi >= 7.1, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Let the auth-service service account act as the services identity
  phonebill.platform.federated_identity_credential:
    name: auth-service-sa
    identity: phonebill-services
    resource_group: rg-phonebill-prod
    issuer: "{{ cluster.properties.oidcIssuerProfile.issuerURL }}"
    subject: system:serviceaccount:phonebill-prod:auth-service-sa

- name: Trust the issuer of a cluster that check mode has not created yet (check mode predicts; real runs need it)
  phonebill.platform.federated_identity_credential:
    name: auth-service-sa
    identity: phonebill-services
    resource_group: rg-phonebill-prod
    issuer: "{{ issuer_url if issuer_url else omit }}"
    unknown: "{{ [] if issuer_url else ['issuer'] }}"
    subject: system:serviceaccount:phonebill-prod:auth-service-sa

- name: Remove the trust of a retired service account
  phonebill.platform.federated_identity_credential:
    name: legacy-sa
    identity: phonebill-services
    resource_group: rg-phonebill-prod
    state: absent
'''

RETURN = r'''
resource:
  description: The credential as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-phonebill-prod/\
      providers/Microsoft.ManagedIdentity/userAssignedIdentities/phonebill-services/federatedIdentityCredentials/auth-service-sa"
    name: auth-service-sa
    type: Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials
    properties:
      issuer: https://koreacentral.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/1c2d3e4f-0000-4a5b-9c8d-0123456789ab/
      subject: system:serviceaccount:phonebill-prod:auth-service-sa
      audiences: [api://AzureADTokenExchange]
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.subject, before: "system:serviceaccount:default:old", after: "system:serviceaccount:phonebill-prod:new"}]
'''

import re

from ansible_collections.phonebill.platform.plugins.module_utils import compare, unknown
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import https_url_problems, name_problems

SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount'
# namespace: an RFC 1123 label; service account: an RFC 1123 subdomain
SERVICE_ACCOUNT = re.compile(r'^system:serviceaccount:([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?):'
                             r'([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$')
MAX_CLAIM = 600


# where each option that may be unknown in check mode lives in the REST form
UNKNOWN_PATHS = {'issuer': 'properties.issuer'}


class FederatedIdentityCredential(ArmResource):
    kind, parent_kind = 'federated credential', 'identity'
    service, operations, key = 'msi', 'federated_identity_credentials', ('resource_group', 'identity', 'name')
    create_method, delete_method = 'create_or_update', 'delete'
    rules = {'properties.audiences': compare.Set()}

    @property
    def required_to_create(self):
        return tuple(option for option in ('issuer', 'subject') if option not in self.params['unknown'])

    def desired(self):
        return compare.prune(dict(properties=dict(issuer=self.params['issuer'], subject=self.params['subject'],
                                                  audiences=self.params['audiences'])))


def validate(params, check_mode):
    """Input errors that need no call to Azure: 'option: what is wrong; the fix' lines."""
    problems = (name_problems('name', params['name'], 'federated_identity_credential')
                + name_problems('identity', params['identity'], 'user_assigned_identity')
                + https_url_problems('issuer', params['issuer'])
                + unknown.unknown_problems(params, check_mode))
    problems.extend('%s: %d characters; Azure accepts at most %d' % (option, len(params[option]), MAX_CLAIM)
                    for option in ('issuer', 'subject') if params[option] is not None and len(params[option]) > MAX_CLAIM)
    subject = params['subject']
    if subject is not None and subject.startswith(SERVICE_ACCOUNT_PREFIX) and not SERVICE_ACCOUNT.match(subject):
        problems.append('subject: %r is not a Kubernetes service account subject; use '
                        'system:serviceaccount:<namespace>:<service account> with lower-case DNS names, '
                        'e.g. system:serviceaccount:phonebill-prod:auth-service-sa' % subject)
    audiences = params['audiences']
    if len(audiences) != 1 or not audiences[0].strip() or len(audiences[0]) > MAX_CLAIM:
        problems.append('audiences: %r; Microsoft Entra ID accepts exactly one non-empty audience of at most %d '
                        'characters, normally api://AzureADTokenExchange' % (audiences, MAX_CLAIM))
    return problems


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            identity=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            issuer=dict(type='str'),
            subject=dict(type='str'),
            audiences=dict(type='list', elements='str', default=['api://AzureADTokenExchange']),
            **STATE_ARGUMENT_SPEC,
            **unknown.unknown_spec(UNKNOWN_PATHS)
        ),
    )
    module.fail_on(validate(module.params, module.check_mode))
    credential = FederatedIdentityCredential(module)
    result = reconcile(module, credential)
    if module.params['unknown'] and module.params['state'] == 'present':  # check mode only (validate)
        result = unknown.predicted(result, credential.current, [UNKNOWN_PATHS[o] for o in module.params['unknown']])
    module.exit(**result)


if __name__ == '__main__':
    main()
