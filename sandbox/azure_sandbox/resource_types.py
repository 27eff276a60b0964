"""The one table of resource types the sandbox knows.

Each entry says which SDK model describes the type (for read-only and
write-only fields, see readonly.py), how its SDK operations expect the
create/update/delete responses (synchronous, 200/201 + Azure-AsyncOperation,
or 202 with no body), how long the real operation roughly takes, and, for
child types that ARM also shows inside their parent, where.

Types not listed are still served, synchronously and without model-derived
field handling, so that an unforeseen resource does not break a playbook.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceType:
    type: str
    model: str | None = None
    put: str = "sync"  # sync | async (200/201 + Azure-AsyncOperation) | accepted (202, no body)
    patch: str = "sync"  # sync | accepted
    delete: str = "async"  # sync (200/204) | async (202 + Location + Azure-AsyncOperation)
    duration: float = 10.0  # seconds a real create/update takes, before --lro-scale
    embed: str | None = None  # parent property listing this child, e.g. properties.subnets
    embed_flat: bool = False  # child shown as {name, **properties} (AKS agentPoolProfiles)
    prune_children: bool = False  # a parent PUT without a listed child deletes it
    global_name: bool = False  # name is a DNS label unique across Azure
    created_status: int = 201  # a few RPs answer a synchronous create with 200 only

    @property
    def lro(self) -> bool:
        return self.put != "sync"


def _m(package: str, cls: str) -> str:
    return f"azure.mgmt.{package}.models:{cls}"


_TYPES = [
    ResourceType("Microsoft.Resources/resourceGroups", _m("resource.resources", "ResourceGroup"), duration=20),
    # networking
    ResourceType("Microsoft.Network/virtualNetworks", _m("network", "VirtualNetwork"), "async", duration=5, prune_children=True),
    ResourceType("Microsoft.Network/virtualNetworks/subnets", _m("network", "Subnet"), "async", duration=3, embed="properties.subnets"),
    ResourceType("Microsoft.Network/networkSecurityGroups", _m("network", "NetworkSecurityGroup"), "async", duration=3, prune_children=True),
    ResourceType("Microsoft.Network/networkSecurityGroups/securityRules", _m("network", "SecurityRule"), "async", duration=3, embed="properties.securityRules"),
    ResourceType("Microsoft.Network/publicIPAddresses", _m("network", "PublicIPAddress"), "async", duration=4),
    ResourceType("Microsoft.Network/applicationGateways", _m("network", "ApplicationGateway"), "async", duration=390),
    ResourceType("Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", _m("network", "WebApplicationFirewallPolicy"), duration=5),
    ResourceType("Microsoft.Network/privateEndpoints", _m("network", "PrivateEndpoint"), "async", duration=60),
    ResourceType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", _m("network", "PrivateDnsZoneGroup"), "async", duration=20),
    ResourceType("Microsoft.Network/privateDnsZones", _m("privatedns", "PrivateZone"), "async", duration=30),
    ResourceType("Microsoft.Network/privateDnsZones/virtualNetworkLinks", _m("privatedns", "VirtualNetworkLink"), "async", duration=30),
    ResourceType("Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", _m("frontdoor", "WebApplicationFirewallPolicy"), "async", duration=30),
    # AKS
    ResourceType("Microsoft.ContainerService/managedClusters", _m("containerservice", "ManagedCluster"), "async", duration=360),
    ResourceType("Microsoft.ContainerService/managedClusters/agentPools", _m("containerservice", "AgentPool"), "async", duration=180, embed="properties.agentPoolProfiles", embed_flat=True),
    ResourceType("Microsoft.ContainerService/managedClusters/maintenanceConfigurations", _m("containerservice", "MaintenanceConfiguration"), delete="sync"),
    # PostgreSQL flexible server: every write is 202 with no body
    ResourceType("Microsoft.DBforPostgreSQL/flexibleServers", _m("postgresqlflexibleservers", "Server"), "accepted", "accepted", duration=600, global_name=True),
    ResourceType("Microsoft.DBforPostgreSQL/flexibleServers/firewallRules", _m("postgresqlflexibleservers", "FirewallRule"), "accepted", "accepted", duration=30),
    ResourceType("Microsoft.DBforPostgreSQL/flexibleServers/configurations", _m("postgresqlflexibleservers", "Configuration"), "accepted", "accepted", duration=20),
    ResourceType("Microsoft.DBforPostgreSQL/flexibleServers/backups", _m("postgresqlflexibleservers", "BackupAutomaticAndOnDemand"), "accepted", "accepted", duration=60),
    # Redis
    ResourceType("Microsoft.Cache/redis", _m("redis", "RedisResource"), "async", duration=1500, global_name=True),
    ResourceType("Microsoft.Cache/redis/patchSchedules", _m("redis", "RedisPatchSchedule"), delete="sync"),
    ResourceType("Microsoft.Cache/redis/firewallRules", _m("redis", "RedisFirewallRule"), delete="sync"),
    ResourceType("Microsoft.Cache/redis/linkedServers", _m("redis", "RedisLinkedServerWithProperties"), "async", duration=300),
    # Key Vault (management plane; the data plane is keyvault.py)
    ResourceType("Microsoft.KeyVault/vaults", _m("keyvault", "Vault"), "async", delete="sync", duration=10, global_name=True),
    # identity and access
    ResourceType("Microsoft.ManagedIdentity/userAssignedIdentities", _m("msi", "Identity"), delete="sync"),
    ResourceType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", _m("msi", "FederatedIdentityCredential"), delete="sync"),
    ResourceType("Microsoft.Authorization/roleAssignments", _m("authorization", "RoleAssignment"), delete="sync"),
    ResourceType("Microsoft.Authorization/roleDefinitions", _m("authorization", "RoleDefinition"), delete="sync"),
    # observability
    ResourceType("Microsoft.OperationalInsights/workspaces", _m("loganalytics", "Workspace"), "async", duration=10),
    ResourceType("Microsoft.Insights/components", _m("applicationinsights", "ApplicationInsightsComponent"), delete="sync", created_status=200),
    ResourceType("Microsoft.Insights/actionGroups", _m("monitor", "ActionGroupResource"), delete="sync"),
    # MetricAlerts_CreateOrUpdate answers 200 only, for a new rule too
    ResourceType("Microsoft.Insights/metricAlerts", _m("monitor", "MetricAlertResource"), delete="sync", created_status=200),
    ResourceType("Microsoft.Insights/scheduledQueryRules", _m("monitor", "ScheduledQueryRuleResource"), delete="sync"),
    # an extension resource under any resource id; azure-mgmt-monitor 7 has no model for it
    ResourceType("Microsoft.Insights/diagnosticSettings", None, delete="sync", created_status=200),
    ResourceType("Microsoft.OperationalInsights/workspaces/savedSearches", _m("loganalytics", "SavedSearch"), delete="sync",
                 created_status=200),
    # registry, edge, storage
    ResourceType("Microsoft.ContainerRegistry/registries", _m("containerregistry", "Registry"), "async", duration=15, global_name=True),
    ResourceType("Microsoft.ContainerRegistry/registries/replications", _m("containerregistry", "Replication"), "async", duration=60),
    ResourceType("Microsoft.Cdn/profiles", _m("cdn", "Profile"), "async", duration=60),
    ResourceType("Microsoft.Cdn/profiles/afdEndpoints", _m("cdn", "AFDEndpoint"), "async", duration=30),
    ResourceType("Microsoft.Cdn/profiles/originGroups", _m("cdn", "AFDOriginGroup"), "async", duration=20),
    ResourceType("Microsoft.Cdn/profiles/originGroups/origins", _m("cdn", "AFDOrigin"), "async", duration=20),
    ResourceType("Microsoft.Cdn/profiles/afdEndpoints/routes", _m("cdn", "Route"), "async", duration=30),
    ResourceType("Microsoft.Cdn/profiles/securityPolicies", _m("cdn", "SecurityPolicy"), "async", duration=20),
    ResourceType("Microsoft.Storage/storageAccounts", _m("storage", "StorageAccount"), "accepted", delete="sync", duration=20, global_name=True),
    # managed Prometheus: workspace (create 200/201, delete 202 + Location), data collection endpoint, rule and
    # association (every write synchronous); the association is an extension resource of the AKS cluster
    ResourceType("Microsoft.Monitor/accounts", _m("monitor", "AzureMonitorWorkspaceResource"), duration=30),
    ResourceType("Microsoft.Insights/dataCollectionEndpoints", _m("monitor", "DataCollectionEndpointResource"), delete="sync"),
    ResourceType("Microsoft.Insights/dataCollectionRules", _m("monitor", "DataCollectionRuleResource"), delete="sync"),
    ResourceType("Microsoft.Insights/dataCollectionRuleAssociations",
                 _m("monitor", "DataCollectionRuleAssociationProxyOnlyResource"), delete="sync"),
    # Azure Monitor workbooks (workbooks.py); Workbooks_CreateOrUpdate answers 201 for a new one, 200 after
    ResourceType("Microsoft.Insights/workbooks", _m("applicationinsights", "Workbook"), delete="sync"),
]

TYPES = {t.type.lower(): t for t in _TYPES}

# Redis create time depends on the SKU: Premium clusters take far longer.
SKU_DURATIONS = {("microsoft.cache/redis", "basic"): 900, ("microsoft.cache/redis", "standard"): 900}


def lookup(type_name: str) -> ResourceType:
    """Known entry, or a synchronous generic one that keeps the given casing."""
    return TYPES.get(type_name.lower()) or ResourceType(type_name, None, "sync", delete="sync")


def children_of(type_name: str) -> list:
    """Types embedded in ``type_name``'s body (subnets in a VNet, ...)."""
    prefix = type_name.lower() + "/"
    return [t for k, t in TYPES.items() if k.startswith(prefix) and t.embed and "/" not in k[len(prefix):]]
