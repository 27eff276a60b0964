#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: redis_cache_probe
short_description: Ask an Azure Cache for Redis itself whether it answers and takes writes (PING, SET, GET, DEL)
version_added: 0.1.0
description:
  - Connects to the cache's data plane with its access key (read from Azure with C(listKeys) inside the module, never
    an option or a return value), sends C(PING), reads its replication role (C(INFO replication)) and, with O(write),
    writes a probe key (C(SET) with a 60-second expiry), reads it back and deletes it.
  - Made for the post-checks of a geo-failover (SPEC §10) - a promoted secondary must answer and take writes, while a
    linked geo-secondary refuses them (C(READONLY)). What the cache answered is returned, not failed on, so a report can
    judge it; the module fails only when Azure cannot be asked for the cache or its keys.
options:
  name:
    description: Name of the cache.
    type: str
    required: true
  resource_group:
    description: Resource group of the cache.
    type: str
    required: true
  login_host:
    description: Host to connect to; the cache's host name (C(properties.hostName)) when not given.
    type: str
  login_port:
    description: Port to connect to; the cache's TLS port (C(properties.sslPort), 6380) when O(tls), else C(properties.port).
    type: int
  tls:
    description: Whether to connect with TLS (Azure serves TLS on 6380; the non-TLS port 6379 is off in production).
    type: bool
    default: true
  ca_cert:
    description: CA bundle to verify the cache's certificate with; the system's when not given.
    type: path
  key:
    description: Which access key to authenticate with.
    type: str
    choices: [primary, secondary]
    default: primary
  write:
    description: Whether to write, read back and delete a probe key. Never in check mode.
    type: bool
    default: true
  connect_timeout:
    description: Seconds to wait for the connection and for each answer.
    type: float
    default: 10
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Check mode sends PING and INFO only; nothing is written.
  diff_mode:
    support: none
  platform:
    platforms: azure
requirements:
  - azure-mgmt-redis >= 14.5, < 15
  - redis >= 5, < 9
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The promoted cache answers and takes writes
  phonebill.platform.redis_cache_probe:
    name: redis-phonebill-dr
    resource_group: rg-phonebill-prod-dr
  register: probe

- name: Writable
  ansible.builtin.assert:
    that: probe.ping and probe.writable
'''

RETURN = r'''
endpoint:
  description: Where the module connected (host:port).
  returned: always
  type: str
  sample: redis-phonebill-dr.redis.cache.windows.net:6380
ping:
  description: Whether the cache answered PING after authenticating.
  returned: always
  type: bool
role:
  description: The replication role the cache reports (C(master), or C(slave) while it replicates another); null when not reached.
  returned: always
  type: str
  sample: master
writable:
  description: Whether the probe key was written, read back equal and deleted; null when not tried (check mode, O(write=false), not reached).
  returned: always
  type: bool
milliseconds:
  description: Round trip of the PING in milliseconds; null when not reached.
  returned: always
  type: float
error:
  description: What the cache or the connection answered when a step failed (e.g. C(READONLY You can't write against a read only replica.)).
  returned: always
  type: str
'''

import time
import uuid

from ansible_collections.phonebill.platform.plugins.module_utils import sdk
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems

REDIS_CLIENT = sdk.Service('redis', None, 'redis>=5,<9')
PROBE_SECONDS = 60


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    found = name_problems('name', params['name'], 'redis_cache') + name_problems('resource_group', params['resource_group'],
                                                                                 'resource_group')
    if params['login_port'] is not None and not 1 <= params['login_port'] <= 65535:
        found.append('login_port: %s is not a TCP port; give 1-65535' % params['login_port'])
    if params['connect_timeout'] <= 0:
        found.append('connect_timeout: %s is not a positive number of seconds' % params['connect_timeout'])
    return found


def probe(client, write, found):
    """PING, INFO replication and (write) SET/GET/DEL on a connected client, into `found` step by step (so what was
    learnt before a refused step is kept)."""
    started = time.monotonic()
    found['ping'] = bool(client.ping())
    found['milliseconds'] = round((time.monotonic() - started) * 1000, 3)
    found['role'] = client.info('replication').get('role')
    if write:
        key, value = 'phonebill:probe:%s' % uuid.uuid4().hex, uuid.uuid4().hex
        found['writable'] = False
        client.set(key, value, ex=PROBE_SECONDS)
        found['writable'] = client.get(key) == value and client.delete(key) == 1


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        name=dict(type='str', required=True),
        resource_group=dict(type='str', required=True),
        login_host=dict(type='str'),
        login_port=dict(type='int'),
        tls=dict(type='bool', default=True),
        ca_cert=dict(type='path'),
        key=dict(type='str', default='primary', choices=['primary', 'secondary']),
        write=dict(type='bool', default=True),
        connect_timeout=dict(type='float', default=10),
    ))
    params = module.params
    module.fail_on(validate(params))
    redis = module.imported(lambda: sdk.load(REDIS_CLIENT), errors=sdk.MissingLibrary)
    where, label = (params['resource_group'], params['name']), 'Redis cache %s' % params['name']
    service = module.client('redis').redis
    properties = to_rest(module.call('read %s' % label, service.get, *where)).get('properties') or {}
    access = to_rest(module.call('list the keys of %s' % label, service.list_keys, *where))
    host = params['login_host'] or properties.get('hostName')
    port = params['login_port'] or (properties.get('sslPort') if params['tls'] else properties.get('port'))
    client = redis.Redis(host=host, port=port, password=access.get('%sKey' % params['key']), ssl=params['tls'],
                         ssl_ca_certs=params['ca_cert'], socket_timeout=params['connect_timeout'],
                         socket_connect_timeout=params['connect_timeout'], decode_responses=True)
    result = dict(changed=False, endpoint='%s:%s' % (host, port), ping=False, role=None, writable=None, milliseconds=None,
                  error=None)
    try:
        probe(client, params['write'] and not module.check_mode, result)
    except redis.exceptions.RedisError as exc:
        result['error'] = '%s: %s' % (type(exc).__name__, exc)
    finally:
        client.close()
    module.exit(**result)


if __name__ == '__main__':
    main()
