# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/weekly.yml with the production inventory against the sandbox and the real control plane.

The platform is seeded as Azure returns it (pools with their autoscaler limits, a PostgreSQL server created
40 days ago with its daily backups, a Redis cache with RDB persistence); the control plane's nodes are the
inventory's pools. Faults come through the sandbox's control API and the Kubernetes API. Each test asserts
the report's checks (verdict, measured value, threshold), the exit code, and what was written to Azure.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import glob
import json
import os
import subprocess
import sys
import time

import pytest

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
INVENTORY = os.path.join(COLLECTION, 'inventories', 'prod')
PLAYBOOK = os.path.join(COLLECTION, 'playbooks', 'maintenance', 'weekly.yml')
GROUP = 'rg-phonebill-prod'
INSIDE = '2026-12-05T17:10:00Z'    # Sunday 02:10 KST: 110 minutes left for the 90-minute budget
OUTSIDE = '2026-12-05T16:59:59Z'   # Sunday 01:59:59 KST
TAG = 'phonebill-maintenance-lock'


def _iso(delta):
    return (datetime.datetime.now(datetime.timezone.utc) - delta).strftime('%Y-%m-%dT%H:%M:%S.%f0Z')


def arm(sandbox, path):
    return '/subscriptions/%s/resourceGroups/%s/providers/%s' % (sandbox.subscription_id, GROUP, path)


def seed_platform(sandbox, app_max=10):
    """The resources the weekly procedure reads, in the shapes Azure returns them."""
    cluster = arm(sandbox, 'Microsoft.ContainerService/managedClusters/aks-phonebill-prod')
    pools = [dict(id='%s/agentPools/%s' % (cluster, name), name=name, properties=dict(
        count=3, enableAutoScaling=True, minCount=3, maxCount=high, vmSize=size, mode=mode, provisioningState='Succeeded',
        availabilityZones=['1', '2', '3'])) for name, high, size, mode in (('system', 5, 'Standard_D2s_v3', 'System'),
                                                                           ('app', app_max, 'Standard_D4s_v3', 'User'))]
    created = _iso(datetime.timedelta(days=40, hours=3))
    server = dict(id=arm(sandbox, 'Microsoft.DBforPostgreSQL/flexibleServers/psql-phonebill-prod'), location='koreacentral',
                  sku=dict(name='Standard_D4s_v3', tier='GeneralPurpose'), systemData=dict(createdAt=created),
                  properties=dict(version='16', state='Ready', administratorLogin='phonebilladmin', availabilityZone='1',
                                  backup=dict(backupRetentionDays=35, geoRedundantBackup='Enabled',
                                              earliestRestoreDate=_iso(datetime.timedelta(days=35, hours=1)))))
    cache = dict(id=arm(sandbox, 'Microsoft.Cache/Redis/redis-phonebill-prod'), location='koreacentral', properties=dict(
        sku=dict(name='Premium', family='P', capacity=2), shardCount=3, provisioningState='Succeeded',
        redisConfiguration={'rdb-backup-enabled': 'true', 'rdb-backup-frequency': '60', 'rdb-backup-max-snapshot-count': '1',
                            'maxclients': '15000'}))
    sandbox.seed([dict(id=cluster, location='koreacentral', properties=dict(kubernetesVersion='1.33.2', dnsPrefix='phonebill-prod'))]
                 + pools + [server, cache])
    return dict(cluster=cluster, server=server['id'], cache=cache['id'])


def play(sandbox, cluster, namespace, tmp_path, now=INSIDE, **extra):
    """ansible-playbook weekly.yml; (return code, output, the report written)."""
    reports = tmp_path / 'reports'
    extra = dict(dict(maintenance_guard_now=now, maintenance_guard_verify_delay_seconds=0, phonebill_kubeconfig=cluster,
                      phonebill_workload_namespace=namespace), **extra)
    (tmp_path / 'vars.json').write_text(json.dumps(extra))
    env = dict(os.environ, **sandbox.ansible_env())
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1', ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'),
               PHONEBILL_REPORT_DIR=str(reports))
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY,
                           '-e', 'ansible_python_interpreter=%s' % sys.executable, '-e', '@%s' % (tmp_path / 'vars.json'), PLAYBOOK],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    written = sorted(glob.glob(str(reports / 'weekly-*.json')))
    report = json.loads(open(written[-1]).read()) if written else None
    return done.returncode, done.stdout + done.stderr, report


def checks(report):
    return dict((check['name'], check) for check in report['checks'])


@pytest.fixture
def platform(sandbox, cluster):
    if cluster is None:
        pytest.skip('needs the Kubernetes control plane (-p controlplane.pytest_plugin)')
    return seed_platform(sandbox)


@pytest.fixture
def kube(cluster, namespace):
    from kubernetes import client, config  # pylint: disable=import-outside-toplevel
    api = config.new_client_from_config(cluster)
    client.CoreV1Api(api).create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))
    return api


def test_healthy_platform_passes_with_measured_values(sandbox, platform, cluster, namespace, kube, tmp_path):
    code, output, report = play(sandbox, cluster, namespace, tmp_path)
    assert code == 0, output[-4000:]
    found = checks(report)
    assert report['status'] == 'PASS', [c for c in report['checks'] if c['status'] != 'PASS']
    assert found['maintenance window']['detail'].startswith('inside the window Sunday 2026-12-06 02:00:00 +09:00')
    app = found['node pool app nodes vs autoscaler']
    assert (app['measured'], app['threshold']) == (3, '<= 9 nodes, >= 3 nodes, <= 8 nodes to pass')
    assert found['node pool system nodes ready']['measured'] == 3
    assert found['pods no node fits']['measured'] == 0
    age = found['postgresql psql-phonebill-prod latest backup age']
    assert 2.5 < age['measured'] < 3.5 and age['threshold'] == '<= 26.0 hours, <= 25.0 hours to pass'   # the daily snapshot 3 h ago
    assert found['postgresql psql-phonebill-prod backup retention']['measured'] == 35
    assert found['postgresql psql-phonebill-prod geo-redundant backup']['measured'] == 'Enabled'
    assert found['redis redis-phonebill-prod persistence']['measured'] == 'RDB'
    assert found['redis redis-phonebill-prod RDB snapshot interval']['measured'] == 60
    assert found['redis redis-phonebill-prod geo-replication']['measured'] == 'not linked'
    assert TAG not in sandbox.get('/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, GROUP)).get('tags', {})


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


def test_backups_stopped_and_redis_persistence_off_fail(sandbox, platform, cluster, namespace, kube, tmp_path):
    # snapshots are taken 3 h, 27 h, 51 h ... ago (the server was created 40 days and 3 h ago); stopped 25 h ago
    stopped = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=25)
    sandbox.config(postgresql_backups_stopped={platform['server']: stopped.isoformat()})
    sandbox.drift(platform['cache'], {'properties': {'redisConfiguration': {'rdb-backup-enabled': 'false'}}})
    code, output, report = play(sandbox, cluster, namespace, tmp_path)
    assert code == 2, output[-4000:]
    found = checks(report)
    age = found['postgresql psql-phonebill-prod latest backup age']
    assert age['status'] == 'FAIL' and 26.5 < age['measured'] < 27.5, age   # the last snapshot 27 h ago
    assert age['threshold'] == '<= 26.0 hours, <= 25.0 hours to pass'
    persistence = found['redis redis-phonebill-prod persistence']
    assert (persistence['status'], persistence['measured'], persistence['threshold']) == ('FAIL', 'none', '= RDB')
    assert found['node pool app nodes vs autoscaler']['status'] == 'PASS'
    group = '/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, GROUP)
    assert TAG not in sandbox.get(group).get('tags', {})   # the lock released after the failed checks


def test_outside_the_window_refused_reported_nothing_written(sandbox, platform, cluster, namespace, kube, tmp_path):
    writes = sandbox.writes_count()
    code, output, report = play(sandbox, cluster, namespace, tmp_path, now=OUTSIDE)
    assert code == 2, output[-4000:]
    assert report['status'] == 'FAIL' and [c['name'] for c in report['checks']] == ['maintenance window']
    assert 'the next window opens at 2026-12-05T17:00:00Z' in report['checks'][0]['detail']
    assert sandbox.writes_count() == writes
    assert [r for r in sandbox.requests() if r['method'] != 'GET'] == []
