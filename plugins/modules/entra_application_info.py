#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: entra_application_info
short_description: Read Microsoft Entra app registrations and their service principals
version_added: 0.1.0
description:
  - Reads app registrations through Microsoft Graph v1.0 by O(unique_name) (Graph's alternate key) or by
    O(display_name) (every application of that name), with the service principal of each.
  - Graph is reached at the cloud's C(microsoftGraphResourceId) (ARM metadata of O(cloud_environment)).
options:
  unique_name:
    description: The uniqueName of one application.
    type: str
  display_name:
    description: Every application with this display name.
    type: str
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-core >= 1.38, < 2
  - azure-identity >= 1.25, < 2
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the phonebill API registration
  phonebill.platform.entra_application_info:
    unique_name: phonebill-api
  register: phonebill_api

- name: Its app role ids
  ansible.builtin.debug:
    msg: "{{ phonebill_api.applications[0].appRoles | items2dict(key_name='value', value_name='id') }}"
'''

RETURN = r'''
applications:
  description: The applications found, as Graph returns them (empty when none).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0d1f6a51-7c34-4a4c-9b9d-1f1e3f0f6b10
      appId: 7c5e8a7e-52b7-4c3d-9a0c-5f3c2b1a0e99
      uniqueName: phonebill-api
      displayName: phonebill-api
      appRoles: []
service_principals:
  description: The service principal of each application found, by appId (null when it has none).
  returned: always
  type: dict
'''

from ansible_collections.phonebill.platform.plugins.module_utils import graph
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        unique_name=dict(type='str'),
        display_name=dict(type='str'),
    ), required_one_of=[('unique_name', 'display_name')], mutually_exclusive=[('unique_name', 'display_name')])
    params = module.params
    client = graph.Graph(module)
    if params['unique_name']:
        found = module.get_or_none('read application %s' % params['unique_name'], client.request, 'GET',
                                   graph.key_path('applications', 'uniqueName', params['unique_name']))
        applications = [found] if found else []
    else:
        applications = module.call('find applications named %s' % params['display_name'], client.list,
                                   'applications', graph.filter_eq('displayName', params['display_name']))
    principals = dict((a['appId'], module.get_or_none('read the service principal of %s' % a['appId'], client.request,
                                                      'GET', graph.key_path('servicePrincipals', 'appId', a['appId'])))
                      for a in applications)
    module.exit(changed=False, applications=applications, service_principals=principals)


if __name__ == '__main__':
    main()
