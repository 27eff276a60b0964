# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""postgresql_point_in_time_restore against the sandbox: restore, measure, unchanged, check mode, refusals, delete."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

PROD, DR = 'rg-phonebill-prod', 'rg-phonebill-prod-dr'
SOURCE, SCRATCH = 'psql-phonebill-prod', 'psql-phonebill-drdrill'


def utc(minutes_ago):
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
    return moment.strftime('%Y-%m-%dT%H:%M:%S.%f') + '0Z'


@pytest.fixture
def source(sandbox):
    """The production server (created 60 days ago: its first backup), its restore window 35 days, a backup 20 min old."""
    sub = sandbox.subscription_id
    server_id = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.DBforPostgreSQL/flexibleServers/%s' % (sub, PROD, SOURCE)
    sandbox.seed([
        {'id': '/subscriptions/%s/resourceGroups/%s' % (sub, PROD), 'location': 'koreacentral'},
        {'id': '/subscriptions/%s/resourceGroups/%s' % (sub, DR), 'location': 'koreasouth'},
        # ServerCreatePointInTimeRestore.json's source shape
        {'id': server_id, 'location': 'koreacentral', 'sku': {'name': 'Standard_D4s_v3', 'tier': 'GeneralPurpose'},
         # the daily snapshots (sandbox pg_backups) fall 12 h before now: the newest restore point is the seeded backup
         'systemData': {'createdAt': utc(60 * 24 * 60 + 12 * 60)},
         'properties': {'version': '16', 'administratorLogin': 'phonebilladmin', 'storage': {'storageSizeGB': 256},
                        'backup': {'backupRetentionDays': 35, 'geoRedundantBackup': 'Enabled',
                                   'earliestRestoreDate': utc(35 * 24 * 60)}}},
        {'id': server_id + '/backups/daily_recent',
         'properties': {'backupType': 'Full', 'source': 'Automatic', 'completedTime': utc(20)}},
    ])
    return server_id


def restore(azure, check_mode=False, **args):
    return azure('postgresql_point_in_time_restore', check_mode=check_mode,
                 **dict(dict(name=SCRATCH, resource_group=DR, location='koreasouth', source_server=SOURCE,
                             source_resource_group=PROD, tags={'purpose': 'dr-drill'}), **args))


def test_restore_measured_then_unchanged_then_deleted_and_gone(azure, sandbox, source):
    planned = restore(azure, check_mode=True)
    assert planned['changed'] and azure.writes() == 0
    # in the DR region: a geo-restore (a point-in-time restore stays in the source's region)
    assert planned['resource']['properties'] == {'createMode': 'GeoRestore', 'sourceServerResourceId': source,
                                                 'pointInTimeUTC': planned['restore_point']}
    assert 19.9 <= planned['restore_point_age_minutes'] < 21 and planned['seconds_to_available'] is None

    done = restore(azure)
    assert done['changed'] and done['restore_point'] == planned['restore_point']
    assert 1.5 <= done['seconds_to_available'] < 30                     # a 25-minute restore x lro_scale 0.001, and polling
    assert done['resource']['properties']['state'] == 'Ready' and done['fqdn'] == SCRATCH + '.postgres.database.azure.com'
    assert done['resource']['sku'] == {'name': 'Standard_D4s_v3', 'tier': 'GeneralPurpose'}   # the source's
    assert done['resource']['location'] == 'koreasouth'
    sent = [r for r in sandbox.requests() if r['method'] == 'PUT' and r['path'].lower().endswith(SCRATCH)]
    assert len(sent) == 1

    writes = azure.writes()
    again = restore(azure)
    assert not again['changed'] and azure.writes() == writes and again['seconds_to_available'] is None
    assert again['latest_restore_point'] == done['latest_restore_point']

    assert restore(azure, check_mode=True, state='absent')['gone'] and azure.writes() == writes
    deleted = restore(azure, state='absent')
    assert deleted['changed'] and deleted['gone']
    assert not restore(azure, state='absent')['changed']


def test_restore_points_outside_the_window_are_refused_before_any_write(azure, sandbox, source):
    writes = azure.writes()
    early = restore(azure, point_in_time=utc(40 * 24 * 60))
    assert early['failed'] and 'is before the earliest restore point' in early['msg']
    future = restore(azure, point_in_time=utc(-60))
    assert future['failed'] and 'is in the future' in future['msg']
    bad = restore(azure, point_in_time='last night')
    assert bad['failed'] and "point_in_time: 'last night' is not an ISO 8601 time" in bad['msg']
    missing = restore(azure, source_server='psql-phonebill-nope')
    assert missing['failed'] and 'source_server: psql-phonebill-nope does not exist' in missing['msg']
    assert azure.writes() == writes


def test_azure_refuses_a_restore_point_outside_the_window_with_its_error(sandbox, source):
    """What any client gets from the sandbox, as from Azure, when it skips the module's check."""
    from azure.core.exceptions import HttpResponseError  # pylint: disable=import-outside-toplevel
    from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient  # pylint: disable=import-outside-toplevel
    client = PostgreSQLManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs())
    for moment in (utc(40 * 24 * 60), utc(-60)):
        body = {'location': 'koreacentral', 'properties': {'createMode': 'PointInTimeRestore', 'sourceServerResourceId': source,
                                                           'pointInTimeUTC': moment}}
        with pytest.raises(HttpResponseError) as refused:
            client.servers.begin_create_or_update(DR, SCRATCH, body).result()
        assert refused.value.status_code == 400 and refused.value.error.code == 'InvalidParameterValue'
        assert 'Invalid value given for parameter PointInTimeUTC' in refused.value.error.message
    body = {'location': 'koreasouth', 'properties': {'createMode': 'PointInTimeRestore', 'sourceServerResourceId': source,
                                                     'pointInTimeUTC': utc(30)}}
    with pytest.raises(HttpResponseError) as refused:
        client.servers.begin_create_or_update(DR, SCRATCH, body).result()
    assert refused.value.status_code == 400 and "use createMode GeoRestore to restore in 'koreasouth'" in refused.value.error.message


def test_a_failed_restore_fails_with_azures_error_and_leaves_the_failed_server_to_delete(azure, sandbox, source):
    sandbox.fault('lro_failure', method='PUT', path_contains='/flexibleServers/' + SCRATCH,
                  message='The restore of the server failed: an internal error occurred.')
    failed = restore(azure)
    assert failed['failed'] and 'The restore of the server failed' in failed['msg']
    deleted = restore(azure, state='absent')
    assert deleted['changed'] and deleted['gone']


def test_a_slow_restore_is_measured(azure, sandbox, source):
    sandbox.fault('slow_lro', method='PUT', path_contains='/flexibleServers/' + SCRATCH, seconds=3)
    done = restore(azure)
    assert 3.0 <= done['seconds_to_available'] < 30
