# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether an Azure resource is healthy: it exists, its last operation Succeeded, Azure sees it Available.

Two sources, because each misses what the other sees: the resource's own
`provisioningState` (a write that failed, or one still running: `Updating`,
`Upgrading`, `Scaling`, ... any state that is not terminal, as
`waiter.in_progress` counts it) and Resource Health's `availabilityState`
(Azure's view of the running service: `Available`, `Degraded`, `Unavailable`,
`Unknown`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils.waiter import FAILED_STATES, TERMINAL_STATES

API_VERSION = '2022-10-01'  # Microsoft.ResourceHealth availabilityStatuses (stable)
HEALTH_PATH = '/providers/Microsoft.ResourceHealth/availabilityStatuses'


def verdict(found, provisioning_state, availability_state, summary=None):
    """(status, detail) of one declared resource: PASS, WARN or FAIL, and why.

    FAIL: missing, provisioning Failed/Canceled, Unavailable. WARN: an operation
    in progress (a state that is not terminal: reported, since a daily run must
    not wait for it), Degraded, or health Unknown / not reported.
    """
    if not found:
        return 'FAIL', 'not found: the inventory declares it but it does not exist'
    state = provisioning_state or 'Succeeded'  # resources without the field (resource groups' children) are settled
    reasons = []
    status = 'PASS'
    if state.lower() in FAILED_STATES:
        status, reasons = 'FAIL', ['provisioning state %s: its last operation did not complete' % state]
    elif state.lower() not in TERMINAL_STATES:
        status, reasons = 'WARN', ['provisioning state %s: an operation is in progress' % state]
    if availability_state == 'Unavailable':
        status = 'FAIL'
    elif availability_state != 'Available' and status == 'PASS':
        status = 'WARN'
    if availability_state != 'Available':
        reasons.append('availability %s%s' % (availability_state or 'not reported', ': %s' % summary if summary else ''))
    return status, '; '.join(reasons) or 'provisioning state %s, available' % state


def declared_ids(subscription_id, resource_group, resources):
    """ARM ids of the declared resources [{type, name}] of the resource group, in order."""
    base = '/subscriptions/%s/resourceGroups/%s/providers/' % (subscription_id, resource_group)
    return [base + '%s/%s' % (item['type'], item['name']) for item in resources]


def resource_problems(resources, option='resources'):
    """Each declared resource needs a type (Namespace/type) and a name."""
    problems = []
    for index, item in enumerate(resources or []):
        where = '%s[%d]' % (option, index)
        if not isinstance(item, dict):
            problems.append('%s: must be a mapping {type, name}; give e.g. {type: Microsoft.Cache/redis, name: redis-phonebill-prod}' % where)
            continue
        kind = item.get('type')
        if not isinstance(kind, str) or kind.count('/') != 1 or not all(kind.split('/')):
            problems.append('%s.type: %r is not a resource type; give Namespace/type such as Microsoft.Cache/redis' % (where, kind))
        if not item.get('name'):
            problems.append('%s.name: missing; give the resource name' % where)
    return problems


def report(declared, listed, statuses):
    """One entry per declared id: what was read (`listed`: generic resources, `statuses`: availability) and the verdict."""
    by_id = dict((item['id'].lower(), item) for item in listed)
    health = dict((item['id'].lower()[:-len(HEALTH_PATH + '/current')], item.get('properties') or {})
                  for item in statuses if item.get('id', '').lower().endswith((HEALTH_PATH + '/current').lower()))
    out = []
    for rid in declared:
        resource = by_id.get(rid.lower())
        props = health.get(rid.lower(), {})
        state = resource.get('provisioningState') if resource else None
        availability = props.get('availabilityState') if resource else None
        status, detail = verdict(resource is not None, state, availability, props.get('summary'))
        out.append(dict(id=resource['id'] if resource else rid, name=rid.rsplit('/', 1)[1],
                        type=resource['type'] if resource else '/'.join(rid.split('/')[-3:-1]),
                        found=resource is not None, provisioning_state=state,
                        availability_state=availability, summary=props.get('summary'),
                        status=status, detail=detail))
    return out
