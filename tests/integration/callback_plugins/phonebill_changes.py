# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record every task result (task name, loop item, status) as JSON lines, for comparing two runs task by task.

Enabled by tests with ANSIBLE_CALLBACK_PLUGINS=<this directory>, ANSIBLE_CALLBACKS_ENABLED=phonebill_changes and
PHONEBILL_CHANGES_LOG=<file>; the screen output stays the default one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'phonebill_changes'
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, status, item=None):
        entry = dict(task=result._task.get_name(), status=status, action=result._task.action)  # pylint: disable=protected-access
        if item is not None:
            entry['item'] = item if isinstance(item, str) else json.dumps(item, sort_keys=True)
        with open(os.environ['PHONEBILL_CHANGES_LOG'], 'a', encoding='utf-8') as log:
            log.write(json.dumps(entry) + '\n')

    @staticmethod
    def _item(result):
        values = result._result  # pylint: disable=protected-access
        return values.get('_ansible_item_label', values.get('item'))

    def v2_runner_on_ok(self, result):
        if 'results' not in result._result:  # pylint: disable=protected-access
            self._record(result, 'changed' if result.is_changed() else 'ok')

    def v2_runner_item_on_ok(self, result):
        self._record(result, 'changed' if result.is_changed() else 'ok', self._item(result))

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_item_on_failed(self, result):
        self._record(result, 'failed', self._item(result))

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')
