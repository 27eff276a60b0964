# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDK errors become one line with status, Azure code, message and request id."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket

import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ServiceRequestError
from azure.core.pipeline import Pipeline
from azure.core.pipeline.transport import HttpRequest, HttpResponse, HttpTransport
from azure.mgmt.resource.resources import ResourceManagementClient

from ansible_collections.phonebill.platform.plugins.module_utils import errors


class Response(HttpResponse):
    def __init__(self, status, body, headers):
        super(Response, self).__init__(None, None)
        self.status_code = status
        self.headers = headers
        self.reason = 'Conflict' if status == 409 else 'Other'
        self._body = json.dumps(body).encode()

    def body(self):
        return self._body


def test_arm_error_is_described_with_code_and_request_id():
    response = Response(409, {'error': {'code': 'OperationNotAllowed', 'message': 'Operation is not allowed.'}},
                        {'x-ms-request-id': 'req-123'})
    exc = HttpResponseError(response=response)
    text = errors.describe(exc, 'update cluster aks-phonebill-prod')
    assert text == ('update cluster aks-phonebill-prod: HTTP 409 (OperationNotAllowed) Operation is not allowed. '
                    '[request id req-123]')
    assert errors.error_code(exc) == 'OperationNotAllowed'


def test_plain_exception_still_describes():
    assert errors.describe(ValueError('boom')) == 'boom'


def test_failed_operation_reports_its_own_error_not_the_status_of_the_poll():
    """What ARM's status monitor returns for an operation that ended Failed (HTTP 200)."""
    status = Response(200, {'id': 'op-1', 'status': 'Failed', 'error': {
        'code': 'InternalOperationError', 'message': 'An internal execution error occurred.',
        'details': [{'code': 'VMExtensionProvisioningError', 'message': 'VM has reported a failure.'}]}},
        {'x-ms-request-id': 'req-9'})
    text = errors.describe(HttpResponseError(response=status), 'create node pool app of AKS cluster aks-x',
                           status_url='https://management.azure.com/operations/op-1')
    assert text == ('create node pool app of AKS cluster aks-x: the operation failed in Azure: InternalOperationError: '
                    'An internal execution error occurred. (details: VMExtensionProvisioningError: VM has reported a '
                    'failure.) [operation https://management.azure.com/operations/op-1; request id req-9]')
    assert 'HTTP 200' not in text


def closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class Token:
    def get_token(self, *scopes, **kwargs):
        return AccessToken('token', 2 ** 31)


@pytest.mark.parametrize('url, reason', [('https://127.0.0.1:{closed_port}/', 'connection refused'),
                                         ('https://arm.phonebill.invalid/', 'the host name does not resolve')])
def test_unreachable_endpoint_says_why(url, reason):
    # the port is chosen when the test runs: test ids must be the same in every pytest-xdist worker
    client = ResourceManagementClient(Token(), 'sub', base_url=url.format(closed_port=closed_port()), retry_total=0)
    with pytest.raises(ServiceRequestError) as caught:
        client.resource_groups.get('rg')
    assert errors.unreachable(caught.value).startswith(reason)


def test_an_answer_is_not_unreachable():
    assert errors.unreachable(HttpResponseError(response=Response(503, {}, {}))) is None


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Transport(HttpTransport):
    """Answers with the given statuses in turn (then 200); sleeps advance the clock instead of waiting."""

    def __init__(self, clock, statuses, headers=None):
        self.clock, self.statuses, self.headers = clock, list(statuses), headers or {}
        self.sent = 0
        self.slept = []

    def send(self, request, **kwargs):
        self.sent += 1
        status = self.statuses.pop(0) if self.statuses else 200
        body = {} if status == 200 else {'error': {'code': 'TooManyRequests' if status == 429 else 'ServerBusy',
                                                   'message': 'Try again later.'}}
        response = Response(status, body, dict(self.headers) if status != 200 else {})
        response.request = request
        return response

    def sleep(self, duration):
        self.slept.append(duration)
        self.clock.now += duration

    def open(self):
        pass

    def close(self):
        pass

    def __exit__(self, *args):
        pass


def send(transport, clock, deadline=1800):
    return Pipeline(transport, [errors.RetryPolicy(deadline, clock=clock)]).run(
        HttpRequest('PUT', 'https://management.azure.com/subscriptions/s/resourceGroups/rg'))


@pytest.mark.parametrize('throttled', [4, 8, 20])
def test_throttling_is_retried_as_azure_asks_not_three_times(throttled):
    clock = Clock()
    transport = Transport(clock, [429] * throttled, {'Retry-After': '7'})
    assert send(transport, clock).http_response.status_code == 200
    assert transport.sent == throttled + 1 and transport.slept == [7.0] * throttled


def test_throttling_ends_at_the_deadline_and_says_how_many_attempts():
    clock = Clock()
    transport = Transport(clock, [429] * 100, {'Retry-After': '10'})
    with pytest.raises(errors.RetriesExhausted) as caught:
        send(transport, clock, deadline=35)
    assert caught.value.attempts == transport.sent == 4  # at 0, 10, 20, 30 s; the next would be after the deadline
    text = errors.describe(caught.value, 'update resource group rg')
    assert text.startswith('update resource group rg: HTTP 429 (TooManyRequests) Try again later. (after 4 attempts in 30 s)')
    assert 'raise the task' in text


def test_transient_errors_get_five_retries():
    clock = Clock()
    assert send(Transport(clock, [503] * 5), clock).http_response.status_code == 200
    transport = Transport(clock, [503] * 6)
    with pytest.raises(errors.RetriesExhausted) as caught:
        send(transport, clock)
    assert caught.value.attempts == transport.sent == errors.RETRIES + 1
    assert caught.value.status_code == 503 and errors.error_code(caught.value) == 'ServerBusy'


def test_failed_operation_without_an_error_body_still_says_it_failed():
    resource = Response(200, {'id': '/subscriptions/s/x', 'properties': {'provisioningState': 'Failed'}}, {})
    text = errors.describe(HttpResponseError(response=resource, message='Operation failed or canceled'), 'update x')
    assert text == 'update x: the operation failed in Azure: Operation failed or canceled'
