#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: maintenance_window
short_description: Refuse a maintenance procedure outside the weekly maintenance window
version_added: 0.1.0
description:
  - The guard every maintenance playbook runs first (SPEC §10, every Sunday 02:00-04:00 KST). It succeeds when the
    current time is inside the weekly window and the procedure's declared O(time_budget_minutes) still fits in what
    is left of it; otherwise it fails before anything is touched, saying when the next window opens (in UTC and in
    the window's local time).
  - Outside the window (or when the budget no longer fits) a procedure may run only as an approved emergency change,
    with both O(change_id) and O(change_approver). A procedure that is a change at any hour (the Redis geo-failover)
    sets O(change_required), and is then refused without them even inside the window.
  - Returns RV(check), the guard's check in the shape of the checks of
    P(phonebill.platform.procedure_report#module), also when it refuses, so every procedure's report says the same
    about the window.
  - The local time is UTC plus the fixed C(utc_offset) of O(window) (Korea has no daylight saving time), so no
    time zone database is needed. The window includes its first second and excludes its end (02:00:00 is inside,
    04:00:00 is not).
  - Reads nothing and changes nothing; check mode gives the same answer.
options:
  window:
    description:
      - The weekly window, the inventory's C(phonebill_maintenance_window), passed as it is.
      - C(day) is the local day the window starts (C(Monday) to C(Sunday)), C(start) the local start time (C(HH:MM)
        in 24 hours), C(utc_offset) the offset of the local time from UTC (C(+HH:MM) or C(-HH:MM), C(+09:00) for KST).
      - Other keys (the AKS schedules' C(duration_hours) and C(default_duration_hours)) are ignored; the procedures'
        window length is O(window_hours).
    type: dict
    required: true
  window_hours:
    description:
      - Length of the procedures' window in hours (C(phonebill_maintenance_procedures_window_hours), 2 for SPEC §10).
    type: int
    default: 2
  time_budget_minutes:
    description:
      - How long the procedure may take. It must fit in what is left of the window, else the procedure waits for the
        next window.
    type: int
    required: true
  procedure:
    description: Name of the procedure, shown in the messages.
    type: str
  change_id:
    description:
      - Record number of the approved change (for example C(CHG0012345) or C(CHG-2026-0042)); lets the procedure run
        outside the window as an emergency change. Needs O(change_approver).
      - Playbooks and AWX surveys give it as C(phonebill_change_id). An empty string counts as not given (an
        unanswered survey question).
    type: str
  change_approver:
    description:
      - User principal name of whoever approved the change (for example C(oncall.lead@phonebill.example)). Needs
        O(change_id).
      - Playbooks and AWX surveys give it as C(phonebill_change_approver).
    type: str
  change_required:
    description:
      - The procedure is a change at any hour, so it needs O(change_id) and O(change_approver) even inside the window
        (the Redis geo-failover); without them it is refused before anything is read.
    type: bool
    default: false
  now:
    description:
      - The current time as ISO 8601 UTC (C(2026-12-05T17:00:00Z)), for tests and drills only; the system clock
        when not given.
    type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
notes:
  - The module is in no action group, so the Azure and Kubernetes C(module_defaults) of a play do not reach it.
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Refuse to start outside the window or without 45 minutes left in it
  phonebill.platform.maintenance_window:
    window: "{{ phonebill_maintenance_window }}"
    window_hours: "{{ phonebill_maintenance_procedures_window_hours }}"
    time_budget_minutes: 45
    procedure: node image upgrade

# outside the window only as an approved emergency change; with change_required, at any hour only as an approved
# change (the Redis geo-failover). Its check, also when refused, goes into the procedure's report.
- name: A change that needs its approval at any hour
  phonebill.platform.maintenance_window:
    window: "{{ phonebill_maintenance_window }}"
    window_hours: "{{ phonebill_maintenance_procedures_window_hours }}"
    time_budget_minutes: 30
    change_id: "{{ phonebill_change_id | default(omit) }}"
    change_approver: "{{ phonebill_change_approver | default(omit) }}"
    change_required: true
  register: approved_change
'''

RETURN = r'''
now:
  description: The time judged, UTC.
  returned: always
  type: str
  sample: '2026-12-05T17:30:00Z'
inside_window:
  description: Whether that time is inside the window.
  returned: always
  type: bool
emergency:
  description: Whether the procedure runs as an emergency change (outside the window, or its budget does not fit).
  returned: always
  type: bool
window_start:
  description: Start of the current window, or of the next one when outside it, UTC.
  returned: always
  type: str
  sample: '2026-12-05T17:00:00Z'
window_end:
  description: End of that window (the first second outside it), UTC.
  returned: always
  type: str
  sample: '2026-12-05T19:00:00Z'
window_start_local:
  description: Start of that window in its local time.
  returned: always
  type: str
  sample: 'Sunday 2026-12-06 02:00:00 +09:00'
window_end_local:
  description: End of that window in its local time.
  returned: always
  type: str
  sample: 'Sunday 2026-12-06 04:00:00 +09:00'
remaining_minutes:
  description: Whole minutes left in the window; null outside it.
  returned: always
  type: int
  sample: 90
time_budget_minutes:
  description: The procedure's declared budget.
  returned: always
  type: int
change_id:
  description: The emergency change record number (null unless RV(emergency=true)).
  returned: always
  type: str
change_approver:
  description: The emergency change's approver (null unless RV(emergency=true)).
  returned: always
  type: str
check:
  description:
    - The guard's check for P(phonebill.platform.procedure_report#module), named C(maintenance window) (category
      C(window)), also returned when the guard refuses.
    - C(FAIL) when refused (the reason, and when the next window opens), C(WARN) for an approved emergency change
      (the change, its approver, and whether the run is outside the window or past its time left), else C(PASS)
      (the window and the minutes left for the budget).
  returned: always
  type: dict
  sample:
    name: maintenance window
    category: window
    status: WARN
    detail: >-
      emergency change CHG0012345 approved by oncall.lead@phonebill.example, outside the window (the next one is
      Sunday 2026-12-06 02:00:00 +09:00 to Sunday 2026-12-06 04:00:00 +09:00)
'''

import datetime

from ansible_collections.phonebill.platform.plugins.module_utils.maintenance_window import judge, parse_now, problems, report_check
from ansible_collections.phonebill.platform.plugins.module_utils.module_base import ModuleBase


def main():
    module = ModuleBase(
        supports_check_mode=True,
        argument_spec=dict(
            window=dict(type='dict', required=True),
            window_hours=dict(type='int', default=2),
            time_budget_minutes=dict(type='int', required=True),
            procedure=dict(type='str'),
            change_id=dict(type='str'),
            change_approver=dict(type='str'),
            change_required=dict(type='bool', default=False),
            now=dict(type='str'),
        ),
    )
    params = module.params
    found = problems(params)
    if found:
        module.fail_on(found, check=report_check(None, '; '.join(found)))
    now = parse_now(params['now']) if params['now'] else datetime.datetime.now(datetime.timezone.utc)
    result, refusal = judge(params, now)
    if refusal:
        prefix = '%s: ' % params['procedure'] if params['procedure'] else ''
        module.fail(prefix + refusal, check=report_check(result, refusal), **result)
    if result['emergency']:
        module.warn('emergency change %s approved by %s: running outside the maintenance window'
                    % (result['change_id'], result['change_approver']))
    module.exit(changed=False, check=report_check(result, None), **result)


if __name__ == '__main__':
    main()
