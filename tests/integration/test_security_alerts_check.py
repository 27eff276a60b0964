# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/tasks/security_alerts.yml (the daily procedure's Defender check) against alerts seeded
through the sandbox's control API: open High FAILs, open Medium WARNs, closed alerts do not count, nothing written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from procedure_platform import ALERTS_PLAYBOOK, COLLECTION, checks, run_maintenance


def test_open_high_alert_fails_open_medium_warns_closed_ones_do_not_count(sandbox, tmp_path):
    tasks = os.path.join(COLLECTION, 'playbooks', 'maintenance', 'tasks', 'security_alerts.yml')
    (tmp_path / 'alerts.yml').write_text(ALERTS_PLAYBOOK.format(tasks=tasks))
    sandbox.seed_security_alerts([
        {'properties': {'severity': 'High', 'alertDisplayName': 'Suspicious process executed', 'compromisedEntity': 'aks-app-vmss000001'}},
        {'properties': {'severity': 'High', 'status': 'Dismissed'}},
        {'properties': {'severity': 'Medium', 'status': 'InProgress'}},
        {'properties': {'severity': 'Medium', 'status': 'Resolved'}}])
    sandbox.clear_requests()
    code, out, report = run_maintenance(sandbox, tmp_path, str(tmp_path / 'alerts.yml'))
    assert code != 0 and report is not None, out[-4000:]
    found = checks(report)
    assert (found['defender alerts high']['status'], found['defender alerts high']['measured']) == ('FAIL', 1)
    assert found['defender alerts high']['threshold'] == '<= 0 open alerts'
    assert 'Suspicious process executed on aks-app-vmss000001' in found['defender alerts high']['detail']
    assert (found['defender alerts medium']['status'], found['defender alerts medium']['measured']) == ('WARN', 1)
    assert [r for r in sandbox.requests() if r.get('write')] == []
