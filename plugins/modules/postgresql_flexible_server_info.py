#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: postgresql_flexible_server_info
short_description: Read Azure Database for PostgreSQL flexible servers, their replicas, parameters and firewall rules
version_added: 0.1.0
description:
  - Returns one server by name (with its read replicas, server parameters and firewall rules), those of a resource
    group, or those of the subscription, optionally only those carrying the given tags.
  - Azure never returns the administrator password.
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
  - phonebill.platform.azure.info_filters
requirements:
  - azure-mgmt-postgresqlflexibleservers >= 2, < 4
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Read the production server with its replicas
  phonebill.platform.postgresql_flexible_server_info:
    name: psql-phonebill-prod
    resource_group: rg-phonebill-prod
  register: found

- name: Host the services connect to, and the replicas
  ansible.builtin.debug:
    msg: "{{ found.servers[0].properties.fullyQualifiedDomainName }}: {{ found.replicas | map(attribute='name') }}"
'''

RETURN = r'''
servers:
  description: The servers found, as Azure returns them (empty when the named server does not exist).
  returned: always
  type: list
  elements: dict
  sample:
    - id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-phonebill-prod
      name: psql-phonebill-prod
      location: koreacentral
      sku: {name: Standard_D4s_v3, tier: GeneralPurpose}
      properties:
        version: '16'
        state: Ready
        fullyQualifiedDomainName: psql-phonebill-prod.postgres.database.azure.com
        highAvailability: {mode: ZoneRedundant, standbyAvailabilityZone: '2', state: Healthy}
        replicationRole: Primary
        replicaCapacity: 5
replicas:
  description: The read replicas of the named server, as Azure returns them.
  returned: when O(name) is given and the server exists
  type: list
  elements: dict
configurations:
  description: Every server parameter of the named server with its value, default and source.
  returned: when O(name) is given and the server exists
  type: list
  elements: dict
  sample: [{name: ssl_min_protocol_version, properties: {value: TLSv1.2, defaultValue: TLSv1.2, source: system-default}}]
firewall_rules:
  description: The firewall rules of the named server.
  returned: when O(name) is given and the server exists
  type: list
  elements: dict
'''

from ansible_collections.phonebill.platform.plugins.module_utils import arm_info
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(arm_info.ARGUMENT_SPEC))
    servers = arm_info.read(module, 'PostgreSQL flexible server', lambda: module.client('postgresql').servers)
    result = dict(changed=False, servers=servers)
    params = module.params
    if params['name'] and servers:
        client = module.client('postgresql')
        where = (params['resource_group'], params['name'])
        for key, operations, method in (('replicas', client.replicas, 'list_by_server'),
                                        ('configurations', client.configurations, 'list_by_server'),
                                        ('firewall_rules', client.firewall_rules, 'list_by_server')):
            result[key] = module.call('list the %s of PostgreSQL flexible server %s' % (key.replace('_', ' '), params['name']),
                                      lambda operations=operations, method=method: [
                                          to_rest(item) for item in getattr(operations, method)(*where)])
    module.exit(**result)


if __name__ == '__main__':
    main()
