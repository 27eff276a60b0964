# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process runner keeps every module semantic: masking, check mode, failures, isolation, fallback."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys
from unittest import mock

import pytest

from ansible.module_utils import basic
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible.utils.display import Display

from ansible_collections.phonebill.platform.plugins.plugin_utils import in_process

SECRET = 'hunter2-not-for-logs'


def action(args, check_mode=False, transport='local', async_val=0, become=False, delegate_to=None):
    task = mock.MagicMock(args=dict(args), check_mode=check_mode, diff=True, no_log=False, environment=[],
                          async_val=async_val, delegate_to=delegate_to, resolved_action='phonebill.platform.echo')
    shell = mock.MagicMock(tmpdir=None)
    shell.get_option.return_value = '~/.ansible/tmp'
    connection = mock.MagicMock(transport=transport, socket_path=None, become=None, _shell=shell)
    play_context = mock.MagicMock(become=become, remote_addr='localhost', executable='/bin/sh')
    plugin = in_process.InProcessModule(task, connection, play_context, DataLoader(),
                                        Templar(loader=DataLoader(), variables={}))
    plugin.module_process = mock.MagicMock(return_value=dict(changed=False, ran='module process'))
    return plugin


def run(plugin, **task_vars):
    task_vars.setdefault('ansible_python_interpreter', sys.executable)
    return plugin.run(task_vars=task_vars)


def test_a_secret_is_masked_in_the_result_and_the_invocation_even_at_vvv(monkeypatch):
    monkeypatch.setattr(Display(), 'verbosity', 3)
    result = run(action(dict(name='a', secret=SECRET)))
    assert result['changed'] is True and result['runs'] == 1
    assert SECRET not in json.dumps(result)
    assert result['echo'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result['invocation']['module_args']['secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result['invocation']['module_args']['name'] == 'a'
    assert not any(key.startswith('_ansible') for key in result['invocation']['module_args'])


def test_check_mode_reaches_the_module_and_its_diff_comes_back():
    result = run(action(dict(name='a'), check_mode=True))
    assert (result['changed'], result['check_mode']) == (False, True)
    assert result['diff'] == dict(before='', after='a\n')


def test_argument_spec_is_validated_as_in_a_module_process():
    result = run(action(dict(name='a', colour='blue')))
    assert result['failed'] is True
    assert 'Unsupported parameters' in result['msg'] and 'colour' in result['msg']


def test_a_failure_is_a_failed_result_with_the_secret_masked():
    result = run(action(dict(name='a', secret=SECRET, behave='fail')))
    assert result['failed'] is True
    assert result['msg'] == 'failed on purpose for a with ********'


def test_an_exception_is_a_failed_result_with_its_message():
    result = run(action(dict(name='a', behave='raise')))
    assert result['failed'] is True
    assert 'ValueError: raised on purpose' in result['msg']


def messages(warnings):
    return [warning.event.msg for warning in warnings]


def test_warnings_come_back_in_the_result_as_from_a_module_process():
    with mock.patch.object(Display, 'warning') as warning:  # not shown by the module run: the task executor shows them
        result = run(action(dict(name='a', warn='mind the gap')))
    assert messages(result['warnings']) == ['mind the gap']
    assert not warning.called


def test_nothing_leaks_from_one_run_to_the_next_in_the_same_worker():
    first = run(action(dict(name='a', warn='first warning')))
    second = run(action(dict(name='b', warn='second warning')))
    assert (messages(first['warnings']), messages(second['warnings'])) == (['first warning'], ['second warning'])
    assert second['runs'] == 1  # the module's global did not survive its run
    assert basic._ANSIBLE_ARGS is None and not hasattr(basic, 'echo_module_runs')  # this process is untouched


@pytest.mark.parametrize('task, task_vars, reason', [
    (dict(transport='ssh'), {}, 'connection ssh does not run on the controller'),
    (dict(become=True), {}, 'become'),
    (dict(), dict(ansible_python_interpreter='/usr/bin/python3.6'), "its Python interpreter (/usr/bin/python3.6) is not"),
    (dict(delegate_to='db1'), dict(ansible_delegated_vars=dict(db1=dict(ansible_python_interpreter='/opt/py'))),
     'its Python interpreter (/opt/py)'),
])
def test_a_task_the_worker_cannot_run_takes_the_module_process_and_says_why(task, task_vars, reason):
    plugin = action(dict(name='a'), **task)
    with mock.patch.object(in_process.display, 'vvv') as vvv:
        result = run(plugin, **task_vars)
    assert result['ran'] == 'module process'
    assert reason in vvv.call_args[0][0]


def test_without_the_sdk_on_the_controller_the_module_process_runs(monkeypatch):
    monkeypatch.setattr(in_process, 'SDK_PROBLEM', 'the Azure SDK is not importable on the controller (azure-identity)')
    assert run(action(dict(name='a')))['ran'] == 'module process'


def test_it_can_be_turned_off_for_a_run(monkeypatch):
    monkeypatch.setenv('PHONEBILL_IN_PROCESS', '0')
    assert run(action(dict(name='a')))['ran'] == 'module process'


def test_every_azure_module_has_the_one_line_action_and_nothing_else_does():
    import pathlib
    root = pathlib.Path(in_process.__file__).parents[2]
    azure_modules = {p.stem for p in (root / 'plugins' / 'modules').glob('*.py') if 'AzureModule' in p.read_text()}
    in_process_actions = {p.stem for p in (root / 'plugins' / 'action').glob('*.py')
                          if 'import InProcessModule as ActionModule' in p.read_text()}
    assert azure_modules == in_process_actions


SANDBOX_LIKE_ENV = dict(AZURE_CLIENT_ID='c', AZURE_SECRET='s', AZURE_TENANT='t', AZURE_SUBSCRIPTION_ID='sub',
                        AZURE_CLOUD_ENVIRONMENT='https://127.0.0.1:9/metadata/endpoints?api-version=2019-05-01')


@pytest.fixture
def warm_caches(monkeypatch):
    from ansible_collections.phonebill.platform.plugins.module_utils import auth, cloud
    monkeypatch.setattr(auth, 'WARM_TOKENS', {})
    monkeypatch.setattr(cloud, 'WARM_CLOUDS', {})
    return auth, cloud


def test_warm_start_gets_the_cloud_and_the_arm_and_key_vault_tokens_for_the_environment_identity(warm_caches, monkeypatch):
    import requests
    from azure.core.credentials import AccessToken
    from ansible_collections.phonebill.platform.plugins.module_utils import transport
    auth, cloud = warm_caches
    sandbox_cloud = cloud.KNOWN_CLOUDS['azurecloud']
    monkeypatch.setattr(cloud, 'resolve_cloud', lambda value, fetch_text: sandbox_cloud)
    credential = mock.MagicMock()
    credential.get_token.side_effect = lambda scope, **options: AccessToken('warm for %s' % scope, 2 ** 31)
    transports, sessions = [], []
    monkeypatch.setattr(transport, 'session', lambda: sessions.append(mock.Mock(wraps=requests.Session())) or sessions[-1])
    monkeypatch.setattr(auth, 'build_credential',
                        lambda identity_sdk, identity, cloud_, verify, transport: transports.append(transport) or credential)
    assert 'warm start: cloud AzureCloud' in in_process.warm_start(SANDBOX_LIKE_ENV)
    assert cloud.WARM_CLOUDS == {SANDBOX_LIKE_ENV['AZURE_CLOUD_ENVIRONMENT']: sandbox_cloud}
    identity = auth.choose_identity(dict(client_id='c', secret='s', tenant='t', subscription_id='sub'), {})
    key_vault, arm = 'https://vault.azure.net/.default', sandbox_cloud.scope
    assert auth.WARM_TOKENS == {
        auth.token_key(identity, sandbox_cloud, True, (arm,)): AccessToken('warm for %s' % arm, 2 ** 31),
        # the key Key Vault's challenge policy asks with: the identity's tenant, enable_cae
        auth.token_key(identity, sandbox_cloud, True, (key_vault,), dict(tenant_id='T', enable_cae=True, claims=None)):
            AccessToken('warm for %s' % key_vault, 2 ** 31)}
    credential.__exit__.assert_called_once()
    assert transports[0].session is sessions[0]  # the credential's sign-in went through the warm start's session ...
    sessions[0].close.assert_called_once_with()  # ... whose connections are closed before the workers fork


def test_warm_start_keeps_the_arm_token_when_the_key_vault_one_fails(warm_caches, monkeypatch):
    from azure.core.credentials import AccessToken
    auth, cloud = warm_caches
    sandbox_cloud = cloud.KNOWN_CLOUDS['azurecloud']
    monkeypatch.setattr(cloud, 'resolve_cloud', lambda value, fetch_text: sandbox_cloud)

    def get_token(scope, **options):
        if scope != sandbox_cloud.scope:
            raise ValueError('AADSTS500011: the resource principal was not found')
        return AccessToken('warm', 2 ** 31)

    credential = mock.MagicMock()
    credential.get_token.side_effect = get_token
    monkeypatch.setattr(auth, 'build_credential', lambda identity_sdk, identity, cloud_, verify, transport: credential)
    said = in_process.warm_start(SANDBOX_LIKE_ENV)
    assert 'no warm token for https://vault.azure.net/.default: ValueError: AADSTS500011' in said
    assert list(auth.WARM_TOKENS.values()) == [AccessToken('warm', 2 ** 31)]


def test_warm_start_leaves_it_to_the_modules_when_it_cannot(warm_caches):
    auth, cloud = warm_caches
    assert 'no warm start' in in_process.warm_start(dict(SANDBOX_LIKE_ENV, AZURE_SECRET=''), timeout=1)
    assert 'no warm start: ' in in_process.warm_start(SANDBOX_LIKE_ENV, timeout=1)  # nothing listens there
    assert (auth.WARM_TOKENS, cloud.WARM_CLOUDS) == ({}, {})


def test_the_controller_imports_every_module_util_and_the_key_vault_sdk_before_the_workers_fork():
    import pkgutil
    import sys
    from ansible_collections.phonebill.platform.plugins import module_utils
    names = ['%s.%s' % (module_utils.__name__, found.name) for found in pkgutil.iter_modules(module_utils.__path__)]
    assert in_process.SDK_PROBLEM is None and len(names) > 50
    assert [name for name in names + ['azure.keyvault.secrets', 'azure.keyvault.certificates'] if name not in sys.modules] == []


def test_the_controller_loads_the_jinja_plugins_once_for_every_worker():
    from ansible.plugins.loader import filter_loader, test_loader
    said = in_process.warm_jinja_plugins()
    assert said.startswith('Jinja plugins loaded: ') and ' 0 ' not in said
    # the loaders' per-process cache, which a forked worker inherits instead of filling it for its first filter
    assert 'combine' in filter_loader._cached_non_collection_wrappers
    assert 'version' in test_loader._cached_non_collection_wrappers
