# -*- coding: utf-8 -*-
"""No-op converge of playbooks/site.yml against the sandbox, per managed resource, against a bare-SDK baseline.

After one provisioning run, site.yml runs again ROUNDS times with nothing to change. The baseline, measured in
the same rounds: one Python process that builds one credential and one client and sends one GET per managed
resource (every ARM resource the sandbox holds, each with an api-version the modules used for its type),
interpreter start and imports included. Printed: medians of wall time, wall time per managed resource as a
ratio to the baseline's (issue 10's goal: <= 2x), reads and writes per managed resource from the sandbox's
request log (goal: one read, zero writes) and the tokens issued. Ratios, because these machines are shared and
noisy: give the load average with the figures.

Ansible's own floor, in the same rounds: a play of as many tasks as the no-op site.yml ran, each a set_fact, with
the same inventory and configuration, and no Azure call at all; and what site.yml costs above that floor.

The workloads play (Kubernetes) is left out: it needs the control plane, and the baseline is about ARM resources.

    bash benchmarks/run bench_noop_converge.py            # BENCH_ROUNDS=3 by default
    BENCH_MODULE_PROCESS=1 bash benchmarks/run bench_noop_converge.py   # each round also runs every module in
                                                                        # its own process (PHONEBILL_IN_PROCESS=0)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from azure_sandbox.client import SandboxClient

ROUNDS = int(os.environ.get('BENCH_ROUNDS', '3'))
#: also measure, in the same rounds, the modules run in their own processes (as before the in-process runner)
MODULE_PROCESS = os.environ.get('BENCH_MODULE_PROCESS') == '1'
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), 'playbooks/site.yml',
            '-i', 'inventories/sandbox', '--skip-tags', 'workloads']

BASELINE = r'''
import json, sys, time
start = time.perf_counter()
from azure.mgmt.resource.resources import ResourceManagementClient
from azure_sandbox.client import SandboxClient
sandbox = SandboxClient(sys.argv[1])
client = ResourceManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs())
failed = 0
for resource_id, api_version in json.loads(sys.argv[2]):
    try:
        client.resources.get_by_id(resource_id, api_version=api_version)
    except Exception:  # counted: the benchmark refuses a baseline with failed GETs
        failed += 1
print(json.dumps({'seconds': time.perf_counter() - start, 'failed': failed}))
'''


def collections_path():
    """The directory holding ansible_collections/phonebill/platform (benchmarks/run links it)."""
    for entry in sys.path:
        if os.path.isdir(os.path.join(entry, 'ansible_collections', 'phonebill', 'platform')):
            return entry
    raise SystemExit('run me through benchmarks/run (the collection must be importable)')


def converge(env, sandbox, label):
    """One site.yml run: wall seconds and the sandbox's counters for it."""
    sandbox.clear_requests()
    tokens = sandbox.tokens_issued()
    start = time.perf_counter()
    run = subprocess.run(PLAYBOOK, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         check=False)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        sys.stdout.write(run.stdout[-4000:])
        raise SystemExit('%s: site.yml failed (rc %d)' % (label, run.returncode))
    counters = sandbox.counters()
    tasks = sum(1 for line in run.stdout.splitlines() if line.startswith(('TASK [', 'RUNNING HANDLER [')))
    return dict(seconds=seconds, reads=counters['reads'], writes=counters['writes'], tasks=tasks,
                tokens=sandbox.tokens_issued() - tokens, log=sandbox.requests())


def ansible_floor(env, tasks, directory):
    """Wall seconds of a play of `tasks` set_fact tasks with site.yml's inventory and configuration."""
    play = os.path.join(directory, 'floor.yml')
    with open(play, 'w') as stream:
        stream.write('- hosts: localhost\n  gather_facts: false\n  tasks:\n')
        stream.writelines('    - ansible.builtin.set_fact: {bench_floor_%d: %d}\n' % (n, n) for n in range(tasks))
    start = time.perf_counter()
    subprocess.run([PLAYBOOK[0], play] + PLAYBOOK[2:4], cwd=REPO, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def api_versions(log):
    """resource type (lower case) -> an api-version the modules used for it."""
    versions = {}
    for entry in log:
        if entry.get('resource_type') and entry.get('api_version') and entry['plane'] == 'arm':
            versions[entry['resource_type'].lower()] = entry['api_version']
    return versions


def managed(sandbox, versions):
    """[resource id, api-version] for every resource the sandbox holds (children: their parent's api-version)."""
    pairs = []
    for resource_id, resource in sorted(sandbox.snapshot()['resources'].items()):
        kind = resource['type'].lower()
        while kind not in versions and '/' in kind.split('/', 1)[1]:
            kind = kind.rsplit('/', 1)[0]
        pairs.append([resource_id, versions.get(kind, '2021-04-01')])
    return pairs


def baseline(state, pairs, env):
    run = subprocess.run([sys.executable, '-c', BASELINE, state, json.dumps(pairs)], env=env,
                         stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main():
    state = tempfile.mkdtemp(prefix='bench-noop-')
    subprocess.run([sys.executable, '-m', 'azure_sandbox', 'start', '--state-dir', os.path.join(state, 'sandbox')],
                   check=True, stdout=subprocess.DEVNULL)
    try:
        sandbox = SandboxClient(os.path.join(state, 'sandbox'))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR='1', **sandbox.ansible_env())
        env['PATH'] = os.path.dirname(sys.executable) + os.pathsep + env.get('PATH', '')
        first = converge(env, sandbox, 'provisioning run')
        print('provisioning run: %.1f s, %d writes' % (first['seconds'], first['writes']))

        runs, bases, pairs, processes, floors = [], [], None, [], []
        for round_number in range(ROUNDS):
            runs.append(converge(env, sandbox, 'no-op run'))
            pairs = pairs or managed(sandbox, api_versions(runs[-1]['log']))
            bases.append(baseline(os.path.join(state, 'sandbox'), pairs, env))
            floors.append(ansible_floor(env, runs[-1]['tasks'], state))
            if MODULE_PROCESS:
                processes.append(converge(dict(env, PHONEBILL_IN_PROCESS='0'), sandbox, 'no-op run, module processes'))
            print('round %d: no-op site.yml %.1f s (%d tasks), baseline %.2f s, Ansible alone %.1f s%s, '
                  'load average %.1f' % (round_number + 1, runs[-1]['seconds'], runs[-1]['tasks'],
                                         bases[-1]['seconds'], floors[-1],
                                         ', module processes %.1f s' % processes[-1]['seconds'] if processes else '',
                                         os.getloadavg()[0]))

        resources = len(pairs)
        base = statistics.median(b['seconds'] for b in bases) / resources
        wall = statistics.median(r['seconds'] for r in runs)
        print('\nmanaged resources (ARM, in the sandbox): %d; medians of %d rounds' % (resources, ROUNDS))
        print('%-46s %9s %12s %8s %10s %7s %7s' % ('case', 'wall s', 'ms/resource', 'ratio', 'reads/res', 'writes',
                                                  'tokens'))
        print('%-46s %9.2f %12.1f %7.2fx %10s %7s %7s' % (
            'baseline: 1 credential, 1 client, 1 GET each', base * resources, base * 1000, 1.0, '1.00', 0, 1))
        print('%-46s %9.2f %12.1f %7.2fx %10.2f %7d %7d   (goal <= 2x, 1 read, 0 writes)' % (
            'no-op site.yml', wall, wall / resources * 1000, wall / resources / base,
            statistics.median(r['reads'] for r in runs) / resources, max(r['writes'] for r in runs),
            statistics.median(r['tokens'] for r in runs)))
        floor = statistics.median(floors)
        print('%-46s %9.2f %12.1f %7.2fx %10s %7d %7d' % (
            'Ansible alone: as many set_fact tasks', floor, floor / resources * 1000, floor / resources / base,
            '0.00', 0, 0))
        print('%-46s %9.2f %12.1f %7.2fx' % (
            'no-op site.yml above that floor', wall - floor, (wall - floor) / resources * 1000,
            (wall - floor) / resources / base))
        if processes:
            wall = statistics.median(r['seconds'] for r in processes)
            print('%-46s %9.2f %12.1f %7.2fx %10.2f %7d %7d' % (
                'no-op site.yml, every module in its own process', wall, wall / resources * 1000,
                wall / resources / base, statistics.median(r['reads'] for r in processes) / resources,
                max(r['writes'] for r in processes), statistics.median(r['tokens'] for r in processes)))
            runs += processes  # their writes count below too
        failed = max(b['failed'] for b in bases)
        if failed:
            raise SystemExit('%d baseline GETs failed: the baseline is not one GET per resource' % failed)
        if any(r['writes'] for r in runs):
            raise SystemExit('a no-op converge wrote')
    finally:
        subprocess.run([sys.executable, '-m', 'azure_sandbox', 'stop', '--state-dir', os.path.join(state, 'sandbox')],
                       check=False, stdout=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
