"""Refusals Azure makes before accepting a write, per resource type.

``check_put(engine, t, body, existing)`` runs on a client PUT (body already
stripped of read-only input) and on the merged result of a client PATCH,
``check_delete(engine, rec)`` on a client DELETE, before anything is stored.  Drift and seed bypass both, so tests can
still build states Azure would refuse.  Codes and messages are the ones
Azure answers (sources in docs/sandbox.md).
"""

import ipaddress
import json
import uuid
from datetime import datetime, timezone
import re

from . import diagnostics, populate, regions, workbooks
from .messages import ApiError
from .util import aks_pool_vmss_id, get_path, normalize_location, parse_time

PUT_CHECKS = {}
DELETE_CHECKS = {}

SUBNET = "Microsoft.Network/virtualNetworks/subnets"
RULE = "Microsoft.Network/networkSecurityGroups/securityRules"


def on_put(*types):
    """Register a check of client PUTs of these types (``"*"``: of every type); a type may have several."""
    def register(fn):
        for t in types:
            PUT_CHECKS.setdefault(t.lower(), []).append(fn)
        return fn
    return register


def on_delete(*types):
    def register(fn):
        for t in types:
            DELETE_CHECKS[t.lower()] = fn
        return fn
    return register


def check_put(engine, t, body: dict, existing: dict | None) -> None:
    _check_tags(body.get("tags"))
    for fn in PUT_CHECKS.get("*", []) + PUT_CHECKS.get(t.type_name.lower(), []):
        fn(engine, t, body, existing)


def check_patch(engine, t, patch: dict) -> None:
    """A client PATCH (tags of any resource, as `resource_groups.update` sends them)."""
    if isinstance(patch, dict):
        _check_tags(patch.get("tags"))


def check_delete(engine, rec: dict) -> None:
    fn = DELETE_CHECKS.get(rec["type"].lower())
    if fn:
        fn(engine, rec)


def _bad(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


def _exists(engine, rid) -> bool:
    return isinstance(rid, str) and engine.store.get(rid) is not None


def _leaf(rid: str) -> str:
    return rid.rstrip("/").rsplit("/", 1)[-1]


# -- tags (every resource type) ----------------------------------------------------------
TAG_NAME_RESERVED = set('<>%&\\?/')
TAG_NAME_MAX, TAG_VALUE_MAX = 512, 256


def _check_tags(tags) -> None:
    if not isinstance(tags, dict):
        return
    reserved = [k for k in tags if any(c in TAG_NAME_RESERVED or ord(c) < 32 for c in str(k))]
    if reserved:
        raise _bad("InvalidTagNameCharacters", f"The tag names '{', '.join(map(str, reserved))}' have reserved "
                                               f"characters '<,>,%,&,\\,?,/' or control characters.")
    long_names = [str(k) for k in tags if len(str(k)) > TAG_NAME_MAX]
    if long_names:
        raise _bad("InvalidTagName", f"Tag key too large. Following tag name '{', '.join(long_names)}' exceeded the "
                                     f"maximum length. Maximum allowed length for tag name - '{TAG_NAME_MAX}' characters.")
    long_values = [v for v in tags.values() if isinstance(v, str) and len(v) > TAG_VALUE_MAX]
    if long_values:
        raise _bad("InvalidTagValueLength", f"Tag value too large. Following tag value '{', '.join(long_values)}' "
                                            f"exceeded the maximum length. Maximum allowed length for tag value - "
                                            f"'{TAG_VALUE_MAX}' characters.")


# -- virtual networks -----------------------------------------------------------
def _networks(prefixes) -> list:
    """Parsed CIDRs; a value Azure would refuse for its syntax is left to that check."""
    out = []
    for p in prefixes or []:
        try:
            out.append(ipaddress.ip_network(p, strict=False))
        except (TypeError, ValueError):
            continue
    return out


def _subnet_networks(props: dict) -> list:
    return _networks(props.get("addressPrefixes") or [props.get("addressPrefix")])


def _check_subnets(vnet_name: str, space: list, subnets: list, others: list) -> None:
    """``subnets``: (name, networks) to admit; ``others``: (name, networks) already there."""
    seen = list(others)
    for name, nets in subnets:
        for net in nets:
            if space and not any(net.version == s.version and net.subnet_of(s) for s in space):
                raise _bad("NetcfgSubnetRangeOutsideVnet",
                           f"Subnet '{name}' is not valid because its IP address range is outside the IP address range "
                           f"of virtual network '{vnet_name}'.")
            if any(net.version == o.version and net.overlaps(o) for _, nets2 in seen for o in nets2):
                raise _bad("NetcfgSubnetRangesOverlap",
                           f"Subnet '{name}' is not valid because its IP address range overlaps with that of an existing "
                           f"subnet in virtual network '{vnet_name}'.")
        seen.append((name, nets))


# Service endpoints Azure has (learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview).
SERVICE_ENDPOINTS = {"microsoft.azureactivedirectory", "microsoft.azurecosmosdb", "microsoft.cognitiveservices",
                     "microsoft.containerregistry", "microsoft.eventhub", "microsoft.keyvault", "microsoft.servicebus",
                     "microsoft.sql", "microsoft.storage", "microsoft.storage.global", "microsoft.web"}


def _check_service_endpoints(subnet: str, props: dict) -> None:
    for endpoint in props.get("serviceEndpoints") or []:
        service = endpoint.get("service") if isinstance(endpoint, dict) else endpoint
        if str(service).lower() not in SERVICE_ENDPOINTS:
            raise _bad("InvalidServiceNameOnSubnet",
                       f"Subnet '{subnet}' has an invalid service endpoint '{service}'. Service endpoints are available "
                       f"for: {', '.join(sorted(SERVICE_ENDPOINTS))}.")


@on_put("Microsoft.Network/virtualNetworks")
def _vnet(engine, t, body, existing):
    space = _networks(get_path(body, "properties.addressSpace.addressPrefixes"))
    embedded = [s for s in get_path(body, "properties.subnets") or [] if isinstance(s, dict)]
    for subnet in embedded:
        _check_service_endpoints(subnet.get("name"), subnet.get("properties") or {})
    _check_subnets(t.name, space, [(s.get("name"), _subnet_networks(s.get("properties") or {})) for s in embedded], [])


@on_put(SUBNET)
def _subnet(engine, t, body, existing):
    _check_service_endpoints(t.name, body.get("properties") or {})
    vnet = engine.store.get(t.parent)
    space = _networks(get_path(vnet["body"], "properties.addressSpace.addressPrefixes"))
    others = [(r["body"]["name"], _subnet_networks(r["body"].get("properties") or {}))
              for r in engine.store.find(SUBNET, parent=t.parent) if r["id"].lower() != t.rid.lower()]
    _check_subnets(vnet["body"]["name"], space, [(t.name, _subnet_networks(body.get("properties") or {}))], others)


@on_delete("Microsoft.Network/networkSecurityGroups")
def _nsg_in_use(engine, rec):
    users = [r["id"] for r in engine.store.find(SUBNET)
             if str(get_path(r["body"], "properties.networkSecurityGroup.id", "")).lower() == rec["id"].lower()]
    if users:
        raise _bad("InUseNetworkSecurityGroupCannotBeDeleted",
                   f"Network security group {rec['id']} cannot be deleted because it is in use by the following "
                   f"resources: {', '.join(users)}. In order to delete the Network security group, remove the "
                   f"association with the resource(s).")


# -- network security rules ---------------------------------------------------------
RULE_PAIRS = (("sourceAddressPrefix", "sourceAddressPrefixes"), ("destinationAddressPrefix", "destinationAddressPrefixes"),
              ("sourcePortRange", "sourcePortRanges"), ("destinationPortRange", "destinationPortRanges"))


def _check_rule(rid: str, props: dict) -> None:
    for single, plural in RULE_PAIRS:
        if props.get(single) and props.get(plural):
            raise _bad("SecurityRuleParameterContainsUnsupportedValue",
                       f"Security rule parameter {single[0].upper() + single[1:]} for rule with Id {rid} cannot be "
                       f"specified together with {plural[0].upper() + plural[1:]}; use one of them.")


def _check_priorities(rules: list) -> None:
    """``rules``: (name, props) in the order Azure sees them; one priority per direction."""
    taken = {}
    for name, props in rules:
        key = (str(props.get("direction", "")).lower(), props.get("priority"))
        if key in taken:
            raise _bad("SecurityRuleConflict",
                       f"Security rule {taken[key]} conflicts with rule {name}. Rules cannot have the same Priority and "
                       f"Direction. To learn more, see aka.ms/nsgrules.")
        taken[key] = name


@on_put("Microsoft.Network/networkSecurityGroups")
def _nsg(engine, t, body, existing):
    rules = [(r.get("name"), r.get("properties") or {})
             for r in get_path(body, "properties.securityRules") or [] if isinstance(r, dict)]
    for name, props in rules:
        _check_rule(f"{t.rid}/securityRules/{name}", props)
    _check_priorities(rules)


@on_put(RULE)
def _rule(engine, t, body, existing):
    props = body.get("properties") or {}
    _check_rule(t.rid, props)
    others = [(r["body"]["name"], r["body"].get("properties") or {})
              for r in engine.store.find(RULE, parent=t.parent) if r["id"].lower() != t.rid.lower()]
    _check_priorities(others + [(t.name, props)])


# -- public IP ------------------------------------------------------------------------
@on_put("Microsoft.Network/publicIPAddresses")
def _public_ip(engine, t, body, existing):
    if not existing:
        return
    prev = existing["body"]
    before, after = sorted(prev.get("zones") or []), sorted(body.get("zones") or [])
    if before != after:
        raise _bad("ResourceAvailabilityZonesCannotBeModified",
                   f"Resource {existing['id']} has an existing availability zone constraint "
                   f"{', '.join(before) or 'NoZone'} and the request has availability zone constraint "
                   f"{', '.join(after) or 'NoZone'}, which do not match. Zones cannot be added/updated/removed once the "
                   f"resource is created. The resource cannot be updated from regional to zonal or vice-versa.")
    old, new = get_path(prev, "sku.name"), get_path(body, "sku.name") or get_path(prev, "sku.name")
    static = str(get_path(body, "properties.publicIPAllocationMethod", "")).lower() == "static"
    upgrade = str(old).lower() == "basic" and str(new).lower() == "standard" and static
    if old and str(old).lower() != str(new).lower() and not upgrade:
        raise _bad("SkuCannotBeChangedOnUpdate",  # Azure/azure-cli #27806
                   f"Sku property is set at creation time and cannot be changed from {old} to {new} on resource update "
                   f"for resource {existing['id']}.")


# -- private DNS and private endpoints ---------------------------------------------------
@on_delete("Microsoft.Network/privateDnsZones")
def _zone_links(engine, rec):
    links = engine.store.find("Microsoft.Network/privateDnsZones/virtualNetworkLinks", parent=rec["id"])
    if links:
        raise ApiError(409, "CannotDeleteResource",
                       "Cannot delete resource while nested resources exist. Some existing nested resource IDs include: "
                       + ", ".join(f"'Microsoft.Network/privateDnsZones/{rec['body']['name']}/virtualNetworkLinks/"
                                   f"{link['body']['name']}'" for link in links)
                       + ". Please delete all nested resources before deleting this resource.")


@on_put("Microsoft.Network/privateDnsZones/virtualNetworkLinks")
def _zone_link(engine, t, body, existing):
    vnet = get_path(body, "properties.virtualNetwork.id")
    if not _exists(engine, vnet):
        raise _bad("BadRequest", f"Virtual network resource not found for '{vnet}'")


@on_put("Microsoft.Network/privateEndpoints")
def _private_endpoint(engine, t, body, existing):
    props = body.get("properties") or {}
    for conn in (props.get("privateLinkServiceConnections") or []) + (props.get("manualPrivateLinkServiceConnections") or []):
        target = get_path(conn, "properties.privateLinkServiceId")
        if not _exists(engine, target):
            raise _bad("InvalidResourceReference",
                       f"Resource {target} referenced by resource {t.rid} was not found. Please make sure that the "
                       f"referenced resource exists, and that both resources are in the same region.")


# -- AKS ------------------------------------------------------------------------------------
def _check_pool_subnet(engine, t, pool: dict) -> None:
    subnet = pool.get("vnetSubnetID")
    if subnet and not _exists(engine, subnet):
        segs = subnet.split("/")
        low = [s.lower() for s in segs]
        vnet = segs[low.index("virtualnetworks") + 1] if "virtualnetworks" in low[:-1] else ""
        rg = segs[low.index("resourcegroups") + 1] if "resourcegroups" in low[:-1] else ""
        raise _bad("SubnetNotFound", f"Could not find subnet {_leaf(subnet)} in vnet {vnet} from resource group {rg} "
                                     f"of subscription {t.subscription}.")


@on_put("Microsoft.ContainerService/managedClusters")
def _aks(engine, t, body, existing):
    for pool in get_path(body, "properties.agentPoolProfiles") or []:
        if isinstance(pool, dict):
            _check_pool_subnet(engine, t, pool)


@on_put("Microsoft.ContainerService/managedClusters/agentPools")
def _aks_pool(engine, t, body, existing):
    _check_pool_subnet(engine, t, body.get("properties") or {})


# -- container registry -----------------------------------------------------------------------
# Replications are refused here for nothing of their own: Azure accepts one in the registry's home location
# (Azure/azure-rest-api-specs #10233, hashicorp/terraform-provider-azurerm #15787) and the delete of the home-region
# replication (Azure/acr #729: only the portal greys it out); no record shows Azure refusing a second replication in
# a region under another name. Their location is checked as any resource's (below).


# -- locations and VM sizes (regions.py) ------------------------------------------------------
@on_put("*")
def _location(engine, t, body, existing):
    """ARM refuses a location that is not a region of the subscription, before the resource provider sees it."""
    location = body.get("location")
    if not isinstance(location, str) or location.lower() == "global" or regions.region_of(location):
        return
    available = ",".join(regions.physical_names())
    if t.type_name.lower() == "microsoft.resources/resourcegroups":
        raise _bad("LocationNotAvailableForResourceGroup",
                   f"The provided location '{location}' is not available for resource group. List of available "
                   f"regions is '{available}'.")
    raise _bad("LocationNotAvailableForResourceType",
               f"The provided location '{location}' is not available for resource type '{t.type_name}'. List of "
               f"available regions for the resource type is '{available}'.")


def _check_pool_size(engine, t, region: str, name: str, pool: dict, cluster: dict) -> None:
    """A new pool's VM size must be one the subscription can use in the region and in each of the pool's zones."""
    zones = [str(z) for z in pool.get("availabilityZones") or []]
    if zones and not regions.zones_of(region):
        raise _bad("AvailabilityZoneNotSupported", f"Availability zone is not supported in region {region}.")
    size = pool.get("vmSize")
    if not size:
        return
    sku = regions.vm_sku(engine.store.config, size, region)
    if sku is None or regions.location_restricted(sku):
        raise _bad("BadRequest", f"The VM size of AgentPoolProfile:{name} is not allowed in your subscription in "
                                 f"location '{region}'. For more details, please visit https://aka.ms/aks/quotas-skus-regions")
    missing = [z for z in zones if z not in regions.usable_zones(sku)]
    if missing:
        # Compute refuses the pool's scale set; AKS wraps the template deployment's answer (Azure/azure-cli #21308,
        # Azure/AKS #1444 for a pool, Azure/azure-cli #16961 for a cluster).
        node_group = get_path(cluster, "properties.nodeResourceGroup") or f"MC_{t.rg}_{cluster['name']}_{region}"
        vmss = aks_pool_vmss_id(t.subscription, node_group, name)
        deployment = (f"The template deployment failed with error: 'The resource with id: '{vmss}' failed validation "
                      f"with message: 'The requested size for resource '{vmss}' is currently not available in location "
                      f"'{region}' zones '{','.join(zones)}' for subscription '{t.subscription}'. Please try another "
                      f"size or deploy to a different location or zones. See https://aka.ms/azureskunotavailable for "
                      f"details.'.'.")
        if t.type_name.lower().endswith("/agentpools"):
            raise _bad("PreconditionFailed", f"Provisioning of resource(s) for Agent Pool {name} failed. Error: "
                                             + json.dumps({"code": "InvalidTemplateDeployment", "message": deployment},
                                                          indent=2))
        raise _bad("SkuNotAvailable", f"Provisioning of resource(s) for container service {cluster['name']} in "
                                      f"resource group {t.rg} failed. Message: {deployment}")


@on_put("Microsoft.ContainerService/managedClusters")
def _cluster_pool_sizes(engine, t, body, existing):
    region = regions.region_of(engine.location_of(t, body))
    for pool in get_path(body, "properties.agentPoolProfiles") or []:
        if region and isinstance(pool, dict) and not engine.store.get(f"{t.rid}/agentPools/{pool.get('name')}"):
            _check_pool_size(engine, t, region, pool.get("name"), pool, existing["body"] if existing else dict(body, name=t.name))


@on_put("Microsoft.ContainerService/managedClusters/agentPools")
def _pool_size(engine, t, body, existing):
    region = regions.region_of(engine.location_of(t))
    if region and not existing:
        _check_pool_size(engine, t, region, t.name, body.get("properties") or {}, engine.store.get(t.parent)["body"])


@on_put("Microsoft.KeyVault/vaults")
def _vault(engine, t, body, existing):
    if get_path(body, "properties.enablePurgeProtection") is False:
        raise ApiError(400, "BadRequest", 'The property "enablePurgeProtection" cannot be set to false. Enabling the purge '
                                          "protection for a vault is an irreversible action.")


# -- Azure Cache for Redis ----------------------------------------------------------------------
REDIS = "Microsoft.Cache/redis"
REDIS_TIERS = ("basic", "standard", "premium")
REDIS_FAMILIES = {"basic": "c", "standard": "c", "premium": "p"}
REDIS_STORAGE = {"RDB": "rdb-storage-connection-string", "AOF": "aof-storage-connection-string-0"}


def _redis_props(body: dict) -> tuple:
    props = body.get("properties") or {}
    config = props.get("redisConfiguration") or {}
    persistence = [m for m, key in (("RDB", "rdb-backup-enabled"), ("AOF", "aof-backup-enabled"))
                   if str(config.get(key, "")).lower() == "true"]
    return props, str(get_path(props, "sku.name", "")).lower(), persistence


def _redis_message(text: str) -> str:
    """The cache RP ends each error message with a line naming the request, as its answers on record show."""
    return f"{text}\r\nRequestID={uuid.uuid4()}"


@on_put(REDIS)
def _redis(engine, t, body, existing):
    props, tier, persistence = _redis_props(body)
    if persistence == ["RDB", "AOF"]:
        raise _bad("BadRequest", "RDB and AOF persistence cannot be enabled at the same time; enable one of them.")
    if existing:
        before = existing["body"]
        old_tier = str(get_path(before, "properties.sku.name", "")).lower()
        if tier in REDIS_TIERS and old_tier in REDIS_TIERS and REDIS_TIERS.index(tier) < REDIS_TIERS.index(old_tier):
            raise _bad("BadRequest", f"Scaling from {get_path(before, 'properties.sku.name')} to "
                                     f"{get_path(props, 'sku.name')} is not supported; a cache can only move to a higher tier.")
        if "zones" in body and sorted(body.get("zones") or []) != sorted(before.get("zones") or []):
            raise _bad("BadRequest", "Availability zones of a cache cannot be changed after it is created.")
        if persistence and get_path(before, "properties.linkedServers"):
            raise _bad("BadRequest", "Data persistence cannot be enabled on a geo-replicated cache; unlink the cache first.")
    family = str(get_path(props, "sku.family", "")).lower()
    if tier in REDIS_FAMILIES and family and family != REDIS_FAMILIES[tier]:
        # Azure's wording (Azure/azure-cli #2902, Azure/azure-powershell #9510); its code was not shown there.
        raise _bad("BadRequest", _redis_message("Exception of type 'AzCacheRP.Exceptions.SkuFamilyNotSupportedException' "
                                                "was thrown."))
    premium_only = [name for name, value in (("shardCount", props.get("shardCount")), ("data persistence", persistence)) if value]
    if tier in ("basic", "standard") and premium_only:
        raise _bad("BadRequest", f"{', '.join(premium_only)} is only supported for Premium caches.")
    already = _redis_props(existing["body"])[2] if existing else []
    config = props.get("redisConfiguration") or {}
    for method in persistence:
        if method not in already and not config.get(REDIS_STORAGE[method]):
            # Azure's answer for RDB (hashicorp/terraform-provider-azurerm PR 6819); AOF answered alike by analogy.
            raise _bad("InvalidRequestBody", f"The value of the parameter 'properties.redisConfiguration."
                                             f"{REDIS_STORAGE[method]}' is invalid.")


@on_delete(REDIS)
def _redis_linked(engine, rec):
    if get_path(rec["body"], "properties.linkedServers"):
        raise _bad("BadRequest", f"Cache '{rec['body']['name']}' is geo-replicated; remove the geo-replication link "
                                 f"before deleting either cache.")


@on_put(REDIS + "/linkedServers")
def _redis_link(engine, t, body, existing):
    primary = engine.store.get(t.parent)["body"]
    linked_id = get_path(body, "properties.linkedRedisCacheId")
    secondary = engine.store.get(linked_id) if isinstance(linked_id, str) else None
    if secondary is None:
        raise ApiError(404, "ResourceNotFound", f"The Resource '{linked_id}' was not found.")
    secondary = secondary["body"]
    if str(get_path(body, "properties.serverRole", "")).lower() != "secondary":
        raise _bad("BadRequest", "The linked cache's serverRole must be Secondary.")
    for cache in (primary, secondary):
        tier, persistence = _redis_props(cache)[1:]
        if tier != "premium":
            raise _bad("BadRequest", f"Geo-replication is only supported for Premium caches; '{cache['name']}' is not.")
        if persistence:
            raise _bad("BadRequest", f"Geo-replication is not supported with data persistence; disable it on '{cache['name']}'.")
    # Microsoft Learn "Configure passive geo-replication ...": the secondary is the same size or larger; a clustered
    # pair has the same number of shards.
    sizes = [get_path(cache, "properties.sku.capacity") or 0 for cache in (primary, secondary)]
    if sizes[1] < sizes[0]:
        raise _bad("BadRequest", f"The linked cache must be the same size as the primary cache or larger: "
                                 f"'{secondary['name']}' is P{sizes[1]}, '{primary['name']}' is P{sizes[0]}.")
    if get_path(primary, "properties.shardCount") != get_path(secondary, "properties.shardCount"):
        raise _bad("BadRequest", "The linked cache must have the same shardCount as the primary cache.")
    if not existing and get_path(secondary, "properties.linkedServers"):
        # Azure's answer as captured in crossplane-contrib/provider-upjet-azure #16: the cache RP's refusal of the
        # replication, wrapped by the linkedServers front end into a 400 InvalidRequestBody.
        inner = json.dumps({"error": {"code": "BadRequest", "message": _redis_message(
            "Cannot create geo-replication link, since this cache is already linked to another cache."), "target": None}})
        raise _bad("InvalidRequestBody", _redis_message(f"The value of the parameter 'ExternalReplication request failed "
                                                        f"with errorcode: BadRequest\r\n, Details: {inner}' is invalid."))


@on_delete(REDIS + "/linkedServers")
def _redis_unlink(engine, rec):
    """A link still being created (or removed) cannot be removed: Azure answers 409 until its operation ends."""
    state = str(get_path(rec["body"], "properties.provisioningState", "Succeeded"))
    if state.lower() not in ("succeeded", "failed"):
        raise ApiError(409, "Conflict", f"The geo-replication link '{rec['body']['name']}' is {state}; remove it once "
                                        f"its operation has completed.")


# -- Azure Database for PostgreSQL flexible server -----------------------------------------------
# Sources and confirmation of each code in docs/sandbox.md ("PostgreSQL flexible server").
POSTGRES = "Microsoft.DBforPostgreSQL/flexibleServers"
PG_TIER_PREFIX = {"burstable": "standard_b", "generalpurpose": "standard_d", "memoryoptimized": "standard_e"}
PG_RESERVED_LOGINS = ("azure_superuser", "azure_pg_admin", "admin", "administrator", "root", "guest", "public")
PG_STORAGE_DOC = "https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-compute-storage"
PG_COMPUTE_DOC = PG_STORAGE_DOC + "#compute-tiers-vcores-and-server-types"
PG_NEWEST_MAJOR = 18  # a version PATCH names the major versions above the server's, up to this one


def _pg_password(password) -> None:
    classes = sum(1 for test in (str.isupper, str.islower, str.isdigit) if any(test(c) for c in password))
    classes += 1 if any(not c.isalnum() for c in password) else 0
    if not 8 <= len(password) <= 128 or classes < 3:
        raise _bad("PasswordNotComplex", "The password does not meet the password policy: it must be 8 to 128 characters "
                                         "long and contain characters from three of the following categories: English "
                                         "uppercase letters, English lowercase letters, numbers (0-9), and non-alphanumeric "
                                         "characters (!, $, #, %, etc.).")


def _pg_source(engine, props: dict) -> dict:
    source = engine.store.get(props.get("sourceServerResourceId")) if isinstance(props.get("sourceServerResourceId"), str) else None
    if source is None:
        raise ApiError(404, "ResourceNotFound", f"The Resource '{props.get('sourceServerResourceId')}' was not found.")
    return source["body"]


def _pg_create(engine, t, body: dict) -> None:
    props = body.get("properties") or {}
    mode = str(props.get("createMode", "Default")).lower()
    if mode in ("default", "create"):
        login = str(props.get("administratorLogin") or "")
        if login.lower() in PG_RESERVED_LOGINS or login.lower().startswith("pg_"):
            raise _bad("InvalidAdministratorLogin", f"The administrator login '{login}' is reserved. Choose a different "
                                                    f"login name.")
        if props.get("administratorLoginPassword") is not None:
            _pg_password(str(props["administratorLoginPassword"]))
    if mode == "replica":
        source = _pg_source(engine, props)
        if populate.pg_is_replica(source):
            raise _bad("ReplicaOfReplicaNotSupported", f"Server '{source['name']}' is a read replica. Creating a replica "
                                                       f"of a replica is not supported.")
        replicas = [r for r in engine.store.find(POSTGRES)
                    if str(get_path(r["body"], "properties.sourceServerResourceId", "")).lower() == source["id"].lower()]
        if len(replicas) >= populate.PG_REPLICA_CAPACITY:
            raise _bad("ReplicaCapacityExceeded", f"Server '{source['name']}' already has {len(replicas)} read replicas, "
                                                  f"the most a server can have.")
        if str(get_path(props, "highAvailability.mode", "Disabled")).lower() != "disabled":
            raise _bad("HANotSupportedForReplica", "High availability is not supported on a read replica.")
    if mode in ("pointintimerestore", "georestore"):
        source = _pg_source(engine, props)
        if mode == "georestore" and str(get_path(source, "properties.backup.geoRedundantBackup", "")).lower() != "enabled":
            raise _bad("GeoRestoreNotSupported", f"Server '{source['name']}' does not have geo-redundant backup enabled; "
                                                 f"geo-restore is not supported.")
        if mode == "pointintimerestore":
            if body.get("location") and _region(body["location"]) != _region(source.get("location") or ""):
                raise _bad("InvalidParameterValue", f"A point-in-time restore is created in the source server's region "
                                                    f"'{source.get('location')}'; use createMode GeoRestore to restore "
                                                    f"in '{body['location']}'.")
            _pg_restore_point(source, props.get("pointInTimeUTC"))


def _region(name: str) -> str:
    """A region in either form ('Korea South', 'koreasouth')."""
    return name.replace(" ", "").lower()


def _pg_restore_point(source: dict, point) -> None:
    """A point-in-time restore reaches from the source's earliestRestoreDate to now; Azure refuses any other moment."""
    moment = parse_time(point) if isinstance(point, str) else None
    earliest = parse_time(get_path(source, "properties.backup.earliestRestoreDate"))
    if moment is None or (earliest is not None and moment < earliest) or moment > datetime.now(timezone.utc):
        raise _bad("InvalidParameterValue", "Invalid value given for parameter PointInTimeUTC. Specify a valid parameter "
                                            f"value. The restore point must be between {get_path(source, 'properties.backup.earliestRestoreDate')} "
                                            "and the current time.")


@on_put(POSTGRES)
def _postgres(engine, t, body, existing):
    props = body.get("properties") or {}
    tier, size = str(get_path(body, "sku.tier", "")).lower(), str(get_path(body, "sku.name", "")).lower()
    if tier in PG_TIER_PREFIX and size and not size.startswith(PG_TIER_PREFIX[tier]):
        raise _bad("ServerEditionIncompatibleWithSkuSize", "The requested server edition is incompatible with requested "
                                                           f"Sku Size. Please refer {PG_COMPUTE_DOC}.")
    ha = str(get_path(props, "highAvailability.mode", "Disabled")).lower()
    if ha != "disabled" and tier == "burstable":
        raise _bad("HANotSupportedForBurstableSkuWithMoreInfo", "High availability not supported for burstable server.")
    zone = props.get("availabilityZone") or get_path(existing or {}, "body.properties.availabilityZone")
    standby = get_path(props, "highAvailability.standbyAvailabilityZone")
    if ha == "zoneredundant" and standby is not None and zone is not None and str(standby) == str(zone):
        raise _bad("InvalidParameterValue", "Invalid value given for parameter StandbyAvailabilityZone,availabilityZone. "
                                            "Specify a valid parameter value.")
    size_gb = get_path(props, "storage.storageSizeGB")
    if size_gb is not None and size_gb not in populate.PG_STORAGE_BASELINE:
        raise _bad("InvalidParameterValue", "Invalid value given for parameter StorageSizeGB. Specify a valid parameter value.")
    retention = get_path(props, "backup.backupRetentionDays")
    if retention is not None and not 7 <= retention <= 35:
        # Azure names the value where the parameter's name would be (Azure/bicep-types-az #2354).
        raise _bad("InvalidParameterValue", f"Invalid value given for parameter {retention}. Specify a valid parameter value.")
    if existing is None:
        _pg_create(engine, t, body)
        return
    before = existing["body"].get("properties") or {}
    if populate.pg_is_replica(existing["body"]) and ha != "disabled":
        raise _bad("HANotSupportedForReplica", "High availability is not supported on a read replica.")
    had = get_path(before, "storage.storageSizeGB")
    if size_gb is not None and had is not None and size_gb < had:
        raise _bad("StorageSizeDecreaseNotSupported", f"Requested data Disk size '{size_gb * 1024}' cannot be less than current "
                                                      f"size '{had * 1024}'. Please make sure to request correct disk size. "
                                                      f"Refer to {PG_STORAGE_DOC} for more details.")
    try:
        downgrade = int(props.get("version") or 0) < int(before.get("version") or 0)
    except ValueError:
        downgrade = False
    if downgrade:
        targets = ",".join(str(v) for v in range(int(before["version"]) + 1, PG_NEWEST_MAJOR + 1))
        raise _bad("ParameterOutOfRange", f"The value of the 'Version' should be in: [{targets}]. Verify that the specified "
                                          f"parameter value is correct.")
    for path, what in (("availabilityZone", "availability zone"), ("backup.geoRedundantBackup", "geo-redundant backup")):
        value, was = get_path(props, path), get_path(before, path)
        if value is not None and was is not None and str(value).lower() != str(was).lower():
            raise _bad("PropertyChangeNotAllowed", f"The {what} of a server is set when it is created and cannot be changed.")
    if props.get("administratorLoginPassword") is not None:
        _pg_password(str(props["administratorLoginPassword"]))


# -- Azure Monitor: action groups, alert rules, components, diagnostic settings, saved searches ----------------------
METRIC_FREQUENCIES = ("PT1M", "PT5M", "PT15M", "PT30M", "PT1H")
METRIC_WINDOWS = ("PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D")
ACTION_GROUP_SHORT_NAME_MAX = 12
COMPONENT_RETENTION_DAYS = (30, 60, 90, 120, 180, 270, 365, 550, 730)


def _minutes(duration) -> int | None:
    """Minutes of an ISO 8601 duration (PT5M, PT1H, P1D)."""
    m = re.match(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$", str(duration or ""))
    if not m or not any(m.groups()):
        return None
    d, h, mi = (int(x or 0) for x in m.groups())
    return d * 1440 + h * 60 + mi


def _global_only(t, body) -> None:
    if str(body.get("location", "")).lower() != "global":
        raise _bad("LocationNotAvailableForResourceType",
                   f"The provided location '{body.get('location')}' is not available for resource type "
                   f"'{t.type_name.lower()}'. List of available regions for the resource type is 'global'.")


def _severity(props) -> None:
    severity = props.get("severity")
    if not isinstance(severity, int) or isinstance(severity, bool) or not 0 <= severity <= 4:
        raise _bad("BadRequest", f"Severity '{severity}' is not valid; it must be an integer from 0 to 4.")


def _schedule(props, frequencies=None, windows=None) -> None:
    frequency, window = (str(props.get(k) or "").upper() for k in ("evaluationFrequency", "windowSize"))
    if frequencies and frequency not in frequencies:
        raise _bad("BadRequest", f"Evaluation frequency '{frequency}' is not supported. Supported values: "
                                 f"{', '.join(frequencies)}.")
    if windows and window not in windows:
        raise _bad("BadRequest", f"Window size '{window}' is not supported. Supported values: {', '.join(windows)}.")
    if _minutes(window) is not None and _minutes(frequency) is not None and _minutes(window) < _minutes(frequency):
        raise _bad("BadRequest", "Window size must be greater than or equal to evaluation frequency.")


@on_put("Microsoft.Insights/actionGroups")
def _action_group(engine, t, body, existing):
    _global_only(t, body)
    props = body.get("properties") or {}
    short = props.get("groupShortName")
    if not short:
        raise _bad("BadRequest", f"The group short name '{short}' is invalid: it is required and at most "
                                 f"{ACTION_GROUP_SHORT_NAME_MAX} characters long.")
    if len(short) > ACTION_GROUP_SHORT_NAME_MAX:  # Azure's answer: Azure/AzureMonitorStarterPacks #109, Azure/bellhop #72
        raise _bad("GroupShortNameIsTooLong", f"The action group short name '{short}' is too long. Please specify a "
                                              f"short name with '{ACTION_GROUP_SHORT_NAME_MAX}' or less characters.")
    if props.get("enabled") is None:
        raise _bad("BadRequest", "The 'enabled' property is required.")


@on_put("Microsoft.Insights/metricAlerts")
def _metric_alert(engine, t, body, existing):
    _global_only(t, body)
    props = body.get("properties") or {}
    if props.get("enabled") is None:
        raise _bad("BadRequest", "The 'enabled' property is required.")
    _severity(props)
    _schedule(props, METRIC_FREQUENCIES, METRIC_WINDOWS)
    if not props.get("scopes"):
        raise _bad("BadRequest", "Scopes cannot be empty.")
    for action in props.get("actions") or []:
        if not _exists(engine, action.get("actionGroupId")):
            raise _bad("BadRequest", f"Action group '{action.get('actionGroupId')}' could not be found.")


@on_put("Microsoft.Insights/scheduledQueryRules")
def _scheduled_query_rule(engine, t, body, existing):
    if str(body.get("kind", "LogAlert")).lower() not in ("logalert", "logtometric"):
        raise _bad("BadRequest", f"Kind '{body.get('kind')}' is not supported; use LogAlert or LogToMetric.")
    props = body.get("properties") or {}
    _severity(props)
    _schedule(props)
    if not props.get("scopes"):
        raise _bad("BadRequest", "Scopes cannot be empty.")
    for group in get_path(props, "actions.actionGroups", []) or []:
        if not _exists(engine, group):
            raise _bad("BadRequest", f"Action group '{group}' could not be found.")


@on_put("Microsoft.Insights/components")
def _component(engine, t, body, existing):
    props = body.get("properties") or {}
    if not body.get("kind") or not props.get("Application_Type"):
        raise _bad("BadRequest", "The 'kind' and 'properties.Application_Type' of a component are required.")
    retention = props.get("RetentionInDays")
    if retention is not None and retention not in COMPONENT_RETENTION_DAYS:
        raise _bad("BadRequest", f"RetentionInDays '{retention}' is not valid. Supported values: "
                                 f"{', '.join(map(str, COMPONENT_RETENTION_DAYS))}.")
    sampling = props.get("SamplingPercentage")
    if sampling is not None and not 0 < float(sampling) <= 100:
        raise _bad("BadRequest", f"SamplingPercentage '{sampling}' must be above 0 and at most 100.")
    workspace = props.get("WorkspaceResourceId")
    if workspace and not _exists(engine, workspace):
        raise _bad("BadRequest", f"The Log Analytics workspace '{workspace}' could not be found.")


@on_put("Microsoft.Insights/diagnosticSettings")
def _diagnostic_setting(engine, t, body, existing):
    diagnostics.check_setting(engine, t, body)


@on_put("Microsoft.OperationalInsights/workspaces/savedSearches")
def _saved_search(engine, t, body, existing):
    props = body.get("properties") or {}
    missing = [k for k in ("category", "displayName", "query") if not props.get(k)]
    if missing:
        raise _bad("BadRequest", f"The saved search is missing the required properties: {', '.join(missing)}.")


# -- Application Gateway v2 and its WAF policy ---------------------------------------------------
# Sources and confirmation of each code in docs/sandbox.md ("Application Gateway").
GATEWAY = "Microsoft.Network/applicationGateways"
GATEWAY_REFERENCES = (  # collection, reference field, collection it points into
    ("httpListeners", "frontendIPConfiguration", "frontendIPConfigurations"),
    ("httpListeners", "frontendPort", "frontendPorts"),
    ("httpListeners", "sslCertificate", "sslCertificates"),
    ("backendHttpSettingsCollection", "probe", "probes"),
    ("urlPathMaps", "defaultBackendAddressPool", "backendAddressPools"),
    ("urlPathMaps", "defaultBackendHttpSettings", "backendHttpSettingsCollection"),
    ("requestRoutingRules", "httpListener", "httpListeners"),
    ("requestRoutingRules", "backendAddressPool", "backendAddressPools"),
    ("requestRoutingRules", "backendHttpSettings", "backendHttpSettingsCollection"),
    ("requestRoutingRules", "urlPathMap", "urlPathMaps"),
)


def _reference_not_found(target: str, referrer: str) -> ApiError:
    return _bad("InvalidResourceReference",
                f"Resource {target} referenced by resource {referrer} was not found. Please make sure that the "
                f"referenced resource exists, and that both resources are in the same region.")


def _gateway_items(props: dict, collection: str) -> list:
    return [item for item in props.get(collection) or [] if isinstance(item, dict)]


def _check_gateway_sku(t, props: dict, existing) -> None:
    tier = str(get_path(props, "sku.tier") or get_path(props, "sku.name") or "")
    policy = get_path(props, "firewallPolicy.id")
    if policy and tier.lower() not in ("waf_v2",):
        raise _bad("ApplicationGatewayFirewallPolicyNotSupportedForSelectedSku",
                   f"Application Gateway {t.rid} with the selected SKU tier {tier} cannot be associated with the "
                   f"firewall policy {policy}; only the WAF_v2 tier supports a WAF policy.")
    if tier.lower() == "waf_v2" and not policy and not props.get("webApplicationFirewallConfiguration"):
        raise _bad("ApplicationGatewayFirewallNotConfiguredForSelectedSku",
                   f"Application Gateway {t.rid} with the selected SKU tier WAF_v2 must have a valid WAF policy or "
                   f"configuration")
    had = get_path((existing or {}).get("body") or {}, "properties.firewallPolicy.id")
    if had and not policy:
        raise _bad("ApplicationGatewayFirewallPolicyCannotBeRemoved",
                   f"Firewall policy {had} cannot be removed from Application Gateway, changing from one firewall "
                   f"policy to another is permitted.")


def _check_gateway_subnet(engine, t, props: dict) -> None:
    """The gateway subnet exists, is used by gateways only, and holds the private frontend IPs."""
    for config in _gateway_items(props, "gatewayIPConfigurations"):
        subnet_id = get_path(config, "properties.subnet.id")
        subnet = engine.store.get(subnet_id) if isinstance(subnet_id, str) else None
        if subnet is None:
            raise _reference_not_found(subnet_id, f"{t.rid}/gatewayIPConfigurations/{config.get('name')}")
        if get_path(subnet["body"], "properties.delegations"):
            raise _bad("ApplicationGatewaySubnetCannotHaveDelegations",
                       f"Subnet {subnet_id} used by Application Gateway {t.rid} cannot have delegations.")
        others = [r["id"] for r in engine.store.find("Microsoft.Network/privateEndpoints")
                  if str(get_path(r["body"], "properties.subnet.id", "")).lower() == subnet_id.lower()]
        others += [r["id"] for r in engine.store.find("Microsoft.ContainerService/managedClusters/agentPools")
                   if str(get_path(r["body"], "properties.vnetSubnetID", "")).lower() == subnet_id.lower()]
        if others:
            raise _bad("ApplicationGatewaySubnetCannotBeUsedByOtherResources",
                       f"Subnet {subnet_id} cannot be used for Application Gateway {t.rid} because it is used by other "
                       f"resources: {', '.join(others)}. The Application Gateway subnet is dedicated to gateways.")
        network = ipaddress.ip_network(get_path(subnet["body"], "properties.addressPrefix"), strict=False)
        for frontend in _gateway_items(props, "frontendIPConfigurations"):
            address = get_path(frontend, "properties.privateIPAddress")
            if address and ipaddress.ip_address(address) not in network:
                raise _bad("PrivateIPAddressNotInSubnet",
                           f"Private static IP address {address} does not belong to the range of subnet prefix "
                           f"{network} of {t.rid}/frontendIPConfigurations/{frontend.get('name')}.")


def _check_gateway_links(engine, t, body: dict, props: dict) -> None:
    """Other resources' ids resolve; references between the gateway's own items name items of the body."""
    outside = [(get_path(f, "properties.publicIPAddress.id"), f"{t.rid}/frontendIPConfigurations/{f.get('name')}")
               for f in _gateway_items(props, "frontendIPConfigurations")]
    outside.append((get_path(props, "firewallPolicy.id"), t.rid))
    outside += [(identity, t.rid) for identity in get_path(body, "identity.userAssignedIdentities") or {}]
    for target, referrer in outside:
        if target and not _exists(engine, target):
            raise _reference_not_found(target, referrer)
    for collection, field, into in GATEWAY_REFERENCES:
        names = {str(item.get("name", "")).lower() for item in _gateway_items(props, into)}
        for item in _gateway_items(props, collection):
            target = get_path(item, f"properties.{field}.id")
            if target and (not target.lower().startswith(t.rid.lower() + "/") or _leaf(target).lower() not in names):
                raise _reference_not_found(target, f"{t.rid}/{collection}/{item.get('name')}")
    for listener in _gateway_items(props, "httpListeners"):
        if str(get_path(listener, "properties.protocol", "")).lower() == "https" and \
                not get_path(listener, "properties.sslCertificate.id"):
            raise _bad("ApplicationGatewayHttpsListenerMustReferenceSslCert",
                       f"Https listener {t.rid}/httpListeners/{listener.get('name')} must reference an SSL certificate.")
    vault_certificates = [c.get("name") for c in _gateway_items(props, "sslCertificates")
                          if get_path(c, "properties.keyVaultSecretId")]
    if vault_certificates and not get_path(body, "identity.userAssignedIdentities"):
        raise _bad("ApplicationGatewayKeyVaultSecretRequiresUserAssignedIdentity",
                   f"Application Gateway {t.rid} reads certificates {', '.join(vault_certificates)} from Key Vault and "
                   f"needs a user-assigned identity with access to them.")


def _check_gateway_rules(t, props: dict) -> None:
    taken = {}
    for rule in _gateway_items(props, "requestRoutingRules"):
        rid = f"{t.rid}/requestRoutingRules/{rule.get('name')}"
        priority = get_path(rule, "properties.priority")
        if priority is None:
            raise _bad("ApplicationGatewayRequestRoutingRulePriorityCannotBeEmpty",
                       f"Priority for the request routing rule {rid} cannot be empty. All request routing rules should "
                       f"have a priority defined starting from api-version 2021-08-01")
        if priority in taken:
            raise _bad("ApplicationGatewayRequestRoutingRulesWithSamePriority",
                       f"Request routing rules {taken[priority]} and {rid} have the same priority {priority}; each rule "
                       f"needs its own priority.")
        taken[priority] = rid


@on_put(GATEWAY)
def _gateway(engine, t, body, existing):
    props = body.get("properties") or {}
    _check_gateway_sku(t, props, existing)
    _check_gateway_links(engine, t, body, props)
    _check_gateway_subnet(engine, t, props)
    _check_gateway_rules(t, props)
    if existing and sorted(existing["body"].get("zones") or []) != sorted(body.get("zones") or []):
        raise _bad("ApplicationGatewayZonesCannotBeModified",
                   f"Availability zones of Application Gateway {t.rid} are set at creation and cannot be changed.")


@on_put(populate.WAF_POLICY)
def _waf_policy(engine, t, body, existing):
    """Azure asks a managed rule set of every policy and a value in every match condition."""
    props = body.get("properties") or {}
    if not get_path(props, "managedRules.managedRuleSets"):
        raise _bad("ManagedRuleSetsRequired", f"Web application firewall policy {t.rid} must have at least one "
                                              f"managed rule set.")
    for rule in props.get("customRules") or []:
        for condition in rule.get("matchConditions") or []:
            if str(condition.get("operator", "")).lower() != "any" and not condition.get("matchValues"):
                raise _bad("ApplicationGatewayFirewallCustomRuleMatchValuesMissing",
                           f"Custom rule {rule.get('name')} of policy {t.rid} has a match condition without match "
                           f"values; give at least one.")


# -- Azure Front Door Standard/Premium (Microsoft.Cdn) and its WAF policies ---------------------------
AFD_PROFILE = "Microsoft.Cdn/profiles"
AFD_ENDPOINT = "Microsoft.Cdn/profiles/afdEndpoints"
AFD_ORIGIN_GROUP = "Microsoft.Cdn/profiles/originGroups"
AFD_ORIGIN = "Microsoft.Cdn/profiles/originGroups/origins"
AFD_ROUTE = "Microsoft.Cdn/profiles/afdEndpoints/routes"
AFD_SECURITY_POLICY = "Microsoft.Cdn/profiles/securityPolicies"
FD_WAF_POLICY = "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies"
AFD_SKUS = ("standard_azurefrontdoor", "premium_azurefrontdoor")
FD_WAF_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,127}$")


def _afd_profile_of(engine, rid: str) -> dict | None:
    """The profile record a Front Door child id lives under."""
    low = rid.lower()
    cut = low.find("/", low.find("/providers/microsoft.cdn/profiles/") + len("/providers/microsoft.cdn/profiles/"))
    return engine.store.get(rid[:cut] if cut > 0 else rid)


def _in_range(value, low: int, high: int) -> bool:
    return value is None or (isinstance(value, int) and low <= value <= high)


@on_put(AFD_PROFILE)
def _afd_profile(engine, t, body, existing):
    sku = str(get_path(body, "sku.name", "") or "")
    if not sku:
        raise _bad("BadRequest", "The sku property is required for a profile.")
    if sku.lower() not in AFD_SKUS:
        return  # a classic CDN profile: not Front Door's rules
    if str(body.get("location", "global")).lower() != "global":
        raise _bad("BadRequest", f"Profile location '{body.get('location')}' is not supported for SKU '{sku}'; "
                                 "Azure Front Door profiles are global (location 'Global').")
    was = get_path(existing or {}, "body.sku.name")
    if was and str(was).lower() != sku.lower():
        raise _bad("BadRequest", f"The SKU of profile '{t.name}' cannot be changed from '{was}' to '{sku}' with an "
                                 "update; use the profile upgrade operation.")
    if not _in_range(get_path(body, "properties.originResponseTimeoutSeconds"), 16, 240):
        raise _bad("BadRequest", "The originResponseTimeoutSeconds must be between 16 and 240.")


@on_put(AFD_ENDPOINT)
def _afd_endpoint(engine, t, body, existing):
    if str(body.get("location", "global")).lower() != "global":
        raise _bad("BadRequest", f"Endpoint location '{body.get('location')}' is not supported; AFD endpoints are "
                                 "global (location 'Global').")


@on_put(AFD_ORIGIN_GROUP)
def _afd_origin_group(engine, t, body, existing):
    probe = get_path(body, "properties.healthProbeSettings") or {}
    if not _in_range(probe.get("probeIntervalInSeconds"), 1, 255):
        raise _bad("BadRequest", "The probeIntervalInSeconds must be between 1 and 255.")
    for key, allowed in (("probeProtocol", ("NotSet", "Http", "Https")), ("probeRequestType", ("NotSet", "GET", "HEAD"))):
        if probe.get(key) is not None and probe[key] not in allowed:
            raise _bad("BadRequest", f"The value '{probe[key]}' is not valid for {key}; allowed: {', '.join(allowed)}.")


@on_put(AFD_ORIGIN)
def _afd_origin(engine, t, body, existing):
    props = body.get("properties") or {}
    if not props.get("hostName"):
        raise _bad("BadRequest", "The hostName property is required for an origin.")
    if not _in_range(props.get("priority"), 1, 5):
        raise _bad("BadRequest", "The priority of an origin must be between 1 and 5.")
    if not _in_range(props.get("weight"), 1, 1000):
        raise _bad("BadRequest", "The weight of an origin must be between 1 and 1000.")


@on_put(AFD_ROUTE)
def _afd_route(engine, t, body, existing):
    props = body.get("properties") or {}
    group = get_path(props, "originGroup.id")
    if not group:
        raise _bad("BadRequest", "The originGroup property is required for a route.")
    profile = _afd_profile_of(engine, t.rid)
    if not _exists(engine, group) or profile is None or not group.lower().startswith(profile["id"].lower() + "/"):
        raise _bad("BadRequest", f"The origin group '{group}' does not exist in profile "
                                 f"'{(profile or {}).get('body', {}).get('name')}'.")
    patterns = props.get("patternsToMatch") or []
    bad = [p for p in patterns if not str(p).startswith("/")]
    if bad:
        raise _bad("BadRequest", f"The patternsToMatch value '{bad[0]}' is not valid; a pattern starts with '/'.")
    mine = _afd_route_combinations(t.parent, props)
    for other in engine.store.find(AFD_ROUTE, parent=t.parent):
        if other["id"].lower() == t.rid.lower():
            continue
        theirs = {key for key, *_names in _afd_route_combinations(t.parent, other["body"].get("properties") or {})}
        shared = [combination for combination in mine if combination[0] in theirs]
        if shared:
            _key, domain, pattern, protocol = shared[0]
            endpoint = _leaf(t.parent)
            raise _bad("BadRequest", f"The route domains, paths and protocols configuration has a conflict. More "
                                     f"information: Domain: {domain}, Path pattern: {pattern}, Protocol: {protocol} cannot "
                                     f"be added to Route {t.name} as this combination already exists in Endpoint "
                                     f"{endpoint}, Route {other['body']['name']}..")


def _afd_route_combinations(endpoint_id: str, props: dict) -> list:
    """Each (domain, path pattern, protocol) a route serves, keyed without case, with the names Azure's answer shows.

    Azure refuses a route only when another route of the endpoint already has one of these combinations
    (Azure/bicep #13502). The endpoint's own domain, named after the endpoint, counts when the route links to it;
    missing fields take the defaults the sandbox stores (linkToDefaultDomain Disabled, both protocols).
    """
    domains = [(d["id"].lower(), _leaf(d["id"])) for d in props.get("customDomains") or [] if isinstance(d, dict) and d.get("id")]
    if str(props.get("linkToDefaultDomain") or "Disabled").lower() == "enabled":
        domains.insert(0, (endpoint_id.lower(), _leaf(endpoint_id)))
    return [((domain_key, str(pattern).lower(), str(protocol).lower()), domain, pattern, protocol)
            for domain_key, domain in domains for pattern in props.get("patternsToMatch") or ["/*"]
            for protocol in props.get("supportedProtocols") or ["Http", "Https"]]


@on_put(AFD_SECURITY_POLICY)
def _afd_security_policy(engine, t, body, existing):
    params = get_path(body, "properties.parameters") or {}
    if params.get("type") != "WebApplicationFirewall":
        return
    waf_id = get_path(params, "wafPolicy.id")
    waf = engine.store.get(waf_id) if isinstance(waf_id, str) else None
    if waf is None:
        raise _bad("BadRequest", f"The WAF policy '{waf_id}' does not exist.")
    profile = engine.store.get(t.parent)
    waf_sku, profile_sku = get_path(waf["body"], "sku.name"), get_path((profile or {}).get("body", {}), "sku.name")
    if str(waf_sku).lower() != str(profile_sku).lower():
        raise _bad("BadRequest", f"The WAF policy SKU '{waf_sku}' does not match the profile SKU '{profile_sku}'.")
    for association in params.get("associations") or []:
        for domain in association.get("domains") or []:
            if not _exists(engine, domain.get("id")):
                raise _bad("BadRequest", f"The domain '{domain.get('id')}' does not exist in profile '{_leaf(t.parent)}'.")


@on_put(FD_WAF_POLICY)
def _fd_waf_policy(engine, t, body, existing):
    if not FD_WAF_NAME.match(t.name):
        raise _bad("BadRequest", f"The policy name '{t.name}' is not valid. It must begin with a letter and contain only "
                                 "letters and numbers, up to 128 characters.")
    sku = str(get_path(body, "sku.name", "") or "")
    if sku.lower() not in AFD_SKUS + ("classic_azurefrontdoor",):
        raise _bad("BadRequest", f"The sku '{sku}' is not valid for a Front Door WAF policy.")
    mode = get_path(body, "properties.policySettings.mode")
    if mode is not None and mode not in ("Prevention", "Detection"):
        raise _bad("BadRequest", f"The policy mode '{mode}' is not valid; use Prevention or Detection.")
    for rule_set in get_path(body, "properties.managedRules.managedRuleSets") or []:
        kind = str(rule_set.get("ruleSetType", ""))
        if kind.lower().startswith("microsoft_") and sku.lower() != "premium_azurefrontdoor":
            raise _bad("BadRequest", f"The managed rule set '{kind}' requires the Premium_AzureFrontDoor SKU.")
    names, priorities = set(), set()
    for rule in get_path(body, "properties.customRules.rules") or []:
        if str(rule.get("name", "")).lower() in names or rule.get("priority") in priorities:
            raise _bad("BadRequest", f"Custom rule '{rule.get('name')}' repeats the name or priority of another rule.")
        names.add(str(rule.get("name", "")).lower())
        priorities.add(rule.get("priority"))


@on_delete(FD_WAF_POLICY)
def _fd_waf_policy_in_use(engine, rec):
    links = get_path(rec["body"], "properties.securityPolicyLinks") or []
    if links:
        raise _bad("BadRequest", f"The policy '{rec['body']['name']}' is in use by the security policy "
                                 f"'{links[0]['id']}' and cannot be deleted; remove the association first.")


@on_delete(AFD_ORIGIN_GROUP)
def _afd_origin_group_in_use(engine, rec):
    profile = _afd_profile_of(engine, rec["id"])
    for route in engine.store.find(AFD_ROUTE, prefix=profile["id"] + "/") if profile else []:
        if str(get_path(route["body"], "properties.originGroup.id", "")).lower() == rec["id"].lower():
            raise _bad("BadRequest", f"The origin group '{rec['body']['name']}' is used by route "
                                     f"'{route['body']['name']}' and cannot be deleted.")


# -- managed Prometheus: Azure Monitor workspace, data collection endpoint/rule/association -----------------------
# Codes as the Microsoft.Monitor and Microsoft.Insights providers answer them (docs/sandbox.md, "Managed Prometheus").
MONITOR_WORKSPACE = "Microsoft.Monitor/accounts"
MONITOR_WORKSPACE_REGIONS = {r for r in regions.physical_names() if r != "koreasouth"}
DCR_KINDS = ("linux", "windows")
ENDPOINT_ASSOCIATION = "configurationAccessEndpoint"
KSM_ALLOWLIST = re.compile(r"^([a-z][a-z0-9]*=\[[^\[\]]+\](,[a-z][a-z0-9]*=\[[^\[\]]+\])*)?$")


def _invalid_payload(detail: str) -> ApiError:
    return _bad("InvalidPayload", f"Data collection rule is invalid. {detail}")


@on_put(MONITOR_WORKSPACE)
def _monitor_workspace(engine, t, body, existing):
    location = normalize_location(body.get("location", ""))
    if location not in MONITOR_WORKSPACE_REGIONS:
        raise _bad("LocationNotAvailableForResourceType",
                   f"The provided location '{body.get('location')}' is not available for resource type "
                   f"'{MONITOR_WORKSPACE}'. List of available regions for the resource type is "
                   f"'{','.join(sorted(MONITOR_WORKSPACE_REGIONS))}'.")
    access = get_path(body, "properties.publicNetworkAccess")
    if access is not None and access not in ("Enabled", "Disabled"):
        raise _bad("BadRequest", f"The value '{access}' of publicNetworkAccess is not valid; use Enabled or Disabled.")


@on_put("Microsoft.Insights/dataCollectionEndpoints")
def _data_collection_endpoint(engine, t, body, existing):
    kind = body.get("kind")
    if kind is not None and str(kind).lower() not in DCR_KINDS:
        raise _bad("InvalidPayload", f"Data collection endpoint kind '{kind}' is not valid; use Linux or Windows.")
    access = get_path(body, "properties.networkAcls.publicNetworkAccess")
    if access is not None and access not in ("Enabled", "Disabled", "SecuredByPerimeter"):
        raise _bad("InvalidPayload", f"The value '{access}' of networkAcls.publicNetworkAccess is not valid.")


@on_put("Microsoft.Insights/dataCollectionRules")
def _data_collection_rule(engine, t, body, existing):
    """Streams flow from a declared data source to a declared destination, each destination exists."""
    props = body.get("properties") or {}
    kind = body.get("kind")
    if kind is not None and str(kind).lower() not in DCR_KINDS:
        raise _invalid_payload(f"Kind '{kind}' is not valid; use Linux or Windows.")
    endpoint = props.get("dataCollectionEndpointId")
    if endpoint and not _exists(engine, endpoint):
        raise _invalid_payload(f"The data collection endpoint '{endpoint}' could not be found.")
    sources = [s for group in (props.get("dataSources") or {}).values() for s in group or []]
    streams = {str(stream).lower() for source in sources for stream in source.get("streams") or []}
    destinations = {}
    for group, items in (props.get("destinations") or {}).items():
        for item in items or []:
            name = str(item.get("name", ""))
            if name.lower() in destinations:
                raise _invalid_payload(f"Destination name '{name}' is used more than once.")
            destinations[name.lower()] = (group, item)
    for group, item in destinations.values():
        account = item.get("accountResourceId") or item.get("workspaceResourceId")
        if account and not _exists(engine, account):
            raise _invalid_payload(f"The destination '{item.get('name')}' refers to '{account}', which could not be found.")
    if not props.get("dataFlows"):
        raise _invalid_payload("At least one data flow is required.")
    for flow in props["dataFlows"]:
        for stream in flow.get("streams") or []:
            if str(stream).lower() not in streams:
                raise _invalid_payload(f"Stream '{stream}' of a data flow is not declared by any data source.")
        for name in flow.get("destinations") or []:
            if str(name).lower() not in destinations:
                raise _invalid_payload(f"Destination '{name}' of a data flow is not declared in 'destinations'.")


@on_put("Microsoft.Insights/dataCollectionRuleAssociations")
def _data_collection_rule_association(engine, t, body, existing):
    props = body.get("properties") or {}
    rule, endpoint = props.get("dataCollectionRuleId"), props.get("dataCollectionEndpointId")
    if bool(rule) == bool(endpoint):
        raise _bad("InvalidPayload", "Exactly one of 'dataCollectionRuleId' and 'dataCollectionEndpointId' must be set.")
    if endpoint and t.name.lower() != ENDPOINT_ASSOCIATION.lower():
        raise _bad("InvalidPayload", f"An association with a data collection endpoint must be named "
                                     f"'{ENDPOINT_ASSOCIATION}'.")
    target = rule or endpoint
    if not _exists(engine, target):
        raise _bad("InvalidPayload", f"The resource '{target}' could not be found.")


@on_put("Microsoft.ContainerService/managedClusters")
def _aks_prometheus(engine, t, body, existing):
    state = get_path(body, "properties.azureMonitorProfile.metrics.kubeStateMetrics") or {}
    for key in ("metricLabelsAllowlist", "metricAnnotationsAllowList"):
        value = state.get(key)
        if value is not None and not KSM_ALLOWLIST.match(value):
            raise _bad("InvalidParameter", f"The value '{value}' of azureMonitorProfile.metrics.kubeStateMetrics.{key} "
                                           f"is not valid; use resource=[key,...] entries separated by commas.")
# -- Azure Monitor workbooks (workbooks.py) ------------------------------------------------------------------------
@on_put(workbooks.WORKBOOK)
def _workbook(engine, t, body, existing):
    workbooks.check_put(engine, t, body)
