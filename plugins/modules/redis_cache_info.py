#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: redis_cache_info
short_description: Read Azure Caches for Redis and their patch schedules and geo-replication links
version_added: 0.1.0
description:
  - Returns one cache by name (with its patch schedule and geo-replication links), those of a resource group, or
    those of the subscription, optionally only those carrying the given tags.
  - Never returns access keys; storage connection strings, which Azure does not return either, are removed.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
  - phonebill.platform.azure.info_filters
requirements:
  - azure-mgmt-redis >= 14.5, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the production cache
  phonebill.platform.redis_cache_info:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
  register: found

- name: Host and TLS port the services connect to
  ansible.builtin.debug:
    msg: "{{ found.caches[0].properties.hostName }}:{{ found.caches[0].properties.sslPort }}"
'''

RETURN = r'''
caches:
  description: The caches found, as Azure returns them (empty when the named cache does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/providers/Microsoft.Cache/Redis/redis-phonebill-prod
      name: redis-phonebill-prod
      location: koreacentral
      zones: ["1", "2", "3"]
      properties:
        sku: {name: Premium, family: P, capacity: 2}
        shardCount: 3
        hostName: redis-phonebill-prod.redis.cache.windows.net
        sslPort: 6380
        redisVersion: 6.0.14
patch_schedule:
  description: The patch schedule of the named cache, as Azure returns it; null when it has none.
  returned: when O(name) is given and the cache exists
  type: dict
  sample:
    name: redis-phonebill-prod/default
    properties:
      scheduleEntries: [{dayOfWeek: Saturday, startHourUtc: 17, maintenanceWindow: PT5H}]
linked_servers:
  description: The geo-replication links of the named cache, as Azure returns them.
  returned: when O(name) is given and the cache exists
  type: list
  elements: dict
  sample:
    - name: redis-phonebill-dr
      properties:
        linkedRedisCacheId: /subscriptions/.../resourceGroups/rg-phonebill-dr/providers/Microsoft.Cache/Redis/redis-phonebill-dr
        linkedRedisCacheLocation: koreasouth
        serverRole: Secondary
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info, compare, redis_checks
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest

# What a cache document may carry that is a secret: the keys (in a create answer) and the connection strings.
SECRET_PATHS = ('properties.accessKeys',) + redis_checks.CONNECTION_STRING_PATHS


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    caches = [compare.strip(cache, SECRET_PATHS)
              for cache in arm_info.read(module, 'Redis cache', lambda: module.client('redis').redis)]
    result = dict(changed=False, caches=caches)
    params = module.params
    if params['name'] and caches:
        client = module.client('redis')
        where = (params['resource_group'], params['name'])
        result['patch_schedule'] = to_rest(module.get_or_none('read the patch schedule of Redis cache %s' % params['name'],
                                                              client.patch_schedules.get, *(where + ('default',))))
        result['linked_servers'] = module.call('list the linked servers of Redis cache %s' % params['name'],
                                               lambda: [to_rest(link) for link in client.linked_server.list(*where)])
    module.exit(**result)


if __name__ == '__main__':
    main()
