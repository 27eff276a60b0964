# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""awx/controller.yml against the awx.awx modules' own argument specs and against this repository (issue 13).

Every entry is what apply.yml hands to one awx.awx module: each must pass that module's argument validation,
and every playbook, inventory file, AWX object and variable it names must exist.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os

import pytest
from dateutil import rrule

from controller_as_code import (applied_lists, argument_problems, argument_spec, files_naming, load_yaml,
                                template_names)

BUILT_IN_CREDENTIAL_TYPES = ('Microsoft Azure Resource Manager',)
SURVEY_TYPES = ('text', 'textarea', 'password', 'integer', 'float', 'multiplechoice', 'multiselect')


@pytest.fixture(scope='module')
def controller(repo_root):
    return load_yaml(os.path.join(repo_root, 'awx', 'controller.yml'))


@pytest.fixture(scope='module')
def applied(repo_root):
    return applied_lists(os.path.join(repo_root, 'awx', 'apply.yml'))


def names(controller, kind):
    return [entry['name'] for entry in controller.get(kind, [])]


def test_every_list_is_applied_by_one_task(controller, applied):
    assert sorted(applied) == sorted(key for key in controller if key.startswith('awx_'))


def test_every_entry_passes_its_module_argument_spec(awx_collection, controller, applied):
    problems = dict(('%s[%s]' % (kind, entry['name']), argument_problems(module, entry))
                    for kind, module in applied.items() for entry in controller[kind])
    assert dict((k, v) for k, v in problems.items() if v) == {}
    assert len(problems) >= 10


def test_the_argument_spec_check_can_fail(awx_collection):
    problems = argument_problems('job_template', {'name': 'x', 'job_type': 'deploy', 'playbok': 'site.yml'})
    assert len(problems) == 2
    assert 'value of job_type must be one of: run, check, got: deploy' in problems
    assert [p for p in problems if p.startswith('playbok. Supported parameters include:')]
    spec, _keywords = argument_spec('schedule')
    assert 'rrule' in spec and 'controller_host' in spec


def test_named_objects_exist(controller):
    organizations = names(controller, 'awx_organizations')
    defined = {
        'project': names(controller, 'awx_projects'), 'inventory': names(controller, 'awx_inventories'),
        'execution_environment': names(controller, 'awx_execution_environments'),
        'default_environment': names(controller, 'awx_execution_environments'),
        'source_project': names(controller, 'awx_projects'), 'organization': organizations,
        'credential_type': names(controller, 'awx_credential_types') + list(BUILT_IN_CREDENTIAL_TYPES),
    }
    missing = []
    for kind, entries in controller.items():
        for entry in entries:
            for option, known in defined.items():
                if option in entry and entry[option] not in known:
                    missing.append('%s[%s].%s: %s' % (kind, entry['name'], option, entry[option]))
            missing += ['%s[%s].credentials: %s' % (kind, entry['name'], credential)
                        for credential in entry.get('credentials', []) if credential not in names(controller, 'awx_credentials')]
    assert missing == []


def test_playbooks_and_inventory_files_exist(repo_root, controller):
    paths = [entry['playbook'] for entry in controller['awx_job_templates']]
    paths += [entry['source_path'] for entry in controller['awx_inventory_sources']]
    assert [path for path in paths if not os.path.isfile(os.path.join(repo_root, path))] == []
    assert 'playbooks/site.yml' in paths and 'playbooks/drift_report.yml' in paths


def test_workflow_nodes_and_schedules_name_existing_templates(controller):
    templates = names(controller, 'awx_job_templates')
    workflows = names(controller, 'awx_workflow_job_templates')
    for workflow in controller['awx_workflow_job_templates']:
        identifiers = [node['identifier'] for node in workflow['workflow_nodes']]
        for node in workflow['workflow_nodes']:
            assert node['unified_job_template']['name'] in templates
            for related in node.get('related', {}).values():
                assert all(child['identifier'] in identifiers for child in related)
    assert all(schedule['unified_job_template'] in templates + workflows for schedule in controller['awx_schedules'])


def test_extra_and_survey_variables_are_read_by_the_collection(repo_root, controller):
    variables = set()
    for template in controller['awx_job_templates'] + controller['awx_workflow_job_templates']:
        variables.update(template.get('extra_vars', {}))
        variables.update(question['variable'] for question in template.get('survey_spec', {}).get('spec', []))
    assert variables
    assert dict((name, files_naming(repo_root, name)) for name in variables if not files_naming(repo_root, name)) == {}


def test_surveys_are_well_formed(controller):
    for template in controller['awx_job_templates']:
        if not template.get('survey_enabled'):
            continue
        for question in template['survey_spec']['spec']:
            assert question['type'] in SURVEY_TYPES and question['variable'] and question['question_name']
            if question['type'] == 'multiplechoice':
                assert question['default'] in question['choices']


def test_apply_playbook_asks_for_every_value_the_definitions_template(repo_root, controller):
    apply_tasks = load_yaml(os.path.join(repo_root, 'awx', 'apply.yml'))[0]['tasks']
    asked = set(apply_tasks[0]['loop'])
    # a credential type's injectors are AWX's own templates, rendered with the credential's inputs
    ours = dict(controller, awx_credential_types=[dict(kind, injectors={}) for kind in controller['awx_credential_types']])
    assert template_names(ours) == asked


def test_schedules_are_rrules_awx_accepts_in_seoul_time(controller):
    for schedule in controller['awx_schedules']:
        text = schedule['rrule']
        assert text.startswith('DTSTART;TZID=Asia/Seoul:') and ' RRULE:' in text
        occurrences = rrule.rrulestr(text.replace(' RRULE:', '\nRRULE:'))
        first = occurrences.after(datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc))
        assert first is not None and first.utcoffset() == datetime.timedelta(hours=9)


def test_maintenance_schedules_start_inside_the_window_and_never_share_one(repo_root, controller):
    """Each scheduled procedure under the maintenance lock starts inside Sunday 02:00-04:00 KST with its budget still
    fitting, and no two of them fall on the same Sunday (the lock would refuse the second one)."""
    templates = dict((t['name'], t) for t in controller['awx_job_templates'])
    guarded = set()
    for name, template in templates.items():
        with open(os.path.join(repo_root, template['playbook'])) as handle:
            if 'phonebill.platform.maintenance_guard' in handle.read():
                guarded.add(name)
    days = {}
    for schedule in controller['awx_schedules']:
        if schedule['unified_job_template'] not in guarded:
            continue
        occurrences = rrule.rrulestr(schedule['rrule'].replace(' RRULE:', '\nRRULE:'))
        for start in occurrences.between(datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc),
                                         datetime.datetime(2028, 1, 1, tzinfo=datetime.timezone.utc)):
            assert start.weekday() == 6 and datetime.time(2, 0) <= start.time() < datetime.time(4, 0), (schedule['name'], start)
            days.setdefault(start.date(), []).append(schedule['name'])
    assert len(guarded) >= 4 and sum(len(names) for names in days.values()) >= 52
    assert dict((day, names) for day, names in days.items() if len(names) > 1) == {}
