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
  - The cluster's identity is O(identity), compared like every other option. Without O(identity) a new cluster gets a
    system-assigned managed identity and an existing cluster keeps the identity it has (user-assigned, system-assigned
    or a service principal); moving a cluster to another identity happens only when O(identity) states it.
  - O(kubernetes_version) is checked against the versions AKS offers in the region before anything is written (on
    create, and whenever it differs from the cluster's); an upgrade must be one the cluster's upgrade profile lists,
    and a downgrade is refused. A cluster already on the stated version is not re-checked.
  - Node pools stated in O(agent_pools) are compared and merged by name; pools the cluster has and O(agent_pools)
    does not state are kept as they are. After creation, manage pools with M(phonebill.platform.aks_agent_pool).
  - Node pools of type C(VirtualMachines) keep their VM sizes and node counts in C(virtualMachinesProfile.scale),
    which this module does not manage. For such a pool, stating C(vm_size), C(count), C(enable_auto_scaling),
    C(min_count) or C(max_count) fails before any write; its labels, taints, surge and version are managed as usual.
  - Every input check is the one M(phonebill.platform.platform_preflight) makes on the inventory, so both refuse the
    same values with the same message.
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
  identity:
    description:
      - Identity of the cluster (its control plane). Not stated, a new cluster gets V(SystemAssigned) and an
        existing cluster keeps the identity it has; stated, it is compared and a different one is a stated change
        (AKS then moves the cluster to it).
      - V(None) states a cluster that uses a service principal (C(servicePrincipalProfile)); such a cluster is kept as
        it is. This module cannot create one, and AKS cannot move a managed-identity cluster back to one.
    type: dict
    suboptions:
      type:
        description: V(SystemAssigned), V(UserAssigned) or V(None) (a service principal). Compared without case.
        type: str
        required: true
        choices: [SystemAssigned, UserAssigned, None]
      user_assigned_identities:
        description:
          - With O(identity.type=UserAssigned), the resource id of the user-assigned identity (exactly one).
          - Compared as resource ids (case and a trailing slash do not matter).
        type: list
        elements: str
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
        description:
          - Cluster DNS service address, inside O(network.service_cidr). Not its network address, not its first
            address (C(.1), the C(kubernetes) service's) and not its broadcast address.
        type: str
      max_pods:
        description:
          - Maximum pods per node (10-250) of every pool in O(agent_pools) that does not state its own
            O(agent_pools[].max_pods). Cannot change on an existing pool.
          - It lets O(network) take the inventory's network mapping as it is.
        type: int
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
  prometheus_metrics:
    description:
      - The Azure Monitor managed Prometheus add-on (C(properties.azureMonitorProfile.metrics)), which scrapes the
        cluster and sends to the Azure Monitor workspace of the data collection rule associated with the cluster
        (M(phonebill.platform.data_collection_rule_association)).
      - Left out, the cluster's profile is left as it is; only the stated fields change.
    type: dict
    suboptions:
      enabled:
        description: Whether the add-on runs.
        type: bool
        default: true
      labels_allowlist:
        description:
          - Kubernetes label keys kube-state-metrics adds to its C(kube_<resource>_labels) series, as
            C(resource=[key,key]) entries separated by commas (V(pods=[app.kubernetes.io/name])); V('') clears the list.
        type: str
      annotations_allowlist:
        description: Kubernetes annotation keys kube-state-metrics exports, in the form of O(prometheus_metrics.labels_allowlist).
        type: str
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
            description: How often rotation polls, a Go duration as the driver takes it (V(2m), V(120s), V(1h30m)).
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
        description: Kubernetes version of the pool's nodes (at most the control plane's), over O(orchestrator_version).
        type: str
      vnet_subnet_id:
        description: Subnet of the nodes, over O(vnet_subnet_id). Cannot change after the pool is created.
        type: str
      max_pods:
        description: Maximum pods per node (10-250), over O(network.max_pods). Cannot change after the pool is created.
        type: int
      os_disk_size_gb:
        description: OS disk size. Cannot change after the pool is created.
        type: int
  vnet_subnet_id:
    description:
      - Subnet of the nodes of every pool in O(agent_pools) that does not state its own O(agent_pools[].vnet_subnet_id).
    type: str
  orchestrator_version:
    description:
      - Kubernetes version of the nodes of every pool in O(agent_pools) that does not state its own
        O(agent_pools[].orchestrator_version), V(1.33) or V(1.33.2); at most O(kubernetes_version).
    type: str
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
      max_pods: 30
    aad:
      azure_rbac: true
    identity:
      type: SystemAssigned
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
    vnet_subnet_id: "{{ subnet_id }}"
    orchestrator_version: "1.33"
    tags:
      service: phonebill
  register: cluster

- name: A cluster whose control plane runs as a user-assigned identity
  phonebill.platform.aks_cluster:
    name: aks-phonebill-dev
    resource_group: rg-phonebill-dev
    identity:
      type: UserAssigned
      user_assigned_identities:
        - /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-phonebill-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aks

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

from ansible_collections.phonebill.platform.plugins.module_utils import aks, compare, prometheus, waiter
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems, tag_problems

POOLS = 'properties.agentPoolProfiles'
POOL_ITEM = POOLS + '[]'
#: the add-on names this module states, as Azure spells them in its documentation
ADDONS = dict(monitoring='omsagent', ingress_application_gateway='ingressApplicationGateway',
              key_vault_secrets_provider='azureKeyvaultSecretsProvider')


def _text(flag):
    return None if flag is None else ('true' if flag else 'false')


def stated_pools(params):
    """agent_pools, each taking the cluster-wide subnet, max pods and version where it states none of its own."""
    if params['agent_pools'] is None:
        return None
    return aks.with_defaults(params['agent_pools'], vnet_subnet_id=params['vnet_subnet_id'],
                             max_pods=(params['network'] or {}).get('max_pods'),
                             orchestrator_version=params['orchestrator_version'])


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
    #: (standard, lts_only) versions offered in the region, read when the stated version must be offered
    offered = None
    #: the control plane's upgrade targets, read when the stated version is an upgrade
    upgrades = ()

    @property
    def rules(self):
        rules = {
            'identity.type': compare.IGNORE_CASE,
            'identity.userAssignedIdentities': compare.Set(compare.RESOURCE_ID),
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

    def running(self):
        """The cluster's operation and each pool's: a cluster write while a pool upgrades is refused by AKS."""
        found = super(ManagedCluster, self).running()
        for pool in ((self.current or {}).get('properties') or {}).get('agentPoolProfiles') or []:
            found += waiter.running('node pool %s of %s' % (pool.get('name'), self.label), pool)
        return found

    def version_move(self):
        """(running version, order) when the stated version changes the cluster's, else None."""
        return aks.version_move(self.params['kubernetes_version'], (self.current or {}).get('properties'),
                                'currentKubernetesVersion', 'kubernetesVersion')

    def lookup(self):
        """The offered versions (to create, or to move to) and the upgrade profile (to upgrade)."""
        stated, actual = self.params['kubernetes_version'], self.current
        if not stated:
            return
        if actual is None:
            if self.params['location']:
                self.offered = aks.offered_versions(self.module, self.params['location'])
            return
        move = self.version_move()
        if move is not None and move[1] >= 0:
            self.offered = aks.offered_versions(self.module, actual.get('location'))
        if move is not None and move[1] > 0:
            self.upgrades = aks.upgrade_targets(self.module.call(
                'read the upgrade profile of %s' % self.label, self.ops.get_upgrade_profile, *self.where),
                'properties', 'controlPlaneProfile')

    def problems(self):
        """What Azure would refuse given the cluster as it is: versions, OIDC, identity, system pool, pool types."""
        params, actual = self.params, self.current
        stated = params['kubernetes_version']
        found = self.identity_problems()
        props = (actual or {}).get('properties') or {}
        if actual is None and params['agent_pools']:
            found += aks.system_pool_problems('agent_pools', params['agent_pools'])
        if self.offered is not None:
            found += aks.offered_problems('kubernetes_version', stated, params['location'] if actual is None
                                          else actual.get('location'), self.offered)
        move = self.version_move()
        if move is not None:
            found += aks.upgrade_problems('kubernetes_version', self.label, stated, move[0], self.upgrades)
        if params['oidc_issuer'] is False and (props.get('oidcIssuerProfile') or {}).get('enabled'):
            found.append('oidc_issuer: %s has the OIDC issuer on and AKS cannot turn it off; state true' % self.label)
        control_plane = stated or props.get('kubernetesVersion')
        current_pools = compare.NamedSet('name').index(props.get('agentPoolProfiles'))
        for pool in stated_pools(params) or []:
            option = 'agent_pools[%s]' % pool['name']
            existing = current_pools.get(pool['name'].lower())
            found += aks.pool_type_problems(option, pool, existing)
            version = pool.get('orchestrator_version')
            if version and control_plane and aks.version_cmp(version, control_plane) > 0:
                found.append('%s.orchestrator_version: %s is above the control plane version %s; a pool cannot be newer '
                             'than its cluster, state %s or lower' % (option, version, control_plane, control_plane))
            else:
                # the pool may move up to the control plane version this same update sets
                found += aks.pool_version_problems(option + '.orchestrator_version', 'node pool %s' % pool['name'],
                                                   version, existing, [control_plane])
        return found

    def identity_problems(self):
        """A service principal cannot be set up here, and AKS cannot move a managed identity back to one."""
        identity = self.params['identity']
        if identity is None or identity['type'] != 'None':
            return []
        if self.current is None:
            return ['identity.type: None creates %s with a service principal, which this module does not set up; '
                    'state SystemAssigned or UserAssigned' % self.label]
        running = (self.current.get('identity') or {}).get('type') or 'None'
        if running.lower() != 'none':
            return ['identity.type: %s has a %s managed identity and AKS cannot move it back to a service principal; '
                    'state %s' % (self.label, running, running)]
        return []

    def desired_identity(self):
        """The stated identity; unstated, a new cluster gets a system-assigned one and an existing one is left alone."""
        identity = self.params['identity']
        if identity is None:
            return dict(type='SystemAssigned') if self.current is None else None
        if identity['type'] == 'None':
            return None  # a service principal cluster has no `identity`; nothing to state
        return dict(type=identity['type'], userAssignedIdentities=identity['user_assigned_identities'])

    def desired(self):
        params = self.params
        network = params['network'] or {}
        aad = params['aad']
        props = (self.current or {}).get('properties') or {}
        current_pools = compare.NamedSet('name').index(props.get('agentPoolProfiles'))
        pools = None
        if params['agent_pools'] is not None:
            pools = [dict(name=pool['name'], **aks.pool_properties(pool, current_pools.get(pool['name'].lower())))
                     for pool in stated_pools(params)]
        return dict(
            location=params['location'],
            tags=params['tags'],
            identity=self.desired_identity(),
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
                azureMonitorProfile=self.monitor_profile(),
            ),
        )

    def monitor_profile(self):
        """The managed Prometheus add-on as stated; allow lists only while it runs (Azure ignores them otherwise)."""
        metrics = self.params['prometheus_metrics']
        if metrics is None:
            return None
        state = dict(metricLabelsAllowlist=metrics['labels_allowlist'],
                     metricAnnotationsAllowList=metrics['annotations_allowlist'])
        return dict(metrics=dict(enabled=metrics['enabled'], kubeStateMetrics=state if metrics['enabled'] else None))

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

    def write(self, body):
        """The body as Azure takes it: user-assigned identities as a map of ids, pools without read-only fields."""
        body = compare.prune(body)
        identities = (body.get('identity') or {}).get('userAssignedIdentities')
        if isinstance(identities, list):
            body['identity']['userAssignedIdentities'] = dict((identity_id, {}) for identity_id in identities)
        pools = (body.get('properties') or {}).get('agentPoolProfiles')
        if pools:
            body['properties']['agentPoolProfiles'] = [aks.clean_pool(pool) for pool in pools]
        return super(ManagedCluster, self).write(body)


def addon_problems(addons):
    addons = addons or {}
    found = []
    monitoring = addons.get('monitoring')
    if monitoring and monitoring['enabled'] and not monitoring.get('log_analytics_workspace_id'):
        found.append('addons.monitoring.log_analytics_workspace_id: required when monitoring is enabled; '
                     'state the workspace resource id')
    gateway = addons.get('ingress_application_gateway')
    if gateway and gateway['enabled'] and not gateway.get('application_gateway_id'):
        found.append('addons.ingress_application_gateway.application_gateway_id: required when the add-on is enabled; '
                     'state the Application Gateway resource id')
    secrets = addons.get('key_vault_secrets_provider')
    if secrets:
        found += aks.rotation_interval_problems('addons.key_vault_secrets_provider.rotation_poll_interval',
                                                secrets['rotation_poll_interval'])
    return found


def validate(params):
    """Input errors that need no call to Azure (the same checks preflight makes on the inventory)."""
    found = (name_problems('name', params['name'], 'aks_cluster', 'cluster name')
             + name_problems('dns_prefix', params['dns_prefix'], 'dns_prefix', 'DNS prefix')
             + aks.version_problems('kubernetes_version', params['kubernetes_version'])
             + aks.version_problems('orchestrator_version', params['orchestrator_version'])
             + tag_problems('tags', params['tags']))
    if params['workload_identity'] and params['oidc_issuer'] is not True:
        found.append('workload_identity: needs the OIDC issuer; set oidc_issuer=true')
    return (found + aks.identity_problems('identity', params['identity']) + aks.aad_problems('aad', params['aad'])
            + aks.network_problems('network', params['network']) + addon_problems(params['addons'])
            + aks.pools_problems('agent_pools', params['agent_pools'])
            + prometheus.metrics_problems('prometheus_metrics', params['prometheus_metrics']))


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
            identity=dict(type='dict', options=dict(
                type=dict(type='str', required=True, choices=list(aks.IDENTITY_TYPES)),
                user_assigned_identities=dict(type='list', elements='str'),
            )),
            network=dict(type='dict', options=dict(
                plugin=dict(type='str', choices=list(aks.NETWORK_PLUGINS)),
                plugin_mode=dict(type='str', choices=list(aks.NETWORK_PLUGIN_MODES)),
                policy=dict(type='str', choices=list(aks.NETWORK_POLICIES)),
                pod_cidr=dict(type='str'),
                service_cidr=dict(type='str'),
                dns_service_ip=dict(type='str'),
                max_pods=dict(type='int'),
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
            prometheus_metrics=dict(type='dict', options=dict(
                enabled=dict(type='bool', default=True),
                labels_allowlist=dict(type='str'),
                annotations_allowlist=dict(type='str'),
            )),
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
            vnet_subnet_id=dict(type='str'),
            orchestrator_version=dict(type='str'),
            purge_labels=dict(type='bool', default=False),
            purge_taints=dict(type='bool', default=False),
            **STATE_ARGUMENT_SPEC,
        ),
        long_running=True,
        default_timeout=3600,
    )
    module.fail_on(validate(module.params))
    module.exit(**reconcile(module, ManagedCluster(module)))


if __name__ == '__main__':
    main()
