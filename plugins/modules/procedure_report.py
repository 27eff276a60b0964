#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: procedure_report
short_description: Judge an operations procedure's checks PASS, WARN or FAIL and write its report
version_added: 0.1.0
description:
  - The report every operations procedure (daily, weekly and monthly checks, upgrades, drains, DR drills; SPEC §10)
    ends with, as JSON and as Markdown an operator attaches to a change ticket.
  - Each check is judged by exactly one rule, and reported with what was measured and the threshold it was held to.
  - The module never fails because a check failed; it returns the overall verdict, so the play can first give AWX the
    report (C(set_stats)) and then fail. The role C(phonebill.platform.procedure_report) does exactly that.
  - Bad checks (no name, two rules, a threshold that is not a number) fail before anything is written.
options:
  procedure:
    description: Name of the procedure; the report files are named after it.
    type: str
    required: true
  checks:
    description:
      - The checks, in the order they are reported. C(name) is required and unique; C(category), C(measured),
        C(unit) and C(detail) are reported as they are.
      - The rule, exactly one of
        C(status) (C(PASS), C(WARN) or C(FAIL), for a check its caller judged, such as workload health);
        C(expected) (FAIL unless C(measured) equals it);
        numeric thresholds C(max) and C(min) (FAIL beyond them) and C(warn_max) and C(warn_min) (WARN beyond them).
      - A check with thresholds but no measured value is a WARN (C(no value measured)).
    type: list
    elements: dict
    required: true
  report_dir:
    description: Directory the report files go to (created when missing).
    type: path
    required: true
  context:
    description:
      - What the report is about, shown at its top (the window, the emergency change, the cluster, ...). Never a secret.
    type: dict
    default: {}
  started:
    description: When the procedure started (ISO 8601 UTC); the time of this task when not given.
    type: str
  procedure_check_mode:
    description:
      - Whether the procedure ran in check mode (its changes only predicted), reported as RV(report.check_mode) and in
        the Markdown. The report task itself runs outside check mode so that a check-mode procedure still has its
        report; pass the play's C(ansible_check_mode) here.
      - Left out, this task's own check mode.
    type: bool
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: In check mode the report is built and returned but no file is written.
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Write the capacity review
  phonebill.platform.procedure_report:
    procedure: weekly
    report_dir: /var/lib/phonebill/reports
    context:
      cluster: aks-phonebill-prod
    checks:
      - name: node pool app utilisation
        category: capacity
        measured: 5
        unit: nodes
        warn_max: 8
        max: 10
        detail: 5 of at most 10 nodes
      - name: auth-service healthy
        category: health
        status: PASS
  register: weekly_report
  check_mode: false
'''

RETURN = r'''
report:
  description: The report as written.
  returned: always
  type: dict
  contains:
    procedure:
      description: The procedure's name.
      type: str
    status:
      description: The worst verdict of all checks (PASS when there is none).
      type: str
      sample: WARN
    counts:
      description: How many checks have each verdict.
      type: dict
      sample: {PASS: 12, WARN: 1, FAIL: 0}
    check_mode:
      description: Whether the procedure ran in check mode (O(procedure_check_mode)).
      type: bool
    context:
      description: O(context) as given.
      type: dict
    checks:
      description: Every check with C(status), C(measured), C(unit), C(threshold) (as text) and C(detail).
      type: list
      elements: dict
json_file:
  description: Path of the JSON report (null in check mode).
  returned: always
  type: str
markdown_file:
  description: Path of the Markdown report (null in check mode).
  returned: always
  type: str
'''

import datetime
import json
import os

from ansible_collections.phonebill.platform.plugins.module_utils.module_base import ModuleBase
from ansible_collections.phonebill.platform.plugins.module_utils.procedure_report import build, check_problems, markdown


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _write(path, text):
    """Whole or nothing: a reader never sees half a report."""
    partial = path + '.partial'
    with open(partial, 'w') as handle:
        handle.write(text)
    os.chmod(partial, 0o640)
    os.replace(partial, path)


def main():
    module = ModuleBase(
        supports_check_mode=True,
        argument_spec=dict(
            procedure=dict(type='str', required=True),
            checks=dict(type='list', elements='dict', required=True),
            report_dir=dict(type='path', required=True),
            context=dict(type='dict', default={}),
            started=dict(type='str'),
            procedure_check_mode=dict(type='bool'),
        ),
    )
    params = module.params
    module.fail_on(check_problems(params['checks']))
    finished = _utc_now()
    report = build(params['procedure'], params['checks'], params['started'] or finished, finished,
                   context=params['context'],
                   check_mode=module.check_mode if params['procedure_check_mode'] is None else params['procedure_check_mode'])
    if module.check_mode:
        module.exit(changed=False, report=report, json_file=None, markdown_file=None)
    os.makedirs(params['report_dir'], mode=0o750, exist_ok=True)
    base = os.path.join(params['report_dir'], '%s-%s' % (params['procedure'], finished.replace('-', '').replace(':', '')))
    _write(base + '.json', json.dumps(report, indent=2, sort_keys=True) + '\n')
    _write(base + '.md', markdown(report))
    module.exit(changed=True, report=report, json_file=base + '.json', markdown_file=base + '.md')


if __name__ == '__main__':
    main()
