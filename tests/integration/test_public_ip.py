# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_ip against the sandbox."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

GROUP = dict(name='rg-phonebill-it', location='koreacentral')
PIP = dict(name='pip-agw-phonebill-it', resource_group='rg-phonebill-it', location='Korea Central', sku='Standard',
           allocation_method='Static', zones=['1', '2', '3'], domain_name_label='phonebill-it',
           tags={'service': 'phonebill'})


@pytest.fixture
def group(azure):
    assert azure('resource_group', **GROUP)['changed'] is True


def test_create_predicted_then_unchanged_with_no_write(azure, group):
    writes = azure.writes()
    predicted = azure('public_ip', check_mode=True, **PIP)
    assert predicted['changed'] is True and azure.writes() == writes
    created = azure('public_ip', **PIP)
    assert created['changed'] is True and created['differences'] == predicted['differences']
    assert created['resource']['properties']['ipAddress']
    writes = azure.writes()
    again = azure('public_ip', **PIP)
    assert again['changed'] is False and azure.writes() == writes


def test_change_predicted_drift_repaired_and_zones_refused(azure, sandbox, group):
    created = azure('public_ip', **PIP)
    predicted = azure('public_ip', check_mode=True, idle_timeout=10, **PIP)
    assert predicted['differences'] == [{'path': 'properties.idleTimeoutInMinutes', 'before': 4, 'after': 10}]
    done = azure('public_ip', idle_timeout=10, **PIP)
    assert done['differences'] == predicted['differences']
    assert done['resource']['properties']['ipAddress'] == created['resource']['properties']['ipAddress']
    sandbox.drift(created['resource']['id'], {'properties': {'dnsSettings': {'domainNameLabel': 'someone-else'}}})
    repaired = azure('public_ip', idle_timeout=10, **PIP)
    assert [d['path'] for d in repaired['differences']] == ['properties.dnsSettings.domainNameLabel']
    writes = azure.writes()
    refused = azure('public_ip', **dict(PIP, zones=['1']))
    assert refused['failed'] and refused['msg'].startswith('zones: public IP pip-agw-phonebill-it has')
    assert azure.writes() == writes


def test_delete(azure, group):
    azure('public_ip', **PIP)
    args = dict(name=PIP['name'], resource_group=PIP['resource_group'], state='absent')
    assert azure('public_ip', check_mode=True, **args)['changed'] is True
    assert azure('public_ip', **args)['changed'] is True
    assert azure('public_ip', **args)['changed'] is False


def test_address_left_failed_is_put_again_then_unchanged(azure, sandbox, group):
    created = azure('public_ip', **PIP)
    sandbox.drift(created['resource']['id'], {'properties': {'provisioningState': 'Failed'}})
    writes = azure.writes()
    predicted = azure('public_ip', check_mode=True, **PIP)
    assert predicted['differences'] == [{'path': 'properties.provisioningState', 'before': 'Failed', 'after': 'Succeeded'}]
    assert azure.writes() == writes
    repaired = azure('public_ip', **PIP)
    assert repaired['changed'] and azure.writes() == writes + 1
    assert sandbox.get(created['resource']['id'])['properties']['provisioningState'] == 'Succeeded'
    again = azure('public_ip', **PIP)
    assert again['changed'] is False and azure.writes() == writes + 1
