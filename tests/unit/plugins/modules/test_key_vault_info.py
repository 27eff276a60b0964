# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_info: one vault, a group's, the subscription's, filtered by tags."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

import pytest
from azure.mgmt.keyvault import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import key_vault_info
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, TENANT, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.test_key_vault import fill


@pytest.fixture
def vaults():
    collection = Collection(models.Vault, fill)
    for group, name, tags in (('rg-phonebill-prod', 'kv-phonebill-prod', {'service': 'phonebill'}),
                              ('rg-phonebill-prod', 'kv-phonebill-audit', {'service': 'audit'}),
                              ('rg-phonebill-dr', 'kv-phonebill-dr', {'service': 'phonebill'})):
        collection.seed((group, name), fill((group, name), {'location': 'koreacentral', 'tags': tags, 'properties': {
            'tenantId': TENANT, 'sku': {'family': 'A', 'name': 'premium'}}}, None))
    return collection


def run(collection, **args):
    ops = Operations(collection, 2, get='get', list_by_resource_group='list', list_by_subscription='list')
    with mock.patch.object(AzureModule, 'client', client_factory({'keyvault': mock.Mock(vaults=ops)})):
        return run_module(key_vault_info.main, dict(AUTH, **args))


def test_one_vault_by_name_and_a_missing_one_is_empty(vaults):
    found = run(vaults, name='kv-phonebill-prod', resource_group='rg-phonebill-prod')['vaults']
    assert [v['name'] for v in found] == ['kv-phonebill-prod']
    assert found[0]['properties']['vaultUri'] == 'https://kv-phonebill-prod.vault.azure.net'
    assert run(vaults, name='kv-nothing', resource_group='rg-phonebill-prod') == dict(changed=False, vaults=[])


def test_group_subscription_and_tags(vaults):
    assert sorted(v['name'] for v in run(vaults, resource_group='rg-phonebill-prod')['vaults']) == [
        'kv-phonebill-audit', 'kv-phonebill-prod']
    assert sorted(v['name'] for v in run(vaults, tags={'service': 'phonebill'})['vaults']) == [
        'kv-phonebill-dr', 'kv-phonebill-prod']


def test_name_without_group_fails_before_any_client():
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(key_vault_info.main, dict(AUTH, name='kv-phonebill-prod'))
    assert result['failed'] and result['msg'].startswith('resource_group:')
