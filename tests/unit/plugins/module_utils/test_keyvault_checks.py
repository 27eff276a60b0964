# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""keyvault_checks: the rules the Key Vault modules and preflight share, one problem per wrong value."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import keyvault_checks

PATH = 'phonebill_key_vault.secrets[jwt-signing-key].generate'


def test_production_policies_are_strong_enough():
    assert keyvault_checks.strength_problems(PATH, {'length': 64, 'classes': ['lower', 'upper', 'digits']}, 128) == []
    # the module's defaults: 32 characters drawn from 75
    assert int(keyvault_checks.strength_bits({})) == 199


def test_weak_policy_names_its_entropy_and_the_fix():
    assert keyvault_checks.strength_problems(PATH, {'length': 12, 'classes': ['digits']}, 128) == [
        PATH + ': values drawn by this policy have 39 bits of entropy, under the 128 the platform asks; lengthen them '
        'or add character classes']


@pytest.mark.parametrize('policy, problem', [
    ('64', PATH + ' must be a mapping of generation settings (length, classes, symbols, min_per_class), not a string '
     "'64'"),
    ({'classes': 'lower,digits'}, PATH + '.classes must be a list of character classes (lower, upper, digits, symbols), '
     "not a string 'lower,digits'"),
    ({'length': '64'}, PATH + ".length: a string '64' is not a whole number; use one from 8 to 1024 characters"),
    ({'classes': ['lower', 'emoji']}, PATH + ".classes: 'emoji' is not a character class; use lower, upper, digits or "
     'symbols'),
])
def test_a_value_of_the_wrong_type_is_one_problem(policy, problem):
    assert keyvault_checks.generate_problems(PATH, policy) == [problem]


def test_a_policy_the_checks_refuse_has_no_strength_to_judge():
    assert keyvault_checks.strength_problems(PATH, {'length': 4}, 128) == []


def test_retention_and_validity():
    assert keyvault_checks.retention_problems('soft_delete_retention_days', 90) == []
    assert keyvault_checks.retention_problems('soft_delete_retention_days', 91) == [
        'soft_delete_retention_days: 91 is out of range; use a whole number from 7 to 90 days']
    assert keyvault_checks.validity_problems('v', 12, 12) == []
    assert keyvault_checks.validity_problems('v', 13, 12) == [
        'v: 13 months is longer than the 12-month renewal period; state at most 12']
    assert keyvault_checks.validity_problems('v', None, 12)[0].startswith('v: required')
