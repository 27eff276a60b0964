# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure failures turned into one line an operator can act on.

Azure's error code, its message and the request id (what Microsoft support
asks for) always reach the failure message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Transport retries: azure-core retries 408/429/500/502/503/504 and honours
# Retry-After; these bound how often and how long.
RETRY_POLICY = dict(retry_total=5, retry_backoff_factor=0.8, retry_backoff_max=60)


def error_code(exc):
    """Azure's error code of an HttpResponseError, or None."""
    error = getattr(exc, 'error', None)
    return getattr(error, 'code', None)


def describe(exc, action=None):
    """'action: HTTP 409 Conflict (code): message [request id ...]' for any SDK error."""
    parts = []
    status = getattr(exc, 'status_code', None)
    response = getattr(exc, 'response', None)
    if status:
        parts.append('HTTP %s' % status)
    code = error_code(exc)
    if code:
        parts.append('(%s)' % code)
    error = getattr(exc, 'error', None)
    message = getattr(error, 'message', None) or getattr(exc, 'message', None) or str(exc)
    parts.append(message.strip().splitlines()[0] if message.strip() else type(exc).__name__)
    headers = getattr(response, 'headers', None) or {}
    request_id = headers.get('x-ms-request-id') or headers.get('x-ms-correlation-request-id')
    if request_id:
        parts.append('[request id %s]' % request_id)
    text = ' '.join(parts)
    return '%s: %s' % (action, text) if action else text
