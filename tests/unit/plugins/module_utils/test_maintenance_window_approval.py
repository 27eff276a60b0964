# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one rule for an approved change and the guard's one check for every procedure's report (pure functions)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils.maintenance_window import (
    approved_change_problems, judge, report_check)

WINDOW = dict(day='Sunday', start='02:00', utc_offset='+09:00')
UTC = datetime.timezone.utc


@pytest.mark.parametrize('change_id, approver, required, expected', [
    (None, None, False, []),                           # inside the window nothing is asked
    ('', '  ', False, []),                             # an unanswered AWX survey question is not an answer
    ('CHG0012345', 'ops.lead@phonebill.example', True, []),
    ('CHG-2026-0042', 'a@b.example', False, []),
])
def test_approved_or_not_asked(change_id, approver, required, expected):
    assert approved_change_problems(change_id, approver, required) == expected


@pytest.mark.parametrize('change_id, approver, required, starts', [
    (None, None, True, 'change_id: this procedure needs an approved change at any hour; state the change record number '
                       "and its approver's user principal name: change_id and change_approver (phonebill_change_id and "
                       'phonebill_change_approver in a playbook run or the AWX survey)'),
    ('', '', True, 'change_id: this procedure needs an approved change at any hour'),
    ('CHG0012345', None, False, 'change_approver: an approved change needs both change_id and change_approver'),
    ('CHG0012345', '', True, 'change_approver: an approved change needs both'),
    (None, 'ops.lead@phonebill.example', False, 'change_id: an approved change needs both'),
    ('tomorrow', 'ops.lead@phonebill.example', False, "change_id: 'tomorrow' is not a change record number"),
    ('CHG0012345', 'ops.lead', True, "change_approver: 'ops.lead' is not a sign-in name"),
])
def test_refused_without_both_of_the_right_form(change_id, approver, required, starts):
    found = approved_change_problems(change_id, approver, required)
    assert len(found) == 1 and found[0].startswith(starts), found
    assert 'phonebill_change_' in found[0] or 'is not a' in found[0]   # the variables a playbook user sets


def judged(now, **params):
    return judge(dict(dict(window=WINDOW, window_hours=2, time_budget_minutes=30), **params), now)


def test_the_check_inside_the_window_says_what_is_left():
    result, refusal = judged(datetime.datetime(2026, 12, 5, 17, 10, tzinfo=UTC))
    assert report_check(result, refusal) == dict(
        name='maintenance window', category='window', status='PASS',
        detail='inside the window Sunday 2026-12-06 02:00:00 +09:00 to Sunday 2026-12-06 04:00:00 +09:00, '
               '110 minutes left for a budget of 30')


def test_an_emergency_change_reads_the_same_outside_the_window_and_past_the_budget():
    approved = dict(change_id='CHG0012345', change_approver='ops.lead@phonebill.example')
    outside = report_check(*judged(datetime.datetime(2026, 12, 2, 7, 0, tzinfo=UTC), **approved))
    late = report_check(*judged(datetime.datetime(2026, 12, 5, 18, 45, tzinfo=UTC), **approved))
    for check in (outside, late):
        assert check['status'] == 'WARN'
        assert check['detail'].startswith('emergency change CHG0012345 approved by ops.lead@phonebill.example, ')
    assert outside['detail'].endswith('outside the window (the next one is Sunday 2026-12-06 02:00:00 +09:00 to '
                                      'Sunday 2026-12-06 04:00:00 +09:00)')
    assert late['detail'].endswith('but only 15 minutes are left for a budget of 30')


def test_a_refusal_is_the_check_s_detail():
    result, refusal = judged(datetime.datetime(2026, 12, 2, 7, 0, tzinfo=UTC))
    assert refusal.startswith('outside the maintenance window')
    assert report_check(result, refusal) == dict(name='maintenance window', category='window', status='FAIL', detail=refusal)
    assert report_check(None, 'change_id: bad')['detail'] == 'change_id: bad'
