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
  - The file starts with a comment line that marks it as written by this module. A file at O(kubeconfig_path) without
    that line (the operator's own C(~/.kube/config), say) is never replaced unless O(kubeconfig_force=true).
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
      - An existing file is replaced only when this module wrote it (its first line is the module's marker comment),
        or with O(kubeconfig_force=true); otherwise the module fails and leaves it as it is.
      - Not written in check mode (RV(changed) then says whether it would be). In check mode a cluster or a directory
        that does not exist yet (created earlier in the same run) is a predicted write, not a failure.
    type: path
  kubeconfig_force:
    description:
      - Replace a file at O(kubeconfig_path) that this module did not write (it may hold other clusters' credentials).
    type: bool
    default: false
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
    details: In check mode the kubeconfig file is not written; a cluster not created yet predicts a write.
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

- name: Replace a kubeconfig written by hand (after checking nothing else in it is needed)
  phonebill.platform.aks_cluster_info:
    name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    kubeconfig_path: ~/.kube/aks-phonebill-prod.config
    kubeconfig_force: true
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


# First line of every kubeconfig this module writes: what it may replace without kubeconfig_force.
KUBECONFIG_MARKER = (b'# Written by phonebill.platform.aks_cluster_info (AKS user kubeconfig); '
                     b'replaced on every run, do not edit.\n')


def written_here(path):
    """Whether the file at path is one this module wrote (it starts with KUBECONFIG_MARKER)."""
    try:
        with open(path, 'rb') as current:
            return current.read(len(KUBECONFIG_MARKER)) == KUBECONFIG_MARKER
    except (IOError, OSError):
        return False


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


def validate(params, check_mode=False):
    """Input errors of the kubeconfig options, before any call to Azure."""
    path = params['kubeconfig_path']
    if path and not params['name']:
        return ['kubeconfig_path: needs name and resource_group of the cluster whose kubeconfig to write']
    # in check mode the directory may be one the run creates before this task (not created in check mode)
    if path and not check_mode and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        return ['kubeconfig_path: the directory of %s does not exist; create it first' % path]
    return []


def write_kubeconfig(module, clusters, found):
    """Write the cluster's user kubeconfig to kubeconfig_path; never over a file this module did not write.

    Check mode writes nothing; a cluster that does not exist yet (check mode has not created it) is a predicted write.
    """
    params = module.params
    path = params['kubeconfig_path']
    if os.path.exists(path) and not written_here(path) and not params['kubeconfig_force']:
        module.fail('kubeconfig_path: %s exists and phonebill.platform did not write it (its first line is not the '
                    'marker comment): it may hold other clusters\' credentials and is left as it is; give a file of '
                    'its own (phonebill_kubeconfig), or kubeconfig_force: true to replace it' % path)
    if not found:
        if module.check_mode:
            module.warn('AKS cluster %s does not exist yet: check mode predicts its kubeconfig is written to %s'
                        % (params['name'], path))
            return dict(kubeconfig_path=path, changed=True)
        module.fail('kubeconfig_path: AKS cluster %s does not exist in %s; there is no kubeconfig to write'
                    % (params['name'], params['resource_group']))
    kwargs = dict(format=params['kubeconfig_format']) if params['kubeconfig_format'] else {}
    credentials = module.call('read the user kubeconfig of AKS cluster %s' % params['name'],
                              clusters.list_cluster_user_credentials, params['resource_group'], params['name'], **kwargs)
    content = kubeconfig_bytes(credentials)
    if not content:
        module.fail('kubeconfig_path: Azure returned no kubeconfig for AKS cluster %s' % params['name'])
    content = KUBECONFIG_MARKER + content
    changed = not up_to_date(path, content)
    if changed and not module.check_mode:
        try:
            write_private(path, content)
        except (IOError, OSError) as exc:
            module.fail('kubeconfig_path: cannot write %s: %s' % (path, exc.strerror))
    return dict(kubeconfig_path=path, changed=changed)


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        name=dict(type='str'),
        resource_group=dict(type='str'),
        kubernetes_versions_location=dict(type='str'),
        kubeconfig_path=dict(type='path'),
        kubeconfig_format=dict(type='str', choices=['azure', 'exec']),
        kubeconfig_force=dict(type='bool', default=False),
    ))
    module.fail_on(arm_info.option_problems(module.params, 'AKS cluster') + validate(module.params, module.check_mode))
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
        result.update(write_kubeconfig(module, clusters, found=bool(result['clusters'])))
    module.exit(**result)


if __name__ == '__main__':
    main()
