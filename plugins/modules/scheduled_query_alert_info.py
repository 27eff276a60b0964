#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: scheduled_query_alert_info
short_description: Read Azure Monitor log search alert rules
version_added: 0.1.0
description:
  - Returns one log search alert rule (scheduled query rule) by name, those of a resource group, or those of the subscription,
    optionally only those carrying the given tags.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
  - phonebill.platform.azure.info_filters
requirements:
  - azure-mgmt-monitor >= 7, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the alerts of the platform
  phonebill.platform.scheduled_query_alert_info:
    resource_group: rg-phonebill-prod
  register: found

- name: Which are enabled, and at what severity
  ansible.builtin.debug:
    msg: "{{ found.alerts | map(attribute='name') | zip(found.alerts | map(attribute='properties.severity')) }}"
'''

RETURN = r'''
alerts:
  description: The log search alert rules found, as Azure returns them (empty when the named rule does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/\
      providers/Microsoft.Insights/scheduledQueryRules/alert-failed-requests"
      name: alert-failed-requests
      location: koreacentral
      properties:
        severity: 0
        enabled: true
        evaluationFrequency: PT5M
        windowSize: PT5M
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    alerts = arm_info.read(module, 'log search alert', lambda: module.client('monitor').scheduled_query_rules)
    module.exit(changed=False, alerts=alerts)


if __name__ == '__main__':
    main()
