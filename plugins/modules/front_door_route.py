#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: front_door_route
short_description: Create, update or delete a route of an Azure Front Door endpoint
version_added: 0.1.0
description:
  - Ensures a route (C(Microsoft.Cdn/profiles/afdEndpoints/routes)) of a Front Door Standard/Premium endpoint exists,
    forwarding the stated path patterns to an origin group, or is absent.
  - Only what is stated is compared and changed; caching, rule sets and custom domains set elsewhere are kept.
  - A real run refuses a route to an origin group that does not exist, before writing. In check mode that check is
    left to preflight (the group may be one an earlier task only predicted).
options:
  name:
    description: Route name (1-90 letters, digits and -).
    type: str
    required: true
  endpoint:
    description: Name of the Front Door endpoint the route belongs to.
    type: str
    required: true
  origin_group:
    description: The origin group requests are forwarded to, by name (in O(profile)) or resource id. Required to create.
    type: str
  patterns:
    description: Path patterns the route matches, each from C(/) with at most a final C(*) (C(/api/*)); compared as a set.
    type: list
    elements: str
  supported_protocols:
    description: Protocols the route accepts from clients; compared as a set.
    type: list
    elements: str
    choices: [Http, Https]
  forwarding_protocol:
    description: Protocol used towards the origin (C(HttpsOnly) keeps traffic encrypted up to the gateway).
    type: str
    choices: [HttpOnly, HttpsOnly, MatchRequest]
  https_redirect:
    description: Redirect HTTP requests to HTTPS (needs C(Http) in O(supported_protocols)).
    type: bool
  link_to_default_domain:
    description: Serve the route on the endpoint's own host name (C(<endpoint>-<hash>.z01.azurefd.net)).
    type: bool
  origin_path:
    description: Path prefix Front Door adds when it forwards to the origin.
    type: str
  enabled:
    description: Whether the route serves traffic.
    type: bool
  state:
    description: Whether the route should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
  - phonebill.platform.azure.front_door_child
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The API through Front Door, HTTPS only, to the Application Gateway's origin group
  phonebill.platform.front_door_route:
    name: api
    endpoint: phonebill-prod
    profile: afd-phonebill-prod
    resource_group: rg-phonebill-prod
    origin_group: og-agw-phonebill-prod
    patterns: ["/api/*"]
    supported_protocols: [Http, Https]
    forwarding_protocol: HttpsOnly
    https_redirect: true
    link_to_default_domain: true
'''

RETURN = r'''
resource:
  description: The route as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../profiles/afd-phonebill-prod/afdEndpoints/phonebill-prod/routes/api
    properties:
      originGroup: {id: /subscriptions/.../profiles/afd-phonebill-prod/originGroups/og-agw-phonebill-prod}
      patternsToMatch: [/api/*]
      supportedProtocols: [Http, Https]
      forwardingProtocol: HttpsOnly
      httpsRedirect: Enabled
      linkToDefaultDomain: Enabled
id:
  description: Resource id of the route (empty in check mode before it exists).
  returned: when O(state=present)
  type: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.forwardingProtocol, before: MatchRequest, after: HttpsOnly}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.front_door import (
    FORWARDING_PROTOCOLS, PROTOCOLS, ProfileChild, child_id, enabled, parent_problems, reconcile_with_id, route_problems)


class Route(ProfileChild):
    kind, parent_kind, operations = 'Front Door route', 'Front Door endpoint', 'routes'
    key = ('resource_group', 'profile', 'endpoint', 'name')
    rules = {'properties.originGroup.id': compare.RESOURCE_ID,
             'properties.patternsToMatch': compare.Set(),
             'properties.supportedProtocols': compare.Set(compare.IGNORE_CASE),
             'properties.forwardingProtocol': compare.IGNORE_CASE,
             'properties.httpsRedirect': compare.IGNORE_CASE,
             'properties.linkToDefaultDomain': compare.IGNORE_CASE,
             'properties.enabledState': compare.IGNORE_CASE}
    readonly = ProfileChild.readonly + ('properties.endpointName',)
    required_to_create = ('origin_group', 'patterns')

    def problems(self):
        """The origin group must exist before a write (a real run only: in check mode an earlier task may only have predicted it)."""
        group = self.params['origin_group']
        if self.module.check_mode or not group or self.unchanged():
            return []
        name = group.rstrip('/').rsplit('/', 1)[-1]
        found = self.module.get_or_none('read Front Door origin group %s' % name,
                                        self.module.client('cdn').afd_origin_groups.get,
                                        self.params['resource_group'], self.params['profile'], name)
        if found is None:
            return ['origin_group: Front Door origin group %s does not exist in profile %s; create it first '
                    '(phonebill.platform.front_door_origin_group) or name an existing one' % (name, self.params['profile'])]
        return []

    def desired(self):
        params = self.params
        return {'properties': {
            'originGroup': {'id': child_id(self.module, params['resource_group'], params['profile'], 'originGroups',
                                           params['origin_group'])},
            'patternsToMatch': params['patterns'], 'supportedProtocols': params['supported_protocols'],
            'forwardingProtocol': params['forwarding_protocol'], 'httpsRedirect': enabled(params['https_redirect']),
            'linkToDefaultDomain': enabled(params['link_to_default_domain']), 'originPath': params['origin_path'],
            'enabledState': enabled(params['enabled'])}}


def validate(params):
    """Input problems that need no call to Azure (the checks preflight makes on phonebill_front_door.routes)."""
    return (route_problems('', params) if params['state'] == 'present' else []) + parent_problems(params)


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            endpoint=dict(type='str', required=True),
            profile=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            origin_group=dict(type='str'),
            patterns=dict(type='list', elements='str'),
            supported_protocols=dict(type='list', elements='str', choices=list(PROTOCOLS)),
            forwarding_protocol=dict(type='str', choices=list(FORWARDING_PROTOCOLS)),
            https_redirect=dict(type='bool'),
            link_to_default_domain=dict(type='bool'),
            origin_path=dict(type='str'),
            enabled=dict(type='bool'),
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=1200,
    )
    module.fail_on(validate(module.params))
    module.exit(**reconcile_with_id(module, Route(module)))


if __name__ == '__main__':
    main()
