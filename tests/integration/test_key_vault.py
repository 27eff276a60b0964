# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault against the sandbox: create, unchanged, drift, soft delete, recover, purge."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

GROUP = 'rg-phonebill-it'
VAULT = dict(name='kv-phonebill-it', resource_group=GROUP, location='Korea Central', sku='premium',
             enable_rbac_authorization=True, soft_delete_retention_days=7, public_network_access='Disabled',
             network_acls=dict(default_action='Deny', bypass='AzureServices', ip_rules=['20.41.0.10'],
                               virtual_network_rules=[]),
             tags={'service': 'phonebill'})
ABSENT = dict(name=VAULT['name'], resource_group=GROUP, state='absent')


@pytest.fixture
def group(azure):
    azure('resource_group', name=GROUP, location='koreacentral')


def test_create_predicted_then_unchanged_with_no_write(azure, group):
    writes = azure.writes()
    predicted = azure('key_vault', check_mode=True, **VAULT)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('key_vault', **VAULT)
    assert created['differences'] == predicted['differences']
    assert created['vault_uri'].startswith('https://127.0.0.1:') and created['id'].endswith('/vaults/kv-phonebill-it')
    assert created['resource']['properties']['networkAcls']['ipRules'] == [{'value': '20.41.0.10/32'}]
    writes = azure.writes()
    again = azure('key_vault', **VAULT)
    assert again['changed'] is False and again['vault_uri'] == created['vault_uri'] and azure.writes() == writes
    assert azure('key_vault', check_mode=True, **VAULT)['changed'] is False and azure.writes() == writes


def test_drift_is_reported_and_repaired_then_deleted(azure, sandbox, group):
    created = azure('key_vault', **VAULT)
    sandbox.drift(created['id'], {'properties': {'publicNetworkAccess': 'Enabled',
                                                 'networkAcls': {'defaultAction': 'Allow', 'ipRules': [{'value': '1.2.3.4/32'}]}}})
    writes = azure.writes()
    predicted = azure('key_vault', check_mode=True, **VAULT)
    assert azure.writes() == writes
    assert predicted['differences'] == [
        {'path': 'properties.publicNetworkAccess', 'before': 'Enabled', 'after': 'Disabled'},
        {'path': 'properties.networkAcls.defaultAction', 'before': 'Allow', 'after': 'Deny'},
        {'path': 'properties.networkAcls.ipRules[20.41.0.10]', 'before': None, 'after': {'value': '20.41.0.10'}},
        {'path': 'properties.networkAcls.ipRules[1.2.3.4/32]', 'before': {'value': '1.2.3.4/32'}, 'after': None}]
    repaired = azure('key_vault', **VAULT)
    assert repaired['differences'] == predicted['differences'] and azure.writes() == writes + 1
    assert azure('key_vault', **VAULT)['changed'] is False and azure.writes() == writes + 1
    assert azure('key_vault', **ABSENT)['changed'] is True
    assert azure('key_vault', **ABSENT)['changed'] is False


def test_soft_deleted_name_is_reported_then_recovered_with_its_contents(azure, sandbox, group):
    from azure.keyvault.secrets import SecretClient
    created = azure('key_vault', **VAULT)
    SecretClient(created['vault_uri'], sandbox.credential(), **sandbox.data_plane_kwargs()).set_secret('redis-auth-key', 'k1')
    azure('key_vault', **ABSENT)
    writes = azure.writes()
    held = azure('key_vault', **VAULT)
    assert held['failed'] and held['msg'].startswith('name: kv-phonebill-it is held by a soft-deleted vault')
    assert 'recover=true' in held['msg'] and 'purge=true' in held['msg'] and azure.writes() == writes
    predicted = azure('key_vault', check_mode=True, recover=True, **VAULT)
    assert predicted['differences'] == [{'path': '', 'before': '<soft-deleted>', 'after': '<recovered>'}]
    assert azure.writes() == writes
    recovered = azure('key_vault', recover=True, **VAULT)
    assert recovered['changed'] is True and recovered['differences'][0] == predicted['differences'][0]
    secrets = SecretClient(recovered['vault_uri'], sandbox.credential(), **sandbox.data_plane_kwargs())
    assert secrets.get_secret('redis-auth-key').value == 'k1'
    assert azure('key_vault', recover=True, **VAULT)['changed'] is False


def test_purge_releases_the_name_only_when_asked(azure, group):
    azure('key_vault', **VAULT)
    azure('key_vault', **ABSENT)
    writes = azure.writes()
    assert azure('key_vault', check_mode=True, purge=True, **ABSENT)['changed'] is True and azure.writes() == writes
    purged = azure('key_vault', purge=True, **ABSENT)
    assert purged['differences'] == [{'path': '', 'before': '<soft-deleted>', 'after': '<purged>'}]
    assert azure('key_vault', purge=True, **ABSENT)['changed'] is False
    assert azure('key_vault', **VAULT)['changed'] is True


def test_purge_protection_is_kept_and_blocks_purge_before_any_write(azure, group):
    azure('key_vault', purge_protection=True, **VAULT)
    writes = azure.writes()
    off = azure('key_vault', purge_protection=False, **VAULT)
    assert off['failed'] and off['msg'].startswith('purge_protection:') and azure.writes() == writes
    refused = azure('key_vault', purge=True, **ABSENT)
    assert refused['failed'] and refused['msg'].startswith('purge: key vault kv-phonebill-it has purge protection')
    assert azure.writes() == writes
    azure('key_vault', **ABSENT)
    held = azure('key_vault', **VAULT)
    assert 'it has purge protection, so it cannot be purged before' in held['msg']
    assert azure('key_vault', purge=True, **ABSENT)['failed'] is True


def test_info_reads_one_a_group_and_the_subscription(azure, group):
    azure('key_vault', **VAULT)
    azure('key_vault', **dict(VAULT, name='kv-phonebill-audit', tags={'service': 'audit'}))
    writes = azure.writes()
    one = azure('key_vault_info', name='kv-phonebill-it', resource_group=GROUP)['vaults']
    assert [v['properties']['vaultUri'] for v in one] == [azure('key_vault', **VAULT)['vault_uri']]
    assert sorted(v['name'] for v in azure('key_vault_info', resource_group=GROUP)['vaults']) == [
        'kv-phonebill-audit', 'kv-phonebill-it']
    assert [v['name'] for v in azure('key_vault_info', tags={'service': 'audit'})['vaults']] == ['kv-phonebill-audit']
    assert azure('key_vault_info', name='kv-none', resource_group=GROUP)['vaults'] == []
    assert azure.writes() == writes
