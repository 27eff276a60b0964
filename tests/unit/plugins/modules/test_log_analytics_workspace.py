# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""log_analytics_workspace: retention and daily cap, server defaults, soft and forced delete."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest import mock

import pytest
from azure.mgmt.loganalytics import models

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.plugins.modules import log_analytics_workspace
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.fake_arm import (
    AUTH, SUB, Collection, Operations, client_factory)
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

GROUP, NAME = 'rg-phonebill-prod', 'law-phonebill-prod'
CUSTOMER = '0f9e8d7c-6b5a-4c3d-2e1f-0123456789ab'
ARGS = dict(name=NAME, resource_group=GROUP, location='Korea Central', sku='PerGB2018', retention_days=90,
            daily_quota_gb=5, tags={'service': 'phonebill'})


def fill(key, body, previous):
    """Azure's workspace: lower-case SKU, float quota, customer id and the rest of its defaults."""
    group, name = key
    body.update(id='/subscriptions/%s/resourceGroups/%s/providers/Microsoft.OperationalInsights/workspaces/%s'
                % (SUB, group, name), name=name, type='Microsoft.OperationalInsights/workspaces',
                location=body['location'].replace(' ', '').lower())
    properties = body.setdefault('properties', {})
    properties['sku'] = {'name': properties.get('sku', {}).get('name', 'PerGB2018').lower(),
                         'lastSkuUpdate': '2025-01-01T00:00:00Z'}
    properties.setdefault('retentionInDays', 30)
    capping = properties.setdefault('workspaceCapping', {})
    capping['dailyQuotaGb'] = float(capping.get('dailyQuotaGb', -1))
    capping.update(quotaNextResetTime='2025-01-02T07:00:00Z', dataIngestionStatus='RespectQuota')
    properties.update(customerId=(previous or {}).get('properties', {}).get('customerId', CUSTOMER),
                      provisioningState='Succeeded', publicNetworkAccessForIngestion='Enabled',
                      publicNetworkAccessForQuery='Enabled', createdDate='2025-01-01T00:00:00Z',
                      modifiedDate='2025-01-01T00:00:00Z',
                      features={'legacy': 0, 'searchVersion': 1, 'enableLogAccessUsingOnlyResourcePermissions': True})
    return body


class FakeWorkspaces(Operations):
    def __init__(self, collection):
        super(FakeWorkspaces, self).__init__(collection, 2, get='get', begin_create_or_update='put')
        self.deletes = []

    def begin_delete(self, group, name, force=None):
        self.deletes.append(force)
        return self.collection.delete((group, name))


@pytest.fixture
def workspaces():
    collection = Collection(models.Workspace, fill, lro=True)
    collection.seed((GROUP, NAME), fill((GROUP, NAME), {'location': 'koreacentral',
                                                        'tags': {'service': 'phonebill'},
                                                        'properties': {'retentionInDays': 90,
                                                                       'workspaceCapping': {'dailyQuotaGb': 5}}}, None))
    return collection


def run(collection, args, ops=None, **kwargs):
    ops = ops or FakeWorkspaces(collection)
    with mock.patch.object(AzureModule, 'client', client_factory({'loganalytics': mock.Mock(workspaces=ops)})):
        return run_module(log_analytics_workspace.main, dict(AUTH, **args), **kwargs)


def test_existing_workspace_with_server_forms_is_unchanged(workspaces):
    result = run(workspaces, ARGS)
    assert result['changed'] is False and workspaces.writes == []
    assert result['customer_id'] == CUSTOMER and result['id'].endswith('/workspaces/law-phonebill-prod')


def test_create_then_unchanged():
    empty = Collection(models.Workspace, fill, lro=True)
    predicted = run(empty, ARGS, check_mode=True)
    assert predicted['changed'] is True and empty.writes == [] and predicted['customer_id'] is None
    created = run(empty, ARGS)
    assert [d['path'] for d in created['differences']] == [d['path'] for d in predicted['differences']]
    assert empty.writes[0][2] == {'location': 'Korea Central', 'tags': {'service': 'phonebill'},
                                  'properties': {'sku': {'name': 'PerGB2018'}, 'retentionInDays': 90,
                                                 'workspaceCapping': {'dailyQuotaGb': 5.0}}}
    assert created['customer_id'] == CUSTOMER
    assert run(empty, ARGS)['changed'] is False and len(empty.writes) == 1


def test_nested_quota_change_keeps_the_rest(workspaces):
    result = run(workspaces, dict(ARGS, daily_quota_gb=-1), diff=True)
    assert result['differences'] == [{'path': 'properties.workspaceCapping.dailyQuotaGb', 'before': 5.0, 'after': -1.0}]
    (_verb, _key, body), = workspaces.writes
    assert body['properties']['workspaceCapping'] == {'dailyQuotaGb': -1.0}
    assert body['properties']['features']['enableLogAccessUsingOnlyResourcePermissions'] is True
    assert body['properties']['retentionInDays'] == 90 and 'customerId' not in body['properties']


def test_unstated_retention_is_not_reset(workspaces):
    args = dict(ARGS)
    args.pop('retention_days')
    assert run(workspaces, args)['changed'] is False


def test_soft_delete_by_default_and_forced_on_request(workspaces):
    ops = FakeWorkspaces(workspaces)
    assert run(workspaces, dict(name=NAME, resource_group=GROUP, state='absent'), ops=ops)['changed'] is True
    assert ops.deletes == [None]
    workspaces.seed((GROUP, NAME), fill((GROUP, NAME), {'location': 'koreacentral'}, None))
    run(workspaces, dict(name=NAME, resource_group=GROUP, state='absent', force_delete=True), ops=ops)
    assert ops.deletes == [None, True]


@pytest.mark.parametrize('changes, option', [
    (dict(retention_days=7), 'retention_days:'),
    (dict(retention_days=731), 'retention_days:'),
    (dict(daily_quota_gb=0), 'daily_quota_gb:'),
    (dict(daily_quota_gb=-2), 'daily_quota_gb:'),
    (dict(daily_quota_gb=0.02), 'daily_quota_gb: 0.02 is not a daily cap; give at least 0.023 GB'),
    (dict(tags={'cost/center': 'billing'}), 'tags.cost/center: tag names cannot contain /'),
    (dict(tags={'owner': 'o' * 257}), 'tags.owner: tag values are at most 256 characters'),
    (dict(name='law'), 'name:'),
    (dict(name='law-phonebill-'), 'name:'),
    (dict(tags={'n': 1}), 'tags.n:'),
])
def test_bad_input_fails_before_any_client(changes, option):
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no client expected')):
        result = run_module(log_analytics_workspace.main, dict(AUTH, **dict(ARGS, **changes)))
    assert result['failed'] and result['msg'].startswith(option)
