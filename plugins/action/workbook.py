# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the module workbook in the task worker, without a module process (plugins/plugin_utils/in_process.py)."""
from ansible_collections.phonebill.platform.plugins.plugin_utils.in_process import InProcessModule as ActionModule  # noqa: F401 pylint: disable=unused-import
