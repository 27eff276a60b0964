# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the monthly and daily procedure tests share: the platform as the production inventory states it, seeded
into the sandbox, and ansible-playbook with the production inventory returning the procedure's report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os
import uuid

import pytest
import yaml

from ansible_collections.phonebill.platform.tests.integration.maintenance_run import INSIDE, INVENTORY, checks, run_maintenance  # noqa: F401 pylint: disable=unused-import

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
GROUP = 'rg-phonebill-prod'
AS_OF = '2026-12-15'                  # day 15 of 31
NOW = '2026-12-15T00:00:00Z'
NODE_GROUP = 'MC_rg-phonebill-prod_aks-phonebill-prod_koreacentral'   # where Azure bills the AKS nodes
OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'

ALERTS_PLAYBOOK = '''
- name: Defender alerts as the daily procedure reads them
  hosts: localhost
  gather_facts: false
  tasks:
    - name: The alerts, reported
      block:
        - name: Security alerts
          ansible.builtin.include_tasks: {tasks}
      always:
        - name: Report
          ansible.builtin.include_role:
            name: phonebill.platform.procedure_report
          vars:
            procedure_report_procedure: alerts
            procedure_report_checks: "{{{{ procedure_checks | default([]) }}}}"
'''


def inventory(name):
    with open(os.path.join(INVENTORY, 'group_vars', 'all', name + '.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def platform(azure, sandbox):
    """The resources the monthly procedure reads, as the production inventory states them."""
    sub = sandbox.subscription_id
    group = '/subscriptions/%s/resourceGroups/%s' % (sub, GROUP)
    arm = group + '/providers/'
    sandbox.seed([{'id': group, 'location': 'koreacentral'}])
    sandbox.seed([
        {'id': arm + 'Microsoft.ManagedIdentity/userAssignedIdentities/phonebill-services', 'location': 'koreacentral'},
        {'id': arm + 'Microsoft.ManagedIdentity/userAssignedIdentities/id-agw-phonebill-prod', 'location': 'koreacentral'},
        {'id': arm + 'Microsoft.KeyVault/vaults/kv-phonebill-prod', 'location': 'koreacentral', 'properties': {
            'tenantId': sandbox.tenant_id, 'sku': {'family': 'A', 'name': 'premium'}, 'enableSoftDelete': True,
            'enablePurgeProtection': True, 'enableRbacAuthorization': True, 'publicNetworkAccess': 'Disabled'}},
        {'id': arm + 'Microsoft.DBforPostgreSQL/flexibleServers/psql-phonebill-prod', 'location': 'koreacentral',
         'sku': {'name': 'Standard_D4s_v3', 'tier': 'GeneralPurpose'},
         'properties': {'version': '16', 'storage': {'storageSizeGB': 256, 'autoGrow': 'Enabled'},
                        'network': {'publicNetworkAccess': 'Disabled'}}},
        {'id': arm + 'Microsoft.Cache/Redis/redis-phonebill-prod', 'location': 'koreacentral', 'properties': {
            'sku': {'name': 'Premium', 'family': 'P', 'capacity': 2}, 'shardCount': 3, 'enableNonSslPort': False,
            'minimumTlsVersion': '1.2', 'publicNetworkAccess': 'Disabled'}},
        {'id': arm + 'Microsoft.Network/applicationGateways/agw-phonebill-prod', 'location': 'koreacentral', 'properties': {
            'sku': {'name': 'WAF_v2', 'tier': 'WAF_v2'},
            'sslPolicy': {'policyType': 'Predefined', 'policyName': 'AppGwSslPolicy20220101'}}},
        {'id': arm + 'Microsoft.ContainerService/managedClusters/aks-phonebill-prod', 'location': 'koreacentral',
         'properties': {'kubernetesVersion': '1.32.6', 'dnsPrefix': 'aks', 'agentPoolProfiles': [
             {'name': 'system', 'mode': 'System', 'count': 3, 'minCount': 3, 'maxCount': 5, 'enableAutoScaling': True,
              'vmSize': 'Standard_D2s_v3'},
             {'name': 'app', 'mode': 'User', 'count': 3, 'minCount': 3, 'maxCount': 10, 'enableAutoScaling': True,
              'vmSize': 'Standard_D4s_v3'}]}},
    ])
    for nsg in inventory('network')['phonebill_network_security_groups']:
        azure('network_security_group', name=nsg['name'], resource_group=GROUP, location='koreacentral', rules=nsg['rules'])
    vault = azure('key_vault_info', name='kv-phonebill-prod', resource_group=GROUP)['vaults'][0]
    # the gateway's assignment is scoped to the certificate's backing secret, which must exist first
    secrets = secret_client(sandbox, vault)
    for name in ('jwt-signing-key', 'ssl-wildcard-cert'):
        secrets.set_secret(name, uuid.uuid4().hex, expires_on=datetime.datetime(2027, 3, 1, tzinfo=datetime.timezone.utc))
    principals = dict((i['name'], i['properties']['principalId']) for i in
                      azure('user_assigned_identity_info', resource_group=GROUP)['identities'])
    names = {'{{ phonebill_services_identity }}': 'phonebill-services', '{{ phonebill_gateway_identity }}': 'id-agw-phonebill-prod'}
    for item in inventory('keyvault')['phonebill_key_vault']['role_assignments']:
        scope = vault['id'] + ('/secrets/%s' % item['secret'] if item.get('secret') else '')
        azure('role_assignment', scope=scope, role=item['role'], principal_id=principals[names[item['identity']]],
              principal_type='ServicePrincipal')
    # SPEC §11: the delivery identity holds exactly AcrPush on the registry and cluster user on AKS
    delivery = inventory('delivery')['phonebill_delivery']
    sandbox.seed([{'id': arm + 'Microsoft.ContainerRegistry/registries/acrphonebillprod', 'location': 'koreacentral',
                   'sku': {'name': 'Premium'}, 'properties': {}},
                  {'id': arm + 'Microsoft.ManagedIdentity/userAssignedIdentities/' + delivery['identity'],
                   'location': 'koreacentral'}])
    pipeline = azure('user_assigned_identity_info', name=delivery['identity'], resource_group=GROUP)['identities'][0]
    for role, kind in ((delivery['roles']['registry'], 'Microsoft.ContainerRegistry/registries/acrphonebillprod'),
                       (delivery['roles']['cluster'], 'Microsoft.ContainerService/managedClusters/aks-phonebill-prod')):
        azure('role_assignment', scope=arm + kind, role=role, principal_id=pipeline['properties']['principalId'],
              principal_type='ServicePrincipal')
    sandbox.seed_costs([
        cost_row('microsoft.compute/virtualmachinescalesets', 'Virtual Machines', 1200 * 0.7, NODE_GROUP),
        cost_row('microsoft.dbforpostgresql/flexibleservers', 'Azure Database for PostgreSQL', 450 * 0.7),
        cost_row('microsoft.cache/redis', 'Redis Cache', 250 * 0.7)])
    sandbox.config(cost_as_of=AS_OF)
    return dict(group=group, vault=vault, arm=arm)


def cost_row(resource_type, meter, per_month, group=GROUP):
    """A Cost Management row: month to date on day 15 of 31 of a line running at PER_MONTH USD a month."""
    return dict(resourceType=resource_type, meterCategory=meter, resourceGroup=group, cost=per_month * 15 / 31)


def secret_client(sandbox, vault):
    from azure.keyvault.secrets import SecretClient  # pylint: disable=import-outside-toplevel
    return SecretClient(vault['properties']['vaultUri'], sandbox.credential(), **sandbox.data_plane_kwargs())


def monthly(sandbox, tmp_path):
    return run_maintenance(sandbox, tmp_path, 'monthly.yml', cost_as_of=AS_OF, security_audit_now=NOW)


def writes_besides_the_lock(sandbox, group):
    """Write requests to anything but the resource group itself (the maintenance lock is its tag)."""
    return [(r['method'], r['path']) for r in sandbox.requests()
            if r.get('write') and r['path'].rstrip('/').lower() != group.lower()]
