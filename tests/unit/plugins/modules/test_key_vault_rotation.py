# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The input checks of key_vault_rotation and key_vault_rotation_plan (before any call to Azure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.modules import key_vault_rotation, key_vault_rotation_plan

VAULT = 'https://kv-phonebill-prod.vault.azure.net/'
JOURNAL = dict(vault_uri=VAULT, name='jwt-signing-key', step='start', rotation_id=None, value=None, generate={'length': 64},
               tags={}, expires_after_days=90, overlap_hours=0)


def test_a_start_needs_a_value_and_other_steps_need_the_rotation_and_take_no_value():
    assert key_vault_rotation.validate(JOURNAL) == []
    assert key_vault_rotation.validate(dict(JOURNAL, generate=None)) == [
        'generate: a start needs the new value; give generate (a policy) or value']
    assert key_vault_rotation.validate(dict(JOURNAL, step='commit')) == [
        'rotation_id: required to commit a rotation; give the id the start step returned',
        'step: only start takes a new value; drop value and generate from step commit']
    assert key_vault_rotation.validate(dict(JOURNAL, step='retire', generate=None, overlap_hours=-1)) == [
        'overlap_hours: -1 is negative; give 0 or more hours']


def test_journal_tags_cannot_be_given():
    assert key_vault_rotation.validate(dict(JOURNAL, tags={'rotation-state': 'committed', 'login': 'a'})) == [
        'tags: rotation-state belong to the journal; drop them']


PLAN = dict(vault_uri=VAULT, policy=[dict(name='jwt-signing-key', kind='jwt', generate={'length': 64}),
                                     dict(name='ssl-wildcard-cert', kind='certificate', period_days=365)], only=None, now=None)


def test_plan_checks_every_entry_the_only_name_and_the_time():
    assert key_vault_rotation_plan.validate(PLAN) == []
    bad = dict(PLAN, policy=PLAN['policy'] + [dict(kind='vault', period_days=0, manual='yes'), PLAN['policy'][0]],
               only='redis-auth-key', now='tomorrow')
    assert key_vault_rotation_plan.validate(bad) == [
        'policy[2].name: required; give the Key Vault secret or certificate name',
        "policy[2].kind: 'vault' is not a rotator; give one of generated, postgresql_app, postgresql_admin, redis, jwt, certificate",
        'policy[2].period_days: 0 is out of range; use a whole number from 1 to 3650 days',
        "policy[2].manual: 'yes' is not true or false",
        'policy: jwt-signing-key is listed twice; list each secret once',
        "only: 'redis-auth-key' is not in policy; give one of jwt-signing-key, ssl-wildcard-cert",
        "now: 'tomorrow' is not an ISO 8601 date and time; give e.g. 2027-03-01T00:00:00Z"]
