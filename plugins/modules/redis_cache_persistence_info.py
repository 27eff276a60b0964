#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: redis_cache_persistence_info
short_description: Read the persistence and geo-replication of an Azure Cache for Redis and review them
version_added: 0.1.0
description:
  - Returns which persistence method the cache has on (RDB snapshots or AOF), the RDB interval and snapshot count,
    and its geo-replication links.
  - With O(review), also judges them for the weekly backup status (SPEC §7, §10) and returns RV(checks) for
    C(phonebill.platform.procedure_report) - the persistence method, the RDB interval against the RPO, the
    geo-replication link as the inventory states it.
  - Never returns access keys or storage connection strings.
  - Reads only; never changes anything.
options:
  name:
    description: Name of the cache.
    type: str
    required: true
  resource_group:
    description: Resource group of the cache.
    type: str
    required: true
  review:
    description: What the cache is held to (the inventory's C(phonebill_weekly.backups.redis)); RV(checks) is empty without it.
    type: dict
    suboptions:
      persistence:
        description: The persistence method that must be on.
        type: str
        choices: [RDB, AOF]
        required: true
      rpo_minutes:
        description: FAIL when RDB snapshots are further apart than this (SPEC §10 RPO 1 h = 60).
        type: int
        required: true
      geo_replication_enabled:
        description: Whether the cache must be linked to O(review.geo_replication_name) (false - it must have no link).
        type: bool
        required: true
      geo_replication_name:
        description: Name of the DR cache the link goes to.
        type: str
        required: true
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-redis >= 14.5, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Review the production cache's persistence
  phonebill.platform.redis_cache_persistence_info:
    name: redis-phonebill-prod
    resource_group: rg-phonebill-prod
    review:
      persistence: RDB
      rpo_minutes: 60
      geo_replication_enabled: false
      geo_replication_name: redis-phonebill-dr
  register: redis_persistence
'''

RETURN = r'''
exists:
  description: Whether the cache exists.
  returned: always
  type: bool
persistence:
  description: The persistence settings of the cache's redisConfiguration (connection strings left out).
  returned: always
  type: dict
  sample: {methods: RDB, rdb_backup_enabled: 'true', rdb_backup_frequency: '60', rdb_backup_max_snapshot_count: '1', aof_backup_enabled: 'false'}
linked_servers:
  description: The cache's geo-replication links, as Azure returns them.
  returned: always
  type: list
  elements: dict
checks:
  description:
    - The review's checks in the shape of C(phonebill.platform.procedure_report)'s
      O(phonebill.platform.procedure_report#module:checks); empty without O(review).
  returned: always
  type: list
  elements: dict
'''

from ansible_collections.phonebill.platform.plugins.module_utils import backup_review, redis_checks
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        name=dict(type='str', required=True),
        resource_group=dict(type='str', required=True),
        review=dict(type='dict', options=dict(
            persistence=dict(type='str', choices=['RDB', 'AOF'], required=True),
            rpo_minutes=dict(type='int', required=True),
            geo_replication_enabled=dict(type='bool', required=True),
            geo_replication_name=dict(type='str', required=True),
        )),
    ))
    params = module.params
    module.fail_on(name_problems('resource_group', params['resource_group'], 'resource_group')
                   + (backup_review.redis_threshold_problems(params['review'], 'review') if params['review'] else []))
    client = module.client('redis')
    where = (params['resource_group'], params['name'])
    cache = to_rest(module.get_or_none('read Redis cache %s' % params['name'], client.redis.get, *where))
    if cache is None:
        checks = [dict(name='redis %s persistence' % params['name'], category=backup_review.CATEGORY, status='FAIL',
                       detail='the cache does not exist')] if params['review'] else []
        module.exit(changed=False, exists=False, persistence={}, linked_servers=[], checks=checks)
    links = module.call('list the linked servers of Redis cache %s' % params['name'],
                        lambda: [to_rest(link) for link in client.linked_server.list(*where)])
    configuration = (cache.get('properties') or {}).get('redisConfiguration') or {}
    persistence = dict((option, configuration[key]) for option, key in redis_checks.CONFIGURATION_KEYS.items()
                       if option not in redis_checks.CONNECTION_STRINGS and key in configuration and key.startswith(('rdb-', 'aof-')))
    persistence['methods'] = backup_review.persistence_of(cache)
    checks = backup_review.redis_checks_of(cache, links, params['review']) if params['review'] else []
    module.exit(changed=False, exists=True, persistence=persistence, linked_servers=links, checks=checks)


if __name__ == '__main__':
    main()
