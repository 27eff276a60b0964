# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Modules run in-process against the local Azure sandbox through the real SDK.

Load with `-p azure_sandbox.pytest_plugin` (PYTHONPATH=sandbox): it provides
the `sandbox` fixture (a fresh, reset sandbox per test).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json
import os
import uuid

import pytest

from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module


class ModuleRunner:
    """Runs collection modules with the sandbox's endpoint and credentials in the environment."""

    def __init__(self, sandbox):
        self.sandbox = sandbox

    def __call__(self, name, /, check_mode=False, diff=True, **args):
        module = importlib.import_module('ansible_collections.phonebill.platform.plugins.modules.%s' % name)
        return run_module(module.main, args, check_mode=check_mode, diff=diff)

    def writes(self):
        """How many write requests (PUT, PATCH, POST, DELETE) the sandbox has served so far."""
        return self.sandbox.writes_count()


@pytest.fixture
def azure(sandbox, monkeypatch):
    for key, value in sandbox.ansible_env().items():
        monkeypatch.setenv(key, value)
    return ModuleRunner(sandbox)


@pytest.fixture
def cluster(request, sandbox):
    """The control plane's kubeconfig, handed out by the sandbox as the AKS one; None without the control plane."""
    try:
        kubeconfig = request.getfixturevalue('k8s_control_plane')
    except (pytest.FixtureLookupError, pytest.skip.Exception):
        return None
    sandbox.config(aks_kubeconfig=kubeconfig)
    return kubeconfig


@pytest.fixture
def control_plane(cluster):
    """cluster, for a test that means nothing without it: skipped without the control plane, a failure when
    PHONEBILL_REQUIRE_K8S asks for it (the control plane plugin's own rule), so CI never passes it by skipping."""
    if cluster is None:
        reason = 'needs the Kubernetes control plane (-p controlplane.pytest_plugin)'
        if os.environ.get('PHONEBILL_REQUIRE_K8S', '').strip().lower() not in ('', '0', 'false', 'no'):
            pytest.fail(reason + ', which PHONEBILL_REQUIRE_K8S requires', pytrace=False)
        pytest.skip(reason)
    return cluster


@pytest.fixture
def namespace(cluster):
    """A workloads namespace of its own (the control plane is shared by the session's tests), deleted afterwards,
    and gone before the next test: pods still terminating there would sit on the nodes a drain test empties."""
    name = 'drift-%s' % uuid.uuid4().hex[:8]
    yield name
    if cluster:
        from kubernetes import client, config  # pylint: disable=import-outside-toplevel
        from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import (  # pylint: disable=import-outside-toplevel
            remove_namespace)
        remove_namespace(client.CoreV1Api(config.new_client_from_config(cluster)), name)


HERE = os.path.dirname(os.path.abspath(__file__))
#: seconds per file (paths relative to this directory), only for the order: refresh it from a CI run's junit XML with
#: python .ci/file_durations.py --json integration.junit.xml >tests/integration/file_durations.json
FILE_DURATIONS = os.path.join(HERE, 'file_durations.json')


def pytest_collection_modifyitems(items):
    """Longest files first: xdist (--dist loadfile --no-loadscope-reorder) hands files out in this order, so the
    last ones to start are short and no worker ends long after the others. A file missing from the table (a new
    one) goes first, as if it were the longest."""
    with open(FILE_DURATIONS, encoding='utf-8') as handle:
        durations = json.load(handle)

    def seconds(item):
        return durations.get(os.path.relpath(str(item.path), HERE), float('inf'))

    items.sort(key=seconds, reverse=True)  # stable: a file's tests keep their order
