#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: operations_checks
short_description: Turn what the read modules returned into an operations procedure's checks
version_added: 0.1.0
description:
  - The judging step of the operations procedures (SPEC §10) between the C(_info) modules and
    M(phonebill.platform.procedure_report) - cost against the budget table, the security audit, Defender alerts and
    the capacity plan. It calls nothing; it returns checks (name, measured value, unit, detail, one rule) that
    C(procedure_report) judges and reports.
  - The rules live as pure functions in C(plugins/module_utils) (C(cost_analysis), C(security_audit),
    C(security_alerts), C(capacity_plan)), with unit tests; thresholds come from the inventory through O(expected).
  - Never returns a secret value; the Key Vault items it takes are attributes only.
options:
  judge:
    description: Which facts to judge.
    type: str
    required: true
    choices: [cost, security_audit, security_alerts, capacity_plan]
  facts:
    description:
      - What was read, by name. C(cost) - C(by_component) and C(as_of) of M(phonebill.platform.cost_query_info).
        C(security_audit) - documents C(postgresql), C(redis), C(key_vault), C(container_registry),
        C(application_gateway), lists C(network_security_groups), C(secrets), C(certificates), C(identities),
        C(role_assignments) and the C(role_names) of M(phonebill.platform.role_assignment_info); the delivery
        identity's C(delivery_identity), C(delivery_role_assignments) and C(delivery_role_names) (audited only when
        C(delivery_identity) is given; null means not found).
        C(security_alerts) - C(alerts) of M(phonebill.platform.security_alert_info).
        C(capacity_plan) - C(pools), C(postgresql), C(redis).
    type: dict
    required: true
  expected:
    description:
      - The inventory's thresholds. C(cost) - C(budget) (USD a month per SPEC §11 line), C(warn_percent),
        C(fail_percent). C(security_audit) - C(public_network_access) (kind to value), C(minimum_tls_version),
        C(network_security_groups), C(expiry_warn_days), C(expiry_fail_days), C(key_vault_role_assignments),
        C(delivery_grants) (C(role) and C(scope) of each role the delivery identity must hold, and nothing else).
        C(security_alerts) - C(fail_severities), C(warn_severities). C(capacity_plan) - C(growth_percent),
        C(warn_headroom_percent), C(fail_headroom_percent), C(postgresql_storage_gb), C(redis_shards),
        C(redis_capacity).
    type: dict
    required: true
  now:
    description: The time to judge expiry at (ISO 8601, UTC); now when not given. For tests and drills.
    type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Judges in check mode as in a real run; it changes nothing either way.
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Open Defender alerts as checks
  phonebill.platform.operations_checks:
    judge: security_alerts
    facts:
      alerts: "{{ defender.alerts }}"
    expected:
      fail_severities: [High]
      warn_severities: [Medium]
  register: alert_checks

- name: Add them to the procedure's checks
  ansible.builtin.set_fact:
    procedure_checks: "{{ procedure_checks | default([]) + alert_checks.checks }}"
'''

RETURN = r'''
checks:
  description: The checks, in the form M(phonebill.platform.procedure_report) takes.
  returned: always
  type: list
  elements: dict
  sample:
    - name: defender alerts high
      category: security
      measured: 1
      unit: open alerts
      max: 0
      detail: Suspicious process executed on aks-app-vmss000001 at 2026-12-01T13:47:58Z
'''

import datetime

from ansible_collections.phonebill.platform.plugins.module_utils import capacity_plan, cost_analysis, security_alerts, security_audit
from ansible_collections.phonebill.platform.plugins.module_utils.module_base import ModuleBase

REQUIRED = dict(
    cost=('budget', 'warn_percent', 'fail_percent'),
    security_audit=('minimum_tls_version', 'expiry_warn_days', 'expiry_fail_days'),
    security_alerts=('fail_severities', 'warn_severities'),
    capacity_plan=('growth_percent', 'warn_headroom_percent', 'fail_headroom_percent', 'postgresql_storage_gb',
                   'redis_shards', 'redis_capacity'),
)


def validate(params):
    """Input problems, before judging."""
    expected = params['expected']
    problems = ['expected.%s: missing; give it from the inventory' % key for key in REQUIRED[params['judge']]
                if key not in expected]
    if params['judge'] == 'cost' and 'budget' in expected:
        problems += cost_analysis.budget_problems(expected['budget'], 'expected.')
    if params['judge'] == 'security_alerts':
        problems += security_alerts.severity_problems(expected.get('fail_severities'), expected.get('warn_severities'),
                                                      'expected.')
    if params['now']:
        try:
            _utc(params['now'])
        except ValueError:
            problems.append('now: %r is not an ISO 8601 time; give e.g. 2026-12-06T17:00:00Z' % params['now'])
    return problems


def _utc(text):
    parsed = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def judge(name, facts, expected, now):
    """The checks of one judge."""
    if name == 'cost':
        as_of = datetime.date.fromisoformat(str(facts.get('as_of') or now.date().isoformat())[:10])
        return cost_analysis.budget_checks(facts.get('by_component') or {}, expected['budget'], as_of,
                                           expected['warn_percent'], expected['fail_percent'])
    if name == 'security_audit':
        return security_audit.audit_checks(facts, expected, now)
    if name == 'security_alerts':
        return security_alerts.alert_checks(facts.get('alerts'), expected['fail_severities'], expected['warn_severities'])
    checks = capacity_plan.pool_checks(facts.get('pools'), expected['growth_percent'], expected['warn_headroom_percent'],
                                       expected['fail_headroom_percent'])
    if facts.get('postgresql'):
        checks += capacity_plan.postgresql_checks(facts['postgresql'], expected['postgresql_storage_gb'])
    if facts.get('redis'):
        checks += capacity_plan.redis_checks(facts['redis'], expected['redis_shards'], expected['redis_capacity'])
    return checks


def main():
    module = ModuleBase(supports_check_mode=True, argument_spec=dict(
        judge=dict(type='str', required=True, choices=sorted(REQUIRED)),
        facts=dict(type='dict', required=True),
        expected=dict(type='dict', required=True),
        now=dict(type='str'),
    ))
    params = module.params
    module.fail_on(validate(params))
    now = _utc(params['now']) if params['now'] else datetime.datetime.now(datetime.timezone.utc)
    module.exit(changed=False, checks=judge(params['judge'], params['facts'], params['expected'], now))


if __name__ == '__main__':
    main()
