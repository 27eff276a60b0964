# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The maintenance lock's tag value and the decisions on it, as pure functions.

The lock is one tag on the platform resource group, `owner|run id|expires`
(expiry in UTC, ISO 8601). A holder is an (owner, run id) pair; a lock past
its expiry is stale and may be taken over.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

TAG = 'phonebill-maintenance-lock'
SEPARATOR = '|'
EXPIRY = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$')
#: what an owner or a run id may hold: no separator, no line breaks (two of 100 and the expiry fit in a 256-character tag value)
PART = re.compile(r'^[^|\r\n\t]{1,100}$')


class Lock:
    """One holder of the lock: who, which run, until when (an aware UTC datetime)."""

    def __init__(self, owner, run_id, expires):
        self.owner, self.run_id, self.expires = owner, run_id, expires

    @property
    def value(self):
        return SEPARATOR.join((self.owner, self.run_id, self.expires.strftime('%Y-%m-%dT%H:%M:%SZ')))

    def held_by(self, owner, run_id):
        return (self.owner, self.run_id) == (owner, run_id)

    def stale(self, now):
        return self.expires <= now

    def describe(self):
        return '%s (run %s) until %s' % (self.owner, self.run_id, self.value.rsplit(SEPARATOR, 1)[1])

    def as_dict(self):
        return dict(owner=self.owner, run_id=self.run_id, expires=self.value.rsplit(SEPARATOR, 1)[1], value=self.value)


def parse(value):
    """The Lock a tag value holds, or None when the value is not one (a lock nobody can hold)."""
    parts = value.split(SEPARATOR) if isinstance(value, str) else []
    if len(parts) != 3 or not all(PART.match(p) for p in parts[:2]) or not EXPIRY.match(parts[2]):
        return None
    try:
        expires = datetime.datetime.strptime(parts[2], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    return Lock(parts[0], parts[1], expires)


def problems(params):
    """Input problems of the lock module's options."""
    found = []
    for option in ('owner', 'run_id'):
        value = params.get(option)
        if not isinstance(value, str) or not PART.match(value):
            found.append('%s: %r must be 1 to 100 characters without "|", tabs or line breaks; state e.g. %s'
                         % (option, value, 'awx-job-4711' if option == 'run_id' else 'awx@phonebill-ops'))
    ttl = params.get('ttl_minutes')
    if ttl is not None and not 1 <= ttl <= 24 * 60:
        found.append('ttl_minutes: %r is not 1 to 1440 minutes; state how long the run may hold the lock' % (ttl,))
    delay = params.get('verify_delay_seconds')
    if delay is not None and not 0 <= delay <= 300:
        found.append('verify_delay_seconds: %r is not 0 to 300 seconds' % (delay,))
    return found


def take_decision(current_value, owner, run_id, now):
    """('take' | 'hold' | 'refuse', previous Lock or None, why) for `state: present`.

    hold: this run already holds a live lock (nothing to write).
    """
    if current_value is None:
        return 'take', None, None
    current = parse(current_value)
    if current is None:
        return 'take', None, 'the tag %s holds %r, which is no lock (owner|run id|expires UTC); taken over' % (TAG, current_value)
    if current.stale(now):
        why = 'stale maintenance lock of %s taken over (expired %d minutes ago)' % (
            current.describe(), (now - current.expires).total_seconds() // 60)
        return 'take', current, why
    if current.held_by(owner, run_id):
        return 'hold', current, None
    return 'refuse', current, 'held by %s' % current.describe()


def release_decision(current_value, owner, run_id, force):
    """('release' | 'absent' | 'refuse', previous Lock or None) for `state: absent`."""
    if current_value is None:
        return 'absent', None
    current = parse(current_value)
    if force or current is None or current.held_by(owner, run_id):
        return 'release', current
    return 'refuse', current
