# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job templates of awx/controller.yml run as AWX runs them (ansible-runner), against the sandbox (issue 13).

Each job gets the template's playbook, job type, diff mode and extra variables, the environment AWX's Azure
Resource Manager credential injects, and the inventory (the sandbox inventory: production's group_vars with the
sandbox's endpoint). Asserted: status and return code as AWX shows them, the set_stats data AWX reads from the
playbook_on_stats event, no write where none may happen, and no secret in the job output.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from awx_job import AwxJob, artifact_data, azure_rm_credential_env, output
from controller_as_code import load_yaml
from procedure_platform import AS_OF, INSIDE, NOW, platform, writes_besides_the_lock  # noqa: F401 pylint: disable=unused-import


@pytest.fixture
def templates(repo_root):
    return dict((t['name'], t) for t in load_yaml(os.path.join(repo_root, 'awx', 'controller.yml'))['awx_job_templates'])


@pytest.fixture
def awx(sandbox, repo_root, tmp_path):
    """Jobs on this checkout as the project; the credential's inputs are the sandbox's service principal."""
    project = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
    links = tmp_path / 'collections' / 'ansible_collections' / 'phonebill'
    links.mkdir(parents=True)
    os.symlink(project, str(links / 'platform'))
    endpoint = sandbox.ansible_env()
    credential = azure_rm_credential_env({
        'subscription': endpoint['AZURE_SUBSCRIPTION_ID'], 'client': endpoint['AZURE_CLIENT_ID'],
        'secret': endpoint['AZURE_SECRET'], 'tenant': endpoint['AZURE_TENANT'],
        'cloud_environment': endpoint['AZURE_CLOUD_ENVIRONMENT']})
    # the execution environment's CA bundle would trust Azure; the sandbox's CA is added to it here
    job = AwxJob(str(tmp_path / 'jobs'), project, os.path.join(project, 'inventories', 'sandbox'), str(tmp_path / 'collections'))
    return job, dict(credential, REQUESTS_CA_BUNDLE=endpoint['REQUESTS_CA_BUNDLE'])


def test_provision_then_drift_report_as_awx_runs_them(sandbox, cluster, namespace, templates, awx, tmp_path):
    job, credential = awx
    cluster_vars = dict(phonebill_kubeconfig=str(tmp_path / 'kube' / 'aks.config'), phonebill_workload_namespace=namespace)
    provision = job.run(templates['phonebill-provision'], credential, extra_vars=cluster_vars)
    assert (provision.status, provision.rc) == ('successful', 0), output(provision)[-6000:]
    stats = artifact_data(provision)
    group = '/subscriptions/%s/resourceGroups/rg-phonebill-prod' % sandbox.subscription_id
    assert stats['phonebill_key_vault_id'].lower().startswith(group.lower() + '/providers/microsoft.keyvault/vaults/')
    assert stats['phonebill_postgresql_id'].lower().startswith(group.lower())
    assert stats['phonebill_redis_ssl_port'] == 6380
    assert credential['AZURE_SECRET'] not in output(provision)

    writes = sandbox.writes_count()
    report = job.run(templates['phonebill-drift-report'], credential, extra_vars=cluster_vars)
    assert (report.status, report.rc) == ('successful', 0), output(report)[-6000:]
    assert artifact_data(report)['phonebill_drift_status'] == 'in_sync'
    assert sandbox.writes_count() == writes

    sandbox.drift(group, {'tags': {'owner': 'someone-else'}})
    drifted = job.run(templates['phonebill-drift-report'], credential, extra_vars=cluster_vars)
    # AWX shows a drifted report as a failed job (exit 10), its data still exported
    assert (drifted.status, drifted.rc) == ('failed', 10), output(drifted)[-6000:]
    stats = artifact_data(drifted)
    assert (stats['phonebill_drift_status'], stats['phonebill_drift_resources']) == ('drifted', [group])
    assert sandbox.writes_count() == writes

    # the rotation template launched with the Check job type: what is due and when, nothing written
    checked = job.run(dict(templates['phonebill-rotate-secrets'], job_type='check'), credential, extra_vars=cluster_vars)
    assert (checked.status, checked.rc) == ('successful', 0), output(checked)[-6000:]
    rotation = artifact_data(checked)['phonebill_rotation_report']
    assert rotation['check_mode'] and (rotation['rotated'], rotation['failed'], rotation['would_rotate']) == ([], [], [])
    assert 'jwt-signing-key' in rotation['next_due'] and sandbox.writes_count() == writes


def test_a_refused_inventory_value_fails_the_job_before_any_call(sandbox, templates, awx):
    job, credential = awx
    run = job.run(templates['phonebill-provision'], credential, extra_vars={'phonebill_location': 'Korea Middle'})
    assert (run.status, run.rc) == ('failed', 2)
    assert 'phonebill_location' in output(run)
    assert artifact_data(run) == {}
    assert [r for r in sandbox.requests() if r['method'] != 'GET'] == []


def test_a_job_without_the_credential_fails_with_a_clear_message_and_never_prompts(sandbox, templates, awx):
    job, _credential = awx
    run = job.run(templates['phonebill-drift-report'], {})
    assert (run.status, run.rc) == ('failed', 2)
    assert sandbox.writes_count() == 0


def test_monthly_maintenance_as_awx_runs_it(sandbox, platform, templates, awx, tmp_path):
    """The monthly job in the window on a compliant platform: successful, its report in the job's artifact data."""
    job, credential = awx
    sandbox.clear_requests()
    run = job.run(templates['phonebill-monthly-maintenance'], credential,
                  extra_env={'PHONEBILL_REPORT_DIR': str(tmp_path / 'reports')},
                  extra_vars=dict(maintenance_guard_now=INSIDE, maintenance_guard_verify_delay_seconds=0,
                                  cost_as_of=AS_OF, security_audit_now=NOW))
    assert (run.status, run.rc) == ('successful', 0), output(run)[-6000:]
    report = artifact_data(run)['phonebill_monthly_report']
    assert (report['procedure'], report['status'], report['counts']['FAIL']) == ('monthly', 'PASS', 0)
    names = [check['name'] for check in report['checks']]
    assert 'cost total forecast' in names and 'key vault purge protection' in names and 'node pool app capacity plan' in names
    assert writes_besides_the_lock(sandbox, platform['group']) == []


def test_upgrade_as_awx_runs_it_exports_its_report(sandbox, azure, k8s_control_plane, templates, awx, tmp_path):
    """phonebill-upgrade with its survey answer: the control plane and both pools upgraded, the report in artifact_data."""
    from ansible_collections.phonebill.platform.tests.integration.k8s.upgrade_run import (  # pylint: disable=import-outside-toplevel
        create_cluster, lock_released)
    create_cluster(azure, sandbox, k8s_control_plane)
    job, credential = awx
    survey = dict(phonebill_upgrade_target_version='1.34.1')
    run = job.run(templates['phonebill-upgrade'], credential, extra_vars=dict(
        survey, maintenance_guard_now=INSIDE, maintenance_guard_verify_delay_seconds=0, phonebill_workload_namespace='default',
        phonebill_upgrade_check_hpa_metrics=False, phonebill_kubeconfig=str(tmp_path / 'kube' / 'aks.config')))
    assert (run.status, run.rc) == ('successful', 0), output(run)[-6000:]
    report = artifact_data(run)['phonebill_upgrade_report']
    assert report['status'] == 'PASS'
    assert [c['name'] for c in report['checks'] if c['category'] == 'upgrade'] == [
        'control plane upgraded', 'node pool system upgraded', 'node pool app upgraded']
    assert lock_released(sandbox) and credential['AZURE_SECRET'] not in output(run)


def test_dr_drill_as_awx_runs_it(sandbox, postgres_server, monkeypatch, templates, awx, tmp_path):
    """phonebill-dr-drill: the report reaches AWX as artifact data, the scratch server is gone (restore on a real copy)."""
    from ansible_collections.phonebill.platform.tests.integration import dr_drill_platform as dr  # pylint: disable=import-outside-toplevel
    job, credential = awx
    source = dr.seed_platform(sandbox, postgres_server, monkeypatch)
    dr.backup(sandbox, source, 20)
    run = job.run(templates['phonebill-dr-drill'], credential, extra_env={'PHONEBILL_REPORT_DIR': str(tmp_path / 'reports')},
                  extra_vars={'phonebill_dr_drill': dr.drill_settings(postgres_server.ca_file, postgres_server.port),
                              'maintenance_guard_now': INSIDE, 'maintenance_guard_verify_delay_seconds': 0})
    assert (run.status, run.rc) == ('successful', 0), output(run)[-6000:]
    report = artifact_data(run)['phonebill_dr_drill_report']
    assert (report['procedure'], report['status'], report['counts']['FAIL']) == ('dr-drill', 'PASS', 0)
    found = dr.checks(report)
    assert found['PostgreSQL validation query on the restored server']['measured'] == dr.BILLS
    assert found['PostgreSQL restore time to available (RTO)']['measured'] > 0
    assert found['PostgreSQL scratch server deleted']['measured'] is True
    dr.assert_cleaned_up(sandbox, postgres_server, output(run))


def test_daily_checks_as_awx_runs_them(sandbox, control_plane, namespace, templates, awx, tmp_path):
    """The daily checks' template on a seeded platform with its services in the cluster: PASS, exported, no write."""
    from daily_platform import deploy_services, rid, seed_healthy_platform  # pylint: disable=import-outside-toplevel
    seed_healthy_platform(sandbox)
    deploy_services(control_plane, namespace)
    job, credential = awx
    cluster_vars = dict(phonebill_kubeconfig=str(tmp_path / 'kube' / 'aks.config'), phonebill_workload_namespace=namespace,
                        phonebill_daily_check_hpa_metrics=False)
    report_dir = dict(PHONEBILL_REPORT_DIR=str(tmp_path / 'reports'))
    writes = sandbox.writes_count()
    healthy = job.run(templates['phonebill-daily-checks'], credential, extra_env=report_dir, extra_vars=cluster_vars)
    assert (healthy.status, healthy.rc) == ('successful', 0), output(healthy)[-6000:]
    report = artifact_data(healthy)['phonebill_daily_report']
    assert report['status'] == 'PASS' and report['counts']['FAIL'] == 0
    names = [check['name'] for check in report['checks']]
    assert 'deployment auth-service' in names and 'azure Microsoft.Cache/redis redis-phonebill-prod' in names
    assert sandbox.writes_count() == writes

    sandbox.seed_health(rid(sandbox, 'Microsoft.Cache/redis'), 'Unavailable', summary='The cache is not reachable')
    failed = job.run(templates['phonebill-daily-checks'], credential, extra_env=report_dir, extra_vars=cluster_vars)
    assert (failed.status, failed.rc) == ('failed', 2)
    report = artifact_data(failed)['phonebill_daily_report']
    assert report['status'] == 'FAIL'
    assert [c['name'] for c in report['checks'] if c['status'] == 'FAIL'] == ['azure Microsoft.Cache/redis redis-phonebill-prod']
    assert sandbox.writes_count() == writes


def test_node_drain_as_awx_runs_it(sandbox, azure, k8s_control_plane, namespace, templates, awx, tmp_path):
    """phonebill-node-drain with its survey answer: the node's pod evicted and running elsewhere, the node left
    cordoned, the report in artifact_data, the lock released."""
    from kubernetes import client, config  # pylint: disable=import-outside-toplevel
    from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import wait_for  # pylint: disable=import-outside-toplevel
    from ansible_collections.phonebill.platform.tests.integration.k8s.upgrade_run import (  # pylint: disable=import-outside-toplevel
        create_cluster, lock_released)
    create_cluster(azure, sandbox, k8s_control_plane)
    api = config.new_client_from_config(k8s_control_plane)
    core, apps = client.CoreV1Api(api), client.AppsV1Api(api)
    core.create_namespace(dict(metadata=dict(name=namespace)))
    on_system = dict(nodeAffinity=dict(requiredDuringSchedulingIgnoredDuringExecution=dict(nodeSelectorTerms=[dict(
        matchExpressions=[dict(key='agentpool', operator='In', values=['system'])])])))
    apps.create_namespaced_deployment(namespace, dict(apiVersion='apps/v1', kind='Deployment', metadata=dict(name='moved'), spec=dict(
        replicas=2, selector=dict(matchLabels=dict(app='moved')), template=dict(metadata=dict(labels=dict(app='moved')), spec=dict(
            containers=[dict(name='c', image='example/app:1.0')], affinity=on_system, terminationGracePeriodSeconds=1)))))

    def running():
        return [p for p in core.list_namespaced_pod(namespace, label_selector='app=moved').items
                if p.spec.node_name and p.status.phase == 'Running' and not p.metadata.deletion_timestamp]
    node = wait_for('both pods running', lambda: len(running()) == 2 and running()[0].spec.node_name)
    job, credential = awx
    try:
        run = job.run(templates['phonebill-node-drain'], credential, extra_env={'PHONEBILL_REPORT_DIR': str(tmp_path / 'reports')},
                      extra_vars=dict(phonebill_drain_node=node, maintenance_guard_now=INSIDE, maintenance_guard_verify_delay_seconds=0,
                                      phonebill_kubeconfig=str(tmp_path / 'kube' / 'aks.config')))
        assert (run.status, run.rc) == ('successful', 0), output(run)[-6000:]
        report = artifact_data(run)['phonebill_drain_report']
        assert (report['procedure'], report['status']) == ('drain', 'PASS'), report
        assert core.read_node(node).spec.unschedulable
        wait_for('the evicted pod replaced on another node',
                 lambda: len(running()) == 2 and node not in [p.spec.node_name for p in running()])
        assert lock_released(sandbox) and credential['AZURE_SECRET'] not in output(run)
    finally:
        core.patch_node(node, dict(spec=dict(unschedulable=False)))   # the control plane serves the session's other tests
