# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared core under faults, through the real SDK against the sandbox.

Operations in progress are waited for, throttling and transient errors are
retried as Azure asks, a failed operation and an unreachable endpoint say
what happened, and a refused token is renewed once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

import pytest
from azure.mgmt.containerservice import ContainerServiceClient

from ansible_collections.phonebill.platform.plugins.module_utils import cloud as cloud_utils

RG = 'rg-phonebill-it'
CLUSTER = 'aks-phonebill-it'
POOL = dict(name='app', cluster_name=CLUSTER, resource_group=RG, mode='User', vm_size='Standard_D4s_v3', count=3,
            min_count=3, max_count=10, zones=['1', '2', '3'], max_surge='33%', labels={'workload': 'application'},
            taints=['application-workload=true:NoSchedule'], max_pods=30)
PIP = dict(name='pip-agw-phonebill-it', resource_group=RG, location='koreacentral', sku='Standard',
           allocation_method='Static', zones=['1', '2', '3'])


def statuses(sandbox, method, path_part):
    return [r['status'] for r in sandbox.requests() if r['method'] == method and path_part.lower() in r['path'].lower()]


@pytest.fixture
def group(azure):
    assert azure('resource_group', name=RG, location='koreacentral')['changed']


@pytest.fixture
def pool(azure, group):
    created = azure('aks_cluster', name=CLUSTER, resource_group=RG, location='koreacentral', kubernetes_version='1.33',
                    dns_prefix='phonebill-it', agent_pools=[dict(name='system', mode='System', vm_size='Standard_D2s_v3',
                                                                 count=3, zones=['1', '2', '3'])])
    assert created['changed'], created.get('msg')
    assert azure('aks_agent_pool', **POOL)['changed']
    return created['resource']['id'] + '/agentPools/app'


@pytest.fixture
def mgmt_client(sandbox):
    def make(cls):
        return cls(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs())
    return make


# ---- defect 6: any provisioning state that is not terminal is an operation in progress ----

def assert_waited_then_converged(azure, sandbox):
    sandbox.clear_requests()
    done = azure('aks_agent_pool', **dict(POOL, max_count=12))
    assert done.get('failed') is not True, done.get('msg')
    assert done['differences'] == [{'path': 'properties.maxCount', 'before': 10, 'after': 12}]
    assert statuses(sandbox, 'PUT', 'agentPools/app') == [200]  # one write, after the operation ended: no 409
    assert azure('aks_agent_pool', **dict(POOL, max_count=12))['changed'] is False


def test_node_image_upgrade_in_progress_is_waited_for(azure, sandbox, pool, mgmt_client):
    sandbox.config(durations={'microsoft.containerservice/managedclusters/agentpools': 2500})  # 2.5 s
    mgmt_client(ContainerServiceClient).agent_pools.begin_upgrade_node_image_version(RG, CLUSTER, 'app')
    assert sandbox.get(pool)['properties']['provisioningState'] == 'UpgradingNodeImageVersion'
    assert_waited_then_converged(azure, sandbox)


@pytest.mark.parametrize('state', ['Migrating', 'ReconcilingFutureState'])
def test_any_other_transitional_state_is_waited_for(azure, sandbox, pool, state):
    sandbox.hold(pool, state, seconds=2.5)
    assert_waited_then_converged(azure, sandbox)


def test_a_pool_waits_for_an_upgrade_of_its_cluster(azure, sandbox, pool):
    """AKS refuses a pool write while the cluster upgrades (409 OperationNotAllowed): the module waits for it."""
    sandbox.hold(pool.rsplit('/agentPools/', 1)[0], 'Upgrading', seconds=2.5)
    assert_waited_then_converged(azure, sandbox)


def test_an_operation_outlasting_the_timeout_fails_clearly_and_writes_nothing(azure, sandbox, pool):
    sandbox.hold(pool, 'Upgrading', seconds=30)
    sandbox.clear_requests()
    failed = azure('aks_agent_pool', timeout=2, **dict(POOL, max_count=12))
    assert failed['failed'] and azure.writes() == 0
    assert failed['msg'] == ('wait for the operation running on node pool app of AKS cluster %s (node pool app of AKS '
                             'cluster %s is Upgrading) did not finish within 2 seconds; nothing was written'
                             % (CLUSTER, CLUSTER))


def test_check_mode_reports_the_operation_without_waiting_or_writing(azure, sandbox, pool):
    sandbox.hold(pool, 'UpgradingNodeImageVersion', seconds=30)
    sandbox.clear_requests()
    predicted = azure('aks_agent_pool', check_mode=True, timeout=2, **dict(POOL, max_count=12))
    assert predicted['changed'] is True and azure.writes() == 0
    assert predicted['operations_in_progress'] == ['node pool app of AKS cluster %s is UpgradingNodeImageVersion' % CLUSTER]


# ---- defect 7: throttling retried as Azure asks, within the task's timeout ----

@pytest.mark.parametrize('throttled', [4, 8])
def test_throttled_reads_and_writes_do_not_fail_the_run(azure, sandbox, group, throttled):
    sandbox.fault('throttle', method='GET', path_contains='publicIPAddresses/' + PIP['name'], count=throttled, retry_after=0.05)
    sandbox.fault('throttle', method='PUT', path_contains='publicIPAddresses/' + PIP['name'], count=throttled, retry_after=0.05)
    created = azure('public_ip', **PIP)
    assert created['changed'] is True, created.get('msg')
    assert statuses(sandbox, 'PUT', PIP['name']) == [429] * throttled + [201]


def test_transient_errors_are_retried_five_times(azure, sandbox, group):
    sandbox.fault('error', method='PUT', path_contains='publicIPAddresses/' + PIP['name'], status=503, count=5,
                  code='ServerBusy', retry_after=0.05)
    created = azure('public_ip', **PIP)
    assert created['changed'] is True, created.get('msg')
    assert statuses(sandbox, 'PUT', PIP['name']) == [503] * 5 + [201]


def test_throttling_beyond_the_timeout_fails_saying_how_many_attempts(azure, sandbox, group):
    sandbox.fault('throttle', method='GET', path_contains='publicIPAddresses/' + PIP['name'], count=1000, retry_after=0.3)
    failed = azure('public_ip', timeout=2, **PIP)
    attempts = len(statuses(sandbox, 'GET', PIP['name']))
    assert failed['failed'] and 2 < attempts < 10
    assert failed['msg'].startswith('read public IP %s: HTTP 429 (TooManyRequests)' % PIP['name'])
    assert '(after %d attempts in ' % attempts in failed['msg'] and azure.writes() == 1


# ---- defect 8: what failed, and where ----

def test_failed_operation_reports_its_error_and_the_resource(azure, sandbox, group):
    sandbox.fault('lro_failure', method='PUT', path_contains='publicIPAddresses', code='InternalOperationError',
                  message='An internal execution error occurred. Please retry later.')
    failed = azure('public_ip', **PIP)
    assert failed['failed'] and 'HTTP 200' not in failed['msg']
    assert failed['msg'].startswith('create public IP %s: the operation failed in Azure: InternalOperationError: '
                                    'An internal execution error occurred. Please retry later. [operation %s/subscriptions/'
                                    % (PIP['name'], sandbox.arm))
    assert failed['azure_error_code'] == 'InternalOperationError'


def closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def test_unreachable_metadata_endpoint_is_not_a_bad_setting(azure):
    url = 'https://127.0.0.1:%d' % closed_port()
    failed = azure('resource_group', name=RG, location='koreacentral', cloud_environment=url)
    assert failed['msg'] == ('cannot reach Azure Resource Manager at %s/metadata/endpoints?api-version=2019-05-01: '
                             'connection refused' % url)


def test_unknown_cloud_name_is_still_a_bad_setting(azure):
    failed = azure('resource_group', name=RG, location='koreacentral', cloud_environment='AzureMarsCloud')
    assert failed['msg'].startswith("cloud_environment: unknown cloud 'AzureMarsCloud'")


@pytest.mark.parametrize('stopped, expected', [
    ('arm', 'read resource group %s: cannot reach Azure Resource Manager at {url}: connection refused (after 4 attempts)'),
    ('login', 'read resource group %s: cannot reach Microsoft Entra ID (sign-in) at {url}: connection refused'),
])
def test_unreachable_endpoint_is_named_with_the_reason(azure, sandbox, monkeypatch, stopped, expected):
    url = 'https://127.0.0.1:%d/' % closed_port()
    endpoints = dict(dict(arm=sandbox.arm, login=sandbox.arm), **{stopped: url})
    cloud = cloud_utils.Cloud('AzureSandbox', endpoints['arm'], endpoints['login'], 'https://management.azure.com/', custom=True)
    monkeypatch.setattr(cloud_utils, 'resolve_cloud', lambda value, fetch: cloud)
    failed = azure('resource_group', name=RG, location='koreacentral')
    assert failed['msg'] == expected.format(url=url) % RG


# ---- defect 9: a refused token is renewed once ----

def test_revoked_token_is_renewed_once_and_the_run_goes_on(azure, sandbox, group):
    sandbox.fault('revoke_tokens', method='PUT', path_contains='publicIPAddresses/' + PIP['name'])
    issued = sandbox.tokens_issued()
    created = azure('public_ip', **PIP)
    assert created['changed'] is True, created.get('msg')
    assert sandbox.tokens_issued() - issued == 2  # the run's token, then exactly one renewal
    assert statuses(sandbox, 'PUT', PIP['name']) == [401, 201]


def test_token_refused_twice_fails_as_authentication(azure, sandbox, group):
    sandbox.fault('error', method='GET', path_contains='publicIPAddresses/' + PIP['name'], status=401, count=2,
                  code='ExpiredAuthenticationToken',
                  message="The access token expiry UTC time '12/2/2026 6:00:00 AM' is earlier than current UTC time "
                          "'12/2/2026 7:00:00 AM'.")
    issued = sandbox.tokens_issued()
    failed = azure('public_ip', **PIP)
    assert failed['msg'].startswith('authentication: read public IP %s: HTTP 401 (ExpiredAuthenticationToken)' % PIP['name'])
    assert sandbox.tokens_issued() - issued == 2 and azure.writes() == 1
