# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""postgresql_checks: what Azure refuses, named by the caller's path (module options or inventory variables)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import postgresql_checks as checks

# SPEC §6 as the inventory states it.
SERVER = dict(name='psql-phonebill-prod', sku=dict(name='Standard_D4s_v3', tier='GeneralPurpose'), version='16',
              storage=dict(size_gb=256, tier='P15', auto_grow=True), availability_zone='1',
              high_availability=dict(mode='ZoneRedundant', standby_availability_zone='2'),
              backup=dict(retention_days=35, geo_redundant_backup=True),
              maintenance_window=dict(day_of_week='Saturday', start_hour=17, start_minute=0),
              configurations={'ssl_min_protocol_version': 'TLSv1.2'}, administrator_login='phonebilladmin')
PREFIX = 'phonebill_postgresql.'


def test_the_spec_server_has_no_problem():
    assert checks.server_problems('', SERVER) == [] and checks.server_problems(PREFIX, SERVER) == []


def test_size_outside_its_tier_and_ha_on_burstable():
    assert checks.server_problems(PREFIX, dict(SERVER, sku=dict(name='Standard_E4s_v3', tier='GeneralPurpose'))) == [
        'phonebill_postgresql.sku.name: Standard_E4s_v3 is a MemoryOptimized size, not GeneralPurpose; use a Standard_D* '
        'size or tier MemoryOptimized']
    assert checks.server_problems(PREFIX, dict(SERVER, sku=dict(name='Standard_B2s', tier='Burstable'))) == [
        'phonebill_postgresql.high_availability.mode: Burstable servers have no high availability; use GeneralPurpose or '
        'MemoryOptimized, or mode Disabled']
    assert checks.server_problems('', dict(SERVER, sku=dict(name='Basic_A1', tier='Burstable'),
                                           high_availability=dict(mode='Disabled')))[0].startswith(
        "sku.name: 'Basic_A1' is not a flexible server compute size")


def test_storage_sizes_and_tiers_azure_offers():
    assert checks.storage_problems('', dict(size_gb=300)) == [
        'storage.size_gb: a number 300 is not a storage size Azure offers; use one of 32, 64, 128, 256, 512, 1024, 2048, '
        '4096, 8192, 16384, 32767 GB']
    assert checks.storage_problems(PREFIX, dict(size_gb=256, tier='P10')) == [
        'phonebill_postgresql.storage.tier: P10 is below the P15 baseline of 256 GB, which Azure refuses; state P15 or '
        'higher, or leave the tier out']
    assert checks.storage_problems('', dict(size_gb=256, tier='P30')) == []
    assert checks.storage_problems('', '256') == ["storage must be a mapping of size_gb, tier and auto_grow, not a string '256'"]


def test_standby_zone_retention_and_window():
    found = checks.server_problems('', dict(SERVER, high_availability=dict(mode='ZoneRedundant', standby_availability_zone='1'),
                                            backup=dict(retention_days=36),
                                            maintenance_window=dict(day_of_week='Sun', start_hour=24)))
    assert found == [
        "high_availability.standby_availability_zone: zone 1 is the primary's zone, and a zone-redundant standby must be "
        'in another zone; state another zone or leave it out for Azure to choose',
        'backup.retention_days: 36 is out of range; use a whole number from 7 to 35 days',
        "maintenance_window.day_of_week: 'Sun' is not one of Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday",
        'maintenance_window.start_hour: 24 is out of range; use a whole number from 0 to 23 (UTC)']


def test_reserved_logins_and_password_policy_never_quoting_it():
    for login in ('admin', 'Azure_Superuser', 'pg_owner', 'public'):
        assert checks.login_problems('', login)[0].startswith("administrator_login: %r is reserved by Azure" % login)
    assert checks.login_problems('', '1admin')[0].startswith("administrator_login: '1admin' is not a login name")
    assert checks.password_problems('administrator_login_password', 'Str0ng-Enough') == []
    for weak in ('Sh0rt!', 'alllowercaseletters', 'ALLUPPER123', 'x' * 129 + 'A1'):
        found = checks.password_problems('administrator_login_password', weak)
        assert len(found) == 1 and weak not in found[0]


def test_replicas_and_restores_name_their_source():
    assert checks.create_mode_problems('', dict(create_mode='Replica')) == [
        'source_server: required with create_mode Replica; name the source server (name or resource id)']
    assert checks.create_mode_problems('', dict(create_mode='Replica', unknown=['source_server'])) == []
    assert checks.create_mode_problems('', dict(create_mode='Default', source_server='psql-phonebill-prod')) == [
        'source_server: only a replica or a restore has a source; state create_mode Replica, PointInTimeRestore or '
        'GeoRestore, or leave source_server out']
    assert checks.create_mode_problems('', dict(create_mode='PointInTimeRestore', source_server='psql-phonebill-prod',
                                                point_in_time='yesterday')) == [
        "point_in_time: 'yesterday' is not an ISO 8601 date and time; give e.g. 2026-11-30T17:00:00Z"]
    assert checks.server_problems('', dict(create_mode='Replica', source_server='psql-phonebill-prod',
                                           high_availability=dict(mode='ZoneRedundant'))) == [
        'high_availability.mode: a read replica has no high availability of its own; state mode Disabled (or leave it '
        'out) on the replica']


def test_a_source_that_is_a_replica_is_refused():
    replica = {'name': 'psql-replica-1', 'properties': {'replicationRole': 'AsyncReplica', 'sourceServerResourceId': '/x/psql'}}
    assert checks.source_problems('', replica) == [
        'source_server: psql-replica-1 is itself a read replica, and Azure does not replicate a replica; name its primary (/x/psql)']
    assert checks.source_problems('', {'name': 'p', 'properties': {'replicationRole': 'Primary'}}) == []
    # a replica may be restored to a point in time; only replication refuses it
    assert checks.source_problems('', replica, 'PointInTimeRestore') == []


def test_a_geo_restore_needs_a_geo_backed_up_source():
    local = {'name': 'psql-staging', 'properties': {'replicationRole': 'Primary', 'backup': {'geoRedundantBackup': 'Disabled'}}}
    assert checks.source_problems('', local, 'GeoRestore') == [
        'source_server: psql-staging has no geo-redundant backup to restore from another region; use create_mode '
        'PointInTimeRestore (same region) or a source created with backup.geo_redundant_backup']
    local['properties']['backup']['geoRedundantBackup'] = 'Enabled'
    assert checks.source_problems('', local, 'GeoRestore') == []


def test_plan_replicas_of_a_replica_and_their_own_checks():
    replicas = [dict(name='psql-replica-1', location='koreasouth', sku=dict(name='Standard_D2s_v3', tier='GeneralPurpose')),
                dict(name='psql-replica-2', source_server='psql-replica-1', sku=dict(name='Standard_B2s', tier='GeneralPurpose'))]
    assert checks.replicas_problems(PREFIX, SERVER, replicas) == [
        'phonebill_postgresql.replicas[psql-replica-2].sku.name: Standard_B2s is a Burstable size, not GeneralPurpose; use '
        'a Standard_D* size or tier Burstable',
        'phonebill_postgresql.replicas[psql-replica-2].source_server: psql-replica-1 is a replica in this plan, and Azure '
        'does not replicate a replica; name the primary psql-phonebill-prod']
    assert checks.replicas_problems(PREFIX, SERVER, {'name': 'x'}) == [
        'phonebill_postgresql.replicas must be a list of replica servers (name, location, sku...), not a mapping; write it '
        'as a YAML list ("- item" lines or [a, b])']


def test_firewall_rules_and_network():
    private = dict(delegated_subnet_id='/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/d',
                   public_network_access='Enabled')
    found = checks.server_problems('', dict(network=private, firewall_rules=[
        dict(name='aks', start_ip_address='10.0.1.255', end_ip_address='10.0.1.0')]))
    assert found == [
        'network.public_network_access: a server in a delegated subnet has private access only; state Disabled or leave '
        'the subnet out',
        'firewall_rules: the server has private access (network.delegated_subnet_id), where firewall rules do not apply; '
        'reach it from the VNet and leave firewall_rules out',
        'firewall_rules[aks].end_ip_address: 10.0.1.0 is before start_ip_address 10.0.1.255; give the range low to high']
    assert checks.firewall_problems('', '10.0.1.0/24', False)[0].startswith('firewall_rules must be a list of')
    assert checks.configurations_problems('', {'require_secure_transport': True}) == [
        "configurations.require_secure_transport: True is a YAML boolean; quote the value Azure expects, e.g. 'on' or 'off'"]


def test_changes_azure_cannot_make_on_an_existing_server():
    current = {'sku': {'name': 'Standard_B2s', 'tier': 'Burstable'},
               'properties': {'storage': {'storageSizeGB': 512}, 'version': '16', 'availabilityZone': '2',
                              'backup': {'geoRedundantBackup': 'Disabled'}, 'replicationRole': 'Primary'}}
    assert checks.change_problems('', dict(high_availability=dict(mode='ZoneRedundant', standby_availability_zone='2')),
                                  current) == [
        'high_availability.mode: Burstable servers have no high availability; use GeneralPurpose or MemoryOptimized, or '
        'mode Disabled',
        "high_availability.standby_availability_zone: zone 2 is the primary's zone, and a zone-redundant standby must be "
        'in another zone; state another zone or leave it out for Azure to choose']
    assert checks.change_problems('', dict(storage=dict(size_gb=1024), version='17', availability_zone='2',
                                           backup=dict(geo_redundant_backup=False)), current) == []
