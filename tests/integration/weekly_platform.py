# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the weekly maintenance tests share: the platform seeded as Azure returns it, and ansible-playbook weekly.yml.

The platform is seeded as Azure returns it (pools with their autoscaler limits, a PostgreSQL server created
40 days ago with its daily backups, a Redis cache with RDB persistence); the control plane's nodes are the
inventory's pools. Faults come through the sandbox's control API and the Kubernetes API. Each test asserts
the report's checks (verdict, measured value, threshold), the exit code, and what was written to Azure.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.phonebill.platform.tests.integration.maintenance_run import INSIDE, OUTSIDE, checks, run_maintenance  # noqa: F401 pylint: disable=unused-import

GROUP = 'rg-phonebill-prod'
TAG = 'phonebill-maintenance-lock'


def _iso(delta):
    return (datetime.datetime.now(datetime.timezone.utc) - delta).strftime('%Y-%m-%dT%H:%M:%S.%f0Z')


def arm(sandbox, path):
    return '/subscriptions/%s/resourceGroups/%s/providers/%s' % (sandbox.subscription_id, GROUP, path)


def seed_platform(sandbox, app_max=10):
    """The resources the weekly procedure reads, in the shapes Azure returns them, over a quiet week of telemetry
    (the performance review: daily_platform's resources and metrics)."""
    from daily_platform import seed_healthy_platform  # pylint: disable=import-outside-toplevel
    seed_healthy_platform(sandbox)
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
    """ansible-playbook weekly.yml on the seeded platform and the control plane; (return code, output, report)."""
    return run_maintenance(sandbox, tmp_path, 'weekly.yml', **dict(dict(
        maintenance_guard_now=now, phonebill_kubeconfig=cluster, phonebill_workload_namespace=namespace), **extra))


@pytest.fixture
def platform(sandbox, control_plane):  # pylint: disable=unused-argument  # the platform's checks read the cluster
    return seed_platform(sandbox)


@pytest.fixture
def kube(cluster, namespace):
    from kubernetes import client, config  # pylint: disable=import-outside-toplevel
    api = config.new_client_from_config(cluster)
    client.CoreV1Api(api).create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))
    return api
