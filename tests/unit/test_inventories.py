# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped inventories: one owner per variable, and the kubeconfig site.yml writes is a file of its own (issue 8)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os

import pytest
import yaml
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible.vars.manager import VariableManager

INVENTORIES = os.path.join(os.path.dirname(__file__), '..', '..', 'inventories')
GROUP_VARS = os.path.join(INVENTORIES, 'prod', 'group_vars', 'all')


def test_every_variable_is_defined_in_one_group_vars_file_only():
    """Ansible loads group_vars/all/*.yml in order and the last definition silently wins."""
    owners = collections.defaultdict(list)
    for name in sorted(os.listdir(GROUP_VARS)):
        with open(os.path.join(GROUP_VARS, name), encoding='utf-8') as handle:
            for variable in yaml.safe_load(handle) or {}:
                owners[variable].append(name)
    assert {variable: files for variable, files in owners.items() if len(files) > 1} == {}


@pytest.mark.parametrize('inventory', ['prod', 'sandbox'])
def test_the_aks_kubeconfig_is_never_the_default_kubeconfig(inventory, monkeypatch):
    """site.yml writes the AKS kubeconfig to phonebill_kubeconfig: never over ~/.kube/config."""
    for variable in ('K8S_AUTH_KUBECONFIG', 'KUBECONFIG'):
        monkeypatch.delenv(variable, raising=False)
    loader = DataLoader()
    manager = InventoryManager(loader=loader, sources=[os.path.join(INVENTORIES, inventory, 'hosts.yml')])
    variables = VariableManager(loader=loader, inventory=manager).get_vars(host=manager.get_host('localhost'))
    path = Templar(loader=loader, variables=variables).template(variables['phonebill_kubeconfig'])
    assert os.path.expanduser(path) != os.path.expanduser('~/.kube/config')
    assert os.path.basename(path).startswith('aks-phonebill-'), path
    assert variables['phonebill_kubeconfig_force'] is False
