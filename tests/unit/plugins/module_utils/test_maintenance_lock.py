# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The maintenance lock's tag value and the take/release decisions."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
from unittest import mock

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import azure_module
from ansible_collections.phonebill.platform.plugins.module_utils import maintenance_lock as lock
from ansible_collections.phonebill.platform.plugins.modules import maintenance_lock
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module

NOW = datetime.datetime(2026, 12, 5, 17, 5, tzinfo=datetime.timezone.utc)
LIVE = 'awx@phonebill-ops|awx-job-4711|2026-12-05T19:35:00Z'


def test_longest_lock_fits_in_a_tag_value():
    longest = lock.Lock('o' * 100, 'r' * 100, NOW)
    assert len(longest.value) <= 256 and lock.parse(longest.value).value == longest.value


def test_value_round_trip():
    held = lock.parse(LIVE)
    assert (held.owner, held.run_id, held.expires) == ('awx@phonebill-ops', 'awx-job-4711',
                                                       datetime.datetime(2026, 12, 5, 19, 35, tzinfo=datetime.timezone.utc))
    assert held.value == LIVE and held.describe() == 'awx@phonebill-ops (run awx-job-4711) until 2026-12-05T19:35:00Z'


@pytest.mark.parametrize('value', ['locked', 'a|b', 'a|b|2026-12-05 19:35', 'a|b|2026-13-05T19:35:00Z', '|b|2026-12-05T19:35:00Z',
                                   'a|b|c|2026-12-05T19:35:00Z'])
def test_values_that_are_no_lock(value):
    assert lock.parse(value) is None


def test_take_decisions():
    assert lock.take_decision(None, 'awx', 'j1', NOW) == ('take', None, None)
    decision, previous, why = lock.take_decision(LIVE, 'awx@phonebill-ops', 'awx-job-4711', NOW)
    assert (decision, previous.value, why) == ('hold', LIVE, None)
    decision, previous, why = lock.take_decision(LIVE, 'awx@phonebill-ops', 'awx-job-4712', NOW)
    assert decision == 'refuse' and why == 'held by awx@phonebill-ops (run awx-job-4711) until 2026-12-05T19:35:00Z'


def test_expiry_is_the_first_stale_second():
    at_expiry = datetime.datetime(2026, 12, 5, 19, 35, tzinfo=datetime.timezone.utc)
    assert lock.take_decision(LIVE, 'other', 'j', at_expiry - datetime.timedelta(seconds=1))[0] == 'refuse'
    decision, previous, why = lock.take_decision(LIVE, 'other', 'j', at_expiry + datetime.timedelta(minutes=3))
    assert decision == 'take' and previous.value == LIVE
    assert why == 'stale maintenance lock of awx@phonebill-ops (run awx-job-4711) until 2026-12-05T19:35:00Z taken over (expired 3 minutes ago)'
    # this run's own lock, once stale, is taken again (a new expiry), not merely held
    assert lock.take_decision(LIVE, 'awx@phonebill-ops', 'awx-job-4711', at_expiry)[0] == 'take'


def test_release_decisions():
    assert lock.release_decision(None, 'a', 'b', False) == ('absent', None)
    assert lock.release_decision(LIVE, 'awx@phonebill-ops', 'awx-job-4711', False)[0] == 'release'
    assert lock.release_decision(LIVE, 'awx@phonebill-ops', 'awx-job-4712', False)[0] == 'refuse'
    assert lock.release_decision(LIVE, 'ops', 'manual', True)[0] == 'release'
    assert lock.release_decision('junk', 'ops', 'manual', False) == ('release', None)


@pytest.mark.parametrize('args, message', [
    (dict(owner='a|b'), "owner: 'a|b' must be 1 to 100 characters without \"|\""),
    (dict(run_id=''), "run_id: '' must be 1 to 100 characters"),
    (dict(ttl_minutes=0), 'ttl_minutes: 0 is not 1 to 1440 minutes'),
    (dict(verify_delay_seconds=-1), 'verify_delay_seconds: -1 is not 0 to 300 seconds'),
    (dict(owner='o' * 101), "owner: '%s' must be 1 to 100 characters" % ('o' * 101)),
])
def test_bad_input_fails_before_azure_is_called(args, message):
    params = dict(resource_group='rg-phonebill-prod', owner='awx@phonebill-ops', run_id='awx-job-4711')
    params.update(args)
    with mock.patch.object(azure_module.AzureModule, 'client', side_effect=AssertionError('client built')) as client:
        result = run_module(maintenance_lock.main, params)
    assert result['failed'] and result['msg'].startswith(message), result['msg']
    assert not client.called
