#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: aks_cluster
short_description: Create, update or delete an Azure Kubernetes Service (AKS) cluster
version_added: 0.1.0
description:
  - Ensures an AKS managed cluster exists with the stated version, tier, network, Microsoft Entra ID (Azure AD)
    integration, private API server, OIDC issuer and workload identity, upgrade channels and add-ons, or is absent.
  - The cluster always has a system-assigned managed identity.
  - O(kubernetes_version) is checked against the versions AKS offers in the region before anything is written (on
    create, and whenever it differs from the cluster's); an upgrade must be one the cluster's upgrade profile lists,
    and a downgrade is refused. A cluster already on the stated version is not re-checked.
  - Node pools stated in O(agent_pools) are compared and merged by name; pools the cluster has and O(agent_pools)
    does not state are kept as they are. After creation, manage pools with M(phonebill.platform.aks_agent_pool).
  - Only what is stated is compared and changed; the update starts from the cluster as it is in Azure.
options:
  name:
    description: Name of the cluster (1-63 letters, digits, C(-), C(_); starting and ending with a letter or digit).
    type: str
    required: true
  resource_group:
    description: Resource group of the cluster.
    type: str
    required: true
  location:
    description: Azure region, in either form (V(Korea Central) or V(koreacentral)). Required to create; cannot change.
    type: str
  kubernetes_version:
    description:
      - Kubernetes version, a minor version (V(1.33), any patch of it matches) or a patch version (V(1.33.2)).
      - Must be offered by AKS in the region. Raising it upgrades the control plane to a version from the cluster's
        upgrade profile; node pools keep theirs unless O(agent_pools[].orchestrator_version) says otherwise.
      - Lowering it fails; AKS cannot downgrade.
    type: str
  sku_tier:
    description: Pricing tier. V(Standard) has the uptime SLA; V(Premium) adds Long Term Support.
    type: str
    choices: [Free, Standard, Premium]
  dns_prefix:
    description: DNS prefix of the API server name (1-54 letters, digits, C(-)). Required to create; cannot change.
    type: str
  network:
    description: Network profile. Cannot change after creation except O(network.plugin_mode) and O(network.policy).
    type: dict
    suboptions:
      plugin:
        description: Network plugin. V(azure) is Azure CNI.
        type: str
        choices: [azure, kubenet, none]
      plugin_mode:
        description: V(overlay) gives pods addresses from O(network.pod_cidr) rather than from the node subnet.
        type: str
        choices: [overlay]
      policy:
        description: Network policy engine.
        type: str
        choices: [azure, calico, cilium, none]
      pod_cidr:
        description: Pod address range (Azure CNI Overlay or kubenet).
        type: str
      service_cidr:
        description: Kubernetes service address range; must not overlap the VNet or O(network.pod_cidr).
        type: str
      dns_service_ip:
        description: Cluster DNS service address, inside O(network.service_cidr) and not its first address.
        type: str
  aad:
    description: Microsoft Entra ID (Azure AD) managed integration.
    type: dict
    suboptions:
      azure_rbac:
        description: Authorize Kubernetes requests with Azure RBAC.
        type: bool
      admin_group_object_ids:
        description: Object ids of the Entra groups that are cluster administrators (compared as a set).
        type: list
        elements: str
      tenant_id:
        description: Tenant of the groups; defaults to the subscription's tenant.
        type: str
  disable_local_accounts:
    description: Turn off the local (certificate) admin account, so every access goes through Entra ID.
    type: bool
  private_cluster:
    description: Expose the API server on a private endpoint only. Cannot change after creation.
    type: bool
  oidc_issuer:
    description: Enable the OIDC issuer (needed for workload identity). Once on, AKS cannot turn it off.
    type: bool
  workload_identity:
    description: Enable workload identity (C(securityProfile.workloadIdentity)); needs O(oidc_issuer=true).
    type: bool
  upgrade_channel:
    description: Automatic Kubernetes upgrade channel.
    type: str
    choices: [none, patch, stable, rapid, node-image]
  node_os_upgrade_channel:
    description: Automatic node OS image upgrade channel.
    type: str
    choices: [None, Unmanaged, SecurityPatch, NodeImage]
  addons:
    description: Add-ons. An add-on not stated is left as it is.
    type: dict
    suboptions:
      monitoring:
        description: Container Insights (the C(omsagent) add-on).
        type: dict
        suboptions:
          enabled:
            description: Whether the add-on is on.
            type: bool
            default: true
          log_analytics_workspace_id:
            description: Resource id of the Log Analytics workspace; required when enabled.
            type: str
          use_aad_auth:
            description: The agent authenticates with its managed identity (recommended by Azure).
            type: bool
            default: true
      ingress_application_gateway:
        description: Application Gateway Ingress Controller (the C(ingressApplicationGateway) add-on).
        type: dict
        suboptions:
          enabled:
            description: Whether the add-on is on.
            type: bool
            default: true
          application_gateway_id:
            description: Resource id of an existing Application Gateway; required when enabled.
            type: str
      key_vault_secrets_provider:
        description: Secrets Store CSI driver for Key Vault (the C(azureKeyvaultSecretsProvider) add-on).
        type: dict
        suboptions:
          enabled:
            description: Whether the add-on is on.
            type: bool
            default: true
          secret_rotation:
            description: Poll Key Vault and update mounted secrets when they change.
            type: bool
            default: true
          rotation_poll_interval:
            description: How often rotation polls, as a number and C(s), C(m) or C(h) (V(2m)).
            type: str
            default: 2m
  agent_pools:
    description:
      - Node pools, matched by name. At least one V(System) pool is needed to create the cluster.
      - Stated pools are compared and merged; pools not stated are never removed or reset.
      - While auto-scaling is on, C(count) is used only to create the pool and is not compared.
    type: list
    elements: dict
    suboptions:
      name:
        description: Pool name (1-12 lower-case letters and digits, starting with a letter).
        type: str
        required: true
      mode:
        description: V(System) pools run the cluster's own pods; V(User) pools run workloads.
        type: str
        choices: [System, User]
      vm_size:
        description: VM size of the nodes. Cannot change after the pool is created.
        type: str
      count:
        description: Number of nodes; with auto-scaling, the initial count (default O(agent_pools[].min_count)).
        type: int
      enable_auto_scaling:
        description: Cluster autoscaler on or off. Defaults to on when min_count and max_count are stated.
        type: bool
      min_count:
        description: Autoscaler lower bound.
        type: int
      max_count:
        description: Autoscaler upper bound.
        type: int
      zones:
        description: Availability zones (compared as a set). Cannot change after the pool is created.
        type: list
        elements: str
        choices: ['1', '2', '3']
      max_surge:
        description: Extra nodes during an upgrade, a count (V(1)) or a percentage (V(33%)).
        type: str
      labels:
        description: Kubernetes node labels (string values).
        type: dict
      taints:
        description: Kubernetes node taints, C(key=value:Effect) with C(Effect) V(NoSchedule), V(PreferNoSchedule) or V(NoExecute).
        type: list
        elements: str
      orchestrator_version:
        description: Kubernetes version of the pool's nodes (at most the control plane's).
        type: str
      vnet_subnet_id:
        description: Subnet of the nodes. Cannot change after the pool is created.
        type: str
      max_pods:
        description: Maximum pods per node (10-250). Cannot change after the pool is created.
        type: int
      os_disk_size_gb:
        description: OS disk size. Cannot change after the pool is created.
        type: int
  purge_labels:
    description: Remove node labels of the stated pools that are not in their C(labels).
    type: bool
    default: false
  purge_taints:
    description: Remove node taints of the stated pools that are not in their C(taints).
    type: bool
    default: false
  state:
    description: Whether the cluster should exist. V(absent) deletes it with everything in it.
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 3600 seconds; creating or upgrading a cluster takes many minutes.
  - Add-on names are matched without regard to case, as Azure returns them in varying case.
seealso:
  - module: phonebill.platform.aks_agent_pool
  - module: phonebill.platform.aks_cluster_info
  - module: phonebill.platform.aks_maintenance_configuration
requirements:
  - azure-mgmt-containerservice >= 40, < 42
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Production cluster, private, Entra ID with Azure RBAC, workload identity
  phonebill.platform.aks_cluster:
    name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    kubernetes_version: "1.33"
    sku_tier: Standard
    dns_prefix: phonebill-prod
    network:
      plugin: azure
      plugin_mode: overlay
      policy: azure
      pod_cidr: 192.168.0.0/16
      service_cidr: 172.16.0.0/16
      dns_service_ip: 172.16.0.10
    aad:
      azure_rbac: true
    private_cluster: true
    oidc_issuer: true
    workload_identity: true
    upgrade_channel: patch
    node_os_upgrade_channel: NodeImage
    addons:
      monitoring:
        log_analytics_workspace_id: "{{ workspace.resource.id }}"
      key_vault_secrets_provider:
        secret_rotation: true
    agent_pools:
      - name: system
        mode: System
        vm_size: Standard_D2s_v3
        count: 3
        min_count: 3
        max_count: 5
        zones: ["1", "2", "3"]
        max_surge: "33%"
        max_pods: 30
        vnet_subnet_id: "{{ subnet_id }}"
    tags:
      service: phonebill
  register: cluster

- name: Upgrade the control plane (must be listed in the cluster's upgrade profile)
  phonebill.platform.aks_cluster:
    name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    kubernetes_version: "1.34"
'''

RETURN = r'''
resource:
  description:
    - The cluster as Azure returns it (or, in check mode, as it would be), in REST form.
    - C(properties.oidcIssuerProfile.issuerURL) is the issuer federated credentials trust;
      C(properties.identityProfile.kubeletidentity) is the identity the nodes pull images with.
  returned: success
  type: dict
  sample:
    id: >-
      /subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-phonebill-prod/providers/
      Microsoft.ContainerService/managedClusters/aks-phonebill-prod
    name: aks-phonebill-prod
    location: koreacentral
    identity: {type: SystemAssigned, principalId: 11111111-1111-1111-1111-111111111111}
    properties:
      kubernetesVersion: "1.33"
      currentKubernetesVersion: 1.33.2
      oidcIssuerProfile: {enabled: true, issuerURL: "https://koreacentral.oic.prod-aks.azure.com/tenant/guid/"}
      identityProfile:
        kubeletidentity: {clientId: 22222222-2222-2222-2222-222222222222, objectId: 33333333-3333-3333-3333-333333333333}
differences:
  description: Every stated field that differed from Azure, with the value before and after.
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.kubernetesVersion, before: "1.32", after: "1.33"}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

import ipaddress
import re

from ansible_collections.phonebill.platform.plugins.module_utils import aks, compare
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import check_guid, check_name, check_tags

INTERVAL_PATTERN = re.compile(r'^[1-9]\d*[smh]$')
POOLS = 'properties.agentPoolProfiles'
POOL_ITEM = POOLS + '[]'
#: the add-on names this module states, as Azure spells them in its documentation
ADDONS = dict(monitoring='omsagent', ingress_application_gateway='ingressApplicationGateway',
              key_vault_secrets_provider='azureKeyvaultSecretsProvider')


def _text(flag):
    return None if flag is None else ('true' if flag else 'false')


class ManagedCluster(ArmResource):
    kind, service, operations = 'AKS cluster', 'containerservice', 'managed_clusters'
    readonly = ArmResource.readonly + (
        'identity.principalId', 'identity.tenantId', 'properties.currentKubernetesVersion', 'properties.fqdn',
        'properties.privateFQDN', 'properties.azurePortalFQDN', 'properties.maxAgentPools', 'properties.powerState',
        'properties.oidcIssuerProfile.issuerURL', 'properties.resourceUID')
    immutable = ('location', 'properties.dnsPrefix', 'properties.apiServerAccessProfile.enablePrivateCluster',
                 'properties.networkProfile.networkPlugin', 'properties.networkProfile.podCidr',
                 'properties.networkProfile.serviceCidr', 'properties.networkProfile.dnsServiceIP') + aks.pool_immutable(POOL_ITEM)
    required_to_create = ('location', 'dns_prefix', 'agent_pools')

    @property
    def rules(self):
        rules = {
            'identity.type': compare.IGNORE_CASE,
            'sku.name': compare.IGNORE_CASE,
            'sku.tier': compare.IGNORE_CASE,
            'properties.kubernetesVersion': aks.VERSION,
            'properties.networkProfile.networkPlugin': compare.IGNORE_CASE,
            'properties.networkProfile.networkPluginMode': compare.IGNORE_CASE,
            'properties.networkProfile.networkPolicy': compare.IGNORE_CASE,
            'properties.networkProfile.podCidr': compare.CIDR,
            'properties.networkProfile.serviceCidr': compare.CIDR,
            'properties.aadProfile.adminGroupObjectIDs': compare.Set(compare.IGNORE_CASE),
            'properties.aadProfile.tenantID': compare.IGNORE_CASE,
            'properties.autoUpgradeProfile.upgradeChannel': compare.IGNORE_CASE,
            'properties.autoUpgradeProfile.nodeOSUpgradeChannel': compare.IGNORE_CASE,
            'properties.addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID': compare.RESOURCE_ID,
            'properties.addonProfiles.omsagent.config.useAADAuth': compare.IGNORE_CASE,
            'properties.addonProfiles.ingressApplicationGateway.config.applicationGatewayId': compare.RESOURCE_ID,
            'properties.addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation': compare.IGNORE_CASE,
            POOLS: compare.NamedSet('name'),
        }
        rules.update(aks.pool_rules(POOL_ITEM, self.params['purge_labels'], self.params['purge_taints']))
        return rules

    def get(self):
        """The cluster, with add-on names in the case this module states them (Azure varies it)."""
        actual = super(ManagedCluster, self).get()
        profiles = ((actual or {}).get('properties') or {}).get('addonProfiles')
        if isinstance(profiles, dict):
            canonical = dict((name.lower(), name) for name in ADDONS.values())
            actual['properties']['addonProfiles'] = dict((canonical.get(k.lower(), k), v) for k, v in profiles.items())
        return actual

    def desired(self):
        params = self.params
        network = params['network'] or {}
        aad = params['aad']
        props = (self.current or {}).get('properties') or {}
        current_pools = compare.NamedSet('name').index(props.get('agentPoolProfiles'))
        pools = None
        if params['agent_pools'] is not None:
            pools = []
            for pool in params['agent_pools']:
                existing = current_pools.get(pool['name'].lower())
                pools.append(dict(name=pool['name'], **aks.pool_properties(pool, existing)))
        body = dict(
            location=params['location'],
            tags=params['tags'],
            identity=dict(type='SystemAssigned'),
            sku=dict(name='Base', tier=params['sku_tier']) if params['sku_tier'] else None,
            properties=dict(
                kubernetesVersion=params['kubernetes_version'],
                dnsPrefix=params['dns_prefix'],
                enableRBAC=True if aad else None,
                networkProfile=dict(
                    networkPlugin=network.get('plugin'), networkPluginMode=network.get('plugin_mode'),
                    networkPolicy=network.get('policy'), podCidr=network.get('pod_cidr'),
                    serviceCidr=network.get('service_cidr'), dnsServiceIP=network.get('dns_service_ip'),
                ) if network else None,
                aadProfile=dict(managed=True, enableAzureRBAC=aad.get('azure_rbac'),
                                adminGroupObjectIDs=aad.get('admin_group_object_ids'),
                                tenantID=aad.get('tenant_id')) if aad else None,
                disableLocalAccounts=params['disable_local_accounts'],
                apiServerAccessProfile=(dict(enablePrivateCluster=params['private_cluster'])
                                        if params['private_cluster'] is not None else None),
                oidcIssuerProfile=dict(enabled=params['oidc_issuer']) if params['oidc_issuer'] is not None else None,
                securityProfile=(dict(workloadIdentity=dict(enabled=params['workload_identity']))
                                 if params['workload_identity'] is not None else None),
                autoUpgradeProfile=dict(upgradeChannel=params['upgrade_channel'],
                                        nodeOSUpgradeChannel=params['node_os_upgrade_channel'])
                if params['upgrade_channel'] or params['node_os_upgrade_channel'] else None,
                addonProfiles=self.addon_profiles(),
                agentPoolProfiles=pools,
            ),
        )
        self.check_before_write()
        return body

    def addon_profiles(self):
        addons = self.params['addons'] or {}
        profiles = {}
        for option, name in ADDONS.items():
            addon = addons.get(option)
            if addon is None:
                continue
            profile = dict(enabled=addon['enabled'])
            if addon['enabled'] and option == 'monitoring':
                profile['config'] = dict(logAnalyticsWorkspaceResourceID=addon['log_analytics_workspace_id'],
                                         useAADAuth=_text(addon['use_aad_auth']))
            elif addon['enabled'] and option == 'ingress_application_gateway':
                profile['config'] = dict(applicationGatewayId=addon['application_gateway_id'])
            elif addon['enabled']:
                profile['config'] = dict(enableSecretRotation=_text(addon['secret_rotation']),
                                         rotationPollInterval=addon['rotation_poll_interval'])
            profiles[name] = profile
        return profiles or None

    def check_before_write(self):
        """What needs Azure's answer and must be refused before any write (versions, OIDC, system pool)."""
        params, actual = self.params, self.current
        if actual is None:
            if params['agent_pools'] and not any((p.get('mode') or '').lower() == 'system' for p in params['agent_pools']):
                self.module.fail('agent_pools: creating %s needs a pool with mode System; add one' % self.label)
            if params['kubernetes_version'] and params['location']:
                aks.check_offered(self.module, 'kubernetes_version', params['kubernetes_version'], params['location'])
            return
        props = actual.get('properties') or {}
        if params['oidc_issuer'] is False and (props.get('oidcIssuerProfile') or {}).get('enabled'):
            self.module.fail('oidc_issuer: %s has the OIDC issuer on and AKS cannot turn it off; state true' % self.label)
        stated = params['kubernetes_version']
        if stated and not aks.VERSION.equal(stated, props.get('kubernetesVersion')):
            current = props.get('currentKubernetesVersion') or props.get('kubernetesVersion')
            order = aks.version_cmp(stated, current)
            if order >= 0:
                aks.check_offered(self.module, 'kubernetes_version', stated, actual.get('location'))
            upgrades = []
            if order > 0:
                upgrades = aks.upgrade_targets(self.module.call(
                    'read the upgrade profile of %s' % self.label, self.ops.get_upgrade_profile, *self.where),
                    'properties', 'controlPlaneProfile')
            aks.check_upgrade(self.module, 'kubernetes_version', self.label, stated, current, upgrades)
        control_plane = stated or props.get('kubernetesVersion')
        current_pools = compare.NamedSet('name').index(props.get('agentPoolProfiles'))
        for pool in params['agent_pools'] or []:
            option = 'agent_pools[%s].orchestrator_version' % pool['name']
            version = pool.get('orchestrator_version')
            if version and control_plane and aks.version_cmp(version, control_plane) > 0:
                self.module.fail('%s: %s is above the control plane version %s; a pool cannot be newer than its '
                                 'cluster, state %s or lower' % (option, version, control_plane, control_plane))
            # the pool may move up to the control plane version this same update sets
            aks.check_pool_version(self.module, option, 'node pool %s' % pool['name'], version,
                                   current_pools.get(pool['name'].lower()), lambda: [control_plane])

    def write(self, body):
        body = compare.prune(body)
        pools = (body.get('properties') or {}).get('agentPoolProfiles')
        if pools:
            body['properties']['agentPoolProfiles'] = [aks.clean_pool(pool) for pool in pools]
        return super(ManagedCluster, self).write(body)


def _network(module, network):
    if not network:
        return
    ranges = {}
    for option in ('pod_cidr', 'service_cidr'):
        if network.get(option):
            try:
                ranges[option] = ipaddress.ip_network(network[option], strict=True)
            except ValueError as exc:
                module.fail('network.%s: %r is not a network range (%s); state e.g. 172.16.0.0/16' % (option, network[option], exc))
    if 'pod_cidr' in ranges and 'service_cidr' in ranges and ranges['pod_cidr'].overlaps(ranges['service_cidr']):
        module.fail('network.service_cidr: %s overlaps network.pod_cidr %s; state ranges that do not overlap'
                    % (ranges['service_cidr'], ranges['pod_cidr']))
    if network.get('dns_service_ip'):
        try:
            address = ipaddress.ip_address(network['dns_service_ip'])
        except ValueError:
            module.fail('network.dns_service_ip: %r is not an IP address; state one inside network.service_cidr'
                        % network['dns_service_ip'])
        service = ranges.get('service_cidr')
        if service is None:
            module.fail('network.dns_service_ip: needs network.service_cidr; state the service range too')
        if address not in service or address == service.network_address or address == service.network_address + 1:
            module.fail('network.dns_service_ip: %s must be inside network.service_cidr %s and not its first two '
                        'addresses; state e.g. %s' % (address, service, service.network_address + 10))
    if network.get('plugin_mode') == 'overlay' and network.get('plugin') not in (None, 'azure'):
        module.fail('network.plugin_mode: overlay works only with network.plugin azure; change one of them')
    if network.get('policy') == 'azure' and network.get('plugin') not in (None, 'azure'):
        module.fail('network.policy: the azure network policy needs network.plugin azure; use calico or plugin azure')
    if network.get('pod_cidr') and network.get('plugin') == 'azure' and network.get('plugin_mode') != 'overlay':
        module.fail('network.pod_cidr: classic Azure CNI gives pods subnet addresses; set network.plugin_mode overlay '
                    'or remove network.pod_cidr')


def _addons(module, addons):
    addons = addons or {}
    monitoring = addons.get('monitoring')
    if monitoring and monitoring['enabled'] and not monitoring.get('log_analytics_workspace_id'):
        module.fail('addons.monitoring.log_analytics_workspace_id: required when monitoring is enabled; '
                    'state the workspace resource id')
    gateway = addons.get('ingress_application_gateway')
    if gateway and gateway['enabled'] and not gateway.get('application_gateway_id'):
        module.fail('addons.ingress_application_gateway.application_gateway_id: required when the add-on is enabled; '
                    'state the Application Gateway resource id')
    secrets = addons.get('key_vault_secrets_provider')
    if secrets and not INTERVAL_PATTERN.match(secrets['rotation_poll_interval'] or ''):
        module.fail('addons.key_vault_secrets_provider.rotation_poll_interval: %r is not a duration; state e.g. 2m, '
                    '120s or 1h' % secrets['rotation_poll_interval'])


def validate(module):
    """Input errors that need no call to Azure."""
    params = module.params
    check_name(module, 'name', params['name'], 'aks_cluster', 'cluster name')
    check_name(module, 'dns_prefix', params['dns_prefix'], 'dns_prefix', 'DNS prefix')
    if params['kubernetes_version'] and not aks.VERSION_PATTERN.match(params['kubernetes_version']):
        module.fail('kubernetes_version: %r is not a Kubernetes version; state e.g. "1.33" or "1.33.2"'
                    % params['kubernetes_version'])
    check_tags(module, params['tags'])
    if params['workload_identity'] and params['oidc_issuer'] is not True:
        module.fail('workload_identity: needs the OIDC issuer; set oidc_issuer=true')
    for group in (params['aad'] or {}).get('admin_group_object_ids') or []:
        check_guid(module, 'aad.admin_group_object_ids', group)
    _network(module, params['network'])
    _addons(module, params['addons'])
    names = set()
    for pool in params['agent_pools'] or []:
        aks.validate_pool(module, pool, 'agent_pools[%s].' % pool['name'])
        if pool['name'].lower() in names:
            module.fail('agent_pools: the pool %s is stated twice; state each pool once' % pool['name'])
        names.add(pool['name'].lower())


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            **TAGS_ARGUMENT_SPEC,
            kubernetes_version=dict(type='str'),
            sku_tier=dict(type='str', choices=['Free', 'Standard', 'Premium']),
            dns_prefix=dict(type='str'),
            network=dict(type='dict', options=dict(
                plugin=dict(type='str', choices=['azure', 'kubenet', 'none']),
                plugin_mode=dict(type='str', choices=['overlay']),
                policy=dict(type='str', choices=['azure', 'calico', 'cilium', 'none']),
                pod_cidr=dict(type='str'),
                service_cidr=dict(type='str'),
                dns_service_ip=dict(type='str'),
            )),
            aad=dict(type='dict', options=dict(
                azure_rbac=dict(type='bool'),
                admin_group_object_ids=dict(type='list', elements='str'),
                tenant_id=dict(type='str'),
            )),
            disable_local_accounts=dict(type='bool'),
            private_cluster=dict(type='bool'),
            oidc_issuer=dict(type='bool'),
            workload_identity=dict(type='bool'),
            upgrade_channel=dict(type='str', choices=['none', 'patch', 'stable', 'rapid', 'node-image']),
            node_os_upgrade_channel=dict(type='str', choices=['None', 'Unmanaged', 'SecurityPatch', 'NodeImage']),
            addons=dict(type='dict', options=dict(
                monitoring=dict(type='dict', options=dict(
                    enabled=dict(type='bool', default=True),
                    log_analytics_workspace_id=dict(type='str'),
                    use_aad_auth=dict(type='bool', default=True),
                )),
                ingress_application_gateway=dict(type='dict', options=dict(
                    enabled=dict(type='bool', default=True),
                    application_gateway_id=dict(type='str'),
                )),
                key_vault_secrets_provider=dict(type='dict', no_log=False, options=dict(
                    enabled=dict(type='bool', default=True),
                    secret_rotation=dict(type='bool', default=True),
                    rotation_poll_interval=dict(type='str', default='2m'),
                )),
            )),
            agent_pools=dict(type='list', elements='dict',
                             options=dict(name=dict(type='str', required=True), **aks.pool_spec())),
            purge_labels=dict(type='bool', default=False),
            purge_taints=dict(type='bool', default=False),
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=3600,
    )
    validate(module)
    module.exit(**reconcile(module, ManagedCluster(module)))


if __name__ == '__main__':
    main()
