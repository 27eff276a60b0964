# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's Azure modules inside the controller's task worker, without a module process.

Why: a module task on the controller costs a whole Python process (interpreter start, ``basic``, the SDK
imports, ~1-2 s at load) for a read that takes ~50 ms, so a no-op site.yml was 30x a bare-SDK loop. Every
Azure module has an action plugin of its own name (``plugins/action/<module>.py``, one line) whose class is
``InProcessModule``. Ansible's strategy loads that class in the main process before it forks the task's
worker, so what this file imports at load (``basic``, the collection's module_utils, every installed SDK
package of ``sdk.SERVICES``) is paid once per run and inherited by every worker.

The module itself is unchanged and still runs as a script: its ``main()`` builds an ``AnsibleModule`` from
the same ``ANSIBLE_MODULE_ARGS`` Ansible would send (argument spec, ``no_log`` masking, check and diff mode,
warnings, ``invocation``), prints its JSON and exits; the result is parsed by the same code as a module
process's output. It runs in a child forked from the worker for each call, so nothing a run sets (module
globals, ``basic``'s parameters and warnings, SDK state) reaches the next loop item or task, and a crash
is a failed result, not a dead worker.

An ``async`` task runs the same way in a detached process forked from the worker, which writes the job file
as ``async_wrapper`` does (``async_job.py``), so the start of a long operation costs no module process either;
``async_status``, the executor's ``poll`` and ``await_operations`` read its job unchanged.

Where that cannot hold, the task takes the normal module path (``async_wrapper`` for an async task) and ``-vvv``
says why: another connection than ``local`` (``delegate_to`` a remote host), ``become``, a Python interpreter
other than the controller's, or the SDK not importable on the controller. ``PHONEBILL_IN_PROCESS=0`` turns it
off for a run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import functools
import gc
import importlib
import io
import json
import os
import pkgutil
import runpy
import sys
import traceback

from ansible.module_utils import _internal as module_utils_internal, basic
from ansible.module_utils.common.json import Direction, get_module_encoder
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash
from ansible.vars.clean import remove_internal_keys

from ansible_collections.phonebill.platform.plugins.plugin_utils import async_job

display = Display()

#: the serialization profile of a module that declares no METADATA (none of the collection's do)
PROFILE = 'legacy'


def _import_sdk():
    """Import the SDK packages and the collection's module_utils in the process that forks the workers; the reason it
    failed, or None. (Else every module run imports its own: the collection loader compiles them from source.)"""
    try:
        from ansible_collections.phonebill.platform.plugins import module_utils
        from ansible_collections.phonebill.platform.plugins.module_utils import azure_module, keyvault_data, sdk
    except ImportError as exc:
        return 'the collection module_utils are not importable on the controller: %s' % exc
    try:
        sdk.load(sdk.IDENTITY)
    except sdk.MissingLibrary as exc:
        return 'the Azure SDK is not importable on the controller (%s)' % exc.requirement
    for name in sdk.SERVICES:
        try:  # a missing service package fails only its own modules, with the module's own message
            sdk.client_class(name)
        except sdk.MissingLibrary:
            pass
    for service in (keyvault_data.SECRETS, keyvault_data.CERTIFICATES):
        with contextlib.suppress(sdk.MissingLibrary):
            sdk.load(service)
    for found in pkgutil.iter_modules(module_utils.__path__):
        with contextlib.suppress(ImportError):  # the modules that use it say what it lacks
            importlib.import_module('%s.%s' % (module_utils.__name__, found.name))
    del azure_module  # imported for what it imports (basic, auth, cloud, errors, waiter)
    return None


def warm_start(env=None, timeout=5):
    """Build the TLS context, resolve the environment's cloud and get its tokens once, before the workers fork.

    What happened, as text. A module run in a worker then finds them (transport.CONTEXTS, cloud.WARM_CLOUDS,
    auth.WARM_TOKENS: memory only, never a file or a result) when its own options name the same CA bundle, cloud
    and identity, and sends only its own requests. Tokens: ARM's, and Key Vault's data plane as its challenge asks
    (a vault per loop item otherwise costs a sign-in each). Only for an identity from options or a credentials
    file; anything else, or any failure, leaves the modules to do it.
    """
    from ansible_collections.phonebill.platform.plugins.module_utils import auth, azure_module, cloud as cloud_utils, sdk, transport

    env = os.environ if env is None else env
    params = dict((option, next((env[name] for name in spec.get('fallback', (None, []))[1] if env.get(name)),
                                spec.get('default')))
                  for option, spec in azure_module.AUTH_ARGUMENT_SPEC.items())
    verify = params['cert_validation_mode'] != 'ignore'
    said = [warm_tls_context(transport, verify, env)]
    try:
        identity = auth.choose_identity(params, env)
    except auth.AuthError as exc:
        return '; '.join(said + ['no warm start: %s' % exc])
    if identity.source not in ('env', 'credential_file'):
        return '; '.join(said + ['no warm start for the auth source %s' % identity.source])
    shared = transport.session()

    def fetch_text(url):
        response = shared.get(url, timeout=timeout, verify=verify)
        response.raise_for_status()
        return response.text

    tokens = {}
    try:
        cloud = cloud_utils.resolve_cloud(params['cloud_environment'], fetch_text)
        http = transport.requests_transport(sdk.load(transport.TRANSPORT), shared, verify)
        credential = auth.build_credential(sdk.load(sdk.IDENTITY), identity, cloud, verify, transport=http)
        with credential:
            for scope, options in warm_scopes(cloud):
                try:
                    tokens[scope] = (auth.token_key(identity, cloud, verify, (scope,), options),
                                     credential.get_token(scope, **options))
                except Exception as exc:  # pylint: disable=broad-exception-caught  # the modules will ask again
                    if scope == cloud.scope:
                        raise
                    said.append('no warm token for %s: %s: %s' % (scope, type(exc).__name__, exc))
    except Exception as exc:  # pylint: disable=broad-exception-caught  # the modules will say what is wrong
        return '; '.join(said + ['no warm start: %s: %s' % (type(exc).__name__, exc)])
    finally:
        shared.close()  # no connection of this process reaches the workers
    cloud_utils.WARM_CLOUDS[params['cloud_environment']] = cloud
    auth.WARM_TOKENS.update(tokens.values())
    return '; '.join(said + ['warm start: cloud %s resolved and tokens for %s got for the %s identity'
                             % (cloud.name, ', '.join(tokens), identity.source)])


def warm_scopes(cloud):
    """(scope, get_token options) of the tokens a warm start gets, ARM's first: ARM's, and Key Vault's data plane as
    its challenge policy asks for it (azure-keyvault: enable_cae, the identity's tenant)."""
    return [(cloud.scope, {}), (cloud.keyvault_scope, dict(enable_cae=True))]


def warm_tls_context(transport, verify, env):
    """Parse the CA bundle the modules verify with into its shared TLS context (transport.tls_context); what happened."""
    path = transport.bundle_path(verify, env)
    if path is None:
        return 'no TLS context: certificates are not validated'
    try:
        transport.tls_context(path)
    except (OSError, ValueError) as exc:  # the modules' requests will say what is wrong with it
        return 'no TLS context for %s: %s' % (path, exc)
    return 'TLS context of %s built' % path


def warm_jinja_plugins():
    """Load the Jinja filter and test plugins in the process that forks the workers; what happened.

    ansible-core caches them per process and a worker lives for one task, so each worker loaded them again for its
    first filter: ~5 ms a task, 0.6 s of a no-op site.yml (ansible-core's own note in _jinja_bits asks for this)."""
    from ansible.plugins.loader import filter_loader, test_loader
    counts = tuple(len(list(loader.all())) for loader in (filter_loader, test_loader))
    return 'Jinja plugins loaded: %d filters, %d tests' % counts


def turned_on():
    """Whether the run lets the controller run the modules (PHONEBILL_IN_PROCESS, on unless set false)."""
    return boolean(os.environ.get('PHONEBILL_IN_PROCESS', 'yes'), strict=False)


#: why the controller cannot run the modules itself (None: it can)
SDK_PROBLEM = _import_sdk()
if turned_on():
    display.vvv(warm_jinja_plugins())
    if SDK_PROBLEM is None:
        display.vvv(warm_start())
    # What exists now (the SDK, ~230k objects, and the Jinja plugins) lives as long as the run: out of the
    # collector's sight, a worker's or a module run's garbage collection no longer walks it, which copied every page
    # of it into each fork (1.2 s for a full collection in a fork at load 11, 0.01 s frozen).
    gc.freeze()


def module_package(resolved_action):
    """The Python module of a collection module: phonebill.platform.public_ip -> ansible_collections....public_ip."""
    namespace, collection, name = resolved_action.split('.')
    return 'ansible_collections.%s.%s.plugins.modules.%s' % (namespace, collection, name)


def run_module_script(package, module_args, environment):
    """Run a module as Ansible's module process would, in this process: (its stdout, its exit status).

    `environment`: the task's ``environment``, set here as the module process would have it. An exception that
    escapes the module is printed as Ansible's module loader prints one (a failed result with the message).
    """
    os.environ.update(environment)
    # module_utils imported by the controller send warnings and deprecations straight to its display; a module
    # returns them in its result (the controller shows them from there), and so does this run
    module_utils_internal.is_controller = False
    basic._ANSIBLE_ARGS = json.dumps(dict(ANSIBLE_MODULE_ARGS=module_args),
                                     cls=get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE)).encode()
    basic._ANSIBLE_PROFILE = PROFILE
    output = io.StringIO()
    status = 0
    try:
        with contextlib.redirect_stdout(output):
            runpy.run_module(package, init_globals=dict(_module_fqn=package, _modlib_path=None), run_name='__main__',
                             alter_sys=True)
        raise RuntimeError('the module %s did not exit' % package)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # what a module process reports for an exception: a failed result, the message
        status = 1
        output.write('\n' + json.dumps(dict(failed=True, msg='%s: %s' % (type(exc).__name__, exc),
                                            exception=traceback.format_exc())))
    return output.getvalue(), status


def module_output(package, module_args, environment):
    """What the module prints (async_wrapper keeps a module's output, not its exit status)."""
    return run_module_script(package, module_args, environment)[0]


def run_forked(function, *args):
    """function(*args) -> (text, status), in a child forked from this process: nothing it changes stays here."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send, and leave without atexit handlers or the parent's buffered output
        os.close(read_end)
        status = 1
        try:
            text, status = function(*args)
            with os.fdopen(write_end, 'wb') as pipe:
                pipe.write(text.encode('utf-8', 'surrogateescape'))
        finally:
            os._exit(status)
    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, 'rb') as pipe:
            text = pipe.read().decode('utf-8', 'surrogateescape')
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        finished = True
    finally:
        if not finished:  # the task timed out or was interrupted while the module ran
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
                os.waitpid(pid, 0)
    return text, status


class InProcessModule(ActionBase):
    """The action plugin of every Azure module: the module run in the worker, or in its own process when it cannot."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(InProcessModule, self).run(tmp, task_vars)
        del tmp  # no longer has any effect
        task_vars = task_vars or {}
        reason = self.why_not_in_process(task_vars)
        if reason:
            display.vvv('%s: runs in a module process: %s' % (self._task.resolved_action, reason),
                        host=self._play_context.remote_addr)
            return merge_hash(result, self.module_process(task_vars))
        if self._task.async_val:
            data = self.in_process_async(task_vars)
            display.vvv('%s: runs as async job %s in a process forked from the task worker (no module process)'
                        % (self._task.resolved_action, data.get('ansible_job_id')), host=self._play_context.remote_addr)
            return merge_hash(result, data)
        display.vvv('%s: runs in the task worker (no module process)' % self._task.resolved_action,
                    host=self._play_context.remote_addr)
        return merge_hash(result, self.in_process(task_vars))

    def why_not_in_process(self, task_vars):
        """Why this task cannot run in the worker, or None when it can."""
        if not turned_on():
            return 'PHONEBILL_IN_PROCESS is off'
        if SDK_PROBLEM:
            return SDK_PROBLEM
        if self._connection.transport != 'local':
            return 'connection %s does not run on the controller' % self._connection.transport
        if self._play_context.become:
            return 'become runs the module as another user'
        interpreter = self.python_interpreter(task_vars)
        if not interpreter or os.path.realpath(interpreter) != os.path.realpath(sys.executable):
            return 'its Python interpreter (%s) is not the controller\'s (%s)' % (interpreter, sys.executable)
        return None

    def python_interpreter(self, task_vars):
        """The host's ansible_python_interpreter as Ansible would use it (the delegated host's for delegate_to)."""
        host_vars = task_vars
        if self._task.delegate_to:
            host_vars = task_vars.get('ansible_delegated_vars', {}).get(self._task.delegate_to, {})
        value = host_vars.get('ansible_python_interpreter')
        return to_text(self._templar.template(value)) if value else None

    def module_process(self, task_vars):
        """The module run as Ansible runs any module (what ansible.builtin.normal does)."""
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = self._execute_module(module_name=self._task.resolved_action, task_vars=task_vars,
                                      wrap_async=wrap_async)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def in_process(self, task_vars):
        """The module's main() in a child of this worker, with the arguments and result handling of a module process."""
        text, status = run_forked(run_module_script, *self.module_call(task_vars))
        return self.parsed(text, status)

    def in_process_async(self, task_vars):
        """The module's main() as an async job of a process forked from this worker: what async_wrapper answers.

        The environment gets ``ANSIBLE_ASYNC_DIR`` as ``_execute_module`` gives it to async_wrapper and the module.
        """
        package, module_args, environment = self.module_call(task_vars, async_dir=self.get_shell_option(
            'async_dir', default=async_job.DEFAULT_ASYNC_DIR))
        answer = async_job.start(functools.partial(module_output, package, module_args, environment),
                                 self._task.resolved_action, self._task.async_val, environment)
        data = self.parsed(json.dumps(answer), 0)
        data['changed'] = True  # what _execute_module says of every async start
        return data

    def module_call(self, task_vars, async_dir=None):
        """(Python module, module arguments, environment) of this task's module, as _execute_module would send them."""
        name = self._task.resolved_action
        module_args = dict(self._task.args)
        self._update_module_args(name, module_args, task_vars)
        environment = {}
        self._compute_environment_string(environment)
        if async_dir is not None:
            environment['ANSIBLE_ASYNC_DIR'] = async_dir
        environment = dict((to_text(key), to_text(value)) for key, value in environment.items())
        return module_package(name), module_args, environment

    def parsed(self, text, status):
        """A module's output as the controller reads a module process's."""
        data = self._parse_returned_data(dict(stdout=text, stderr='', rc=status), PROFILE)
        remove_internal_keys(data)
        return data
