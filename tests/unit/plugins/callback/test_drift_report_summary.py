# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the drift report summarises task results: per resource, only what the modules returned."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.phonebill.platform.plugins.callback.drift_report import Report

NSG_ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-aks'
VNET_ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-prod'
PORT_CHANGED = dict(path='properties.securityRules[allow-postgresql].properties.destinationPortRanges', before=['5433'], after=['5432'])


def nsg_result(changed=True, differences=(PORT_CHANGED,), **extra):
    """A network_security_group result in check mode, as the module returns it (masked resource, differences)."""
    return dict(changed=changed, differences=list(differences), unmanaged_rules=[], item={'name': 'nsg-aks'},
                resource=dict(id=NSG_ID, name='nsg-aks', type='Microsoft.Network/networkSecurityGroups', location='koreacentral'),
                diff=dict(before={}, after={}), **extra)


def test_in_sync_results_give_an_empty_in_sync_report():
    report = Report('run-1')
    report.add('phonebill.platform.network : Network security groups', 'nsg-aks', nsg_result(changed=False, differences=()))
    report.add('Read the node pools Azure has', None, dict(changed=False, agent_pools=[{'name': 'system'}]))
    summary = report.as_dict()
    assert (summary['status'], summary['drifted'], summary['unmanaged'], summary['failed']) == ('in_sync', [], [], [])
    assert summary['counts'] == dict(drifted=0, differences=0, unmanaged=0, failed=0)


def test_a_changed_resource_is_reported_by_its_id_with_the_modules_differences_only():
    report = Report('run-1')
    report.add('phonebill.platform.network : Network security groups', 'nsg-aks', nsg_result())
    assert report.as_dict()['drifted'] == [dict(task='phonebill.platform.network : Network security groups', item='nsg-aks',
                                                resource=NSG_ID, differences=[PORT_CHANGED])]
    assert report.status == 'drifted'


def test_a_resource_check_mode_would_create_is_named_by_task_and_item():
    report = Report('run-1')
    created = dict(changed=True, resource=dict(location='koreacentral'), differences=[dict(path='location', before=None, after='koreacentral')])
    report.add('Public IP addresses', 'pip-agw', created)
    assert report.as_dict()['drifted'][0]['resource'] == 'Public IP addresses [pip-agw]'


def test_masked_values_stay_masked_and_a_no_log_result_gives_no_value():
    report = Report('run-1')
    masked = dict(path='properties.value', before='********', after='******** (changed)')
    report.add('Key Vault secrets', 'db-password', dict(changed=True, differences=[masked], resource=dict(id='/vaults/kv/secrets/db-password')))
    report.add('Secret by hand', None, dict(censored="the output has been hidden due to the fact that 'no_log: true' was specified",
                                            changed=True))
    drifted = report.as_dict()['drifted']
    assert drifted[0]['differences'] == [masked]
    assert drifted[1] == dict(task='Secret by hand', resource='Secret by hand', differences=[], note='changed; details hidden (no_log)')
    assert 'censored' not in json.dumps(report.as_dict())


def test_a_change_without_differences_is_drift_with_a_note():
    report = Report('run-1')
    report.add('Apply the workload manifests (server-side apply)', None, dict(changed=True, msg='Check mode: ...'))
    assert report.as_dict()['drifted'][0]['note'] == 'changed; the module returned no differences'


def test_kubernetes_objects_are_resources_of_their_own_and_orphans_are_unmanaged():
    report = Report('run-1')
    report.add('Apply the workload manifests (server-side apply)', None, dict(changed=True, objects=[
        dict(apiVersion='apps/v1', kind='Deployment', namespace='phonebill-prod', name='auth-service', action='updated',
             validated=True, differences=[dict(path='metadata.labels.app', before=None, after='auth-service')]),
        dict(apiVersion='v1', kind='Service', namespace='phonebill-prod', name='auth-service', action='unchanged', differences=[]),
        dict(apiVersion='v1', kind='ConfigMap', namespace='phonebill-prod', name='settings', action='created', validated=True,
             differences=[]),
    ], orphans=[dict(apiVersion='v1', kind='ConfigMap', namespace='phonebill-prod', name='old-settings')]))
    summary = report.as_dict()
    assert [(d['resource'], d['action'], d['differences'], d.get('note')) for d in summary['drifted']] == [
        ('Deployment/phonebill-prod/auth-service', 'updated', [dict(path='metadata.labels.app', before=None, after='auth-service')], None),
        ('ConfigMap/phonebill-prod/settings', 'created', [], 'created; no differences returned'),
    ]
    assert [(u['kind'], u['names']) for u in summary['unmanaged']] == [('objects', ['ConfigMap/phonebill-prod/old-settings'])]


def test_unmanaged_lists_from_module_results_and_from_facts_are_reported_under_their_kind():
    report = Report('run-1')
    report.add('Virtual network and subnets', None, dict(changed=False, differences=[], unmanaged_subnets=['snet-by-hand'],
                                                         resource=dict(id=VNET_ID)))
    report.add('Find the node pools that are not in the inventory', None,
               dict(changed=False, ansible_facts=dict(aks_unmanaged_pools=['manual'], aks_other=['x'])))
    report.add('Network security groups', 'nsg-aks', nsg_result(changed=False, differences=()))
    assert [(u['resource'], u['kind'], u['names']) for u in report.as_dict()['unmanaged']] == [
        (VNET_ID, 'subnets', ['snet-by-hand']),
        ('Find the node pools that are not in the inventory', 'pools', ['manual']),
    ]
    assert report.status == 'drifted'


def test_a_failed_task_makes_the_report_failed_with_its_message():
    report = Report('run-1')
    report.add('Network security groups', 'nsg-aks', nsg_result())
    report.add('AKS cluster', None, dict(msg='AuthorizationFailed: the client has no access'), failed=True)
    report.add('Hidden', None, dict(censored='hidden', msg='not shown'), failed=True)
    assert report.status == 'failed'
    assert report.as_dict()['failed'] == [dict(task='AKS cluster', msg='AuthorizationFailed: the client has no access'),
                                          dict(task='Hidden', msg='hidden (no_log)')]


def test_markdown_has_one_table_per_resource_with_json_values_and_escaped_pipes():
    report = Report('run-1')
    report.add('Network security groups', 'nsg-aks', nsg_result(differences=[
        PORT_CHANGED, dict(path='tags.note', before='a|b', after=None)]))
    report.complete = True
    markdown = report.markdown()
    assert markdown.startswith('# Platform drift report: drifted\n')
    assert '### %s\n\nTask: Network security groups [nsg-aks]\n' % NSG_ID in markdown
    assert ('| `properties.securityRules[allow-postgresql].properties.destinationPortRanges` | `["5433"]` | `["5432"]` |'
            in markdown)
    assert '| `tags.note` | `"a\\|b"` | `(absent)` |' in markdown
    assert '(incomplete)' not in markdown


def test_markdown_of_an_incomplete_in_sync_run_says_so():
    markdown = Report('run-1').markdown()
    assert 'Run `run-1` (incomplete)' in markdown
    assert 'Everything the inventory states is in place' in markdown
