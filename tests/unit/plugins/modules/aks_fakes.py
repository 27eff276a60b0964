# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake ContainerServiceClient holding REST-form AKS resources, as Azure returns them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from unittest import mock

from azure.core.exceptions import ResourceNotFoundError

from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

SUB = '00000000-0000-0000-0000-000000000001'
AUTH = dict(subscription_id=SUB, client_id='app', secret='very-secret-value', tenant='tenant')
RG = 'rg-phonebill-prod'
CLUSTER = 'aks-phonebill-prod'
CLUSTER_ID = '/subscriptions/%s/resourcegroups/%s/providers/Microsoft.ContainerService/managedClusters/%s' % (SUB, RG, CLUSTER)
SUBNET = ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-prod'
          '/subnets/snet-application' % (SUB, RG))
WORKSPACE = ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.OperationalInsights/workspaces/law-phonebill-prod'
             % (SUB, RG))
OFFERED = {'values': [
    {'version': '1.29', 'capabilities': {'supportPlan': ['AKSLongTermSupport']}, 'patchVersions': {'1.29.15': {'upgrades': []}}},
    {'version': '1.32', 'capabilities': {'supportPlan': ['KubernetesOfficial', 'AKSLongTermSupport']},
     'patchVersions': {'1.32.6': {'upgrades': ['1.33.2']}}},
    {'version': '1.33', 'isDefault': True, 'capabilities': {'supportPlan': ['KubernetesOfficial']},
     'patchVersions': {'1.33.2': {'upgrades': []}}},
]}


def pool_profile(name='system', **extra):
    """A pool as Azure shows it inside the cluster: server defaults and an autoscaled count."""
    pool = {
        'name': name, 'count': 4, 'vmSize': 'Standard_D2s_v3', 'osDiskSizeGB': 128, 'osDiskType': 'Managed',
        'kubeletDiskType': 'OS', 'vnetSubnetID': SUBNET.lower(), 'maxPods': 30, 'type': 'VirtualMachineScaleSets',
        'availabilityZones': ['3', '1', '2'], 'maxCount': 5, 'minCount': 3, 'enableAutoScaling': True,
        'scaleDownMode': 'Delete', 'provisioningState': 'Succeeded', 'powerState': {'code': 'Running'},
        'orchestratorVersion': '1.33', 'currentOrchestratorVersion': '1.33.2', 'enableNodePublicIP': False,
        'mode': 'System', 'osType': 'Linux', 'osSKU': 'Ubuntu', 'nodeImageVersion': 'AKSUbuntu-2204gen2containerd-202507.21.0',
        'upgradeSettings': {'maxSurge': '33%'}, 'enableFIPS': False, 'eTag': 'abc',
    }
    pool.update(extra)
    return pool


def existing_cluster():
    return {
        'id': CLUSTER_ID, 'name': CLUSTER, 'type': 'Microsoft.ContainerService/ManagedClusters',
        'location': 'koreacentral', 'tags': {'service': 'phonebill', 'added-by': 'policy'},
        'sku': {'name': 'Base', 'tier': 'Standard'},
        'identity': {'type': 'SystemAssigned', 'principalId': 'f0000000-0000-0000-0000-000000000001',
                     'tenantId': '70000000-0000-0000-0000-000000000001'},
        'properties': {
            'provisioningState': 'Succeeded', 'powerState': {'code': 'Running'},
            'kubernetesVersion': '1.33', 'currentKubernetesVersion': '1.33.2', 'dnsPrefix': 'phonebill-prod',
            'privateFQDN': 'phonebill-prod-abc.privatelink.koreacentral.azmk8s.io', 'azurePortalFQDN': 'x',
            'agentPoolProfiles': [pool_profile()],
            'addonProfiles': {
                'omsAgent': {'enabled': True,
                             'config': {'logAnalyticsWorkspaceResourceID': WORKSPACE.lower(), 'useAADAuth': 'true'},
                             'identity': {'resourceId': '/x', 'clientId': 'c', 'objectId': 'o'}},
                'azureKeyvaultSecretsProvider': {'enabled': True, 'config': {'enableSecretRotation': 'true',
                                                                             'rotationPollInterval': '2m'}},
            },
            'nodeResourceGroup': 'MC_rg-phonebill-prod_aks-phonebill-prod_koreacentral', 'enableRBAC': True,
            'supportPlan': 'KubernetesOfficial',
            'networkProfile': {'networkPlugin': 'azure', 'networkPluginMode': 'overlay', 'networkPolicy': 'azure',
                               'networkDataplane': 'azure', 'loadBalancerSku': 'standard', 'podCidr': '192.168.0.0/16',
                               'serviceCidr': '172.16.0.0/16', 'dnsServiceIP': '172.16.0.10', 'outboundType': 'loadBalancer',
                               'podCidrs': ['192.168.0.0/16'], 'serviceCidrs': ['172.16.0.0/16'], 'ipFamilies': ['IPv4']},
            'aadProfile': {'managed': True, 'enableAzureRBAC': True, 'tenantID': '70000000-0000-0000-0000-000000000001'},
            'maxAgentPools': 100,
            'apiServerAccessProfile': {'enablePrivateCluster': True, 'privateDNSZone': 'system',
                                       'enablePrivateClusterPublicFQDN': True},
            'autoUpgradeProfile': {'upgradeChannel': 'patch', 'nodeOSUpgradeChannel': 'NodeImage'},
            'oidcIssuerProfile': {'enabled': True, 'issuerURL': 'https://koreacentral.oic.prod-aks.azure.com/t/g/'},
            'securityProfile': {'workloadIdentity': {'enabled': True}},
            'identityProfile': {'kubeletidentity': {'resourceId': '/k', 'clientId': 'kc', 'objectId': 'ko'}},
            'disableLocalAccounts': False,
        },
    }


IDENTITY_ID = ('/subscriptions/%s/resourcegroups/%s/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aks-control'
               % (SUB, RG))


def user_assigned_cluster():
    """A cluster created with a user-assigned identity, as GET returns it (ManagedClustersCreate_Update example)."""
    cluster = existing_cluster()
    cluster['identity'] = {'type': 'UserAssigned', 'userAssignedIdentities': {
        IDENTITY_ID: {'principalId': 'f0000000-0000-0000-0000-000000000002', 'clientId': 'c0000000-0000-0000-0000-000000000002'}}}
    cluster['properties']['servicePrincipalProfile'] = {'clientId': 'msi'}
    return cluster


def service_principal_cluster():
    """A cluster created with a service principal: no `identity`, the principal's client id (ManagedClustersGet example)."""
    cluster = existing_cluster()
    del cluster['identity']
    cluster['properties']['servicePrincipalProfile'] = {'clientId': 'a0000000-0000-0000-0000-000000000003'}
    return cluster


def virtual_machines_pool(name='vmpool', **extra):
    """A pool of type VirtualMachines: sizes and counts under virtualMachinesProfile.scale (AgentPoolsCreate_TypeVirtualMachines)."""
    pool = {
        'name': name, 'type': 'VirtualMachines', 'mode': 'User', 'provisioningState': 'Succeeded', 'maxPods': 30,
        'osType': 'Linux', 'orchestratorVersion': '1.33', 'currentOrchestratorVersion': '1.33.2',
        'nodeLabels': {'workload': 'batch'}, 'nodeTaints': ['batch=true:NoSchedule'], 'vnetSubnetID': SUBNET.lower(),
        'virtualMachinesProfile': {'scale': {'manual': [{'size': 'Standard_D2_v2', 'count': 3},
                                                        {'size': 'Standard_D2_v3', 'count': 2}]}},
        'virtualMachineNodesStatus': [{'size': 'Standard_D2_v2', 'count': 3}, {'size': 'Standard_D2_v3', 'count': 2}],
        'nodeImageVersion': 'AKSUbuntu-2204gen2containerd-202507.21.0',
    }
    pool.update(extra)
    return pool


def not_found(what):
    raise ResourceNotFoundError('%s was not found.' % what)


class FakeClusters:
    def __init__(self, store, upgrades=()):
        self.store = store
        self.upgrades = list(upgrades)

    def get(self, group, name):
        return copy.deepcopy(self.store.clusters.get(name) or not_found(name))

    def begin_create_or_update(self, group, name, body):
        self.store.writes.append(('put', name, copy.deepcopy(body)))
        stored = copy.deepcopy(body)
        stored.update(id=CLUSTER_ID, name=name)
        stored['properties'].setdefault('currentKubernetesVersion', stored['properties'].get('kubernetesVersion'))
        issuer = dict(stored['properties'].get('oidcIssuerProfile') or {}, issuerURL='https://issuer/')
        stored['properties']['oidcIssuerProfile'] = issuer
        self.store.clusters[name] = stored
        return copy.deepcopy(stored)

    def begin_delete(self, group, name):
        self.store.writes.append(('delete', name))
        self.store.clusters.pop(name)

    def list_kubernetes_versions(self, location):
        self.store.reads.append(('versions', location))
        return copy.deepcopy(OFFERED)

    def get_upgrade_profile(self, group, name):
        self.store.reads.append(('upgrade_profile', name))
        return {'properties': {'controlPlaneProfile': {'kubernetesVersion': '1.32.6', 'upgrades': [
            {'kubernetesVersion': v} for v in self.upgrades]}}}

    def list_cluster_user_credentials(self, group, name, **kwargs):
        self.store.reads.append(('credentials', name, kwargs))
        return {'kubeconfigs': [{'name': 'clusterUser', 'value': 'YXBpVmVyc2lvbjogdjEKdG9rZW46IHNlY3JldC10b2tlbgo='}]}

    def list(self):
        return [copy.deepcopy(c) for c in self.store.clusters.values()]

    def list_by_resource_group(self, group):
        return self.list()


class FakeClusterChildren:
    """Children of the cluster kept in one dict of the store (pools, maintenance configurations)."""

    collection = None   # attribute of the store holding them by name
    segment = None      # their id segment under the cluster

    def __init__(self, store):
        self.store = store
        self.items = getattr(store, self.collection)

    def get(self, group, cluster, name):
        return copy.deepcopy(self.items.get(name) or not_found(name))

    def put(self, group, cluster, name, body):
        self.store.writes.append(('put', name, copy.deepcopy(body)))
        stored = copy.deepcopy(body)
        stored.update(id='%s/%s/%s' % (CLUSTER_ID, self.segment, name), name=name)
        self.items[name] = stored
        return copy.deepcopy(stored)

    def remove(self, group, cluster, name):
        self.store.writes.append(('delete', name))
        self.items.pop(name)


class FakePools(FakeClusterChildren):
    collection, segment = 'pools', 'agentPools'
    begin_create_or_update = FakeClusterChildren.put
    begin_delete = FakeClusterChildren.remove

    def list(self, group, cluster):
        return [copy.deepcopy(p) for p in self.items.values()]

    def get_upgrade_profile(self, group, cluster, name):
        self.store.reads.append(('pool_upgrade_profile', name))
        return {'properties': {'kubernetesVersion': '1.32.6', 'upgrades': [{'kubernetesVersion': '1.33.2'}]}}


class FakeConfigurations(FakeClusterChildren):
    collection, segment = 'configurations', 'maintenanceConfigurations'
    create_or_update = FakeClusterChildren.put
    delete = FakeClusterChildren.remove


class FakeAks:
    """One subscription's AKS resources, and every write and notable read made."""

    def __init__(self, clusters=None, pools=None, configurations=None, upgrades=()):
        self.clusters = dict(clusters or {})
        self.pools = dict(pools or {})
        self.configurations = dict(configurations or {})
        self.writes = []
        self.reads = []
        self.managed_clusters = FakeClusters(self, upgrades)
        self.agent_pools = FakePools(self)
        self.maintenance_configurations = FakeConfigurations(self)


def run(fake, main, args, **kwargs):
    def client(self, name):
        assert name == 'containerservice'
        return fake
    with mock.patch.object(AzureModule, 'client', client):
        return run_module(main, dict(AUTH, **args), **kwargs)


def run_without_client(main, args, **kwargs):
    """Run expecting a failure before any client is built."""
    with mock.patch.object(AzureModule, 'client', side_effect=AssertionError('no call expected')):
        return run_module(main, dict(AUTH, **args), **kwargs)
