# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process runner's tests run tests/unit/plugins/plugin_utils/echo_module.py for any module, SDK or not."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.plugin_utils import in_process

ECHO_MODULE = 'ansible_collections.phonebill.platform.tests.unit.plugins.plugin_utils.echo_module'


@pytest.fixture(autouse=True)
def echo_module(monkeypatch):
    monkeypatch.setattr(in_process, 'module_package', lambda resolved_action: ECHO_MODULE)
    monkeypatch.setattr(in_process, 'SDK_PROBLEM', None)
    monkeypatch.delenv('PHONEBILL_IN_PROCESS', raising=False)
