# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""key_vault_rotation (the journal) and key_vault_rotation_plan against the sandbox's Key Vault."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from datetime import datetime, timedelta, timezone

import pytest
from azure.keyvault.secrets import SecretClient

from ansible_collections.phonebill.platform.plugins.module_utils import rotation
from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import create_vault

NAME = 'kos-mock-config'
OLD = 'Kos-Mock-Token-initial-8c0e2a4b6d'
POLICY = [dict(name=NAME, kind='generated', generate={'length': 48}), dict(name='ssl-wildcard-cert', kind='certificate')]
GENERATE = dict(length=48, classes=['lower', 'upper', 'digits'])


@pytest.fixture
def vault(azure):
    return create_vault(azure.sandbox, {NAME: OLD})


@pytest.fixture
def data_plane(sandbox, vault):
    return SecretClient(vault, sandbox.credential(), **sandbox.data_plane_kwargs())


def values(data_plane):
    """Every version's value (to scan results for), with its tags and enabled state."""
    found = {}
    for props in data_plane.list_properties_of_secret_versions(NAME):
        value = data_plane.get_secret(NAME, props.version).value if props.enabled else None
        found[props.version] = (value, props.tags or {}, props.enabled)
    return found


def journal(azure, data_plane, vault, **args):
    result = azure('key_vault_rotation', vault_uri=vault, name=NAME, **args)
    printed = json.dumps(result)
    if args.get('step') != 'read':
        assert not any(value and value in printed for value, _tags, _enabled in values(data_plane).values())
    return result


def test_plan_says_what_is_due_why_and_when_and_reads_only(azure, vault):
    writes = azure.writes()
    daily = azure('key_vault_rotation_plan', vault_uri=vault, policy=POLICY)
    item, certificate = daily['plan']
    assert not daily['changed'] and daily['due'] == [] and azure.writes() == writes
    assert item['action'] == 'skip' and item['reason'].startswith('not due until') and item['rotation_id'] is None
    created = datetime.fromisoformat(item['last_rotated'].replace('Z', '+00:00'))
    assert item['next_due'] == (created + timedelta(days=90)).strftime('%Y-%m-%dT%H:%M:%SZ')
    assert certificate['action'] == 'skip' and 'does not exist' in certificate['reason']
    later = azure('key_vault_rotation_plan', vault_uri=vault, policy=POLICY,
                  now=(created + timedelta(days=90)).strftime('%Y-%m-%dT%H:%M:%SZ'))
    assert later['due'] == [NAME] and later['plan'][0]['reason'].startswith('due since')
    assert later['plan'][0]['rotation_id'] and later['plan'][0]['previous_version'] == item['version']
    asked = azure('key_vault_rotation_plan', vault_uri=vault, policy=POLICY, only=NAME)
    assert asked['due'] == [NAME] and asked['plan'][0]['reason'].startswith('on demand')
    assert asked['plan'][1]['reason'] == 'not asked for (rotating only %s)' % NAME
    wrong = azure('key_vault_rotation_plan', vault_uri=vault, policy=POLICY + [dict(name='x_y', kind='vault')], only='nope')
    assert wrong['failed'] and azure.writes() == writes
    assert 'policy[2].name' in wrong['msg'] and "policy[2].kind: 'vault' is not a rotator" in wrong['msg']
    assert "only: 'nope' is not in policy" in wrong['msg']


def test_start_apply_commit_moves_the_journal_forward_once(azure, vault, data_plane):
    writes = azure.writes()
    predicted = journal(azure, data_plane, vault, step='start', rotation_id='r1', generate=GENERATE, check_mode=True)
    assert predicted['changed'] and predicted['state'] == 'pending' and azure.writes() == writes
    started = journal(azure, data_plane, vault, step='start', rotation_id='r1', generate=GENERATE, expires_after_days=90,
                      reason='due since 2026-12-01')
    assert started['changed'] and started['differences'][0] == {'path': 'value', 'before': '********', 'after': '********'}
    versions = values(data_plane)
    new_value, tags, enabled = versions[started['version']]
    assert len(versions) == 2 and enabled and new_value != OLD and len(new_value) == 48 and versions[started['previous_version']][0] == OLD
    assert tags[rotation.STATE] == 'pending' and tags[rotation.ID] == 'r1' and tags[rotation.REASON] == 'due since 2026-12-01'
    expires = data_plane.get_secret(NAME, started['version']).properties.expires_on
    assert abs(expires - (datetime.now(timezone.utc) + timedelta(days=90))) < timedelta(minutes=5)

    writes = azure.writes()
    resumed = journal(azure, data_plane, vault, step='start', rotation_id='r1', generate=GENERATE)
    assert not resumed['changed'] and resumed['version'] == started['version'] and azure.writes() == writes
    other = journal(azure, data_plane, vault, step='start', rotation_id='r2', generate=GENERATE)
    assert other['failed'] and 'rotation r1 of secret %s' % NAME in other['msg'] and 'is pending' in other['msg']
    plan = azure('key_vault_rotation_plan', vault_uri=vault, policy=POLICY)['plan'][0]
    assert (plan['action'], plan['rotation_id'], plan['state'], plan['previous_version']) == (
        'resume', 'r1', 'pending', started['previous_version'])

    for step, state in (('apply', 'applied'), ('commit', 'committed')):
        moved = journal(azure, data_plane, vault, step=step, rotation_id='r1')
        assert moved['changed'] and moved['state'] == state and values(data_plane)[started['version']][1][rotation.STATE] == state
    writes = azure.writes()
    again = journal(azure, data_plane, vault, step='commit', rotation_id='r1')
    assert not again['changed'] and azure.writes() == writes
    refused = journal(azure, data_plane, vault, step='rollback', rotation_id='r1')
    assert refused['failed'] and 'is committed' in refused['msg'] and azure.writes() == writes
    read = azure('key_vault_rotation', vault_uri=vault, name=NAME, step='read')
    assert read['value'] == new_value and read['version'] == started['version']


def test_rollback_disables_the_new_version_and_the_old_one_is_read_again(azure, vault, data_plane):
    started = journal(azure, data_plane, vault, step='start', rotation_id='r1', generate=GENERATE)
    journal(azure, data_plane, vault, step='apply', rotation_id='r1')
    assert azure('key_vault_rotation', vault_uri=vault, name=NAME, step='read')['version'] == started['version']
    rolled = journal(azure, data_plane, vault, step='rollback', rotation_id='r1')
    assert rolled['changed'] and rolled['state'] == 'rolled-back'
    assert {'path': 'enabled', 'before': True, 'after': False} in rolled['differences']
    versions = values(data_plane)
    assert versions[started['version']][1:] == (dict(versions[started['version']][1], **{rotation.STATE: 'rolled-back'}), False)
    read = azure('key_vault_rotation', vault_uri=vault, name=NAME, step='read')
    assert read['value'] == OLD and read['version'] == started['previous_version']
    assert azure('key_vault_rotation_plan', vault_uri=vault, policy=POLICY)['plan'][0]['action'] == 'skip'
    assert not journal(azure, data_plane, vault, step='rollback', rotation_id='never-started')['changed']
    again = journal(azure, data_plane, vault, step='apply', rotation_id='r1')
    assert again['failed'] and 'was rolled back' in again['msg']


def test_retire_disables_the_versions_before_the_consumed_one_after_the_overlap(azure, vault, data_plane):
    started = journal(azure, data_plane, vault, step='start', rotation_id='r1', generate=GENERATE)
    journal(azure, data_plane, vault, step='apply', rotation_id='r1')
    journal(azure, data_plane, vault, step='commit', rotation_id='r1')
    kept = journal(azure, data_plane, vault, step='retire', overlap_hours=24)
    assert not kept['changed'] and kept['retired'] == []
    writes = azure.writes()
    predicted = journal(azure, data_plane, vault, step='retire', overlap_hours=0, check_mode=True)
    assert predicted['retired'] == [started['previous_version']] and azure.writes() == writes
    retired = journal(azure, data_plane, vault, step='retire', overlap_hours=0)
    assert retired['changed'] and retired['retired'] == [started['previous_version']]
    assert values(data_plane)[started['previous_version']][2] is False
    assert not journal(azure, data_plane, vault, step='retire', overlap_hours=0)['changed']


def test_bad_input_fails_before_any_call(azure, vault):
    writes = azure.writes()
    failed = azure('key_vault_rotation', vault_uri='http://kv', name=NAME, step='apply',
                   tags={rotation.STATE: 'x'}, generate={'length': 4})
    assert failed['failed'] and azure.writes() == writes
    for part in ('vault_uri:', 'rotation_id: required to apply', 'generate.length', 'tags: rotation-state belong to the journal',
                 'step: only start takes a new value'):
        assert part in failed['msg']
