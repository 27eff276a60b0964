# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""weekly.yml's capacity review with faults on the real control plane: a pool at its autoscaler maximum, a pod no
node fits, an autoscaler at its maximum without metrics.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

# the fixtures kube and platform are imported for pytest to find them
# pylint: disable=redefined-outer-name,unused-import
from ansible_collections.phonebill.platform.tests.integration.weekly_platform import (  # noqa: F401,F811
    checks, kube, platform, play)


def test_pool_at_its_maximum_pending_pods_and_autoscaler_at_maximum(sandbox, platform, cluster, namespace, kube, tmp_path):
    from kubernetes import client  # pylint: disable=import-outside-toplevel
    sandbox.drift('%s/agentPools/app' % platform['cluster'], {'properties': {'maxCount': 3}})
    toleration = [client.V1Toleration(key='application-workload', operator='Equal', value='true', effect='NoSchedule')]

    def deployment(name, replicas, cpu):
        labels = {'app': name}
        return client.V1Deployment(metadata=client.V1ObjectMeta(name=name), spec=client.V1DeploymentSpec(
            replicas=replicas, selector=client.V1LabelSelector(match_labels=labels), template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels), spec=client.V1PodSpec(tolerations=toleration, containers=[
                    client.V1Container(name='app', image='registry.example/app:1', resources=client.V1ResourceRequirements(
                        requests={'cpu': cpu}))]))))
    apps = client.AppsV1Api(kube)
    apps.create_namespaced_deployment(namespace, deployment('auth-service', 2, '100m'))
    apps.create_namespaced_deployment(namespace, deployment('too-big', 1, '500'))
    client.AutoscalingV2Api(kube).create_namespaced_horizontal_pod_autoscaler(namespace, client.V2HorizontalPodAutoscaler(
        metadata=client.V1ObjectMeta(name='auth-service'), spec=client.V2HorizontalPodAutoscalerSpec(
            min_replicas=1, max_replicas=2, scale_target_ref=client.V2CrossVersionObjectReference(
                api_version='apps/v1', kind='Deployment', name='auth-service'),
            metrics=[client.V2MetricSpec(type='Resource', resource=client.V2ResourceMetricSource(
                name='cpu', target=client.V2MetricTarget(type='Utilization', average_utilization=70)))])))
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:   # the HPA controller syncs every 5 s on the control plane
        status = client.AutoscalingV2Api(kube).read_namespaced_horizontal_pod_autoscaler(
            'auth-service', namespace).status
        pending = [p for p in client.CoreV1Api(kube).list_namespaced_pod(namespace, label_selector='app=too-big').items
                   if any(c.reason == 'Unschedulable' for c in p.status.conditions or [])]
        if status and status.current_replicas == 2 and status.conditions and pending:
            break
        time.sleep(0.5)
    code, output, report = play(sandbox, cluster, namespace, tmp_path)
    assert code == 2, output[-4000:]
    found = checks(report)
    app = found['node pool app nodes vs autoscaler']
    assert (app['status'], app['measured'], app['threshold']) == ('FAIL', 3, '<= 2 nodes, >= 3 nodes, <= 2 nodes to pass')
    assert 'the autoscaler can add no node' in app['detail']
    assert found['node pool system nodes vs autoscaler']['status'] == 'PASS'
    pods = found['pods no node fits']
    assert (pods['status'], pods['measured']) == ('FAIL', 1) and '%s/too-big-' % namespace in pods['detail']
    assert 'Insufficient cpu' in pods['detail']
    hpa = found['autoscaler %s/auth-service replicas vs maximum' % namespace]
    assert (hpa['status'], hpa['measured'], hpa['threshold']) == ('WARN', 2, '<= 1 replicas to pass')
    assert 'at its maximum' in hpa['detail']
    unknown = found['autoscalers with unknown metrics']   # no metrics server on the control plane
    assert (unknown['status'], unknown['measured']) == ('WARN', 1) and 'auth-service: FailedGetResourceMetric' in unknown['detail']
    assert 'check(s) FAIL: node pool app nodes vs autoscaler, pods no node fits' in output
