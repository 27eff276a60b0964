# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a Redis geo-failover needs judged, as pure functions (SPEC §10, docs/maintenance.md).

Azure Cache for Redis Premium has no failover action for passive geo-replication (api-version 2024-11-01 of
Microsoft.Cache offers GET/PUT/DELETE on linkedServers only): the failover is removing the link, after which the
secondary is a standalone, writable cache. Before that write the pair must be healthy: the link Succeeded with the
named cache as its secondary, and Azure Monitor's geo-replication metrics (Microsoft Learn, "Supported metrics for
Microsoft.Cache/redis") saying the secondary is in sync. Each check is a `procedure_report` check judged here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

#: Geo-replication Healthy (1 healthy, 0 not), emitted by the geo-secondary of a Premium cache
HEALTHY = 'GeoReplicationHealthy'
#: Geo-replication Connectivity Lag (seconds since the last successful sync), emitted by the geo-secondary
LAG = 'GeoReplicationConnectivityLag'
#: Geo-replication Data Sync Offset (bytes not yet synced to the secondary), emitted by the geo-primary
OFFSET = 'GeoReplicationDataSyncOffset'
#: the aggregation that shows the worst point of each metric over the period
WORST = {HEALTHY: 'minimum', LAG: 'maximum', OFFSET: 'maximum'}
STANDALONE = 'standalone'
CATEGORY = 'pre-check'


def check(name, status, measured, detail, unit=None, category=CATEGORY):
    """A procedure_report check judged here (status rule)."""
    return dict(name=name, category=category, measured=measured, unit=unit, detail=detail, status=status)


def ends_with_name(resource_id, name):
    return str(resource_id or '').rstrip('/').rsplit('/', 1)[-1].lower() == str(name).lower()


def link_to(links, name):
    """The link (REST form) among `links` whose linked cache is `name`, or None."""
    return next((link for link in links or [] if ends_with_name((link.get('properties') or {}).get('linkedRedisCacheId'), name)), None)


def role_of(links):
    """A cache's geo-replication role from its own links: 'Primary' when it replicates to a secondary, 'Secondary'
    when a primary replicates to it (Azure's link on each side names the OTHER cache's role), else standalone."""
    roles = set(str((link.get('properties') or {}).get('serverRole')).lower() for link in links or [])
    if 'secondary' in roles:
        return 'Primary'
    if 'primary' in roles:
        return 'Secondary'
    return STANDALONE


def pair_problems(primary, secondary, primary_links, secondary_links):
    """Why the named pair cannot be failed over: the named cache is not the primary's linked secondary.

    `primary`/`secondary` are the cache names; the links are each cache's linkedServers (REST form). An empty list
    when the link exists as a primary -> secondary link, or when neither cache has any link (nothing to do).
    """
    link = link_to(primary_links, secondary)
    if link is None:
        if not primary_links and not secondary_links:
            return []
        if link_to(secondary_links, primary) is not None:
            return ['name: %s is the geo-secondary of %s, not its primary; name the current primary in name and the '
                    'secondary in linked_cache_name' % (primary, secondary)]
        others = [str((item.get('properties') or {}).get('linkedRedisCacheId', '')).rsplit('/', 1)[-1]
                  for item in list(primary_links or []) + list(secondary_links or [])]
        return ['linked_cache_name: %s is not linked to %s (links found: %s); name the primary\'s linked secondary'
                % (secondary, primary, ', '.join(sorted(set(others))))]
    role = str((link.get('properties') or {}).get('serverRole'))
    if role.lower() == 'primary':
        return ['name: %s is the geo-secondary of %s, not its primary; name the current primary in name and the '
                'secondary in linked_cache_name' % (primary, secondary)]
    if role.lower() != 'secondary':
        return ['name: the link of %s to %s has the role %s; name the current primary in name and the secondary in '
                'linked_cache_name' % (primary, secondary, role)]
    return []


def link_check(primary, secondary, primary_links):
    """The link's own state: Succeeded (Azure refuses to remove a link while it is being created: 409)."""
    link = link_to(primary_links, secondary)
    properties = (link or {}).get('properties') or {}
    state = properties.get('provisioningState') if link else 'absent'
    detail = ('%s replicates to %s in %s' % (primary, secondary, properties.get('linkedRedisCacheLocation'))
              if link else 'no geo-replication link from %s to %s' % (primary, secondary))
    if link and str(state).lower() != 'succeeded':
        detail += '; a link that is not Succeeded cannot be removed (Azure answers 409): wait for it or repair it'
    return check('Geo-replication link %s -> %s' % (primary, secondary),
                 'PASS' if str(state).lower() == 'succeeded' else 'FAIL', state, detail)


def worst(summaries, metric):
    """(worst value over the period, points with a value) of a metric summary (monitor_data.summary), by name."""
    found = (summaries or {}).get(metric) or {}
    slot = found.get(WORST[metric]) or {}
    key = 'lowest' if WORST[metric] == 'minimum' else 'highest'
    return slot.get(key), slot.get('points', 0)


def health_checks(summaries, max_lag_seconds, max_offset_bytes, period):
    """The replication health over `period`, from the metric summaries {metric name: monitor_data.summary(...)}.

    No data is a FAIL for the health and the lag (Azure emits them every minute while the link exists: silence is a
    broken link or a wrong cache), a WARN for the offset (emitted only while there is data to sync).
    """
    healthy, points = worst(summaries, HEALTHY)
    if not points:
        found = [check('Geo-replication healthy', 'FAIL', None,
                       'no %s data over %s from the secondary; the link health is unknown' % (HEALTHY, period))]
    else:
        found = [check('Geo-replication healthy', 'PASS' if healthy >= 1 else 'FAIL', healthy,
                       'lowest %s over %s (1 healthy, 0 disconnected)' % (HEALTHY, period))]
    lag, points = worst(summaries, LAG)
    if not points:
        found.append(check('Geo-replication connectivity lag', 'FAIL', None,
                           'no %s data over %s from the secondary' % (LAG, period), unit='s'))
    else:
        found.append(check('Geo-replication connectivity lag', 'PASS' if lag <= max_lag_seconds else 'FAIL', lag,
                           'highest over %s; at most %s s since the last sync' % (period, max_lag_seconds), unit='s'))
    offset, points = worst(summaries, OFFSET)
    if not points:
        found.append(check('Geo-replication data sync offset', 'WARN', None,
                           'no %s data over %s from the primary (emitted while data is waiting to sync)' % (OFFSET, period),
                           unit='bytes'))
    else:
        found.append(check('Geo-replication data sync offset', 'PASS' if offset <= max_offset_bytes else 'FAIL', offset,
                           'highest over %s; at most %s bytes not yet on the secondary' % (period, max_offset_bytes),
                           unit='bytes'))
    return found


def refusals(checks):
    """The FAIL checks as one line each: why the failover does not start."""
    return ['%s: %s (%s)' % (item['name'], item['measured'], item['detail']) for item in checks if item['status'] == 'FAIL']


def promotion_problems(secondary, cache, links):
    """Why the secondary is not a standalone, usable cache after the unlink (its cache and links as read again)."""
    found = []
    state = ((cache or {}).get('properties') or {}).get('provisioningState')
    if str(state).lower() != 'succeeded':
        found.append('%s is %s after the unlink, not Succeeded' % (secondary, state))
    if links:
        found.append('%s still lists geo-replication links (%s) after the unlink'
                     % (secondary, ', '.join(link.get('name', '?') for link in links)))
    return found
