# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault: Azure's answer forms, irreversible settings, soft-deleted names, recover and purge.

Payloads follow Microsoft's examples (azure-rest-api-specs, KeyVault.Management examples
getVault.json, createVaultWithNetworkAcls.json, getDeletedVault.json): lower-case SKU names,
single addresses answered as /32, subnet ids lower-cased.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from unittest import mock

import pytest
from azure.mgmt.keyvault import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import key_vault
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, TENANT, Collection, Operations, as_model, client_factory, poller)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

GROUP, NAME = 'rg-phonebill-prod', 'kv-phonebill-prod'
SUBNET = ('/subscriptions/%s/resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/virtualNetworks/'
          'vnet-phonebill-prod/subnets/snet-aks' % SUB)
ARGS = dict(name=NAME, resource_group=GROUP, location='Korea Central', sku='premium', enable_rbac_authorization=True,
            soft_delete_retention_days=90, public_network_access='Disabled',
            network_acls=dict(default_action='Deny', bypass='AzureServices', ip_rules=['20.41.0.10'],
                              virtual_network_rules=[SUBNET]),
            tags={'service': 'phonebill'})


def fill(key, body, previous):
    """Azure's vault (getVault.json): defaults, vault URI, normalised network rules; createMode not kept."""
    group, name = key
    body = copy.deepcopy(body)
    body.update(id='/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/%s' % (SUB, group, name),
                name=name, type='Microsoft.KeyVault/vaults', location=body['location'].replace(' ', '').lower(),
                systemData={'createdAt': '2026-01-01T12:00:00.0000000Z', 'createdBy': 'app', 'createdByType': 'Application',
                            'lastModifiedAt': '2026-01-01T12:00:00.0000000Z', 'lastModifiedBy': 'app',
                            'lastModifiedByType': 'Application'})
    body.setdefault('tags', {})
    properties = body.setdefault('properties', {})
    properties.pop('createMode', None)
    properties.setdefault('accessPolicies', [])
    properties.setdefault('enabledForDeployment', False)
    properties.setdefault('enableSoftDelete', True)
    properties.setdefault('softDeleteRetentionInDays', 90)
    properties.setdefault('enableRbacAuthorization', False)
    properties.setdefault('publicNetworkAccess', 'Enabled')
    acls = properties.get('networkAcls') or {}
    for rule in acls.get('ipRules') or []:
        rule['value'] = rule['value'] if '/' in rule['value'] else rule['value'] + '/32'
    for rule in acls.get('virtualNetworkRules') or []:
        rule['id'] = rule['id'].lower()
    properties.update(hsmPoolResourceId='00000000-0000-0000-0000-000000000000', provisioningState='Succeeded',
                      vaultUri='https://%s.vault.azure.net' % name)
    return body


def deleted_vault(name=NAME, protected=False):
    """getDeletedVault.json, for this vault."""
    return {'name': name, 'type': 'Microsoft.KeyVault/deletedVaults',
            'id': '/subscriptions/%s/providers/Microsoft.KeyVault/locations/koreacentral/deletedVaults/%s' % (SUB, name),
            'properties': {'deletionDate': '2026-11-20T00:00:59Z', 'location': 'koreacentral',
                           'purgeProtectionEnabled': protected, 'scheduledPurgeDate': '2027-02-18T00:00:59Z', 'tags': {},
                           'vaultId': '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/%s'
                                      % (SUB, GROUP, name)}}


class FakeVaults(Operations):
    def __init__(self, collection, deleted=()):
        super(FakeVaults, self).__init__(collection, 2, get='get', begin_create_or_update='put', delete='delete')
        self.deleted = list(deleted)
        self.purged = []

    def list_deleted(self):
        return iter([as_model(models.DeletedVault, d) for d in self.deleted])

    def delete(self, group, name):
        current = self.collection.items.get((group.lower(), name.lower()))
        self.collection.delete((group, name))
        protected = bool(current['properties'].get('enablePurgeProtection'))
        self.deleted.append(deleted_vault(name, protected))

    def begin_purge_deleted(self, name, location):
        self.collection.writes.append(('purge', (name, location)))
        self.purged.append((name, location))
        self.deleted = [d for d in self.deleted if d['name'] != name]
        return poller(None)


def existing(**properties):
    collection = Collection(models.Vault, fill, lro=True)
    body = {'location': 'koreacentral', 'tags': {'service': 'phonebill'},
            'properties': dict({'tenantId': TENANT, 'sku': {'family': 'A', 'name': 'premium'},
                                'enableRbacAuthorization': True, 'publicNetworkAccess': 'Disabled',
                                'networkAcls': {'bypass': 'AzureServices', 'defaultAction': 'Deny',
                                                'ipRules': [{'value': '20.41.0.10'}],
                                                'virtualNetworkRules': [{'id': SUBNET}]}}, **properties)}
    collection.seed((GROUP, NAME), fill((GROUP, NAME), body, None))
    return collection


def run(collection, args, ops=None, **kwargs):
    ops = ops or FakeVaults(collection)
    with mock.patch.object(AzureModule, 'client', client_factory({'keyvault': mock.Mock(vaults=ops)})):
        return run_module(key_vault.main, dict(AUTH, **args), **kwargs)


def test_vault_in_azure_forms_is_unchanged_with_no_write():
    vaults = existing()
    result = run(vaults, ARGS)
    assert result['changed'] is False and result['differences'] == [] and vaults.writes == []
    assert result['vault_uri'] == 'https://kv-phonebill-prod.vault.azure.net'
    assert result['id'].endswith('/providers/Microsoft.KeyVault/vaults/kv-phonebill-prod')


def test_create_is_predicted_then_sent_without_purge_protection_false():
    vaults = Collection(models.Vault, fill, lro=True)
    args = dict(ARGS, purge_protection=False)
    predicted = run(vaults, args, check_mode=True)
    assert predicted['changed'] is True and vaults.writes == [] and predicted['vault_uri'] is None
    created = run(vaults, args)
    assert created['differences'] == predicted['differences']
    (_verb, _key, body), = vaults.writes
    assert body == {'location': 'Korea Central', 'tags': {'service': 'phonebill'}, 'properties': {
        'tenantId': TENANT, 'sku': {'family': 'A', 'name': 'premium'}, 'enableRbacAuthorization': True,
        'softDeleteRetentionInDays': 90, 'publicNetworkAccess': 'Disabled', 'accessPolicies': [],
        'networkAcls': {'defaultAction': 'Deny', 'bypass': 'AzureServices', 'ipRules': [{'value': '20.41.0.10'}],
                        'virtualNetworkRules': [{'id': SUBNET}]}}}
    again = run(vaults, args)
    assert again['changed'] is False and len(vaults.writes) == 1


def test_network_rules_are_sets_and_the_update_keeps_the_rest():
    vaults = existing(accessPolicies=[{'tenantId': TENANT, 'objectId': TENANT, 'permissions': {'secrets': ['get']}}])
    args = dict(ARGS, network_acls=dict(ARGS['network_acls'], ip_rules=['20.41.0.0/24', '20.41.0.10']))
    result = run(vaults, args, diff=True)
    assert result['differences'] == [
        {'path': 'properties.networkAcls.ipRules[20.41.0.0/24]', 'before': None, 'after': {'value': '20.41.0.0/24'}}]
    (_verb, _key, body), = vaults.writes
    assert body['properties']['networkAcls']['ipRules'] == [{'value': '20.41.0.10'}, {'value': '20.41.0.0/24'}]
    assert body['properties']['accessPolicies'][0]['permissions'] == {'secrets': ['get']}
    assert 'vaultUri' not in body['properties'] and 'provisioningState' not in body['properties']
    removed = run(vaults, dict(ARGS, network_acls=dict(ip_rules=[])))
    assert removed['differences'] == [{'path': 'properties.networkAcls.ipRules[20.41.0.0/24]',
                                       'before': {'value': '20.41.0.0/24'}, 'after': None},
                                      {'path': 'properties.networkAcls.ipRules[20.41.0.10/32]',
                                       'before': {'value': '20.41.0.10/32'}, 'after': None}]


def test_purge_protection_cannot_be_turned_off():
    vaults = existing(enablePurgeProtection=True)
    result = run(vaults, dict(ARGS, purge_protection=False))
    assert result['failed'] and result['msg'].startswith('purge_protection: key vault kv-phonebill-prod has purge protection')
    assert vaults.writes == []
    assert run(vaults, dict(ARGS, purge_protection=True))['changed'] is False


def test_purge_protection_false_on_a_vault_without_it_is_no_change_and_never_sent():
    vaults = existing()
    assert run(vaults, dict(ARGS, purge_protection=False))['changed'] is False
    run(vaults, dict(ARGS, purge_protection=False, public_network_access='Enabled'))
    (_verb, _key, body), = vaults.writes
    assert 'enablePurgeProtection' not in body['properties']


def test_retention_cannot_change_after_creation():
    vaults = existing()
    result = run(vaults, dict(ARGS, soft_delete_retention_days=30))
    assert result['failed'] and 'properties.softDeleteRetentionInDays: key vault kv-phonebill-prod has 90' in result['msg']
    assert vaults.writes == []


@pytest.mark.parametrize('protected, way_out', [
    (False, 'or purge it to release the name (state=absent, purge=true'),
    (True, 'it has purge protection, so it cannot be purged before 2027-02-18T00:00:59Z'),
])
def test_name_held_by_a_soft_deleted_vault_names_both_ways_out(protected, way_out):
    vaults = Collection(models.Vault, fill, lro=True)
    ops = FakeVaults(vaults, [deleted_vault(protected=protected)])
    for check_mode in (True, False):
        result = run(vaults, ARGS, ops=ops, check_mode=check_mode)
        assert result['failed'] and result['msg'].startswith('name: kv-phonebill-prod is held by a soft-deleted vault')
        assert 'set recover=true to recover it with its contents' in result['msg'] and way_out in result['msg']
    assert vaults.writes == [] and ops.purged == []


def test_recover_uses_create_mode_recover_and_check_mode_only_predicts():
    vaults = Collection(models.Vault, fill, lro=True)
    ops = FakeVaults(vaults, [deleted_vault()])
    predicted = run(vaults, dict(ARGS, recover=True), ops=ops, check_mode=True)
    assert predicted['changed'] is True and vaults.writes == []
    assert predicted['differences'] == [{'path': '', 'before': '<soft-deleted>', 'after': '<recovered>'}]
    recovered = run(vaults, dict(ARGS, recover=True), ops=ops)
    assert recovered['changed'] is True and recovered['differences'][0] == predicted['differences'][0]
    (_verb, _key, body), = vaults.writes
    assert body['properties']['createMode'] == 'recover' and body['location'] == 'Korea Central'
    assert 'accessPolicies' not in body['properties']
    assert recovered['vault_uri'] == 'https://kv-phonebill-prod.vault.azure.net'


def test_recover_needs_the_sku_before_any_write():
    vaults = Collection(models.Vault, fill, lro=True)
    ops = FakeVaults(vaults, [deleted_vault()])
    args = dict(ARGS, recover=True)
    args.pop('sku')
    result = run(vaults, args, ops=ops)
    assert result['failed'] and result['msg'].startswith('sku: required to recover') and vaults.writes == []


def test_recover_without_a_soft_deleted_vault_creates():
    vaults = Collection(models.Vault, fill, lro=True)
    run(vaults, dict(ARGS, recover=True))
    (_verb, _key, body), = vaults.writes
    assert 'createMode' not in body['properties']


def test_absent_soft_deletes_and_never_purges_unless_asked():
    vaults = existing()
    ops = FakeVaults(vaults)
    absent = dict(name=NAME, resource_group=GROUP, state='absent')
    assert run(vaults, absent, ops=ops)['changed'] is True
    assert vaults.writes == [('delete', (GROUP, NAME))] and ops.purged == [] and len(ops.deleted) == 1
    assert run(vaults, absent, ops=ops)['changed'] is False and ops.purged == []
    predicted = run(vaults, dict(absent, purge=True), ops=ops, check_mode=True)
    assert predicted['differences'] == [{'path': '', 'before': '<soft-deleted>', 'after': '<purged>'}]
    assert ops.purged == []
    assert run(vaults, dict(absent, purge=True), ops=ops)['changed'] is True
    assert ops.purged == [(NAME, 'koreacentral')] and ops.deleted == []
    assert run(vaults, dict(absent, purge=True), ops=ops)['changed'] is False


def test_purge_of_an_existing_vault_deletes_then_purges():
    vaults = existing()
    ops = FakeVaults(vaults)
    result = run(vaults, dict(name=NAME, resource_group=GROUP, state='absent', purge=True), ops=ops)
    assert result['differences'] == [{'path': '', 'before': '<exists>', 'after': '<purged>'}]
    assert vaults.writes == [('delete', (GROUP, NAME)), ('purge', (NAME, 'koreacentral'))]


@pytest.mark.parametrize('exists, message', [
    (True, 'purge: key vault kv-phonebill-prod has purge protection, so once deleted it cannot be purged'),
    (False, 'purge: soft-deleted key vault kv-phonebill-prod has purge protection and cannot be purged; '
            'Azure purges it on 2027-02-18T00:00:59Z'),
])
def test_purge_is_refused_before_any_write_under_purge_protection(exists, message):
    vaults = existing(enablePurgeProtection=True) if exists else Collection(models.Vault, fill, lro=True)
    ops = FakeVaults(vaults, [] if exists else [deleted_vault(protected=True)])
    for check_mode in (True, False):
        result = run(vaults, dict(name=NAME, resource_group=GROUP, state='absent', purge=True), ops=ops,
                     check_mode=check_mode)
        assert result['failed'] and result['msg'].startswith(message)
    assert vaults.writes == [] and ops.purged == []


def test_create_without_any_tenant_is_a_problem_before_writing():
    vaults = Collection(models.Vault, fill, lro=True)
    auth = dict(AUTH)
    auth.pop('tenant')
    with mock.patch.object(AzureModule, 'client', client_factory({'keyvault': mock.Mock(vaults=FakeVaults(vaults))})):
        result = run_module(key_vault.main, dict(auth, **ARGS))
    assert result['failed'] and result['msg'].startswith('tenant_id: required to create') and vaults.writes == []


@pytest.mark.parametrize('changes, option', [
    (dict(name='kv'), 'name:'),
    (dict(name='kv--phonebill'), 'name:'),
    (dict(name='1kv-phonebill'), 'name:'),
    (dict(name='kv-phonebill-'), 'name:'),
    (dict(name='kv-phonebill-production-01'), 'name:'),
    (dict(soft_delete_retention_days=6), 'soft_delete_retention_days:'),
    (dict(soft_delete_retention_days=91), 'soft_delete_retention_days:'),
    (dict(tenant_id='contoso'), 'tenant_id:'),
    (dict(network_acls=dict(ip_rules=['20.41.0.300'])), 'network_acls.ip_rules[20.41.0.300]:'),
    (dict(network_acls=dict(ip_rules=['2001:db8::/64'])), 'network_acls.ip_rules[2001:db8::/64]:'),
    (dict(network_acls=dict(virtual_network_rules=['snet-aks'])), 'network_acls.virtual_network_rules[snet-aks]:'),
    (dict(tags={'n': 1}), 'tags.n:'),
    (dict(purge=True), 'purge:'),
    (dict(state='absent', recover=True), 'recover:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(key_vault.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option)


def test_every_problem_at_once_and_a_mapping_for_a_list_is_one_problem():
    params = dict(name='kv', resource_group=GROUP, tags=None, tenant_id=None, soft_delete_retention_days=100,
                  network_acls=dict(ip_rules={'office': '20.41.0.10'}, virtual_network_rules=None),
                  purge=False, recover=False, state='present')
    assert [p.split(':')[0] for p in key_vault.validate(params)] == [
        'name', 'soft_delete_retention_days', 'network_acls.ip_rules must be a list of addresses or CIDR ranges, not a mapping']
