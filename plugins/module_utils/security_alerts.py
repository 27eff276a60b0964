# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Microsoft Defender for Cloud alerts judged for the daily checks (SPEC §10 "security alerts").

An alert an operator has not closed (status Active or InProgress) counts; a
Resolved or Dismissed one does not. The verdict follows the worst open
severity the inventory names: High FAIL, Medium WARN by default.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

OPEN_STATUSES = ('active', 'inprogress')
SEVERITIES = ('High', 'Medium', 'Low', 'Informational')


def open_alerts(alerts):
    """The alerts (Azure's documents) still open, as name/severity/title/entity/time (no description text)."""
    found = []
    for alert in alerts or []:
        props = alert.get('properties') or {}
        if str(props.get('status', '')).lower() not in OPEN_STATUSES:
            continue
        found.append(dict(name=alert.get('name'), severity=props.get('severity'), title=props.get('alertDisplayName'),
                          entity=props.get('compromisedEntity'), time=props.get('timeGeneratedUtc'),
                          status=props.get('status')))
    return found


def alert_checks(alerts, fail_severities, warn_severities):
    """One check per severity named in the inventory: the number of open alerts, FAIL or WARN above zero."""
    alerts = open_alerts(alerts)
    checks = []
    for severities, limit in ((fail_severities, 'max'), (warn_severities, 'warn_max')):
        for severity in severities:
            hits = [a for a in alerts if str(a['severity']).lower() == severity.lower()]
            detail = '; '.join('%s on %s at %s' % (a['title'], a['entity'], a['time']) for a in hits[:5])
            checks.append(dict({limit: 0}, name='defender alerts %s' % severity.lower(), category='security',
                               measured=len(hits), unit='open alerts',
                               detail=detail + (' (and %d more)' % (len(hits) - 5) if len(hits) > 5 else '')
                               or 'no open %s alert' % severity.lower()))
    return checks


def severity_problems(fail_severities, warn_severities, path=''):
    """Input problems of the inventory's severity lists."""
    problems = []
    for option, values in (('fail_severities', fail_severities), ('warn_severities', warn_severities)):
        for value in values or []:
            if value not in SEVERITIES:
                problems.append('%s%s: %r is not a Defender severity; use %s' % (path, option, value, ', '.join(SEVERITIES)))
    both = set(fail_severities or []) & set(warn_severities or [])
    if both:
        problems.append('%swarn_severities: %s also in fail_severities; name each severity once'
                        % (path, ', '.join(sorted(both))))
    return problems
