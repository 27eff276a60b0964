"""Azure RBAC: built-in role definitions (real GUIDs) and role-assignment rules."""

import re

from .messages import ApiError

BUILTIN_ROLES = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "7f951dda-4ed3-4680-a7ca-43fe172d538d": "AcrPull",
    "8311e382-0749-4cb8-b61a-304f252e45ec": "AcrPush",
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
    "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
    "a4417e6f-fecd-4de8-b567-7b0420556985": "Key Vault Certificates Officer",
    "12338af0-0e69-4776-bea7-57ae8d297424": "Key Vault Crypto User",
    "4d97b98b-1d4f-4787-a291-c67834d212e7": "Network Contributor",
    "f1a07417-d97a-45cb-824c-7a7467783830": "Managed Identity Operator",
    "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b": "Azure Kubernetes Service RBAC Cluster Admin",
    "3498e952-d568-435e-9b2c-8d77e338d7f7": "Azure Kubernetes Service RBAC Admin",
    "4abbcc35-e782-43d8-92c5-2d3f1bd2253f": "Azure Kubernetes Service Cluster User Role",
    "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
    "43d0d8ad-25c7-4714-9337-8ba259a9fe05": "Monitoring Reader",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
    "b0d8363b-8ddd-447d-831f-62ca05bff136": "Monitoring Data Reader",
}

ROLE_TYPE = "Microsoft.Authorization/roleAssignments"


def role_definition(subscription: str, guid: str) -> dict | None:
    name = BUILTIN_ROLES.get(guid.lower())
    if not name:
        return None
    return {
        "id": f"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{guid.lower()}",
        "name": guid.lower(),
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": name,
            "type": "BuiltInRole",
            "description": f"Built-in role {name}",
            "assignableScopes": ["/"],
            "permissions": [{"actions": [], "notActions": [], "dataActions": [], "notDataActions": []}],
        },
    }


def list_role_definitions(subscription: str, odata_filter: str | None) -> list:
    defs = [role_definition(subscription, g) for g in BUILTIN_ROLES]
    m = re.search(r"roleName\s+eq\s+'([^']*)'", odata_filter or "", re.I)
    if m:
        defs = [d for d in defs if d["properties"]["roleName"].lower() == m.group(1).lower()]
    return defs


def _scope_of(rec: dict) -> str:
    return rec["body"].get("properties", {}).get("scope", "").lower().rstrip("/")


def assignments_for(store, scope: str, odata_filter: str | None) -> list:
    """Assignments at, above, and below ``scope`` (``atScope()``: at or above)."""
    scope = scope.lower().rstrip("/")
    at_scope = "atscope()" in (odata_filter or "").lower()
    out = []
    for rec in store.find(ROLE_TYPE):
        s = _scope_of(rec)
        above = scope == s or scope.startswith(s + "/")
        below = s.startswith(scope + "/")
        if above or (below and not at_scope):
            out.append(rec)
    m = re.search(r"(principalId|assignedTo\()\s*(?:eq\s*)?'([^']*)'", odata_filter or "", re.I)
    if m:
        out = [r for r in out if r["body"].get("properties", {}).get("principalId", "").lower() == m.group(2).lower()]
    return out


def check_unique(store, rid: str, incoming: dict) -> None:
    """ARM refuses a second assignment of the same role to the same principal at a scope."""
    props = incoming.get("properties", {})
    scope = rid.lower().rsplit("/providers/microsoft.authorization/roleassignments/", 1)[0]
    role = str(props.get("roleDefinitionId", "")).lower().rsplit("/", 1)[-1]
    principal = str(props.get("principalId", "")).lower()
    for rec in store.find(ROLE_TYPE):
        p = rec["body"].get("properties", {})
        if (_scope_of(rec) == scope and p.get("principalId", "").lower() == principal
                and str(p.get("roleDefinitionId", "")).lower().rsplit("/", 1)[-1] == role):
            raise ApiError(409, "RoleAssignmentExists", f"The role assignment already exists. The ID of the existing role assignment is {rec['body']['name']}.")
