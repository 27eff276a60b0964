# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/monthly.yml on a platform seeded as the production inventory states it: every check PASSes
and nothing is written to Azure but the maintenance lock's tag on the resource group."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from procedure_platform import checks, monthly, platform, writes_besides_the_lock  # noqa: F401 pylint: disable=unused-import


def test_a_compliant_platform_passes_and_nothing_is_written(sandbox, platform, tmp_path):
    sandbox.clear_requests()
    code, out, report = monthly(sandbox, tmp_path)
    assert report is not None, out[-4000:]
    assert report['status'] == 'PASS', json.dumps([c for c in report['checks'] if c['status'] != 'PASS'], indent=1)
    assert code == 0, out[-4000:]
    found = checks(report)
    for name in ('cost total forecast', 'cost postgresql forecast', 'node pool app capacity plan', 'redis shards',
                 'postgresql public network access', 'redis minimum TLS version', 'application gateway minimum TLS version',
                 'postgresql minimum TLS version', 'key vault purge protection', 'nsg nsg-appgw rules', 'nsg nsg-aks rules',
                 'secret jwt-signing-key expiry', 'role assignments on key vault kv-phonebill-prod'):
        assert name in found, sorted(found)
    assert found['cost postgresql forecast']['measured'] == pytest.approx(315.0)
    assert writes_besides_the_lock(sandbox, platform['group']) == []
