# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""entra_application and entra_application_info against the sandbox's Microsoft Graph."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

ROLES = [
    dict(value='User', display_name='User', description='Reads own bills and changes own products'),
    dict(value='Admin', display_name='Admin', description='Administers the phonebill service'),
    dict(value='ServiceAccount', display_name='Service account', description='Service-to-service calls',
         allowed_member_types=['Application']),
]
APP = dict(unique_name='phonebill-api', display_name='phonebill-api', sign_in_audience='AzureADMyOrg',
           identifier_uris=['api://phonebill-api'], app_roles=ROLES)


def test_create_predicted_then_unchanged_with_no_write(azure, sandbox):
    predicted = azure('entra_application', check_mode=True, **APP)
    assert predicted['changed'] is True and azure.writes() == 0 and predicted['app_id'] is None
    assert {'path': 'servicePrincipal', 'before': None, 'after': '(created with the application)'} in predicted['differences']
    created = azure('entra_application', **APP)
    assert created['changed'] is True and created['app_id'] and created['service_principal_id']
    assert set(created['app_role_ids']) == {'User', 'Admin', 'ServiceAccount'}
    assert created['resource']['identifierUris'] == ['api://phonebill-api']
    assert [d for d in created['differences'] if not d['path'].startswith('servicePrincipal')] == \
        [d for d in predicted['differences'] if d['path'] != 'servicePrincipal']
    [principal] = sandbox.graph_objects('servicePrincipals')
    assert principal['appId'] == created['app_id']
    writes = azure.writes()
    again = azure('entra_application', **APP)
    assert again['changed'] is False and again['differences'] == [] and azure.writes() == writes
    assert again['app_role_ids'] == created['app_role_ids'] and again['unmanaged_app_roles'] == []
    check = azure('entra_application', check_mode=True, **APP)
    assert check['changed'] is False and azure.writes() == writes


def test_role_ids_are_stable_across_tenants_and_recreation(azure):
    first = azure('entra_application', **APP)['app_role_ids']
    azure('entra_application', unique_name='phonebill-api', state='absent')
    assert azure('entra_application', **APP)['app_role_ids'] == first


def test_drift_detected_and_repaired_keeping_unmanaged_roles(azure, sandbox):
    created = azure('entra_application', **APP)
    app = [a for a in sandbox.graph_objects('applications') if a['id'] == created['object_id']][0]
    roles = copy.deepcopy(app['appRoles'])
    for role in roles:
        if role['value'] == 'Admin':
            role['description'] = 'changed in the portal'
    roles.append(dict(id='8a7f4d1e-4b0a-4f43-9a57-2a4c0d9c1e11', value='Auditor', displayName='Auditor',
                      description='added by hand', allowedMemberTypes=['User'], isEnabled=True))
    sandbox.drift_graph('applications', created['object_id'], {'appRoles': roles, 'displayName': 'renamed'})
    writes = azure.writes()
    predicted = azure('entra_application', check_mode=True, **APP)
    assert azure.writes() == writes
    assert sorted(d['path'] for d in predicted['differences']) == ['appRoles[Admin].description', 'displayName']
    assert predicted['unmanaged_app_roles'] == ['Auditor']
    repaired = azure('entra_application', **APP)
    assert repaired['differences'] == predicted['differences'] and azure.writes() == writes + 1
    after = dict((r['value'], r) for r in repaired['resource']['appRoles'])
    assert after['Admin']['description'] == 'Administers the phonebill service' and 'Auditor' in after
    assert repaired['resource']['displayName'] == 'phonebill-api'
    assert azure('entra_application', **APP)['changed'] is False


def test_purge_disables_then_removes_an_enabled_role(azure, sandbox):
    azure('entra_application', **APP)
    fewer = dict(APP, app_roles=ROLES[:2])
    kept = azure('entra_application', **fewer)
    assert kept['changed'] is False and kept['unmanaged_app_roles'] == ['ServiceAccount']
    sandbox.clear_requests()
    purged = azure('entra_application', purge_app_roles=True, **fewer)
    assert purged['changed'] is True
    assert [d['path'] for d in purged['differences']] == ['appRoles[ServiceAccount]']
    assert sorted(purged['app_role_ids']) == ['Admin', 'User']
    patches = [r for r in sandbox.requests() if r['method'] == 'PATCH']
    assert len(patches) == 2  # Graph refuses to remove an enabled role: disabled first, then removed


def test_namesake_without_unique_name_is_refused_before_any_write(azure, sandbox):
    sandbox.seed_graph('applications', {'displayName': 'phonebill-api'})
    writes = azure.writes()
    failed = azure('entra_application', **APP)
    assert failed['failed'] and 'unique_name' in failed['msg'] and 'without it' in failed['msg']
    assert azure.writes() == writes and len(sandbox.graph_objects('applications')) == 1


def test_bad_input_fails_before_graph(azure, sandbox):
    bad = dict(APP, app_roles=ROLES + [dict(value='Read Only', display_name='x', description='y')],
               identifier_uris=['phonebill-api'])
    failed = azure('entra_application', **bad)
    assert failed['failed'] and len(failed['problems']) == 2
    assert sandbox.requests() == []


def test_info_and_delete(azure, sandbox):
    created = azure('entra_application', **APP)
    found = azure('entra_application_info', unique_name='phonebill-api')
    assert [a['appId'] for a in found['applications']] == [created['app_id']]
    assert found['service_principals'][created['app_id']]['id'] == created['service_principal_id']
    assert len(azure('entra_application_info', display_name='phonebill-api')['applications']) == 1
    absent = dict(unique_name='phonebill-api', state='absent')
    writes = azure.writes()
    assert azure('entra_application', check_mode=True, **absent)['changed'] is True and azure.writes() == writes
    assert azure('entra_application', **absent)['changed'] is True
    assert azure('entra_application_info', unique_name='phonebill-api')['applications'] == []
    assert sandbox.graph_objects('servicePrincipals') == []
    assert azure('entra_application', **absent)['changed'] is False


def test_an_application_made_elsewhere_with_the_stated_roles_reads_unchanged(azure, sandbox):
    """An app registration as Graph documents it (appRole example shape, ids chosen by the portal): no write."""
    roles = [dict(id=role_id, value=r['value'], displayName=r['display_name'], description=r['description'],
                  allowedMemberTypes=r.get('allowed_member_types', ['User']), isEnabled=True)
             for role_id, r in zip(('7e6e2b3c-1a8f-4f5e-9d1b-3c0e1f2a4b51', 'a2f1f3d4-5b6c-4d7e-8f90-1a2b3c4d5e6f',
                                    'c3d2e1f0-9a8b-4c7d-8e6f-5a4b3c2d1e0f'), ROLES)]
    seeded = sandbox.seed_graph('applications', dict(uniqueName='phonebill-api', displayName='phonebill-api',
                                                     signInAudience='AzureADMyOrg', identifierUris=['api://phonebill-api'],
                                                     appRoles=roles))
    sandbox.seed_graph('servicePrincipals', dict(appId=seeded['appId']))
    found = azure('entra_application', **APP)
    assert found['changed'] is False and azure.writes() == 0
    assert found['app_role_ids'] == dict((r['value'], r['id']) for r in roles)  # the portal's ids are kept
