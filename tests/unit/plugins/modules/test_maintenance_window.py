# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The maintenance window guard at every boundary, the time budget, the emergency path and bad input.

The production window is Sunday 02:00-04:00 KST (+09:00) = Saturday 17:00-19:00 UTC;
2026-12-06 is a Sunday.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import datetime
from unittest import mock

import pytest
from ansible.module_utils import basic

from ansible_collections.phonebill.platform.plugins.module_utils import maintenance_window as guard
from ansible_collections.phonebill.platform.plugins.modules import maintenance_window
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

# the inventory's mapping as it is (the AKS schedules' durations are ignored)
WINDOW = dict(day='Sunday', start='02:00', duration_hours=4, default_duration_hours=2, utc_offset='+09:00')


def run(when, check_mode=False, **args):
    params = dict(window=copy.deepcopy(WINDOW), window_hours=2, time_budget_minutes=1, now=when)
    params.update(args)
    return run_module(maintenance_window.main, params, check_mode=check_mode)


@pytest.mark.parametrize('now, inside, fits', [
    ('2026-12-05T16:59:59Z', False, False),   # Sunday 01:59:59 KST (Saturday in UTC)
    ('2026-12-05T17:00:00Z', True, True),     # Sunday 02:00:00 KST
    ('2026-12-05T18:59:59Z', True, False),    # Sunday 03:59:59 KST: inside, but not even one minute is left
    ('2026-12-05T19:00:00Z', False, False),   # Sunday 04:00:00 KST
])
def test_boundaries(now, inside, fits):
    plain = run(now)
    assert plain['inside_window'] is inside and bool(plain.get('failed')) is not fits, plain
    if inside and not fits:
        assert plain['msg'].startswith('time_budget_minutes: the procedure needs 1 minutes but only 0 min 01 s are left')
    emergency = run(now, change_id='CHG0012345', change_approver='oncall.lead@phonebill.example')
    assert not emergency.get('failed') and emergency['inside_window'] is inside and emergency['emergency'] is not fits


def test_last_second_is_inside_the_window():
    result = guard.judge(dict(window=WINDOW, window_hours=2, time_budget_minutes=1),
                         datetime.datetime(2026, 12, 5, 18, 59, 59, tzinfo=datetime.timezone.utc))[0]
    assert result['inside_window'] and result['remaining_minutes'] == 0
    assert (result['window_start'], result['window_end']) == ('2026-12-05T17:00:00Z', '2026-12-05T19:00:00Z')


def test_inside_reports_the_window_and_what_is_left():
    result = run('2026-12-05T17:30:00Z', time_budget_minutes=90)
    assert not result.get('failed'), result
    assert result == dict(changed=False, now='2026-12-05T17:30:00Z', inside_window=True, emergency=False,
                          window_start='2026-12-05T17:00:00Z', window_end='2026-12-05T19:00:00Z',
                          window_start_local='Sunday 2026-12-06 02:00:00 +09:00',
                          window_end_local='Sunday 2026-12-06 04:00:00 +09:00',
                          remaining_minutes=90, time_budget_minutes=90, change_id=None, change_approver=None,
                          check=dict(name='maintenance window', category='window', status='PASS',
                                     detail='inside the window Sunday 2026-12-06 02:00:00 +09:00 to Sunday 2026-12-06 '
                                            '04:00:00 +09:00, 90 minutes left for a budget of 90'))


def test_just_before_opening_names_the_next_window_in_utc_and_kst():
    result = run('2026-12-05T16:59:59Z')
    assert result['failed']
    assert 'it is 2026-12-05T16:59:59Z (Sunday 2026-12-06 01:59:59 +09:00)' in result['msg']
    assert 'the next window opens at 2026-12-05T17:00:00Z (Sunday 2026-12-06 02:00:00 +09:00)' in result['msg']
    assert 'needs an approved emergency change: change_id and change_approver (phonebill_change_id and' in result['msg']
    assert result['check'] == dict(name='maintenance window', category='window', status='FAIL',
                                   detail=result['msg']), 'the report gives the refusal itself'
    assert result['window_start'] == '2026-12-05T17:00:00Z' and result['remaining_minutes'] is None


def test_after_closing_the_next_window_is_a_week_later():
    result = run('2026-12-05T19:00:00Z')
    assert result['failed'] and 'the next window opens at 2026-12-12T17:00:00Z (Sunday 2026-12-13 02:00:00 +09:00)' in result['msg']


@pytest.mark.parametrize('now, opens', [
    ('2026-12-06T10:00:00Z', '2026-12-12T17:00:00Z'),   # Sunday afternoon KST
    ('2026-12-07T00:00:00Z', '2026-12-12T17:00:00Z'),   # Monday
    ('2026-12-05T12:00:00Z', '2026-12-05T17:00:00Z'),   # Saturday 21:00 KST, same UTC day
    ('2026-12-31T23:59:59Z', '2027-01-02T17:00:00Z'),   # across a year
])
def test_next_window_from_anywhere_in_the_week(now, opens):
    result = run(now)
    assert result['failed'] and result['window_start'] == opens


def test_budget_that_no_longer_fits_is_refused_with_the_next_window():
    result = run('2026-12-05T18:15:00Z', time_budget_minutes=46, procedure='node image upgrade')
    assert result['failed'] and result['inside_window']
    assert result['msg'].startswith('node image upgrade: time_budget_minutes: the procedure needs 46 minutes but only '
                                    '45 min 00 s are left'), result['msg']
    assert 'run it in the next window, from 2026-12-12T17:00:00Z (Sunday 2026-12-13 02:00:00 +09:00)' in result['msg']
    assert not run('2026-12-05T18:15:00Z', time_budget_minutes=45).get('failed')


def test_the_whole_window_fits_only_at_its_opening():
    assert not run('2026-12-05T17:00:00Z', time_budget_minutes=120).get('failed')
    assert run('2026-12-05T17:00:01Z', time_budget_minutes=120)['failed']


@pytest.mark.parametrize('now', ['2026-12-02T07:00:00Z', '2026-12-05T18:59:30Z'])
def test_emergency_change_runs_outside_the_window_or_past_the_budget(now):
    with mock.patch.object(basic.AnsibleModule, 'warn') as warn:
        result = run(now, time_budget_minutes=30, change_id='CHG-2026-0042', change_approver='oncall.lead@phonebill.example')
    assert not result.get('failed'), result
    assert result['emergency'] and result['change_id'] == 'CHG-2026-0042' and result['change_approver'] == 'oncall.lead@phonebill.example'
    assert result['check']['status'] == 'WARN'
    assert result['check']['detail'].startswith('emergency change CHG-2026-0042 approved by oncall.lead@phonebill.example, ')
    warn.assert_called_once_with('emergency change CHG-2026-0042 approved by oncall.lead@phonebill.example: '
                                 'running outside the maintenance window')


def test_emergency_ids_inside_a_window_that_fits_is_a_normal_run():
    result = run('2026-12-05T17:10:00Z', time_budget_minutes=30, change_id='CHG0012345', change_approver='a@b.example')
    assert not result.get('failed') and not result['emergency'] and result['change_id'] is None


def test_check_mode_gives_the_same_answer():
    for now in ('2026-12-05T16:59:59Z', '2026-12-05T17:00:00Z'):
        assert run(now, check_mode=True) == run(now)


def test_other_offsets_and_days():
    """A window Monday 23:30 at -05:30 opens Tuesday 05:00 UTC; the week wraps from Sunday to Monday."""
    window = dict(day='Monday', start='23:30', utc_offset='-05:30')
    assert not run('2026-12-08T05:00:00Z', window=window).get('failed')
    assert run('2026-12-08T04:59:59Z', window=window)['window_start'] == '2026-12-08T05:00:00Z'
    sunday_late = dict(day='Sunday', start='23:00', utc_offset='+00:00')
    inside = run('2026-12-07T00:30:00Z', window=sunday_late)   # Monday 00:30, the window began on Sunday
    assert not inside.get('failed') and inside['window_start'] == '2026-12-06T23:00:00Z'


@pytest.mark.parametrize('args, message', [
    (dict(change_id='CHG-1234'), 'change_approver: an approved change needs both change_id and change_approver'),
    (dict(change_approver='a@b.example', change_id=''), 'change_id: an approved change needs both'),
    (dict(change_id='urgent', change_approver='a@b.example'), "change_id: 'urgent' is not a change record number"),
    (dict(change_id='CHG-1234', change_approver='bob'), "change_approver: 'bob' is not a sign-in name"),
    (dict(change_required=True), 'change_id: this procedure needs an approved change at any hour'),
    (dict(now='2026-12-05 17:00'), "now: '2026-12-05 17:00' is not an ISO 8601 UTC time"),
    (dict(now='2026-12-06T02:00:00+09:00'), 'now: '),
    (dict(now='2026-02-30T17:00:00Z'), 'now: '),
    (dict(time_budget_minutes=0), 'time_budget_minutes: 0 is not a positive number of minutes'),
    (dict(time_budget_minutes=121), 'time_budget_minutes: 121 minutes do not fit in a 120-minute window; split the procedure'),
    (dict(window_hours=0), 'window_hours: 0 is not 1 to 24 hours'),
    (dict(window=dict(day='Sun', start='2:00', utc_offset='KST')), "3 problems:\n- window.day: 'Sun' is not a day"),
])
def test_bad_input_fails_before_judging(args, message):
    result = run('2026-12-05T17:10:00Z', **args)
    assert result['failed'] and result['msg'].startswith(message), result['msg']
    assert 'inside_window' not in result
    assert (result['check']['status'], result['check']['detail']) == ('FAIL', '; '.join(result['problems']))


def test_wrong_option_types_fail_in_ansible_s_own_argument_check():
    result = run('2026-12-05T17:10:00Z', window=['Sunday'])
    assert result['failed'] and result['msg'].startswith("argument 'window' is of type list"), result['msg']


def test_system_clock_when_now_is_not_given():
    result = run(None)
    assert abs(datetime.datetime.fromisoformat(result['now'].replace('Z', '+00:00'))
               - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(seconds=5)
