# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kill ansible-playbook (SIGKILL: no rescue, no always, no cleanup) when a task whose name starts with
PHONEBILL_KILL_AT_TASK starts: a run that dies between two steps, for the crash-step tests of rotation.

Enabled by tests with ANSIBLE_CALLBACK_PLUGINS=<this directory> and ANSIBLE_CALLBACKS_ENABLED=phonebill_kill_at.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import signal

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'phonebill_kill_at'
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_task_start(self, task, is_conditional):
        prefix = os.environ.get('PHONEBILL_KILL_AT_TASK')
        if prefix and task.get_name().split(' : ', 1)[-1].startswith(prefix):
            os.kill(os.getpid(), signal.SIGKILL)
