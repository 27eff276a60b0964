#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: redis_geo_failover
short_description: Fail an Azure Cache for Redis over to its geo-secondary by removing the link, after judging the pair
version_added: 0.1.0
description:
  - Promotes the geo-secondary of a Premium passive geo-replication pair to a standalone, writable cache. Azure has no
    failover action for this kind of link (api-version 2024-11-01 of C(Microsoft.Cache) offers only GET, PUT and
    DELETE on C(linkedServers)); its documented way is to remove the link on the primary, which stops replication and
    leaves both caches standalone with their data. The applications must then be pointed at the promoted cache.
  - Pre-checks, read before any write and returned as RV(checks) (procedure_report checks), refuse the failover when
    any fails - the named secondary is not the primary's linked secondary, the link is not V(Succeeded) (Azure
    answers 409 while it is being created), or Azure Monitor's geo-replication metrics over O(metrics_period) say the
    pair is not in sync (C(GeoReplicationHealthy) below 1 or without data, C(GeoReplicationConnectivityLag) above
    O(max_connectivity_lag_seconds), C(GeoReplicationDataSyncOffset) above O(max_data_sync_offset_bytes)).
  - Removing the link is one DELETE on the primary's link; with O(wait) the module waits for it, reads both caches
    again and fails unless the secondary is Succeeded and lists no link. RV(roles_before), RV(roles_after) and
    RV(seconds) tell what happened.
  - When neither cache has any link (the failover already happened) nothing is written and the result is not changed.
options:
  name:
    description: Name of the current geo-primary cache.
    type: str
    required: true
  resource_group:
    description: Resource group of the primary cache.
    type: str
    required: true
  linked_cache_name:
    description: Name of the geo-secondary cache, the one promoted.
    type: str
    required: true
  linked_cache_resource_group:
    description: Resource group of the secondary cache. Defaults to O(resource_group).
    type: str
  max_connectivity_lag_seconds:
    description: Highest C(GeoReplicationConnectivityLag) (seconds since the last sync) accepted over O(metrics_period).
    type: float
    required: true
  max_data_sync_offset_bytes:
    description: Highest C(GeoReplicationDataSyncOffset) (bytes not yet on the secondary) accepted over O(metrics_period).
    type: int
    required: true
  metrics_period:
    description: How far back the geo-replication metrics are read, an ISO 8601 duration.
    type: str
    default: PT15M
  metrics_interval:
    description: Time grain of the metric points read, an ISO 8601 duration.
    type: str
    default: PT1M
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Check mode reads the caches and the metrics, returns the pre-checks and the roles the failover would leave, and
        writes nothing.
  diff_mode:
    support: full
    details:
      - The diff shows each cache's role before and after.
  platform:
    platforms: azure
notes:
  - The default O(timeout) is 1800 seconds.
  - Azure Monitor emits C(GeoReplicationHealthy) and C(GeoReplicationConnectivityLag) from the geo-secondary and
    C(GeoReplicationDataSyncOffset) from the geo-primary (Microsoft Learn, "Supported metrics for
    Microsoft.Cache/redis"); the module reads each from its cache.
  - A failed unlink leaves the link in place (Azure marks it V(Failed)); the primary keeps serving. The module fails
    with Azure's error and RV(roles_after) read again.
requirements:
  - azure-mgmt-redis >= 14.5, < 15
  - azure-mgmt-monitor >= 7, < 8
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Fail production Redis over to the DR region (approved change)
  phonebill.platform.redis_geo_failover:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
    linked_cache_name: redis-phonebill-dr
    linked_cache_resource_group: rg-phonebill-prod-dr
    max_connectivity_lag_seconds: 60
    max_data_sync_offset_bytes: 1048576
  register: failover

- name: Pre-checks only, the failover predicted
  phonebill.platform.redis_geo_failover:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
    linked_cache_name: redis-phonebill-dr
    linked_cache_resource_group: rg-phonebill-prod-dr
    max_connectivity_lag_seconds: 60
    max_data_sync_offset_bytes: 1048576
  check_mode: true
  register: prechecks
'''

RETURN = r'''
checks:
  description: The pre-checks, judged (procedure_report checks with C(name), C(category), C(measured), C(unit), C(detail), C(status)).
  returned: always
  type: list
  elements: dict
  sample: [{name: Geo-replication connectivity lag, category: pre-check, measured: 4.0, unit: s, status: PASS,
            detail: 'highest over PT15M; at most 60 s since the last sync'}]
roles_before:
  description: Each cache's geo-replication role before the run (V(Primary), V(Secondary) or V(standalone)).
  returned: always
  type: dict
  sample: {redis-phonebill-prod: Primary, redis-phonebill-dr: Secondary}
roles_after:
  description: Each cache's role after the run, read again (in check mode, predicted).
  returned: always
  type: dict
  sample: {redis-phonebill-prod: standalone, redis-phonebill-dr: standalone}
seconds:
  description: Seconds from the unlink request until the secondary was read back standalone; null when nothing was written.
  returned: always
  type: float
  sample: 184.2
promoted_host_name:
  description: Host name of the promoted cache, for the applications.
  returned: always
  type: str
  sample: redis-phonebill-dr.redis.cache.windows.net
status_url:
  description: Where the status of an unlink not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and the unlink was started
  type: str
'''

import time

from ansible_collections.phonebill.platform.plugins.module_utils import errors, monitor_data, redis_failover, sdk, waiter
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


class Pair:
    """The two caches and their links, read (again) from Azure."""

    def __init__(self, module):
        self.module = module
        params = module.params
        self.redis = module.client('redis')
        self.names = (params['name'], params['linked_cache_name'])
        self.groups = (params['resource_group'], params['linked_cache_resource_group'] or params['resource_group'])
        self.caches, self.links = (None, None), ([], [])

    def read(self):
        self.caches = tuple(to_rest(self.module.get_or_none('read Redis cache %s' % name, self.redis.redis.get, group, name))
                            for group, name in zip(self.groups, self.names))
        self.links = tuple(
            self.module.call('list the geo-replication links of %s' % name,
                             lambda group=group, name=name: [to_rest(item) for item in self.redis.linked_server.list(group, name)])
            if cache else [] for group, name, cache in zip(self.groups, self.names, self.caches))
        return self

    @property
    def roles(self):
        return dict((name, redis_failover.role_of(links)) for name, links in zip(self.names, self.links))

    def metrics(self, params):
        """{metric: summary} of the geo-replication metrics, each read from the cache that emits it."""
        found = {}
        for cache, names in ((self.caches[1], [redis_failover.HEALTHY, redis_failover.LAG]),
                             (self.caches[0], [redis_failover.OFFSET])):
            _answer, metrics = monitor_data.read_metrics(
                self.module, cache['id'], names, params['metrics_period'], params['metrics_interval'], ['Minimum', 'Maximum'])
            found.update((item['name'], item['summary']) for item in metrics)
        return found


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    found = (name_problems('name', params['name'], 'redis_cache')
             + name_problems('resource_group', params['resource_group'], 'resource_group')
             + name_problems('linked_cache_name', params['linked_cache_name'], 'redis_cache')
             + name_problems('linked_cache_resource_group', params['linked_cache_resource_group'], 'resource_group')
             + monitor_data.duration_problems('metrics_period', params['metrics_period'])
             + monitor_data.duration_problems('metrics_interval', params['metrics_interval']))
    group = (params['linked_cache_resource_group'] or params['resource_group']).lower()
    if group == params['resource_group'].lower() and params['linked_cache_name'].lower() == params['name'].lower():
        found.append('linked_cache_name: %s is the primary itself; name its geo-secondary' % params['name'])
    for option in ('max_connectivity_lag_seconds', 'max_data_sync_offset_bytes'):
        if params[option] is not None and params[option] < 0:
            found.append('%s: %s is negative; give the highest value accepted (0 or more)' % (option, params[option]))
    return found


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            linked_cache_name=dict(type='str', required=True),
            linked_cache_resource_group=dict(type='str'),
            max_connectivity_lag_seconds=dict(type='float', required=True),
            max_data_sync_offset_bytes=dict(type='int', required=True),
            metrics_period=dict(type='str', default='PT15M'),
            metrics_interval=dict(type='str', default='PT1M'),
        ),
        long_running=True,
        default_timeout=1800,
    )
    params = module.params
    module.fail_on(validate(params))
    primary, secondary = module.params['name'], module.params['linked_cache_name']
    pair = Pair(module).read()
    module.fail_on(['%s: Redis cache %s does not exist in %s; name an existing cache' % (option, name, group)
                    for option, name, group, cache in zip(('name', 'linked_cache_name'), pair.names, pair.groups, pair.caches)
                    if cache is None])
    module.fail_on(redis_failover.pair_problems(primary, secondary, *pair.links))
    before = pair.roles
    result = dict(changed=False, roles_before=before, roles_after=before, seconds=None, checks=[],
                  promoted_host_name=(pair.caches[1].get('properties') or {}).get('hostName'))
    if not pair.links[0] and not pair.links[1]:
        module.warn('%s and %s are not geo-replicated: nothing to fail over (%s is standalone already)' % (primary, secondary, secondary))
        module.exit(**result)
    checks = [redis_failover.link_check(primary, secondary, pair.links[0])]
    checks += redis_failover.health_checks(pair.metrics(params), params['max_connectivity_lag_seconds'],
                                           params['max_data_sync_offset_bytes'], params['metrics_period'])
    result['checks'] = checks
    refused = redis_failover.refusals(checks)
    if refused:
        module.fail('the failover of %s to %s is refused, nothing was written: %s' % (primary, secondary, '; '.join(refused)),
                    **result)
    after = dict((name, redis_failover.STANDALONE) for name in pair.names)
    result.update(changed=True, roles_after=after)
    if module.diff_mode:
        result['diff'] = dict(before=before, after=after)
    if module.check_mode:
        module.exit(**result)
    started = time.monotonic()
    action = 'remove the geo-replication link of %s to %s' % (primary, secondary)
    poller = module.call(action, module.client('redis').linked_server.begin_delete, pair.groups[0], primary, secondary)
    if not params['wait']:
        result.update(status_url=waiter.status_url(poller), roles_after=before)
        module.exit(**result)
    try:
        waiter.wait_for_poller(poller, module.timeout, action)
    except (waiter.OperationTimeout, module.require(sdk.CORE_EXCEPTIONS).AzureError) as exc:
        failure = str(exc) if isinstance(exc, waiter.OperationTimeout) else errors.describe(exc, action, waiter.status_url(poller))
        result.update(roles_after=pair.read().roles, seconds=round(time.monotonic() - started, 3))
        module.fail('%s; roles now: %s' % (failure, ', '.join('%s %s' % item for item in sorted(result['roles_after'].items()))),
                    **result)
    result.update(roles_after=pair.read().roles, seconds=round(time.monotonic() - started, 3))
    module.fail_on(redis_failover.promotion_problems(secondary, pair.caches[1], pair.links[1]), **result)
    module.exit(**result)


if __name__ == '__main__':
    main()
