#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: security_alert_info
short_description: Read Microsoft Defender for Cloud security alerts
version_added: 0.1.0
description:
  - Lists the Defender for Cloud alerts of the subscription (C(Microsoft.Security/alerts)), or of one of its
    locations, as Azure returns them (API version 2022-01-01). Pages are followed.
  - Read-only. Optionally only alerts of given statuses or severities.
options:
  location:
    description: Only the alerts Defender keeps in this location (C(Microsoft.Security/locations/{location}/alerts)).
    type: str
  statuses:
    description: Only alerts with one of these statuses (all when not given).
    type: list
    elements: str
    choices: [Active, InProgress, Resolved, Dismissed]
  severities:
    description: Only alerts with one of these severities (all when not given).
    type: list
    elements: str
    choices: [High, Medium, Low, Informational]
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-resource >= 26, < 27
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Open Defender alerts of the subscription
  phonebill.platform.security_alert_info:
    statuses: [Active, InProgress]
  register: defender

- name: Their titles
  ansible.builtin.debug:
    msg: "{{ defender.alerts | map(attribute='properties.alertDisplayName') | list }}"
'''

RETURN = r'''
alerts:
  description: The alerts, as Azure returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Security/locations/koreacentral/alerts/2518298467986649999_4d25bfef
      name: 2518298467986649999_4d25bfef
      type: Microsoft.Security/Locations/alerts
      properties:
        alertDisplayName: Suspicious process executed
        severity: High
        status: Active
        compromisedEntity: aks-app-12345678-vmss000001
        timeGeneratedUtc: "2026-12-01T13:47:58.0000000Z"
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_rest
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule

API_VERSION = '2022-01-01'


def wanted(alert, statuses, severities):
    """Whether an alert passes the status and severity filters (Azure's casing varies: compared without case)."""
    props = alert.get('properties') or {}
    return ((not statuses or str(props.get('status', '')).lower() in [s.lower() for s in statuses])
            and (not severities or str(props.get('severity', '')).lower() in [s.lower() for s in severities]))


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        location=dict(type='str'),
        statuses=dict(type='list', elements='str', choices=['Active', 'InProgress', 'Resolved', 'Dismissed']),
        severities=dict(type='list', elements='str', choices=['High', 'Medium', 'Low', 'Informational']),
    ))
    params = module.params
    path = '/subscriptions/%s/providers/Microsoft.Security/%salerts' % (
        module.subscription_id, 'locations/%s/' % params['location'] if params['location'] else '')
    page = module.call('list the Defender for Cloud alerts', arm_rest.send, module, 'GET', path, API_VERSION) or {}
    alerts = list(page.get('value') or [])
    while page.get('nextLink'):
        page = module.call('read the next page of Defender for Cloud alerts', arm_rest.send, module, 'GET',
                           page['nextLink'], None) or {}
        alerts.extend(page.get('value') or [])
    module.exit(changed=False, alerts=[a for a in alerts if wanted(a, params['statuses'], params['severities'])])


if __name__ == '__main__':
    main()
