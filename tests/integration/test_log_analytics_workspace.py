# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""log_analytics_workspace against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

WORKSPACE = dict(name='law-phonebill-it', resource_group='rg-phonebill-it', location='Korea Central', sku='PerGB2018',
                 retention_days=90, daily_quota_gb=5, tags={'service': 'phonebill'})


@pytest.fixture
def group(azure):
    azure('resource_group', name='rg-phonebill-it', location='koreacentral')


def test_create_predicted_then_unchanged_with_no_write(azure, group):
    writes = azure.writes()
    predicted = azure('log_analytics_workspace', check_mode=True, **WORKSPACE)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('log_analytics_workspace', **WORKSPACE)
    assert created['differences'] == predicted['differences']
    assert created['customer_id'] and created['id'].endswith('/workspaces/law-phonebill-it')
    writes = azure.writes()
    again = azure('log_analytics_workspace', **WORKSPACE)
    assert again['changed'] is False and again['customer_id'] == created['customer_id'] and azure.writes() == writes


def test_drift_is_reported_and_repaired_then_deleted(azure, sandbox, group):
    created = azure('log_analytics_workspace', **WORKSPACE)
    sandbox.drift(created['id'], {'properties': {'retentionInDays': 30, 'workspaceCapping': {'dailyQuotaGb': -1}}})
    predicted = azure('log_analytics_workspace', check_mode=True, **WORKSPACE)
    assert predicted['differences'] == [
        {'path': 'properties.retentionInDays', 'before': 30, 'after': 90},
        {'path': 'properties.workspaceCapping.dailyQuotaGb', 'before': -1, 'after': 5.0}]
    repaired = azure('log_analytics_workspace', **WORKSPACE)
    assert repaired['differences'] == predicted['differences']
    assert repaired['customer_id'] == created['customer_id']
    assert azure('log_analytics_workspace', **WORKSPACE)['changed'] is False
    absent = dict(name=WORKSPACE['name'], resource_group=WORKSPACE['resource_group'], state='absent')
    assert azure('log_analytics_workspace', **absent)['changed'] is True
    assert azure('log_analytics_workspace', **absent)['changed'] is False
