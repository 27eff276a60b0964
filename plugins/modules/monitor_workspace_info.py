#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: monitor_workspace_info
short_description: Read Azure Monitor workspaces (managed Prometheus)
version_added: 0.1.0
description:
  - Returns one Azure Monitor workspace (C(Microsoft.Monitor/accounts)) by name, those of a resource group, or those
    of the subscription, optionally only those carrying the given tags.
  - Each carries its Prometheus query endpoint in C(properties.metrics.prometheusQueryEndpoint), which a metrics
    reader (the custom metrics adapter) is configured with.
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
- name: Read the Prometheus workspace
  phonebill.platform.monitor_workspace_info:
    name: amw-phonebill-prod
    resource_group: rg-phonebill-prod
  register: found

- name: Its query endpoint, for the metrics adapter
  ansible.builtin.debug:
    msg: "{{ found.workspaces[0].properties.metrics.prometheusQueryEndpoint }}"
'''

RETURN = r'''
workspaces:
  description: The workspaces found, as Azure returns them (empty when the named workspace does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Monitor/accounts/amw-phonebill-prod
      name: amw-phonebill-prod
      location: koreacentral
      properties:
        metrics:
          prometheusQueryEndpoint: https://amw-phonebill-prod-a1b2.koreacentral.prometheus.monitor.azure.com
        publicNetworkAccess: Enabled
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    workspaces = arm_info.read(module, 'Azure Monitor workspace', lambda: module.client('monitor').azure_monitor_workspaces)
    module.exit(changed=False, workspaces=workspaces)


if __name__ == '__main__':
    main()
