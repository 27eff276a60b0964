# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The monthly security audit judged from Azure's documents and the inventory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import security_audit as audit
from ansible_collections.phonebill.platform.plugins.module_utils.procedure_report import judge

NOW = datetime.datetime(2026, 12, 6, 17, 0, tzinfo=datetime.timezone.utc)
VAULT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv'
INVENTORY_NSG = dict(name='nsg-appgw', rules=[
    dict(name='allow-https-internet', priority=100, direction='Inbound', access='Allow', protocol='Tcp',
         source_address_prefix='Internet', destination_address_prefix='*', destination_port_ranges=['443'])])


def azure_rule(name, priority=100, source='Internet', ports=('443',), access='Allow', direction='Inbound'):
    # NSG GET: the single member with an empty list twin, as Azure returns them
    return dict(name=name, properties=dict(priority=priority, direction=direction, access=access, protocol='Tcp',
                                           sourceAddressPrefix=source, sourceAddressPrefixes=[],
                                           destinationAddressPrefix='*', destinationPortRanges=list(ports),
                                           provisioningState='Succeeded'))


def status(check):
    return judge(check)['status']


def test_public_network_access_on_fails_and_missing_counts_as_enabled():
    checks = audit.public_access_checks(dict(
        redis=('redis', dict(properties=dict(publicNetworkAccess='Disabled')), 'properties.publicNetworkAccess'),
        key_vault=('kv', dict(properties={}), 'properties.publicNetworkAccess'),
        postgresql=('psql', dict(properties=dict(network=dict(publicNetworkAccess='Enabled'))),
                    'properties.network.publicNetworkAccess')),
        dict(redis='Disabled', key_vault='Disabled', postgresql='Disabled'))
    judged = dict((c['name'], judge(c)) for c in checks)
    assert judged['redis public network access']['status'] == 'PASS'
    assert judged['key_vault public network access']['status'] == 'FAIL'
    assert judged['postgresql public network access']['measured'] == 'Enabled'
    assert judged['postgresql public network access']['status'] == 'FAIL'


@pytest.mark.parametrize('policy,verdict', [
    (None, 'PASS'),                                                    # Azure's default AppGwSslPolicy20220101
    (dict(policyType='Predefined', policyName='AppGwSslPolicy20150501'), 'FAIL'),
    (dict(policyType='Predefined', policyName='AppGwSslPolicy20220101S'), 'PASS'),
    (dict(policyType='CustomV2', minProtocolVersion='TLSv1_3'), 'PASS'),
    (dict(policyType='Custom', minProtocolVersion='TLSv1_1'), 'FAIL'),
])
def test_gateway_ssl_policy_minimum(policy, verdict):
    gateway = dict(name='agw', properties=dict(sslPolicy=policy) if policy else {})
    assert status(audit.tls_checks(None, gateway, '1.2')[0]) == verdict


@pytest.mark.parametrize('version,verdict', [('1.2', 'PASS'), ('1.0', 'FAIL'), (None, 'WARN')])
def test_redis_minimum_tls(version, verdict):
    redis = dict(name='redis', properties=dict(minimumTlsVersion=version) if version else {})
    assert status(audit.tls_checks(redis, None, '1.2')[0]) == verdict


def test_tls_checks_show_the_minimum_as_threshold():
    judged = judge(audit.tls_checks(dict(name='redis', properties=dict(minimumTlsVersion='1.0')), None, '1.2')[0])
    assert (judged['measured'], judged['threshold']) == (1.0, '>= 1.2 TLS version')


def test_postgresql_ssl_min_protocol_version():
    configs = [dict(name='ssl_min_protocol_version', properties=dict(value='TLSv1.2'))]
    assert status(audit.postgresql_tls_checks('psql', configs, '1.2')[0]) == 'PASS'
    configs[0]['properties']['value'] = 'TLSv1'
    assert status(audit.postgresql_tls_checks('psql', configs, '1.2')[0]) == 'FAIL'


def test_key_vault_purge_protection_off_fails():
    vault = dict(name='kv', properties=dict(enableSoftDelete=True))
    judged = dict((c['name'], status(c)) for c in audit.key_vault_checks(vault))
    assert judged == {'key vault soft delete': 'PASS', 'key vault purge protection': 'FAIL'}


def nsg_verdicts(rules):
    checks = audit.nsg_checks([dict(name='NSG-APPGW', properties=dict(securityRules=rules))], [INVENTORY_NSG])
    return dict((c['name'], judge(c)) for c in checks)


def test_nsg_as_the_inventory_passes():
    judged = nsg_verdicts([azure_rule('allow-https-internet')])
    assert [c['status'] for c in judged.values()] == ['PASS', 'PASS']


def test_an_extra_rule_open_to_the_internet_fails_another_extra_warns():
    judged = nsg_verdicts([azure_rule('allow-https-internet'), azure_rule('debug-ssh', 200, '*', ('22',))])
    failed = judged['nsg nsg-appgw rules']
    assert (failed['status'], failed['measured'], failed['threshold']) == ('FAIL', 1, '<= 0 rules')
    assert 'not in the inventory: debug-ssh (allows inbound from *)' in failed['detail']
    assert judged['nsg nsg-appgw rules not in the inventory']['status'] == 'PASS'
    judged = nsg_verdicts([azure_rule('allow-https-internet'), azure_rule('deny-all', 4000, '*', ('*',), access='Deny')])
    assert judged['nsg nsg-appgw rules']['status'] == 'PASS'
    assert judged['nsg nsg-appgw rules not in the inventory']['status'] == 'WARN'


def test_a_missing_or_changed_rule_fails():
    missing = audit.nsg_checks([dict(name='nsg-appgw', properties=dict(securityRules=[]))], [INVENTORY_NSG])[0]
    assert status(missing) == 'FAIL' and 'missing: allow-https-internet' in missing['detail']
    changed = audit.nsg_checks([dict(name='nsg-appgw', properties=dict(securityRules=[
        azure_rule('allow-https-internet', ports=('443', '8443'))]))], [INVENTORY_NSG])[0]
    assert status(changed) == 'FAIL' and 'differs from the inventory: allow-https-internet' in changed['detail']
    assert status(audit.nsg_checks([], [INVENTORY_NSG])[0]) == 'FAIL'


def test_expiry_within_the_thresholds():
    soon = (NOW + datetime.timedelta(days=5)).isoformat()
    later = (NOW + datetime.timedelta(days=20)).isoformat()
    far = (NOW + datetime.timedelta(days=80)).isoformat()
    items = [dict(name='a', enabled=True, expires=soon), dict(name='b', enabled=True, expires=later),
             dict(name='c', enabled=True, expires=far), dict(name='d', enabled=False, expires=soon),
             dict(name='cert-backing', enabled=True, managed=True, expires=soon), dict(name='e', enabled=True, expires=None)]
    judged = dict((c['name'], judge(c)) for c in audit.expiry_checks(items, 'secret', NOW, 30, 7))
    assert judged['secret a expiry']['status'] == 'FAIL'
    assert judged['secret a expiry']['measured'] == 5.0
    assert judged['secret b expiry']['status'] == 'WARN'
    assert judged['secret c expiry']['status'] == 'PASS'
    assert judged['secret e expiry']['status'] == 'PASS'
    assert 'secret d expiry' not in judged and 'secret cert-backing expiry' not in judged


def test_role_assignments_declared_by_identity_name():
    identities = [dict(name='phonebill-services', properties=dict(principalId='p-services')),
                  dict(name='id-agw', properties=dict(principalId='p-gateway'))]
    declared = [dict(identity='phonebill-services', role='Key Vault Secrets User'),
                dict(identity='id-agw', role='Key Vault Secrets User', secret='ssl-wildcard-cert')]
    expected = audit.declared_vault_assignments(declared, VAULT, identities)
    role_names = {'4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
                  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner'}

    def assignment(principal, role, scope, kind='ServicePrincipal'):
        return dict(properties=dict(principalId=principal, principalType=kind, scope=scope,
                                    roleDefinitionId='/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/%s' % role))
    actual = [assignment('p-services', '4633458b-17de-408a-b874-0445c86b69e6', VAULT),
              assignment('p-gateway', '4633458b-17de-408a-b874-0445c86b69e6', VAULT + '/secrets/ssl-wildcard-cert')]
    checks = audit.role_assignment_checks(audit.actual_assignments(actual, role_names), expected, 'key vault kv')
    assert [status(c) for c in checks] == ['PASS', 'PASS']
    reader = assignment('p-reader', '4633458b-17de-408a-b874-0445c86b69e6', VAULT, 'User')
    checks = audit.role_assignment_checks(audit.actual_assignments(actual + [reader], role_names), expected, 'key vault kv')
    assert [status(c) for c in checks] == ['PASS', 'WARN']
    actual.append(assignment('p-intruder', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', VAULT, 'User'))
    check = audit.role_assignment_checks(audit.actual_assignments(actual, role_names), expected, 'key vault kv')[0]
    assert status(check) == 'FAIL'
    assert 'not in the inventory: User p-intruder (Owner)' in check['detail']
    check = audit.role_assignment_checks(audit.actual_assignments(actual[:1], role_names), expected, 'key vault kv')[0]
    assert status(check) == 'FAIL' and 'missing: ServicePrincipal p-gateway (Key Vault Secrets User)' in check['detail']


def test_delivery_identity_holds_exactly_its_grants():
    registry = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr'
    cluster = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks'
    identity = dict(name='id-phonebill-delivery', properties=dict(principalId='p1'))

    def assignment(guid, scope):
        return dict(properties=dict(principalId='p1', principalType='ServicePrincipal', scope=scope,
                                    roleDefinitionId='/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/' + guid))
    names = {'acrpush': 'AcrPush', 'aksuser': 'Azure Kubernetes Service Cluster User Role', 'owner': 'Owner', 'reader': 'Reader'}
    expected = dict(minimum_tls_version='1.2', expiry_warn_days=30, expiry_fail_days=7,
                    delivery_grants=[dict(role='AcrPush', scope=registry),
                                     dict(role='Azure Kubernetes Service Cluster User Role', scope=cluster)],
                    names=dict(delivery_identity='id-phonebill-delivery'))

    def checks(assignments, found=True):
        facts = dict(delivery_identity=identity if found else None, delivery_role_assignments=assignments,
                     delivery_role_names=names)
        return dict((c['name'], c) for c in audit.audit_checks(facts, expected, None) if 'delivery' in c['name'])
    exact = checks([assignment('acrpush', registry), assignment('aksuser', cluster)])
    label = 'role assignments on the subscription by delivery identity id-phonebill-delivery'
    assert exact[label]['measured'] == 0 and exact[label + ' not in the inventory']['measured'] == 0
    extra = checks([assignment('acrpush', registry), assignment('aksuser', cluster), assignment('reader', '/subscriptions/s'),
                    assignment('owner', '/subscriptions/s/resourceGroups/rg')])
    assert extra[label]['measured'] == 1 and extra[label + ' not in the inventory']['measured'] == 1  # Owner FAILs
    assert 'not in the inventory' in extra[label]['detail']
    missing = checks([assignment('acrpush', registry)])
    assert missing[label]['measured'] == 1 and 'missing' in missing[label]['detail']
    assert checks([], found=False) == {'delivery identity id-phonebill-delivery': dict(
        name='delivery identity id-phonebill-delivery', category='security', status='FAIL', measured=None,
        detail='user-assigned identity not found; the pipeline cannot sign in')}
