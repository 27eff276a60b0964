"""Server-populated fields, per resource type, filled the way Azure does.

``fill(ctx)`` runs after every create/update (body already merged and
stripped of read-only input); ``complete(ctx)`` runs when the type's
long-running operation finishes (e.g. an AKS upgrade only changes
``currentKubernetesVersion`` at the end).  Values are deterministic where
Azure's are (host names) and random where Azure's are (GUIDs, keys).
"""

import base64
import copy
import hashlib
import ipaddress
import os
from dataclasses import dataclass

from . import backing, pg_backups, workbooks
from .util import get_path, new_guid, now_iso, set_path

FILLERS = {}
COMPLETERS = {}


@dataclass
class Ctx:
    engine: object
    rid: str
    type: str  # lower-cased resource type
    name: str
    subscription: str
    resource_group: str | None
    body: dict
    prev: dict | None
    incoming: dict
    location: str | None

    @property
    def config(self) -> dict:
        return self.engine.store.config

    @property
    def props(self) -> dict:
        return self.body.setdefault("properties", {})

    def short_hash(self, n: int = 8) -> str:
        return hashlib.sha256(self.rid.lower().encode()).hexdigest()[:n]


def filler(*types):
    def register(fn):
        for t in types:
            FILLERS[t.lower()] = fn
        return fn
    return register


def completer(*types):
    def register(fn):
        for t in types:
            COMPLETERS[t.lower()] = fn
        return fn
    return register


def fill(ctx: Ctx) -> None:
    fn = FILLERS.get(ctx.type)
    if fn:
        fn(ctx)


def complete(ctx: Ctx) -> None:
    fn = COMPLETERS.get(ctx.type)
    if fn:
        fn(ctx)


def _keep(ctx: Ctx, dotted: str, factory):
    """Keep a server-generated value across updates, generate it once."""
    value = get_path(ctx.prev or {}, dotted)
    if value is None:
        value = factory()
    set_path(ctx.body, dotted, value)
    return value


def _system_identity(ctx: Ctx) -> None:
    identity = ctx.body.get("identity")
    if not isinstance(identity, dict):
        return
    kind = str(identity.get("type", "")).lower()
    if "systemassigned" in kind:
        _keep(ctx, "identity.principalId", new_guid)
        identity["tenantId"] = ctx.engine.identity["tenant_id"]
    for uai_id, value in (identity.get("userAssignedIdentities") or {}).items():
        rec = ctx.engine.store.get(uai_id)
        props = (rec or {}).get("body", {}).get("properties", {})
        identity["userAssignedIdentities"][uai_id] = {
            "principalId": props.get("principalId") or new_guid(),
            "clientId": props.get("clientId") or new_guid(),
        }


# -- network --------------------------------------------------------------
DEFAULT_NSG_RULES = [
    ("AllowVnetInBound", "Inbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork", "Allow inbound traffic from all VMs in VNET"),
    ("AllowAzureLoadBalancerInBound", "Inbound", "Allow", 65001, "AzureLoadBalancer", "*", "Allow inbound traffic from azure load balancer"),
    ("DenyAllInBound", "Inbound", "Deny", 65500, "*", "*", "Deny all inbound traffic"),
    ("AllowVnetOutBound", "Outbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork", "Allow outbound traffic from all VMs to all VMs in VNET"),
    ("AllowInternetOutBound", "Outbound", "Allow", 65001, "*", "Internet", "Allow outbound traffic from all VMs to Internet"),
    ("DenyAllOutBound", "Outbound", "Deny", 65500, "*", "*", "Deny all outbound traffic"),
]


@filler("Microsoft.Network/networkSecurityGroups")
def _nsg(ctx: Ctx) -> None:
    ctx.props["defaultSecurityRules"] = [
        {
            "name": name,
            "id": f"{ctx.rid}/defaultSecurityRules/{name}",
            "type": "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
            "etag": ctx.body.get("etag"),
            "properties": {
                "provisioningState": "Succeeded",
                "description": desc,
                "protocol": "*",
                "sourcePortRange": "*",
                "destinationPortRange": "*",
                "sourceAddressPrefix": src,
                "destinationAddressPrefix": dst,
                "access": access,
                "priority": prio,
                "direction": direction,
                "sourcePortRanges": [],
                "destinationPortRanges": [],
                "sourceAddressPrefixes": [],
                "destinationAddressPrefixes": [],
            },
        }
        for name, direction, access, prio, src, dst, desc in DEFAULT_NSG_RULES
    ]
    _keep(ctx, "properties.resourceGuid", new_guid)


@filler("Microsoft.Network/virtualNetworks", "Microsoft.Network/privateEndpoints")
def _resource_guid(ctx: Ctx) -> None:
    _keep(ctx, "properties.resourceGuid", new_guid)


@filler("Microsoft.Network/publicIPAddresses")
def _pip(ctx: Ctx) -> None:
    h = int(ctx.short_hash(6), 16)
    _keep(ctx, "properties.ipAddress", lambda: f"20.{(h >> 16) % 256}.{(h >> 8) % 256}.{h % 254 + 1}")
    ctx.props.setdefault("publicIPAllocationMethod", "Static" if str(get_path(ctx.body, "sku.name", "")).lower() == "standard" else "Dynamic")
    ctx.props.setdefault("publicIPAddressVersion", "IPv4")
    ctx.props.setdefault("idleTimeoutInMinutes", 4)
    _keep(ctx, "properties.resourceGuid", new_guid)
    if isinstance(ctx.body.get("sku"), dict):
        ctx.body["sku"].setdefault("tier", "Regional")
    dns = ctx.props.get("dnsSettings")
    if isinstance(dns, dict) and dns.get("domainNameLabel"):
        dns["fqdn"] = f"{dns['domainNameLabel']}.{ctx.location}.cloudapp.azure.com"
    elif isinstance(dns, dict):
        dns.pop("fqdn", None)


# Actions each delegation grants (GET .../availableDelegations); other services get join/action.
DELEGATION_ACTIONS = {
    "microsoft.web/serverfarms": ["Microsoft.Network/virtualNetworks/subnets/action"],
    "microsoft.containerinstance/containergroups": ["Microsoft.Network/virtualNetworks/subnets/action"],
    "microsoft.sql/managedinstances": ["Microsoft.Network/virtualNetworks/subnets/join/action",
                                       "Microsoft.Network/virtualNetworks/subnets/prepareNetworkPolicies/action",
                                       "Microsoft.Network/virtualNetworks/subnets/unprepareNetworkPolicies/action"],
}
# Service endpoints Azure reports for every region ("*"); Storage adds the paired region, others only the VNet's.
GLOBAL_ENDPOINTS = {"microsoft.containerregistry", "microsoft.keyvault", "microsoft.azurecosmosdb", "microsoft.eventhub",
                    "microsoft.servicebus", "microsoft.web", "microsoft.cognitiveservices", "microsoft.storage.global",
                    "microsoft.azureactivedirectory"}
PAIRED_REGIONS = {"koreacentral": "koreasouth", "koreasouth": "koreacentral"}


def _endpoint_locations(service: str, location: str) -> list:
    service = service.lower()
    if service in GLOBAL_ENDPOINTS:
        return ["*"]
    if service == "microsoft.storage" and location in PAIRED_REGIONS:
        return [location, PAIRED_REGIONS[location]]
    return [location]


@filler("Microsoft.Network/virtualNetworks/subnets")
def _subnet(ctx: Ctx) -> None:
    p = ctx.props
    p.setdefault("privateEndpointNetworkPolicies", "Disabled")
    p.setdefault("privateLinkServiceNetworkPolicies", "Enabled")
    for d in p.setdefault("delegations", []):
        d["id"] = f"{ctx.rid}/delegations/{d.get('name')}"
        d["type"] = "Microsoft.Network/virtualNetworks/subnets/delegations"
        dp = d.setdefault("properties", {})
        dp["actions"] = DELEGATION_ACTIONS.get(str(dp.get("serviceName", "")).lower(),
                                               ["Microsoft.Network/virtualNetworks/subnets/join/action"])
        dp["provisioningState"] = "Succeeded"
    for ep in p.get("serviceEndpoints") or []:
        ep.setdefault("locations", _endpoint_locations(str(ep.get("service", "")), ctx.location))
        ep["provisioningState"] = "Succeeded"


@filler("Microsoft.Network/networkSecurityGroups/securityRules")
def _security_rule(ctx: Ctx) -> None:
    """Azure returns the list member of each pair as [] when the single member is used."""
    for single, plural in (("sourceAddressPrefix", "sourceAddressPrefixes"), ("destinationAddressPrefix", "destinationAddressPrefixes"),
                           ("sourcePortRange", "sourcePortRanges"), ("destinationPortRange", "destinationPortRanges")):
        if not ctx.props.get(single):
            ctx.props.pop(single, None)
        ctx.props.setdefault(plural, [])


# Private endpoint group id -> host names of the target (name, location) that the endpoint answers for.
GROUP_HOSTS = {
    "vault": ["{n}.vault.azure.net"],
    "rediscache": ["{n}.redis.cache.windows.net"],
    "postgresqlserver": ["{n}.postgres.database.azure.com"],
    "registry": ["{n}.azurecr.io", "{n}.{loc}.data.azurecr.io"],
    "blob": ["{n}.blob.core.windows.net"],
    "file": ["{n}.file.core.windows.net"],
    "sqlserver": ["{n}.database.windows.net"],
}


def _endpoint_ip(ctx: Ctx) -> str:
    """Kept across updates; else the next free address after Azure's 4 reserved ones in the subnet."""
    for cfg in get_path(ctx.prev or {}, "properties.customDnsConfigs") or []:
        if cfg.get("ipAddresses"):
            return cfg["ipAddresses"][0]
    subnet_id = str(get_path(ctx.body, "properties.subnet.id", ""))
    subnet = ctx.engine.store.get(subnet_id) if subnet_id else None
    prefix = get_path((subnet or {}).get("body", {}), "properties.addressPrefix") or "10.0.0.0/24"
    siblings = [r for r in ctx.engine.store.find("Microsoft.Network/privateEndpoints")
                if str(get_path(r["body"], "properties.subnet.id", "")).lower() == subnet_id.lower() and r["id"].lower() != ctx.rid.lower()]
    return str(ipaddress.ip_network(prefix, strict=False)[4 + len(siblings)])


@filler("Microsoft.Network/privateEndpoints")
def _private_endpoint(ctx: Ctx) -> None:
    p = ctx.props
    nic = f"/subscriptions/{ctx.subscription}/resourceGroups/{ctx.resource_group}/providers/Microsoft.Network/networkInterfaces"
    _keep(ctx, "properties.networkInterfaces", lambda: [{"id": f"{nic}/{ctx.name}.nic.{new_guid()}"}])
    p.setdefault("manualPrivateLinkServiceConnections", [])
    ip = _endpoint_ip(ctx)
    dns = []
    for conn in p.get("privateLinkServiceConnections") or []:
        if conn.get("name"):  # a connection given without a name keeps its id, as Microsoft's GET examples show it
            conn["id"] = f"{ctx.rid}/privateLinkServiceConnections/{conn['name']}"
        conn["type"] = "Microsoft.Network/privateEndpoints/privateLinkServiceConnections"
        cp = conn.setdefault("properties", {})
        cp["privateLinkServiceConnectionState"] = {"status": "Approved", "description": "Auto-Approved", "actionsRequired": "None"}
        cp["provisioningState"] = "Succeeded"
        target = ctx.engine.store.get(str(cp.get("privateLinkServiceId", "")))
        name = (target or {}).get("body", {}).get("name", "")
        for group in cp.get("groupIds") or []:
            for host in GROUP_HOSTS.get(str(group).lower(), []):
                dns.append({"fqdn": host.format(n=name.lower(), loc=ctx.location), "ipAddresses": [ip]})
    p["customDnsConfigs"] = dns


@filler("Microsoft.Network/privateEndpoints/privateDnsZoneGroups")
def _dns_zone_group(ctx: Ctx) -> None:
    """One A record per host name of the endpoint, in each zone of the group."""
    endpoint = ctx.engine.store.get(ctx.rid.rsplit("/", 2)[0])
    hosts = get_path((endpoint or {}).get("body", {}), "properties.customDnsConfigs") or []
    for cfg in ctx.props.get("privateDnsZoneConfigs") or []:
        cp = cfg.setdefault("properties", {})
        zone = str(cp.get("privateDnsZoneId", "")).rstrip("/").rsplit("/", 1)[-1]
        records = []
        for host in hosts:
            label = host["fqdn"].split(".")[0]
            records.append({"recordType": "A", "recordSetName": label, "fqdn": f"{label}.{zone}", "ttl": 10,
                            "ipAddresses": host["ipAddresses"], "provisioningState": "Succeeded"})
        cp["recordSets"] = records


@filler("Microsoft.Network/privateDnsZones")
def _dns_zone(ctx: Ctx) -> None:
    ctx.props.setdefault("maxNumberOfRecordSets", 25000)
    ctx.props["numberOfRecordSets"] = 1
    ctx.props["numberOfVirtualNetworkLinks"] = len(ctx.engine.store.find("Microsoft.Network/privateDnsZones/virtualNetworkLinks", parent=ctx.rid))


@filler("Microsoft.Network/privateDnsZones/virtualNetworkLinks")
def _dns_link(ctx: Ctx) -> None:
    ctx.props["virtualNetworkLinkState"] = "Completed"


# -- AKS --------------------------------------------------------------------


def _pool_defaults(ctx: Ctx, pool: dict, cluster_version: str, prev: dict | None) -> None:
    """Server fields of a pool. Only what the body lacks is filled: a client's read-only input was
    stripped before, so a value present here was seeded (or drifted) and is kept as given."""
    pool.setdefault("orchestratorVersion", cluster_version)
    prev = prev or {}
    pool.setdefault("currentOrchestratorVersion", prev.get("currentOrchestratorVersion") or pool["orchestratorVersion"])
    pool.setdefault("nodeImageVersion", prev.get("nodeImageVersion") or ctx.config["node_image_version"])
    pool.setdefault("mode", "User")
    pool.setdefault("osType", "Linux")
    pool.setdefault("osSKU", "Ubuntu")
    pool.setdefault("type", "VirtualMachineScaleSets")
    pool.setdefault("powerState", {"code": "Running"})


@filler("Microsoft.ContainerService/managedClusters")
def _aks(ctx: Ctx) -> None:
    p = ctx.props
    version = p.get("kubernetesVersion") or ctx.config["default_kubernetes_version"]
    p["kubernetesVersion"] = version
    prev_props = (ctx.prev or {}).get("properties", {})
    # read-only fields: a client's were stripped, so a value here was seeded and is kept
    p.setdefault("currentKubernetesVersion", prev_props.get("currentKubernetesVersion") or version)
    prefix = p.setdefault("dnsPrefix", f"{ctx.name[:10]}-{ctx.resource_group[:16]}-{ctx.short_hash(6)}")
    loc = ctx.location
    if get_path(ctx.body, "properties.apiServerAccessProfile.enablePrivateCluster"):
        p.setdefault("privateFQDN", f"{prefix}-{ctx.short_hash(12)}.{ctx.short_hash(8)}.privatelink.{loc}.azmk8s.io")
    else:
        p.setdefault("fqdn", f"{prefix}-{ctx.short_hash()}.hcp.{loc}.azmk8s.io")
    p.setdefault("azurePortalFQDN", f"{prefix}-{ctx.short_hash()}.portal.hcp.{loc}.azmk8s.io")
    p.setdefault("nodeResourceGroup", f"MC_{ctx.resource_group}_{ctx.name}_{loc}")
    p.setdefault("maxAgentPools", 100)
    p.setdefault("powerState", {"code": "Running"})
    p.setdefault("enableRBAC", True)
    p.setdefault("supportPlan", "KubernetesOfficial")
    kubelet_rg = p["nodeResourceGroup"]
    _keep(ctx, "properties.identityProfile", lambda: {"kubeletidentity": {
        "resourceId": f"/subscriptions/{ctx.subscription}/resourcegroups/{kubelet_rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{ctx.name}-agentpool",
        "clientId": new_guid(), "objectId": new_guid()}})
    oidc = p.setdefault("oidcIssuerProfile", {"enabled": False})
    if oidc.get("enabled"):
        tenant = ctx.engine.identity["tenant_id"]
        _keep(ctx, "properties.oidcIssuerProfile.issuerURL",
              lambda: f"https://{loc}.oic.prod-aks.azure.com/{tenant}/{new_guid()}/")
    else:
        oidc.pop("issuerURL", None)
    if "assigned" in str(get_path(ctx.body, "identity.type", "")).lower():
        # a managed-identity cluster has no service principal; Azure shows the placeholder client id "msi"
        p.setdefault("servicePrincipalProfile", {"clientId": "msi"})
    _system_identity(ctx)


@completer("Microsoft.ContainerService/managedClusters")
def _aks_done(ctx: Ctx) -> None:
    ctx.props["currentKubernetesVersion"] = ctx.props.get("kubernetesVersion")


@filler("Microsoft.ContainerService/managedClusters/agentPools")
def _agent_pool(ctx: Ctx) -> None:
    cluster = ctx.engine.store.get(ctx.rid.rsplit("/", 2)[0])
    cluster_version = get_path((cluster or {}).get("body", {}), "properties.kubernetesVersion") or ctx.config["default_kubernetes_version"]
    _pool_defaults(ctx, ctx.props, cluster_version, (ctx.prev or {}).get("properties"))


@completer("Microsoft.ContainerService/managedClusters/agentPools")
def _agent_pool_done(ctx: Ctx) -> None:
    ctx.props["currentOrchestratorVersion"] = ctx.props.get("orchestratorVersion")


# -- data services ------------------------------------------------------------
# Azure answers the full version of the major asked for (RedisCacheCreate.json: "4" -> "4.0.14").
REDIS_VERSIONS = {"4": "4.0.14", "6": "6.0.14", "latest": "6.0.14"}
# Azure never gives the storage connection strings back (Azure/azure-rest-api-specs#3037); kept with the keys.
REDIS_CONNECTION_STRINGS = ("rdb-storage-connection-string", "aof-storage-connection-string-0", "aof-storage-connection-string-1")
LINKED_SERVER = "Microsoft.Cache/redis/linkedServers"


@filler("Microsoft.Cache/redis")
def _redis(ctx: Ctx) -> None:
    p = ctx.props
    p["hostName"] = f"{ctx.name}.redis.cache.windows.net"
    p["port"] = 6379
    p["sslPort"] = 6380
    version = str(p.get("redisVersion") or get_path(ctx.prev or {}, "properties.redisVersion") or "6")
    p["redisVersion"] = REDIS_VERSIONS.get(version.lower(), version)
    p.setdefault("enableNonSslPort", False)
    p.setdefault("minimumTlsVersion", "1.2")
    p.setdefault("publicNetworkAccess", "Enabled")
    p.setdefault("updateChannel", "Stable")
    p["zonalAllocationPolicy"] = "UserDefined" if ctx.body.get("zones") else "Automatic"
    premium = str(get_path(p, "sku.name", "")).lower() == "premium"
    if str(get_path(p, "sku.name", "")).lower() != "basic":
        p.setdefault("replicasPerPrimary", 1)
        p["replicasPerMaster"] = p["replicasPerPrimary"]
    # RedisCacheCreate.json: Azure adds its own memory settings (sized by SKU) to the stated ones
    config = p.setdefault("redisConfiguration", {})
    secrets = ctx.engine.ensure_keys(ctx.rid, ("primaryKey", "secondaryKey"))
    for key in REDIS_CONNECTION_STRINGS:
        if key in config:
            secrets[key] = config.pop(key)
    config.setdefault("maxclients", "7500" if premium else "1000")
    for key in ("maxmemory-reserved", "maxmemory-delta", "maxfragmentationmemory-reserved"):
        config.setdefault(key, "200" if premium else "50")
    shards = p.get("shardCount") or 1
    copies = (p.get("replicasPerPrimary") or 0) + 1
    p["instances"] = [{"sslPort": 15000 + i, "shardId": i // copies, "isMaster": i % copies == 0, "isPrimary": i % copies == 0}
                      for i in range(shards * copies)]
    p["linkedServers"] = [{"id": r["id"]} for r in ctx.engine.store.find(LINKED_SERVER, parent=ctx.rid)]
    _system_identity(ctx)


@filler("Microsoft.Cache/redis/patchSchedules")
def _redis_patch_schedule(ctx: Ctx) -> None:
    """RedisCachePatchSchedulesCreateOrUpdate.json: named '<cache>/default', with the cache's location."""
    cache = ctx.engine.store.get(ctx.rid.rsplit("/", 2)[0])
    ctx.body["name"] = f"{cache['body']['name']}/{ctx.name}"
    ctx.body["location"] = cache["body"].get("location")


@filler(LINKED_SERVER)
def _redis_linked_server(ctx: Ctx) -> None:
    """RedisCacheLinkedServer_Create.json: the host names of both ends."""
    p = ctx.props
    p["primaryHostName"] = f"{ctx.rid.rsplit('/', 3)[-3]}.redis.cache.windows.net"
    p["geoReplicatedPrimaryHostName"] = f"{ctx.name}.geo.redis.cache.windows.net"


@completer(LINKED_SERVER)
def _redis_linked(ctx: Ctx) -> None:
    """Once linked, the secondary lists the primary (role Primary) and both caches list their link."""
    primary = ctx.rid.rsplit("/", 2)[0]
    secondary = ctx.props.get("linkedRedisCacheId", "")
    if str(ctx.props.get("serverRole")).lower() == "secondary" and ctx.engine.store.get(secondary):
        cache = ctx.engine.store.get(primary)["body"]
        ctx.engine.drift_put(f"{ctx.engine.store.get(secondary)['id']}/linkedServers/{cache['name']}", {"properties": {
            "linkedRedisCacheId": cache["id"], "linkedRedisCacheLocation": cache.get("location"), "serverRole": "Primary"}})
        try:
            backing.geo_link(ctx.engine, primary, ctx.engine.store.get(secondary)["id"])
        except backing.BackingError as exc:  # the ARM link exists either way; the log says what the real servers lack
            print(f"sandbox: {exc}", flush=True)
    for cache_id in (primary, secondary):
        relist_links(ctx.engine, cache_id)


def relist_links(engine, cache_id: str) -> None:
    """properties.linkedServers of a cache: the links under it."""
    cache = engine.store.get(cache_id)
    if cache:
        cache["body"].setdefault("properties", {})["linkedServers"] = [
            {"id": r["id"]} for r in engine.store.find(LINKED_SERVER, parent=cache["id"])]


# Storage sizes (GB) and the performance tier Azure gives each by default (Microsoft Learn, "Storage options in
# Azure Database for PostgreSQL flexible server"); also the IOPS of that tier.
PG_STORAGE_BASELINE = {32: ("P4", 120), 64: ("P6", 240), 128: ("P10", 500), 256: ("P15", 1100), 512: ("P20", 2300),
                       1024: ("P30", 5000), 2048: ("P40", 7500), 4096: ("P50", 7500), 8192: ("P60", 16000),
                       16384: ("P70", 18000), 32767: ("P80", 20000)}
PG_REPLICA_ROLES = ("asyncreplica", "geoasyncreplica")
# Replicas a primary may have (replicaCapacity of ServerGet.json; "up to five read replicas").
PG_REPLICA_CAPACITY = 5


def pg_is_replica(body: dict) -> bool:
    return str(get_path(body, "properties.replicationRole", "")).lower() in PG_REPLICA_ROLES


@filler("Microsoft.DBforPostgreSQL/flexibleServers")
def _postgres(ctx: Ctx) -> None:
    """ServerCreate*.json / ServerGet*.json / ServerCreateReplica.json: what Azure fills in and what a replica or restore takes from its source."""
    p = ctx.props
    p["fullyQualifiedDomainName"] = f"{ctx.name}.postgres.database.azure.com"
    p["state"] = get_path(ctx.incoming, "properties.state") or "Ready"   # a seed or drift may state another (Stopped, ...)
    p.setdefault("version", "16")
    p.setdefault("minorVersion", "8")
    mode = str(ctx.incoming.get("properties", {}).get("createMode", "")).lower() if ctx.prev is None else ""
    source = p.get("sourceServerResourceId")
    src = ctx.engine.store.get(source) if source else None
    src_body = (src or {}).get("body", {})
    if mode == "replica" and src:
        p["replicationRole"] = "AsyncReplica"
        p["replica"] = {"role": "AsyncReplica", "replicationState": "Active", "capacity": 0}
        ctx.body.setdefault("sku", copy.deepcopy(src_body.get("sku")))
        for key in ("version", "administratorLogin", "storage", "authConfig"):
            if key in src_body.get("properties", {}):
                p.setdefault(key, copy.deepcopy(src_body["properties"][key]))
        p["highAvailability"] = {"mode": "Disabled", "state": "NotEnabled"}
    elif ctx.prev is None:
        p.setdefault("replicationRole", "Primary")
        p["replica"] = {"role": "Primary", "capacity": PG_REPLICA_CAPACITY}
    if mode in ("pointintimerestore", "georestore") and src:
        ctx.body.setdefault("sku", copy.deepcopy(src_body.get("sku")))
        for key in ("version", "administratorLogin", "storage", "network", "authConfig"):
            if key in src_body.get("properties", {}):
                p.setdefault(key, copy.deepcopy(src_body["properties"][key]))
        if mode == "georestore":  # a geo restore lands outside the source's zones and network
            p.pop("network", None)
    p["replicaCapacity"] = 0 if pg_is_replica(ctx.body) else PG_REPLICA_CAPACITY  # read-only: set again on every write
    p.setdefault("availabilityZone", "1")
    storage = p.setdefault("storage", {})
    size = storage.setdefault("storageSizeGB", 128)
    baseline, iops = PG_STORAGE_BASELINE.get(size, ("P10", 500))
    storage.setdefault("tier", baseline)
    storage.setdefault("autoGrow", "Disabled")
    storage.setdefault("type", "Premium_LRS")
    storage["iops"] = iops
    p.setdefault("authConfig", {"activeDirectoryAuth": "Disabled", "passwordAuth": "Enabled"})
    network = p.setdefault("network", {})
    network.setdefault("publicNetworkAccess", "Disabled" if network.get("delegatedSubnetResourceId") else "Enabled")
    ha = p.get("highAvailability")
    if isinstance(ha, dict) and str(ha.get("mode", "Disabled")).lower() != "disabled":
        stated = str(get_path(ctx.incoming, "properties.highAvailability.state") or "")
        # a seed or drift may state another (ReplicatingData, ...); NotEnabled is what a server had before HA was enabled
        ha["state"] = stated if stated and stated.lower() != "notenabled" else "Healthy"
        ha.setdefault("standbyAvailabilityZone", "2" if p["availabilityZone"] != "2" else "3")
    else:
        p["highAvailability"] = {"mode": "Disabled", "state": "NotEnabled"}
    if ctx.prev is None:
        # TypeSpec visibility read/update: a create takes no window, the server starts on the system-managed one
        p["maintenanceWindow"] = {"customWindow": "Disabled", "dayOfWeek": 0, "startHour": 0, "startMinute": 0}
    elif not isinstance(p.get("maintenanceWindow"), dict):
        p["maintenanceWindow"] = copy.deepcopy(get_path(ctx.prev, "properties.maintenanceWindow"))
    backup = p.setdefault("backup", {})
    backup.setdefault("backupRetentionDays", 7)
    backup.setdefault("geoRedundantBackup", "Disabled")
    backup["earliestRestoreDate"] = pg_backups.earliest_restore_date(ctx.body)


# Server parameters Azure answers with its default until a PUT overrides them:
# name -> (default, dataType, allowedValues, description).  max_connections depends on the SKU.
PG_PARAMETERS = {
    "require_secure_transport": ("on", "Boolean", "on,off", "Whether client connections to the server are required to use some form of secure transport."),
    "ssl_min_protocol_version": ("TLSv1.2", "Enumeration", "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3", "Sets the minimum SSL/TLS protocol version to use."),
    "max_connections": ("859", "Integer", "25-5000", "Sets the maximum number of concurrent connections."),
    "azure.extensions": ("", "Set", "AZURE_STORAGE,BTREE_GIN,BTREE_GIST,CITEXT,CUBE,HSTORE,LTREE,PG_CRON,PG_STAT_STATEMENTS,PG_TRGM,PGCRYPTO,POSTGIS,UUID-OSSP,VECTOR",
                         "Specifies which extensions are allowed to be created in the server."),
    "log_min_duration_statement": ("-1", "Integer", "-1-2147483647", "Sets the minimum execution time (in milliseconds) above which statements will be logged. -1 disables logging statement durations."),
    "shared_preload_libraries": ("pg_cron,pg_stat_statements", "Set", "AUTO_EXPLAIN,AZURE_STORAGE,PG_CRON,PG_HINT_PLAN,PG_PARTMAN_BGW,PG_PREWARM,PG_SQUEEZE,PG_STAT_STATEMENTS,PGAUDIT,PGLOGICAL,TIMESCALEDB",
                                 "Sets which shared libraries are preloaded at server start."),
    "log_connections": ("on", "Boolean", "on,off", "Logs each successful connection."),
    "log_disconnections": ("off", "Boolean", "on,off", "Logs end of a session, including duration."),
    "log_checkpoints": ("on", "Boolean", "on,off", "Logs each checkpoint."),
    "log_statement": ("none", "Enumeration", "none,ddl,mod,all", "Sets the type of statements logged."),
    "timezone": ("UTC", "String", "[A-Za-z0-9/+_-]+", "Sets the time zone for displaying and interpreting time stamps."),
    "work_mem": ("4096", "Integer", "4096-2097151", "Sets the amount of memory to be used by internal sort operations and hash tables before writing to temporary disk files."),
    "pgbouncer.enabled": ("false", "Boolean", "true,false", "Denotes if pgBouncer service is enabled."),
}
# max_connections default per compute size (Azure's table in "Limits in Azure Database for PostgreSQL flexible server").
PG_MAX_CONNECTIONS = {"standard_b1ms": "50", "standard_b2s": "429", "standard_b2ms": "859", "standard_d2s_v3": "859",
                      "standard_d2ds_v4": "859", "standard_d2ds_v5": "859", "standard_d4s_v3": "1718",
                      "standard_d4ds_v4": "1718", "standard_d4ds_v5": "1718", "standard_d8s_v3": "3437",
                      "standard_d8ds_v4": "3437", "standard_d8ds_v5": "3437"}


def pg_parameter(server: dict, name: str) -> dict | None:
    """Properties of a known server parameter at its default, or None for an unknown name."""
    known = PG_PARAMETERS.get(name.lower())
    if known is None:
        return None
    default, data_type, allowed, description = known
    if name.lower() == "max_connections":
        default = PG_MAX_CONNECTIONS.get(str(get_path(server, "sku.name", "")).lower(), default)
    return {"value": default, "defaultValue": default, "dataType": data_type, "allowedValues": allowed,
            "description": description, "source": "system-default", "isReadOnly": False,
            "isDynamicConfig": name.lower() not in ("shared_preload_libraries", "max_connections"),
            "isConfigPendingRestart": False}


@filler("Microsoft.DBforPostgreSQL/flexibleServers/configurations")
def _pg_config(ctx: Ctx) -> None:
    server = ctx.engine.store.get(ctx.rid.rsplit("/", 2)[0])
    known = pg_parameter((server or {}).get("body", {}), ctx.name) or {"dataType": "String", "defaultValue": None}
    for key, value in known.items():
        if key not in ("value", "source"):
            ctx.props[key] = value
    ctx.props.setdefault("value", known.get("defaultValue"))
    ctx.props["source"] = "system-default" if ctx.props["value"] == known.get("defaultValue") else "user-override"


@filler("Microsoft.DBforPostgreSQL/flexibleServers/backups")
def _pg_backup(ctx: Ctx) -> None:
    ctx.props.setdefault("backupType", "Customer On-Demand")
    ctx.props.setdefault("completedTime", now_iso())  # read-only: only a seed (an automatic backup) states it
    ctx.props.setdefault("source", "Automatic")


@filler("Microsoft.KeyVault/vaults")
def _vault(ctx: Ctx) -> None:
    p = ctx.props
    p.setdefault("tenantId", ctx.engine.identity["tenant_id"])
    p.setdefault("enableSoftDelete", True)
    p.setdefault("softDeleteRetentionInDays", 90)
    p.setdefault("enableRbacAuthorization", False)
    p.setdefault("accessPolicies", [])
    p.pop("createMode", None)
    p["vaultUri"] = ctx.engine.vault_uri(ctx.name)
    p["hsmPoolResourceId"] = None
    acls = p.get("networkAcls")
    if isinstance(acls, dict):
        for rule in acls.get("ipRules") or []:
            if isinstance(rule, dict) and isinstance(rule.get("value"), str) and "/" not in rule["value"]:
                rule["value"] += "/32"
        for rule in acls.get("virtualNetworkRules") or []:
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                rule["id"] = rule["id"].lower()


@filler("Microsoft.ManagedIdentity/userAssignedIdentities")
def _uai(ctx: Ctx) -> None:
    _keep(ctx, "properties.principalId", new_guid)
    _keep(ctx, "properties.clientId", new_guid)
    ctx.props["tenantId"] = ctx.engine.identity["tenant_id"]


@filler("Microsoft.Authorization/roleAssignments")
def _role_assignment(ctx: Ctx) -> None:
    scope = ctx.rid.lower().rsplit("/providers/microsoft.authorization/roleassignments/", 1)[0]
    ctx.props["scope"] = ctx.rid[: len(scope)] or "/"
    ctx.props.setdefault("principalType", "ServicePrincipal")
    _keep(ctx, "properties.createdOn", now_iso)
    ctx.props["updatedOn"] = now_iso()
    ctx.body.pop("location", None)


@filler("Microsoft.OperationalInsights/workspaces")
def _workspace(ctx: Ctx) -> None:
    _keep(ctx, "properties.customerId", new_guid)
    _keep(ctx, "properties.createdDate", now_iso)
    ctx.props["modifiedDate"] = now_iso()
    ctx.props.setdefault("retentionInDays", 30)
    ctx.props.setdefault("sku", {"name": "PerGB2018"})
    ctx.engine.ensure_keys(ctx.rid, ("primarySharedKey", "secondarySharedKey"))


@filler("Microsoft.Insights/components")
def _app_insights(ctx: Ctx) -> None:
    key = _keep(ctx, "properties.InstrumentationKey", new_guid)
    _keep(ctx, "properties.AppId", new_guid)
    ctx.props["ApplicationId"] = ctx.name
    ctx.props["Name"] = ctx.name
    ctx.props["TenantId"] = ctx.subscription
    ctx.props["ConnectionString"] = (
        f"InstrumentationKey={key};IngestionEndpoint=https://{ctx.location}-0.in.applicationinsights.azure.com/;"
        f"LiveEndpoint=https://{ctx.location}.livediagnostics.monitor.azure.com/"
    )
    _keep(ctx, "properties.CreationDate", now_iso)


@filler("Microsoft.ContainerRegistry/registries")
def _registry(ctx: Ctx) -> None:
    ctx.props["loginServer"] = f"{ctx.name.lower()}.azurecr.io"
    _keep(ctx, "properties.creationDate", now_iso)
    ctx.props.setdefault("adminUserEnabled", False)
    home = f"{ctx.rid}/replications/{ctx.location}"
    replicated = any(r["body"].get("location") == ctx.location
                     for r in ctx.engine.store.find("Microsoft.ContainerRegistry/registries/replications", parent=ctx.rid))
    premium = [str(get_path(body, "sku.name", "")).lower() == "premium" for body in (ctx.prev or {}, ctx.body)]
    if premium == [False, True] and not replicated:
        # A registry created as (or moved to) Premium lists its home region as a replication, named after the
        # location. Only then: the client may delete it (Azure/acr #729), and a later update does not bring it back.
        ctx.engine.store.put(home, "Microsoft.ContainerRegistry/registries/replications", ctx.rid, {
            "id": home, "name": ctx.location, "type": "Microsoft.ContainerRegistry/registries/replications",
            "location": ctx.location, "tags": {},
            "properties": {"provisioningState": "Succeeded", "status": {"displayStatus": "Ready", "timestamp": now_iso()},
                           "regionEndpointEnabled": True, "zoneRedundancy": ctx.props.get("zoneRedundancy", "Disabled")}})


# -- Azure Front Door Standard/Premium (Profiles_Create.json, AFDEndpoints_Create.json, AFDOriginGroups_Create.json,
# AFDOrigins_Create.json, Routes_Create.json, SecurityPolicies_Create.json of Microsoft.Cdn 2025-06-01; frontdoor
# WafPolicyCreateOrUpdate.json of 2025-03-01 in Azure/azure-rest-api-specs) ----------------------------------------
AFD_SKUS = ("standard_azurefrontdoor", "premium_azurefrontdoor")
FD_WAF_POLICY = "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies"


def _afd_deploying(ctx: Ctx) -> None:
    """Azure answers a write with deploymentStatus NotStarted; the edge deployment ends with the operation."""
    ctx.props["deploymentStatus"] = "NotStarted"


@filler("Microsoft.Cdn/profiles")
def _cdn_profile(ctx: Ctx) -> None:
    front_door = str(get_path(ctx.body, "sku.name", "")).lower() in AFD_SKUS
    ctx.body["kind"] = "frontdoor" if front_door else "cdn"
    if front_door:
        _keep(ctx, "properties.frontDoorId", new_guid)
        ctx.props.setdefault("originResponseTimeoutSeconds", 30)
    ctx.props["resourceState"] = "Active"


@filler("Microsoft.Cdn/profiles/afdEndpoints")
def _afd_endpoint(ctx: Ctx) -> None:
    ctx.props["hostName"] = f"{ctx.name}-{ctx.short_hash(16)}.z01.azurefd.net"
    ctx.props["profileName"] = ctx.rid.split("/")[-3]
    ctx.props.setdefault("enabledState", "Enabled")
    ctx.props.setdefault("autoGeneratedDomainNameLabelScope", "TenantReuse")
    _afd_deploying(ctx)


@filler("Microsoft.Cdn/profiles/originGroups")
def _afd_origin_group(ctx: Ctx) -> None:
    ctx.props["profileName"] = ctx.rid.split("/")[-3]
    _afd_deploying(ctx)


@filler("Microsoft.Cdn/profiles/originGroups/origins")
def _afd_origin(ctx: Ctx) -> None:
    ctx.props["originGroupName"] = ctx.rid.split("/")[-3]
    ctx.props.setdefault("enabledState", "Enabled")
    ctx.props.setdefault("enforceCertificateNameCheck", True)
    ctx.props.setdefault("httpPort", 80)
    ctx.props.setdefault("httpsPort", 443)
    _afd_deploying(ctx)


@filler("Microsoft.Cdn/profiles/afdEndpoints/routes")
def _afd_route(ctx: Ctx) -> None:
    ctx.props["endpointName"] = ctx.rid.split("/")[-3]
    for key, default in (("enabledState", "Enabled"), ("forwardingProtocol", "MatchRequest"), ("httpsRedirect", "Disabled"),
                         ("linkToDefaultDomain", "Disabled"), ("supportedProtocols", ["Http", "Https"]),
                         ("patternsToMatch", ["/*"]), ("customDomains", []), ("ruleSets", [])):
        ctx.props.setdefault(key, default)
    _afd_deploying(ctx)


@filler("Microsoft.Cdn/profiles/securityPolicies")
def _afd_security_policy(ctx: Ctx) -> None:
    ctx.props["profileName"] = ctx.rid.split("/")[-3]
    _afd_deploying(ctx)
    before = get_path(ctx.prev or {}, "properties.parameters.wafPolicy.id")
    after = get_path(ctx.body, "properties.parameters.wafPolicy.id")
    if before and str(before).lower() != str(after).lower():
        unlink_waf_policy(ctx.engine, before, ctx.rid)
    waf = ctx.engine.store.get(after) if isinstance(after, str) else None
    if waf is not None:
        links = waf["body"].setdefault("properties", {}).setdefault("securityPolicyLinks", [])
        if not any(link.get("id", "").lower() == ctx.rid.lower() for link in links):
            links.append({"id": ctx.rid})


def unlink_waf_policy(engine, waf_id: str, security_policy_id: str) -> None:
    """A security policy no longer attaches the WAF policy: Azure drops it from the policy's securityPolicyLinks."""
    waf = engine.store.get(waf_id)
    if waf is not None:
        props = waf["body"].setdefault("properties", {})
        props["securityPolicyLinks"] = [link for link in props.get("securityPolicyLinks") or []
                                        if link.get("id", "").lower() != security_policy_id.lower()]


@completer("Microsoft.Cdn/profiles/afdEndpoints", "Microsoft.Cdn/profiles/originGroups",
           "Microsoft.Cdn/profiles/originGroups/origins", "Microsoft.Cdn/profiles/afdEndpoints/routes",
           "Microsoft.Cdn/profiles/securityPolicies")


def _afd_deployed(ctx: Ctx) -> None:
    ctx.props["deploymentStatus"] = "Succeeded"


@filler(FD_WAF_POLICY)
def _fd_waf_policy(ctx: Ctx) -> None:
    ctx.props["resourceState"] = "Enabled"
    ctx.props["frontendEndpointLinks"] = get_path(ctx.prev or {}, "properties.frontendEndpointLinks") or []
    ctx.props["securityPolicyLinks"] = get_path(ctx.prev or {}, "properties.securityPolicyLinks") or []
    ctx.props.setdefault("policySettings", {}).setdefault("enabledState", "Enabled")
    for rule in get_path(ctx.body, "properties.customRules.rules") or []:
        rule.setdefault("enabledState", "Enabled")
        rule.setdefault("rateLimitDurationInMinutes", 0)
        rule.setdefault("rateLimitThreshold", 0)
        for condition in rule.get("matchConditions") or []:
            condition.setdefault("selector", None)
            condition.setdefault("negateCondition", False)
            condition.setdefault("transforms", [])


@filler("Microsoft.Storage/storageAccounts")
def _storage(ctx: Ctx) -> None:
    n = ctx.name
    ctx.props["primaryEndpoints"] = {s: f"https://{n}.{s}.core.windows.net/" for s in ("blob", "queue", "table", "file", "dfs", "web")}
    ctx.props["primaryLocation"] = ctx.location
    ctx.props["statusOfPrimary"] = "available"
    _keep(ctx, "properties.creationTime", now_iso)
    ctx.engine.ensure_keys(ctx.rid, ("key1", "key2"))


def random_key(nbytes: int = 32) -> str:
    return base64.b64encode(os.urandom(nbytes)).decode()


# -- Azure Monitor: the fields Azure adds to action groups, alert rules, diagnostic settings, saved searches ---------


@filler("Microsoft.Insights/actionGroups")
def _action_group(ctx: Ctx) -> None:
    """Receivers Azure can switch off show their status (createOrUpdateActionGroup.json: e-mail and SMS)."""
    for kind in ("emailReceivers", "smsReceivers"):
        for receiver in ctx.props.get(kind) or []:
            receiver.setdefault("status", "Enabled")


@filler("Microsoft.Insights/metricAlerts")
def _metric_alert(ctx: Ctx) -> None:
    for criterion in get_path(ctx.body, "properties.criteria.allOf", []) or []:
        criterion.setdefault("criterionType", "StaticThresholdCriterion")
        criterion.setdefault("dimensions", [])
    for action in ctx.props.get("actions") or []:
        action.setdefault("webHookProperties", {})
    ctx.props.setdefault("autoMitigate", True)
    ctx.props["lastUpdatedTime"] = now_iso()
    ctx.props.setdefault("isMigrated", False)


@filler("Microsoft.Insights/scheduledQueryRules")
def _scheduled_query_rule(ctx: Ctx) -> None:
    for condition in get_path(ctx.body, "properties.criteria.allOf", []) or []:
        condition.setdefault("dimensions", [])
        condition.setdefault("failingPeriods", {"numberOfEvaluationPeriods": 1, "minFailingPeriodsToAlert": 1})
    ctx.props.setdefault("enabled", True)
    ctx.props.setdefault("autoMitigate", True)
    ctx.props["createdWithApiVersion"] = get_path(ctx.prev or {}, "properties.createdWithApiVersion", "2023-12-01")
    ctx.props["isWorkspaceAlertsStorageConfigured"] = False


@filler("Microsoft.Insights/diagnosticSettings")
def _diagnostic_setting(ctx: Ctx) -> None:
    """Each entry names its category or its group (the other null) and carries the retired retention policy."""
    for kind in ("logs", "metrics"):
        for entry in ctx.props.get(kind) or []:
            entry.setdefault("category", None)
            if kind == "logs":
                entry.setdefault("categoryGroup", None)
            entry.setdefault("retentionPolicy", {"enabled": False, "days": 0})
    ctx.body.pop("location", None)


@filler("Microsoft.OperationalInsights/workspaces/savedSearches")
def _saved_search(ctx: Ctx) -> None:
    ctx.props.setdefault("version", 2)


# -- Application Gateway and its WAF policy ---------------------------------------------
GATEWAY = "Microsoft.Network/applicationGateways"
WAF_POLICY = "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies"
# The gateway's embedded children: each gets an id under the gateway, the gateway's etag and a provisioningState,
# as ApplicationGatewayGet shows them.
GATEWAY_CHILDREN = ("gatewayIPConfigurations", "sslCertificates", "frontendIPConfigurations", "frontendPorts",
                    "backendAddressPools", "backendHttpSettingsCollection", "httpListeners", "urlPathMaps",
                    "requestRoutingRules", "probes", "rewriteRuleSets", "redirectConfigurations",
                    "trustedRootCertificates", "trustedClientCertificates", "sslProfiles", "authenticationCertificates")


def _sub_resources(items, parent_id: str, collection: str, etag) -> None:
    for item in items or []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        item["id"] = f"{parent_id}/{collection}/{item['name']}"
        item["etag"] = etag
        item["type"] = f"{GATEWAY}/{collection}"
        item.setdefault("properties", {})["provisioningState"] = "Succeeded"
        if collection == "urlPathMaps":
            _sub_resources(item["properties"].get("pathRules"), item["id"], "pathRules", etag)
            for rule in item["properties"].get("pathRules") or []:
                rule["type"] = f"{GATEWAY}/urlPathMaps/pathRules"


def link_waf_policies(engine, gateway_id: str, policy_id) -> None:
    """Keep every policy's read-only applicationGateways list naming the gateways that use it."""
    for rec in engine.store.find(WAF_POLICY):
        props = rec["body"].setdefault("properties", {})
        users = [g for g in props.get("applicationGateways") or [] if str(g.get("id", "")).lower() != gateway_id.lower()]
        if policy_id and rec["id"].lower() == str(policy_id).lower():
            users.append({"id": gateway_id})
        props["applicationGateways"] = users


@filler(GATEWAY)
def _gateway(ctx: Ctx) -> None:
    _keep(ctx, "properties.resourceGuid", new_guid)
    ctx.props["operationalState"] = "Running"
    for collection in GATEWAY_CHILDREN:
        _sub_resources(ctx.props.get(collection), ctx.rid, collection, ctx.body.get("etag"))
    for frontend in ctx.props.get("frontendIPConfigurations") or []:
        props = frontend.get("properties") or {}
        props.setdefault("privateIPAllocationMethod", "Static" if props.get("privateIPAddress") else "Dynamic")
    for settings in ctx.props.get("backendHttpSettingsCollection") or []:
        settings["properties"].setdefault("cookieBasedAffinity", "Disabled")
        settings["properties"].setdefault("requestTimeout", 30)
    for probe in ctx.props.get("probes") or []:
        props = probe["properties"]
        for key, value in (("interval", 30), ("timeout", 30), ("unhealthyThreshold", 3),
                           ("pickHostNameFromBackendHttpSettings", False), ("minServers", 0)):
            props.setdefault(key, value)
        props.setdefault("match", {})
    link_waf_policies(ctx.engine, ctx.rid, get_path(ctx.body, "properties.firewallPolicy.id"))


@filler(WAF_POLICY)
def _waf_policy(ctx: Ctx) -> None:
    """Azure's defaults of a policy, and its read-only lists of what uses it (kept across updates)."""
    p = ctx.props
    p["resourceState"] = "Enabled"
    settings = p.setdefault("policySettings", {})
    for key, value in (("state", "Enabled"), ("mode", "Detection"), ("requestBodyCheck", True),
                       ("maxRequestBodySizeInKb", 128), ("fileUploadLimitInMb", 100), ("requestBodyEnforcement", True),
                       ("requestBodyInspectLimitInKB", 128), ("fileUploadEnforcement", True)):
        settings.setdefault(key, value)
    p.setdefault("managedRules", {}).setdefault("exclusions", [])
    for rule_set in p["managedRules"].get("managedRuleSets") or []:
        rule_set.setdefault("ruleGroupOverrides", [])
    for rule in p.setdefault("customRules", []):
        rule.setdefault("state", "Enabled")
        for condition in rule.get("matchConditions") or []:
            condition.setdefault("negationConditon", False)
            condition.setdefault("transforms", [])
    for key in ("applicationGateways", "httpListeners", "pathBasedRules"):
        p[key] = get_path(ctx.prev or {}, f"properties.{key}") or p.get(key) or []


# -- managed Prometheus (Azure Monitor workspace, data collection endpoint/rule/association) ----------------
# Shapes of AzureMonitorWorkspaces_Get (2023-04-03 / 2025-05-03-preview) and DataCollection*_Get (2023-03-11).


def _generated(ctx: Ctx, dotted: str, factory):
    """A server-generated value kept across updates, and as given in a seeded body (an example Azure answered)."""
    return _keep(ctx, dotted, lambda: get_path(ctx.body, dotted) or factory())


@filler("Microsoft.Monitor/accounts")
def _monitor_workspace(ctx: Ctx) -> None:
    account = _generated(ctx, "properties.accountId", new_guid)
    _generated(ctx, "properties.metrics.prometheusQueryEndpoint",
               lambda: f"https://{ctx.name}-{ctx.short_hash(4)}.{ctx.location}.prometheus.monitor.azure.com")
    _generated(ctx, "properties.metrics.internalId", lambda: f"mac_{account}")
    managed = f"/subscriptions/{ctx.subscription}/resourceGroups/MA_{ctx.name}_{ctx.location}_managed/providers/Microsoft.Insights"
    _generated(ctx, "properties.defaultIngestionSettings.dataCollectionRuleResourceId",
               lambda: f"{managed}/dataCollectionRules/{ctx.name}")
    _generated(ctx, "properties.defaultIngestionSettings.dataCollectionEndpointResourceId",
               lambda: f"{managed}/dataCollectionEndpoints/{ctx.name}")
    ctx.props.setdefault("publicNetworkAccess", "Enabled")


@filler("Microsoft.Insights/dataCollectionEndpoints")
def _data_collection_endpoint(ctx: Ctx) -> None:
    _generated(ctx, "properties.immutableId", lambda: "dce-" + new_guid().replace("-", ""))
    host = f"{ctx.name.lower()}-{ctx.short_hash(4)}.{ctx.location}-1"
    ctx.props["configurationAccess"] = {"endpoint": f"https://{host}.handler.control.monitor.azure.com"}
    ctx.props["logsIngestion"] = {"endpoint": f"https://{host}.ingest.monitor.azure.com"}
    ctx.props["metricsIngestion"] = {"endpoint": f"https://{host}.metrics.ingest.monitor.azure.com"}
    ctx.props.setdefault("networkAcls", {}).setdefault("publicNetworkAccess", "Enabled")


@filler("Microsoft.Insights/dataCollectionRules")
def _data_collection_rule(ctx: Ctx) -> None:
    _generated(ctx, "properties.immutableId", lambda: "dcr-" + new_guid().replace("-", ""))

# -- Azure Monitor workbooks: the fields the service sets (workbooks.py) ------------------------------------------


@filler("Microsoft.Insights/workbooks")
def _workbook(ctx: Ctx) -> None:
    workbooks.fill(ctx)
