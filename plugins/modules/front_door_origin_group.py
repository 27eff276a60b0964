#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: front_door_origin_group
short_description: Create, update or delete an origin group of an Azure Front Door profile, with its origins
version_added: 0.1.0
description:
  - Ensures an origin group (C(Microsoft.Cdn/profiles/originGroups)) of a Front Door Standard/Premium profile exists
    with the stated health probe and load balancing settings and the stated origins, or is absent.
  - Origins (C(originGroups/<group>/origins)) are child resources, each read and written on its own, and form a set
    keyed by name. Origins found in Azure but not stated are kept and listed in RV(unmanaged_origins), unless
    O(purge_origins=true).
options:
  name:
    description: Origin group name (1-90 letters, digits and -).
    type: str
    required: true
  health_probe:
    description: How Front Door probes each origin; probes are sent from every edge location.
    type: dict
    suboptions:
      path:
        description: Path of the probe request, from C(/).
        type: str
      protocol:
        description: Protocol of the probe request.
        type: str
        choices: [NotSet, Http, Https]
      interval_seconds:
        description: Seconds between probes (1-255).
        type: int
      request_type:
        description: Method of the probe request (C(HEAD) costs the origin least).
        type: str
        choices: [NotSet, GET, HEAD]
  load_balancing:
    description: How probe results decide which origins are healthy and which serve.
    type: dict
    suboptions:
      sample_size:
        description: Probe results considered.
        type: int
      successful_samples_required:
        description: Successful results among them for an origin to be healthy.
        type: int
      additional_latency_ms:
        description: Origins within this many milliseconds of the fastest one share the traffic (0-1000).
        type: int
  restore_traffic_minutes:
    description: Minutes over which traffic shifts back to an origin that became healthy or was added.
    type: int
  origins:
    description: The group's origins, a set keyed by O(origins[].name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Origin name (1-90 letters, digits and -).
        type: str
        required: true
      host_name:
        description: Host name or address of the origin.
        type: str
        required: true
      origin_host_header:
        description: Host header sent to the origin (its own host name when not stated in Azure).
        type: str
      http_port:
        description: HTTP port of the origin.
        type: int
      https_port:
        description: HTTPS port of the origin.
        type: int
      priority:
        description: Lower priorities serve first; a higher one serves only when all lower ones are unhealthy (1-5).
        type: int
      weight:
        description: Share of traffic among origins of one priority (1-1000).
        type: int
      enabled:
        description: Whether the origin receives traffic.
        type: bool
      enforce_certificate_name_check:
        description: Whether the origin's certificate must name O(origins[].origin_host_header).
        type: bool
  purge_origins:
    description: Delete origins that exist in Azure but are not in O(origins).
    type: bool
    default: false
  state:
    description: Whether the origin group should exist. Deleting it deletes its origins.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.resource
  - phonebill.platform.azure.front_door_child
notes:
  - O(timeout) applies to each of the group's and its origins' operations.
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: The Application Gateway as the origin, probed on the API health path
  phonebill.platform.front_door_origin_group:
    name: og-agw-phonebill-prod
    profile: afd-phonebill-prod
    resource_group: rg-phonebill-prod
    health_probe:
      path: /api/health
      protocol: Https
      interval_seconds: 30
      request_type: HEAD
    load_balancing:
      sample_size: 4
      successful_samples_required: 3
      additional_latency_ms: 50
    origins:
      - name: agw-phonebill-prod
        host_name: phonebill-prod.koreacentral.cloudapp.azure.com
        origin_host_header: phonebill-prod.koreacentral.cloudapp.azure.com
        priority: 1
        weight: 1000
'''

RETURN = r'''
resource:
  description: The origin group as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../profiles/afd-phonebill-prod/originGroups/og-agw-phonebill-prod
    properties:
      healthProbeSettings: {probePath: /api/health, probeProtocol: Https, probeIntervalInSeconds: 30, probeRequestType: HEAD}
      loadBalancingSettings: {sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50}
id:
  description: Resource id of the origin group (empty in check mode before it exists).
  returned: when O(state=present)
  type: str
origins:
  description: The stated origins as Azure returns them (or, in check mode, as they would be).
  returned: when O(state=present)
  type: list
  elements: dict
unmanaged_origins:
  description: Origins that exist in Azure, are not in O(origins), and were kept.
  returned: when O(state=present)
  type: list
  elements: str
differences:
  description:
    - Every stated field that differed from Azure, with the value before and after.
    - An origin's paths start with C(origins[<name>]).
  returned: always
  type: list
  elements: dict
  sample: [{path: "origins[agw-phonebill-prod].properties.weight", before: 50, after: 1000}]
status_url:
  description: Where the status of the group's operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_children import reconcile_children
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.front_door import (
    PROBE_PROTOCOLS, PROBE_REQUEST_TYPES, ProfileChild, enabled, origin_group_problems, parent_problems,
    reconcile_with_id)

ORIGINS = 'origins'


class OriginGroup(ProfileChild):
    kind, operations = 'Front Door origin group', 'afd_origin_groups'
    rules = {'properties.healthProbeSettings.probeProtocol': compare.IGNORE_CASE,
             'properties.healthProbeSettings.probeRequestType': compare.IGNORE_CASE}

    def desired(self):
        params = self.params
        probe, balancing = params['health_probe'] or {}, params['load_balancing'] or {}
        return {'properties': {
            'healthProbeSettings': {'probePath': probe.get('path'), 'probeProtocol': probe.get('protocol'),
                                    'probeIntervalInSeconds': probe.get('interval_seconds'),
                                    'probeRequestType': probe.get('request_type')},
            'loadBalancingSettings': {'sampleSize': balancing.get('sample_size'),
                                      'successfulSamplesRequired': balancing.get('successful_samples_required'),
                                      'additionalLatencyInMilliseconds': balancing.get('additional_latency_ms')},
            'trafficRestorationTimeToHealedOrNewEndpointsInMinutes': params['restore_traffic_minutes']}}


class Origin(ProfileChild):
    kind, parent_kind, operations = 'origin', 'Front Door origin group', 'afd_origins'
    rules = {'properties.hostName': compare.IGNORE_CASE, 'properties.originHostHeader': compare.IGNORE_CASE,
             'properties.enabledState': compare.IGNORE_CASE}
    readonly = ProfileChild.readonly + ('properties.originGroupName',)

    def __init__(self, module, stated):
        super(Origin, self).__init__(module)
        self.stated = stated

    @property
    def where(self):
        return self.params['resource_group'], self.params['profile'], self.params['name'], self.stated['name']

    def desired(self):
        stated = self.stated
        return {'properties': {
            'hostName': stated.get('host_name'), 'originHostHeader': stated.get('origin_host_header'),
            'httpPort': stated.get('http_port'), 'httpsPort': stated.get('https_port'),
            'priority': stated.get('priority'), 'weight': stated.get('weight'),
            'enabledState': enabled(stated.get('enabled')),
            'enforceCertificateNameCheck': stated.get('enforce_certificate_name_check')}}


def existing_origins(module):
    params = module.params
    operations = module.client('cdn').afd_origins
    """The origins in Azure by name (one list call: each origin starts from its listed document)."""
    return dict((origin['name'], origin) for origin in (to_rest(found) for found in module.call(
        'list the origins of Front Door origin group %s' % params['name'],
        lambda: list(operations.list_by_origin_group(params['resource_group'], params['profile'], params['name'])))))


def validate(params):
    """Input problems that need no call to Azure (the checks preflight makes on phonebill_front_door.origin_groups)."""
    return origin_group_problems('', params) + parent_problems(params)


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            profile=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            health_probe=dict(type='dict', options=dict(
                path=dict(type='str'),
                protocol=dict(type='str', choices=list(PROBE_PROTOCOLS)),
                interval_seconds=dict(type='int'),
                request_type=dict(type='str', choices=list(PROBE_REQUEST_TYPES)),
            )),
            load_balancing=dict(type='dict', options=dict(
                sample_size=dict(type='int'),
                successful_samples_required=dict(type='int'),
                additional_latency_ms=dict(type='int'),
            )),
            restore_traffic_minutes=dict(type='int'),
            origins=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                host_name=dict(type='str', required=True),
                origin_host_header=dict(type='str'),
                http_port=dict(type='int'),
                https_port=dict(type='int'),
                priority=dict(type='int'),
                weight=dict(type='int'),
                enabled=dict(type='bool'),
                enforce_certificate_name_check=dict(type='bool'),
            )),
            purge_origins=dict(type='bool', default=False),
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=1200,
    )
    module.fail_on(validate(module.params))
    params = module.params
    result = reconcile_with_id(module, OriginGroup(module))
    if params['state'] == 'absent':
        module.exit(**result)
    group_exists = bool(result['resource'].get('id'))
    stated = dict((origin['name'], origin) for origin in params['origins'] or [])
    origins = reconcile_children(module, ORIGINS, lambda name, item: Origin(module, item or dict(name=name)), stated,
                                 existing_origins(module) if group_exists else [], params['purge_origins'])
    result['changed'] = result['changed'] or origins['changed']
    result['differences'].extend(origins['differences'])
    result.update(origins=origins['resources'], unmanaged_origins=origins['unmanaged'])
    if 'diff' in result:
        result['diff']['before'][ORIGINS] = origins['before']
        result['diff']['after'][ORIGINS] = origins['resources']
    module.exit(**result)


if __name__ == '__main__':
    main()
