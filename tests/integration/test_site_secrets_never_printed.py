# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole of site.yml at -vvv --diff prints no secret value (issue 9).

After a real run and a second one (which reads and compares every value), every secret the run
left in the vault is read back from the sandbox's Key Vault data plane (the generated ones, the
Redis access key, the certificates' backing secrets with their private keys, the PostgreSQL
passwords when the database layer writes them), with the cache's access keys, the run's own
credential and the storage connection string of the inventory; none may appear in what
ansible-playbook printed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from ansible_collections.phonebill.platform.tests.integration.test_site_check_mode import ROOT, run_site

GROUP_VARS = os.path.join(ROOT, 'inventories', 'prod', 'group_vars', 'all')


def inventory(name, variable):
    with open(os.path.join(GROUP_VARS, name), encoding='utf-8') as handle:
        return yaml.safe_load(handle)[variable]


def vault_secrets(sandbox, resource_group, name):
    """Every current secret value of the vault, by secret name."""
    from azure.keyvault.secrets import SecretClient  # pylint: disable=import-outside-toplevel
    from azure.mgmt.keyvault import KeyVaultManagementClient  # pylint: disable=import-outside-toplevel
    vault = KeyVaultManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs()).vaults.get(
        resource_group, name)
    client = SecretClient(vault.properties.vault_uri, sandbox.credential(), **sandbox.data_plane_kwargs())
    return dict((item.name, client.get_secret(item.name).value) for item in client.list_properties_of_secrets())


def redis_keys(sandbox, resource_group, name):
    from azure.mgmt.redis import RedisManagementClient  # pylint: disable=import-outside-toplevel
    keys = RedisManagementClient(sandbox.credential(), sandbox.subscription_id, **sandbox.mgmt_kwargs()).redis.list_keys(
        resource_group, name)
    return {'redis primary key': keys.primary_key, 'redis secondary key': keys.secondary_key}


def test_no_secret_value_in_the_output_of_site_at_vvv_diff(sandbox, cluster, namespace, tmp_path):
    extra_vars = dict(phonebill_kubeconfig=str(tmp_path / 'kube' / 'aks.config'), phonebill_workload_namespace=namespace)
    layers = [] if cluster else ['--skip-tags', 'workloads']
    _results, first = run_site(sandbox, tmp_path, 'first', extra_vars, '-vvv', '--diff', *layers)
    _results, second = run_site(sandbox, tmp_path, 'second', extra_vars, '-vvv', '--diff', *layers)

    group = inventory('platform.yml', 'phonebill_resource_group')
    vault, cache = inventory('keyvault.yml', 'phonebill_key_vault'), inventory('cache.yml', 'phonebill_redis')
    secrets = vault_secrets(sandbox, group, vault['name'])
    expected = [s['name'] for s in vault['secrets'] + vault['certificates']] + [cache['access_key_secret']['name']]
    assert sorted(expected) == sorted(secrets)
    keys = redis_keys(sandbox, group, cache['name'])
    # the secret holds the key in use, written by the run without passing through Ansible
    assert secrets[cache['access_key_secret']['name']] == keys['redis primary key']
    with open(os.path.join(ROOT, 'inventories', 'sandbox', 'hosts.yml'), encoding='utf-8') as handle:
        storage = yaml.safe_load(handle)['all']['hosts']['localhost']['phonebill_redis_backup_storage_connection_string']
    values = dict(secrets, credential=sandbox.ansible_env()['AZURE_SECRET'],
                  storage_account_key=storage.split('AccountKey=')[1].split(';')[0], **keys)
    # observability: the Teams webhook's token (from the host's variable) and the component's instrumentation key
    with open(os.path.join(ROOT, 'inventories', 'sandbox', 'hosts.yml'), encoding='utf-8') as handle:
        webhook = yaml.safe_load(handle)['all']['hosts']['localhost']['phonebill_teams_webhook_url']
    from azure.mgmt.applicationinsights import ApplicationInsightsManagementClient  # pylint: disable=import-outside-toplevel
    component = ApplicationInsightsManagementClient(sandbox.credential(), sandbox.subscription_id,
                                                    **sandbox.mgmt_kwargs()).components.get(
        group, inventory('observability.yml', 'phonebill_app_insights')['name'])
    values.update(teams_webhook_token=webhook.rsplit('/', 1)[-1], instrumentation_key=component.instrumentation_key)

    for name, output in (('first', first), ('second', second)):
        (tmp_path / ('%s.out' % name)).write_text(output, encoding='utf-8')
        # -vvv prints every module's result and invocation; the modules run in the task worker (plugin_utils/in_process.py)
        assert 'value_changed' in output and 'key_vault_secret: runs in the task worker' in output
        leaked = [name for name, value in values.items() if value and value in output]
        assert leaked == []
