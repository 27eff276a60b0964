# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: drift_report
type: aggregate
short_description: Drift report of a check-mode run of the platform, as JSON and Markdown, and its exit status
version_added: 0.1.0
description:
  - Collects the result of every task of a C(--check --diff) run and writes, per resource, what differs from the
    inventory (each module's C(differences), with path, before and after), what exists in Azure or Kubernetes without being in
    the inventory (C(unmanaged_*) lists, facts named C(*_unmanaged_*), C(orphans) of P(phonebill.platform.k8s_apply#module)),
    and the tasks that failed.
  - Only values the modules returned are written; they mask secrets. A task with C(no_log) is listed by name only.
  - Does nothing until a task sets the fact C(phonebill_drift_report) (a mapping with C(dir), the report directory,
    and C(run), an id of the run), as the first play of C(playbooks/drift_report.yml) does; enabled for other
    playbooks it stays silent.
  - Writes C(drift-report.json) and C(drift-report.md) into C(dir) when armed, at the start of every play and at the
    end of the run.
  - "Exit status of C(ansible-playbook): C(0) in sync; C(10) drifted (something differs or is unmanaged); any other
    value failed (Ansible's own: C(2) a task failed, C(4) unreachable or parser error, and so on)."
requirements:
  - Enabled in the configuration, e.g. C(ANSIBLE_CALLBACKS_ENABLED=phonebill.platform.drift_report).
notes:
  - The exit status C(10) is set by ending the process once the other callbacks have printed the recap; put this
    callback last in C(callbacks_enabled) so that the callbacks after it still see the end of the run.
author:
  - phonebill platform engineering (@phonebill)
'''

import json
import os
import re

from ansible.plugins.callback import CallbackBase

#: exit status of a complete run that found drift; Ansible itself never exits with it
DRIFTED_EXIT_STATUS = 10

#: the fact that arms the callback: {dir: report directory, run: id of the run}
SETTINGS_FACT = 'phonebill_drift_report'

#: result keys and facts that list what exists but is not in the inventory: unmanaged_subnets, aks_unmanaged_pools
UNMANAGED_KEY = re.compile(r'(?:^|_)unmanaged_(?P<kind>\w+)$')

JSON_FILE = 'drift-report.json'
MARKDOWN_FILE = 'drift-report.md'


def resource_label(task, item, result):
    """What the result is about: the Azure id the module returned, else the task and its loop item."""
    resource = result.get('resource')
    for candidate in (resource.get('id') if isinstance(resource, dict) else None, result.get('id')):
        if isinstance(candidate, str) and candidate:
            return candidate
    return '%s [%s]' % (task, item) if item is not None else task


def unmanaged_lists(result):
    """(kind, names) of every non-empty list of things kept but not in the inventory, in the result or its facts."""
    found = []
    for source in (result, result.get('ansible_facts') or {}):
        for key in sorted(source):
            match = UNMANAGED_KEY.search(key)
            if match and isinstance(source[key], list) and source[key]:
                found.append((match.group('kind'), [str(name) for name in source[key]]))
    orphans = result.get('orphans')
    if isinstance(orphans, list) and orphans:
        found.append(('objects', ['%s/%s/%s' % (o.get('kind'), o.get('namespace') or '', o.get('name')) for o in orphans]))
    return found


class Report:
    """The drift found in one run, per resource; built from task results, rendered as JSON and Markdown."""

    def __init__(self, run):
        self.run = run
        self.drifted = []
        self.unmanaged = []
        self.failed = []
        self.complete = False

    def add(self, task, item, result, failed=False):
        """Take one task result (one loop item): its differences, what it keeps unmanaged, or its failure."""
        where = dict(task=task, item=item) if item is not None else dict(task=task)
        if failed:
            self.failed.append(dict(where, msg=str(result.get('msg', '')) if 'censored' not in result else 'hidden (no_log)'))
            return
        if 'censored' in result:
            if result.get('changed'):
                self.drifted.append(dict(where, resource=resource_label(task, item, {}), differences=[],
                                         note='changed; details hidden (no_log)'))
            return
        for kind, names in unmanaged_lists(result):
            self.unmanaged.append(dict(where, resource=resource_label(task, item, result), kind=kind, names=names))
        if isinstance(result.get('objects'), list):
            self._add_objects(where, result['objects'])
        elif result.get('changed'):
            differences = result.get('differences')
            entry = dict(where, resource=resource_label(task, item, result),
                         differences=[dict(path=d.get('path'), before=d.get('before'), after=d.get('after'))
                                      for d in differences or []])
            if not differences:
                entry['note'] = 'changed; the module returned no differences'
            self.drifted.append(entry)

    def _add_objects(self, where, objects):
        """Kubernetes objects of one apply: each one not unchanged is a resource of its own."""
        for obj in objects:
            if obj.get('action') in (None, 'unchanged'):
                continue
            entry = dict(where, resource='%s/%s/%s' % (obj.get('kind'), obj.get('namespace') or '', obj.get('name')),
                         action=obj['action'], differences=list(obj.get('differences') or []))
            if not entry['differences']:
                entry['note'] = '%s; no differences returned' % obj['action']
            self.drifted.append(entry)

    @property
    def status(self):
        if self.failed:
            return 'failed'
        return 'drifted' if self.drifted or self.unmanaged else 'in_sync'

    def as_dict(self):
        return dict(run=self.run, status=self.status, complete=self.complete,
                    counts=dict(drifted=len(self.drifted), differences=sum(len(d['differences']) for d in self.drifted),
                                unmanaged=len(self.unmanaged), failed=len(self.failed)),
                    drifted=self.drifted, unmanaged=self.unmanaged, failed=self.failed)

    def markdown(self):
        """The report for a change ticket: one table of differences per resource, then the unmanaged and the failed."""
        counts = self.as_dict()['counts']
        lines = ['# Platform drift report: %s' % self.status.replace('_', ' '), '',
                 'Run `%s`%s: %d resource(s) differ (%d difference(s)), %d unmanaged list(s), %d failed task(s).'
                 % (self.run, '' if self.complete else ' (incomplete)', counts['drifted'], counts['differences'],
                    counts['unmanaged'], counts['failed']), '']
        if self.drifted:
            lines += ['## What differs from the inventory', '']
            for entry in self.drifted:
                lines += ['### %s' % entry['resource'], '', 'Task: %s' % _where(entry), '']
                if entry.get('note'):
                    lines += ['%s.' % entry['note'].capitalize(), '']
                if entry['differences']:
                    lines += ['| path | in Azure / Kubernetes (before) | in the inventory (after) |', '|---|---|---|']
                    lines += ['| %s | %s | %s |' % (_cell(d.get('path'), quote=False), _cell(d.get('before')), _cell(d.get('after')))
                              for d in entry['differences']]
                    lines.append('')
        if self.unmanaged:
            lines += ['## Not in the inventory (kept, never deleted)', '']
            lines += ['- %s: %s: %s (task: %s)' % (entry['resource'], entry['kind'].replace('_', ' '),
                                                   ', '.join(entry['names']), _where(entry)) for entry in self.unmanaged]
            lines.append('')
        if self.failed:
            lines += ['## Failed tasks (the report is incomplete)', '']
            lines += ['- %s: %s' % (_where(entry), entry['msg']) for entry in self.failed]
            lines.append('')
        if self.status == 'in_sync':
            lines += ['Everything the inventory states is in place; nothing unmanaged was found.', '']
        return '\n'.join(lines)


def _where(entry):
    return '%s [%s]' % (entry['task'], entry['item']) if 'item' in entry else entry['task']


def _cell(value, quote=True):
    """A Markdown table cell: the value as JSON (strings unquoted in the path column), pipes escaped."""
    text = str(value) if not quote else ('(absent)' if value is None else json.dumps(value, sort_keys=True))
    return '`%s`' % text.replace('|', '\\|').replace('\n', ' ')


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'phonebill.platform.drift_report'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.directory = None
        self.report = None

    # ---- collecting ----
    def _take(self, result, failed=False, item=None):
        values = result._result  # pylint: disable=protected-access
        task = result._task.get_name()  # pylint: disable=protected-access
        settings = (values.get('ansible_facts') or {}).get(SETTINGS_FACT)
        if isinstance(settings, dict) and settings.get('dir'):
            self.directory = settings['dir']
            self.report = Report(str(settings.get('run', '')))
            self._write()
            return
        if self.report is not None:
            self.report.add(task, item, values, failed=failed)

    @staticmethod
    def _item(result):
        values = result._result  # pylint: disable=protected-access
        item = values.get('_ansible_item_label', values.get('item'))
        return item if item is None or isinstance(item, str) else json.dumps(item, sort_keys=True)

    def v2_runner_on_ok(self, result):
        if 'results' not in result._result:  # pylint: disable=protected-access
            self._take(result)

    def v2_runner_item_on_ok(self, result):
        self._take(result, item=self._item(result))

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors and 'results' not in result._result:  # pylint: disable=protected-access
            self._take(result, failed=True)

    def v2_runner_item_on_failed(self, result):
        self._take(result, failed=True, item=self._item(result))

    def v2_runner_on_unreachable(self, result):
        self._take(result, failed=True)

    # ---- writing ----
    def _write(self):
        os.makedirs(self.directory, exist_ok=True)
        for name, text in ((JSON_FILE, json.dumps(self.report.as_dict(), indent=2, sort_keys=True) + '\n'),
                           (MARKDOWN_FILE, self.report.markdown())):
            path = os.path.join(self.directory, name)
            with open(path + '.tmp', 'w', encoding='utf-8') as handle:
                handle.write(text)
            os.replace(path + '.tmp', path)

    def v2_playbook_on_play_start(self, play):
        if self.report is not None:
            self._write()

    def v2_playbook_on_stats(self, stats):
        if self.report is None:
            return
        self.report.complete = True
        self._write()
        self._display.display('Drift report (%s): %s'
                              % (self.report.status.replace('_', ' '), os.path.join(self.directory, MARKDOWN_FILE)))
        hosts_failed = any(stats.failures.values()) or any(stats.dark.values())
        if self.report.status == 'drifted' and not hosts_failed:
            # ansible-playbook has no way for a callback to set its exit status: SystemExit passes the callback
            # dispatch (it catches Exception) and the CLI's handlers; the executor's cleanup still runs.
            raise SystemExit(DRIFTED_EXIT_STATUS)
