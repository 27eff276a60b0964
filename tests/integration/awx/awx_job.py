# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One job template of awx/controller.yml run the way AWX runs it: ansible-runner on a private data directory.

AWX gives ansible-runner the project, the inventory, the template's extra variables (env/extravars), the
credential's injected environment (env/envvars) and the job type and diff mode as command-line options, with no
terminal; the job's status and return code come from runner, and set_stats data from the playbook_on_stats
event's artifact_data.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil

import ansible_runner


def azure_rm_credential_env(inputs):
    """The environment AWX's built-in "Microsoft Azure Resource Manager" credential injects (awx/main/models/credential/injectors.py)."""
    env = {'AZURE_SUBSCRIPTION_ID': inputs.get('subscription', '')}
    if inputs.get('client') and inputs.get('tenant'):
        env.update(AZURE_CLIENT_ID=inputs['client'], AZURE_TENANT=inputs['tenant'], AZURE_SECRET=inputs.get('secret', ''))
    else:
        env.update(AZURE_AD_USER=inputs.get('username', ''), AZURE_PASSWORD=inputs.get('password', ''))
    if inputs.get('cloud_environment'):
        env['AZURE_CLOUD_ENVIRONMENT'] = inputs['cloud_environment']
    return env


class AwxJob:
    """The private data directory of one job and its run."""

    def __init__(self, directory, project, inventory_dir, collections):
        self.directory, self.project, self.inventory_dir, self.collections = directory, project, inventory_dir, collections

    def run(self, template, credential_env, extra_env=None, extra_vars=None):
        """Run TEMPLATE (a job template entry of controller.yml); returns the ansible-runner Runner."""
        private = os.path.join(self.directory, template['name'])
        shutil.rmtree(private, ignore_errors=True)
        os.makedirs(os.path.join(private, 'env'))
        os.symlink(self.project, os.path.join(private, 'project'))
        shutil.copytree(self.inventory_dir, os.path.join(private, 'inventory'))  # group_vars link resolved
        envvars = dict(credential_env, ANSIBLE_COLLECTIONS_PATH=self.collections, **(extra_env or {}))
        self._write(private, 'extravars', dict(template.get('extra_vars', {}), **(extra_vars or {})))
        self._write(private, 'envvars', envvars)
        options = (['--check'] if template.get('job_type') == 'check' else []) + (['--diff'] if template.get('diff_mode') else [])
        with open(os.path.join(private, 'env', 'cmdline'), 'w') as stream:
            stream.write(' '.join(options))
        return ansible_runner.run(private_data_dir=private, playbook=template['playbook'], quiet=True,
                                  settings={'job_timeout': template.get('timeout', 0), 'suppress_ansible_output': True})

    @staticmethod
    def _write(private, name, data):
        with open(os.path.join(private, 'env', name), 'w') as stream:
            json.dump(data, stream)


def artifact_data(runner):
    """What the job exported with set_stats, as AWX reads it."""
    stats = [event for event in runner.events if event.get('event') == 'playbook_on_stats']
    assert len(stats) == 1, 'the job emitted %d playbook_on_stats events' % len(stats)
    return stats[0]['event_data'].get('artifact_data', {})


def output(runner):
    """The job's standard output (for assertion messages and secret scans)."""
    with open(runner.stdout.name) as stream:
        return stream.read()
