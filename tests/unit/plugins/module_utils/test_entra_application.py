# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""App roles of an app registration: stable ids, the checks, and the removal Graph wants in two steps."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

from ansible_collections.phonebill.platform.plugins.module_utils import entra_application as app, graph
from ansible_collections.phonebill.platform.plugins.module_utils.cloud import cloud_from_metadata, KNOWN_CLOUDS

ROLE = dict(value='Admin', display_name='Admin', description='Administers', allowed_member_types=['User'])


def test_derived_role_id_is_stable_and_per_application():
    first = app.derived_role_id('phonebill-api', 'Admin')
    assert first == app.derived_role_id('phonebill-api', 'Admin') and uuid.UUID(first)
    assert first != app.derived_role_id('phonebill-api', 'User')
    assert first != app.derived_role_id('other-api', 'Admin')


def test_body_keeps_the_existing_id_of_a_value_else_stated_else_derived():
    existing = [dict(value='Admin', id='11111111-1111-1111-1111-111111111111')]
    stated = [ROLE, dict(ROLE, value='User'), dict(ROLE, value='Ops', id='22222222-2222-2222-2222-222222222222')]
    body = dict((r['value'], r) for r in app.app_roles_body(stated, existing, 'phonebill-api'))
    assert body['Admin']['id'] == '11111111-1111-1111-1111-111111111111'
    assert body['User']['id'] == app.derived_role_id('phonebill-api', 'User')
    assert body['Ops']['id'] == '22222222-2222-2222-2222-222222222222'
    assert body['Admin'] == dict(value='Admin', displayName='Admin', description='Administers',
                                 allowedMemberTypes=['User'], isEnabled=True, id=body['Admin']['id'])


def test_only_enabled_removed_roles_are_disabled_first():
    existing = [dict(id='a', value='User', isEnabled=True), dict(id='b', value='Old', isEnabled=True),
                dict(id='c', value='Off', isEnabled=False)]
    kept = [dict(id='a', value='User', isEnabled=True)]
    doomed = app.roles_to_disable(existing, kept)
    assert [r['id'] for r in doomed] == ['b']
    first_patch = app.disabled(existing, doomed)
    assert [r['isEnabled'] for r in first_patch] == [True, False, False]
    assert existing[1]['isEnabled'] is True  # the current document is not changed
    assert app.roles_to_disable(existing, existing) == []


def test_app_role_problems_name_the_role_and_the_fix():
    roles = [dict(ROLE, value='Read Only'), dict(ROLE, value='.hidden'), ROLE, ROLE,
             dict(ROLE, value='X', allowed_member_types=['Robot'], id='not-a-guid'), dict(value='Y'), 'User']
    problems = app.app_role_problems('app_roles', roles)
    assert problems[0].startswith("app_roles[Read Only].value: 'Read Only' is not a Graph app role value")
    assert problems[1].startswith('app_roles[.hidden].value')
    assert any(p.startswith("app_roles[Admin].value: 'Admin' is stated twice") for p in problems)
    assert any(p.startswith('app_roles[X].allowed_member_types: Robot') for p in problems)
    assert any(p.startswith("app_roles[X].id: 'not-a-guid' is not a GUID") for p in problems)
    assert 'app_roles[Y].display_name: required (shown in the consent and assignment screens); state it' in problems
    assert any(p.startswith('app_roles[6]: an app role is a mapping') for p in problems)
    assert app.app_role_problems('app_roles', [ROLE, dict(ROLE, value='User')]) == []


def test_application_problems_with_the_inventory_prefix():
    params = dict(unique_name='phonebill api', display_name=None, identifier_uris=['phonebill-api', 'api://ok'],
                  app_roles=[ROLE])
    problems = app.application_problems('phonebill_api_application.', params)
    assert [p.split(':')[0] for p in problems] == ['phonebill_api_application.unique_name',
                                                   'phonebill_api_application.display_name',
                                                   'phonebill_api_application.identifier_uris']
    assert app.application_problems('', dict(unique_name='x', state='absent')) == []


def test_graph_addresses_quote_alternate_keys_and_filters():
    assert graph.key_path('applications', 'uniqueName', 'phonebill-api') == "/applications(uniqueName='phonebill-api')"
    assert graph.key_path('applications', 'uniqueName', "o'brien") == "/applications(uniqueName='o%27%27brien')"
    assert graph.filter_eq('displayName', 'phonebill api') == '$filter=displayName%20eq%20%27phonebill%20api%27'


def test_graph_url_comes_from_the_cloud():
    assert KNOWN_CLOUDS['azurecloud'].graph == 'https://graph.microsoft.com/'
    assert KNOWN_CLOUDS['azurechinacloud'].graph == 'https://microsoftgraph.chinacloudapi.cn/'
    document = dict(resourceManager='https://127.0.0.1:1/', microsoftGraphResourceId='https://127.0.0.1:1',
                    authentication=dict(loginEndpoint='https://127.0.0.1:1/', audiences=['https://management.azure.com/']))
    assert cloud_from_metadata(document).graph == 'https://127.0.0.1:1/'
    del document['microsoftGraphResourceId']
    assert cloud_from_metadata(document).graph == 'https://graph.microsoft.com/'
