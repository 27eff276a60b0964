#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: aks_node_image_upgrade
short_description: Bring an AKS node pool to the latest node image, only when it is behind
version_added: 0.1.0
description:
  - Reads the pool's upgrade profile (C(agentPools/{pool}/upgradeProfiles/default), C(latestNodeImageVersion)) and
    starts AKS's node image upgrade (C(upgradeNodeImageVersion)) only when the pool's image is older. A pool already
    on the latest image is left alone (C(changed=false), no write).
  - An operation already running on the pool or on its cluster (any provisioning state that is not terminal, such as
    an auto-upgrade's C(UpgradingNodeImageVersion)) is waited for within O(timeout) first, never written over; when
    it outlasts O(timeout) the module fails saying what still runs, and nothing is started.
  - Used by the weekly maintenance in the window, when AKS's own node image channel fell behind (docs/maintenance.md).
options:
  name:
    description: Name of the node pool.
    type: str
    required: true
  cluster_name:
    description: Name of the AKS cluster.
    type: str
    required: true
  resource_group:
    description: Resource group of the cluster.
    type: str
    required: true
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Check mode never waits and starts nothing; it says whether the image would be upgraded and returns
        RV(operations_in_progress).
  diff_mode:
    support: full
  platform:
    platforms: posix
notes:
  - The default O(timeout) is 3600 seconds; AKS upgrades a pool's nodes in rounds of its max surge.
requirements:
  - azure-mgmt-containerservice >= 40, < 42
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Latest node image on the app pool, if it is behind
  phonebill.platform.aks_node_image_upgrade:
    name: app
    cluster_name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    timeout: 1800
  register: image
'''

RETURN = r'''
node_image_version:
  description: The pool's node image after the run (before it, in check mode).
  returned: always
  type: str
  sample: AKSUbuntu-2204gen2containerd-202508.04.0
previous_node_image_version:
  description: The pool's node image before the run.
  returned: always
  type: str
latest_node_image_version:
  description: The latest node image AKS offers the pool.
  returned: always
  type: str
operations_in_progress:
  description: In check mode, what a real run would wait for first (C(node pool NAME is STATE) lines).
  returned: always
  type: list
  elements: str
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import aks_upgrade
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest


class NodePool:
    """The pool and its cluster, read again whenever asked what runs on them."""

    def __init__(self, module):
        self.module = module
        params = module.params
        self.service = module.client('containerservice')
        self.where = (params['resource_group'], params['cluster_name'], params['name'])
        self.label = 'node pool %s of AKS cluster %s' % (params['name'], params['cluster_name'])
        self.pool = None

    def read(self):
        self.pool = to_rest(self.module.call('read %s' % self.label, self.service.agent_pools.get, *self.where))
        return self.pool

    def running(self):
        cluster = to_rest(self.module.call('read AKS cluster %s' % self.where[1], self.service.managed_clusters.get,
                                           *self.where[:2]))
        return aks_upgrade.running(self.where[1], cluster, [self.read()])

    def latest_image(self):
        profile = to_rest(self.module.call('read the upgrade profile of %s' % self.label,
                                           self.service.agent_pools.get_upgrade_profile, *self.where))
        return ((profile or {}).get('properties') or {}).get('latestNodeImageVersion')

    @property
    def image(self):
        return (self.pool.get('properties') or {}).get('nodeImageVersion')


def main():
    module = AzureModule(supports_check_mode=True, long_running=True, default_timeout=3600, argument_spec=dict(
        name=dict(type='str', required=True),
        cluster_name=dict(type='str', required=True),
        resource_group=dict(type='str', required=True),
    ))
    pool = NodePool(module)
    in_progress = pool.running()
    if in_progress and not module.check_mode:
        module.settle('wait for the operation running on %s' % pool.label, pool.running)
        in_progress = []
    before, latest = pool.image, pool.latest_image()
    result = dict(previous_node_image_version=before, node_image_version=before, latest_node_image_version=latest,
                  operations_in_progress=in_progress, changed=aks_upgrade.image_behind(before, latest))
    if module.diff_mode:
        result['diff'] = dict(before=dict(nodeImageVersion=before),
                              after=dict(nodeImageVersion=latest if result['changed'] else before))
    if not result['changed'] or module.check_mode:
        module.exit(**result)
    after, status_url = module.run_operation('upgrade the node image of %s' % pool.label,
                                             lambda: module.client('containerservice').agent_pools
                                             .begin_upgrade_node_image_version(*pool.where))
    if status_url:
        result['status_url'] = status_url
    else:
        result['node_image_version'] = ((after or pool.read()).get('properties') or {}).get('nodeImageVersion')
    module.exit(**result)


if __name__ == '__main__':
    main()
