# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure failures turned into one line an operator can act on, and the retries before them.

Azure's error code, its message and the request id (what Microsoft support
asks for) always reach the failure message; so do how many attempts were
made, why an endpoint could not be reached at all, and what a long-running
operation that failed in Azure said about itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import ssl
import time

try:
    from azure.core.exceptions import AzureError, HttpResponseError
    from azure.core.pipeline.policies import RetryPolicy as CoreRetryPolicy
except ImportError:  # the module fails naming the SDK requirement before it builds a client (sdk.py)
    AzureError = HttpResponseError = Exception
    CoreRetryPolicy = object

#: retries of a transient answer (408, 500, 502, 503, 504); azure-core stops at 3 by default
RETRIES = 5
THROTTLED = 429
RETRIED_STATUSES = (408, THROTTLED, 500, 502, 503, 504)
#: waits without Retry-After: 0, 1.6, 3.2, 6.4 ... seconds, at most a minute
BACKOFF = dict(retry_backoff_factor=0.8, retry_backoff_max=60)


class RetriesExhausted(HttpResponseError):
    """Azure still answered 429 or a transient error when the retries (or the task's time) ran out."""

    def __init__(self, response, attempts, seconds):
        super(RetriesExhausted, self).__init__(response=response)
        self.attempts = attempts
        self.seconds = seconds


class RetryPolicy(CoreRetryPolicy):
    """azure-core's retries, with throttling bounded by the task's deadline instead of a count.

    A busy subscription answers 429 with Retry-After for as long as it is busy:
    those answers are retried, waiting as asked, while the wait still ends
    before `deadline` (time.monotonic() value). Transient errors get RETRIES
    retries, connection failures azure-core's 3.
    """

    def __init__(self, deadline, clock=time.monotonic):
        super(RetryPolicy, self).__init__(retry_total=RETRIES, retry_status=RETRIES, **BACKOFF)
        self.deadline = deadline
        self.clock = clock

    def increment(self, settings, response=None, error=None):
        throttled = error is None and _status(response) == THROTTLED
        if throttled:  # not counted: the deadline bounds throttling
            settings['total'] += 1
            settings['status'] += 1
        if not super(RetryPolicy, self).increment(settings, response=response, error=error):
            return False
        wait = (error is None and self.get_retry_after(response)) or self.get_backoff_time(settings)
        return self.clock() + wait < self.deadline

    def send(self, request):
        started = self.clock()
        try:
            response = super(RetryPolicy, self).send(request)
        except AzureError as exc:
            if request.context.get('retry_count'):  # a connection failure that outlived its retries
                exc.attempts = request.context['retry_count'] + 1
            raise
        if response.http_response.status_code in RETRIED_STATUSES:
            raise RetriesExhausted(response.http_response, request.context.get('retry_count', 0) + 1,
                                   self.clock() - started)
        return response


def _status(response):
    return getattr(getattr(response, 'http_response', None), 'status_code', None)


def error_code(exc):
    """Azure's error code of an HttpResponseError, or None."""
    error = getattr(exc, 'error', None)
    return getattr(error, 'code', None)


def _first_line(text):
    text = (text or '').strip()
    return text.splitlines()[0] if text else ''


def _coded(error):
    """'Code: message' of an OData error, with its details (where Azure puts the real cause)."""
    text = ': '.join(part for part in (getattr(error, 'code', None), _first_line(getattr(error, 'message', None))) if part)
    details = [_coded(detail) for detail in getattr(error, 'details', None) or []]
    if details:
        text += ' (details: %s)' % '; '.join(details)
    return text


def attempts_text(exc):
    """'after 6 attempts in 12 s' for an error retries gave up on, '' otherwise."""
    attempts = getattr(exc, 'attempts', None)
    if not attempts:
        return ''
    text = 'after %d attempt%s' % (attempts, '' if attempts == 1 else 's')
    seconds = getattr(exc, 'seconds', None)
    return text if seconds is None else '%s in %d s' % (text, seconds)


def describe(exc, action=None, status_url=None):
    """'action: HTTP 409 (Code) message [request id ...]' for any SDK error.

    An error with a 2xx status is a long-running operation that ended Failed or
    Canceled (its status monitor answered 200): what Azure said about the
    operation is reported, with the operation's status URL.
    """
    status = getattr(exc, 'status_code', None)
    error = getattr(exc, 'error', None)
    if status and status < 400:
        text = 'the operation failed in Azure: %s' % (_coded(error) or _first_line(getattr(exc, 'message', None)) or 'no details')
    else:
        parts = ['HTTP %s' % status] if status else []
        if error_code(exc):
            parts.append('(%s)' % error_code(exc))
        message = _first_line(getattr(error, 'message', None) or getattr(exc, 'message', None) or str(exc))
        parts.append(message or type(exc).__name__)
        text = ' '.join(parts)
    headers = getattr(getattr(exc, 'response', None), 'headers', None) or {}
    request_id = headers.get('x-ms-request-id') or headers.get('x-ms-correlation-request-id')
    references = (['operation %s' % status_url] if status_url and status and status < 400 else []) + \
        (['request id %s' % request_id] if request_id else [])
    if references:
        text += ' [%s]' % '; '.join(references)
    if attempts_text(exc):
        text += ' (%s)' % attempts_text(exc)
    if status == THROTTLED:
        text += "; Azure is throttling this subscription's requests: raise the task's timeout or spread the load"
    return '%s: %s' % (action, text) if action else text


def unreachable(exc):
    """Why an endpoint could not be reached at all ('connection refused', ...), or None when it answered."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError):
            return 'connection refused'
        if isinstance(current, socket.gaierror):
            return 'the host name does not resolve (%s)' % current.strerror
        if isinstance(current, ssl.SSLCertVerificationError):
            return 'its TLS certificate is not trusted (%s); set REQUESTS_CA_BUNDLE or cert_validation_mode' \
                % current.verify_message
        if isinstance(current, (socket.timeout, TimeoutError)):
            return 'no answer (timed out)'
        linked = [getattr(current, 'inner_exception', None), current.__cause__, current.__context__,
                  getattr(current, 'reason', None)] + list(getattr(current, 'args', ()))
        pending.extend(link for link in linked if isinstance(link, BaseException))
    return None
