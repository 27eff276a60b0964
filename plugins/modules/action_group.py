#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: action_group
short_description: Create, update or delete an Azure Monitor action group (e-mail and webhook receivers)
version_added: 0.1.0
description:
  - Ensures an action group (C(Microsoft.Insights/actionGroups), location C(Global)) exists with the stated short name
    and e-mail and webhook receivers (a Microsoft Teams incoming webhook is a webhook receiver), or is absent.
  - Receivers are sets keyed by name; a changed one is corrected, a missing one added; one found in Azure but not
    stated is reported in RV(unmanaged_receivers) and kept unless O(purge_receivers=true).
  - A webhook URL embeds its token (Teams connectors do), so it is a secret; it never appears in the result, the
    differences or the diff (shown as C(********)).
options:
  name:
    description: Name of the action group.
    type: str
    required: true
  resource_group:
    description: Resource group of the action group.
    type: str
    required: true
  short_name:
    description: Short name (1-12 characters) shown in e-mails and SMS. Required to create the group.
    type: str
  enabled:
    description: Whether the group notifies its receivers. A new group without it is enabled.
    type: bool
  email_receivers:
    description: E-mail receivers (a set keyed by name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the receiver, unique in the group.
        type: str
        required: true
      email_address:
        description: Where the notification is sent.
        type: str
        required: true
      use_common_alert_schema:
        description: Whether the common alert schema is used.
        type: bool
        default: true
  webhook_receivers:
    description: Webhook receivers (a set keyed by name), such as a Microsoft Teams incoming webhook.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the receiver, unique in the group.
        type: str
        required: true
      service_uri:
        description:
          - The https URL notifications are posted to. A secret (it embeds the webhook's token); give it from a vault or
            an AWX credential, never in the inventory.
        type: str
        required: true
      use_common_alert_schema:
        description: Whether the common alert schema is used (Teams workflows read it).
        type: bool
        default: true
  purge_receivers:
    description: Remove receivers of the group that are not stated.
    type: bool
    default: false
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - Action group writes are synchronous in Azure, so the module has no O(ignore:wait) or O(ignore:timeout).
requirements:
  - azure-mgmt-monitor >= 7, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Operations team on Teams and by e-mail (SPEC 9)
  phonebill.platform.action_group:
    name: ag-phonebill-ops
    resource_group: rg-phonebill-prod
    short_name: phonebillops
    email_receivers:
      - name: ops-mail
        email_address: ops@phonebill.example
    webhook_receivers:
      - name: ops-teams
        service_uri: "{{ phonebill_teams_webhook_url }}"
'''

RETURN = r'''
resource:
  description: The action group as Azure returns it (or, in check mode, as it would be), webhook URLs masked.
  returned: success
  type: dict
  sample:
    location: Global
    properties:
      groupShortName: phonebillops
      enabled: true
      emailReceivers: [{name: ops-mail, emailAddress: ops@phonebill.example, useCommonAlertSchema: true, status: Enabled}]
      webhookReceivers: [{name: ops-teams, serviceUri: "********", useCommonAlertSchema: true}]
id:
  description: Resource id of the action group, what alerts name in their actions.
  returned: when O(state=present) and the group exists (not for a new group in check mode)
  type: str
unmanaged_receivers:
  description: Receivers of the group that are not stated (kept unless O(purge_receivers=true)), as C(kind/name).
  returned: when O(state=present)
  type: list
  elements: str
  sample: [emailReceivers/former-oncall]
differences:
  description: Every stated field that differed from Azure, with the value before and after (webhook URLs masked).
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.webhookReceivers[ops-teams].serviceUri", before: "********", after: "********"}]
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_alerts import enabled_unless_stated
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_checks import action_group_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems

#: receiver kinds the module manages: REST property -> option
RECEIVERS = {'emailReceivers': 'email_receivers', 'webhookReceivers': 'webhook_receivers'}


class ActionGroup(ArmResource):
    kind, service, operations = 'action group', 'monitor', 'action_groups'
    create_method, delete_method = 'create_or_update', 'delete'
    secrets = ('properties.webhookReceivers[].serviceUri',)
    required_to_create = ('short_name',)

    @property
    def rules(self):
        purge = self.params['purge_receivers']
        return dict(('properties.%s' % kind, compare.NamedSet(purge=purge)) for kind in RECEIVERS)

    def desired(self):
        params = self.params
        emails = params['email_receivers']
        hooks = params['webhook_receivers']
        return compare.prune(dict(location='Global', tags=params['tags'], properties=dict(
            groupShortName=params['short_name'], enabled=params['enabled'],
            emailReceivers=[dict(name=r['name'], emailAddress=r['email_address'],
                                 useCommonAlertSchema=r['use_common_alert_schema']) for r in emails]
            if emails is not None else None,
            webhookReceivers=[dict(name=r['name'], serviceUri=r['service_uri'],
                                   useCommonAlertSchema=r['use_common_alert_schema']) for r in hooks]
            if hooks is not None else None)))

    def write(self, body):
        return super(ActionGroup, self).write(enabled_unless_stated(body))


def unmanaged_receivers(params, current):
    """Receivers Azure has that the task does not state, as 'kind/name'."""
    found = []
    for kind, option in RECEIVERS.items():
        stated = set(r['name'].lower() for r in params[option] or [])
        for receiver in ((current or {}).get('properties') or {}).get(kind) or []:
            if compare.item_name(receiver) and compare.item_name(receiver).lower() not in stated:
                found.append('%s/%s' % (kind, compare.item_name(receiver)))
    return found


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return action_group_problems(params) + name_problems('resource_group', params['resource_group'], 'resource_group')


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            short_name=dict(type='str'),
            enabled=dict(type='bool'),
            email_receivers=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                email_address=dict(type='str', required=True),
                use_common_alert_schema=dict(type='bool', default=True))),
            webhook_receivers=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                service_uri=dict(type='str', required=True, no_log=True),
                use_common_alert_schema=dict(type='bool', default=True))),
            purge_receivers=dict(type='bool', default=False),
            **dict(TAGS_ARGUMENT_SPEC, **STATE_ARGUMENT_SPEC)
        ),
    )
    module.fail_on(validate(module.params))
    resource = ActionGroup(module)
    result = reconcile(module, resource)
    if module.params['state'] == 'present':
        result['id'] = result['resource'].get('id')
        purged = module.params['purge_receivers']
        result['unmanaged_receivers'] = [] if purged else unmanaged_receivers(module.params, resource.current)
    module.exit(**result)


if __name__ == '__main__':
    main()
