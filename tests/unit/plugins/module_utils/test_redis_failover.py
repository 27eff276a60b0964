# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The judging of a Redis geo-failover: which cache is which, is the link usable, are the metrics in sync."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import redis_failover as rf

SUB = '/subscriptions/s/resourceGroups/%s/providers/Microsoft.Cache/Redis/%s'


def link(name, role, state='Succeeded', group='rg'):
    return {'name': name, 'properties': {'linkedRedisCacheId': SUB % (group, name), 'serverRole': role,
                                         'provisioningState': state, 'linkedRedisCacheLocation': 'Korea South'}}


PRIMARY_LINKS, SECONDARY_LINKS = [link('dr', 'Secondary')], [link('main', 'Primary')]


def summaries(healthy=None, lag=None, offset=None):
    found = {}
    for metric, value, aggregation in ((rf.HEALTHY, healthy, 'minimum'), (rf.LAG, lag, 'maximum'), (rf.OFFSET, offset, 'maximum')):
        found[metric] = {} if value is None else {aggregation: {'highest': value, 'lowest': value, 'latest': value, 'points': 15}}
    return found


def statuses(checks):
    return dict((check['name'], check['status']) for check in checks)


def test_roles_come_from_the_other_side_s_role_on_each_link():
    assert rf.role_of(PRIMARY_LINKS) == 'Primary'
    assert rf.role_of(SECONDARY_LINKS) == 'Secondary'
    assert rf.role_of([]) == rf.STANDALONE


def test_a_linked_pair_named_the_right_way_round_has_no_problem():
    assert rf.pair_problems('main', 'dr', PRIMARY_LINKS, SECONDARY_LINKS) == []
    assert rf.pair_problems('MAIN', 'DR', PRIMARY_LINKS, SECONDARY_LINKS) == []   # Azure names are case-insensitive


def test_two_standalone_caches_have_nothing_to_fail_over_and_no_problem():
    assert rf.pair_problems('main', 'dr', [], []) == []


@pytest.mark.parametrize('primary, secondary, primary_links, secondary_links, message', [
    ('dr', 'main', SECONDARY_LINKS, PRIMARY_LINKS, 'name: dr is the geo-secondary of main, not its primary'),
    ('main', 'other', PRIMARY_LINKS, [], 'linked_cache_name: other is not linked to main (links found: dr)'),
    ('dr', 'main', [], PRIMARY_LINKS, 'name: dr is the geo-secondary of main, not its primary'),   # seen from one side
    ('main', 'dr', [link('dr', 'Replica')], [], 'name: the link of main to dr has the role Replica'),
])
def test_the_named_cache_must_be_the_primary_s_linked_secondary(primary, secondary, primary_links, secondary_links, message):
    found = rf.pair_problems(primary, secondary, primary_links, secondary_links)
    assert len(found) == 1 and found[0].startswith(message), found


@pytest.mark.parametrize('state, status', [('Succeeded', 'PASS'), ('Creating', 'FAIL'), ('Failed', 'FAIL')])
def test_only_a_succeeded_link_passes(state, status):
    found = rf.link_check('main', 'dr', [link('dr', 'Secondary', state)])
    assert (found['status'], found['measured']) == (status, state)
    assert ('Azure answers 409' in found['detail']) is (state != 'Succeeded')


def test_an_absent_link_fails():
    assert rf.link_check('main', 'dr', [])['measured'] == 'absent'
    assert rf.link_check('main', 'dr', [])['status'] == 'FAIL'


def test_a_healthy_pair_in_sync_passes_every_metric():
    found = rf.health_checks(summaries(healthy=1, lag=4.0, offset=0), 60, 1048576, 'PT15M')
    assert set(statuses(found).values()) == {'PASS'}
    assert [check['unit'] for check in found] == [None, 's', 'bytes']


@pytest.mark.parametrize('measured, failing', [
    (dict(healthy=0, lag=4.0, offset=0), 'Geo-replication healthy'),
    (dict(healthy=1, lag=61.0, offset=0), 'Geo-replication connectivity lag'),
    (dict(healthy=1, lag=4.0, offset=2000000), 'Geo-replication data sync offset'),
    (dict(lag=4.0, offset=0), 'Geo-replication healthy'),              # no health data: unknown is not healthy
    (dict(healthy=1, offset=0), 'Geo-replication connectivity lag'),   # no lag data
])
def test_each_metric_out_of_bounds_or_silent_fails_alone(measured, failing):
    found = statuses(rf.health_checks(summaries(**measured), 60, 1048576, 'PT15M'))
    assert [name for name, status in found.items() if status == 'FAIL'] == [failing]


def test_the_lag_at_the_threshold_passes():
    assert statuses(rf.health_checks(summaries(healthy=1, lag=60.0, offset=0), 60, 1048576, 'PT15M'))[
        'Geo-replication connectivity lag'] == 'PASS'


def test_no_offset_data_is_a_warning_only():
    found = statuses(rf.health_checks(summaries(healthy=1, lag=1.0), 60, 1048576, 'PT15M'))
    assert found['Geo-replication data sync offset'] == 'WARN'


def test_refusals_name_each_failed_check_with_what_was_measured():
    found = rf.refusals(rf.health_checks(summaries(healthy=0, lag=90.0, offset=0), 60, 1048576, 'PT15M'))
    assert len(found) == 2 and found[0].startswith('Geo-replication healthy: 0') and 'at most 60 s' in found[1]


def test_a_promoted_secondary_is_succeeded_and_lists_no_link():
    assert rf.promotion_problems('dr', {'properties': {'provisioningState': 'Succeeded'}}, []) == []
    found = rf.promotion_problems('dr', {'properties': {'provisioningState': 'Unlinking'}}, SECONDARY_LINKS)
    assert found == ['dr is Unlinking after the unlink, not Succeeded',
                     'dr still lists geo-replication links (main) after the unlink']
