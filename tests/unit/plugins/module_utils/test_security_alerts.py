# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Open Defender for Cloud alerts judged by severity."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import security_alerts as alerts
from ansible_collections.phonebill.platform.plugins.module_utils.procedure_report import judge


def alert(severity, status='Active', name='a1'):
    # the shape of GetAlertsSubscription_example.json (Microsoft.Security 2022-01-01)
    return dict(id='/subscriptions/s/providers/Microsoft.Security/locations/koreacentral/alerts/%s' % name, name=name,
                type='Microsoft.Security/Locations/alerts',
                properties=dict(severity=severity, status=status, alertDisplayName='Suspicious process executed',
                                compromisedEntity='aks-app-vmss000001', timeGeneratedUtc='2026-12-01T13:47:58Z'))


def verdicts(found):
    return dict((c['name'], judge(c)['status']) for c in alerts.alert_checks(found, ['High'], ['Medium']))


def test_no_open_alert_passes():
    assert verdicts([alert('High', 'Resolved'), alert('Medium', 'Dismissed')]) == {
        'defender alerts high': 'PASS', 'defender alerts medium': 'PASS'}


def test_an_active_high_alert_fails_and_an_in_progress_medium_one_warns():
    checks = alerts.alert_checks([alert('High'), alert('Medium', 'InProgress', 'a2'), alert('Low', name='a3')],
                                 ['High'], ['Medium'])
    judged = dict((c['name'], judge(c)) for c in checks)
    assert judged['defender alerts high']['status'] == 'FAIL'
    assert judged['defender alerts high']['measured'] == 1
    assert 'Suspicious process executed on aks-app-vmss000001' in judged['defender alerts high']['detail']
    assert judged['defender alerts medium']['status'] == 'WARN'


def test_severity_lists_are_checked():
    assert alerts.severity_problems(['Critical'], ['High', 'Medium'], 'expected.') == [
        "expected.fail_severities: 'Critical' is not a Defender severity; use High, Medium, Low, Informational"]
    assert alerts.severity_problems(['High'], ['High'])[0].startswith('warn_severities: High also in fail_severities')
