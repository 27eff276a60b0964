# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""postgresql_flexible_server and postgresql_flexible_server_info against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

GROUP, DR_GROUP = 'rg-phonebill-it', 'rg-phonebill-it-dr'
PASSWORD = 'Pg-Admin-Passw0rd-7c1e'
NETWORK = '/subscriptions/%s/resourceGroups/' + GROUP + '/providers/Microsoft.Network/'
SERVER = dict(name='psql-phonebill-it', resource_group=GROUP, location='koreacentral',
              sku=dict(name='Standard_D4s_v3', tier='GeneralPurpose'), version='16',
              storage=dict(size_gb=256, tier='P15', auto_grow=True), availability_zone='1',
              high_availability=dict(mode='ZoneRedundant', standby_availability_zone='2'),
              backup=dict(retention_days=35, geo_redundant_backup=True),
              maintenance_window=dict(day_of_week='Saturday', start_hour=17, start_minute=0),
              configurations={'ssl_min_protocol_version': 'TLSv1.2', 'require_secure_transport': 'on'},
              administrator_login='phonebilladmin', tags={'service': 'phonebill'})
ABSENT = dict(name=SERVER['name'], resource_group=GROUP, state='absent')


@pytest.fixture
def vault(azure):
    """A vault holding the administrator password, as the keyvault role leaves it."""
    azure('resource_group', name=GROUP, location='koreacentral')
    uri = azure('key_vault', name='kv-phonebill-it', resource_group=GROUP, location='koreacentral', sku='premium',
                enable_rbac_authorization=True)['vault_uri']
    azure('key_vault_secret', vault_uri=uri, name='postgresql-admin-password', value=PASSWORD)
    return dict(vault_uri=uri, secret='postgresql-admin-password')


def network(sandbox):
    """The delegated subnet and private DNS zone ids the network role creates."""
    prefix = NETWORK % sandbox.subscription_id
    return dict(public_network_access='Disabled',
                delegated_subnet_id=prefix + 'virtualNetworks/vnet-phonebill-it/subnets/snet-database',
                private_dns_zone_id=prefix + 'privateDnsZones/privatelink.postgres.database.azure.com')


@pytest.fixture
def server(sandbox, vault):
    return dict(SERVER, network=network(sandbox), administrator_login_password_from=vault)


def printed(*results):
    return json.dumps(results)


def test_create_with_ha_predicted_then_unchanged_with_no_write(azure, server):
    writes = azure.writes()
    predicted = azure('postgresql_flexible_server', check_mode=True, **server)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('postgresql_flexible_server', **server)
    assert created['differences'] == predicted['differences']
    properties = created['resource']['properties']
    assert properties['highAvailability'] == {'mode': 'ZoneRedundant', 'standbyAvailabilityZone': '2', 'state': 'Healthy'}
    assert properties['maintenanceWindow'] == {'customWindow': 'Enabled', 'dayOfWeek': 6, 'startHour': 17, 'startMinute': 0}
    assert properties['replicationRole'] == 'Primary' and created['fqdn'] == 'psql-phonebill-it.postgres.database.azure.com'
    assert [c['properties']['value'] for c in created['configurations']] == ['TLSv1.2', 'on']
    writes = azure.writes()
    again = azure('postgresql_flexible_server', **server)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes
    check = azure('postgresql_flexible_server', check_mode=True, **server)
    assert check['changed'] is False and azure.writes() == writes
    assert PASSWORD not in printed(predicted, created, again, check)


def test_drift_is_reported_and_repaired(azure, sandbox, server):
    created = azure('postgresql_flexible_server', **server)
    sandbox.drift(created['id'], {'properties': {'backup': {'backupRetentionDays': 7}, 'storage': {'autoGrow': 'Disabled'},
                                                 'maintenanceWindow': {'dayOfWeek': 0, 'startHour': 2}}})
    sandbox.drift(created['id'] + '/configurations/ssl_min_protocol_version', {'properties': {'value': 'TLSv1'}})
    writes = azure.writes()
    predicted = azure('postgresql_flexible_server', check_mode=True, **server)
    assert predicted['differences'] == [
        {'path': 'properties.storage.autoGrow', 'before': 'Disabled', 'after': 'Enabled'},
        {'path': 'properties.backup.backupRetentionDays', 'before': 7, 'after': 35},
        {'path': 'properties.maintenanceWindow.dayOfWeek', 'before': 0, 'after': 6},
        {'path': 'properties.maintenanceWindow.startHour', 'before': 2, 'after': 17},
        {'path': 'configurations[ssl_min_protocol_version].properties.value', 'before': 'TLSv1', 'after': 'TLSv1.2'}]
    assert azure.writes() == writes
    repaired = azure('postgresql_flexible_server', **server)
    assert repaired['differences'] == predicted['differences']
    patch = [r for r in sandbox.requests() if r['write']][-2]
    assert patch['method'] == 'PATCH'
    assert azure('postgresql_flexible_server', **server)['changed'] is False


def test_password_sent_only_on_create_or_when_asked_and_never_printed(azure, sandbox, server):
    created = azure('postgresql_flexible_server', **server)
    always = azure('postgresql_flexible_server', update_password='always', **server)
    assert always['changed'] is True
    assert always['differences'] == [{'path': 'properties.administratorLoginPassword', 'before': None, 'after': '********'}]
    direct = dict(server, administrator_login_password=PASSWORD)
    direct.pop('administrator_login_password_from')
    assert azure('postgresql_flexible_server', **direct)['changed'] is False
    refused = azure('postgresql_flexible_server', **dict(direct, update_password='always', administrator_login_password='weakpassword'))
    assert refused['failed'] and refused['msg'].startswith('administrator_login_password: the password does not meet')
    assert PASSWORD not in printed(created, always, refused, sandbox.get(created['id']))
    assert 'weakpassword' not in printed(refused)


def test_weak_password_in_the_vault_is_refused_without_quoting_it(azure, server):
    azure('key_vault_secret', vault_uri=server['administrator_login_password_from']['vault_uri'],
          name='weak-admin-password', value='weakpassword')
    writes = azure.writes()
    refused = azure('postgresql_flexible_server', **dict(server, administrator_login_password_from=dict(
        server['administrator_login_password_from'], secret='weak-admin-password')))
    assert refused['failed'] and refused['msg'].startswith('administrator_login_password_from.secret: the password does not')
    assert 'weakpassword' not in printed(refused) and azure.writes() == writes


def test_refusals_before_any_write(azure, server):
    azure('postgresql_flexible_server', **server)
    writes = azure.writes()
    shrink = azure('postgresql_flexible_server', **dict(server, storage=dict(size_gb=128)))
    assert shrink['failed'] and shrink['msg'].startswith('storage.size_gb: the server has 256 GB')
    burstable = azure('postgresql_flexible_server', **dict(server, sku=dict(name='Standard_B2s', tier='Burstable')))
    assert burstable['failed'] and burstable['msg'].startswith('high_availability.mode: Burstable servers')
    moved = azure('postgresql_flexible_server', **dict(server, availability_zone='3', backup=dict(geo_redundant_backup=False)))
    assert moved['failed'] and moved['problems'] == [
        'availability_zone: the server is in zone 1 and Azure cannot move it; state 1 (a failover swaps the primary and '
        'standby zones) or recreate the server',
        'backup.geo_redundant_backup: geo-redundant backup is Enabled on the server and is set at creation only; state '
        'True or restore into a new server']
    downgrade = azure('postgresql_flexible_server', **dict(server, version='14'))
    assert downgrade['failed'] and downgrade['msg'].startswith('version: the server runs PostgreSQL 16')
    assert azure.writes() == writes


def replica(name, location, group, source):
    return dict(name=name, resource_group=group, location=location, create_mode='Replica', source_server=source,
                sku=dict(name='Standard_D2s_v3', tier='GeneralPurpose'), tags={'service': 'phonebill'})


def test_replicas_in_same_and_other_region(azure, sandbox, server):
    primary = azure('postgresql_flexible_server', **server)
    azure('resource_group', name=DR_GROUP, location='koreasouth')
    far = replica('psql-phonebill-it-replica-1', 'koreasouth', DR_GROUP, primary['id'])
    near = replica('psql-phonebill-it-replica-2', 'koreacentral', GROUP, SERVER['name'])
    writes = azure.writes()
    predicted = azure('postgresql_flexible_server', check_mode=True, **far)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('postgresql_flexible_server', **far)
    assert created['differences'] == predicted['differences'] and created['replication_role'] == 'AsyncReplica'
    assert created['resource']['location'] == 'koreasouth' and created['resource']['sku']['name'] == 'Standard_D2s_v3'
    assert azure('postgresql_flexible_server', **near)['replication_role'] == 'AsyncReplica'
    sandbox.clear_requests()
    assert azure('postgresql_flexible_server', **far)['changed'] is False and azure.writes() == 0
    # an unchanged replica is not written: its source is not read
    assert not [r for r in sandbox.requests() if r['path'].split('?')[0].lower().endswith(SERVER['name'].lower())]
    found = azure('postgresql_flexible_server_info', name=SERVER['name'], resource_group=GROUP)
    assert sorted(r['name'] for r in found['replicas']) == ['psql-phonebill-it-replica-1', 'psql-phonebill-it-replica-2']
    assert found['servers'][0]['properties']['replicaCapacity'] == 5
    chained = azure('postgresql_flexible_server', **replica('psql-phonebill-it-replica-3', 'koreacentral', GROUP, created['id']))
    assert chained['failed'] and chained['msg'].startswith('source_server: psql-phonebill-it-replica-1 is itself a read replica')
    ha = azure('postgresql_flexible_server', **dict(far, high_availability=dict(mode='ZoneRedundant')))
    assert ha['failed'] and ha['msg'].startswith('high_availability.mode: a read replica has no high availability')
    assert azure.writes() == 0


def test_replica_of_a_primary_not_created_yet_is_predicted_in_check_mode(azure, server):
    azure('resource_group', name=GROUP, location='koreacentral')
    pending = dict(replica('psql-phonebill-it-replica-2', 'koreacentral', GROUP, None), unknown=['source_server'])
    writes = azure.writes()
    predicted = azure('postgresql_flexible_server', check_mode=True, **pending)
    assert predicted['changed'] is True and azure.writes() == writes
    assert predicted['resource']['properties']['sourceServerResourceId'] == '(known after a real run)'
    real = azure('postgresql_flexible_server', **pending)
    assert real['failed'] and real['msg'].startswith('source_server: is unknown')


def test_point_in_time_restore(azure, server):
    primary = azure('postgresql_flexible_server', **server)
    moment = primary['resource']['properties']['backup']['earliestRestoreDate']
    restore = dict(name='psql-phonebill-it-drill', resource_group=GROUP, location='koreacentral',
                   create_mode='PointInTimeRestore', source_server=SERVER['name'], point_in_time=moment)
    restored = azure('postgresql_flexible_server', **restore)
    assert restored['changed'] is True and restored['replication_role'] == 'Primary'
    assert restored['resource']['properties']['administratorLogin'] == 'phonebilladmin'
    writes = azure.writes()
    assert azure('postgresql_flexible_server', **restore)['changed'] is False and azure.writes() == writes


def test_geo_restore_needs_a_geo_backed_up_source(azure, server):
    azure('postgresql_flexible_server', **server)
    azure('resource_group', name=DR_GROUP, location='koreasouth')
    restore = dict(name='psql-phonebill-it-geo', resource_group=DR_GROUP, location='koreasouth', create_mode='GeoRestore',
                   source_server=SERVER['name'], source_resource_group=GROUP)
    restored = azure('postgresql_flexible_server', **restore)
    assert restored['resource']['location'] == 'koreasouth' and restored['resource']['properties']['version'] == '16'
    plain = dict(server, name='psql-phonebill-it-plain', backup=dict(retention_days=7, geo_redundant_backup=False),
                 network=None, high_availability=None)
    azure('postgresql_flexible_server', **plain)
    writes = azure.writes()
    refused = azure('postgresql_flexible_server', **dict(restore, name='psql-phonebill-it-geo2', source_server=plain['name']))
    assert refused['failed'] and refused['msg'].startswith('source_server: psql-phonebill-it-plain has no geo-redundant backup')
    assert azure.writes() == writes


def test_public_access_firewall_rules_as_a_named_set(azure, sandbox, server):
    rules = [dict(name='aks-subnet', start_ip_address='10.0.1.0', end_ip_address='10.0.1.255')]
    public = dict(server, network=dict(public_network_access='Enabled'), firewall_rules=rules)
    created = azure('postgresql_flexible_server', **public)
    assert [r['properties'] for r in created['firewall_rules']] == [{'startIpAddress': '10.0.1.0', 'endIpAddress': '10.0.1.255'}]
    office = {'properties': {'startIpAddress': '203.0.113.7', 'endIpAddress': '203.0.113.7'}}
    sandbox.drift(created['id'] + '/firewallRules/office', replace=office)
    kept = azure('postgresql_flexible_server', **public)
    assert kept['changed'] is False and kept['unmanaged_firewall_rules'] == ['office']
    writes = azure.writes()
    predicted = azure('postgresql_flexible_server', check_mode=True, purge_firewall_rules=True, **public)
    assert predicted['differences'] == [{'path': 'firewall_rules[office]', 'before': '<exists>', 'after': '<absent>'}]
    assert azure.writes() == writes
    assert azure('postgresql_flexible_server', purge_firewall_rules=True, **public)['differences'] == predicted['differences']
    assert [r['name'] for r in azure('postgresql_flexible_server_info', name=SERVER['name'], resource_group=GROUP)['firewall_rules']] == [
        'aks-subnet']


def test_info_then_delete(azure, server):
    azure('postgresql_flexible_server', **server)
    found = azure('postgresql_flexible_server_info', resource_group=GROUP)
    assert [s['name'] for s in found['servers']] == [SERVER['name']]
    writes = azure.writes()
    assert azure('postgresql_flexible_server', check_mode=True, **ABSENT)['changed'] is True and azure.writes() == writes
    assert azure('postgresql_flexible_server', **ABSENT)['changed'] is True
    assert azure('postgresql_flexible_server_info', name=SERVER['name'], resource_group=GROUP)['servers'] == []
    assert azure('postgresql_flexible_server', **ABSENT)['changed'] is False
