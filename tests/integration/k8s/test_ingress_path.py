# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Application Gateway's path into the services, as the workloads role leaves it on the real control plane.

The role is run once (production inventory, own namespace); every assertion is
on what the API server stored and defaulted, read back: the internal load
balancer Service, its endpoints (the router pods, chosen by the real endpoint
controller), and the network policies. No CNI enforces policies under kwok, so
what they admit is decided by tests/network_policy.py (held to the Kubernetes
documentation's examples by tests/unit/test_network_policy.py), over a table of
flows whose addresses come from the inventory.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import uuid

import pytest
import yaml

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import INVENTORY, run_role, wait_for
from ansible_collections.phonebill.platform.tests.network_policy import allowed

kubernetes = pytest.importorskip('kubernetes')
from kubernetes import client  # noqa: E402  pylint: disable=wrong-import-position


def inventory(name):
    with open('%s/group_vars/all/%s.yml' % (INVENTORY, name)) as handle:
        return yaml.safe_load(handle)


INGRESS = inventory('ingress')['phonebill_ingress']
WORKLOADS = inventory('workloads')['phonebill_workloads']
SUBNETS = dict((s['name'], ipaddress.ip_network(s['address_prefix'])) for s in inventory('network')['phonebill_vnet']['subnets'])
POLICY = WORKLOADS['network_policy']
ROUTER = INGRESS['router']['name']
ROUTED = sorted(set(r['service'] for r in INGRESS['routes']))


def address_in(subnet, offset):
    """An address of an inventory subnet (offset from its network address): a gateway instance, an endpoint."""
    return str(SUBNETS[subnet].network_address + offset)


@pytest.fixture(scope='module')
def converged(role_sandbox, kubeconfig, cluster, tmp_path_factory):
    """The role run once in a namespace of its own; the namespace name."""
    namespace = 'gw-%s' % uuid.uuid4().hex[:8]
    code, dummy, output = run_role(kubeconfig, namespace, tmp_path_factory.mktemp('ingress'), role_sandbox)
    assert code == 0, output
    yield namespace
    cluster.delete_namespace(namespace)


@pytest.fixture(scope='module')
def elsewhere(converged, cluster):
    """A namespace of someone else's, created for real so its labels are the API server's."""
    name = 'elsewhere-%s' % uuid.uuid4().hex[:6]
    cluster.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    yield name
    cluster.delete_namespace(name)


@pytest.fixture(scope='module')
def stored(converged, elsewhere, cluster):
    """What the API server holds: policies as dicts, namespace labels, and one running pod per app as an endpoint."""
    networking = client.NetworkingV1Api(cluster.api)
    policies = [cluster.api.sanitize_for_serialization(p) for p in networking.list_namespaced_network_policy(converged).items]
    namespaces = dict((n.metadata.name, n.metadata.labels or {}) for n in cluster.core.list_namespace().items)

    def running():
        pods = [p for p in cluster.core.list_namespaced_pod(converged).items if p.status.pod_ip and p.status.phase == 'Running']
        by_app = {}
        for pod in pods:
            by_app.setdefault(pod.metadata.labels['app'], pod)
        return by_app if set(by_app) >= set(ROUTED + [ROUTER, 'kos-mock-service']) else None
    pods = wait_for('a running pod of every app', running, timeout=120)
    endpoints = dict((app, {'namespace': converged, 'labels': pod.metadata.labels, 'ip': pod.status.pod_ip,
                            'ports': dict((p.name, p.container_port) for c in pod.spec.containers for p in c.ports or [])})
                     for app, pod in pods.items())
    return dict(policies=policies, namespaces=namespaces, pods=endpoints, namespace=converged, elsewhere=elsewhere)


def test_load_balancer_service_is_internal_at_the_inventory_address_and_selects_the_routers(converged, cluster):
    service = cluster.core.read_namespaced_service(INGRESS['service_name'], converged)
    annotations = service.metadata.annotations
    assert annotations['service.beta.kubernetes.io/azure-load-balancer-internal'] == 'true'
    assert annotations['service.beta.kubernetes.io/azure-load-balancer-ipv4'] == INGRESS['private_ip']
    assert annotations['service.beta.kubernetes.io/azure-load-balancer-internal-subnet'] == INGRESS['subnet']
    assert ipaddress.ip_address(INGRESS['private_ip']) in SUBNETS[INGRESS['subnet']]
    assert service.spec.type == 'LoadBalancer' and service.spec.external_traffic_policy == 'Local'
    assert service.spec.health_check_node_port  # allocated by the API server for Local: the load balancer's probe
    [port] = service.spec.ports
    assert (port.port, port.protocol, port.target_port) == (INGRESS['port'], 'TCP', 'http')
    assert service.spec.selector == {'app': ROUTER}
    # the endpoint controller resolves targetPort "http" to the router's container port, on the router pods only
    discovery = client.DiscoveryV1Api(cluster.api)

    def sliced():
        slices = discovery.list_namespaced_endpoint_slice(
            converged, label_selector='kubernetes.io/service-name=%s' % INGRESS['service_name']).items
        ready = [e for s in slices for e in s.endpoints or [] if e.conditions.ready]
        return slices if len(ready) == INGRESS['router']['replicas'] else None
    slices = wait_for('the load balancer endpoints', sliced, timeout=120)
    assert set(p.port for s in slices for p in s.ports) == {INGRESS['router']['port']}
    routers = cluster.core.list_namespaced_pod(converged, label_selector='app=%s' % ROUTER).items
    assert set(a for s in slices for e in s.endpoints for a in e.addresses) == set(p.status.pod_ip for p in routers)


def test_routers_run_on_the_application_pool_within_their_budget(converged, cluster):
    nodes = dict((n.metadata.name, n.metadata.labels) for n in cluster.core.list_node().items)
    routers = cluster.core.list_namespaced_pod(converged, label_selector='app=%s' % ROUTER).items
    assert len(routers) == INGRESS['router']['replicas']
    assert set(nodes[p.spec.node_name]['agentpool'] for p in routers) == {'app'}
    assert len(set(nodes[p.spec.node_name]['topology.kubernetes.io/zone'] for p in routers)) == 3
    container = routers[0].spec.containers[0]
    assert container.image == INGRESS['router']['image'] and container.security_context.read_only_root_filesystem
    assert container.readiness_probe.http_get.path == INGRESS['health_path']
    config = cluster.core.read_namespaced_config_map(ROUTER, converged).data['default.conf']
    for route in INGRESS['routes']:
        assert 'location %s {\n        proxy_pass http://%s.%s.svc.cluster.local:%d;' % (
            route['path'], route['service'], converged, WORKLOADS['port']) in config
    assert 'location = %s {' % INGRESS['health_path'] in config and 'listen %d;' % INGRESS['router']['port'] in config
    budget = cluster.policy.read_namespaced_pod_disruption_budget(ROUTER, converged)
    assert budget.spec.min_available == INGRESS['router']['pdb']['min_available']


def flows():
    """(what, source, destination, port, protocol, admitted): sources/destinations are app names, 'ns:<ns>:<labels>' pods
    of another namespace, or addresses; the flows the SPEC and the gateway's path need, and their neighbours."""
    instance = address_in(INGRESS['gateway_subnet'], 5)  # a gateway instance
    node = address_in(INGRESS['subnet'], 4)
    database, cache = address_in(POLICY['database_subnet'], 4), address_in(POLICY['cache_subnet'], 4)
    service_port, router_port = WORKLOADS['port'], INGRESS['router']['port']
    table = [
        ('gateway instance to router', instance, ROUTER, router_port, 'TCP', True),
        ('last gateway subnet address to router', str(SUBNETS[INGRESS['gateway_subnet']].broadcast_address - 1), ROUTER,
         router_port, 'TCP', True),
        ('gateway to router over UDP', instance, ROUTER, router_port, 'UDP', False),
        ('gateway to router on another port', instance, ROUTER, 9113, 'TCP', False),
        ('gateway to router on the Service port', instance, ROUTER, 80, 'TCP', False),
        ('node subnet to router (SNAT would look like this)', node, ROUTER, router_port, 'TCP', False),
        ('database subnet to router', database, ROUTER, router_port, 'TCP', False),
        ('pod of another namespace to router', 'ns:elsewhere:app=x', ROUTER, router_port, 'TCP', False),
        ('application pod to router', 'auth-service', ROUTER, router_port, 'TCP', False),
        ('kube-system to router', 'ns:kube-system:k8s-app=konnectivity-agent', ROUTER, router_port, 'TCP', False),
        ('router to DNS over UDP', ROUTER, 'ns:kube-system:k8s-app=kube-dns', 53, 'UDP', True),
        ('router to DNS over TCP', ROUTER, 'ns:kube-system:k8s-app=kube-dns', 53, 'TCP', True),
        ('router to KOS-Mock (not routed)', ROUTER, 'kos-mock-service', service_port, 'TCP', False),
        ('router to a service on another port', ROUTER, ROUTED[0], 9090, 'TCP', False),
        ('router to PostgreSQL', ROUTER, database, 5432, 'TCP', False),
        ('router to HTTPS outside', ROUTER, '20.41.0.1', 443, 'TCP', False),
        ('router to a pod of another namespace', ROUTER, 'ns:elsewhere:app=x', service_port, 'TCP', False),
        ('kube-system to a service (SPEC)', 'ns:kube-system:k8s-app=konnectivity-agent', 'auth-service', POLICY['ingress_port'],
         'TCP', True),
        ('kube-system to a service on another port', 'ns:kube-system:k8s-app=konnectivity-agent', 'auth-service', 9090, 'TCP',
         False),
        ('pod of another namespace to a service', 'ns:elsewhere:tier=application', 'auth-service', service_port, 'TCP', False),
        ('pod of another namespace to KOS-Mock', 'ns:elsewhere:tier=application', 'kos-mock-service', service_port, 'TCP', False),
        ('gateway straight to a service', instance, 'auth-service', service_port, 'TCP', False),
        ('gateway straight to KOS-Mock', instance, 'kos-mock-service', service_port, 'TCP', False),
        ('service to DNS', 'bill-inquiry-service', 'ns:kube-system:k8s-app=kube-dns', 53, 'UDP', True),
        ('service to PostgreSQL subnet', 'bill-inquiry-service', database, 5432, 'TCP', True),
        ('service to PostgreSQL subnet on the Redis port', 'bill-inquiry-service', database, 6380, 'TCP', False),
        ('service to Redis subnet over TLS (SPEC note)', 'bill-inquiry-service', cache, 6380, 'TCP', True),
        ('service to Redis subnet, non-TLS port', 'bill-inquiry-service', cache, 6379, 'TCP', True),
        ('service to Redis subnet on the PostgreSQL port', 'bill-inquiry-service', cache, 5432, 'TCP', False),
        ('service to HTTPS anywhere (SPEC)', 'bill-inquiry-service', '20.41.0.1', POLICY['https_port'], 'TCP', True),
        ('service to plain HTTP outside', 'bill-inquiry-service', '20.41.0.1', 80, 'TCP', False),
        ('service to KOS-Mock (SPEC)', 'bill-inquiry-service', 'kos-mock-service', service_port, 'TCP', True),
        ('service to KOS-Mock on another port', 'bill-inquiry-service', 'kos-mock-service', 9090, 'TCP', False),
        ('service to the router', 'bill-inquiry-service', ROUTER, router_port, 'TCP', False),
    ]
    table += [('router to %s' % name, ROUTER, name, service_port, 'TCP', True) for name in ROUTED]
    return table


FLOWS = flows()


def endpoint(name, stored):
    if name in stored['pods']:
        return stored['pods'][name]
    if name.startswith('ns:'):
        dummy, namespace, label = name.split(':')
        key, value = label.split('=')
        return {'namespace': namespace, 'labels': {key: value}, 'ip': '10.244.250.9', 'ports': {}}
    return {'ip': name}


@pytest.mark.parametrize('what, source, destination, port, protocol, admitted', FLOWS, ids=[f[0] for f in FLOWS])
def test_policies_admit_exactly_the_flows(stored, what, source, destination, port, protocol, admitted):
    namespaces, elsewhere = stored['namespaces'], stored['elsewhere']
    assert namespaces['kube-system']['kubernetes.io/metadata.name'] == 'kube-system'  # set by the API server
    assert namespaces[elsewhere]['kubernetes.io/metadata.name'] == elsewhere
    source, destination = (endpoint(n.replace(':elsewhere:', ':%s:' % elsewhere), stored) for n in (source, destination))
    assert allowed(stored['policies'], namespaces, source, destination, port, protocol) is admitted, what


def test_every_stored_policy_was_evaluated(stored):
    """The stored objects are the role's three policies, with what the API server defaulted."""
    names = sorted(p['metadata']['name'] for p in stored['policies'])
    assert names == sorted([POLICY['name'], INGRESS['router']['network_policy'], 'kos-mock-service-ingress'])
    router_policy = [p for p in stored['policies'] if p['metadata']['name'] == INGRESS['router']['network_policy']][0]
    assert router_policy['spec']['policyTypes'] == ['Ingress', 'Egress']
    assert router_policy['spec']['ingress'] == [{'from': [{'ipBlock': {'cidr': str(SUBNETS[INGRESS['gateway_subnet']])}}],
                                                 'ports': [{'port': INGRESS['router']['port'], 'protocol': 'TCP'}]}]
