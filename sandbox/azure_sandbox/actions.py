"""Type-specific ARM endpoints beyond CRUD.

* POST actions on a resource (AKS credentials, node image upgrade, Redis
  keys, ...), registered with ``@register_action(type, name)``;
* GETs of computed sub-resources (AKS upgrade profiles, PostgreSQL replicas
  and backups, role definitions, deleted vaults);
* subscription/location endpoints (LRO status, AKS versions, deleted vaults);
* side effects of deletion (Key Vault soft delete).
"""

import base64
import copy
import re
import time

from . import backing, costs, defender, diagnostics, monitor, pg_backups, pg_failover, populate, regions, roles, workbooks
from .messages import ApiError, Response
from .populate import random_key
from .util import get_path, now_iso, set_path

ACTIONS = {}


def register_action(type_name: str, *names: str):
    def register(fn):
        for n in names:
            ACTIONS[(type_name.lower(), n.lower())] = fn
        return fn
    return register


# -- dispatch entry points (called by arm.Engine) -------------------------------


def action(engine, t, req):
    fn = ACTIONS.get((t.type_name.lower(), t.action.lower()))
    if fn is None:
        raise ApiError(404, "NotFound", f"The action '{t.action}' is not supported on '{t.type_name}'.")
    return fn(engine, t, req)


def virtual_get(engine, t, req):
    tl = t.type_name.lower()
    if tl.endswith("/upgradeprofiles"):
        return Response(200, _upgrade_profile(engine, t))
    if tl == "microsoft.dbforpostgresql/flexibleservers/configurations" and not engine.store.get(t.rid):
        body = implicit_body(engine, t)
        return Response(200, body) if body else None
    if tl == "microsoft.authorization/roledefinitions":
        found = roles.role_definition(engine.subscription, t.name)
        if found is None and not engine.store.get(t.rid):
            raise ApiError(404, "RoleDefinitionDoesNotExist", "The specified role definition with ID '%s' does not exist." % t.name)
        return Response(200, found) if found else None
    if tl == "microsoft.resourcehealth/availabilitystatuses":
        return monitor.get_availability(engine, t)
    return None


def virtual_list(engine, t, req):
    tl = t.type_name.lower()
    if tl == "microsoft.compute/skus":
        return compute_skus(engine, req)
    if tl == "microsoft.authorization/roledefinitions":
        return engine.list_response(req, roles.list_role_definitions(engine.subscription, req.query.get("$filter")), rendered=True)
    if tl == "microsoft.dbforpostgresql/flexibleservers/replicas":
        recs = [r for r in engine.store.find("Microsoft.DBforPostgreSQL/flexibleServers")
                if str(get_path(r["body"], "properties.sourceServerResourceId", "")).lower() == t.rid.lower()]
        return engine.list_response(req, recs)
    if tl == "microsoft.dbforpostgresql/flexibleservers/backups":
        server = engine.store.get(t.rid)
        auto = pg_backups.automatic(server["id"], server["body"], engine.store.config)
        stored = [engine.render(r) for r in engine.store.find(t.type_name, parent=t.rid)]
        return engine.list_response(req, auto + stored, rendered=True)
    if tl == "microsoft.dbforpostgresql/flexibleservers/configurations":
        stored = {r["body"]["name"].lower(): engine.render(r) for r in engine.store.find(t.type_name, parent=t.rid)}
        defaults = {n: _pg_default(engine, t.rid, n) for n in populate.PG_PARAMETERS if n not in stored}
        return engine.list_response(req, [v for _, v in sorted({**defaults, **stored}.items())], rendered=True)
    if tl == "microsoft.keyvault/deletedvaults":
        return engine.list_response(req, list(engine.store.state["deleted_vaults"].values()), rendered=True)
    if tl == "microsoft.insights/diagnosticsettingscategories":
        return diagnostics.list_categories(engine, t, req)
    if tl == "microsoft.security/alerts":
        return defender.listing(engine, t, req)
    if tl == "microsoft.insights/metrics":
        return monitor.list_metrics(engine, t, req)
    if tl == "microsoft.resourcehealth/availabilitystatuses":
        return monitor.list_availability(engine, t, req)
    if tl == "microsoft.insights/workbooks":
        return workbooks.listing(engine, t, req)
    return None


def compute_skus(engine, req):
    """Resource Skus - List of the subscription (``$filter=location eq '...'``), one page as Azure answers it."""
    return Response(200, {"value": regions.skus(engine.store.config, req.query.get("$filter"))})


def implicit_body(engine, t):
    """Children that exist in Azure without being created (PostgreSQL server parameters), or None.

    GET answers them, and a PATCH starts from them, instead of 404.
    """
    if t.type_name.lower() == "microsoft.dbforpostgresql/flexibleservers/configurations":
        return _pg_default(engine, t.parent, t.name)
    return None


def _pg_default(engine, server_id: str, name: str):
    """A server parameter nobody has set: Azure answers its default (404 only for unknown names)."""
    server = engine.store.get(server_id)
    props = populate.pg_parameter(server["body"], name)
    if props is None:
        return None
    return {"id": f"{server['id']}/configurations/{name}", "name": name,
            "type": "Microsoft.DBforPostgreSQL/flexibleServers/configurations", "properties": props}


def role_assignments_for(engine, scope, odata_filter):
    return roles.assignments_for(engine.store, scope, odata_filter)


def check_role_assignment_unique(engine, t, incoming):
    roles.check_unique(engine.store, t.rid, incoming)


def provider_location(engine, t, req):
    rest = [s.lower() for s in t.rest]
    ns = t.namespace.lower()
    if len(rest) == 2 and rest[0] in ("operations", "operationresults", "asyncoperations"):
        op = engine.ops.ops.get(t.rest[1])
        if op is None:
            raise ApiError(404, "OperationNotFound", f"Operation '{t.rest[1]}' was not found.")
        if rest[0] != "operationresults":
            return Response(200, engine.ops.status_body(op), {"retry-after-ms": str(engine.ops.retry_ms(op))})
        if op["status"] == "InProgress":
            return Response(202, None, engine.op_headers(op, location=True))
        if op["status"] == "Failed":
            raise ApiError(400, op["fail"]["code"], op["fail"]["message"])
        return Response(200, op["result"]) if op["result"] is not None else Response(204)
    if ns == "microsoft.containerservice" and rest == ["kubernetesversions"]:
        return Response(200, {"values": _kubernetes_versions(engine)})
    if ns == "microsoft.containerservice" and rest == ["orchestrators"] and req.method == "GET":
        return Response(200, _orchestrators(engine, t))
    if ns == "microsoft.keyvault" and rest[:1] == ["deletedvaults"] and len(rest) >= 2:
        deleted = engine.store.state["deleted_vaults"].get(rest[1])
        if deleted is None:
            raise ApiError(404, "ResourceNotFound", f"The Resource 'Microsoft.KeyVault/deletedVaults/{t.rest[1]}' was not found.")
        if rest[2:] == ["purge"] and req.method == "POST":
            if deleted["properties"].get("purgeProtectionEnabled"):
                raise ApiError(405, "MethodNotAllowed", "Operation 'DeletedVaultPurge' is not allowed.")
            engine.store.state["deleted_vaults"].pop(rest[1])
            engine.store.state["kv"].pop(rest[1], None)
            engine.store.mark_dirty()
            return Response(200)
        if len(rest) == 2 and req.method == "GET":
            return Response(200, deleted)
    if ns == "microsoft.security" and rest == ["alerts"] and req.method == "GET":
        return defender.listing(engine, t, req, location=t.name)
    raise ApiError(404, "NotFound", f"No route for location endpoint '{'/'.join(t.rest)}'.")


# -- AKS -------------------------------------------------------------------------------


def _vkey(v: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", v))


def _kubernetes_versions(engine) -> list:
    versions = sorted(engine.store.config["kubernetes_versions"], key=_vkey)
    default = engine.store.config.get("default_kubernetes_version")
    out = {}
    for v in versions:
        minor = ".".join(v.split(".")[:2])
        entry = out.setdefault(minor, {"version": minor, "isPreview": False, "capabilities": {"supportPlan": ["KubernetesOfficial"]},
                                       "patchVersions": {}})
        if v == default:
            entry["isDefault"] = True
        entry["patchVersions"][v] = {"upgrades": [u for u in versions if _vkey(u) > _vkey(v)]}
    return list(out.values())


def _orchestrators(engine, t) -> dict:
    """The legacy `locations/{loc}/orchestrators` listing (api-version 2019-08-01, resource-type=managedClusters),
    from the same versions as the kubernetesVersions listing (shape: ContainerServiceListOrchestrators example)."""
    versions = sorted(engine.store.config["kubernetes_versions"], key=_vkey)
    default = engine.store.config.get("default_kubernetes_version")
    entries = []
    for v in versions:
        entry = {"orchestratorType": "Kubernetes", "orchestratorVersion": v}
        if v == default:
            entry["default"] = True
        upgrades = [{"orchestratorType": "", "orchestratorVersion": u["kubernetesVersion"], "isPreview": False}
                    for u in _upgrades(engine, v)]
        if upgrades:
            entry["upgrades"] = upgrades
        entries.append(entry)
    return {"id": f"/subscriptions/{t.subscription}/providers/Microsoft.ContainerService/locations/{t.name}/orchestrators",
            "name": "default", "type": "Microsoft.ContainerService/locations/orchestrators",
            "properties": {"orchestrators": entries}}


def _upgrades(engine, current: str, ceiling: str | None = None) -> list:
    """Versions above ``current``; a node pool can go no higher than its control plane (``ceiling``)."""
    versions = sorted(engine.store.config["kubernetes_versions"], key=_vkey)
    return [{"kubernetesVersion": v, "isPreview": False} for v in versions
            if _vkey(v) > _vkey(current or "0") and (ceiling is None or _vkey(v) <= _vkey(ceiling))]


def _upgrade_profile(engine, t) -> dict:
    owner = engine.store.get(t.rid.rsplit("/", 2)[0])
    if owner is None:
        raise ApiError(404, "ResourceNotFound", "The Resource was not found.")
    p = owner["body"].get("properties", {})
    base = {"id": t.rid, "name": t.name, "type": t.type_name}
    if owner["type"].lower().endswith("/agentpools"):
        cur = p.get("currentOrchestratorVersion")
        cluster = engine.store.get(owner["parent"])
        ceiling = get_path((cluster or {}).get("body", {}), "properties.currentKubernetesVersion")
        base["properties"] = {"kubernetesVersion": cur, "osType": p.get("osType", "Linux"), "upgrades": _upgrades(engine, cur, ceiling),
                              "latestNodeImageVersion": _next_image(engine, p.get("nodeImageVersion"))}
        return base
    cur = p.get("currentKubernetesVersion")
    pools = engine.store.find("Microsoft.ContainerService/managedClusters/agentPools", parent=owner["id"])
    base["properties"] = {
        "controlPlaneProfile": {"kubernetesVersion": cur, "name": None, "osType": "Linux", "upgrades": _upgrades(engine, cur)},
        "agentPoolProfiles": [{"name": r["body"]["name"], "kubernetesVersion": r["body"]["properties"].get("currentOrchestratorVersion"),
                               "osType": "Linux", "upgrades": _upgrades(engine, r["body"]["properties"].get("currentOrchestratorVersion"), cur)}
                              for r in pools],
    }
    return base


def _next_image(engine, current: str | None) -> str:
    latest = engine.store.config.get("latest_node_image_version")
    if latest:
        return latest
    head, _, tail = (current or engine.store.config["node_image_version"]).rpartition(".")
    return f"{head}.{int(tail) + 1}" if tail.isdigit() else (current or "")


def _synthetic_kubeconfig(engine, t, user: str) -> str:
    props = engine.store.get(t.rid)["body"]["properties"]
    server = props.get("privateFQDN") or props.get("fqdn")
    ca = base64.b64encode(b"sandbox-ca").decode()
    return (
        "apiVersion: v1\nkind: Config\n"
        f"clusters:\n- cluster:\n    certificate-authority-data: {ca}\n    server: https://{server}:443\n  name: {t.name}\n"
        f"contexts:\n- context:\n    cluster: {t.name}\n    user: {user}_{t.rg}_{t.name}\n  name: {t.name}\n"
        f"current-context: {t.name}\npreferences: {{}}\n"
        f"users:\n- name: {user}_{t.rg}_{t.name}\n  user:\n    token: sandbox-{user}-token\n"
    )


@register_action("Microsoft.ContainerService/managedClusters", "listClusterUserCredential", "listClusterAdminCredential",
        "listClusterMonitoringUserCredential")


def _aks_credentials(engine, t, req):
    user = {"listclusteradmincredential": "clusterAdmin", "listclustermonitoringusercredential": "clusterMonitoringUser"}.get(
        t.action.lower(), "clusterUser")
    path = engine.store.config.get("aks_kubeconfig")
    if path:
        with open(path, "rb") as f:
            content = f.read()
    else:
        content = _synthetic_kubeconfig(engine, t, user).encode()
    return Response(200, {"kubeconfigs": [{"name": user, "value": base64.b64encode(content).decode()}]})


def _lro_action(engine, t, req, name: str, state: str):
    rec = engine.store.get(t.rid)
    engine.check_conflicts(t, {}, rec)
    set_path(rec["body"], "properties.provisioningState", state)
    op = engine.start_op(t, req, "action", params={"action": name})
    return Response(202, None, engine.op_headers(op, location=True))


@register_action("Microsoft.ContainerService/managedClusters/agentPools", "upgradeNodeImageVersion")
def _upgrade_node_image(engine, t, req):
    return _lro_action(engine, t, req, "upgrade_node_image", "UpgradingNodeImageVersion")


@register_action("Microsoft.ContainerService/managedClusters", "stop", "start")
def _aks_power(engine, t, req):
    return _lro_action(engine, t, req, t.action.lower(), "Stopping" if t.action.lower() == "stop" else "Starting")


@register_action("Microsoft.DBforPostgreSQL/flexibleServers", "restart", "start", "stop")
def _pg_power(engine, t, req):
    if t.action.lower() == "restart" and pg_failover.requested(req):
        return pg_failover.start(engine, t, req)
    return _lro_action(engine, t, req, "pg_" + t.action.lower(), "Updating")


def complete_action(engine, op, rec) -> None:
    if rec is None:
        return
    props = rec["body"].setdefault("properties", {})
    name = op["params"].get("action")
    if op["status"] == "Succeeded":
        if name == "upgrade_node_image":
            props["nodeImageVersion"] = _next_image(engine, props.get("nodeImageVersion"))
        elif name in ("stop", "start"):
            props["powerState"] = {"code": "Stopped" if name == "stop" else "Running"}
        elif name in ("pg_stop", "pg_start"):
            props["state"] = "Stopped" if name == "pg_stop" else "Ready"
    if name == "pg_failover":
        pg_failover.complete(engine, op, rec)
    props["provisioningState"] = "Succeeded" if op["status"] == "Succeeded" else "Failed"
    op["result"] = engine.render(rec)


# -- keys and credentials -----------------------------------------------------------


@register_action("Microsoft.Cache/redis", "listKeys")
def _redis_keys(engine, t, req):
    return Response(200, dict(engine.ensure_keys(t.rid, ("primaryKey", "secondaryKey"))))


@register_action("Microsoft.Cache/redis", "regenerateKey")
def _redis_regenerate(engine, t, req):
    if engine.ops.running_on(t.rid):
        # Azure Cache for Redis' answer to a key regeneration while the cache scales, patches or updates
        raise ApiError(409, "Conflict", f"The resource '{t.rid}' is busy processing a previous update request or is "
                       "undergoing system maintenance. As such, it is currently unable to accept the update request. "
                       "Please try again later.")
    kind = str((req.json() or {}).get("keyType", "Primary")).lower()
    keys = engine.ensure_keys(t.rid, ("primaryKey", "secondaryKey"))
    name, new = "secondaryKey" if kind == "secondary" else "primaryKey", random_key()
    backing.regenerate_redis_key(engine, t.rid, keys, name, new)  # the real Redis first: a refusal changes nothing
    keys[name] = new
    engine.store.mark_dirty()
    return Response(200, dict(keys))


@register_action("Microsoft.Storage/storageAccounts", "listKeys")
def _storage_keys(engine, t, req):
    keys = engine.ensure_keys(t.rid, ("key1", "key2"))
    return Response(200, {"keys": [{"keyName": k, "value": v, "permissions": "FULL"} for k, v in keys.items()]})


@register_action("Microsoft.OperationalInsights/workspaces", "sharedKeys")
def _workspace_keys(engine, t, req):
    return Response(200, dict(engine.ensure_keys(t.rid, ("primarySharedKey", "secondarySharedKey"))))


@register_action("Microsoft.ContainerRegistry/registries", "listCredentials")
def _acr_credentials(engine, t, req):
    keys = engine.ensure_keys(t.rid, ("password", "password2"))
    return Response(200, {"username": t.name, "passwords": [{"name": k, "value": v} for k, v in keys.items()]})


# Registries_CheckNameAvailability (Azure/azure-rest-api-specs): "only alphanumeric characters, ... between 5 and 50".
REGISTRY_NAME = re.compile(r"^[a-zA-Z0-9]{5,50}$")


@register_action("Microsoft.ContainerRegistry", "checkNameAvailability")
def _registry_name(engine, t, req):
    """Registry names are global: taken by a registry in any resource group (RegistryCheckNameNotAvailable.json)."""
    name = str((req.json() or {}).get("name", ""))
    if not REGISTRY_NAME.match(name):
        return Response(200, {"nameAvailable": False, "reason": "Invalid",
                              "message": "Registry names may contain only alpha numeric characters and must be "
                                         "between 5 and 50 characters"})
    if any(r["body"]["name"].lower() == name.lower() for r in engine.store.find("Microsoft.ContainerRegistry/registries")):
        return Response(200, {"nameAvailable": False, "reason": "AlreadyExists",
                              "message": f"The registry {name} is already in use."})
    return Response(200, {"nameAvailable": True})


@register_action("Microsoft.KeyVault", "checkNameAvailability")
def _vault_name(engine, t, req):
    name = str((req.json() or {}).get("name", "")).lower()
    taken = any(r["body"]["name"].lower() == name for r in engine.store.find("Microsoft.KeyVault/vaults"))
    taken = taken or name in engine.store.state["deleted_vaults"]
    body = {"nameAvailable": not taken}
    if taken:
        body.update(reason="AlreadyExists", message=f"The vault name '{name}' is already in use.")
    return Response(200, body)


# -- deletion side effects --------------------------------------------------------------


def on_deleted(engine, rec) -> None:
    engine.store.state["secrets"].pop(rec["id"].lower(), None)
    if rec["type"].lower() == populate.LINKED_SERVER.lower():
        _unlink(engine, rec)
    if rec["type"].lower() == populate.GATEWAY.lower():
        populate.link_waf_policies(engine, rec["id"], None)
    if rec["type"].lower() == "microsoft.cdn/profiles/securitypolicies":
        waf = get_path(rec["body"], "properties.parameters.wafPolicy.id")
        if waf:
            populate.unlink_waf_policy(engine, waf, rec["id"])
    if rec["type"].lower() != "microsoft.keyvault/vaults":
        return
    body = rec["body"]
    name = body["name"]
    if engine.keyvault is not None:
        engine.keyvault.stop_listener(name)
    props = body.get("properties", {})
    if not props.get("enableSoftDelete", True):
        engine.store.state["kv"].pop(name.lower(), None)
        return
    loc = body.get("location", "global")
    engine.store.state["deleted_vaults"][name.lower()] = {
        "id": f"/subscriptions/{engine.subscription}/providers/Microsoft.KeyVault/locations/{loc}/deletedVaults/{name}",
        "name": name,
        "type": "Microsoft.KeyVault/deletedVaults",
        "properties": {
            "vaultId": rec["id"], "location": loc, "deletionDate": now_iso(),
            "scheduledPurgeDate": now_iso(time.time() + 86400 * props.get("softDeleteRetentionInDays", 90)),
            "tags": body.get("tags", {}), "purgeProtectionEnabled": bool(props.get("enablePurgeProtection")),
        },
        "original": copy.deepcopy(body),
    }


def _unlink(engine, rec) -> None:
    """Removing a geo-replication link from one cache removes it from the other too."""
    other = str(get_path(rec["body"], "properties.linkedRedisCacheId", ""))
    primary = engine.store.get(rec["parent"])
    if primary and engine.store.get(other):
        engine.store.remove_tree(f"{engine.store.get(other)['id']}/linkedServers/{primary['body']['name']}")
    for cache_id in (rec["parent"], other):
        populate.relist_links(engine, cache_id)
    try:
        backing.geo_unlink(engine, (rec["parent"], other))
    except backing.BackingError as exc:  # the ARM link is gone either way; the log says what the real servers kept
        print(f"sandbox: {exc}", flush=True)


def recover_vault_body(engine, name: str, incoming: dict) -> dict:
    """createMode=recover: the deleted vault's properties, updated by the request."""
    deleted = engine.store.state["deleted_vaults"].pop(name.lower(), None)
    if deleted is None:
        raise ApiError(404, "ResourceNotFound", f"Deleted vault '{name}' was not found.")
    original = deleted["original"]
    merged = {k: v for k, v in original.items() if k in ("location", "tags", "properties")}
    merged["properties"] = {**original.get("properties", {}), **incoming.get("properties", {})}
    merged.update({k: v for k, v in incoming.items() if k != "properties"})
    return merged


@register_action("Microsoft.CostManagement", "query")
def _cost_query(engine, t, req):
    return costs.query(engine, t, req)
