# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/drift_report.yml after a real site.yml run: drift made behind the collection's back is reported (issue 10).

The real playbooks against the sandbox and, when its binaries are built, the local control plane. After the real run
the report is in sync (exit 0, empty); then a tag, an NSG rule's port and an AKS pool's maximum are changed and a
subnet is added through the sandbox's control API (and a Deployment's label removed through the Kubernetes API): the report
lists exactly those, exits with the drifted status and writes nothing to Azure or Kubernetes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.phonebill.platform.plugins.callback.drift_report import DRIFTED_EXIT_STATUS

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


class Playbooks:
    """Runs the collection's playbooks against the sandbox with the collection linked from the working tree."""

    def __init__(self, sandbox, tmp_path, extra_vars, args):
        links = tmp_path / 'collections' / 'ansible_collections' / 'phonebill'
        links.mkdir(parents=True)
        os.symlink(ROOT, str(links / 'platform'))
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'), ANSIBLE_NOCOLOR='1',
                        ANSIBLE_CALLBACKS_ENABLED='phonebill.platform.drift_report', **sandbox.ansible_env())
        self.extra_vars, self.args, self.tmp_path = extra_vars, list(args), tmp_path

    def run(self, playbook, *args, env=None, **extra_vars):
        """ansible-playbook with the test's variables and arguments; env entries set to None are removed."""
        environment = dict((k, v) for k, v in dict(self.env, **(env or {})).items() if v is not None)
        return subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), playbook,
                               '-i', 'inventories/sandbox', '-e', json.dumps(dict(self.extra_vars, **extra_vars))]
                              + self.args + list(args),
                              cwd=ROOT, env=environment, capture_output=True, text=True, timeout=1200, check=False)

    def site(self):
        run = self.run('playbooks/site.yml')
        assert run.returncode == 0, 'site.yml failed:\n%s\n%s' % (run.stdout[-6000:], run.stderr[-3000:])

    def drift_report(self, name):
        """(exit status, the JSON report, the Markdown report) of one drift report run."""
        directory = self.tmp_path / name
        run = self.run('playbooks/drift_report.yml', '--check', '--diff', phonebill_drift_report_dir=str(directory))
        assert run.returncode in (0, DRIFTED_EXIT_STATUS), 'drift report failed (%d):\n%s\n%s' % (
            run.returncode, run.stdout[-6000:], run.stderr[-3000:])
        return (run.returncode, json.loads((directory / 'drift-report.json').read_text()),
                (directory / 'drift-report.md').read_text())


def differences(report):
    """(resource, path, before, after) of every difference of the report."""
    return sorted((entry['resource'], d['path'], json.dumps(d['before']), json.dumps(d['after']))
                  for entry in report['drifted'] for d in entry['differences'])


def resource_versions(kubeconfig, namespace):
    """Every object's resourceVersion in the namespace: any write, even one that changes nothing, moves it."""
    from kubernetes import client, config, dynamic  # pylint: disable=import-outside-toplevel
    api = dynamic.DynamicClient(config.new_client_from_config(kubeconfig))
    versions = {}
    for api_version, kind in (('apps/v1', 'Deployment'), ('v1', 'Service'), ('v1', 'ConfigMap'), ('v1', 'ServiceAccount'),
                              ('networking.k8s.io/v1', 'NetworkPolicy'), ('autoscaling/v2', 'HorizontalPodAutoscaler')):
        for obj in api.resources.get(api_version=api_version, kind=kind).get(namespace=namespace).items:
            versions['%s/%s' % (kind, obj.metadata.name)] = obj.metadata.resourceVersion
    return versions


def test_drift_made_by_hand_is_reported_exactly_and_nothing_is_written(sandbox, cluster, namespace, tmp_path):
    extra_vars = dict(phonebill_kubeconfig=str(tmp_path / 'kube' / 'aks.config'), phonebill_workload_namespace=namespace)
    playbooks = Playbooks(sandbox, tmp_path, extra_vars, [] if cluster else ['--skip-tags', 'workloads'])
    playbooks.site()

    writes = sandbox.writes_count()
    status, report, markdown = playbooks.drift_report('in-sync')
    assert (status, report['status'], report['complete']) == (0, 'in_sync', True)
    assert (report['drifted'], report['unmanaged'], report['failed']) == ([], [], [])
    assert 'in sync' in markdown
    assert sandbox.writes_count() == writes

    group = '/subscriptions/%s/resourceGroups/rg-phonebill-prod' % sandbox.subscription_id
    network, cluster_id = group + '/providers/Microsoft.Network', group + '/providers/Microsoft.ContainerService/managedClusters/aks-phonebill-prod'
    sandbox.drift(group, {'tags': {'owner': 'someone-else'}})
    sandbox.drift(network + '/networkSecurityGroups/nsg-aks/securityRules/allow-postgresql', {'properties': {'destinationPortRange': '5433'}})
    sandbox.drift(network + '/virtualNetworks/vnet-phonebill-prod/subnets/snet-by-hand', replace={'properties': {'addressPrefix': '10.0.9.0/24'}})
    sandbox.drift(cluster_id + '/agentPools/app', {'properties': {'maxCount': 12}})
    expected = [
        (group, 'tags.owner', '"someone-else"', '"platform-engineering"'),
        (network + '/networkSecurityGroups/nsg-aks', 'properties.securityRules[allow-postgresql].properties.destinationPortRanges',
         '["5433"]', '["5432"]'),
        (cluster_id + '/agentPools/app', 'properties.maxCount', '12', '10'),
    ]
    if cluster:
        from kubernetes import client, config  # pylint: disable=import-outside-toplevel
        apps = client.AppsV1Api(config.new_client_from_config(cluster))
        deployment = apps.list_namespaced_deployment(namespace).items[0]
        label, value = sorted(deployment.metadata.labels.items())[0]
        # a label removed by hand (a value changed by hand belongs to another field manager: the apply conflicts)
        apps.patch_namespaced_deployment(deployment.metadata.name, namespace, {'metadata': {'labels': {label: None}}})
        expected.append(('Deployment/%s/%s' % (namespace, deployment.metadata.name), 'metadata.labels.%s' % label,
                         'null', json.dumps(value)))
        versions = resource_versions(cluster, namespace)

    writes = sandbox.writes_count()
    status, report, markdown = playbooks.drift_report('drifted')
    assert (status, report['status'], report['complete'], report['failed']) == (DRIFTED_EXIT_STATUS, 'drifted', True, [])
    assert differences(report) == sorted(expected)
    assert [(u['resource'], u['kind'], u['names']) for u in report['unmanaged']] == [
        (network + '/virtualNetworks/vnet-phonebill-prod', 'subnets', ['snet-by-hand'])]
    assert '| `properties.maxCount` | `12` | `10` |' in markdown
    assert sandbox.writes_count() == writes
    if cluster:
        assert resource_versions(cluster, namespace) == versions


@pytest.mark.parametrize('args, env, refusal', [
    (['--diff'], {}, 'run it with --check --diff'),
    (['--check'], {}, 'run it with --check --diff'),
    (['--check', '--diff'], {'ANSIBLE_CALLBACKS_ENABLED': 'ansible.builtin.junit', 'JUNIT_OUTPUT_DIR': '/tmp'},
     'ANSIBLE_CALLBACKS_ENABLED=phonebill.platform.drift_report'),
], ids=['without-check', 'without-diff', 'without-callback'])
def test_the_report_refuses_to_start_without_check_diff_and_callback(sandbox, tmp_path, args, env, refusal):
    run = Playbooks(sandbox, tmp_path, {}, []).run('playbooks/drift_report.yml', *args, env=env,
                                                   phonebill_drift_report_dir=str(tmp_path / 'report'))
    assert run.returncode == 2
    assert refusal in run.stdout.replace('\n', ' ').replace('        ', '')
    assert sandbox.requests() == []
