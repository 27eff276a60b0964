#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: aks_cluster_info
short_description: Read AKS clusters, the Kubernetes versions AKS offers, and a user kubeconfig
version_added: 0.1.0
description:
  - Returns one AKS cluster by name, the clusters of a resource group, or every cluster of the subscription.
  - With O(kubernetes_versions_location), also returns the Kubernetes versions AKS offers in that region.
  - With O(kubeconfig_path), writes the cluster's user kubeconfig (C(listClusterUserCredential)) to that file with
    mode C(0600). The kubeconfig is a credential; it is never returned in the module's output.
options:
  name:
    description: Name of one cluster; needs O(resource_group).
    type: str
  resource_group:
    description: Resource group of the clusters. Without it (and O(name)), every cluster of the subscription is listed.
    type: str
  kubernetes_versions_location:
    description: Region whose offered Kubernetes versions to return in RV(kubernetes_versions).
    type: str
  kubeconfig_path:
    description:
      - File to write the user kubeconfig of the cluster O(name) to (created or replaced with mode C(0600)).
      - Not written in check mode (RV(changed) then says whether it would be).
    type: path
  kubeconfig_format:
    description:
      - Credential format of the kubeconfig. V(exec) needs C(kubelogin) on the machine that uses it (Entra ID clusters).
      - Azure's default when not set.
    type: str
    choices: [azure, exec]
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
attributes:
  check_mode:
    details: In check mode the kubeconfig file is not written.
requirements:
  - azure-mgmt-containerservice >= 40, < 42
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the production cluster
  phonebill.platform.aks_cluster_info:
    name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
  register: aks

- name: Kubernetes versions offered in Korea Central
  phonebill.platform.aks_cluster_info:
    kubernetes_versions_location: koreacentral
  register: offered

- name: User kubeconfig for the workload layer (written 0600, never printed)
  phonebill.platform.aks_cluster_info:
    name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    kubeconfig_path: "{{ playbook_dir }}/.kube/phonebill-prod"
    kubeconfig_format: exec
'''

RETURN = r'''
clusters:
  description: The clusters found, as Azure returns them (empty when the named cluster does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: >-
        /subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-phonebill-prod/providers/
        Microsoft.ContainerService/managedClusters/aks-phonebill-prod
      name: aks-phonebill-prod
      location: koreacentral
      properties: {kubernetesVersion: "1.33", currentKubernetesVersion: 1.33.2}
kubernetes_versions:
  description: The versions AKS offers in O(kubernetes_versions_location), as Azure lists them.
  returned: when O(kubernetes_versions_location) is set
  type: list
  elements: dict
  sample:
    - version: "1.33"
      isDefault: false
      capabilities: {supportPlan: [KubernetesOfficial]}
      patchVersions: {"1.33.2": {upgrades: []}}
kubeconfig_path:
  description: The file the kubeconfig was written to (its content is never returned).
  returned: when O(kubeconfig_path) is set
  type: str
changed:
  description: Whether the kubeconfig file was (or, in check mode, would be) written with new content.
  returned: always
  type: bool
'''

import base64
import os
import tempfile

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest


def kubeconfig_bytes(result):
    """The first kubeconfig of a CredentialResults (the SDK gives bytes; a REST dict gives base64)."""
    configs = getattr(result, 'kubeconfigs', None)
    if configs is None:
        configs = (to_rest(result) or {}).get('kubeconfigs')
    if not configs:
        return None
    first = configs[0]
    value = first.get('value') if isinstance(first, dict) else first.value
    return value if isinstance(value, bytes) else base64.b64decode(value or '')


def up_to_date(path, content):
    """Whether path already holds content with mode 0600."""
    try:
        with open(path, 'rb') as current:
            return current.read() == content and (os.stat(path).st_mode & 0o777) == 0o600
    except (IOError, OSError):
        return False


def write_private(path, content):
    """Write content to path with mode 0600, atomically (the file never exists with wider permissions)."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix='.kubeconfig-')
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(content)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def validate(params):
    """Input errors of the kubeconfig options, before any call to Azure."""
    path = params['kubeconfig_path']
    if path and not params['name']:
        return ['kubeconfig_path: needs name and resource_group of the cluster whose kubeconfig to write']
    if path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        return ['kubeconfig_path: the directory of %s does not exist; create it first' % path]
    return []


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        name=dict(type='str'),
        resource_group=dict(type='str'),
        kubernetes_versions_location=dict(type='str'),
        kubeconfig_path=dict(type='path'),
        kubeconfig_format=dict(type='str', choices=['azure', 'exec']),
    ))
    module.fail_on(arm_info.option_problems(module.params, 'AKS cluster') + validate(module.params))
    params = module.params
    clusters = module.client('containerservice').managed_clusters
    result = dict(changed=False)
    result['clusters'] = arm_info.read(module, 'AKS cluster', lambda: clusters, by_subscription='list')
    if params['kubernetes_versions_location']:
        location = params['kubernetes_versions_location'].replace(' ', '').lower()
        listed = module.call('list the Kubernetes versions AKS offers in %s' % location,
                             clusters.list_kubernetes_versions, location)
        result['kubernetes_versions'] = (to_rest(listed) or {}).get('values') or []
    if params['kubeconfig_path']:
        if not result['clusters']:
            module.fail('kubeconfig_path: AKS cluster %s does not exist in %s; there is no kubeconfig to write'
                        % (params['name'], params['resource_group']))
        kwargs = dict(format=params['kubeconfig_format']) if params['kubeconfig_format'] else {}
        credentials = module.call('read the user kubeconfig of AKS cluster %s' % params['name'],
                                  clusters.list_cluster_user_credentials, params['resource_group'], params['name'],
                                  **kwargs)
        content = kubeconfig_bytes(credentials)
        if not content:
            module.fail('kubeconfig_path: Azure returned no kubeconfig for AKS cluster %s' % params['name'])
        result['kubeconfig_path'] = params['kubeconfig_path']
        result['changed'] = not up_to_date(params['kubeconfig_path'], content)
        if result['changed'] and not module.check_mode:
            try:
                write_private(params['kubeconfig_path'], content)
            except (IOError, OSError) as exc:
                module.fail('kubeconfig_path: cannot write %s: %s' % (params['kubeconfig_path'], exc.strerror))
    module.exit(**result)


if __name__ == '__main__':
    main()
