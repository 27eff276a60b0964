# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NetworkPolicy evaluator against the examples of the Kubernetes documentation.

Each case is an example of https://kubernetes.io/docs/concepts/services-networking/network-policies/
with the connections the page says it admits or refuses, so the evaluator the
ingress-path test relies on is itself held to the documented semantics.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.tests.network_policy import allowed, selects

NAMESPACES = {'default': {'kubernetes.io/metadata.name': 'default'},
              'myproject': {'kubernetes.io/metadata.name': 'myproject', 'project': 'myproject'},
              'other': {'kubernetes.io/metadata.name': 'other'},
              'alice': {'kubernetes.io/metadata.name': 'alice', 'user': 'alice'}}


def pod(namespace, ip='192.168.5.5', ports=None, **labels):
    return {'namespace': namespace, 'labels': labels, 'ip': ip, 'ports': ports or {}}


def outside(ip):
    return {'ip': ip}


def policy(name, namespace='default', **spec):
    return {'metadata': {'name': name, 'namespace': namespace}, 'spec': spec}


# "The NetworkPolicy resource" example: test-network-policy.
TEST_NETWORK_POLICY = policy(
    'test-network-policy', podSelector={'matchLabels': {'role': 'db'}}, policyTypes=['Ingress', 'Egress'],
    ingress=[{'from': [{'ipBlock': {'cidr': '172.17.0.0/16', 'except': ['172.17.1.0/24']}},
                       {'namespaceSelector': {'matchLabels': {'project': 'myproject'}}},
                       {'podSelector': {'matchLabels': {'role': 'frontend'}}}],
              'ports': [{'protocol': 'TCP', 'port': 6379}]}],
    egress=[{'to': [{'ipBlock': {'cidr': '10.0.0.0/24'}}], 'ports': [{'protocol': 'TCP', 'port': 5978}]}])
DB = pod('default', role='db')

DOCUMENTED_TEST_NETWORK_POLICY = [
    # "allows connections to TCP port 6379 of role=db pods in the default namespace from: any pod in the default
    # namespace with the label role=frontend; any pod in a namespace with the label project=myproject; IP addresses
    # in the ranges 172.17.0.0-172.17.0.255 and 172.17.2.0-172.17.255.255"
    ('frontend in default', pod('default', role='frontend'), DB, 6379, 'TCP', True),
    ('frontend on another port', pod('default', role='frontend'), DB, 6380, 'TCP', False),
    ('frontend over UDP', pod('default', role='frontend'), DB, 6379, 'UDP', False),
    ('frontend label in another namespace', pod('other', role='frontend'), DB, 6379, 'TCP', False),
    ('any pod of myproject', pod('myproject', role='anything'), DB, 6379, 'TCP', True),
    ('unlabelled pod of default', pod('default'), DB, 6379, 'TCP', False),
    ('172.17.0.9', outside('172.17.0.9'), DB, 6379, 'TCP', True),
    ('172.17.1.9 (except)', outside('172.17.1.9'), DB, 6379, 'TCP', False),
    ('172.17.2.0', outside('172.17.2.0'), DB, 6379, 'TCP', True),
    ('172.18.0.1', outside('172.18.0.1'), DB, 6379, 'TCP', False),
    # "allows connections from any pod in the default namespace with the label role=db to CIDR 10.0.0.0/24 on TCP 5978"
    ('db to 10.0.0.7:5978', DB, outside('10.0.0.7'), 5978, 'TCP', True),
    ('db to 10.0.0.7:443', DB, outside('10.0.0.7'), 443, 'TCP', False),
    ('db to 10.0.1.7:5978', DB, outside('10.0.1.7'), 5978, 'TCP', False),
    # pods the policy does not select are not isolated
    ('to a web pod', outside('8.8.8.8'), pod('default', role='web'), 80, 'TCP', True),
    ('from a web pod anywhere', pod('default', role='web'), outside('8.8.8.8'), 443, 'TCP', True),
]


@pytest.mark.parametrize('case, source, destination, port, protocol, expected', DOCUMENTED_TEST_NETWORK_POLICY,
                         ids=[c[0] for c in DOCUMENTED_TEST_NETWORK_POLICY])
def test_documented_test_network_policy(case, source, destination, port, protocol, expected):
    assert allowed([TEST_NETWORK_POLICY], NAMESPACES, source, destination, port, protocol) is expected, case


def test_namespace_and_pod_selector_in_one_element_is_and_in_two_is_or():
    """"Behavior of to and from selectors": one element = role=client pods in namespaces user=alice; two = either."""
    alice = {'namespaceSelector': {'matchLabels': {'user': 'alice'}}}
    client = {'podSelector': {'matchLabels': {'role': 'client'}}}
    one = policy('one', podSelector={}, ingress=[{'from': [dict(alice, **client)]}])
    two = policy('two', podSelector={}, ingress=[{'from': [alice, client]}])
    target = pod('default', app='x')
    alice_client, alice_other = pod('alice', role='client'), pod('alice', role='other')
    default_client = pod('default', role='client')
    assert [allowed([one], NAMESPACES, s, target, 80) for s in (alice_client, alice_other, default_client)] == [True, False, False]
    assert [allowed([two], NAMESPACES, s, target, 80) for s in (alice_client, alice_other, default_client)] == [True, True, True]
    assert not allowed([two], NAMESPACES, pod('other', role='other'), target, 80)


def test_default_deny_ingress_leaves_egress_open():
    deny = policy('default-deny-ingress', podSelector={}, policyTypes=['Ingress'])
    a, b = pod('default', app='a'), pod('default', app='b')
    assert not allowed([deny], NAMESPACES, a, b, 80)
    assert allowed([deny], NAMESPACES, a, outside('1.1.1.1'), 443)
    assert allowed([deny], NAMESPACES, b, pod('other', app='c'), 80)


def test_allow_all_ingress_overrides_default_deny():
    """Policies add up: "allow-all-ingress" (one empty rule) beside a default deny admits everything."""
    deny = policy('default-deny-ingress', podSelector={}, policyTypes=['Ingress'])
    allow = policy('allow-all-ingress', podSelector={}, ingress=[{}], policyTypes=['Ingress'])
    assert allowed([deny, allow], NAMESPACES, pod('other', app='z'), pod('default', app='b'), 12345, 'UDP')


def test_default_deny_egress_and_default_deny_all():
    deny_egress = policy('default-deny-egress', podSelector={}, policyTypes=['Egress'])
    deny_all = policy('default-deny-all', podSelector={}, policyTypes=['Ingress', 'Egress'])
    a = pod('default', app='a')
    assert not allowed([deny_egress], NAMESPACES, a, outside('1.1.1.1'), 443)
    assert allowed([deny_egress], NAMESPACES, outside('1.1.1.1'), a, 443)
    assert not allowed([deny_all], NAMESPACES, outside('1.1.1.1'), a, 443)


def test_policy_types_default_from_the_rules():
    """policyTypes absent: Ingress always, Egress only when the policy has egress rules."""
    ingress_only = policy('i', podSelector={'matchLabels': {'app': 'a'}})
    with_egress = policy('e', podSelector={'matchLabels': {'app': 'a'}}, egress=[{'ports': [{'port': 53, 'protocol': 'UDP'}]}])
    a = pod('default', app='a')
    assert not allowed([ingress_only], NAMESPACES, outside('1.1.1.1'), a, 80)
    assert allowed([ingress_only], NAMESPACES, a, outside('1.1.1.1'), 80)
    assert not allowed([with_egress], NAMESPACES, a, outside('1.1.1.1'), 80)
    assert allowed([with_egress], NAMESPACES, a, outside('1.1.1.1'), 53, 'UDP')


def test_port_range_with_end_port():
    """"Targeting a range of ports": TCP 32000-32768 to 10.0.0.0/24."""
    ranged = policy('multi-port-egress', podSelector={'matchLabels': {'role': 'db'}}, policyTypes=['Egress'],
                    egress=[{'to': [{'ipBlock': {'cidr': '10.0.0.0/24'}}],
                             'ports': [{'protocol': 'TCP', 'port': 32000, 'endPort': 32768}]}])
    results = [allowed([ranged], NAMESPACES, DB, outside('10.0.0.1'), port) for port in (31999, 32000, 32500, 32768, 32769)]
    assert results == [False, True, True, True, False]


def test_named_port_is_the_destination_container_port():
    named = policy('named', podSelector={'matchLabels': {'app': 'api'}}, ingress=[{'ports': [{'port': 'http'}]}])
    api = pod('default', ports={'http': 8080}, app='api')
    assert allowed([named], NAMESPACES, outside('1.2.3.4'), api, 8080)
    assert not allowed([named], NAMESPACES, outside('1.2.3.4'), api, 80)
    assert not allowed([named], NAMESPACES, outside('1.2.3.4'), pod('default', app='api'), 8080)


def test_both_sides_must_admit():
    """A connection between two isolated pods needs the source's egress and the destination's ingress."""
    egress = policy('egress', podSelector={'matchLabels': {'app': 'a'}}, policyTypes=['Egress'],
                    egress=[{'to': [{'podSelector': {'matchLabels': {'app': 'b'}}}]}])
    ingress = policy('ingress', podSelector={'matchLabels': {'app': 'b'}}, policyTypes=['Ingress'],
                     ingress=[{'from': [{'podSelector': {'matchLabels': {'app': 'c'}}}]}])
    a, b = pod('default', app='a'), pod('default', app='b')
    assert allowed([egress], NAMESPACES, a, b, 80)
    assert not allowed([egress, ingress], NAMESPACES, a, b, 80)


@pytest.mark.parametrize('selector, labels, expected', [
    ({}, {'a': '1'}, True),
    ({'matchLabels': {'a': '1'}}, {'a': '1', 'b': '2'}, True),
    ({'matchLabels': {'a': '1'}}, {'a': '2'}, False),
    ({'matchExpressions': [{'key': 'app', 'operator': 'In', 'values': ['x', 'y']}]}, {'app': 'y'}, True),
    ({'matchExpressions': [{'key': 'app', 'operator': 'In', 'values': ['x']}]}, {}, False),
    ({'matchExpressions': [{'key': 'app', 'operator': 'NotIn', 'values': ['x']}]}, {}, True),
    ({'matchExpressions': [{'key': 'app', 'operator': 'NotIn', 'values': ['x']}]}, {'app': 'x'}, False),
    ({'matchExpressions': [{'key': 'app', 'operator': 'Exists'}]}, {'app': ''}, True),
    ({'matchExpressions': [{'key': 'app', 'operator': 'DoesNotExist'}]}, {'app': ''}, False),
])
def test_label_selector(selector, labels, expected):
    assert selects(selector, labels) is expected
