# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the monthly and daily procedure tests share: the platform as the production inventory states it, seeded
into the sandbox, and ansible-playbook with the production inventory returning the procedure's report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import glob
import json
import os
import subprocess
import sys
import uuid

import pytest
import yaml

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
INVENTORY = os.path.join(COLLECTION, 'inventories', 'prod')
GROUP = 'rg-phonebill-prod'
INSIDE = '2026-12-05T17:10:00Z'       # Sunday 02:10 KST
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


def run(sandbox, tmp_path, playbook, procedure, options=(), **extra):
    """ansible-playbook with the production inventory (and `options`, such as --check); (returncode, output, report)."""
    reports = tmp_path / ('reports-%s' % uuid.uuid4().hex[:6])
    (tmp_path / 'vars.json').write_text(json.dumps(dict(extra, maintenance_guard_now=INSIDE,
                                                        maintenance_guard_verify_delay_seconds=0)))
    env = dict(os.environ, **sandbox.ansible_env())
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1', PHONEBILL_REPORT_DIR=str(reports),
               ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'))
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY,
                           '-e', 'ansible_python_interpreter=%s' % sys.executable, '-e', '@%s' % (tmp_path / 'vars.json'),
                           playbook] + list(options), env=env, capture_output=True, text=True, timeout=300, check=False)
    found = glob.glob(str(reports / ('%s-*.json' % procedure)))
    report = None
    if found:
        with open(found[0], encoding='utf-8') as handle:
            report = json.load(handle)
    return done.returncode, done.stdout + done.stderr, report


def monthly(sandbox, tmp_path):
    return run(sandbox, tmp_path, os.path.join(COLLECTION, 'playbooks', 'maintenance', 'monthly.yml'), 'monthly',
               cost_as_of=AS_OF, security_audit_now=NOW)


def writes_besides_the_lock(sandbox, group):
    """Write requests to anything but the resource group itself (the maintenance lock is its tag)."""
    return [(r['method'], r['path']) for r in sandbox.requests()
            if r.get('write') and r['path'].rstrip('/').lower() != group.lower()]


def by_name(report):
    return dict((c['name'], c) for c in report['checks'])
