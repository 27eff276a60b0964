# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The delivery role on the sandbox: an identity GitHub Actions signs in as (OIDC), with exactly its two roles."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest
import yaml

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
GROUP = 'rg-phonebill-it'
DELIVERY_VARS = os.path.join(COLLECTION, 'inventories', 'prod', 'group_vars', 'all', 'delivery.yml')
with open(DELIVERY_VARS, encoding='utf-8') as handle:
    DELIVERY = yaml.safe_load(handle)['phonebill_delivery']
PLAYBOOK = '''
- name: Delivery identity
  hosts: localhost
  gather_facts: false
  vars_files:
    - %s
  vars:
    phonebill_resource_group: %s
    phonebill_location: koreacentral
    phonebill_tags: {service: phonebill}
    phonebill_registry: {name: acrphonebillit}
    phonebill_aks: {name: aks-phonebill-it}
  roles:
    - phonebill.platform.delivery
''' % (DELIVERY_VARS, GROUP)


@pytest.fixture
def platform(azure, sandbox):
    """The resource group, registry and cluster the identity's roles are granted on."""
    assert azure('resource_group', name=GROUP, location='koreacentral')['changed'] is True
    base = '/subscriptions/%s/resourceGroups/%s/providers/' % (sandbox.subscription_id, GROUP)
    registry, cluster = base + 'Microsoft.ContainerRegistry/registries/acrphonebillit', \
        base + 'Microsoft.ContainerService/managedClusters/aks-phonebill-it'
    sandbox.seed([{'id': registry, 'location': 'koreacentral', 'sku': {'name': 'Premium'}, 'properties': {}},
                  {'id': cluster, 'location': 'koreacentral', 'properties': {'kubernetesVersion': '1.32.6'}}])
    return dict(registry=registry, cluster=cluster)


def run(sandbox, tmp_path, *extra):
    playbook = tmp_path / 'delivery.yml'
    playbook.write_text(PLAYBOOK)
    env = dict(os.environ, **sandbox.ansible_env())
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1',
               ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'))
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,',
                           '-c', 'local', '-e', 'ansible_python_interpreter=%s' % sys.executable, str(playbook)]
                          + list(extra), env=env, capture_output=True, text=True, timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def principal_assignments(azure, sandbox, principal):
    found = azure('role_assignment_info', scope='/subscriptions/%s' % sandbox.subscription_id, principal_id=principal)
    return sorted((found['role_names'][a['properties']['roleDefinitionId'].rsplit('/', 1)[-1].lower()],
                   a['properties']['scope'].lower()) for a in found['assignments'])


def test_identity_trusts_each_repository_holds_exactly_its_two_roles_and_drift_is_repaired(
        azure, sandbox, platform, tmp_path):
    check = run(sandbox, tmp_path, '--check')
    assert azure.writes() == 1  # the resource group of the fixture only
    assert 'WARNING' not in check
    run(sandbox, tmp_path)
    identity = azure('user_assigned_identity_info', name=DELIVERY['identity'], resource_group=GROUP)['identities'][0]
    principal = identity['properties']['principalId']
    assert principal_assignments(azure, sandbox, principal) == sorted([
        ('AcrPush', platform['registry'].lower()),
        ('Azure Kubernetes Service Cluster User Role', platform['cluster'].lower())])
    credentials = [r for r in sandbox.snapshot()['resources'].values()
                   if r['type'].lower().endswith('/federatedidentitycredentials')]
    assert sorted(c['body']['properties']['subject'] for c in credentials) == sorted(
        'repo:%s/%s:environment:%s' % (DELIVERY['organization'], repo, env)
        for repo in DELIVERY['repositories'] for env in DELIVERY['environments'])
    assert all(c['body']['properties']['issuer'] == 'https://token.actions.githubusercontent.com'
               and c['body']['properties']['audiences'] == ['api://AzureADTokenExchange'] for c in credentials)
    writes = azure.writes()
    run(sandbox, tmp_path)
    assert azure.writes() == writes  # the second run writes nothing

    # drift: a credential deleted in the portal, a role granted by hand
    group_id = '/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, GROUP)
    assert azure('role_assignment', scope=group_id, role='Contributor', principal_id=principal,
                 principal_type='ServicePrincipal')['changed'] is True
    sandbox.drift(credentials[0]['id'], delete=True)
    writes = azure.writes()
    predicted = run(sandbox, tmp_path, '--check')
    assert azure.writes() == writes
    assert 'holds Contributor on %s' % group_id in predicted
    assert 'kept: set phonebill_delivery.purge_role_assignments' in predicted
    kept = run(sandbox, tmp_path)
    assert azure.writes() == writes + 1  # the credential is back; the extra role is only reported
    assert 'holds Contributor' in kept and len([r for r in sandbox.snapshot()['resources'].values()
                                                if r['type'].lower().endswith('/federatedidentitycredentials')]) == 2
    assert ('Contributor', group_id.lower()) in principal_assignments(azure, sandbox, principal)
    purged = run(sandbox, tmp_path, '-e', json.dumps(dict(phonebill_delivery=dict(DELIVERY, purge_role_assignments=True))))
    assert 'it is removed (purge_role_assignments)' in purged
    assert [role for role, _scope in principal_assignments(azure, sandbox, principal)] == [
        'AcrPush', 'Azure Kubernetes Service Cluster User Role']
