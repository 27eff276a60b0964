# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore points of a PostgreSQL flexible server and the moment a point-in-time restore may take."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.phonebill.platform.plugins.module_utils import point_in_time_restore as pitr

NOW = datetime.datetime(2026, 12, 5, 17, 5, tzinfo=pitr.UTC)
SOURCE = {'properties': {'backup': {'backupRetentionDays': 35, 'earliestRestoreDate': '2026-10-31T17:05:00.1234567+00:00'}}}
# BackupListByServer.json shape: automatic full backups, 7 fractional digits
BACKUPS = [{'name': 'daily_20261204T170510',
            'properties': {'backupType': 'Full', 'source': 'Automatic', 'completedTime': '2026-12-04T17:05:19.9025220+00:00'}},
           {'name': 'daily_20261205T164000',
            'properties': {'backupType': 'Full', 'source': 'Automatic', 'completedTime': '2026-12-05T16:40:00Z'}},
           {'name': 'in-progress', 'properties': {'backupType': 'Full'}}]


def test_parse_time_reads_azure_and_operator_forms():
    assert pitr.parse_time('2026-10-31T17:05:00.1234567+00:00') == datetime.datetime(2026, 10, 31, 17, 5, 0, 123456, tzinfo=pitr.UTC)
    assert pitr.parse_time('2026-12-05T02:00:00+09:00') == datetime.datetime(2026, 12, 4, 17, 0, tzinfo=pitr.UTC)
    assert pitr.parse_time('2026-12-05T17:00:00') == datetime.datetime(2026, 12, 5, 17, 0, tzinfo=pitr.UTC)
    assert pitr.parse_time('yesterday') is None and pitr.parse_time(None) is None and pitr.parse_time('') is None
    assert pitr.iso(datetime.datetime(2026, 12, 5, 2, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))) == '2026-12-04T17:00:00Z'


def test_restore_points_are_the_earliest_date_and_the_newest_completed_backup():
    points = pitr.restore_points(SOURCE, BACKUPS)
    assert pitr.iso(points['earliest']) == '2026-10-31T17:05:00Z'
    assert pitr.iso(points['latest']) == '2026-12-05T16:40:00Z'
    assert pitr.restore_points({}, []) == {'earliest': None, 'latest': None}


def test_latest_restores_to_the_newest_backup_and_its_age_is_the_rpo_measure():
    points = pitr.restore_points(SOURCE, BACKUPS)
    moment, problems = pitr.point_problems('point_in_time', pitr.LATEST, points, NOW)
    assert problems == [] and pitr.iso(moment) == '2026-12-05T16:40:00Z'
    assert pitr.age_minutes(moment, NOW) == 25.0
    assert pitr.age_minutes(None, NOW) is None


def test_a_moment_inside_the_window_is_taken():
    moment, problems = pitr.point_problems('point_in_time', '2026-12-01T00:00:00Z', pitr.restore_points(SOURCE, BACKUPS), NOW)
    assert problems == [] and pitr.iso(moment) == '2026-12-01T00:00:00Z'


def test_moments_azure_refuses_are_refused_first_naming_the_range():
    points = pitr.restore_points(SOURCE, BACKUPS)
    _moment, early = pitr.point_problems('point_in_time', '2026-10-01T00:00:00Z', points, NOW)
    assert early == ['point_in_time: 2026-10-01T00:00:00Z is before the earliest restore point 2026-10-31T17:05:00Z of the '
                     'source; give a later moment or latest']
    _moment, future = pitr.point_problems('point_in_time', '2026-12-06T00:00:00Z', points, NOW)
    assert future == ['point_in_time: 2026-12-06T00:00:00Z is in the future (now 2026-12-05T17:05:00Z); give a past moment '
                      'or latest']
    _moment, bad = pitr.point_problems('point_in_time', 'last night', points, NOW)
    assert bad[0].startswith("point_in_time: 'last night' is not an ISO 8601 time")


def test_latest_without_any_completed_backup_says_what_to_do():
    moment, problems = pitr.point_problems('point_in_time', pitr.LATEST, pitr.restore_points(SOURCE, []), NOW)
    assert moment is None
    assert problems == ['point_in_time: the source server has no completed backup yet, so there is no latest restore '
                        'point; wait for its first backup or give a moment after 2026-10-31T17:05:00Z']


def test_a_latest_backup_older_than_the_earliest_restore_point_is_refused():
    source = {'properties': {'backup': {'earliestRestoreDate': '2026-12-05T17:00:00Z'}}}
    _moment, problems = pitr.point_problems('point_in_time', pitr.LATEST, pitr.restore_points(source, BACKUPS), NOW)
    assert 'is before the earliest restore point 2026-12-05T17:00:00Z' in problems[0]


def test_a_restore_in_another_region_is_a_geo_restore_and_needs_geo_redundant_backup():
    source = {'location': 'koreacentral', 'properties': {'backup': {'geoRedundantBackup': 'Disabled'}}}
    assert pitr.create_mode('Korea Central', 'koreacentral') == 'PointInTimeRestore'
    assert pitr.create_mode('koreasouth', 'koreacentral') == 'GeoRestore'
    assert pitr.region_problems('location', 'koreacentral', source) == []
    assert pitr.region_problems('location', 'koreasouth', source) == [
        'location: koreasouth is not the region of the source (koreacentral) and the source has no geo-redundant backup, '
        'so Azure refuses the geo-restore; restore in koreacentral, or enable geo-redundant backup on the source (set '
        'when it is created)']
    source['properties']['backup']['geoRedundantBackup'] = 'Enabled'
    assert pitr.region_problems('location', 'koreasouth', source) == []
