# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monthly capacity plan (SPEC §10) from what ARM reports, without metrics.

Headroom is what is left before a hard ceiling: the autoscaler's maximum for a
node pool, the provisioned storage of PostgreSQL, the shards of Redis. The
plan projects the node count with the growth the inventory expects (SPEC §1:
phase 2 is 10x today's users) so the report says whether the ceilings hold.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def _props(document):
    return document.get('properties', document) if isinstance(document, dict) else {}


def pool_checks(pools, growth_percent, warn_headroom_percent, fail_headroom_percent):
    """Per node pool: headroom (percent of maxCount not used) after the expected growth of the node count."""
    checks = []
    for pool in pools or []:
        props = _props(pool)
        count, ceiling = props.get('count'), props.get('maxCount') if props.get('enableAutoScaling') else props.get('count')
        if not count or not ceiling:
            checks.append(dict(name='node pool %s capacity plan' % pool.get('name'), category='capacity', status='WARN',
                               measured=None, detail='no node count or autoscaler maximum reported'))
            continue
        projected = count * (100 + growth_percent) / 100.0
        headroom = round(100.0 * (ceiling - projected) / ceiling, 1)
        checks.append(dict(name='node pool %s capacity plan' % pool.get('name'), category='capacity',
                           measured=headroom, unit='% headroom', warn_min=warn_headroom_percent, min=fail_headroom_percent,
                           detail='%d nodes now, %.1f projected with %d%% growth, autoscaler maximum %d (%s)'
                           % (count, projected, growth_percent, ceiling, props.get('vmSize'))))
    return checks


def postgresql_checks(server, planned_storage_gb):
    """Provisioned storage vs the plan; storage auto-grow on is the headroom PostgreSQL gives itself."""
    props = _props(server)
    storage = props.get('storage') or {}
    size = storage.get('storageSizeGB')
    return [dict(name='postgresql provisioned storage', category='capacity', measured=size, unit='GB',
                 min=planned_storage_gb, detail='%s, auto-grow %s, %s tier %s; used space needs the metrics review'
                 % (server.get('name'), storage.get('autoGrow', 'Disabled'), (server.get('sku') or {}).get('name'),
                    storage.get('tier')))]


def redis_checks(cache, planned_shards, planned_capacity):
    """Shards and SKU capacity vs the plan (memory used needs the metrics review)."""
    props = _props(cache)
    sku = props.get('sku') or cache.get('sku') or {}
    return [dict(name='redis shards', category='capacity', measured=props.get('shardCount', 1), unit='shards',
                 min=planned_shards, detail='%s %s%s' % (cache.get('name'), sku.get('family'), sku.get('capacity'))),
            dict(name='redis sku capacity', category='capacity', measured=sku.get('capacity'), unit='size',
                 min=planned_capacity, detail='%s %s (Premium P%s)' % (cache.get('name'), sku.get('name'), planned_capacity))]
