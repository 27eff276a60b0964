# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""postgresql_flexible_server: Azure's GET forms, create then window, PATCH of the stated fields, password never out."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
from unittest import mock

import pytest
from azure.mgmt.postgresqlflexibleservers import models

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_data
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import postgresql_flexible_server
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

GROUP, NAME = 'rg-phonebill-prod', 'psql-phonebill-prod'
SERVER_ID = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.DBforPostgreSQL/flexibleServers/%s' % (SUB, GROUP, NAME)
NETWORK_ID = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/' % (SUB, GROUP)
PASSWORD = 'Vault-Held-Passw0rd-91'
VAULT = dict(vault_uri='https://kv-phonebill-prod.vault.azure.net/', secret='postgresql-admin-password')
ARGS = dict(name=NAME, resource_group=GROUP, location='Korea Central', sku=dict(name='Standard_D4s_v3', tier='GeneralPurpose'),
            version='16', storage=dict(size_gb=256, tier='P15', auto_grow=True), availability_zone='1',
            high_availability=dict(mode='ZoneRedundant', standby_availability_zone='2'),
            backup=dict(retention_days=35, geo_redundant_backup=True),
            network=dict(public_network_access='Disabled',
                         delegated_subnet_id=NETWORK_ID + 'virtualNetworks/vnet-phonebill-prod/subnets/snet-database',
                         private_dns_zone_id=NETWORK_ID + 'privateDnsZones/privatelink.postgres.database.azure.com'),
            maintenance_window=dict(day_of_week='Saturday', start_hour=17),
            configurations={'ssl_min_protocol_version': 'TLSv1.2'},
            administrator_login='phonebilladmin', administrator_login_password_from=VAULT, tags={'service': 'phonebill'})

# The production server as Azure returns it (ServerGet.json shape): lower-case region, enums as Azure spells them,
# lower-cased ids, read-only fields, Azure's own storage and backup fields, an extra tag added by a policy.
EXISTING = {
    'id': SERVER_ID, 'name': NAME, 'type': 'Microsoft.DBforPostgreSQL/flexibleServers', 'location': 'koreacentral',
    'tags': {'service': 'phonebill', 'costcenter': 'telecom'},
    'sku': {'name': 'Standard_D4s_v3', 'tier': 'GeneralPurpose'},
    'properties': {
        'fullyQualifiedDomainName': NAME + '.postgres.database.azure.com', 'version': '16', 'minorVersion': '8',
        'administratorLogin': 'phonebilladmin', 'state': 'Ready', 'availabilityZone': '1',
        'storage': {'storageSizeGB': 256, 'autoGrow': 'Enabled', 'tier': 'P15', 'iops': 1100, 'type': 'Premium_LRS'},
        'authConfig': {'activeDirectoryAuth': 'Disabled', 'passwordAuth': 'Enabled'},
        'backup': {'backupRetentionDays': 35, 'geoRedundantBackup': 'Enabled', 'earliestRestoreDate': '2026-11-01T00:00:00+00:00'},
        'network': {'publicNetworkAccess': 'Disabled',
                    'delegatedSubnetResourceId': (NETWORK_ID + 'virtualNetworks/vnet-phonebill-prod/subnets/snet-database').lower(),
                    'privateDnsZoneArmResourceId': (NETWORK_ID + 'privateDnsZones/privatelink.postgres.database.azure.com').lower()},
        'highAvailability': {'mode': 'ZoneRedundant', 'state': 'Healthy', 'standbyAvailabilityZone': '2'},
        'maintenanceWindow': {'customWindow': 'Enabled', 'dayOfWeek': 6, 'startHour': 17, 'startMinute': 0},
        'replicationRole': 'Primary', 'replicaCapacity': 5,
        'replica': {'role': 'Primary', 'capacity': 5},
    },
}
TLS = {'id': SERVER_ID + '/configurations/ssl_min_protocol_version', 'name': 'ssl_min_protocol_version',
       'properties': {'value': 'TLSv1.2', 'defaultValue': 'TLSv1.2', 'dataType': 'Enumeration', 'source': 'system-default'}}


def fill_server(key, body, previous):
    """What Azure makes of a create: its read-only fields, the system-managed window, never the password."""
    group, name = key
    body = copy.deepcopy(previous) if previous and 'createMode' not in body.get('properties', {}) else body
    body.update(id=SERVER_ID.replace(NAME, name).replace(GROUP, group), name=name, type='Microsoft.DBforPostgreSQL/flexibleServers')
    body['location'] = (body.get('location') or '').replace(' ', '').lower()
    properties = body.setdefault('properties', {})
    properties.pop('administratorLoginPassword', None)
    properties.pop('createMode', None)
    properties.update(state='Ready', fullyQualifiedDomainName=name + '.postgres.database.azure.com', replicationRole='Primary',
                      replicaCapacity=5)
    properties['maintenanceWindow'] = {'customWindow': 'Disabled', 'dayOfWeek': 0, 'startHour': 0, 'startMinute': 0}
    properties['highAvailability']['state'] = 'Healthy'
    return body


class FakeServers(Operations):
    """servers: PUT creates; begin_update is a merge PATCH (the password taken, never kept)."""

    def __init__(self, collection):
        super(FakeServers, self).__init__(collection, 2, get='get', begin_create_or_update='put', begin_delete='delete',
                                          list_by_resource_group='list')
        self.patches = []

    def begin_update(self, group, name, patch):
        self.patches.append(copy.deepcopy(patch))
        current = copy.deepcopy(self.collection.items[(group.lower(), name.lower())])
        merge(current, patch)
        current['properties'].pop('administratorLoginPassword', None)
        self.collection.writes.append(('patch', (group, name), copy.deepcopy(patch)))
        self.collection.items[(group.lower(), name.lower())] = current
        return self.collection.get(group, name)


def merge(target, patch):
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and key != 'tags':
            merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def fill_configuration(key, body, previous):
    body = dict(previous or {}, **body)
    body.update(id='%s/configurations/%s' % (SERVER_ID, key[2]), name=key[2])
    return body


def version(name, created, state=None):
    return mock.Mock(version=name, id='https://kv/secrets/postgresql-admin-password/' + name, created_on=created,
                     updated_on=created, expires_on=None, enabled=True, content_type='text/plain',
                     tags={'rotation-state': state} if state else {})


def vault_holding_the_password(*newer):
    """A vault whose version v1 holds PASSWORD, with the newer versions given after it."""
    vault = mock.Mock()
    vault.list_properties_of_secret_versions.return_value = [version('v1', 1)] + list(newer)
    vault.get_secret.side_effect = lambda name, version=None: mock.Mock(value=PASSWORD if version == 'v1' else 'Rotated-pass-1')
    return vault


@pytest.fixture
def azure():
    servers = Collection(models.Server, fill_server, lro=True)
    servers.seed((GROUP, NAME), EXISTING)
    configurations = Collection(models.Configuration, fill_configuration, lro=True)
    configurations.seed((GROUP, NAME, 'ssl_min_protocol_version'), TLS)
    return mock.Mock(servers=servers, configurations=configurations, vault=vault_holding_the_password())


def run(azure, args, **kwargs):
    servers = FakeServers(azure.servers)
    client = mock.Mock(servers=servers,
                       configurations=Operations(azure.configurations, 3, get='get', begin_put='put'),
                       firewall_rules=Operations(Collection(models.FirewallRule, None), 3, list_by_server='list'))
    with mock.patch.object(AzureModule, 'client', client_factory({'postgresql': client})), \
            mock.patch.object(keyvault_data, 'client', lambda module, service, uri: azure.vault):
        result = run_module(postgresql_flexible_server.main, dict(AUTH, **args), **kwargs)
    result['patches'] = servers.patches
    return result


def writes(azure):
    return azure.servers.writes + azure.configurations.writes


def test_existing_server_in_azure_forms_is_unchanged_without_reading_the_password(azure):
    result = run(azure, ARGS, diff=True)
    assert result['changed'] is False and result['differences'] == [] and writes(azure) == []
    assert result['fqdn'] == NAME + '.postgres.database.azure.com' and result['replication_role'] == 'Primary'
    azure.vault.get_secret.assert_not_called()


def test_create_predicted_then_created_then_window_set_and_password_never_out():
    empty = mock.Mock(servers=Collection(models.Server, fill_server, lro=True),
                      configurations=Collection(models.Configuration, fill_configuration, lro=True),
                      vault=vault_holding_the_password())
    predicted = run(empty, ARGS, check_mode=True, diff=True)
    assert predicted['changed'] is True and writes(empty) == [] and predicted['id'] is None
    created = run(empty, ARGS, diff=True)
    assert created['differences'] == predicted['differences']
    (put, _key, body), (patch, _key2, window) = empty.servers.writes
    assert (put, patch) == ('put', 'patch') and 'maintenanceWindow' not in body['properties']
    assert body['properties']['administratorLoginPassword'] == PASSWORD and body['properties']['createMode'] == 'Default'
    assert window == {'properties': {'maintenanceWindow': {'customWindow': 'Enabled', 'dayOfWeek': 6, 'startHour': 17,
                                                           'startMinute': 0}}}
    assert created['resource']['properties']['maintenanceWindow']['dayOfWeek'] == 6
    assert [c['properties']['value'] for c in created['configurations']] == ['TLSv1.2']
    empty.vault.get_secret.assert_called_with('postgresql-admin-password', 'v1')
    assert PASSWORD not in json.dumps([predicted, dict(created, patches=None)])
    assert '********' in json.dumps(predicted['diff']['after'])


def test_change_is_a_patch_of_the_stated_fields_only(azure):
    result = run(azure, dict(ARGS, storage=dict(size_gb=512), backup=dict(retention_days=14), tags={'service': 'phonebill', 'tier': 'db'}))
    assert result['differences'] == [{'path': 'tags.tier', 'before': None, 'after': 'db'},
                                     {'path': 'properties.storage.storageSizeGB', 'before': 256, 'after': 512},
                                     {'path': 'properties.backup.backupRetentionDays', 'before': 35, 'after': 14}]
    patch = result['patches'][0]
    assert patch['tags'] == {'service': 'phonebill', 'costcenter': 'telecom', 'tier': 'db'}
    assert patch['properties']['storage'] == {'storageSizeGB': 512}
    assert patch['properties']['backup'] == {'backupRetentionDays': 14}
    for create_only in ('administratorLogin', 'availabilityZone', 'createMode', 'administratorLoginPassword'):
        assert create_only not in patch['properties']
    assert patch['properties']['network'] == {'publicNetworkAccess': 'Disabled'}
    assert 'location' not in patch


def test_update_password_always_sends_it_masked(azure):
    result = run(azure, dict(ARGS, update_password='always'), diff=True)
    assert result['differences'] == [{'path': 'properties.administratorLoginPassword', 'before': None, 'after': '********'}]
    assert result['patches'][0]['properties']['administratorLoginPassword'] == PASSWORD
    assert PASSWORD not in json.dumps(dict(result, patches=None))


def test_what_azure_cannot_change_is_refused_before_any_write(azure):
    result = run(azure, dict(ARGS, storage=dict(size_gb=128), version='15', availability_zone='2',
                             backup=dict(geo_redundant_backup=False),
                             high_availability=dict(mode='ZoneRedundant', standby_availability_zone='1')))
    assert result['failed'] and result['problems'] == [
        'storage.size_gb: the server has 256 GB and Azure cannot shrink storage; state 256 or more',
        'version: the server runs PostgreSQL 16 and Azure cannot downgrade it; state 16 or higher',
        'availability_zone: the server is in zone 1 and Azure cannot move it; state 1 (a failover swaps the primary and '
        'standby zones) or recreate the server',
        'backup.geo_redundant_backup: geo-redundant backup is Enabled on the server and is set at creation only; state '
        'True or restore into a new server']
    assert writes(azure) == []


def test_standby_in_the_existing_primary_zone_is_refused(azure):
    args = dict(ARGS, high_availability=dict(mode='ZoneRedundant', standby_availability_zone='1'))
    args.pop('availability_zone')
    result = run(azure, args)
    assert result['failed'] and result['msg'].startswith('high_availability.standby_availability_zone: zone 1 is the primary')
    assert writes(azure) == []


def test_real_run_refuses_an_unknown_vault(azure):
    args = dict(ARGS, unknown=['administrator_login_password_from'])
    args.pop('administrator_login_password_from')
    result = run(azure, args)
    assert result['failed'] and result['msg'].startswith('administrator_login_password_from: is unknown')
    predicted = run(azure, args, check_mode=True)
    assert predicted['changed'] is False and writes(azure) == []


@pytest.mark.parametrize('stated, newer, sent', [
    (None, [version('v2', 2, 'pending')], PASSWORD),
    (None, [version('v2', 2, 'applied')], 'Rotated-pass-1'),
    ('v2', [version('v2', 2, 'pending')], 'Rotated-pass-1')])
def test_the_password_from_the_vault_is_the_version_consumers_read_unless_one_is_stated(stated, newer, sent):
    """A rotation's pending version is not sent until the rotation states it (its apply step)."""
    azure = mock.Mock(servers=Collection(models.Server, fill_server, lro=True),
                      configurations=Collection(models.Configuration, fill_configuration, lro=True),
                      vault=vault_holding_the_password(*newer))
    reference = dict(ARGS['administrator_login_password_from'], version=stated)
    run(azure, dict(ARGS, administrator_login_password_from=reference))
    (_put, _key, body) = azure.servers.writes[0]
    assert body['properties']['administratorLoginPassword'] == sent
