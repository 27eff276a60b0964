# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_ip: server defaults are no change, immutable SKU and zones fail clearly, bad input stops early."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.modules import public_ip
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.network_fakes import (
    PREFIX, RG, FakeClient, run, run_without_azure)

ARGS = dict(name='pip-agw-phonebill-prod', resource_group=RG, location='Korea Central', sku='Standard',
            allocation_method='Static', zones=['1', '2', '3'], domain_name_label='phonebill-prod',
            tags={'service': 'phonebill'})


def existing_ip():
    return {
        'name': 'pip-agw-phonebill-prod', 'id': PREFIX + '/publicIPAddresses/pip-agw-phonebill-prod',
        'etag': 'W/"9"', 'type': 'Microsoft.Network/publicIPAddresses', 'location': 'koreacentral',
        'tags': {'service': 'phonebill'}, 'sku': {'name': 'Standard', 'tier': 'Regional'}, 'zones': ['3', '1', '2'],
        'properties': {
            'provisioningState': 'Succeeded', 'resourceGuid': 'b1b1b1b1-0000-0000-0000-000000000000',
            'ipAddress': '20.41.7.12', 'publicIPAddressVersion': 'IPv4', 'publicIPAllocationMethod': 'Static',
            'idleTimeoutInMinutes': 4, 'ipTags': [],
            'dnsSettings': {'domainNameLabel': 'phonebill-prod', 'fqdn': 'phonebill-prod.koreacentral.cloudapp.azure.com'},
        },
    }


@pytest.fixture
def client():
    fake = FakeClient()
    fake.public_ip_addresses.add(existing_ip(), RG, 'pip-agw-phonebill-prod')
    return fake


def test_existing_address_is_unchanged(client):
    result = run(client, public_ip.main, dict(ARGS, sku='Standard'))
    assert result['changed'] is False and result['differences'] == [] and client.writes == []


def test_idle_timeout_change_keeps_the_rest(client):
    result = run(client, public_ip.main, dict(ARGS, idle_timeout=10), diff=True)
    assert result['differences'] == [{'path': 'properties.idleTimeoutInMinutes', 'before': 4, 'after': 10}]
    (_verb, _kind, _group, _name, body), = client.writes
    assert body['zones'] == ['1', '2', '3'] and body['sku'] == {'name': 'Standard', 'tier': 'Regional'}
    assert 'ipAddress' not in body['properties'] and 'fqdn' not in body['properties']['dnsSettings']


@pytest.mark.parametrize('changes, message', [
    (dict(zones=['1']), "zones: public IP pip-agw-phonebill-prod has ['3', '1', '2'] and it cannot change"),
    # every frozen field is named at once, not the first
    (dict(sku='Basic', zones=[]), "sku.name: public IP pip-agw-phonebill-prod has 'Standard'"),
    (dict(location='koreasouth'), 'location: public IP pip-agw-phonebill-prod has'),
])
def test_immutable_fields_fail_clearly_without_writing(client, changes, message):
    args = dict(ARGS, **changes)
    if args['sku'] == 'Basic':
        args.pop('allocation_method')
    result = run(client, public_ip.main, args)
    assert result['failed'] and message in result['msg'], result['msg']
    assert client.writes == []


def test_create_in_check_mode_then_real_run():
    empty = FakeClient()
    predicted = run(empty, public_ip.main, ARGS, check_mode=True)
    assert predicted['changed'] is True and empty.writes == []
    created = run(empty, public_ip.main, ARGS)
    assert created['differences'] == predicted['differences']
    assert run(empty, public_ip.main, ARGS)['changed'] is False and len(empty.writes) == 1


@pytest.mark.parametrize('changes, message', [
    (dict(allocation_method='Dynamic'), 'allocation_method: Standard public IPs are always Static'),
    (dict(sku='Basic', allocation_method='Dynamic'), 'zones: Basic public IPs have no zones'),
    (dict(zones=['4']), 'zones: \'4\' is not an availability zone'),
    (dict(idle_timeout=31), 'idle_timeout: 31 is out of range'),
    (dict(domain_name_label='Phonebill_Prod'), 'domain_name_label:'),
    (dict(resource_group='rg/bad'), 'resource_group:'),
])
def test_bad_input_fails_before_any_call(changes, message):
    result = run_without_azure(public_ip.main, dict(ARGS, **changes))
    assert result['failed'] and result['msg'].startswith(message), result['msg']


@pytest.mark.parametrize('state', ['Failed', 'Canceled'])
def test_resource_left_failed_is_written_again(client, state):
    """Azure's remedy for a failed operation is the same PUT again; a re-run must not call it done."""
    client.public_ip_addresses.add(dict(existing_ip(), properties=dict(existing_ip()['properties'], provisioningState=state)),
                                   RG, 'pip-agw-phonebill-prod')
    predicted = run(client, public_ip.main, ARGS, check_mode=True)
    assert predicted['changed'] and client.writes == []
    assert predicted['differences'] == [{'path': 'properties.provisioningState', 'before': state, 'after': 'Succeeded'}]
    result = run(client, public_ip.main, ARGS)
    (_verb, _kind, _group, _name, body), = client.writes
    assert result['changed'] and result['differences'] == predicted['differences']
    assert sorted(body['zones']) == ['1', '2', '3'] and 'provisioningState' not in body['properties']
