# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Requests to the APIs beside ARM (Log Analytics query, Microsoft Graph) through azure-core's pipeline.

Such an API is reached at its own URL, which is also its token audience. The
client gets the module's credential, TLS verification and retries (the same as
every management client), and its errors are raised as the SDK raises them (404
as ResourceNotFoundError, others as HttpResponseError with the service's own
`{"error": {"code", "message"}}`), so `module.call`/`get_or_none` report them
like any SDK error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.phonebill.platform.plugins.module_utils import errors, sdk

PIPELINE = sdk.Service('azure.core', 'PipelineClient', 'azure-core>=1.38,<2')
POLICIES = sdk.Service('azure.core.pipeline.policies', None, PIPELINE.requirement)


def client(module, endpoint):
    """A pipeline client for the API at `endpoint` (its URL, ending in /), token scope `endpoint/.default`."""
    core = module.imported(lambda: sdk.load(PIPELINE), errors=sdk.MissingLibrary)
    policies = module.imported(lambda: sdk.load(POLICIES), errors=sdk.MissingLibrary)
    return core.PipelineClient(endpoint, policies=[
        policies.RequestIdPolicy(), policies.HeadersPolicy(), policies.UserAgentPolicy('phonebill-platform'),
        errors.RetryPolicy(module.deadline),
        policies.BearerTokenCredentialPolicy(module.credential, endpoint + '.default'),
        policies.ContentDecodePolicy(), policies.NetworkTraceLoggingPolicy()],
        connection_verify=module.connection_verify, transport=module.transport)


def send(module, pipeline, method, url, body=None, headers=None):
    """One request; the JSON answer (None when the answer is empty, as Graph's 204). Raises the SDK's errors."""
    rest = module.require(sdk.CORE_REST)
    request = rest.HttpRequest(method, url, json=body, headers=headers)
    response = pipeline.send_request(request, connection_verify=module.connection_verify)
    if response.status_code >= 400:
        exceptions = module.require(sdk.CORE_EXCEPTIONS)
        error = exceptions.ResourceNotFoundError if response.status_code == 404 else exceptions.HttpResponseError
        raise error(message=error_text(response), response=response)
    text = response.text()
    return json.loads(text) if text else None


def error_text(response):
    """'(code) message' of the service's error document."""
    try:
        error = json.loads(response.text()).get('error') or {}
    except ValueError:
        return 'HTTP %s' % response.status_code
    return '(%s) %s' % (error.get('code'), error.get('message'))
