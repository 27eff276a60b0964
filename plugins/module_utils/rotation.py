# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rotation of Key Vault secrets and certificates: what is due, the journal, which version consumers read.

Pure functions over Key Vault attributes and tags (no client here), so the plan module, the journal
module, k8s_secret_from_key_vault and the unit tests share one rule each. The journal lives in the tags
of the version a rotation writes (see docs/rotation.md):

    pending   written to Key Vault, not yet valid where it is used: no consumer may read it
    applied   valid where it is used (role password set, key in use): consumers may read it
    committed consumers hold it and are healthy: the old credential may stop working
    rolled-back  abandoned (disabled); the version before it is the one in use again
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import secrets
from datetime import timedelta

from ansible_collections.phonebill.platform.plugins.module_utils.validation import described, integer_problems, name_problems

STATE, ID, AT, BY, KIND, REASON = 'rotation-state', 'rotation-id', 'rotated-at', 'rotated-by', 'rotation-kind', 'rotation-reason'
JOURNAL_TAGS = (STATE, ID, AT, BY, KIND, REASON)
PENDING, APPLIED, COMMITTED, ROLLED_BACK = 'pending', 'applied', 'committed', 'rolled-back'
STATES = (PENDING, APPLIED, COMMITTED, ROLLED_BACK)
#: states of a rotation that a run stopped in the middle of
IN_FLIGHT = (PENDING, APPLIED)
#: versions no consumer may read: not valid where used yet, or abandoned
UNREADABLE = (PENDING, ROLLED_BACK)

# The kinds of rotator, one per kind of secret (roles/rotation/tasks/<kind>.yml).
KINDS = ('generated', 'postgresql_app', 'postgresql_admin', 'redis', 'jwt', 'certificate')
# SPEC §8: secrets every 90 days, certificates every 365 days.
DEFAULT_PERIOD_DAYS = {'secret': 90, 'certificate': 365}
# Rotate this long before an expiry that comes before the period ends.
DEFAULT_EXPIRY_MARGIN_DAYS = 14

# A selector of k8s_secret_from_key_vault keys: <secret>[#previous][#tag:<tag>[=<default>]].
SELECTOR = re.compile(r'^(?P<secret>[0-9A-Za-z-]{1,127})(?P<previous>#previous)?'
                      r'(?:#tag:(?P<tag>[^#=\s]{1,512})(?:=(?P<default>[^#\s]{0,256}))?)?$')


def new_rotation_id(now):
    """A rotation id: when it started and 32 random bits, e.g. 20261202T103000Z-9f3a1c2e."""
    return '%s-%s' % (now.strftime('%Y%m%dT%H%M%SZ'), secrets.token_hex(4))


def state_of(version):
    """The journal state of a version ({tags, ...}); a version no rotation wrote counts as committed."""
    return (version.get('tags') or {}).get(STATE) or COMMITTED


def newest_first(versions):
    """Versions by creation, newest first; of two made in the same second (Key Vault keeps seconds), the one listed last."""
    order = sorted(enumerate(versions), key=lambda pair: (pair[1]['created'], pair[0]), reverse=True)
    return [version for _ignored, version in order]


def readable(versions):
    """The versions consumers may read, newest first: enabled, neither pending nor rolled back."""
    return [v for v in newest_first(versions) if v.get('enabled', True) and state_of(v) not in UNREADABLE]


def consumed(versions):
    """The version consumers read (the newest readable one), or None."""
    found = readable(versions)
    return found[0] if found else None


def previous(versions):
    """The readable version before the consumed one (a JWT key still verifying), else the consumed one."""
    found = readable(versions)
    return found[1] if len(found) > 1 else (found[0] if found else None)


def in_flight(versions):
    """The newest version of a rotation a run left pending or applied, or None.

    Only the newest version counts: an older one in flight was superseded, which a rotation never does
    (it finishes or rolls back the one in flight first), so it is reported by `journal_problems`.
    """
    ordered = newest_first(versions)
    if ordered and state_of(ordered[0]) in IN_FLIGHT and ordered[0].get('enabled', True):
        return ordered[0]
    return None


def journal_problems(name, versions):
    """Versions left in flight under a newer version: a journal no rotation writes ('name: what; the fix')."""
    ordered = newest_first(versions)
    return ['%s: version %s is %s under a newer version; roll it back (disable it) by hand after checking which '
            'value is in use' % (name, v['version'], state_of(v))
            for v in ordered[1:] if state_of(v) in IN_FLIGHT and v.get('enabled', True)]


def selector_parts(selector):
    """(secret name, previous?, tag or None, default or None) of a Secret key's source, None when not a selector.

    The default stands for the tag on a version that does not carry it (one written before rotation tagged
    versions: the first PostgreSQL login of a two-role scheme).
    """
    found = SELECTOR.match(selector) if isinstance(selector, str) else None
    if not found:
        return None
    return found.group('secret'), bool(found.group('previous')), found.group('tag'), found.group('default')


def entry_problems(path, entry):
    """An inventory entry's name, kind, period_days and manual (the plan reads these; the rotators the rest)."""
    if not isinstance(entry, dict):
        return ['%s must be a mapping with name and kind, not %s' % (path, described(entry))]
    found = (name_problems(path + '.name', entry['name'], 'key_vault_object', 'Key Vault name') if entry.get('name')
             else ['%s.name: required; give the Key Vault secret or certificate name' % path])
    if entry.get('kind') not in KINDS:
        found.append('%s.kind: %r is not a rotator; give one of %s' % (path, entry.get('kind'), ', '.join(KINDS)))
    if entry.get('period_days') is not None:
        found += integer_problems(path + '.period_days', entry['period_days'], 1, 3650, ' days')
    if not isinstance(entry.get('manual', False), bool):
        found.append('%s.manual: %r is not true or false' % (path, entry.get('manual')))
    return found


def period_of(entry, kind_of_object, defaults):
    """Days between rotations: the secret's own `period_days`, else the inventory default of its kind."""
    own = entry.get('period_days')
    if own is not None:
        return own
    return defaults.get('%s_period_days' % kind_of_object, DEFAULT_PERIOD_DAYS[kind_of_object])


def due(now, current, entry, defaults, on_demand=False):
    """Whether the secret or certificate of `entry` is due, why, and when it is next due.

    current: the consumed version's attributes {created, updated, expires, tags} (datetimes, UTC), None when
    there is none. entry: the inventory policy of this object {name, kind, period_days, manual}.
    Returns {due, reason, next_due, last_rotated}; next_due is None when nothing schedules it.
    """
    kind_of_object = 'certificate' if entry.get('kind') == 'certificate' else 'secret'
    period = period_of(entry, kind_of_object, defaults)
    margin = timedelta(days=defaults.get('expiry_margin_days', DEFAULT_EXPIRY_MARGIN_DAYS))
    if current is None:
        return dict(due=False, reason='does not exist; the keyvault role creates it, rotation only renews',
                    next_due=None, last_rotated=None)
    last = current['created']
    next_due = last + timedelta(days=period)
    reason = 'last rotated %s, every %d days' % (last.strftime('%Y-%m-%d'), period)
    expires = current.get('expires')
    if expires is not None and expires - margin < next_due:
        next_due = expires - margin
        reason = 'expires %s (rotated %d days before expiry)' % (expires.strftime('%Y-%m-%d'), margin.days)
    if on_demand:
        return dict(due=True, reason='on demand (%s)' % reason, next_due=next_due, last_rotated=last)
    if entry.get('manual'):
        return dict(due=False, reason='manual: rotated on demand only (%s)' % reason, next_due=next_due, last_rotated=last)
    if now >= next_due:
        return dict(due=True, reason='due since %s: %s' % (next_due.strftime('%Y-%m-%d'), reason),
                    next_due=next_due, last_rotated=last)
    return dict(due=False, reason='not due until %s: %s' % (next_due.strftime('%Y-%m-%d'), reason),
                next_due=next_due, last_rotated=last)


def plan_item(now, entry, versions, defaults, only=None):
    """The plan of one inventory entry: due, resume an interrupted rotation, or skip (with the reason).

    versions: the object's versions [{version, created, updated, expires, enabled, tags}].
    only: the one secret asked for on demand (None: the daily run, by policy).
    """
    name = entry['name']
    item = dict(name=name, kind=entry['kind'], action='skip', reason=None, next_due=None, last_rotated=None,
                rotation_id=None, state=None, version=None, previous_version=None, tags={})
    if only is not None and only != name:
        item['reason'] = 'not asked for (rotating only %s)' % only
        return item
    problems = journal_problems(name, versions)
    if problems:
        item.update(action='blocked', reason='; '.join(problems))
        return item
    stopped = in_flight(versions)
    if stopped is not None:
        tags = stopped.get('tags') or {}
        before = consumed([v for v in versions if v is not stopped])
        item.update(action='resume', previous_version=before['version'] if before else None, rotation_id=tags.get(ID),
                    state=state_of(stopped), version=stopped['version'], tags=tags,
                    reason='rotation %s stopped at %s; the run finishes or rolls it back' % (tags.get(ID), state_of(stopped)))
        return item
    current = consumed(versions)
    verdict = due(now, current, entry, defaults, on_demand=only == name)
    item.update(action='rotate' if verdict['due'] else 'skip', reason=verdict['reason'],
                next_due=verdict['next_due'], last_rotated=verdict['last_rotated'],
                version=current['version'] if current else None, previous_version=current['version'] if current else None,
                tags=dict(current['tags']) if current else {})
    if verdict['due']:
        item['rotation_id'] = new_rotation_id(now)
    return item


def version_tags(base, state, rotation_id, now, by, kind, reason):
    """The tags of a rotation's version: the secret's own tags (spec-name, ...) and the journal."""
    tags = dict((k, v) for k, v in (base or {}).items() if k not in JOURNAL_TAGS)
    tags.update({STATE: state, ID: rotation_id, AT: now.strftime('%Y-%m-%dT%H:%M:%SZ'), BY: by, KIND: kind,
                 REASON: reason[:256]})
    return tags


def advance_problems(name, version, to_state, rotation_id):
    """Why version cannot move to to_state in rotation rotation_id (the journal only moves forward)."""
    tags = version.get('tags') or {}
    if tags.get(ID) != rotation_id:
        return ['rotation_id: %s is not the rotation of version %s of %s (%s); give the id the start step returned'
                % (rotation_id, version['version'], name, tags.get(ID))]
    order = {PENDING: 0, APPLIED: 1, COMMITTED: 2}
    state = state_of(version)
    if state == ROLLED_BACK:
        return ['rotation_id: rotation %s of %s was rolled back; start a new rotation' % (rotation_id, name)]
    if to_state in order and order[to_state] < order[state]:
        return ['state: rotation %s of %s is %s already; it cannot go back to %s (roll it back instead)'
                % (rotation_id, name, state, to_state)]
    return []
