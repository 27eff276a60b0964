# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Microsoft Entra app registration and its service principal, through Microsoft Graph (SPEC §8).

The application is found by its `uniqueName` (an alternate key Graph v1.0
offers, created with `PATCH /applications(uniqueName=...)` and
`Prefer: create-if-missing`), so a re-run never makes a second one; one made
without a uniqueName but with the same display name is refused, never adopted
or duplicated. App roles are a named set keyed by `value`; their ids are stable
(the existing role's, else derived from the unique name and the value), because
tokens and role assignments carry the id. Graph refuses to remove an enabled
app role: a removal is two PATCHes, the first disabling the roles that go.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import uuid

from ansible_collections.phonebill.platform.plugins.module_utils import compare, graph
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource

MEMBER_TYPES = ('User', 'Application')
# appRole.value (Graph application resource type): at most 120 of these characters, not starting with a dot.
ROLE_VALUE = re.compile(r"^[0-9A-Za-z:!#$%&'()*+,\-./;=?@\[\]^_{}~]{1,120}$")
ROLE_NAMESPACE = uuid.UUID('5b0a7f0e-9a53-4c8e-b3f4-63c2c2e5a1d1')
IDENTIFIER_URI = re.compile(r'^(api|https)://[^\s]+$')
UNIQUE_NAME = re.compile(r"^[^\s/'\\]{1,128}$")


def derived_role_id(unique_name, value):
    """The id of an app role the inventory gives no id: the same on every run and in every tenant."""
    return str(uuid.uuid5(ROLE_NAMESPACE, '%s/%s' % (unique_name, value)))


def _is_guid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def app_role_problems(prefix, roles):
    """The app roles as the module takes them (value, display_name, description, allowed_member_types, id)."""
    found, seen = [], set()
    for position, role in enumerate(roles or []):
        where = '%s[%s]' % (prefix, role.get('value') if isinstance(role, dict) and role.get('value') else position)
        if not isinstance(role, dict):
            found.append('%s: an app role is a mapping with value, display_name and description; state one' % where)
            continue
        value = role.get('value')
        if not value:
            found.append('%s.value: required (the role claim, e.g. Admin); state it' % where)
        elif not ROLE_VALUE.match(str(value)) or str(value).startswith('.'):
            found.append('%s.value: %r is not a Graph app role value (at most 120 letters, digits and : ! # $ %% & '
                         "' ( ) * + , - . / ; = ? @ [ ] ^ _ { } ~, no space, not starting with a dot); rename it"
                         % (where, value))
        elif value in seen:
            found.append('%s.value: %r is stated twice; app roles are keyed by value, state each once' % (where, value))
        seen.add(value)
        for option in ('display_name', 'description'):
            if not role.get(option):
                found.append('%s.%s: required (shown in the consent and assignment screens); state it' % (where, option))
        types = role.get('allowed_member_types') or ['User']
        wrong = [t for t in types if t not in MEMBER_TYPES]
        if wrong:
            found.append('%s.allowed_member_types: %s not one of %s; use User and/or Application'
                         % (where, ', '.join(map(str, wrong)), ', '.join(MEMBER_TYPES)))
        if role.get('id') is not None and not _is_guid(role['id']):
            found.append('%s.id: %r is not a GUID; leave it out (a stable id is derived) or give a GUID' % (where, role['id']))
    return found


def application_problems(prefix, params):
    """Input errors of an app registration (module options, or an inventory entry with its prefix)."""
    found = []
    name = params.get('unique_name')
    if not name or not UNIQUE_NAME.match(str(name)):
        found.append("%sunique_name: %r is not a usable uniqueName (1-128 characters, no space, '/', quote or "
                     'backslash); e.g. phonebill-api' % (prefix, name))
    if params.get('state', 'present') == 'present' and not params.get('display_name'):
        found.append('%sdisplay_name: required for an application that should exist; state it' % prefix)
    for uri in params.get('identifier_uris') or []:
        if not IDENTIFIER_URI.match(str(uri)):
            found.append('%sidentifier_uris: %r is neither api://... nor https://...; e.g. api://phonebill-api'
                         % (prefix, uri))
    return found + app_role_problems(prefix + 'app_roles', params.get('app_roles'))


def app_roles_body(stated, existing, unique_name):
    """Graph appRole objects for the stated roles; each keeps the id of the existing role of its value."""
    ids = dict((r.get('value'), r.get('id')) for r in existing or [])
    return [dict(value=r['value'], displayName=r.get('display_name'), description=r.get('description'),
                 allowedMemberTypes=r.get('allowed_member_types') or ['User'],
                 isEnabled=r.get('enabled', True) is not False,
                 id=r.get('id') or ids.get(r['value']) or derived_role_id(unique_name, r['value']))
            for r in stated]


def roles_to_disable(existing, kept):
    """The enabled app roles that the update removes: Graph wants them disabled by a PATCH of their own first."""
    staying = set(r.get('id') for r in kept or [])
    return [r for r in existing or [] if r.get('id') not in staying and r.get('isEnabled', True)]


def disabled(existing, doomed):
    """The existing app roles with the doomed ones disabled (the first of the two PATCHes)."""
    off = set(r.get('id') for r in doomed)
    return [dict(r, isEnabled=False) if r.get('id') in off else dict(r) for r in existing]


class GraphObject(ArmResource):
    """A Graph directory object handled by arm_resource.reconcile: PATCH answers 204, re-read after a write."""

    collection = None

    def __init__(self, module, client):
        super(GraphObject, self).__init__(module)
        self.graph = client

    @property
    def object_path(self):
        return '/%s/%s' % (self.collection, self.current['id'])

    def stated(self, body):
        """Only what desired() states goes in a PATCH: Graph's PATCH changes what it is sent, nothing more."""
        return dict((key, body[key]) for key in compare.prune(self.desired()) if key in body)

    def remove(self):
        return self.graph.request('DELETE', self.object_path)


class EntraApplication(GraphObject):
    kind, collection = 'Entra application', 'applications'
    key = ('unique_name',)
    namesakes = ()

    @property
    def comparator(self):
        return compare.Comparator({
            'appRoles': compare.NamedSet(key='value', purge=self.params['purge_app_roles'], key_rule=compare.EXACT),
            'appRoles[].allowedMemberTypes': compare.Set(),
            'identifierUris': compare.Set(),
        })

    @property
    def unique_path(self):
        return graph.key_path('applications', 'uniqueName', self.params['unique_name'])

    def read(self):
        return self.module.get_or_none('read %s' % self.label, self.graph.request, 'GET', self.unique_path)

    def lookup(self):
        if self.current is None and self.params.get('display_name'):
            self.namesakes = self.module.call(
                'find applications named %s' % self.params['display_name'], self.graph.list, 'applications',
                graph.filter_eq('displayName', self.params['display_name']))

    def problems(self):
        if not self.namesakes:
            return []
        return ['unique_name: no application has uniqueName %s, but %d named %r exist without it (appId %s); Graph '
                'cannot give an existing application a uniqueName: delete it or give this one another display_name'
                % (self.params['unique_name'], len(self.namesakes), self.params['display_name'],
                   ', '.join(a.get('appId', '?') for a in self.namesakes))]

    def desired(self):
        params = self.params
        roles = None
        if params['app_roles'] is not None:
            roles = app_roles_body(params['app_roles'], (self.current or {}).get('appRoles'), params['unique_name'])
        return dict(displayName=params['display_name'], description=params['description'],
                    signInAudience=params['sign_in_audience'], identifierUris=params['identifier_uris'], appRoles=roles)

    def write(self, body):
        if self.current is None:
            return self.graph.request('PATCH', self.unique_path, body=body, headers={'Prefer': 'create-if-missing'})
        patch = self.stated(body)
        doomed = roles_to_disable(self.current.get('appRoles'), patch.get('appRoles', self.current.get('appRoles')))
        if doomed:
            self.graph.request('PATCH', self.object_path, body=dict(appRoles=disabled(self.current['appRoles'], doomed)))
        self.graph.request('PATCH', self.object_path, body=patch)
        return None


class ServicePrincipal(GraphObject):
    """The application's service principal in the tenant: what users and apps are assigned its app roles on."""

    kind, parent_kind, collection = 'service principal', 'Entra application', 'servicePrincipals'
    key = ('unique_name', 'app_id')

    def __init__(self, module, client, app_id):
        super(ServicePrincipal, self).__init__(module, client)
        self.app_id = app_id

    @property
    def where(self):
        return (self.params['unique_name'], self.app_id)

    def read(self):
        return self.module.get_or_none('read %s' % self.label, self.graph.request, 'GET',
                                       graph.key_path('servicePrincipals', 'appId', self.app_id))

    def desired(self):
        return dict(appId=self.app_id, appRoleAssignmentRequired=self.params['app_role_assignment_required'])

    def write(self, body):
        if self.current is None:
            return self.graph.request('POST', '/servicePrincipals', body=body)
        patch = self.stated(body)
        patch.pop('appId', None)
        self.graph.request('PATCH', self.object_path, body=patch)
        return None
