# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The maintenance window guard: may a procedure start now (SPEC §10)?

Pure functions on a UTC instant and the inventory's weekly window. The local
time is UTC plus the window's fixed offset (KST has no daylight saving time),
so no time zone database is needed. A window is [start, start + length):
its first second is inside, its end is not.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.phonebill.platform.plugins.module_utils.aks import (
    DAYS, day_problems, offset_minutes, start_time_problems, utc_offset_problems)

WEEK = datetime.timedelta(days=7)
UTC = datetime.timezone.utc
#: a change record number, as change tools number them: CHG0012345, CHG-12345, INC-2026-0042
CHANGE_ID = re.compile(r'^[A-Z]{2,8}-?[0-9](?:[0-9-]{1,30}[0-9])?$')
#: the approver's sign-in name (user principal name / e-mail address)
APPROVER = re.compile(r'^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$')
#: how an approved change is given, from the module's options to the playbooks' variables and AWX surveys
APPROVED_CHANGE = ('change_id and change_approver (phonebill_change_id and phonebill_change_approver in a playbook '
                   'run or the AWX survey)')
#: the name of the guard's check in every procedure's report
CHECK_NAME = 'maintenance window'
ISO_UTC = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:?00)$')


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def parse_now(text):
    """The instant of an ISO 8601 UTC text (2026-12-05T17:00:00Z), or None when it is not one."""
    if not isinstance(text, str) or not ISO_UTC.match(text):
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace('Z', '+00:00')).astimezone(UTC)
    except ValueError:
        return None


def problems(params):
    """Every input problem of the guard's options ('option: what is wrong; the fix')."""
    found = []
    window = params['window']
    found += (day_problems('window.day', window.get('day')) + start_time_problems('window.start', window.get('start'))
              + utc_offset_problems('window.utc_offset', window.get('utc_offset')))
    hours = params.get('window_hours')
    if not _is_int(hours) or not 1 <= hours <= 24:
        found.append('window_hours: %r is not 1 to 24 hours; state the procedures\' window length '
                     '(phonebill_maintenance_procedures_window_hours, 2 for SPEC §10)' % (hours,))
    budget = params.get('time_budget_minutes')
    if not _is_int(budget) or budget < 1:
        found.append('time_budget_minutes: %r is not a positive number of minutes; state how long the procedure may take'
                     % (budget,))
    elif _is_int(hours) and 1 <= hours <= 24 and budget > hours * 60:
        found.append('time_budget_minutes: %d minutes do not fit in a %d-minute window; split the procedure'
                     % (budget, hours * 60))
    found += approved_change_problems(params.get('change_id'), params.get('change_approver'),
                                      required=bool(params.get('change_required')))
    if params.get('now') is not None and parse_now(params['now']) is None:
        found.append('now: %r is not an ISO 8601 UTC time; state e.g. 2026-12-05T17:00:00Z (for tests and drills only)'
                     % (params['now'],))
    return found


def given(value):
    """An answer that is really there: AWX passes an unanswered survey question as an empty string."""
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def approved_change_problems(change_id, change_approver, required=False):
    """The one rule for an approved change: its record number and its approver, both given, each of its form.

    Outside the window a procedure needs one (an emergency change); with `required` (the Redis geo-failover) it needs
    one at any hour. The names are the module's options; playbooks and AWX surveys give them as phonebill_change_id
    and phonebill_change_approver.
    """
    change_id, change_approver = given(change_id), given(change_approver)
    if change_id is None and change_approver is None:
        if not required:
            return []
        return ['change_id: this procedure needs an approved change at any hour; state the change record number and its '
                'approver\'s user principal name: %s' % APPROVED_CHANGE]
    if change_id is None or change_approver is None:
        missing = 'change_approver' if change_approver is None else 'change_id'
        return ['%s: an approved change needs both %s; state the %s too' % (missing, APPROVED_CHANGE, missing)]
    found = []
    if not isinstance(change_id, str) or not CHANGE_ID.match(change_id):
        found.append('change_id: %r is not a change record number; state it as the change tool shows it, '
                     'e.g. CHG0012345 or CHG-2026-0042' % (change_id,))
    if not isinstance(change_approver, str) or not APPROVER.match(change_approver):
        found.append('change_approver: %r is not a sign-in name; state the approver\'s user principal name, e.g. '
                     'oncall.lead@phonebill.example' % (change_approver,))
    return found


def window_around(now, window, hours):
    """(start, end) in UTC of the window holding `now`, or of the next one when `now` is outside every window."""
    hour, minute = (int(part) for part in window['start'].split(':'))
    offset = datetime.timedelta(minutes=offset_minutes(window['utc_offset']))
    local = now + offset
    local_week = (local - datetime.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    start = local_week + datetime.timedelta(days=DAYS.index(window['day']), hours=hour, minutes=minute) - offset
    length = datetime.timedelta(hours=hours)
    # the window that started last (possibly in the previous local week), else the next one
    while start > now:
        start -= WEEK
    if now >= start + length:
        start += WEEK
    return start, start + length


def utc_text(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def local_text(moment, utc_offset):
    local = moment + datetime.timedelta(minutes=offset_minutes(utc_offset))
    return '%s %s %s' % (DAYS[local.weekday()], local.strftime('%Y-%m-%d %H:%M:%S'), utc_offset)


def judge(params, now):
    """(result, refusal): what the guard returns, and why the procedure may not start (None when it may).

    `now` is an aware UTC datetime; the params are valid (problems() found none).
    """
    window, hours, budget = params['window'], params['window_hours'], params['time_budget_minutes']
    offset = window['utc_offset']
    start, end = window_around(now, window, hours)
    inside = start <= now < end
    fits = inside and end - now >= datetime.timedelta(minutes=budget)
    emergency = not fits and given(params.get('change_id')) is not None
    result = dict(now=utc_text(now), inside_window=inside, emergency=emergency,
                  window_start=utc_text(start), window_end=utc_text(end),
                  window_start_local=local_text(start, offset), window_end_local=local_text(end, offset),
                  remaining_minutes=int((end - now).total_seconds() // 60) if inside else None,
                  time_budget_minutes=budget, change_id=params.get('change_id') if emergency else None,
                  change_approver=params.get('change_approver') if emergency else None)
    local_end = end + datetime.timedelta(minutes=offset_minutes(offset))
    described = '%s %s-%s %s' % (window['day'], window['start'], local_end.strftime('%H:%M'), offset)
    if fits or emergency:
        return result, None
    if inside:
        return result, ('time_budget_minutes: the procedure needs %d minutes but only %s are left in the maintenance '
                        'window (%s), which ends at %s (%s); run it in the next window, from %s (%s), or as an '
                        'approved emergency change (%s)'
                        % (budget, _minutes_text(end - now), described, utc_text(end), local_text(end, offset),
                           utc_text(start + WEEK), local_text(start + WEEK, offset), APPROVED_CHANGE))
    return result, ('outside the maintenance window (%s): it is %s (%s); the next window opens at %s (%s); a change '
                    'outside it needs an approved emergency change: %s'
                    % (described, utc_text(now), local_text(now, offset), utc_text(start), local_text(start, offset),
                       APPROVED_CHANGE))


def _minutes_text(delta):
    seconds = int(delta.total_seconds())
    return '%d min %02d s' % (seconds // 60, seconds % 60)


def report_check(result, refusal):
    """The guard's check in procedure_report's shape, so every procedure's report says the same about the window.

    FAIL when refused (why, and when the next window opens), WARN for an approved emergency change (which change,
    who approved it, and why it is one), else PASS (the window and the minutes left for the budget). `result` is
    judge()'s, or None when the input was refused before judging.
    """
    check = dict(name=CHECK_NAME, category='window')
    if refusal:
        return dict(check, status='FAIL', detail=refusal)
    window = 'the window %s to %s' % (result['window_start_local'], result['window_end_local'])
    if result['emergency']:
        why = ('outside the window (the next one is %s to %s)' % (result['window_start_local'], result['window_end_local'])
               if not result['inside_window'] else
               'inside %s but only %s minutes are left for a budget of %s'
               % (window, result['remaining_minutes'], result['time_budget_minutes']))
        return dict(check, status='WARN', detail='emergency change %s approved by %s, %s'
                    % (result['change_id'], result['change_approver'], why))
    return dict(check, status='PASS', detail='inside %s, %s minutes left for a budget of %s'
                % (window, result['remaining_minutes'], result['time_budget_minutes']))
