#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: network_security_group
short_description: Create, update or delete an Azure network security group and its rules
version_added: 0.1.0
description:
  - Ensures a network security group exists with the stated security rules and tags, or is absent.
  - Rules are a set keyed by name. A stated rule is created or brought to what is stated. Rules found in
    Azure but not stated are kept and listed in RV(unmanaged_rules), unless O(purge_rules=true).
  - Azure's default security rules (C(AllowVnetInBound), ...) are never compared nor touched.
  - Port ranges and address prefixes are sets (order does not matter); an address and its C(/32) are the
    same; enum values (V(Tcp), V(tcp)) match without case. Azure keeps a single value and a list of values
    in two different fields; both are read as one list, and the module writes a single value to the
    single-value field, as Azure requires for service tags and V(*).
  - Rules are checked before any call to Azure; priorities must be unique per direction, including against
    rules that exist in Azure and are kept.
options:
  name:
    description: Name of the network security group.
    type: str
    required: true
  resource_group:
    description: Resource group of the network security group.
    type: str
    required: true
  location:
    description:
      - Azure region, in either form (V(Korea Central) or V(koreacentral)). Required to create.
      - A network security group cannot move; a different region on an existing one is an error.
    type: str
  rules:
    description: Security rules, a set keyed by O(rules[].name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Rule name (unique in the group, compared without case).
        type: str
        required: true
      description:
        description: Free text shown with the rule.
        type: str
      priority:
        description: 100 (evaluated first) to 4096; unique among the rules of one direction.
        type: int
        required: true
      direction:
        description: V(Inbound) or V(Outbound) (any case).
        type: str
        required: true
      access:
        description: V(Allow) or V(Deny) (any case).
        type: str
        required: true
      protocol:
        description: V(Tcp), V(Udp), V(Icmp), V(Esp), V(Ah) or V(*) for any (any case).
        type: str
        required: true
      source_address_prefix:
        description:
          - One source, a CIDR, an address, a service tag (V(Internet), V(GatewayManager)) or V(*).
          - Exclusive with O(rules[].source_address_prefixes). V(*) when neither is stated.
        type: str
      source_address_prefixes:
        description: Several sources, CIDRs or addresses only (Azure refuses service tags and V(*) in a list).
        type: list
        elements: str
      destination_address_prefix:
        description:
          - One destination, as for O(rules[].source_address_prefix).
          - Exclusive with O(rules[].destination_address_prefixes). V(*) when neither is stated.
        type: str
      destination_address_prefixes:
        description: Several destinations, CIDRs or addresses only.
        type: list
        elements: str
      source_port_range:
        description:
          - One source port, V(N), V(N-M) or V(*). Exclusive with O(rules[].source_port_ranges).
          - V(*) when neither is stated.
        type: str
      source_port_ranges:
        description: Several source ports or port ranges (V(*) is only allowed alone).
        type: list
        elements: str
      destination_port_range:
        description:
          - One destination port, V(N), V(N-M) or V(*). Exclusive with O(rules[].destination_port_ranges).
          - V(*) when neither is stated.
        type: str
      destination_port_ranges:
        description: Several destination ports or port ranges (V(*) is only allowed alone).
        type: list
        elements: str
  purge_rules:
    description: Delete rules that exist in Azure but are not in O(rules).
    type: bool
    default: false
  state:
    description: Whether the network security group should exist.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 600 seconds.
  - In RV(resource) and the diff, each rule shows its address prefixes and port ranges as the lists
    C(sourceAddressPrefixes), C(destinationAddressPrefixes), C(sourcePortRanges), C(destinationPortRanges),
    whichever of Azure's two fields holds them.
requirements:
  - azure-mgmt-network >= 30, < 34
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: NSG of the Application Gateway subnet
  phonebill.platform.network_security_group:
    name: nsg-appgw
    resource_group: rg-phonebill-prod
    location: koreacentral
    rules:
      - name: allow-https-internet
        priority: 100
        direction: Inbound
        access: Allow
        protocol: Tcp
        source_address_prefix: Internet
        destination_port_ranges: ["443"]
      - name: allow-gateway-manager
        priority: 120
        direction: Inbound
        access: Allow
        protocol: Tcp
        source_address_prefix: GatewayManager
        destination_port_range: 65200-65535

- name: Exactly these rules, deleting any other
  phonebill.platform.network_security_group:
    name: nsg-aks
    resource_group: rg-phonebill-prod
    rules:
      - name: allow-postgresql
        priority: 100
        direction: Outbound
        access: Allow
        protocol: Tcp
        destination_address_prefix: 10.0.2.0/24
        destination_port_range: "5432"
    purge_rules: true
'''

RETURN = r'''
resource:
  description: The network security group as Azure returns it (or, in check mode, as it would be), rule
    prefixes and ports shown as lists.
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-appgw
    name: nsg-appgw
    location: koreacentral
    properties:
      securityRules:
        - name: allow-https-internet
          properties: {priority: 100, direction: Inbound, access: Allow, protocol: Tcp,
                       sourceAddressPrefixes: [Internet], destinationAddressPrefixes: ["*"],
                       sourcePortRanges: ["*"], destinationPortRanges: ["443"]}
unmanaged_rules:
  description: Rules that exist in Azure, are not in O(rules), and were kept.
  returned: when O(state=present)
  type: list
  elements: str
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: "properties.securityRules[allow-redis].properties.destinationPortRanges", before: ["6379"],
            after: ["6379", "6380"]}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

import copy

from ansible_collections.phonebill.platform.plugins.module_utils import compare, network_common as net
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.network_common import ACCESSES, DIRECTIONS, PROTOCOLS, RULE_FIELDS
from ansible_collections.phonebill.platform.plugins.module_utils.validation import canonical, find, name_problems

RULES = 'properties.securityRules'


def as_lists(document):
    """The NSG with every rule's single-value fields folded into the list fields (one form to compare)."""
    if not document:
        return document
    document = copy.deepcopy(document)
    for rule in (document.get('properties') or {}).get('securityRules') or []:
        props = rule.setdefault('properties', {})
        for single, several, _one, _several in RULE_FIELDS:
            values = list(props.pop(several, None) or [])
            value = props.pop(single, None)
            if value not in (None, '') and value not in values:
                values.insert(0, value)
            props[several] = values
    return document


def as_azure(document):
    """The NSG body in Azure's form: a lone value in the single-value field, several in the list."""
    document = copy.deepcopy(document)
    for rule in (document.get('properties') or {}).get('securityRules') or []:
        props = rule.get('properties') or {}
        for single, several, _one, _several in RULE_FIELDS:
            if several not in props:
                continue
            values = props[several]
            if len(values) == 1:
                props[single], props[several] = values[0], []
            else:
                props.pop(single, None)
    return document


class SecurityGroup(ArmResource):
    kind, service, operations = 'network security group', 'network', 'network_security_groups'
    readonly = ArmResource.readonly + ('properties.defaultSecurityRules', 'properties.resourceGuid')
    immutable = ('location',)
    required_to_create = ('location',)

    @property
    def rules(self):
        prefix = compare.Set(net.AddressPrefix())
        item = RULES + '[].properties.'
        return {
            RULES: compare.NamedSet(purge=self.params['purge_rules']),
            item + 'direction': compare.IGNORE_CASE,
            item + 'access': compare.IGNORE_CASE,
            item + 'protocol': compare.IGNORE_CASE,
            item + 'sourceAddressPrefixes': prefix,
            item + 'destinationAddressPrefixes': prefix,
            item + 'sourcePortRanges': compare.Set(),
            item + 'destinationPortRanges': compare.Set(),
        }

    def get(self):
        self.current = as_lists(super(SecurityGroup, self).get())
        return self.current

    def write(self, body):
        return super(SecurityGroup, self).write(as_azure(body))

    def existing_rules(self):
        return ((self.current or {}).get('properties') or {}).get('securityRules') or []

    def unmanaged(self):
        stated = self.params['rules']
        return [r['name'] for r in self.existing_rules() if stated is None or find(stated, r['name']) is None]

    def problems(self):
        """A stated rule may not take the priority of a rule that stays in Azure."""
        if self.params['purge_rules']:
            return []
        taken = {}
        for name in self.unmanaged():
            props = find(self.existing_rules(), name).get('properties') or {}
            taken[((props.get('direction') or '').lower(), props.get('priority'))] = name
        found = []
        for rule in self.params['rules'] or []:
            other = taken.get((rule['direction'].lower(), rule['priority']))
            if other:
                found.append('rules[%s].priority: %s %s is taken by rule %s, which exists in Azure and is not '
                             'stated; pick another priority, state that rule, or set purge_rules=true'
                             % (rule['name'], rule['direction'], rule['priority'], other))
        return found

    def desired(self):
        rules = self.params['rules']
        return {
            'location': self.params['location'],
            'tags': self.params['tags'],
            'properties': {'securityRules': None if rules is None else [rule_body(r) for r in rules]},
        }


def rule_body(rule):
    props = {
        'description': rule['description'],
        'priority': rule['priority'],
        'direction': canonical(rule['direction'], DIRECTIONS),
        'access': canonical(rule['access'], ACCESSES),
        'protocol': canonical(rule['protocol'], PROTOCOLS),
    }
    for _single, several, one, option in RULE_FIELDS:
        values = rule[option]
        props[several] = list(values) if values is not None else [rule[one] or '*']
    return {'name': rule['name'], 'properties': props}


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    return (net.security_group_problems(params)
            + name_problems('resource_group', params['resource_group'], 'resource_group'))


def main():
    rule_options = dict(
        name=dict(type='str', required=True),
        description=dict(type='str'),
        priority=dict(type='int', required=True),
        direction=dict(type='str', required=True),
        access=dict(type='str', required=True),
        protocol=dict(type='str', required=True),
    )
    for _single, _several, one, several in RULE_FIELDS:
        rule_options[one] = dict(type='str')
        rule_options[several] = dict(type='list', elements='str')
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            rules=dict(type='list', elements='dict', options=rule_options),
            purge_rules=dict(type='bool', default=False),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=600,
    )
    module.fail_on(validate(module.params))
    group = SecurityGroup(module)
    result = reconcile(module, group)
    result['resource'] = as_lists(result['resource'])
    if 'diff' in result:
        result['diff']['after'] = as_lists(result['diff']['after'])
    if module.params['state'] == 'present':
        result['unmanaged_rules'] = [] if module.params['purge_rules'] else group.unmanaged()
    module.exit(**result)


if __name__ == '__main__':
    main()
