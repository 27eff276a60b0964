"""Application Gateway v2 and its WAF policy, through the real SDK client: Azure's refusals and read-only fields."""

import copy

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.network import NetworkManagementClient

POLICY = {"location": "koreacentral", "properties": {
    "policySettings": {"mode": "Prevention", "state": "Enabled"},
    "managedRules": {"managedRuleSets": [{"ruleSetType": "OWASP", "ruleSetVersion": "3.2"}]},
    "customRules": [{"name": "RateLimiting", "priority": 10, "ruleType": "RateLimitRule", "action": "Block",
                     "rateLimitDuration": "OneMin", "rateLimitThreshold": 100,
                     "matchConditions": [{"matchVariables": [{"variableName": "RemoteAddr"}], "operator": "IPMatch",
                                          "negationConditon": True, "matchValues": ["10.0.0.0/16"]}]}]}}


@pytest.fixture
def net(mgmt, rg):
    client = mgmt(NetworkManagementClient)
    client.virtual_networks.begin_create_or_update(rg, "vnet", {"location": "koreacentral", "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "snet-gateway", "properties": {"addressPrefix": "10.0.4.0/24"}},
                    {"name": "snet-app", "properties": {"addressPrefix": "10.0.1.0/24"}}]}}).result()
    client.public_ip_addresses.begin_create_or_update(rg, "pip", {"location": "koreacentral", "sku": {"name": "Standard"},
                                                                   "properties": {"publicIPAllocationMethod": "Static"}}).result()
    client.web_application_firewall_policies.create_or_update(rg, "waf", copy.deepcopy(POLICY))
    return client


def gateway_body(client, rg, **changes):
    sub = client._config.subscription_id  # pylint: disable=protected-access
    base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network"
    gw = f"{base}/applicationGateways/agw"
    body = {"location": "koreacentral", "zones": ["1", "2", "3"], "properties": {
        "sku": {"name": "WAF_v2", "tier": "WAF_v2"}, "autoscaleConfiguration": {"minCapacity": 2, "maxCapacity": 10},
        "gatewayIPConfigurations": [{"name": "ipconfig", "properties": {"subnet": {"id": f"{base}/virtualNetworks/vnet/subnets/snet-gateway"}}}],
        "frontendIPConfigurations": [
            {"name": "public", "properties": {"publicIPAddress": {"id": f"{base}/publicIPAddresses/pip"}}},
            {"name": "private", "properties": {"privateIPAddress": "10.0.4.10", "privateIPAllocationMethod": "Static",
                                               "subnet": {"id": f"{base}/virtualNetworks/vnet/subnets/snet-gateway"}}}],
        "frontendPorts": [{"name": "port-80", "properties": {"port": 80}}],
        "backendAddressPools": [{"name": "aks-backend", "properties": {"backendAddresses": [{"ipAddress": "10.0.1.250"}]}}],
        "backendHttpSettingsCollection": [{"name": "aks-http", "properties": {"port": 80, "protocol": "Http"}}],
        "httpListeners": [{"name": "http", "properties": {
            "frontendIPConfiguration": {"id": f"{gw}/frontendIPConfigurations/public"},
            "frontendPort": {"id": f"{gw}/frontendPorts/port-80"}, "protocol": "Http"}}],
        "requestRoutingRules": [{"name": "api-routing", "properties": {
            "ruleType": "Basic", "priority": 100, "httpListener": {"id": f"{gw}/httpListeners/http"},
            "backendAddressPool": {"id": f"{gw}/backendAddressPools/aks-backend"},
            "backendHttpSettings": {"id": f"{gw}/backendHttpSettingsCollection/aks-http"}}}],
        "firewallPolicy": {"id": f"{base}/ApplicationGatewayWebApplicationFirewallPolicies/waf"}}}
    for path, value in changes.items():
        node = body
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is None:
            node.pop(keys[-1])
        else:
            node[keys[-1]] = value
    return body


def refused(call, code):
    with pytest.raises(HttpResponseError) as exc:
        call()
    assert exc.value.status_code == 400 and exc.value.error.code == code, exc.value.message
    return exc.value.error.message


def test_created_gateway_has_azures_read_only_fields_and_the_policy_names_it(net, rg, sandbox):
    gateway = net.application_gateways.begin_create_or_update(rg, "agw", gateway_body(net, rg)).result().as_dict()
    props = gateway["properties"]
    assert props["provisioningState"] == "Succeeded" and props["operationalState"] == "Running"
    assert props["resourceGuid"]
    rule = props["requestRoutingRules"][0]
    assert rule["id"] == gateway["id"] + "/requestRoutingRules/api-routing" and rule["etag"] == gateway["etag"]
    assert rule["properties"]["provisioningState"] == "Succeeded"
    policy = net.web_application_firewall_policies.get(rg, "waf")
    assert [g.id for g in policy.application_gateways] == [gateway["id"]]
    assert policy.custom_rules[0].state == "Enabled" and policy.policy_settings.request_body_check is True
    writes = sandbox.writes_count()
    net.application_gateways.begin_delete(rg, "agw").result()
    assert sandbox.writes_count() == writes + 1
    assert net.web_application_firewall_policies.get(rg, "waf").application_gateways == []


def test_waf_policy_needs_the_waf_sku_and_the_waf_sku_needs_a_policy(net, rg):
    message = refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", gateway_body(
        net, rg, **{"properties.sku": {"name": "Standard_v2", "tier": "Standard_v2"}})).result(),
        "ApplicationGatewayFirewallPolicyNotSupportedForSelectedSku")
    assert "Standard_v2" in message
    refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", gateway_body(
        net, rg, **{"properties.firewallPolicy": None})).result(), "ApplicationGatewayFirewallNotConfiguredForSelectedSku")


def test_rule_without_priority_or_with_a_taken_one_is_refused(net, rg):
    message = refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", gateway_body(
        net, rg, **{"properties.requestRoutingRules.0.properties.priority": None})).result(),
        "ApplicationGatewayRequestRoutingRulePriorityCannotBeEmpty")
    assert "api-version 2021-08-01" in message
    body = gateway_body(net, rg)
    second = copy.deepcopy(body["properties"]["requestRoutingRules"][0])
    second["name"] = "other"
    body["properties"]["requestRoutingRules"].append(second)
    refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", body).result(),
            "ApplicationGatewayRequestRoutingRulesWithSamePriority")


def test_references_must_resolve(net, rg):
    body = gateway_body(net, rg)
    body["properties"]["httpListeners"][0]["properties"]["frontendPort"]["id"] += "-missing"
    message = refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", body).result(),
                      "InvalidResourceReference")
    assert "frontendPorts/port-80-missing" in message
    body = gateway_body(net, rg)
    body["properties"]["frontendIPConfigurations"][0]["properties"]["publicIPAddress"]["id"] += "x"
    refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", body).result(), "InvalidResourceReference")


def test_subnet_is_dedicated_and_holds_the_private_frontend(net, rg, mgmt):
    body = gateway_body(net, rg, **{"properties.frontendIPConfigurations.1.properties.privateIPAddress": "10.0.1.10"})
    refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", body).result(), "PrivateIPAddressNotInSubnet")
    subnet = net.subnets.get(rg, "vnet", "snet-gateway").id
    net.private_endpoints.begin_create_or_update(rg, "pe", {"location": "koreacentral", "properties": {
        "subnet": {"id": subnet}, "privateLinkServiceConnections": [{"name": "c", "properties": {
            "privateLinkServiceId": net.public_ip_addresses.get(rg, "pip").id, "groupIds": ["x"]}}]}}).result()
    refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", gateway_body(net, rg)).result(),
            "ApplicationGatewaySubnetCannotBeUsedByOtherResources")


def test_policy_cannot_be_removed_from_a_gateway_and_zones_are_fixed(net, rg):
    net.application_gateways.begin_create_or_update(rg, "agw", gateway_body(net, rg)).result()
    refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", gateway_body(
        net, rg, **{"properties.firewallPolicy": None, "properties.sku": {"name": "WAF_v2", "tier": "WAF_v2"}})).result(),
        "ApplicationGatewayFirewallNotConfiguredForSelectedSku")
    refused(lambda: net.application_gateways.begin_create_or_update(rg, "agw", gateway_body(
        net, rg, zones=["1"])).result(), "ApplicationGatewayZonesCannotBeModified")


def test_waf_policy_custom_rule_needs_match_values(net, rg):
    body = copy.deepcopy(POLICY)
    body["properties"]["customRules"][0]["matchConditions"][0]["matchValues"] = []
    refused(lambda: net.web_application_firewall_policies.create_or_update(rg, "waf2", body),
            "ApplicationGatewayFirewallCustomRuleMatchValuesMissing")
