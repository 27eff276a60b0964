# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/monthly.yml after drift made through the sandbox's control API: public network access on,
TLS 1.0, an NSG rule open to the Internet, purge protection off, a secret expiring in 5 days, an extra Owner, costs
over budget. Each is a FAIL or WARN with the value measured and its threshold; the play fails after the report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import uuid

import pytest

from procedure_platform import OWNER, checks, cost_row, monthly, platform, secret_client, writes_besides_the_lock  # noqa: F401 pylint: disable=unused-import


def test_drift_shows_as_fail_or_warn_with_the_value_and_threshold(sandbox, platform, tmp_path):
    arm, vault = platform['arm'], platform['vault']
    sandbox.drift(arm + 'Microsoft.Cache/Redis/redis-phonebill-prod',
                  {'properties': {'publicNetworkAccess': 'Enabled', 'minimumTlsVersion': '1.0'}})
    sandbox.drift(vault['id'], {'properties': {'enablePurgeProtection': False}})
    sandbox.seed([{'id': arm + 'Microsoft.Network/networkSecurityGroups/nsg-aks/securityRules/debug-ssh', 'properties': {
        'priority': 200, 'direction': 'Inbound', 'access': 'Allow', 'protocol': 'Tcp', 'sourceAddressPrefix': 'Internet',
        'sourcePortRange': '*', 'destinationAddressPrefix': '*', 'destinationPortRange': '22'}}])
    sandbox.seed([{'id': vault['id'] + '/providers/Microsoft.Authorization/roleAssignments/%s' % uuid.uuid4(), 'properties': {
        'roleDefinitionId': '/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s' % (sandbox.subscription_id, OWNER),
        'principalId': str(uuid.uuid4()), 'principalType': 'User', 'scope': vault['id']}}])
    delivery = [r['body'] for r in sandbox.snapshot()['resources'].values()
                if r['id'].lower().endswith('/userassignedidentities/id-phonebill-delivery')][0]
    sandbox.seed([{'id': platform['group'] + '/providers/Microsoft.Authorization/roleAssignments/%s' % uuid.uuid4(), 'properties': {
        'roleDefinitionId': '/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s' % (sandbox.subscription_id, OWNER),
        'principalId': delivery['properties']['principalId'], 'principalType': 'ServicePrincipal', 'scope': platform['group']}}])
    secret_client(sandbox, vault).set_secret('kos-api-credentials', uuid.uuid4().hex,
                                             expires_on=datetime.datetime(2026, 12, 20, tzinfo=datetime.timezone.utc))
    sandbox.seed_costs([cost_row('microsoft.dbforpostgresql/flexibleservers', 'Azure Database for PostgreSQL', 450 * 1.5),
                        cost_row('microsoft.cache/redis', 'Redis Cache', 250 * 0.95),
                        cost_row('microsoft.compute/virtualmachinescalesets', 'Virtual Machines', 1200 * 0.7, 'rg-elsewhere')])
    sandbox.clear_requests()
    code, out, report = monthly(sandbox, tmp_path)
    assert code != 0 and report is not None, out[-4000:]
    found = checks(report)
    expect = {
        'redis public network access': ('FAIL', 'Enabled'),
        'redis minimum TLS version': ('FAIL', 1.0),
        'key vault purge protection': ('FAIL', False),
        'nsg nsg-aks rules': ('FAIL', 1),
        'secret kos-api-credentials expiry': ('FAIL', 5.0),
        'role assignments on key vault kv-phonebill-prod': ('FAIL', 1),
        'role assignments on the subscription by delivery identity id-phonebill-delivery': ('FAIL', 1),
        'cost postgresql forecast': ('FAIL', 675.0),
        'cost redis forecast': ('WARN', 237.5),
    }
    for name, (status, measured) in expect.items():
        assert (found[name]['status'], found[name]['measured']) == (
            status, pytest.approx(measured, abs=0.01) if isinstance(measured, float) else measured), found[name]
        assert found[name]['threshold'], found[name]
    assert 'debug-ssh (allows inbound from internet)' in found['nsg nsg-aks rules']['detail']
    assert 'Owner' in found['role assignments on key vault kv-phonebill-prod']['detail']
    assert 'Owner' in found['role assignments on the subscription by delivery identity id-phonebill-delivery']['detail']
    assert found['cost aks_nodes forecast']['measured'] == 0   # another resource group's costs are not the platform's
    assert found['postgresql public network access']['status'] == 'PASS'
    assert 'FAIL' in out and 'redis public network access' in out
    assert writes_besides_the_lock(sandbox, platform['group']) == []
