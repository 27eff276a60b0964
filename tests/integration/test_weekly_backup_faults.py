# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""weekly.yml's backup status with faults from the sandbox's control API: PostgreSQL backups stopped (older than the
threshold), Redis persistence turned off.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

# the fixtures kube and platform are imported for pytest to find them
# pylint: disable=redefined-outer-name,unused-import
from ansible_collections.phonebill.platform.tests.integration.weekly_platform import (  # noqa: F401,F811
    GROUP, TAG, checks, kube, platform, play)


def test_backups_stopped_and_redis_persistence_off_fail(sandbox, platform, cluster, namespace, kube, tmp_path):
    # snapshots are taken 3 h, 27 h, 51 h ... ago (the server was created 40 days and 3 h ago); stopped 25 h ago
    stopped = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=25)
    sandbox.config(postgresql_backups_stopped={platform['server']: stopped.isoformat()})
    sandbox.drift(platform['cache'], {'properties': {'redisConfiguration': {'rdb-backup-enabled': 'false'}}})
    code, output, report = play(sandbox, cluster, namespace, tmp_path)
    assert code == 2, output[-4000:]
    found = checks(report)
    age = found['postgresql psql-phonebill-prod latest backup age']
    assert age['status'] == 'FAIL' and 26.5 < age['measured'] < 27.5, age   # the last snapshot 27 h ago
    assert age['threshold'] == '<= 26.0 hours, <= 25.0 hours to pass'
    persistence = found['redis redis-phonebill-prod persistence']
    assert (persistence['status'], persistence['measured'], persistence['threshold']) == ('FAIL', 'none', '= RDB')
    assert found['node pool app nodes vs autoscaler']['status'] == 'PASS'
    group = '/subscriptions/%s/resourceGroups/%s' % (sandbox.subscription_id, GROUP)
    assert TAG not in sandbox.get(group).get('tags', {})   # the lock released after the failed checks
