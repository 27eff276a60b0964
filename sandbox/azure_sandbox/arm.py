"""Azure Resource Manager semantics, one generic engine for every type.

Requests are parsed into a ``Target`` (which resource/collection/action an
ARM path names), then served by generic PUT/GET/PATCH/DELETE/list logic
driven by resource_types.py, with per-type server fields from populate.py
and type-specific actions from actions.py.  The same upsert/delete code is
used for client traffic, for seeding and for out-of-band drift, so that the
three cannot disagree about what a stored resource looks like.
"""

import copy
import uuid
from dataclasses import dataclass

from . import actions, aks_upgrades, backing, populate, regions, validate
from .lro import Operations
from .messages import ApiError, Response
from .readonly import has_field, strip_readonly, strip_writeonly
from .resource_types import SKU_DURATIONS, children_of, lookup
from .util import get_path, merge_patch, normalize_location, now_iso, set_path

RG_TYPE = "Microsoft.Resources/resourceGroups"
IN_FLIGHT = ("Creating", "Updating", "Deleting", "Upgrading")
CLIENT, DRIFT, SEED = "client", "drift", "seed"
POSTGRES_TYPE = "microsoft.dbforpostgresql/flexibleservers"
RESTORE_MODES = ("pointintimerestore", "georestore")
# A restore of a 256 GB server with a day of log to replay: about 25 minutes in Azure (x lro_scale; config
# durations.restore overrides it)
RESTORE_DURATION = 1500


def _reads_only(action: str) -> bool:
    """POST actions that change nothing: list* (keys, credentials), checkNameAvailability, query (Cost Management)."""
    action = (action or "").lower()
    return action.startswith("list") or action in ("checknameavailability", "query")


@dataclass
class Target:
    """What an ARM path designates."""

    kind: str  # subscriptions|subscription|locations|rg_list|rg_resources|resource|collection|action|provider_location|provider
    subscription: str = ""
    rg: str | None = None  # resource group name as in the path
    type_name: str = ""  # full type, e.g. Microsoft.Network/virtualNetworks/subnets
    name: str = ""
    rid: str = ""  # canonical id (instances) / id of the owner (collections, actions)
    parent: str = ""  # id of parent resource, resource group, or scope
    namespace: str = ""
    action: str = ""
    rest: tuple = ()  # provider-location segments after locations/{loc}

    @property
    def rt(self):
        return lookup(self.type_name)


class Engine:
    def __init__(self, store, identity: dict, keyvault=None):
        self.store = store
        self.identity = identity
        self.keyvault = keyvault  # keyvault.KeyVaultManager, for vaultUri listeners
        self.ops = Operations(store, self.complete_operation)
        self.base_url = ""

    @property
    def subscription(self) -> str:
        return self.identity["subscription_id"]

    # -- parsing -------------------------------------------------------------
    def parse(self, path: str, method: str = "GET") -> Target:
        segs = [s for s in path.split("/") if s]
        low = [s.lower() for s in segs]
        if not segs or low[0] != "subscriptions":
            raise ApiError(404, "NotFound", f"No route for '{path}'.")
        if len(segs) == 1:
            return Target("subscriptions")
        sub = segs[1]
        if sub.lower() != self.subscription.lower():
            raise ApiError(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
        sub = self.subscription
        sub_id = f"/subscriptions/{sub}"
        if len(segs) == 2:
            return Target("subscription", sub)
        if low[2] == "locations" and len(segs) == 3:
            return Target("locations", sub)
        rg = None
        if low[2] == "resourcegroups":
            if len(segs) == 3:
                return Target("rg_list", sub, parent=sub_id)
            rg = segs[3]
            rg_rec = self.store.get(f"{sub_id}/resourceGroups/{rg}")
            if len(segs) == 4:
                rid = rg_rec["id"] if rg_rec else f"{sub_id}/resourceGroups/{rg}"
                return Target("resource", sub, rg, RG_TYPE, rg, rid, sub_id)
            if not rg_rec:
                raise ApiError(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
            if len(segs) == 5 and low[4] == "resources":
                return Target("rg_resources", sub, rg, parent=rg_rec["id"])
        if "providers" not in low[2:]:
            raise ApiError(404, "NotFound", f"No route for '{path}'.")
        p = len(low) - 1 - low[::-1].index("providers")
        if p + 1 >= len(segs):
            raise ApiError(404, "NotFound", f"No route for '{path}'.")
        ns, rest = segs[p + 1], segs[p + 2:]
        scope_path = "/" + "/".join(segs[:p])
        if p == 2 and rest and rest[0].lower() == "locations" and len(rest) >= 2:
            return Target("provider_location", sub, namespace=ns, name=rest[1], rest=tuple(rest[2:]))
        if not rest:
            return Target("provider", sub, namespace=ns)
        scope_rec = self.store.get(scope_path)
        scope_id = scope_rec["id"] if scope_rec else scope_path
        if "providers" in low[2:p] and not scope_rec and not (self.keyvault and self.keyvault.holds(scope_path)):
            raise ApiError(404, "ResourceNotFound", f"The Resource '{scope_path}' was not found.")
        types, names = rest[0::2], rest[1::2]
        if len(rest) % 2 == 0:  # an instance
            type_name = ns + "/" + "/".join(types)
            if len(rest) == 2:
                parent = scope_id
                rid = f"{scope_id}/providers/{ns}/{rest[0]}/{rest[1]}"
            else:
                parent_path = f"{scope_id}/providers/{ns}/" + "/".join(rest[:-2])
                parent_rec = self.store.get(parent_path)
                if not parent_rec:
                    raise ApiError(404, "ParentResourceNotFound",
                                   f"Can not perform requested operation on nested resource. Parent resource '{'/'.join(rest[:-2][1::2])}' not found.")
                parent = parent_rec["id"]
                rid = f"{parent}/{rest[-2]}/{rest[-1]}"
            return Target("resource", sub, rg, type_name, names[-1], rid, parent, ns)
        # odd: a collection (GET) or an action (POST) on the resource before it
        owner = f"{scope_id}/providers/{ns}/" + "/".join(rest[:-1]) if len(rest) > 1 else scope_id
        owner_rec = self.store.get(owner)
        if len(rest) > 1 and not owner_rec:
            raise ApiError(404, "ResourceNotFound", f"The Resource '{ns}/{'/'.join(rest[:-1])}' under resource group '{rg}' was not found.")
        owner = owner_rec["id"] if owner_rec else owner
        owner_type = ns + "/" + "/".join(types[:-1]) if len(rest) > 1 else ""
        if method == "POST":
            return Target("action", sub, rg, owner_type or ns, names[-1] if names else "", owner, scope_id, ns, rest[-1])
        type_name = ns + "/" + "/".join(types)
        return Target("collection", sub, rg, type_name, "", owner, owner, ns)

    # -- request entry point ---------------------------------------------------
    def handle(self, req) -> Response:
        with self.store.lock:
            self.ops.tick()
            target = self.parse(req.path, req.method)
            req.resource_type = target.type_name or target.kind
            req.is_write = req.method in ("PUT", "PATCH", "DELETE") or (
                req.method == "POST" and not _reads_only(target.action))
            if target.kind == "provider_location":
                req.resource_type = f"{target.namespace}/locations/{(target.rest or ('',))[0]}"
                req.is_write = req.method in ("PUT", "DELETE") or (req.method == "POST" and target.rest[-1:] == ("purge",))
            if not req.api_version:
                raise ApiError(400, "MissingApiVersionParameter",
                               "The api-version query parameter (?api-version=) is required for all requests.")
            return self.dispatch(target, req)

    def dispatch(self, t: Target, req) -> Response:
        m = req.method
        if t.kind == "subscriptions" and m == "GET":
            return Response(200, {"value": [self.subscription_body()]})
        if t.kind == "subscription" and m == "GET":
            return Response(200, self.subscription_body())
        if t.kind == "locations" and m == "GET":
            return Response(200, {"value": regions.locations(t.subscription)})
        if t.kind == "provider":
            return Response(200, {"namespace": t.namespace, "registrationState": "Registered", "resourceTypes": []})
        if t.kind == "provider_location":
            return actions.provider_location(self, t, req)
        if t.kind == "rg_resources" and m == "GET":
            expand = (req.query.get("$expand") or "").lower().split(",")
            return self.list_response(req, [self.generic(r, "provisioningstate" in expand)
                                            for r in self.store.find(parent=t.parent)], rendered=True)
        if t.kind == "rg_list" and m == "GET":
            return self.list_response(req, self.store.find(RG_TYPE, parent=t.parent))
        if t.kind == "collection" and m == "GET":
            return self.list_collection(t, req)
        if t.kind == "action" and m == "POST":
            return actions.action(self, t, req)
        if t.kind == "resource":
            virtual = actions.virtual_get(self, t, req) if m == "GET" else None
            if virtual is not None:
                return virtual
            if m == "GET":
                return Response(200, self.render(self.require(t)))
            if m == "HEAD":
                return Response(204 if self.store.get(t.rid) else 404)
            if m == "PUT":
                return self.client_put(t, req)
            if m == "PATCH":
                return self.client_patch(t, req)
            if m == "DELETE":
                return self.client_delete(t, req)
        raise ApiError(405, "MethodNotAllowed", f"The requested resource does not support http method '{m}'.")

    @staticmethod
    def generic(rec: dict, provisioning_state: bool = False) -> dict:
        """A resource as the resource group's `resources` listing shows it (GenericResourceExpanded).

        `$expand=provisioningState` adds the top-level `provisioningState` (Resources_ListByResourceGroup).
        """
        body = rec["body"]
        out = {k: body[k] for k in ("id", "name", "type", "location", "tags", "kind", "sku") if k in body}
        if provisioning_state:
            out["provisioningState"] = (body.get("properties") or {}).get("provisioningState", "Succeeded")
        return out

    def subscription_body(self) -> dict:
        return {"id": f"/subscriptions/{self.subscription}", "subscriptionId": self.subscription,
                "tenantId": self.identity["tenant_id"], "displayName": "Azure Sandbox", "state": "Enabled"}

    # -- reading ------------------------------------------------------------------
    def require(self, t: Target) -> dict:
        rec = self.store.get(t.rid)
        if rec is None:
            if t.type_name == RG_TYPE:
                raise ApiError(404, "ResourceGroupNotFound", f"Resource group '{t.name}' could not be found.")
            raise ApiError(404, "ResourceNotFound",
                           f"The Resource '{t.type_name}/{t.name}' under resource group '{t.rg}' was not found.")
        return rec

    def render(self, rec: dict) -> dict:
        """The resource as GET returns it: children embedded, secrets removed."""
        body = copy.deepcopy(rec["body"])
        for crt in children_of(rec["type"]):
            items = [self.render(k) for k in self.store.find(crt.type, parent=rec["id"])]
            if crt.embed_flat:
                items = [{"name": k["name"], **k.get("properties", {})} for k in items]
            set_path(body, crt.embed, items)
        return strip_writeonly(body, lookup(rec["type"]).model)

    def list_collection(self, t: Target, req) -> Response:
        virtual = actions.virtual_list(self, t, req)
        if virtual is not None:
            return virtual
        if t.type_name.lower() == "microsoft.authorization/roleassignments":
            return self.list_response(req, actions.role_assignments_for(self, t.parent, req.query.get("$filter")))
        if t.parent.lower().count("/") <= 2:  # subscription scope: every resource group
            recs = self.store.find(t.type_name, prefix=t.parent)
        else:
            recs = self.store.find(t.type_name, parent=t.parent)
        return self.list_response(req, recs)

    def list_response(self, req, recs: list, rendered: bool = False) -> Response:
        size = int(self.store.config.get("page_size") or 100)
        start = int(req.query.get("$skiptoken") or 0)
        page = recs[start:start + size]
        body = {"value": page if rendered else [self.render(r) for r in page]}
        if start + size < len(recs):
            body["nextLink"] = f"{req.base_url}{req.path}?api-version={req.api_version}&$skiptoken={start + size}"
        return Response(200, body)

    # -- writing --------------------------------------------------------------
    def location_of(self, t: Target, body: dict | None = None) -> str:
        loc = (body or {}).get("location")
        rid = t.rid if self.store.get(t.rid) else t.parent  # a child being created takes its parent's
        while not loc and rid:
            rec = self.store.get(rid)
            loc = rec and rec["body"].get("location")
            if not rec:
                break
            rid = rec["parent"]
        return normalize_location(loc) if loc and loc != "global" else (loc or "global")

    def check_conflicts(self, t: Target, incoming: dict, existing: dict | None) -> None:
        rt = t.rt
        if existing and (op := self.ops.running_on(t.rid)):
            raise ApiError(409, "AnotherOperationInProgress",
                           f"Operation {op['id']} is in progress on resource '{t.name}'; retry when it completes.")
        if existing:
            aks_upgrades.check_family(self, t)
        if rt.global_name and not existing:
            for rec in self.store.find(rt.type):
                if rec["body"].get("name", "").lower() == t.name.lower():
                    raise ApiError(409, "NameAlreadyExists", f"The name '{t.name}' is already in use.")
        if rt.type == "Microsoft.KeyVault/vaults" and not existing:
            mode = get_path(incoming, "properties.createMode", "default")
            if self.store.state["deleted_vaults"].get(t.name.lower()) and str(mode).lower() != "recover":
                raise ApiError(409, "ConflictError",
                               "A vault with the same name already exists in deleted state. You need to either recover or purge "
                               "existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more "
                               "information on soft delete.")
        if rt.type == "Microsoft.Authorization/roleAssignments" and not existing:
            actions.check_role_assignment_unique(self, t, incoming)

    def upsert(self, t: Target, incoming: dict, mode: str, state: str | None = None, replace: bool = True) -> dict:
        """Create or replace a resource (and its embedded children).

        ``replace`` (PUT): for types with ``prune_children`` a child absent
        from the body is deleted, as ARM does for VNet subnets.
        """
        rt = t.rt
        existing = self.store.get(t.rid)
        prev = existing["body"] if existing else None
        if mode != SEED:
            incoming = strip_readonly(incoming, rt.model)
        body = copy.deepcopy(incoming or {})
        kids = {}
        for crt in children_of(rt.type):
            kids[crt] = get_path(body, crt.embed)
            if kids[crt] is not None:
                props = get_path(body, crt.embed.rsplit(".", 1)[0]) if "." in crt.embed else body
                props.pop(crt.embed.rsplit(".", 1)[-1], None)
        rid = existing["id"] if existing else t.rid
        body["id"], body["name"], body["type"] = rid, t.name, rt.type
        if "location" in body:
            body["location"] = normalize_location(body["location"])
        elif prev and "location" in prev:
            body["location"] = prev["location"]
        if mode != SEED or "etag" not in body:
            body["etag"] = f'W/"{uuid.uuid4()}"'
        now = now_iso()
        created = get_path(prev or {}, "systemData.createdAt", now)
        if mode != SEED or "systemData" not in body:
            body["systemData"] = {"createdBy": self.identity["client_id"], "createdByType": "Application", "createdAt": created,
                                  "lastModifiedBy": self.identity["client_id"], "lastModifiedByType": "Application", "lastModifiedAt": now}
        ctx = populate.Ctx(self, rid, rt.type.lower(), t.name, t.subscription, t.rg, body, prev, incoming or {},
                           self.location_of(t, body))
        populate.fill(ctx)
        if state is None:
            state = ("Updating" if existing else "Creating") if (mode == CLIENT and rt.lro) else "Succeeded"
        if mode == CLIENT and aks_upgrades.is_upgrade(rt.type.lower(), prev, body):
            state = "Upgrading"
        if rt.model is None or has_field(rt.model, "properties.provisioningState"):
            if not (mode == SEED and get_path(body, "properties.provisioningState")):
                body.setdefault("properties", {})["provisioningState"] = state
        rec = self.store.put(rid, rt.type, t.parent, body)
        for crt, items in kids.items():
            if items is None and not (rt.prune_children and replace):
                continue
            keep = set()
            for item in items or []:
                if not isinstance(item, dict) or not item.get("name"):
                    continue
                keep.add(item["name"].lower())
                child_in = {"properties": {k: v for k, v in item.items() if k != "name"}} if crt.embed_flat else item
                seg = crt.type.rsplit("/", 1)[-1]
                ct = Target("resource", t.subscription, t.rg, crt.type, item["name"], f"{rid}/{seg}/{item['name']}", rid, t.namespace)
                self.upsert(ct, child_in, mode, "Updating" if state == "Upgrading" else state)
            if rt.prune_children and (replace or items is not None):
                for kid in self.store.find(crt.type, parent=rid):
                    if kid["body"]["name"].lower() not in keep:
                        self.store.remove_tree(kid["id"])
        return rec

    def start_op(self, t: Target, req, kind: str, result=None, params=None) -> dict:
        duration = self.duration(t)
        if kind == "delete":
            duration = max(duration / 2, 1)
        return self.ops.start(kind=kind, resource_id=t.rid, namespace=t.namespace or "Microsoft.Resources",
                              location=self.location_of(t), duration=duration, api_version=req.api_version,
                              fail=getattr(req, "lro_fail", None), result=result, params=params,
                              seconds=getattr(req, "lro_seconds", None))

    def duration(self, t: Target) -> float:
        rt = t.rt
        rec = self.store.get(t.rid)
        upgrade = aks_upgrades.duration(self, rec) if rec else None
        if upgrade is not None:
            return upgrade
        durations = self.store.config.get("durations") or {}
        if rt.type.lower() in durations:
            return float(durations[rt.type.lower()])
        body = (rec or {}).get("body", {})
        if rt.type.lower() == POSTGRES_TYPE and str(get_path(body, "properties.createMode", "")).lower() in RESTORE_MODES:
            return float(durations.get("restore", RESTORE_DURATION))
        sku = str(get_path(body, "properties.sku.name", "")).lower()
        return float(SKU_DURATIONS.get((rt.type.lower(), sku), rt.duration))

    def op_headers(self, op: dict, location: bool) -> dict:
        return self.ops.headers(op, self.base_url, self.subscription, location)

    def client_put(self, t: Target, req) -> Response:
        incoming = req.json()
        if not isinstance(incoming, dict):
            raise ApiError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.")
        existing = self.store.get(t.rid)
        self.check_conflicts(t, incoming, existing)
        validate.check_put(self, t, incoming, existing)
        if t.type_name == RG_TYPE and not incoming.get("location"):
            raise ApiError(400, "LocationRequired", "The location property is required for this definition.")
        if t.type_name.lower() == "microsoft.keyvault/vaults" and not existing and \
                str(get_path(incoming, "properties.createMode", "")).lower() == "recover":
            incoming = actions.recover_vault_body(self, t.name, incoming)
        rec = self.upsert(t, incoming, CLIENT)
        t.rid = rec["id"]
        rt = t.rt
        status = 200 if existing else rt.created_status
        if rt.put == "sync":
            return Response(status, self.render(rec))
        op = self.start_op(t, req, "put")
        if rt.put == "accepted":
            return Response(202, None, self.op_headers(op, location=True))
        return Response(status, self.render(rec), self.op_headers(op, location=False))

    def client_patch(self, t: Target, req) -> Response:
        validate.check_patch(self, t, req.json() or {})
        implicit = None if self.store.get(t.rid) else actions.implicit_body(self, t)
        if implicit is not None:
            self.upsert(t, implicit, SEED)
        rec = self.require(t)
        if self.ops.running_on(t.rid):
            self.check_conflicts(t, {}, rec)
        patch = strip_readonly(req.json() or {}, t.rt.model)
        merged = merge_patch(strip_readonly(copy.deepcopy(rec["body"]), t.rt.model), patch)
        if isinstance(patch.get("tags"), dict):  # ARM replaces the tag set as a whole
            merged["tags"] = patch["tags"]
        validate.check_put(self, t, merged, rec)  # a PATCH is refused for what a PUT would be
        for crt in children_of(t.rt.type):  # embedded children are only touched when sent
            if get_path(patch, crt.embed) is None:
                props = get_path(merged, crt.embed.rsplit(".", 1)[0]) if "." in crt.embed else merged
                if isinstance(props, dict):
                    props.pop(crt.embed.rsplit(".", 1)[-1], None)
        state = "Updating" if t.rt.patch == "accepted" else "Succeeded"
        rec = self.upsert(t, merged, DRIFT, state=state, replace=False)
        if t.rt.patch == "accepted":
            op = self.start_op(t, req, "put")
            return Response(202, None, self.op_headers(op, location=True))
        return Response(200, self.render(rec))

    def client_delete(self, t: Target, req) -> Response:
        rec = self.store.get(t.rid)
        if rec is None:
            return Response(204)
        rt = t.rt
        running = self.ops.running_on(t.rid)
        if running and running["kind"] == "delete":
            return Response(202, None, self.op_headers(running, location=True))
        if running:
            self.check_conflicts(t, {}, rec)
        validate.check_delete(self, rec)
        if rt.delete == "async":
            set_path(rec["body"], "properties.provisioningState", "Deleting")
            op = self.start_op(t, req, "delete")
            return Response(202, None, self.op_headers(op, location=True))
        self.finish_delete(rec["id"])
        return Response(200)

    def finish_delete(self, rid: str) -> None:
        for rec in self.store.remove_tree(rid):
            actions.on_deleted(self, rec)
            try:
                backing.resource_deleted(self, rec)
            except backing.BackingError as exc:  # the ARM resource is gone either way; the log says what was left
                print(f"sandbox: {exc}", flush=True)

    # -- operations -------------------------------------------------------------
    def complete_operation(self, op: dict) -> None:
        rec = self.store.get(op["resource_id"])
        failed = op["status"] == "Failed"
        if op["kind"] == "delete":
            if rec and failed:
                set_path(rec["body"], "properties.provisioningState", "Failed")
            elif rec:
                self.finish_delete(rec["id"])
            return
        if op["kind"] == "action":
            actions.complete_action(self, op, rec)
            return
        if not rec:
            return
        if not failed:
            try:
                backing.operation_completed(self, rec)
            except backing.BackingError as exc:  # the real server did not take it: the operation fails, as in Azure
                op["status"], op["fail"], failed = "Failed", {"code": "InternalServerError", "message": str(exc)}, True
        for r in [rec] + self.store.find(prefix=rec["id"] + "/"):
            props = r["body"].get("properties")
            if isinstance(props, dict) and props.get("provisioningState") in IN_FLIGHT:
                props["provisioningState"] = "Failed" if failed else "Succeeded"
                if not failed:
                    populate.complete(self.ctx_for(r))

    def ctx_for(self, rec: dict) -> populate.Ctx:
        t = self.parse(rec["id"])
        return populate.Ctx(self, rec["id"], rec["type"].lower(), t.name, t.subscription, t.rg, rec["body"],
                            copy.deepcopy(rec["body"]), {}, self.location_of(t))

    # -- out-of-band changes (control API) ------------------------------------------
    def drift_put(self, rid: str, body: dict, seed: bool = False) -> dict:
        with self.store.lock:
            if seed:
                self.ensure_resource_group(rid, body)
            t = self.parse(rid, "PUT")
            if t.kind != "resource":
                raise ApiError(400, "InvalidResourceId", f"'{rid}' is not a resource id.")
            rec = self.upsert(t, body, SEED if seed else DRIFT)
            return self.render(rec)

    def drift_patch(self, rid: str, patch: dict) -> dict:
        with self.store.lock:
            t = self.parse(rid, "PATCH")
            rec = self.require(t)
            merged = merge_patch(copy.deepcopy(rec["body"]), patch)
            return self.render(self.upsert(t, merged, SEED, replace=False))

    def drift_delete(self, rid: str) -> bool:
        with self.store.lock:
            t = self.parse(rid, "DELETE")
            rec = self.store.get(t.rid)
            if rec:
                self.finish_delete(rec["id"])
            return rec is not None

    def ensure_resource_group(self, rid: str, body: dict) -> None:
        segs = [s for s in rid.split("/") if s]
        if len(segs) > 4 and segs[2].lower() == "resourcegroups":
            rg_id = "/" + "/".join(segs[:4])
            if not self.store.get(rg_id):
                loc = body.get("location") if body.get("location") not in (None, "global") else "koreacentral"
                self.drift_put(rg_id, {"location": loc})

    # -- helpers used by populate/actions ---------------------------------------------
    def ensure_keys(self, rid: str, names: tuple) -> dict:
        keys = self.store.state["secrets"].setdefault(rid.lower(), {})
        for n in names:
            keys.setdefault(n, populate.random_key())
        return keys

    def vault_uri(self, name: str) -> str:
        if self.keyvault is None:
            return f"https://{name}.vault.azure.net/"
        return self.keyvault.ensure_listener(name)
