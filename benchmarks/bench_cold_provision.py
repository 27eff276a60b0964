# -*- coding: utf-8 -*-
"""Cold provision of playbooks/site.yml: how close the wall time comes to the longest chain of dependent operations.

A fresh sandbox whose realistic operation durations (resource_types.py: AKS 6 min, PostgreSQL 10 min,
Redis Premium 25 min...) are all scaled by one factor (--lro-scale, default 0.1), then site.yml once, for
real, without the workloads play (it needs the Kubernetes control plane and makes no Azure operation).
From the sandbox's own operation log of that run (GET /_sandbox/operations: every long-running operation
with its start and end) and its final resources, it computes two baselines:

  chain  the longest chain of dependent operations: a resource depends on its parents (ids it lies under),
         on the resources its body names (an ARM id, or the principal/object/client id of an identity) and on
         those HIDDEN_NEEDS names, when created before it; a resource weighs the durations of its operations
  sum    the sum of all operation durations: what a run creating one thing at a time would cost

and prints the wall time as a ratio to each (goal: wall / chain <= 1.2).

    bash benchmarks/run bench_cold_provision.py [LRO_SCALE]
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

import ansible_collections

from azure_sandbox.client import SandboxClient

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IDENTITY_KEYS = ('principalid', 'objectid', 'clientid')
#: needs no resource body shows: the server's administrator password is a secret read from the vault
HIDDEN_NEEDS = {'microsoft.dbforpostgresql/flexibleservers': 'microsoft.keyvault/vaults'}
ARM_PATH = re.compile(r'^/subscriptions/[^?]+$', re.IGNORECASE)


def strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def identities(value):
    """Principal, object and client ids a resource carries (a cluster's kubelet identity, say)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.lower() in IDENTITY_KEYS and isinstance(item, str):
                yield item.lower()
            else:
                yield from identities(item)
    elif isinstance(value, list):
        for item in value:
            yield from identities(item)


def creation_times(requests):
    """Lower-cased ARM id -> time of its first write (PUT) in the traffic log."""
    first = {}
    for entry in requests:
        if entry['plane'] == 'arm' and entry['method'] == 'PUT' and ARM_PATH.match(entry['path']):
            first.setdefault(entry['path'].lower(), entry['time'])
    return first


def dependencies(resources, created):
    """Resource -> the resources it needs: parents and what its body names, created before it."""
    known = dict((rid, {rid} | set(identities(rec['body']))) for rid, rec in resources.items() if rid in created)
    owner = dict((ident, rid) for rid, idents in known.items() for ident in idents)
    needs = {}
    for rid in known:
        found = set(other for other in known if rid.startswith(other + '/'))
        found |= set(owner[text.lower()] for text in strings(resources[rid]['body']) if text.lower() in owner)
        hidden = HIDDEN_NEEDS.get(resources[rid]['type'].lower())
        found |= set(other for other in known if hidden and resources[other]['type'].lower() == hidden)
        needs[rid] = sorted(other for other in found if other != rid and created[other] < created[rid])
    return needs


def longest_chain(needs, weight):
    """(seconds, [resource ids]) of the heaviest path through the dependency graph."""
    best = {}

    def chain(rid):
        if rid not in best:
            before = max((chain(other) for other in needs.get(rid, [])), default=(0.0, []))
            best[rid] = (before[0] + weight.get(rid, 0.0), before[1] + [rid])
        return best[rid]

    return max((chain(rid) for rid in needs), default=(0.0, []))


def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
    work = tempfile.mkdtemp(prefix='bench-cold-')
    state = os.path.join(work, 'sandbox')
    subprocess.run([sys.executable, '-m', 'azure_sandbox', 'start', '--state-dir', state, '--lro-scale', str(scale)],
                   check=True, stdout=subprocess.DEVNULL)
    try:
        sandbox = SandboxClient(state)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.dirname(list(ansible_collections.__path__)[0]),
                   ANSIBLE_NOCOLOR='1', **sandbox.ansible_env())
        command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), 'playbooks/site.yml',
                   '-i', 'inventories/sandbox', '--skip-tags', 'workloads',
                   '-e', json.dumps(dict(phonebill_await_progress_interval=max(5.0, 300 * scale),
                                          phonebill_wait_timeout=int(600 + 3000 * scale)))]
        began = time.time()
        run = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
        wall = time.time() - began
        if run.returncode != 0:
            sys.exit('site.yml failed:\n%s\n%s' % (run.stdout[-6000:], run.stderr[-3000:]))

        operations = [op for op in sandbox.operations() if op['start'] >= began]
        resources = sandbox.snapshot()['resources']
        weight = {}
        for op in operations:
            weight[op['resource_id'].lower()] = weight.get(op['resource_id'].lower(), 0.0) + op['end'] - op['start']
        total = sum(op['end'] - op['start'] for op in operations)
        needs = dependencies(resources, creation_times(sandbox.requests()))
        chain, path = longest_chain(needs, weight)

        print('cold provision of site.yml (without workloads), LRO durations x %g, %d operations, %d resources'
              % (scale, len(operations), len(needs)))
        print('%-44s %9s %8s' % ('measure', 'seconds', 'wall / it'))
        print('%-44s %9.1f' % ('wall time of ansible-playbook', wall))
        print('%-44s %9.1f %7.2fx   (goal <= 1.2)' % ('longest chain of dependent operations', chain, wall / chain))
        print('%-44s %9.1f %7.2fx' % ('sum of all operation durations (sequential)', total, wall / total))
        print('chain: ' + ' -> '.join('%s (%.1fs)' % (rid.rsplit('/providers/', 1)[-1], weight.get(rid, 0.0))
                                      for rid in path))
        print('operations (seconds after the start of ansible-playbook):')
        for op in operations:
            print('  %7.1f -> %7.1f  %-6s %s' % (op['start'] - began, op['end'] - began, op['kind'],
                                                 op['resource_id'].rsplit('/providers/', 1)[-1]))
        progress = [line for line in run.stdout.splitlines() if line.startswith('await_operations [')]
        print('progress lines printed while waiting: %d, e.g. %s' % (len(progress), progress[:1]))
    finally:
        subprocess.run([sys.executable, '-m', 'azure_sandbox', 'stop', '--state-dir', state], check=False,
                       stdout=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
