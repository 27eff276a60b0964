#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: diagnostic_setting
short_description: Send an Azure resource's logs and metrics to a Log Analytics workspace
version_added: 0.1.0
description:
  - Ensures a diagnostic setting (C(Microsoft.Insights/diagnosticSettings), API 2021-05-01-preview, an extension
    resource of the resource it belongs to) exists with the stated log categories or category groups and metric
    categories sent to a Log Analytics workspace, or is absent.
  - The categories are checked against those Azure lists for the resource (C(diagnosticSettingsCategories)) before
    anything is written; a category the resource type does not have fails naming the ones it has.
  - Logs and metrics are sets keyed by category (or category group); categories found in Azure but not stated are kept.
  - A resource that does not exist fails naming it (in check mode a warning, since an earlier task of the run may create it).
options:
  name:
    description: Name of the diagnostic setting (a resource can have up to five).
    type: str
    required: true
  resource_id:
    description: Resource id of the resource whose logs and metrics are sent (an AKS cluster, a gateway, a server...).
    type: str
    required: true
  workspace:
    description: Resource id of the Log Analytics workspace. Required to create the setting.
    type: str
  logs:
    description: Log categories, each by O(logs[].category) or O(logs[].category_group) (V(allLogs), V(audit)).
    type: list
    elements: dict
    suboptions:
      category:
        description: A log category of the resource type (e.g. V(kube-audit), V(ApplicationGatewayFirewallLog)).
        type: str
      category_group:
        description: A category group (V(allLogs), V(audit)).
        type: str
      enabled:
        description: Whether the category is sent.
        type: bool
        default: true
  metrics:
    description: Metric categories (V(AllMetrics)).
    type: list
    elements: dict
    suboptions:
      category:
        description: Metric category.
        type: str
        required: true
      enabled:
        description: Whether the category is sent.
        type: bool
        default: true
  log_analytics_destination_type:
    description: Resource-specific tables (V(Dedicated)) or the legacy C(AzureDiagnostics) table.
    type: str
    choices: [Dedicated, AzureDiagnostics]
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
notes:
  - Writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
  - azure-mgmt-monitor 7 has no diagnostic settings operations; the module sends its requests through the
    resource management client's pipeline (same credential, endpoint and retries).
requirements:
  - azure-mgmt-resource >= 26, < 27
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: AKS control plane audit logs and metrics to the workspace (SPEC 9)
  phonebill.platform.diagnostic_setting:
    name: to-law-phonebill-prod
    resource_id: "{{ phonebill_group_id }}/providers/Microsoft.ContainerService/managedClusters/aks-phonebill-prod"
    workspace: "{{ phonebill_group_id }}/providers/Microsoft.OperationalInsights/workspaces/law-phonebill-prod"
    logs:
      - category: kube-audit-admin
      - category: kube-apiserver
    metrics:
      - category: AllMetrics
    log_analytics_destination_type: Dedicated
'''

RETURN = r'''
resource:
  description: The diagnostic setting as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    name: to-law-phonebill-prod
    properties:
      workspaceId: /subscriptions/.../workspaces/law-phonebill-prod
      logs: [{category: kube-audit-admin, enabled: true}]
      metrics: [{category: AllMetrics, enabled: true}]
id:
  description: Resource id of the setting.
  returned: when O(state=present) and the setting exists (not for a new one in check mode)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.logs[kube-audit-admin].enabled", before: false, after: true}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_rest, compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_checks import diagnostic_setting_problems

API_VERSION = '2021-05-01-preview'


class CategorySet(compare.NamedSet):
    """Log entries keyed by their category or, for a category group, by the group."""

    def __init__(self):
        super(CategorySet, self).__init__(key='category')

    def key_of(self, item):
        item = item or {}
        return item.get('category') or item.get('categoryGroup')


class DiagnosticSetting(ArmResource):
    kind = 'diagnostic setting'
    key = ('resource_id', 'name')
    rules = {'properties.workspaceId': compare.RESOURCE_ID, 'properties.logs': CategorySet(),
             'properties.metrics': CategorySet(), 'properties.logAnalyticsDestinationType': compare.IGNORE_CASE}
    readonly = ('id', 'name', 'type', 'systemData')
    required_to_create = ('workspace',)
    #: the categories Azure lists for the resource: {'Logs': set, 'Metrics': set, 'groups': set}; None when unknown
    categories = None

    @property
    def label(self):
        return 'diagnostic setting %s of %s' % (self.params['name'], self.params['resource_id'])

    @property
    def path(self):
        resource = self.params['resource_id'].rstrip('/')
        return '%s/providers/Microsoft.Insights/diagnosticSettings/%s' % (resource, self.params['name'])

    def read(self):
        return self.module.get_or_none('read %s' % self.label, arm_rest.send, self.module, 'GET', self.path, API_VERSION)

    def lookup(self):
        if self.unchanged():  # Azure took these categories when it stored them
            return
        resource = self.params['resource_id'].rstrip('/')
        listed = self.module.get_or_none('list the diagnostic categories of %s' % resource, arm_rest.send, self.module,
                                         'GET', resource + '/providers/Microsoft.Insights/diagnosticSettingsCategories',
                                         API_VERSION)
        if listed is None:
            message = ('resource_id: %s does not exist; create it before its diagnostic setting, or remove the setting '
                       'from the inventory' % resource)
            if not self.module.check_mode:
                self.module.fail(message)
            self.module.warn('%s (check mode: an earlier task of the run may create it)' % message)
            return
        self.categories = {'Logs': set(), 'Metrics': set(), 'groups': set()}
        for item in listed.get('value') or []:
            properties = item.get('properties') or {}
            self.categories.setdefault(properties.get('categoryType'), set()).add(item.get('name'))
            self.categories['groups'].update(properties.get('categoryGroups') or [])

    def problems(self):
        if self.categories is None:
            return []
        found = []
        resource_type = '/'.join(self.params['resource_id'].split('/providers/', 1)[-1].split('/')[:2])
        for option, kind, field in (('logs', 'Logs', 'category'), ('logs', 'groups', 'category_group'),
                                    ('metrics', 'Metrics', 'category')):
            offered = self.categories.get(kind) or set()
            for item in self.params[option] or []:
                value = item.get(field)
                if value is not None and value.lower() not in set(o.lower() for o in offered):
                    found.append('%s[%s].%s: %s is not a %s of %s; use one of %s'
                                 % (option, value, field, value, field.replace('_', ' '), resource_type,
                                    ', '.join(sorted(offered)) or 'none (the type has none)'))
        return found

    def desired(self):
        params = self.params
        logs, metrics = params['logs'], params['metrics']
        return compare.prune(dict(properties=dict(
            workspaceId=params['workspace'],
            logs=[dict(category=i['category'], categoryGroup=i['category_group'], enabled=i['enabled']) for i in logs]
            if logs is not None else None,
            metrics=[dict(category=i['category'], enabled=i['enabled']) for i in metrics] if metrics is not None else None,
            logAnalyticsDestinationType=params['log_analytics_destination_type'])))

    def write(self, body):
        return arm_rest.send(self.module, 'PUT', self.path, API_VERSION, body=body)

    def remove(self):
        return arm_rest.send(self.module, 'DELETE', self.path, API_VERSION)


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return diagnostic_setting_problems(params)


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_id=dict(type='str', required=True),
            workspace=dict(type='str'),
            logs=dict(type='list', elements='dict', options=dict(
                category=dict(type='str'),
                category_group=dict(type='str'),
                enabled=dict(type='bool', default=True))),
            metrics=dict(type='list', elements='dict', options=dict(
                category=dict(type='str', required=True),
                enabled=dict(type='bool', default=True))),
            log_analytics_destination_type=dict(type='str', choices=['Dedicated', 'AzureDiagnostics']),
            **STATE_ARGUMENT_SPEC
        ),
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, DiagnosticSetting(module))
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
    module.exit(**result)


if __name__ == '__main__':
    main()
