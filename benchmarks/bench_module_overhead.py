# -*- coding: utf-8 -*-
"""What a collection module costs on top of the bare Azure SDK call it wraps.

Against the local sandbox (real SDK, real HTTPS, real token flow), times:
  baseline   a fresh credential + ResourceManagementClient + resource_groups.get
             (what any task must do at least: Ansible runs each module in a new process)
  no-op run  phonebill.platform.resource_group on an unchanged group (read, compare, exit)
  check run  the same with a stated change, in check mode (read, compare, merge, predict)
  write run  the same change for real (read, compare, merge, PUT)
and prints each as a ratio to the baseline of the same run, since these
machines are noisy. Modules run in-process (the Ansible process start-up,
the same for every module, is left out).

    bash benchmarks/run bench_module_overhead.py
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from azure.mgmt.resource.resources import ResourceManagementClient

from azure_sandbox.client import SandboxClient
from ansible_collections.phonebill.platform.plugins.modules import resource_group
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

ROUNDS = 15


def timed(function, rounds=ROUNDS):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    state = tempfile.mkdtemp(prefix='bench-sandbox-')
    subprocess.run([sys.executable, '-m', 'azure_sandbox', 'start', '--state-dir', state], check=True,
                   stdout=subprocess.DEVNULL)
    try:
        sandbox = SandboxClient(state)
        os.environ.update(sandbox.ansible_env())
        group = dict(name='rg-bench', location='koreacentral', tags={'service': 'phonebill'})
        assert run_module(resource_group.main, group)['changed'] is True

        def baseline():
            client = ResourceManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs())
            client.resource_groups.get('rg-bench')

        def noop():
            assert run_module(resource_group.main, group)['changed'] is False

        flip = {'value': 0}

        def changed(check_mode):
            def run():
                flip['value'] += 1
                result = run_module(resource_group.main, dict(group, tags={'service': 'phonebill', 'n': str(flip['value'])}),
                                    check_mode=check_mode)
                assert result['changed'] is True
            return run

        writes_before = sandbox.writes_count()
        figures = [('baseline: credential + client + GET', timed(baseline)),
                   ('no-op module run', timed(noop)),
                   ('check-mode run with a change', timed(changed(True)))]
        assert sandbox.writes_count() == writes_before, 'no-op and check-mode runs must not write'
        figures.append(('real run with a change (PUT)', timed(changed(False))))
        base = figures[0][1]
        print('%-40s %10s %8s' % ('case', 'median ms', 'ratio'))
        for name, seconds in figures:
            print('%-40s %10.1f %7.2fx' % (name, seconds * 1000, seconds / base))
        print(json.dumps({'requests': sandbox.counters()['by_method']}))
    finally:
        subprocess.run([sys.executable, '-m', 'azure_sandbox', 'stop', '--state-dir', state], check=False,
                       stdout=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
