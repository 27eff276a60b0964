# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report every operations procedure ends with (SPEC §10): checks judged PASS, WARN or FAIL.

Each check carries what was measured and the threshold it was held to, so an
operator reading the report (or AWX reading `set_stats`) sees why, not only the
verdict. One judge for every procedure, so "over the threshold" means the same
thing in the daily checks, the weekly capacity review and the DR drill.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

STATUSES = ('PASS', 'WARN', 'FAIL')
LIMITS = ('max', 'warn_max', 'min', 'warn_min')
NAME_FIELDS = ('name', 'category', 'unit', 'detail')


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_problems(checks, path='checks'):
    """Problems of the checks given to the report ('path[i].field: what; the fix')."""
    problems = []
    seen = set()
    for index, check in enumerate(checks or []):
        where = '%s[%d]' % (path, index)
        if not isinstance(check, dict):
            problems.append('%s: must be a mapping with at least a name; give each check as a dict' % where)
            continue
        name = check.get('name')
        if not name or not isinstance(name, str):
            problems.append('%s.name: missing; give every check a name (unique in the report)' % where)
        elif name in seen:
            problems.append('%s.name: %r appears twice; give every check its own name' % (where, name))
        seen.add(name)
        unknown = sorted(set(check) - set(NAME_FIELDS) - set(LIMITS) - {'measured', 'status', 'expected'})
        if unknown:
            problems.append('%s: unknown field(s) %s; use name, category, measured, unit, detail and one rule '
                            '(status, expected, or max/warn_max/min/warn_min)' % (where, ', '.join(unknown)))
        limits = [key for key in LIMITS if check.get(key) is not None]
        rules = [rule for rule, given in (('status', check.get('status') is not None),
                                          ('expected', 'expected' in check),
                                          ('limits', bool(limits))) if given]
        if len(rules) != 1:
            problems.append('%s: %s; judge it by exactly one of status, expected, or max/warn_max/min/warn_min'
                            % (where, 'no rule given' if not rules else 'both %s given' % ' and '.join(rules)))
        if check.get('status') is not None and check['status'] not in STATUSES:
            problems.append('%s.status: %r is not a verdict; use one of %s' % (where, check['status'], ', '.join(STATUSES)))
        for key in limits:
            if not _number(check[key]):
                problems.append('%s.%s: %r is not a number; give the threshold as a number' % (where, key, check[key]))
        if limits and check.get('measured') is not None and not _number(check['measured']):
            problems.append('%s.measured: %r is not a number but the check has numeric thresholds; measure a number '
                            'or judge it with status or expected' % (where, check['measured']))
    return problems


def _threshold_text(check):
    unit = (' %s' % check['unit']) if check.get('unit') else ''
    parts = []
    for key, sign in (('max', '<='), ('min', '>=')):
        if check.get(key) is not None:
            parts.append('%s %s%s' % (sign, check[key], unit))
    for key, sign in (('warn_max', '<='), ('warn_min', '>=')):
        if check.get(key) is not None:
            parts.append('%s %s%s to pass' % (sign, check[key], unit))
    if 'expected' in check:
        parts.append('= %s' % (check['expected'],))
    return ', '.join(parts) or None


def _verdict(check):
    if check.get('status') is not None:
        return check['status'], None
    measured = check.get('measured')
    if 'expected' in check:
        return ('PASS', None) if measured == check['expected'] else ('FAIL', None)
    if measured is None:
        return 'WARN', 'no value measured'
    if check.get('max') is not None and measured > check['max']:
        return 'FAIL', None
    if check.get('min') is not None and measured < check['min']:
        return 'FAIL', None
    if check.get('warn_max') is not None and measured > check['warn_max']:
        return 'WARN', None
    if check.get('warn_min') is not None and measured < check['warn_min']:
        return 'WARN', None
    return 'PASS', None


def judge(check):
    """The check as reported: its verdict, what was measured and the threshold as text."""
    status, note = _verdict(check)
    detail = '; '.join(part for part in (check.get('detail'), note) if part) or None
    return dict(name=check['name'], category=check.get('category'), status=status,
                measured=check.get('measured'), unit=check.get('unit'),
                threshold=_threshold_text(check), detail=detail)


def overall(judged):
    """The worst verdict (PASS when there is no check)."""
    return max((check['status'] for check in judged), key=STATUSES.index, default='PASS')


def build(procedure, checks, started, finished, context=None, check_mode=False):
    """The whole report: the judged checks in the order given, counts and the overall verdict."""
    judged = [judge(check) for check in checks]
    counts = dict((status, sum(1 for check in judged if check['status'] == status)) for status in STATUSES)
    return dict(procedure=procedure, status=overall(judged), counts=counts, started=started, finished=finished,
                check_mode=check_mode, context=context or {}, checks=judged)


def _cell(value):
    if value is None:
        return ''
    return str(value).replace('|', '\\|').replace('\n', ' ')


def markdown(report):
    """The report as Markdown, to attach to a change ticket."""
    counts = report['counts']
    lines = ['# %s: %s' % (report['procedure'], report['status']), '',
             '- started: %s' % report['started'], '- finished: %s' % report['finished'],
             '- checks: %d PASS, %d WARN, %d FAIL' % (counts['PASS'], counts['WARN'], counts['FAIL'])]
    if report.get('check_mode'):
        lines.append('- check mode: nothing was changed')
    for key in sorted(report.get('context') or {}):
        lines.append('- %s: %s' % (key, _cell(report['context'][key])))
    lines += ['', '| status | category | check | measured | threshold | detail |', '|---|---|---|---|---|---|']
    for check in report['checks']:
        measured = check['measured']
        if measured is not None and check.get('unit'):
            measured = '%s %s' % (measured, check['unit'])
        lines.append('| %s | %s | %s | %s | %s | %s |' % tuple(
            _cell(value) for value in (check['status'], check['category'], check['name'], measured,
                                       check['threshold'], check['detail'])))
    return '\n'.join(lines) + '\n'
