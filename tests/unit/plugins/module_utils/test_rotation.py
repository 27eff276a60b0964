# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rotation rules: what is due, what the journal says, which version consumers read."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import rotation

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)


def version(name, days_ago, state=None, enabled=True, expires=None, rotation_id=None, **tags):
    if state:
        tags[rotation.STATE] = state
    if rotation_id:
        tags[rotation.ID] = rotation_id
    return dict(version=name, id='https://kv/secrets/s/%s' % name, created=NOW - timedelta(days=days_ago), updated=None,
                expires=expires, enabled=enabled, tags=tags)


SECRET = dict(name='jwt-signing-key', kind='jwt')
CERTIFICATE = dict(name='ssl-wildcard-cert', kind='certificate')


@pytest.mark.parametrize('days_ago, due', [(89, False), (90, True), (200, True)])
def test_a_secret_is_due_90_days_after_its_version_was_made(days_ago, due):
    verdict = rotation.due(NOW, version('a', days_ago), SECRET, {})
    assert verdict['due'] is due
    assert verdict['next_due'] == NOW - timedelta(days=days_ago) + timedelta(days=90)
    assert ('due since' if due else 'not due until') in verdict['reason'] and 'every 90 days' in verdict['reason']


def test_a_certificate_is_due_after_365_days_and_a_per_secret_period_overrides():
    assert not rotation.due(NOW, version('a', 364), CERTIFICATE, {})['due']
    assert rotation.due(NOW, version('a', 365), CERTIFICATE, {})['due']
    assert rotation.due(NOW, version('a', 31), dict(SECRET, period_days=30), {})['due']
    assert not rotation.due(NOW, version('a', 31), SECRET, {'secret_period_days': 60})['due']


def test_an_expiry_before_the_period_ends_brings_the_date_forward_by_the_margin():
    verdict = rotation.due(NOW, version('a', 10, expires=NOW + timedelta(days=13)), SECRET, {})
    assert verdict['due'] and verdict['next_due'] == NOW - timedelta(days=1)
    assert 'expires 2026-12-15 (rotated 14 days before expiry)' in verdict['reason']
    assert not rotation.due(NOW, version('a', 10, expires=NOW + timedelta(days=20)), SECRET, {})['due']


def test_on_demand_is_due_whatever_the_date_and_manual_only_on_demand():
    assert rotation.due(NOW, version('a', 1), SECRET, {}, on_demand=True)['reason'].startswith('on demand')
    manual = rotation.due(NOW, version('a', 400), dict(SECRET, manual=True), {})
    assert not manual['due'] and manual['reason'].startswith('manual')


def test_nothing_to_rotate_when_the_secret_does_not_exist():
    verdict = rotation.due(NOW, None, SECRET, {}, on_demand=True)
    assert not verdict['due'] and 'does not exist' in verdict['reason']


def test_consumers_read_the_newest_version_neither_pending_nor_rolled_back_nor_disabled():
    old, current = version('old', 100), version('cur', 50, rotation.COMMITTED)
    pending = version('new', 0, rotation.PENDING)
    assert rotation.consumed([old, current, pending])['version'] == 'cur'
    assert rotation.consumed([old, current, version('new', 0, rotation.APPLIED)])['version'] == 'new'
    assert rotation.consumed([old, current, version('new', 0, rotation.ROLLED_BACK, enabled=False)])['version'] == 'cur'
    assert rotation.consumed([old, version('cur', 50, enabled=False)])['version'] == 'old'
    assert rotation.consumed([]) is None


def test_previous_is_the_readable_version_before_the_consumed_one_else_itself():
    assert rotation.previous([version('old', 100), version('cur', 1)])['version'] == 'old'
    assert rotation.previous([version('old', 100, enabled=False), version('cur', 1)])['version'] == 'cur'


def test_versions_made_in_the_same_second_count_the_one_listed_last_as_newest():
    first, second = version('first', 0), version('second', 0)
    assert rotation.consumed([first, second])['version'] == 'second'


def test_only_the_newest_version_can_be_in_flight_and_an_older_one_is_a_problem():
    stopped = version('new', 0, rotation.PENDING, rotation_id='r1')
    assert rotation.in_flight([version('cur', 5), stopped]) is stopped
    assert rotation.in_flight([version('cur', 5), version('new', 0, rotation.PENDING, enabled=False)]) is None
    hand_made = [version('a', 9, rotation.APPLIED, rotation_id='r0'), version('b', 1)]
    assert rotation.in_flight(hand_made) is None
    assert rotation.journal_problems('s', hand_made) == [
        's: version a is applied under a newer version; roll it back (disable it) by hand after checking which value is in use']


def test_plan_resumes_a_stopped_rotation_before_judging_the_period():
    versions = [version('cur', 200), version('new', 0, rotation.APPLIED, rotation_id='r1')]
    item = rotation.plan_item(NOW, SECRET, versions, {})
    assert (item['action'], item['rotation_id'], item['state'], item['version']) == ('resume', 'r1', 'applied', 'new')


def test_plan_on_demand_rotates_only_the_named_secret():
    versions = [version('cur', 1)]
    assert rotation.plan_item(NOW, SECRET, versions, {}, only='jwt-signing-key')['action'] == 'rotate'
    skipped = rotation.plan_item(NOW, SECRET, [version('cur', 400)], {}, only='redis-auth-key')
    assert skipped['action'] == 'skip' and skipped['reason'] == 'not asked for (rotating only redis-auth-key)'


def test_version_tags_keep_the_secrets_own_tags_and_replace_the_journal():
    tags = rotation.version_tags({'spec-name': 'jwt_signing_key', rotation.STATE: 'committed', rotation.ID: 'old'},
                                 rotation.PENDING, 'r2', NOW, 'ci', 'jwt', 'x' * 300)
    assert tags['spec-name'] == 'jwt_signing_key' and tags[rotation.STATE] == 'pending' and tags[rotation.ID] == 'r2'
    assert tags[rotation.AT] == '2026-12-02T10:00:00Z' and len(tags[rotation.REASON]) == 256


def test_the_journal_only_moves_forward_within_its_rotation():
    applied = version('new', 0, rotation.APPLIED, rotation_id='r1')
    assert rotation.advance_problems('s', applied, rotation.COMMITTED, 'r1') == []
    assert 'cannot go back to pending' in rotation.advance_problems('s', applied, rotation.PENDING, 'r1')[0]
    assert 'is not the rotation' in rotation.advance_problems('s', applied, rotation.COMMITTED, 'r2')[0]
    rolled = version('new', 0, rotation.ROLLED_BACK, rotation_id='r1')
    assert 'was rolled back' in rotation.advance_problems('s', rolled, rotation.APPLIED, 'r1')[0]


@pytest.mark.parametrize('selector, parts', [
    ('jwt-signing-key', ('jwt-signing-key', False, None, None)),
    ('jwt-signing-key#previous', ('jwt-signing-key', True, None, None)),
    ('database-password-auth-service#tag:login', ('database-password-auth-service', False, 'login', None)),
    ('database-password-auth-service#tag:login=auth_blue', ('database-password-auth-service', False, 'login', 'auth_blue')),
    ('jwt-signing-key#previous#tag:key-id', ('jwt-signing-key', True, 'key-id', None)),
    ('jwt_signing_key', None), ('a#later', None), (7, None)])
def test_selectors_of_secret_keys(selector, parts):
    assert rotation.selector_parts(selector) == parts
