"""Microsoft Graph v1.0 app registrations and service principals: Graph's shapes, keys and rules."""

import uuid

import pytest
import requests

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
APP_KEYS = {"@odata.context", "id", "appId", "uniqueName", "displayName", "signInAudience", "identifierUris",
            "appRoles", "createdDateTime", "publisherDomain", "api", "web", "spa", "publicClient"}


@pytest.fixture
def graph(sandbox):
    token = sandbox.credential().get_token(GRAPH_SCOPE).token

    def call(method, path, body=None, headers=None):
        return requests.request(method, sandbox.arm + "/v1.0" + path, json=body, verify=sandbox.endpoints["ca_file"],
                                headers={"Authorization": "Bearer " + token, **(headers or {})})
    return call


def role(value, enabled=True, role_id=None):
    return {"id": role_id or str(uuid.uuid4()), "value": value, "displayName": value, "description": value,
            "allowedMemberTypes": ["User"], "isEnabled": enabled}


def test_metadata_points_graph_at_the_sandbox(sandbox):
    document = requests.get(sandbox.endpoints["metadata_url"], verify=sandbox.endpoints["ca_file"]).json()
    assert document["microsoftGraphResourceId"].rstrip("/") == sandbox.arm


def test_upsert_by_unique_name_creates_once_then_updates(graph, sandbox):
    missing = graph("PATCH", "/applications(uniqueName='phonebill-api')", {"displayName": "phonebill-api"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "Request_ResourceNotFound"
    assert set(missing.json()["error"]["innerError"]) >= {"date", "request-id"}
    created = graph("PATCH", "/applications(uniqueName='phonebill-api')", {"displayName": "phonebill-api"},
                    {"Prefer": "create-if-missing"})
    assert created.status_code == 201
    app = created.json()
    assert APP_KEYS <= set(app) and app["uniqueName"] == "phonebill-api" and app["signInAudience"] == "AzureADMyOrg"
    assert app["@odata.context"].endswith("/v1.0/$metadata#applications/$entity")
    again = graph("PATCH", "/applications(uniqueName='phonebill-api')", {"description": "API"},
                  {"Prefer": "create-if-missing"})
    assert again.status_code == 204 and again.content == b""
    assert len(sandbox.graph_objects("applications")) == 1
    read = graph("GET", f"/applications(appId='{app['appId']}')").json()
    assert read["description"] == "API" and read["id"] == app["id"]


def test_filter_by_display_name_and_unsupported_filters(graph):
    graph("POST", "/applications", {"displayName": "phonebill-api"})
    listing = graph("GET", "/applications?$filter=displayName eq 'phonebill-api'").json()
    assert listing["@odata.context"].endswith("$metadata#applications") and len(listing["value"]) == 1
    assert graph("GET", "/applications?$filter=displayName eq 'other'").json()["value"] == []
    refused = graph("GET", "/applications?$filter=startswith(displayName,'p')")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "Request_UnsupportedQuery"


def test_enabled_app_role_must_be_disabled_before_removal(graph):
    admin = role("Admin")
    app = graph("POST", "/applications", {"displayName": "a", "appRoles": [role("User"), admin]}).json()
    keep = [r for r in app["appRoles"] if r["value"] == "User"]
    assert all(r["origin"] == "Application" for r in app["appRoles"])
    refused = graph("PATCH", f"/applications/{app['id']}", {"appRoles": keep})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "CannotDeleteOrUpdateEnabledEntitlement"
    renamed = graph("PATCH", f"/applications/{app['id']}", {"appRoles": keep + [dict(admin, value="Admins")]})
    assert renamed.status_code == 400
    assert graph("PATCH", f"/applications/{app['id']}", {"appRoles": keep + [dict(admin, isEnabled=False)]}).status_code == 204
    assert graph("PATCH", f"/applications/{app['id']}", {"appRoles": keep}).status_code == 204
    assert [r["value"] for r in graph("GET", f"/applications/{app['id']}").json()["appRoles"]] == ["User"]


@pytest.mark.parametrize("roles, code", [
    ([{"value": "User", "allowedMemberTypes": ["User"]}], "Request_BadRequest"),  # no id
    ([dict(role("User"), allowedMemberTypes=["Robot"])], "Request_BadRequest"),
    ([role("User"), role("User")], "Request_BadRequest"),
    ([role("has space")], "Request_BadRequest"),
])
def test_app_roles_are_validated_like_graph(graph, roles, code):
    answer = graph("POST", "/applications", {"displayName": "a", "appRoles": roles})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == code


def test_identifier_uris_unique_and_properties_checked(graph):
    assert graph("POST", "/applications", {"displayName": "a", "identifierUris": ["api://phonebill-api"]}).status_code == 201
    taken = graph("POST", "/applications", {"displayName": "b", "identifierUris": ["api://phonebill-api"]})
    assert taken.status_code == 400 and "identifierUris" in taken.json()["error"]["message"]
    assert graph("POST", "/applications", {"appRoles": []}).status_code == 400  # displayName required
    unknown = graph("POST", "/applications", {"displayName": "c", "colour": "blue"})
    assert unknown.status_code == 400 and "does not exist on type 'microsoft.graph.application'" in unknown.json()["error"]["message"]
    readonly = graph("POST", "/applications", {"displayName": "c", "appId": str(uuid.uuid4())})
    assert readonly.status_code == 400


def test_service_principal_one_per_app_mirrors_roles_and_goes_with_the_app(graph, sandbox):
    app = graph("POST", "/applications", {"displayName": "a", "identifierUris": ["api://a"],
                                          "appRoles": [role("Admin")]}).json()
    orphan = graph("POST", "/servicePrincipals", {"appId": str(uuid.uuid4())})
    assert orphan.status_code == 400
    sp = graph("POST", "/servicePrincipals", {"appId": app["appId"]})
    assert sp.status_code == 201
    body = sp.json()
    assert body["servicePrincipalNames"] == [app["appId"], "api://a"] and body["appRoleAssignmentRequired"] is False
    assert [r["value"] for r in body["appRoles"]] == ["Admin"] and body["appDisplayName"] == "a"
    assert graph("POST", "/servicePrincipals", {"appId": app["appId"]}).status_code == 409
    assert graph("PATCH", f"/servicePrincipals/{body['id']}", {"appRoleAssignmentRequired": True}).status_code == 204
    assert graph("GET", f"/servicePrincipals(appId='{app['appId']}')").json()["appRoleAssignmentRequired"] is True
    assert graph("DELETE", f"/applications/{app['id']}").status_code == 204
    assert graph("GET", f"/servicePrincipals/{body['id']}").status_code == 404
    assert sandbox.graph_objects("servicePrincipals") == []


def test_tokens_for_another_audience_are_refused(sandbox):
    token = sandbox.credential().get_token("https://management.azure.com/.default").token
    answer = requests.get(sandbox.arm + "/v1.0/applications", verify=sandbox.endpoints["ca_file"],
                          headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 401


def test_control_api_drift_is_not_client_traffic(graph, sandbox):
    app = sandbox.seed_graph("applications", {"displayName": "a", "uniqueName": "phonebill-api"})
    sandbox.clear_requests()
    sandbox.drift_graph("applications", app["id"], {"displayName": "renamed"})
    assert sandbox.requests() == []
    assert graph("GET", "/applications(uniqueName='phonebill-api')").json()["displayName"] == "renamed"
    writes = sandbox.counters()["by_type"]
    assert writes.get("microsoft.graph/applications", {}).get("writes", 0) == 0
