# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What metric alerts and log search alerts share: options, action group references, common properties.

Both alert types have a severity, a schedule, scopes and action groups; only
their criteria and the shape of their actions differ, so the two modules
declare the rest once here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.monitor_checks import duration_minutes

#: options both alert modules take (their documentation is in each module)
ALERT_ARGUMENT_SPEC = dict(
    name=dict(type='str', required=True),
    resource_group=dict(type='str', required=True),
    description=dict(type='str'),
    severity=dict(type='int'),
    enabled=dict(type='bool'),
    scopes=dict(type='list', elements='str'),
    evaluation_frequency=dict(type='str'),
    window_size=dict(type='str'),
    action_groups=dict(type='list', elements='str'),
    auto_mitigate=dict(type='bool'),
)


class Duration(compare.Rule):
    """ISO 8601 durations by their length: a rule written elsewhere as PT60M, or in another case
    (Microsoft's createOrUpdateMetricAlertSingleResource example sends "Pt1m"), is not reported changed."""

    def normalize(self, value):
        minutes = duration_minutes(value.upper()) if isinstance(value, str) else None
        return value if minutes is None else minutes


#: resource ids compared without case, scopes as a set
SCOPES_RULE = compare.Set(compare.RESOURCE_ID)
#: the schedule of either alert type
SCHEDULE_RULES = {'properties.evaluationFrequency': Duration(), 'properties.windowSize': Duration()}


def action_group_id(subscription_id, resource_group, reference):
    """The resource id of an action group stated by name (in the alert's resource group) or by id."""
    if reference.startswith('/'):
        return reference
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Insights/actionGroups/%s' % (
        subscription_id, resource_group, reference)


def action_group_ids(module):
    """The stated action groups as resource ids, or None when not stated."""
    references = module.params.get('action_groups')
    if references is None:
        return None
    return [action_group_id(module.subscription_id, module.params['resource_group'], r) for r in references]


def enabled_unless_stated(body):
    """The PUT body with properties.enabled true when neither the task nor Azure set it.

    Azure requires `enabled` on every PUT of an action group or metric alert; a new one the
    task does not switch off is meant to work.
    """
    body.setdefault('properties', {}).setdefault('enabled', True)
    return body


def common_properties(params):
    """The properties both alert types name alike (None: not stated)."""
    return dict(description=params.get('description'), severity=params.get('severity'), enabled=params.get('enabled'),
                scopes=params.get('scopes'), evaluationFrequency=params.get('evaluation_frequency'),
                windowSize=params.get('window_size'), autoMitigate=params.get('auto_mitigate'))
