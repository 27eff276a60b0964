#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: container_registry
short_description: Create, update or delete an Azure Container Registry and its geo-replications
version_added: 0.1.0
description:
  - Ensures an Azure Container Registry (C(Microsoft.ContainerRegistry/registries)) exists with the stated SKU,
    admin user, zone redundancy, public network access and tags, or is absent.
  - Geo-replications (C(registries/<name>/replications/<replication>)) are a set keyed by location, as Azure
    allows one replication per region. An existing replication keeps the name it has in Azure, whatever it is;
    a new one is named after its region. Replications in Azure that are not listed stay unless
    O(purge_replications=true); the home region's replication is Azure's own and is never removed.
  - Only what is stated is compared and changed.
options:
  name:
    description: Name of the registry (5-50 letters and digits, unique across Azure; the login server is
      C(<name>.azurecr.io)).
    type: str
    required: true
  resource_group:
    description: Resource group of the registry.
    type: str
    required: true
  location:
    description:
      - Home region, in either form (V(Korea Central) or V(koreacentral)).
      - Required to create the registry; a registry cannot move.
    type: str
  sku:
    description:
      - Service tier. Geo-replication and zone redundancy need V(Premium).
      - Required to create the registry.
    type: str
    choices: [Basic, Standard, Premium]
  admin_user_enabled:
    description: Whether the admin user (a shared username and password) is enabled. Keep it off and use RBAC.
    type: bool
  zone_redundancy:
    description:
      - Spread the registry over the availability zones of its home region. Needs V(Premium).
      - Set at creation only; a different value on an existing registry is an error.
    type: bool
  public_network_access:
    description: Whether the registry is reachable from public networks (V(Disabled) needs V(Premium)).
    type: str
    choices: [Enabled, Disabled]
  replications:
    description:
      - Geo-replications, one per region, compared as a set by location (not by name). Needs V(Premium).
    type: list
    elements: dict
    suboptions:
      location:
        description: Region of the replication (not the home region, which Azure replicates already).
        type: str
        required: true
      zone_redundancy:
        description: Spread the replica over the region's zones. Set at creation of the replication only.
        type: bool
      region_endpoint_enabled:
        description: Whether requests are routed to this replica (data still syncs when off).
        type: bool
      tags:
        description: Tags of the replication. Defaults to O(tags).
        type: dict
  purge_replications:
    description: Delete replications that are not in O(replications). Without it, they are left as they are.
    type: bool
    default: false
  tags:
    description: Tags to set on the registry (and on replications that state none). Values are strings.
  purge_tags:
    description: Remove tags that are not stated. Without it, other tags are left as they are.
  state:
    description: Whether the registry should exist. Deleting it deletes its images and replications.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 1800 seconds, for the registry and for each replication.
  - With O(wait=false) on a new registry, replications are created by a later run, once the registry exists;
    the module warns when it leaves them.
requirements:
  - azure-mgmt-containerregistry >= 14, < 16
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Production registry, geo-replicated to the DR region
  phonebill.platform.container_registry:
    name: acrphonebillprod
    resource_group: rg-phonebill-prod
    location: koreacentral
    sku: Premium
    admin_user_enabled: false
    zone_redundancy: true
    replications:
      - location: koreasouth
    tags:
      service: phonebill
  register: registry

- name: Remove every replication but Korea South
  phonebill.platform.container_registry:
    name: acrphonebillprod
    resource_group: rg-phonebill-prod
    replications:
      - location: koreasouth
    purge_replications: true
'''

RETURN = r'''
resource:
  description: The registry as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/providers/Microsoft.ContainerRegistry/registries/acrphonebillprod
    name: acrphonebillprod
    location: koreacentral
    sku: {name: Premium, tier: Premium}
    properties: {loginServer: acrphonebillprod.azurecr.io, adminUserEnabled: false, zoneRedundancy: Enabled}
replications:
  description: The stated replications as Azure returns them (or, in check mode, as they would be).
  returned: when O(state=present)
  type: list
  elements: dict
  sample:
    - name: koreasouth
      location: koreasouth
      properties: {zoneRedundancy: Disabled, regionEndpointEnabled: true, provisioningState: Succeeded}
id:
  description: Resource id of the registry.
  returned: when O(state=present) and the registry exists (not for a new registry in check mode)
  type: str
login_server:
  description: Host name to log in and push to.
  returned: when O(state=present) and the registry exists
  type: str
  sample: acrphonebillprod.azurecr.io
differences:
  description:
    - Every stated field that differed from Azure, with the value before and after.
    - Replication paths start with C(replications[<location>]).
  returned: always
  type: list
  elements: dict
  sample: [{path: "replications[koreasouth]", before: null, after: {location: koreasouth}}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_children import reconcile_children
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.registry_checks import home_region_problem, region, registry_problems
from ansible_collections.phonebill.platform.plugins.module_utils.validation import same_location


def enabled(flag):
    """A bool option as the Enabled/Disabled enum Azure uses (None: not stated)."""
    return None if flag is None else ('Enabled' if flag else 'Disabled')


class Registry(ArmResource):
    kind, service, operations = 'container registry', 'containerregistry', 'registries'
    create_method = 'begin_create'
    rules = {'sku.name': compare.IGNORE_CASE,
             'properties.zoneRedundancy': compare.IGNORE_CASE,
             'properties.publicNetworkAccess': compare.IGNORE_CASE}
    readonly = ArmResource.readonly + ('sku.tier', 'properties.loginServer', 'properties.creationDate',
                                       'properties.status', 'properties.dataEndpointHostNames',
                                       'properties.privateEndpointConnections')
    immutable = ('location', 'properties.zoneRedundancy')
    required_to_create = ('location', 'sku')

    def problems(self):
        """A stated replication in the home region of the existing registry (when location is not stated)."""
        home = (self.current or {}).get('location')
        return [home_region_problem(item['location'], self.params['name'])
                for item in self.params['replications'] or [] if home and same_location(item['location'], home)]

    def desired(self):
        params = self.params
        return compare.prune(dict(location=params['location'], tags=params['tags'],
                                  sku=dict(name=params['sku']),
                                  properties=dict(adminUserEnabled=params['admin_user_enabled'],
                                                  zoneRedundancy=enabled(params['zone_redundancy']),
                                                  publicNetworkAccess=params['public_network_access'])))


class Replication(ArmResource):
    kind, parent_kind = 'replication', 'container registry'
    service, operations = 'containerregistry', 'replications'
    create_method = 'begin_create'
    rules = {'properties.zoneRedundancy': compare.IGNORE_CASE}
    readonly = ArmResource.readonly + ('properties.status',)
    immutable = ('location', 'properties.zoneRedundancy')

    def __init__(self, module, name, item):
        super(Replication, self).__init__(module)
        self.name = name
        self.item = item or {}

    @property
    def where(self):
        return self.params['resource_group'], self.params['name'], self.name

    def desired(self):
        item = self.item
        tags = item.get('tags') if item.get('tags') is not None else self.params['tags']
        return compare.prune(dict(location=item.get('location'), tags=tags,
                                  properties=dict(zoneRedundancy=enabled(item.get('zone_redundancy')),
                                                  regionEndpointEnabled=item.get('region_endpoint_enabled'))))


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    return registry_problems(params)


def reconcile_replications(module, registry_result):
    """The registry's replications brought to the stated set, after the registry itself.

    Replications are matched by region, never by name: an existing one keeps the name it
    has in Azure ('krsouthreplica'), a new one is named after its region.
    """
    params = module.params
    registry = registry_result['resource']
    names, listed = {}, []
    if registry.get('id'):
        operations = module.client('containerregistry').replications
        found = module.get_or_none('list the replications of container registry %s' % params['name'],
                                   lambda: [to_rest(r) for r in operations.list(params['resource_group'], params['name'])])
        names = dict((region(replication.get('location')), replication['name']) for replication in found or [])
        listed = dict((region(replication.get('location')), replication) for replication in found or [])
    wanted = dict((region(item['location']), item) for item in params['replications'])
    home = region(registry.get('location') or params['location'])
    return reconcile_children(module, 'replications', lambda key, item: Replication(module, names.get(key, key), item),
                              wanted, listed, params['purge_replications'], [home])


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            sku=dict(type='str', choices=['Basic', 'Standard', 'Premium']),
            admin_user_enabled=dict(type='bool'),
            zone_redundancy=dict(type='bool'),
            public_network_access=dict(type='str', choices=['Enabled', 'Disabled']),
            replications=dict(type='list', elements='dict', options=dict(
                location=dict(type='str', required=True),
                zone_redundancy=dict(type='bool'),
                region_endpoint_enabled=dict(type='bool'),
                tags=dict(type='dict'),
            )),
            purge_replications=dict(type='bool', default=False),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
    )
    module.fail_on(validate(module.params))
    result = reconcile(module, Registry(module))
    if module.params['state'] == 'absent':
        module.exit(**result)
    if module.params['replications'] is not None:
        if result.get('status_url') and not result['resource'].get('id'):
            module.warn('container registry %s is still being created (wait=false); its replications are '
                        'left for the next run' % module.params['name'])
        else:
            replications = reconcile_replications(module, result)
            result['changed'] = result['changed'] or replications['changed']
            result['differences'].extend(replications['differences'])
            result['replications'] = replications['resources']
            if 'diff' in result:
                result['diff']['before']['replications'] = replications['before']
                result['diff']['after']['replications'] = replications['resources']
    properties = result['resource'].get('properties') or {}
    result.update(id=result['resource'].get('id'), login_server=properties.get('loginServer'))
    module.exit(**result)


if __name__ == '__main__':
    main()
