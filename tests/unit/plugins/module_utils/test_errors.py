# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDK errors become one line with status, Azure code, message and request id."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from azure.core.exceptions import HttpResponseError
from azure.core.pipeline.transport import HttpResponse

from ansible_collections.phonebill.platform.plugins.module_utils import errors


class Response(HttpResponse):
    def __init__(self, status, body, headers):
        super(Response, self).__init__(None, None)
        self.status_code = status
        self.headers = headers
        self.reason = 'Conflict'
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


def test_retry_policy_is_bounded():
    assert errors.RETRY_POLICY['retry_total'] <= 10 and errors.RETRY_POLICY['retry_backoff_max'] <= 120
