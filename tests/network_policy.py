# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which connections a set of NetworkPolicy objects admits, by the Kubernetes semantics.

The local control plane stores and defaults NetworkPolicy objects but no CNI
enforces them (kwok has no data plane), so the tests decide what the stored
objects admit with this pure function, as Azure's network policy manager does
on AKS (https://kubernetes.io/docs/concepts/services-networking/network-policies/):

- a pod is isolated for a direction when a policy of its namespace selects it
  (podSelector) and lists that direction in policyTypes (absent: Ingress, plus
  Egress when the policy has egress rules); an isolated pod admits only what
  some rule of some selecting policy admits (policies add up, never subtract);
- a connection needs both sides: the source's egress and the destination's
  ingress (an endpoint outside the cluster has no side of its own);
- a rule with no peers admits every peer, with no ports every port; a peer is
  an ipBlock (cidr minus except), or pods chosen by podSelector in the policy's
  namespace, by namespaceSelector in the chosen namespaces, or by both in one
  element (AND); ports match protocol (default TCP), a number, a range up to
  endPort, or the destination container's named port.

Endpoints are dicts: a pod is {'namespace', 'labels', 'ip', 'ports': {name: number}},
anything else {'ip'}. Policies are API objects as dicts (camelCase, as read back).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

DIRECTIONS = {'Ingress': ('ingress', 'from'), 'Egress': ('egress', 'to')}


def selects(selector, labels):
    """Whether a label selector (matchLabels and matchExpressions; {} selects everything) selects labels."""
    labels = labels or {}
    for key, value in ((selector or {}).get('matchLabels') or {}).items():
        if labels.get(key) != value:
            return False
    for expression in (selector or {}).get('matchExpressions') or []:
        key, operator, values = expression['key'], expression['operator'], expression.get('values') or []
        present = key in labels
        if operator == 'In' and not (present and labels[key] in values):
            return False
        if operator == 'NotIn' and present and labels[key] in values:
            return False
        if operator == 'Exists' and not present:
            return False
        if operator == 'DoesNotExist' and present:
            return False
    return True


def is_pod(endpoint):
    return 'namespace' in endpoint


def _in_block(block, ip):
    if ip is None:
        return False
    address = ipaddress.ip_address(ip)
    return address in ipaddress.ip_network(block['cidr']) and not any(
        address in ipaddress.ip_network(excluded) for excluded in block.get('except') or [])


def peer_matches(peer, policy_namespace, endpoint, namespaces):
    """Whether one from/to element chooses endpoint, for a policy of policy_namespace (namespaces: name -> labels)."""
    if peer.get('ipBlock') is not None:
        return _in_block(peer['ipBlock'], endpoint.get('ip'))
    if not is_pod(endpoint):
        return False
    namespace_selector, pod_selector = peer.get('namespaceSelector'), peer.get('podSelector')
    if namespace_selector is None:
        namespace_ok = endpoint['namespace'] == policy_namespace
    else:
        namespace_ok = selects(namespace_selector, namespaces.get(endpoint['namespace'], {}))
    return namespace_ok and (pod_selector is None or selects(pod_selector, endpoint.get('labels')))


def port_matches(rule_ports, port, protocol, destination):
    """Whether a rule's ports admit protocol/port on destination (a named port is the destination's container port)."""
    if not rule_ports:
        return True
    for entry in rule_ports:
        if entry.get('protocol', 'TCP') != protocol:
            continue
        value = entry.get('port')
        if value is None:
            return True
        if isinstance(value, str) and not value.isdigit():
            value = (destination.get('ports') or {}).get(value)
            if value is None:
                continue
        value = int(value)
        end = entry.get('endPort')
        if (value <= port <= int(end)) if end is not None else port == value:
            return True
    return False


def policy_types(policy):
    spec = policy.get('spec') or {}
    if spec.get('policyTypes'):
        return spec['policyTypes']
    return ['Ingress'] + (['Egress'] if spec.get('egress') else [])


def side_admits(policies, pod, peer, port, protocol, direction, namespaces, destination):
    """Whether pod's side of the connection (direction Ingress or Egress, to/from peer) is admitted."""
    rules_key, peers_key = DIRECTIONS[direction]
    selecting = [p for p in policies
                 if p['metadata'].get('namespace') == pod['namespace'] and direction in policy_types(p)
                 and selects((p.get('spec') or {}).get('podSelector'), pod.get('labels'))]
    if not selecting:
        return True  # not isolated in this direction
    for policy in selecting:
        for rule in policy['spec'].get(rules_key) or []:
            peers = rule.get(peers_key)
            if peers and not any(peer_matches(p, pod['namespace'], peer, namespaces) for p in peers):
                continue
            if port_matches(rule.get('ports'), port, protocol, destination):
                return True
    return False


def allowed(policies, namespaces, source, destination, port, protocol='TCP'):
    """Whether a connection from source to destination:port/protocol is admitted by the policies."""
    egress = not is_pod(source) or side_admits(policies, source, destination, port, protocol, 'Egress', namespaces,
                                               destination)
    ingress = not is_pod(destination) or side_admits(policies, destination, source, port, protocol, 'Ingress', namespaces,
                                                     destination)
    return egress and ingress
