#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: key_vault
short_description: Create, update, delete, recover or purge an Azure Key Vault
version_added: 0.2.0
description:
  - Ensures an Azure Key Vault (C(Microsoft.KeyVault/vaults)) exists with the stated SKU, tenant, authorization
    model, soft-delete retention, purge protection, network rules, public network access and tags, or is absent.
  - Only what is stated is compared and changed; every difference is reported.
  - A deleted vault stays soft-deleted (recoverable, its name reserved) for its retention period. When a soft-deleted
    vault holds the name, the module fails and names the two ways out, recovering it (O(recover=true)) or purging it
    (O(state=absent) with O(purge=true), where purge protection allows); it never purges on its own.
  - Purge protection cannot be turned off once on, and the soft-delete retention cannot change after creation; a task
    that states otherwise fails before anything is written.
options:
  name:
    description: Name of the vault (3-24 letters, digits and C(-), starting with a letter, ending with a letter or
      digit, without C(--); unique across Azure, the vault is C(https://<name>.vault.azure.net/)).
    type: str
    required: true
  resource_group:
    description: Resource group of the vault.
    type: str
    required: true
  location:
    description:
      - Azure region, in either form (V(Korea Central) or V(koreacentral)).
      - Required to create the vault; a vault cannot move.
    type: str
  sku:
    description:
      - Pricing tier. V(premium) adds HSM-protected keys.
      - Required to create the vault.
    type: str
    choices: [standard, premium]
  tenant_id:
    description:
      - Microsoft Entra tenant that authenticates requests to the vault.
      - A new vault without it gets the tenant of the module's credential (O(tenant)).
    type: str
  enable_rbac_authorization:
    description:
      - Authorize data-plane requests with Azure role assignments (V(true)) rather than access policies.
    type: bool
  soft_delete_retention_days:
    description:
      - Days (7-90) a deleted vault, and anything deleted in it, stays recoverable. Azure's default is 90.
      - Set at creation only; a different value on an existing vault is an error.
    type: int
  purge_protection:
    description:
      - V(true) turns on purge protection, so nothing deleted in the vault, nor the vault itself, can be purged
        before its retention ends. It cannot be turned off.
      - V(false) on a vault that has it fails; on a vault without it, V(false) changes nothing.
    type: bool
  public_network_access:
    description: Whether the vault accepts requests from public networks (V(Disabled) leaves private endpoints only).
    type: str
    choices: [Enabled, Disabled]
  network_acls:
    description:
      - The vault's firewall. Each stated list is the whole set (its order does not matter); a list left out is
        not compared.
    type: dict
    suboptions:
      default_action:
        description: What happens to requests no rule matches.
        type: str
        choices: [Allow, Deny]
      bypass:
        description: Whether trusted Azure services get through the firewall.
        type: str
        choices: [AzureServices, None]
      ip_rules:
        description: IPv4 addresses or CIDR ranges allowed through (V(20.41.0.10) is V(20.41.0.10/32)).
        type: list
        elements: str
      virtual_network_rules:
        description: Resource ids of subnets allowed through (the subnets need the C(Microsoft.KeyVault) service
          endpoint).
        type: list
        elements: str
  recover:
    description:
      - With O(state=present), when a soft-deleted vault holds the name, recover it (C(createMode=recover)) with
        its secrets, keys, certificates and access policies, then apply what is stated. Needs O(sku).
      - Without a soft-deleted vault of that name, it has no effect.
    type: bool
    default: false
  purge:
    description:
      - With O(state=absent), purge the vault for good after deleting it (or purge the soft-deleted vault that holds
        the name), releasing the name. Everything in it is lost.
      - Refused when the vault has purge protection.
    type: bool
    default: false
  state:
    description:
      - Whether the vault should exist. V(absent) deletes it, and it stays soft-deleted for its retention period
        unless O(purge=true).
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 600 seconds.
  - In check mode a recovery is predicted as such; the properties of the recovered vault, and so the differences
    left to apply, are known only once it is recovered.
requirements:
  - azure-mgmt-keyvault >= 13, < 15
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Production vault, RBAC, purge protection, private endpoint access only
  phonebill.platform.key_vault:
    name: kv-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    sku: premium
    enable_rbac_authorization: true
    soft_delete_retention_days: 90
    purge_protection: true
    public_network_access: Disabled
    network_acls:
      default_action: Deny
      bypass: AzureServices
      ip_rules: []
      virtual_network_rules: []
    tags:
      service: phonebill
  register: vault

- name: Bring back a vault deleted by mistake, with its contents
  phonebill.platform.key_vault:
    name: kv-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    sku: premium
    recover: true

- name: Delete a scratch vault and release its name
  phonebill.platform.key_vault:
    name: kv-phonebill-scratch
    resource_group: rg-phonebill-dev
    state: absent
    purge: true
'''

RETURN = r'''
resource:
  description: The vault as Azure returns it (or, in check mode, as it would be).
  returned: success
  type: dict
  sample:
    id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-prod/providers/Microsoft.KeyVault/vaults/kv-phonebill-prod
    name: kv-phonebill-prod
    location: koreacentral
    properties:
      sku: {family: A, name: premium}
      tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
      enableRbacAuthorization: true
      enableSoftDelete: true
      softDeleteRetentionInDays: 90
      enablePurgeProtection: true
      publicNetworkAccess: Disabled
      networkAcls: {bypass: AzureServices, defaultAction: Deny, ipRules: [], virtualNetworkRules: []}
      vaultUri: https://kv-phonebill-prod.vault.azure.net/
id:
  description: Resource id of the vault (the scope of its role assignments).
  returned: when O(state=present) and the vault exists (not for a new vault in check mode)
  type: str
vault_uri:
  description: The data-plane address of the vault, for the secret and certificate modules.
  returned: when O(state=present) and the vault exists (not for a new vault in check mode)
  type: str
  sample: https://kv-phonebill-prod.vault.azure.net/
differences:
  description:
    - Every stated field that differed from Azure, with the value before and after.
    - A recovery is the path V("") from V(<soft-deleted>) to V(<recovered>); a purge from V(<exists>) or
      V(<soft-deleted>) to V(<purged>).
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.publicNetworkAccess, before: Enabled, after: Disabled}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, keyvault_checks
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import (
    AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC, to_rest)
from ansible_collections.phonebill.platform.plugins.module_utils.validation import guid_problems, name_problems, same, tag_problems


def network_acls_body(acls):
    """The REST networkAcls of the network_acls option (None: not stated)."""
    if acls is None:
        return None
    ip_rules, subnets = acls.get('ip_rules'), acls.get('virtual_network_rules')
    return {
        'defaultAction': acls.get('default_action'),
        'bypass': acls.get('bypass'),
        'ipRules': None if ip_rules is None else [{'value': value} for value in ip_rules],
        'virtualNetworkRules': None if subnets is None else [{'id': subnet} for subnet in subnets],
    }


class Vault(ArmResource):
    kind, service, operations = 'key vault', 'keyvault', 'vaults'
    delete_method = 'delete'
    rules = {
        'properties.sku.name': compare.IGNORE_CASE,
        'properties.tenantId': compare.IGNORE_CASE,
        'properties.publicNetworkAccess': compare.IGNORE_CASE,
        'properties.networkAcls.defaultAction': compare.IGNORE_CASE,
        'properties.networkAcls.bypass': compare.IGNORE_CASE,
        # Azure answers 1.2.3.4 as 1.2.3.4/32 and lower-cases subnet ids
        'properties.networkAcls.ipRules': compare.NamedSet('value', purge=True, key_rule=compare.CIDR),
        'properties.networkAcls.virtualNetworkRules': compare.NamedSet('id', purge=True, key_rule=compare.RESOURCE_ID),
    }
    readonly = ArmResource.readonly + ('properties.vaultUri', 'properties.hsmPoolResourceId',
                                       'properties.privateEndpointConnections')
    immutable = ('location', 'properties.softDeleteRetentionInDays')
    required_to_create = ('location', 'sku')
    #: the soft-deleted vault holding the name (REST form), read by lookup() when the vault does not exist
    deleted = None

    def read_deleted(self):
        """The soft-deleted vault of this name in the subscription (any region), or None."""
        name = self.params['name']
        found = self.module.call('list the soft-deleted key vaults', lambda: [
            vault for vault in (to_rest(v) for v in self.ops.list_deleted()) if same(vault.get('name'), name)])
        return found[0] if found else None

    def lookup(self):
        if self.current is None:
            self.deleted = self.read_deleted()

    def problems(self):
        params, found = self.params, []
        properties = (self.current or {}).get('properties') or {}
        if self.current is None and self.deleted is not None and not params['recover']:
            found.append(held_by_deleted_problem(self.deleted))
        if properties.get('enablePurgeProtection') and params['purge_protection'] is False:
            found.append('purge_protection: %s has purge protection and Azure cannot turn it off; state '
                         'purge_protection=true or leave it out' % self.label)
        if self.current is None and not (params['tenant_id'] or params['tenant']):
            found.append('tenant_id: required to create %s, and the credential names no tenant; state the tenant id'
                         % self.label)
        return found

    def desired(self):
        params = self.params
        creating = self.current is None
        return {
            'location': params['location'],
            'tags': params['tags'],
            'properties': {
                'tenantId': params['tenant_id'] or (params['tenant'] if creating else None),
                'sku': {'family': 'A', 'name': params['sku']} if params['sku'] else None,
                'enableRbacAuthorization': params['enable_rbac_authorization'],
                'softDeleteRetentionInDays': params['soft_delete_retention_days'],
                # Azure refuses an explicit false, even on a new vault: off is stated by leaving it out
                'enablePurgeProtection': True if params['purge_protection'] else None,
                'publicNetworkAccess': params['public_network_access'],
                'networkAcls': network_acls_body(params['network_acls']),
                # required in the create body; role assignments grant access when RBAC authorization is on
                'accessPolicies': [] if creating else None,
            },
        }

    def write(self, body):
        properties = body.get('properties') or {}
        if properties.get('enablePurgeProtection') is not True:
            properties.pop('enablePurgeProtection', None)
        return super(Vault, self).write(body)


def held_by_deleted_problem(deleted):
    properties = deleted.get('properties') or {}
    if properties.get('purgeProtectionEnabled'):
        purge = ('it has purge protection, so it cannot be purged before %s; recover it or choose another name'
                 % properties.get('scheduledPurgeDate'))
    else:
        purge = ('or purge it to release the name (state=absent, purge=true; its contents are lost), or choose '
                 'another name')
    return ('name: %s is held by a soft-deleted vault (deleted %s in %s, purged by Azure on %s); set recover=true to '
            'recover it with its contents, %s' % (deleted.get('name'), properties.get('deletionDate'),
                                                  properties.get('location'), properties.get('scheduledPurgeDate'), purge))


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    found = name_problems('name', params['name'], 'key_vault')
    found += name_problems('resource_group', params['resource_group'], 'resource_group')
    found += tag_problems('tags', params['tags'])
    found += guid_problems('tenant_id', params['tenant_id'])
    found += keyvault_checks.retention_problems('soft_delete_retention_days', params['soft_delete_retention_days'])
    found += keyvault_checks.network_acls_problems('network_acls', params['network_acls'])
    if params['purge'] and params['state'] != 'absent':
        found.append('purge: only purges with state=absent; leave it out or state absent')
    if params['recover'] and params['state'] != 'present':
        found.append('recover: only recovers with state=present; leave it out or state present')
    return found


def purge(module, vault):
    """state=absent, purge=true: delete (soft delete) if it exists, then purge the soft-deleted vault."""
    current = vault.get()
    deleted = vault.read_deleted() if current is None else None
    if current is None and deleted is None:
        return dict(changed=False, resource={}, differences=[])
    if current is not None and (current.get('properties') or {}).get('enablePurgeProtection'):
        module.fail_on(['purge: %s has purge protection, so once deleted it cannot be purged before its retention '
                        'ends; leave purge out to delete it (it stays soft-deleted and recoverable)' % vault.label])
    if deleted is not None and (deleted.get('properties') or {}).get('purgeProtectionEnabled'):
        module.fail_on(['purge: soft-deleted %s has purge protection and cannot be purged; Azure purges it on %s'
                        % (vault.label, deleted['properties'].get('scheduledPurgeDate'))])
    location = current['location'] if current else deleted['properties']['location']
    result = dict(changed=True, resource={}, differences=[
        compare.Difference('', '<exists>' if current else '<soft-deleted>', '<purged>').as_dict()])
    if module.diff_mode:
        result['diff'] = dict(before=current or deleted, after={})
    if not module.check_mode:
        if current is not None:
            module.run_operation('delete %s' % vault.label, vault.remove)
        _ignored, status_url = module.run_operation('purge %s' % vault.label,
                                                    lambda: vault.ops.begin_purge_deleted(module.params['name'], location))
        if status_url:
            result['status_url'] = status_url
    return result


def recover(module, vault):
    """The recovery difference when a soft-deleted vault holds the name (recovered unless in check mode), else None."""
    if vault.get() is not None:
        return None
    deleted = vault.read_deleted()
    if deleted is None:
        return None
    module.fail_on(['sku: required to recover %s (the request names it); state the SKU the vault had' % vault.label]
                   if not module.params['sku'] else [])
    if not module.check_mode:
        body = compare.prune(vault.desired())
        body['location'] = body.get('location') or deleted['properties']['location']
        # the recovered vault keeps its access policies: only what the task states is sent
        body['properties'].pop('accessPolicies', None)
        body['properties']['createMode'] = 'recover'
        module.run_operation('recover %s' % vault.label, lambda: vault.write(body))
    return compare.Difference('', '<soft-deleted>', '<recovered>').as_dict()


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            sku=dict(type='str', choices=['standard', 'premium']),
            tenant_id=dict(type='str'),
            enable_rbac_authorization=dict(type='bool'),
            soft_delete_retention_days=dict(type='int'),
            purge_protection=dict(type='bool'),
            public_network_access=dict(type='str', choices=['Enabled', 'Disabled']),
            network_acls=dict(type='dict', options=dict(
                default_action=dict(type='str', choices=['Allow', 'Deny']),
                bypass=dict(type='str', choices=['AzureServices', 'None']),
                ip_rules=dict(type='list', elements='str'),
                virtual_network_rules=dict(type='list', elements='str'),
            )),
            recover=dict(type='bool', default=False),
            purge=dict(type='bool', default=False),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=600,
    )
    module.fail_on(validate(module.params))
    vault = Vault(module)
    if module.params['purge']:
        module.exit(**purge(module, vault))
    recovery = recover(module, vault) if module.params['recover'] else None
    if recovery and module.check_mode:
        module.exit(changed=True, resource={}, differences=[recovery])
    result = reconcile(module, vault)
    if recovery:
        result.update(changed=True, differences=[recovery] + result['differences'])
    if module.params['state'] == 'present':
        result.update(id=result['resource'].get('id'), vault_uri=(result['resource'].get('properties') or {}).get('vaultUri'))
    module.exit(**result)


if __name__ == '__main__':
    main()
