# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Modules run in-process against the local Azure sandbox through the real SDK.

Load with `-p azure_sandbox.pytest_plugin` (PYTHONPATH=sandbox): it provides
the `sandbox` fixture (a fresh, reset sandbox per test).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib

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
