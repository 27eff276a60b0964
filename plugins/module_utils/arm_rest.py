# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ARM requests no SDK package of the collection has an operation for.

azure-mgmt-monitor 7 dropped diagnostic settings and their categories. Such requests go
through the resource client's pipeline: the same credential, cloud endpoint,
retry and re-authentication policies as every other call, and Azure's errors
raised as the SDK raises them (404 as ResourceNotFoundError, others with
ARM's error code and message), so `module.call`/`get_or_none` report them
like any SDK error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json

from ansible_collections.phonebill.platform.plugins.module_utils import sdk

# ARM's error format (code, message, details) lives in azure-mgmt-core, as requirements.txt states it.
MGMT_CORE = 'azure-mgmt-core>=1.6,<2'


def send(module, method, path, api_version, body=None, query=None):
    """One request to ARM; the JSON answer (None when empty). Raises the SDK's errors."""
    rest = module.require(sdk.CORE_REST)
    params = dict(query or {}, **{'api-version': api_version}) if api_version else query
    request = rest.HttpRequest(method, path, params=params, json=body)
    return _answer(module, module.client('resource').send_request(request))


def _answer(module, response):
    if response.status_code >= 400:
        exceptions = module.require(sdk.CORE_EXCEPTIONS)
        error = exceptions.ResourceNotFoundError if response.status_code == 404 else exceptions.HttpResponseError
        arm_errors = module.imported(lambda: importlib.import_module('azure.mgmt.core.exceptions'), MGMT_CORE)
        raise error(response=response, error_format=arm_errors.ARMErrorFormat)
    text = response.text()
    return json.loads(text) if text else None
