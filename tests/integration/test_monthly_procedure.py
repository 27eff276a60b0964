# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/monthly.yml on a platform seeded as the production inventory states it: every check PASSes
and nothing is written to Azure but the maintenance lock's tag on the resource group."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from procedure_platform import GROUP, checks, monthly, platform, writes_besides_the_lock  # noqa: F401 pylint: disable=unused-import


def test_a_compliant_platform_passes_and_nothing_is_written(sandbox, platform, tmp_path):
    sandbox.clear_requests()
    code, out, report = monthly(sandbox, tmp_path)
    assert report is not None, out[-4000:]
    assert report['status'] == 'PASS', json.dumps([c for c in report['checks'] if c['status'] != 'PASS'], indent=1)
    assert code == 0, out[-4000:]
    found = checks(report)
    assert report['checks'][0]['name'] == 'maintenance window' and found['maintenance window']['status'] == 'PASS'
    for name in ('cost total forecast', 'cost postgresql forecast', 'node pool app capacity plan', 'redis shards',
                 'postgresql public network access', 'redis minimum TLS version', 'application gateway minimum TLS version',
                 'postgresql minimum TLS version', 'key vault purge protection', 'nsg nsg-appgw rules', 'nsg nsg-aks rules',
                 'secret jwt-signing-key expiry', 'role assignments on key vault kv-phonebill-prod'):
        assert name in found, sorted(found)
    assert found['cost postgresql forecast']['measured'] == pytest.approx(315.0)
    assert writes_besides_the_lock(sandbox, platform['group']) == []


def test_a_step_after_the_guard_failing_is_reported_and_fails_the_run(azure, sandbox, platform, tmp_path):
    """Another live run holds the lock: the guard let the run in, the lock refused it; the report says both."""
    other = dict(resource_group=GROUP, owner='ops@jumphost', run_id='manual-1')
    azure('maintenance_lock', verify_delay_seconds=0, **other)
    try:
        sandbox.clear_requests()
        code, out, report = monthly(sandbox, tmp_path)
        writes = [request for request in sandbox.requests() if request.get('write')]
    finally:
        azure('maintenance_lock', state='absent', **other)
    assert code == 2, out[-4000:]
    assert [(check['name'], check['status']) for check in report['checks']] == [
        ('maintenance window', 'PASS'), ('monthly procedure completed', 'FAIL')]
    assert 'the maintenance lock is held by ops@jumphost (run manual-1)' in report['checks'][1]['detail']
    assert writes == []
