# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""site.yml creates AKS, PostgreSQL (and its replicas), Redis and the gateway side by side, printing what still runs (issue 10).

The real playbook against the sandbox (without the workloads play), its operation durations scaled so that a
creation lasts long enough to be seen: the sandbox's own operation log shows the three creations' intervals
intersecting, which a run creating one thing at a time never shows (so do the network's private DNS zones, and the
PostgreSQL server starts right after what it needs). The results still reach the tasks that need
them (the replicas name the server, AcrPull the cluster's kubelet) and a second run writes nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))

#: the sandbox's durations (resource_types.py) x this: node pool 5 s, Front Door profile 2 s
LRO_SCALE = 0.03
ACR_PULL = '7f951dda-4ed3-4680-a7ca-43fe172d538d'   # the kubelet's role on the registry (the delivery identity has AcrPush)
#: in seconds, long enough to outlast the tasks between their start and the next long creation's even on a loaded
#: machine (Redis -> PostgreSQL server -> AKS -> gateway -> Front Door; one private DNS zone's start -> the next's),
#: so they overlap because the play does not wait for them, whatever the machine's speed; the replicas take the
#: server's duration
OUTLASTING = {'microsoft.containerservice/managedclusters': 480, 'microsoft.cache/redis': 600,
              'microsoft.dbforpostgresql/flexibleservers': 120, 'microsoft.network/applicationgateways': 240,
              'microsoft.network/privatednszones': 10}
ZONES = ('privatelink.postgres.database.azure.com', 'privatelink.redis.cache.windows.net', 'privatelink.vaultcore.azure.net')


def run_site(sandbox, tmp_path):
    links = tmp_path / 'collections' / 'ansible_collections' / 'phonebill'
    links.mkdir(parents=True, exist_ok=True)
    if not (links / 'platform').exists():
        os.symlink(ROOT, str(links / 'platform'))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'), ANSIBLE_NOCOLOR='1',
               **sandbox.ansible_env())
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), 'playbooks/site.yml',
                          '-i', 'inventories/sandbox', '--skip-tags', 'workloads',
                          '-e', json.dumps(dict(phonebill_await_progress_interval=3, phonebill_wait_timeout=1200))],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False)
    assert run.returncode == 0, 'site.yml failed:\n%s\n%s' % (run.stdout[-6000:], run.stderr[-3000:])
    return run.stdout


def creation(operations, type_segment, name):
    """(start, end) of the creation of the resource of that type and name."""
    found = [op for op in operations if op['kind'] == 'put'
             and op['resource_id'].lower().endswith('/%s/%s' % (type_segment, name))]
    assert found, 'no creation of %s/%s in the operation log' % (type_segment, name)
    return found[0]['start'], found[0]['end']


def overlap(first, second):
    return max(first[0], second[0]) < min(first[1], second[1])


def test_long_creations_run_side_by_side_and_their_results_reach_the_tasks_after_them(sandbox, tmp_path):
    sandbox.config(lro_scale=LRO_SCALE, durations=dict((kind, seconds / LRO_SCALE) for kind, seconds in OUTLASTING.items()))
    output = run_site(sandbox, tmp_path)

    operations = sandbox.operations()
    aks = creation(operations, 'managedclusters', 'aks-phonebill-prod')
    postgresql = creation(operations, 'flexibleservers', 'psql-phonebill-prod')
    redis = creation(operations, 'redis', 'redis-phonebill-prod')
    assert overlap(aks, postgresql) and overlap(aks, redis) and overlap(postgresql, redis), (aks, postgresql, redis)
    # the network role creates the private DNS zones side by side; the server starts only once its own zone is
    # linked to the VNet and the vault's private endpoint (through which its password's secret is written) exists
    zones = [creation(operations, 'privatednszones', name) for name in ZONES]
    assert overlap(zones[0], zones[1]) and overlap(zones[1], zones[2]) and overlap(zones[0], zones[2]), zones
    assert postgresql[0] >= creation(operations, 'privatednszones', ZONES[0] + '/virtualnetworklinks/vnet-phonebill-prod')[1]
    assert postgresql[0] >= creation(operations, 'privateendpoints', 'pe-kv-phonebill-prod/privatednszonegroups/default')[1]
    replicas = [creation(operations, 'flexibleservers', name)
                for name in ('psql-phonebill-prod-replica-1', 'psql-phonebill-prod-replica-2')]
    assert overlap(replicas[0], replicas[1])
    assert all(replica[0] >= postgresql[1] for replica in replicas)  # a replica needs its source
    # the gateway is created in the background: Front Door (which names only its public IP) goes on meanwhile
    gateway = creation(operations, 'applicationgateways', 'agw-phonebill-prod')
    assert overlap(gateway, creation(operations, 'profiles', 'afd-phonebill-prod')), gateway

    # while a role waits for its own, progress lines name what still runs and for how long
    assert re.search(r'^await_operations \[[^]]+\]: still running: \S+ \((\d+m)?\d+s\)', output, re.MULTILINE), output[-3000:]
    # the awaited results reached the tasks that need them
    acrpull = [r for r in sandbox.snapshot()['resources'].values()
               if r['type'].lower() == 'microsoft.authorization/roleassignments' and '/registries/' in r['id'].lower()
               and r['body']['properties']['roleDefinitionId'].lower().endswith(ACR_PULL)]
    kubelet = sandbox.get(aks_id(operations))['properties']['identityProfile']['kubeletidentity']['objectId']
    assert [r['body']['properties']['principalId'] for r in acrpull] == [kubelet]
    replica = sandbox.get(replica_id(operations))
    assert replica['properties']['sourceServerResourceId'].lower().endswith('/flexibleservers/psql-phonebill-prod')

    writes = sandbox.writes_count()
    second = run_site(sandbox, tmp_path)
    assert sandbox.writes_count() == writes
    assert 'changed=0' in second


def aks_id(operations):
    return next(op['resource_id'] for op in operations if op['resource_id'].lower().endswith('/managedclusters/aks-phonebill-prod'))


def replica_id(operations):
    return next(op['resource_id'] for op in operations if op['resource_id'].lower().endswith('/psql-phonebill-prod-replica-2'))
