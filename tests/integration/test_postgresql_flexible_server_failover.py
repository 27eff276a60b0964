# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""postgresql_flexible_server_failover against the sandbox: check mode predicts and writes nothing, a failover swaps
the zones and is measured, a server without a healthy standby is refused before any write, a failed failover fails."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

GROUP, NAME = 'rg-phonebill-prod', 'psql-phonebill-prod'


@pytest.fixture
def server(sandbox):
    """Production's zone-redundant server: primary in zone 1, standby in zone 2 (database.yml)."""
    sub = sandbox.subscription_id
    server_id = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.DBforPostgreSQL/flexibleServers/%s' % (sub, GROUP, NAME)
    sandbox.seed([
        {'id': '/subscriptions/%s/resourceGroups/%s' % (sub, GROUP), 'location': 'koreacentral'},
        {'id': server_id, 'location': 'koreacentral', 'sku': {'name': 'Standard_D4s_v3', 'tier': 'GeneralPurpose'},
         'properties': {'version': '16', 'administratorLogin': 'phonebilladmin', 'availabilityZone': '1',
                        'highAvailability': {'mode': 'ZoneRedundant', 'standbyAvailabilityZone': '2'}}},
    ])
    return server_id


def failover(azure, check_mode=False, **args):
    return azure('postgresql_flexible_server_failover', check_mode=check_mode,
                 **dict(dict(name=NAME, resource_group=GROUP), **args))


def zones(sandbox, server_id):
    properties = sandbox.get(server_id)['properties']
    return {'primary': properties['availabilityZone'], 'standby': properties['highAvailability']['standbyAvailabilityZone']}


def test_check_mode_predicts_the_swap_and_writes_nothing(azure, sandbox, server):
    predicted = failover(azure, check_mode=True, mode='forced')
    assert predicted['changed'] and azure.writes() == 0
    assert (predicted['zones_before'], predicted['zones_after']) == ({'primary': '1', 'standby': '2'},
                                                                     {'primary': '2', 'standby': '1'})
    assert predicted['mode'] == 'ForcedFailover' and predicted['seconds_to_available'] is None
    assert predicted['diff'] == {'before': {'zones': {'primary': '1', 'standby': '2'}},
                                 'after': {'zones': {'primary': '2', 'standby': '1'}}}
    assert zones(sandbox, server) == {'primary': '1', 'standby': '2'}


def test_a_planned_failover_swaps_the_zones_and_is_measured(azure, sandbox, server):
    sandbox.fault('slow_lro', method='POST', path_contains='/flexibleServers/%s/restart' % NAME, seconds=1.5)
    done = failover(azure)
    assert done['changed'] and done['mode'] == 'PlannedFailover'
    assert done['zones_swapped'] and done['zones_after'] == {'primary': '2', 'standby': '1'}
    assert (done['state'], done['high_availability_state']) == ('Ready', 'Healthy')
    assert 1.5 <= done['seconds_to_available'] < 10    # the operation's 1.5 s and the polling
    assert zones(sandbox, server) == {'primary': '2', 'standby': '1'}
    posts = [r for r in sandbox.requests() if r['method'] == 'POST' and '/restart' in r['path']]
    assert len(posts) == 1
    # an action, not a state: the next run fails over again, back to zone 1
    again = failover(azure)
    assert again['changed'] and again['zones_after'] == {'primary': '1', 'standby': '2'}


@pytest.mark.parametrize('drift, reason', [
    ({'properties': {'highAvailability': {'state': 'ReplicatingData'}}}, 'its standby is ReplicatingData, not Healthy'),
    ({'properties': {'highAvailability': {'mode': 'Disabled'}}}, 'has no high availability'),
    ({'properties': {'state': 'Stopped'}}, 'is Stopped, not Ready'),
])
def test_a_server_without_a_healthy_standby_is_refused_before_any_write(azure, sandbox, server, drift, reason):
    sandbox.drift(server, drift)
    for check_mode in (True, False):
        refused = failover(azure, check_mode=check_mode)
        assert refused['failed'] and reason in refused['msg'], refused
    assert azure.writes() == 0


def test_a_failover_azure_fails_fails_the_module_and_leaves_the_primary(azure, sandbox, server):
    sandbox.fault('lro_failure', method='POST', path_contains='/restart', code='InternalServerError',
                  message='The failover of the server failed.')
    failed = failover(azure)
    assert failed['failed'] and 'The failover of the server failed' in failed['msg'], failed
    assert zones(sandbox, server) == {'primary': '1', 'standby': '2'}


def test_a_failover_slower_than_the_timeout_fails_naming_the_status_url(azure, sandbox, server):
    sandbox.fault('slow_lro', method='POST', path_contains='/restart', seconds=6)
    slow = failover(azure, timeout=2)
    assert slow['failed'] and 'did not finish within 2 seconds' in slow['msg'] and slow.get('status_url'), slow


def test_a_missing_server_fails_naming_it(azure, sandbox, server):
    missing = failover(azure, name='psql-phonebill-nothere')
    assert missing['failed'] and 'psql-phonebill-nothere does not exist' in missing['msg'] and azure.writes() == 0


def test_bad_input_fails_before_any_call(azure, sandbox, server):
    sandbox.clear_requests()
    bad = failover(azure, name='PSQL_Prod', resource_group='rg with spaces!')
    assert bad['failed'] and len(bad['problems']) == 2 and bad['problems'][0].startswith("name: 'PSQL_Prod' is not a valid")
    assert bad['problems'][1].startswith('resource_group:') and sandbox.requests() == []
