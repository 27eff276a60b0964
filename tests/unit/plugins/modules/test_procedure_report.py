# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The procedure report: every rule judged the same way, bad checks refused before anything is written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.phonebill.platform.plugins.module_utils import procedure_report as report
from ansible_collections.phonebill.platform.plugins.modules import procedure_report as module
from ansible_collections.phonebill.platform.tests.unit.plugins.modules.module_runner import run_module


@pytest.mark.parametrize('check,status', [
    (dict(name='cpu', measured=70, max=85), 'PASS'),
    (dict(name='cpu', measured=85, max=85), 'PASS'),
    (dict(name='cpu', measured=86, max=85), 'FAIL'),
    (dict(name='cpu', measured=80, warn_max=75, max=85), 'WARN'),
    (dict(name='cpu', measured=90, warn_max=75, max=85), 'FAIL'),
    (dict(name='hit ratio', measured=0.96, min=0.95), 'PASS'),
    (dict(name='hit ratio', measured=0.94, min=0.9, warn_min=0.95), 'WARN'),
    (dict(name='hit ratio', measured=0.80, min=0.9, warn_min=0.95), 'FAIL'),
    (dict(name='purge protection', measured=True, expected=True), 'PASS'),
    (dict(name='purge protection', measured=None, expected=True), 'FAIL'),
    (dict(name='tls', measured='1.0', expected='1.2'), 'FAIL'),
    (dict(name='health', status='WARN'), 'WARN'),
    (dict(name='restore point age', max=60), 'WARN'),
])
def test_each_rule_gives_its_verdict(check, status):
    assert report.judge(check)['status'] == status


def test_an_unmeasured_threshold_check_says_why():
    judged = report.judge(dict(name='redis memory', unit='%', warn_max=70, max=85))
    assert judged['detail'] == 'no value measured'
    assert judged['threshold'] == '<= 85 %, <= 70 % to pass'


@pytest.mark.parametrize('checks,fragment', [
    ([dict(measured=1, max=2)], 'checks[0].name: missing'),
    ([dict(name='a', status='PASS'), dict(name='a', status='PASS')], "checks[1].name: 'a' appears twice"),
    ([dict(name='a')], 'checks[0]: no rule given'),
    ([dict(name='a', status='PASS', max=3)], 'checks[0]: both status and limits given'),
    ([dict(name='a', status='OK')], "checks[0].status: 'OK' is not a verdict"),
    ([dict(name='a', measured=1, max='3')], "checks[0].max: '3' is not a number"),
    ([dict(name='a', measured='high', max=3)], "checks[0].measured: 'high' is not a number"),
    ([dict(name='a', status='PASS', colour='red')], 'checks[0]: unknown field(s) colour'),
    (['cpu'], 'checks[0]: must be a mapping'),
])
def test_bad_checks_are_named(checks, fragment):
    problems = report.check_problems(checks)
    assert len(problems) == 1 and fragment in problems[0], problems


def test_overall_is_the_worst_verdict():
    built = report.build('weekly', [dict(name='a', status='PASS'), dict(name='b', measured=9, warn_max=5),
                                    dict(name='c', status='PASS')], 's', 'f')
    assert built['status'] == 'WARN'
    assert built['counts'] == dict(PASS=2, WARN=1, FAIL=0)
    assert [check['name'] for check in built['checks']] == ['a', 'b', 'c']
    assert report.build('empty', [], 's', 'f')['status'] == 'PASS'


def test_markdown_keeps_a_table_cell_whole():
    text = report.markdown(report.build('daily', [dict(name='errors | by pod', status='FAIL', detail='a\nb')],
                                        's', 'f', context=dict(cluster='aks')))
    assert '| FAIL |  | errors \\| by pod |  |  | a b |' in text
    assert '- cluster: aks' in text
    assert text.startswith('# daily: FAIL')


def test_module_writes_both_files_and_does_not_fail_on_a_failed_check(tmp_path):
    result = run_module(module.main, dict(procedure='dr-drill', report_dir=str(tmp_path / 'r'),
                                          checks=[dict(name='rto', measured=40, unit='min', max=30)]))
    assert result['changed'] and not result.get('failed')
    assert result['report']['status'] == 'FAIL'
    with open(result['json_file']) as handle:
        assert json.load(handle)['checks'][0]['threshold'] == '<= 30 min'
    assert '| FAIL |  | rto | 40 min | <= 30 min |  |' in open(result['markdown_file']).read()
    assert sorted(os.listdir(str(tmp_path / 'r'))) == sorted(
        os.path.basename(path) for path in (result['json_file'], result['markdown_file']))


def test_module_in_check_mode_writes_nothing(tmp_path):
    result = run_module(module.main, dict(procedure='daily', report_dir=str(tmp_path / 'r'),
                                          checks=[dict(name='a', status='PASS')]), check_mode=True)
    assert not result['changed'] and result['json_file'] is None
    assert not (tmp_path / 'r').exists()


def test_a_check_mode_procedure_is_reported_as_such_once_when_its_report_is_written(tmp_path):
    result = run_module(module.main, dict(procedure='weekly', report_dir=str(tmp_path / 'r'), procedure_check_mode=True,
                                          checks=[dict(name='a', status='PASS')]))
    assert result['changed'] and result['report']['check_mode'] is True and result['report']['context'] == {}
    assert '- check mode: nothing was changed' in open(result['markdown_file']).read()


def test_module_refuses_bad_checks_before_writing(tmp_path):
    result = run_module(module.main, dict(procedure='daily', report_dir=str(tmp_path / 'r'), checks=[dict(name='a')]))
    assert result['failed'] and 'checks[0]: no rule given' in result['msg']
    assert not (tmp_path / 'r').exists()
