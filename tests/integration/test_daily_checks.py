# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/maintenance/daily.yml with the production inventory against the sandbox (SPEC §10 daily checks).

The platform's resources are seeded as Azure returns them, with the telemetry a
day of production would leave (metrics, the error-log saved search's answer,
Resource Health); the report is read from its JSON file. The deployments'
health is k8s_workload_health's, tested on the control plane with that module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


import pytest

from ansible_collections.phonebill.platform.tests.integration.maintenance_run import checks, run_maintenance
from daily_platform import RESOURCES, daily_business_metrics, errors_query, rid, seed_business_metric, seed_healthy_platform


@pytest.fixture
def platform(sandbox):
    seed_healthy_platform(sandbox)
    sandbox.clear_requests()


def run_daily(sandbox, tmp_path, **extra):
    """daily.yml without the workloads (their checks have their own tests); (returncode, output, report)."""
    return run_maintenance(sandbox, tmp_path, 'daily.yml', **dict(dict(phonebill_daily_check_workloads=False), **extra))


def test_a_healthy_platform_passes_and_nothing_is_written(sandbox, platform, tmp_path):
    code, output, report = run_daily(sandbox, tmp_path)
    assert code == 0 and report['status'] == 'PASS', output
    by_name = checks(report)
    assert by_name['azure Microsoft.Cache/redis redis-phonebill-prod']['measured'] == 'Succeeded / Available'
    response = by_name['metric alert-phonebill-response-time']
    assert (response['measured'], response['threshold'], response['unit']) == (1500.0, '<= 3000 MilliSeconds', 'MilliSeconds')
    assert by_name['capacity PostgreSQL storage']['measured'] == 41.0
    assert by_name['error logs phonebill-errors-by-container']['measured'] == 0
    # resources, metric alerts, capacity metrics, error logs, Defender alerts (High FAIL, Medium WARN), success rates
    assert len(report['checks']) == len(RESOURCES) + 3 + 2 + 1 + 2 + 2
    bill = by_name['business metric bill-inquiry-success-rate']
    assert (bill['status'], bill['measured'], bill['threshold']) == ('PASS', 99.5, '>= 99 %')
    assert by_name['defender alerts high']['measured'] == 0 and by_name['defender alerts medium']['measured'] == 0
    assert sandbox.writes_count() == 0
    assert all(not r['write'] for r in sandbox.requests())


def test_faults_are_each_reported_with_value_and_threshold(sandbox, platform, tmp_path):
    """One run (CI time): metrics over their thresholds, too many error lines, a resource stuck Updating, one down."""
    sandbox.seed_metric(rid(sandbox, 'Microsoft.ContainerService/managedClusters'), 'node_memory_working_set_percentage',
                        [{'average': 60.0}, {'average': 94.5}, {'average': 70.0}])
    sandbox.seed_metric(rid(sandbox, 'Microsoft.Cache/redis'), 'usedmemorypercentage', [{'maximum': 84.0}])
    sandbox.seed_query(rid(sandbox, 'Microsoft.OperationalInsights/workspaces'), errors_query(), [{
        'name': 'PrimaryResult', 'columns': [{'name': 'Computer', 'type': 'string'}, {'name': 'ContainerID', 'type': 'string'},
                                             {'name': 'errors', 'type': 'long'}],
        'rows': [['aks-app-1', 'c1', 90], ['aks-app-2', 'c2', 25]]}])
    rates = dict((m['name'], m) for m in daily_business_metrics())
    seed_business_metric(sandbox, rates['bill-inquiry-success-rate'], 97.25)
    sandbox.seed_query(rid(sandbox, 'Microsoft.OperationalInsights/workspaces'), rates['product-change-success-rate']['query'],
                       [{'name': 'PrimaryResult', 'columns': [], 'rows': []}])  # no telemetry of the day
    sandbox.hold(rid(sandbox, 'Microsoft.ContainerService/managedClusters'), 'Updating', 300)
    sandbox.seed_health(rid(sandbox, 'Microsoft.Cache/redis'), 'Unavailable', summary='The cache is not reachable')
    sandbox.clear_requests()
    code, output, report = run_daily(sandbox, tmp_path)
    assert code == 2 and report['status'] == 'FAIL', output
    by_name = checks(report)
    memory = by_name['metric alert-phonebill-node-memory']
    assert (memory['status'], memory['measured'], memory['threshold']) == ('FAIL', 94.5, '<= 90 Percent')
    redis_memory = by_name['capacity Redis memory']
    assert (redis_memory['status'], redis_memory['measured'], redis_memory['threshold']) == ('WARN', 84.0, '<= 90 %, <= 80 % to pass')
    errors = by_name['error logs phonebill-errors-by-container']
    assert (errors['status'], errors['measured'], errors['threshold']) == ('FAIL', 115, '<= 100 errors, <= 20 errors to pass')
    assert 'aks-app-1' in errors['detail']
    aks = by_name['azure Microsoft.ContainerService/managedClusters aks-phonebill-prod']
    assert (aks['status'], aks['measured']) == ('WARN', 'Updating / Available')
    assert 'an operation is in progress' in aks['detail']
    redis = by_name['azure Microsoft.Cache/redis redis-phonebill-prod']
    assert redis['status'] == 'FAIL' and 'The cache is not reachable' in redis['detail']
    bill = by_name['business metric bill-inquiry-success-rate']
    assert (bill['status'], bill['measured'], bill['threshold']) == ('FAIL', 97.25, '>= 99 %')
    product = by_name['business metric product-change-success-rate']
    assert product['status'] == 'WARN' and product['measured'] is None
    assert sorted(c['name'] for c in report['checks'] if c['status'] == 'FAIL') == [
        'azure Microsoft.Cache/redis redis-phonebill-prod', 'business metric bill-inquiry-success-rate',
        'error logs phonebill-errors-by-container', 'metric alert-phonebill-node-memory']
    assert 'metric alert-phonebill-node-memory' in output   # the play's failure names the failed checks
    assert sandbox.writes_count() == 0 and not any(r['write'] for r in sandbox.requests())
