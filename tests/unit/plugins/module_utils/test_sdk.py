# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every SDK service is importable and its requirement matches requirements.txt."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import sdk

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')


def requirement_lines():
    with open(os.path.join(ROOT, 'requirements.txt')) as handle:
        return set(line.strip().replace(' ', '') for line in handle if line.strip() and not line.startswith('#'))


@pytest.mark.parametrize('name', sorted(sdk.SERVICES))
def test_service_client_exists_and_requirement_is_the_project_range(name):
    assert sdk.client_class(name).__name__ == sdk.SERVICES[name].client
    assert sdk.SERVICES[name].requirement in requirement_lines()


def test_missing_package_names_the_requirement():
    with pytest.raises(sdk.MissingLibrary) as caught:
        sdk.load(sdk.Service('azure.mgmt.doesnotexist', 'X', 'azure-mgmt-doesnotexist>=1,<2'))
    assert caught.value.requirement == 'azure-mgmt-doesnotexist>=1,<2'
