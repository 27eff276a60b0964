"""Microsoft Graph v1.0 stand-in: app registrations and service principals.

Served on the sandbox's host at ``/v1.0/...`` (the cloud metadata's
``microsoftGraphResourceId`` points here). The shapes follow Graph's
application, appRole and servicePrincipal resource types: objects by id or by
an alternate key (``(appId='...')``, ``(uniqueName='...')``), PATCH answering
204, the uniqueName upsert (``Prefer: create-if-missing``, 201), errors as
``{"error": {"code", "message", "innerError"}}``, ``@odata.context`` on every
answer and the ``$filter=<prop> eq '<value>'`` subset the collection uses.
Graph's rules that matter to a client are kept: displayName required, app
roles need a GUID id, unique values and member types User/Application, an
enabled app role cannot be removed or renamed (disable it first),
identifierUris unique in the tenant, one service principal per application,
whose app roles mirror the application's; deleting an application deletes its
service principal.
"""

import copy
import re
import time
import uuid
from urllib.parse import unquote

from .messages import ApiError, Response
from .util import now_iso

GRAPH_AUDIENCE = "https://graph.microsoft.com"
COLLECTIONS = {"applications": "application", "serviceprincipals": "servicePrincipal"}
KEYS = {"applications": ("appId", "uniqueName"), "servicePrincipals": ("appId",)}
APP_WRITABLE = {"displayName", "description", "signInAudience", "identifierUris", "appRoles", "tags", "notes",
                "api", "web", "spa", "publicClient", "requiredResourceAccess", "optionalClaims", "info",
                "groupMembershipClaims", "isFallbackPublicClient", "serviceManagementReference"}
APP_READONLY = {"id", "appId", "createdDateTime", "publisherDomain", "deletedDateTime", "uniqueName"}
SP_WRITABLE = {"appId", "accountEnabled", "appRoleAssignmentRequired", "description", "notes", "tags",
               "displayName", "preferredSingleSignOnMode", "loginUrl", "homepage"}
SIGN_IN_AUDIENCES = ("AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount")
MEMBER_TYPES = ("User", "Application")
ROLE_VALUE = re.compile(r"^[0-9A-Za-z:!#$%&'()*+,\-./;=?@\[\]^_{}~]{1,120}$")
KEY_SEGMENT = re.compile(r"^(\w+)\((\w+)='(.*)'\)$")
FILTER = re.compile(r"^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$")


def graph_error(status: int, code: str, message: str) -> ApiError:
    """Graph's error document carries an innerError with the date and request id."""
    exc = ApiError(status, code, message)
    body = {"error": {"code": code, "message": message,
                      "innerError": {"date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
                                     "request-id": str(uuid.uuid4()), "client-request-id": str(uuid.uuid4())}}}
    exc.response = lambda: Response(status, body)
    return exc


def not_found(ident: str) -> ApiError:
    return graph_error(404, "Request_ResourceNotFound",
                       f"Resource '{ident}' does not exist or one of its queried reference-property objects are not present.")


def bad_request(message: str, code: str = "Request_BadRequest") -> ApiError:
    return graph_error(400, code, message)


class Directory:
    """The tenant's applications and service principals, kept in the store (``state['graph']``)."""

    def __init__(self, store, identity: dict):
        self.store = store
        self.identity = identity

    @property
    def objects(self) -> dict:
        return self.store.state.setdefault("graph", {"applications": {}, "servicePrincipals": {}})

    # -- request routing ----------------------------------------------------------
    def handle(self, req) -> Response:
        segs = [s for s in req.path.split("/") if s][1:]  # after v1.0
        if not segs or len(segs) > 2:
            raise bad_request(f"Resource not found for the segment '{'/'.join(segs)}'.", "BadRequest")
        collection, key = self._collection(segs[0])
        req.resource_type, req.is_write = f"microsoft.graph/{collection.lower()}", req.method not in ("GET", "HEAD")
        with self.store.lock:
            if key is None and len(segs) == 1:
                if req.method == "GET":
                    return Response(200, self.listing(collection, req))
                if req.method == "POST":
                    return Response(201, self.render(collection, self.create(collection, req.json() or {}), req, entity=True))
                raise graph_error(405, "Request_BadRequest", f"The method {req.method} is not allowed on {collection}.")
            ident = key if key is not None else ("id", segs[1])
            found = self.find(collection, *ident)
            if req.method == "PATCH":
                return self.patch(collection, ident, found, req)
            if found is None:
                raise not_found(ident[1])
            if req.method == "GET":
                return Response(200, self.render(collection, found, req, entity=True))
            if req.method == "DELETE":
                self.delete(collection, found["id"])
                return Response(204)
            raise graph_error(405, "Request_BadRequest", f"The method {req.method} is not allowed here.")

    def _collection(self, segment: str):
        """('applications', None) or ('applications', ('uniqueName', 'x')) from a path segment."""
        match = KEY_SEGMENT.match(segment)
        name, key = (match.group(1), (match.group(2), unquote(match.group(3)).replace("''", "'"))) if match else (segment, None)
        collection = {"applications": "applications", "serviceprincipals": "servicePrincipals"}.get(name.lower())
        if collection is None:
            raise bad_request(f"Resource not found for the segment '{name}'.", "BadRequest")
        if key is not None and key[0] not in KEYS[collection]:
            raise bad_request(f"'{key[0]}' is not an alternate key of {collection}.", "BadRequest")
        return collection, key

    def find(self, collection: str, prop: str, value: str):
        if prop == "id":
            return self.objects[collection].get(value.lower())
        return next((o for o in self.objects[collection].values() if str(o.get(prop, "")).lower() == value.lower()), None)

    def listing(self, collection: str, req) -> dict:
        items = list(self.objects[collection].values())
        text = req.query.get("$filter")
        if text:
            match = FILTER.match(text)
            if not match:
                raise bad_request(f"Invalid filter clause: the query '{text}' is not supported here.", "Request_UnsupportedQuery")
            prop, value = match.group(1), match.group(2).replace("''", "'")
            if prop not in ("displayName", "appId", "uniqueName", "id"):
                raise bad_request(f"Unsupported or invalid query filter clause specified for property '{prop}' of "
                                  f"resource '{COLLECTIONS[collection.lower()]}'.", "Request_UnsupportedQuery")
            # eq on a string property is case-insensitive in the directory
            items = [o for o in items if str(o.get(prop, "")).lower() == value.lower()]
        items.sort(key=lambda o: o["createdDateTime"])
        return {"@odata.context": f"{req.base_url}/v1.0/$metadata#{collection}",
                "value": [self.render(collection, o, req) for o in items]}

    # -- writes ---------------------------------------------------------------------
    def create(self, collection: str, body: dict, unique_name: str | None = None) -> dict:
        if collection == "applications":
            return self._create_application(body, unique_name)
        return self._create_service_principal(body)

    def patch(self, collection: str, ident: tuple, found, req) -> Response:
        body = req.json() or {}
        if found is None:
            upsert = ident[0] == "uniqueName" and "create-if-missing" in req.headers.get("prefer", "")
            if not upsert:
                raise not_found(ident[1])
            created = self.create(collection, body, unique_name=ident[1])
            return Response(201, self.render(collection, created, req, entity=True),
                            {"Preference-Applied": "create-if-missing"})
        if collection == "applications":
            self._check_application(body, found)
        else:
            self._check_writable(body, SP_WRITABLE - {"appId"}, "servicePrincipal")
        found.update(copy.deepcopy(body))
        self.store.mark_dirty()
        return Response(204)

    def delete(self, collection: str, object_id: str) -> None:
        gone = self.objects[collection].pop(object_id.lower())
        if collection == "applications":
            for sp in [s for s in self.objects["servicePrincipals"].values() if s["appId"] == gone["appId"]]:
                self.objects["servicePrincipals"].pop(sp["id"])
        self.store.mark_dirty()

    def _create_application(self, body: dict, unique_name: str | None) -> dict:
        if not body.get("displayName"):
            raise bad_request("Property 'displayName' is required.")
        if unique_name is None and body.get("uniqueName"):
            unique_name = body["uniqueName"]
        body = {k: v for k, v in body.items() if k != "uniqueName"}
        self._check_application(body, None)
        if unique_name and self.find("applications", "uniqueName", unique_name):
            raise graph_error(409, "Request_MultipleObjectsWithSameKeyValue",
                              "Another object with the same value for property uniqueName already exists.")
        app = {"id": str(uuid.uuid4()), "appId": str(uuid.uuid4()), "createdDateTime": now_iso(),
               "deletedDateTime": None, "uniqueName": unique_name, "displayName": None, "description": None,
               "signInAudience": "AzureADMyOrg", "identifierUris": [], "appRoles": [], "tags": [], "notes": None,
               "publisherDomain": "sandbox.onmicrosoft.com", "groupMembershipClaims": None,
               "isFallbackPublicClient": None, "serviceManagementReference": None, "keyCredentials": [],
               "passwordCredentials": [], "requiredResourceAccess": [], "optionalClaims": None,
               "api": {"acceptMappedClaims": None, "knownClientApplications": [], "oauth2PermissionScopes": [],
                       "preAuthorizedApplications": [], "requestedAccessTokenVersion": None},
               "info": {"logoUrl": None, "marketingUrl": None, "privacyStatementUrl": None, "supportUrl": None,
                        "termsOfServiceUrl": None},
               "publicClient": {"redirectUris": []}, "spa": {"redirectUris": []},
               "web": {"homePageUrl": None, "logoutUrl": None, "redirectUris": [],
                       "implicitGrantSettings": {"enableAccessTokenIssuance": False, "enableIdTokenIssuance": False}}}
        app.update(copy.deepcopy(body))
        self.objects["applications"][app["id"]] = app
        self.store.mark_dirty()
        return app

    def _create_service_principal(self, body: dict) -> dict:
        self._check_writable(body, SP_WRITABLE, "servicePrincipal")
        app = self.find("applications", "appId", str(body.get("appId") or ""))
        if app is None:
            raise bad_request(f"The appId '{body.get('appId')}' of the service principal does not reference a valid "
                              "application object.")
        if self.find("servicePrincipals", "appId", app["appId"]):
            raise graph_error(409, "Request_MultipleObjectsWithSameKeyValue",
                              "Another object with the same value for property servicePrincipalNames already exists.")
        sp = {"id": str(uuid.uuid4()), "appId": app["appId"], "createdDateTime": now_iso(), "deletedDateTime": None,
              "accountEnabled": True, "appRoleAssignmentRequired": False, "description": None, "notes": None,
              "servicePrincipalType": "Application", "tags": [], "appOwnerOrganizationId": self.identity["tenant_id"],
              "preferredSingleSignOnMode": None, "loginUrl": None, "homepage": None, "keyCredentials": [],
              "passwordCredentials": []}
        sp.update(copy.deepcopy(body))
        self.objects["servicePrincipals"][sp["id"]] = sp
        self.store.mark_dirty()
        return sp

    # -- Graph's validation -------------------------------------------------------------
    @staticmethod
    def _check_writable(body: dict, writable: set, type_name: str, readonly: set = frozenset()) -> None:
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.", "BadRequest")
        for key in body:
            if key.startswith("@odata."):
                continue
            if key in readonly:
                raise bad_request(f"Property '{key}' is read-only and cannot be set.")
            if key not in writable:
                raise bad_request(f"Property '{key}' does not exist on type 'microsoft.graph.{type_name}'. Make sure "
                                  "to only use property names that are defined by the type.", "BadRequest")

    def _check_application(self, body: dict, existing: dict | None) -> None:
        self._check_writable(body, APP_WRITABLE, "application", APP_READONLY)
        if "displayName" in body and not body["displayName"]:
            raise bad_request("Property 'displayName' is required.")
        if body.get("signInAudience") is not None and body["signInAudience"] not in SIGN_IN_AUDIENCES:
            raise bad_request(f"Property 'signInAudience' has an invalid value '{body['signInAudience']}'.")
        if "identifierUris" in body:
            self._check_identifier_uris(body["identifierUris"] or [], existing)
        if "appRoles" in body:
            self._check_app_roles(body["appRoles"] or [], (existing or {}).get("appRoles") or [])

    def _check_identifier_uris(self, uris: list, existing: dict | None) -> None:
        for uri in uris:
            if not re.match(r"^(api|https|http|urn|ms-appx)://?\S+$", str(uri)) and not str(uri).startswith("urn:"):
                raise bad_request(f"Values of identifierUris property must use a verified domain of the organization or "
                                  f"its subdomain: '{uri}'", "HostNameNotOnVerifiedDomain")
            for other in self.objects["applications"].values():
                if other is not existing and str(uri).lower() in [str(u).lower() for u in other.get("identifierUris") or []]:
                    raise bad_request("Another object with the same value for property identifierUris already exists.")

    @staticmethod
    def _check_app_roles(roles: list, current: list) -> None:
        values, ids = set(), set()
        for role in roles:
            if not isinstance(role, dict):
                raise bad_request("Invalid value for property 'appRoles'.")
            try:
                role_id = str(uuid.UUID(str(role.get("id"))))
            except ValueError:
                raise bad_request("Property 'appRoles.id' is required and must be a GUID.") from None
            value = role.get("value")
            if value is not None and (not ROLE_VALUE.match(str(value)) or str(value).startswith(".")):
                raise bad_request(f"Property 'appRoles.value' has an invalid value '{value}'.")
            types = role.get("allowedMemberTypes") or []
            if not types or any(t not in MEMBER_TYPES for t in types):
                raise bad_request("Property 'appRoles.allowedMemberTypes' must hold User and/or Application.")
            if role_id in ids or (value is not None and value in values):
                raise bad_request("Request contains a property with duplicate values.")
            ids.add(role_id)
            values.add(value)
        stated = dict((str(r.get("id")).lower(), r) for r in roles)
        for old in current:
            new = stated.get(str(old.get("id")).lower())
            if old.get("isEnabled", True) and (new is None or new.get("value") != old.get("value")):
                raise bad_request("Permission (scope or role) cannot be deleted or updated unless disabled first.",
                                  "CannotDeleteOrUpdateEnabledEntitlement")

    # -- answers ------------------------------------------------------------------------
    def render(self, collection: str, obj: dict, req, entity: bool = False) -> dict:
        out = copy.deepcopy(obj)
        if collection == "applications":
            for role in out.get("appRoles") or []:
                role["origin"] = "Application"
        else:
            app = self.find("applications", "appId", obj["appId"]) or {}
            out.update(appDisplayName=app.get("displayName"), displayName=obj.get("displayName") or app.get("displayName"),
                       signInAudience=app.get("signInAudience"),
                       servicePrincipalNames=[obj["appId"]] + list(app.get("identifierUris") or []),
                       appRoles=[dict(r, origin="Application") for r in app.get("appRoles") or []])
        if entity:
            out = {"@odata.context": f"{req.base_url}/v1.0/$metadata#{collection}/$entity", **out}
        return out

    # -- control API (drift and seeding; not client traffic) -------------------------------
    def control(self, method: str, rest: str, body) -> Response:
        segs = [s for s in rest.split("/") if s]
        collection = {"applications": "applications", "serviceprincipals": "servicePrincipals"}.get(segs[0].lower() if segs else "")
        if collection is None:
            raise ApiError(404, "NotFound", "Use /_sandbox/graph/applications or /_sandbox/graph/servicePrincipals.")
        with self.store.lock:
            store = self.objects[collection]
            if len(segs) == 1 and method == "GET":
                return Response(200, {"value": list(store.values())})
            if len(segs) == 1 and method == "POST":
                obj = self.create(collection, body or {})
                return Response(200, obj)
            found = store.get(segs[1].lower()) if len(segs) == 2 else None
            if found is None:
                raise ApiError(404, "NotFound", f"No {collection} object '{rest}'.")
            if method == "PATCH":  # drift: set fields as someone in the portal would, without Graph's rules
                found.update(copy.deepcopy(body or {}))
                self.store.mark_dirty()
                return Response(200, found)
            if method == "DELETE":
                self.delete(collection, found["id"])
                return Response(200, {"ok": True})
            return Response(200, found)
