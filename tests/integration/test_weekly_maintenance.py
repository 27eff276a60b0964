# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""weekly.yml against the sandbox and the control plane: a healthy platform passes with measured values; outside the
window the run is refused, still reported, and nothing is written to Azure (more in test_weekly_*_faults.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# the fixtures kube and platform are imported for pytest to find them
# pylint: disable=redefined-outer-name,unused-import
from ansible_collections.phonebill.platform.tests.integration.weekly_platform import (  # noqa: F401,F811
    GROUP, OUTSIDE, TAG, checks, kube, platform, play)


def test_healthy_platform_passes_with_measured_values(sandbox, platform, cluster, namespace, kube, tmp_path):
    code, output, report = play(sandbox, cluster, namespace, tmp_path)
    assert code == 0, output[-4000:]
    found = checks(report)
    assert report['status'] == 'PASS', [c for c in report['checks'] if c['status'] != 'PASS']
    assert found['maintenance window']['detail'].startswith('inside the window Sunday 2026-12-06 02:00:00 +09:00')
    app = found['node pool app nodes vs autoscaler']
    assert (app['measured'], app['threshold']) == (3, '<= 9 nodes, >= 3 nodes, <= 8 nodes to pass')
    assert found['node pool system nodes ready']['measured'] == 3
    assert found['pods no node fits']['measured'] == 0
    age = found['postgresql psql-phonebill-prod latest backup age']
    assert 2.5 < age['measured'] < 3.5 and age['threshold'] == '<= 26.0 hours, <= 25.0 hours to pass'   # the daily snapshot 3 h ago
    assert found['postgresql psql-phonebill-prod backup retention']['measured'] == 35
    assert found['postgresql psql-phonebill-prod geo-redundant backup']['measured'] == 'Enabled'
    assert found['redis redis-phonebill-prod persistence']['measured'] == 'RDB'
    assert found['redis redis-phonebill-prod RDB snapshot interval']['measured'] == 60
    assert found['redis redis-phonebill-prod geo-replication']['measured'] == 'not linked'
    # the performance review over the week and the node images (both included in tasks/weekly.yml)
    assert found['capacity PostgreSQL storage']['measured'] == 41.0 and found['capacity Redis memory']['measured'] == 35.0
    assert [c['category'] for c in report['checks']].count('security patches') == 2
    assert TAG not in sandbox.get('/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, GROUP)).get('tags', {})


def test_outside_the_window_refused_reported_nothing_written(sandbox, platform, cluster, namespace, kube, tmp_path):
    writes = sandbox.writes_count()
    code, output, report = play(sandbox, cluster, namespace, tmp_path, now=OUTSIDE)
    assert code == 2, output[-4000:]
    assert report['status'] == 'FAIL' and [c['name'] for c in report['checks']] == ['maintenance window']
    assert 'the next window opens at 2026-12-05T17:00:00Z' in report['checks'][0]['detail']
    assert sandbox.writes_count() == writes
    assert [r for r in sandbox.requests() if r['method'] != 'GET'] == []
