# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options every Kubernetes module shares: connection, waiting."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """Connection options (phonebill.platform.k8s)."""

    DOCUMENTATION = r'''
options:
  kubeconfig:
    description:
      - Path of the kubeconfig file to connect with (for AKS, the one C(phonebill.platform.aks_cluster_info) writes).
      - Can be set with E(K8S_AUTH_KUBECONFIG) or E(KUBECONFIG). Without either, C(~/.kube/config) is read, or the
        pod's service account is used when the module runs inside a cluster.
    type: path
  context:
    description:
      - Context of the kubeconfig to use; its current context when not given. Can be set with E(K8S_AUTH_CONTEXT).
    type: str
requirements:
  - kubernetes >= 33, < 38
'''

    WAIT = r'''
options:
  wait:
    description: Wait until the operation completes.
    type: bool
    default: true
  timeout:
    description: Seconds to wait before failing; the default depends on the module.
    type: int
'''
