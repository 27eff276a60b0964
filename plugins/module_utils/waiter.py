# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one waiting policy for Azure long-running operations.

Every wait is bounded by the module's `timeout`. A wait that runs out fails
with the operation's status URL, and the next run re-attaches to a resource
still in a transitional provisioning state instead of starting it again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

# Every other provisioning state (Updating, UpgradingNodeImageVersion, Migrating, ... and those
# Azure adds later) is an operation in progress: a list of known ones drifts.
TERMINAL_STATES = ('succeeded', 'failed', 'canceled', 'cancelled')
FAILED_STATES = ('failed', 'canceled', 'cancelled')


class OperationTimeout(Exception):
    """The operation did not finish in time; it may still be running in Azure."""

    def __init__(self, description, timeout, status_url=None):
        message = '%s did not finish within %s seconds' % (description, timeout)
        if status_url:
            message += '; it is still running in Azure, status at %s (a later run re-attaches to it)' % status_url
        super(OperationTimeout, self).__init__(message)
        self.status_url = status_url


class OperationFailed(Exception):
    """The operation ended in Failed or Canceled."""


def status_url(poller):
    """The URL Azure reports the operation's status at, when the poller exposes it."""
    method = poller.polling_method()
    operation = getattr(method, '_operation', None)
    if operation is not None:
        try:
            return operation.get_polling_url()
        except Exception:  # pylint: disable=broad-except
            return None
    return None


def wait_for_poller(poller, timeout, description):
    """The poller's result, or OperationTimeout after timeout seconds."""
    poller.wait(timeout=timeout)
    if not poller.done():
        raise OperationTimeout(description, timeout, status_url(poller))
    return poller.result()


def provisioning_state(resource):
    """provisioningState of a REST-form resource, lower-cased ('' when absent)."""
    if not resource:
        return ''
    state = resource.get('provisioningState') or (resource.get('properties') or {}).get('provisioningState') or ''
    return state.lower()


def in_progress(resource):
    """Whether an operation is running on the resource (a provisioning state that is not terminal)."""
    state = provisioning_state(resource)
    return bool(state) and state not in TERMINAL_STATES


def running(label, resource):
    """['<label> is <State>'] when an operation runs on the resource, else []: the lines waits and reports name."""
    if not in_progress(resource):
        return []
    state = resource.get('provisioningState') or resource['properties']['provisioningState']
    return ['%s is %s' % (label, state)]


def wait_until_settled(busy, timeout, description, interval=2.0, clock=time.monotonic, sleep=time.sleep):
    """Poll busy() (what is running, as `running` lines; it reads again) until it is empty.

    Used to re-attach to an operation a previous run, AKS auto-upgrade or
    someone else left running: writing over it would fail with a conflict or
    restart it. A timeout fails naming what is still running.
    """
    deadline = clock() + timeout
    while True:
        still = busy()
        if not still:
            return
        if clock() >= deadline:
            raise OperationTimeout('%s (%s)' % (description, '; '.join(still)), timeout)
        sleep(min(interval, max(deadline - clock(), 0)))
