# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore points of a PostgreSQL flexible server, and the moment a point-in-time restore may take.

Azure keeps a server restorable from ``properties.backup.earliestRestoreDate`` on; the newest completed backup
(``flexibleServers/backups``, automatic or on demand) is the newest point a restore is known to reach. A restore
to a moment before the earliest point, or in the future, is refused by Azure (400) after the request: these checks
refuse it first, naming the range.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.phonebill.platform.plugins.module_utils.validation import same_location

UTC = datetime.timezone.utc
LATEST = 'latest'
# Azure writes up to 7 fractional digits (2021-05-27T00:28:17.7279547+00:00); Python reads at most 6
_FRACTION = re.compile(r'(\.\d{6})\d+')


def parse_time(text):
    """An aware UTC datetime from Azure's or an operator's ISO 8601 text (None when it is not one)."""
    if isinstance(text, datetime.datetime):
        return text.astimezone(UTC) if text.tzinfo else text.replace(tzinfo=UTC)
    if not isinstance(text, str) or not text.strip():
        return None
    cleaned = _FRACTION.sub(r'\1', text.strip().replace('Z', '+00:00'))
    try:
        moment = datetime.datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment):
    """The UTC ISO 8601 text Azure takes (seconds, Z)."""
    return moment.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ') if moment else None


def restore_points(source, backups):
    """{'earliest', 'latest'} restore points (datetimes or None) of a server (REST form) and its backups list."""
    backup = ((source or {}).get('properties') or {}).get('backup') or {}
    completed = [parse_time((item.get('properties') or {}).get('completedTime')) for item in backups or []]
    completed = [moment for moment in completed if moment]
    return {'earliest': parse_time(backup.get('earliestRestoreDate')), 'latest': max(completed) if completed else None}


def requested_problems(path, requested):
    """A stated moment must be LATEST or ISO 8601 text (known before any call)."""
    if requested == LATEST or parse_time(requested) is not None:
        return []
    return ['%s: %r is not an ISO 8601 time; give e.g. 2026-11-30T17:00:00Z or %s' % (path, requested, LATEST)]


def point_problems(path, requested, points, now):
    """(the moment to restore to, problems) for `requested` (LATEST or ISO 8601 text) against the restore points."""
    if requested_problems(path, requested):
        return None, requested_problems(path, requested)
    if requested == LATEST and points['latest'] is None:
        return None, ['%s: the source server has no completed backup yet, so there is no latest restore point; '
                      'wait for its first backup or give a moment after %s' % (path, iso(points['earliest']))]
    moment = points['latest'] if requested == LATEST else parse_time(requested)
    if points['earliest'] is not None and moment < points['earliest']:
        return None, ['%s: %s is before the earliest restore point %s of the source; give a later moment or %s'
                      % (path, iso(moment), iso(points['earliest']), LATEST)]
    if moment > now:
        return None, ['%s: %s is in the future (now %s); give a past moment or %s' % (path, iso(moment), iso(now), LATEST)]
    return moment, []


def age_minutes(moment, now):
    """How old a restore point is, in minutes (None when there is none)."""
    return None if moment is None else round((now - moment).total_seconds() / 60.0, 2)


def create_mode(location, source_location):
    """Azure restores to a point in time in the source's region only; in another region the restore is a geo-restore."""
    return 'PointInTimeRestore' if location is None or same_location(location, source_location) else 'GeoRestore'


def region_problems(option, location, source):
    """A restore to another region needs the source's geo-redundant backup (Azure refuses the geo-restore otherwise)."""
    geo = str(((source.get('properties') or {}).get('backup') or {}).get('geoRedundantBackup') or '').lower() == 'enabled'
    if create_mode(location, source.get('location')) == 'GeoRestore' and not geo:
        return ['%s: %s is not the region of the source (%s) and the source has no geo-redundant backup, so Azure refuses '
                'the geo-restore; restore in %s, or enable geo-redundant backup on the source (set when it is created)'
                % (option, location, source.get('location'), source.get('location'))]
    return []
