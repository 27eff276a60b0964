# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""builtin_roles: Azure's fixed built-in role GUIDs, by name and back."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils.builtin_roles import (
    builtin_role_guid, builtin_role_name)


def test_names_in_any_case_give_the_guid_and_back():
    assert builtin_role_guid('AcrPull') == builtin_role_guid(' acrpull ') == '7f951dda-4ed3-4680-a7ca-43fe172d538d'
    assert builtin_role_name('7F951DDA-4ED3-4680-A7CA-43FE172D538D') == 'AcrPull'
    assert builtin_role_guid('Acr Puller') is None and builtin_role_name('5b1e4c2a-7d3f-4e8a-9b0c-1d2e3f4a5b6c') is None
