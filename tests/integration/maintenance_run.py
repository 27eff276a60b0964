# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A maintenance playbook run as the ops team runs it: the production inventory, the sandbox's credentials and
a report directory of its own, so every procedure test reads the report the procedure wrote and nothing else.

The window's clock is pinned (`maintenance_guard_now`) and the guard's re-read delay is zero, so a test never
depends on the day it runs on or sleeps."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import uuid

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
INVENTORY = os.path.join(COLLECTION, 'inventories', 'prod')
MAINTENANCE = os.path.join(COLLECTION, 'playbooks', 'maintenance')

INSIDE = '2026-12-05T17:10:00Z'    # Sunday 02:10 KST: 110 minutes left in the window
OUTSIDE = '2026-12-05T16:59:59Z'   # Sunday 01:59:59 KST
LATE = '2026-12-05T18:20:00Z'      # Sunday 03:20 KST: 40 minutes left


def run_maintenance(sandbox, tmp_path, playbook, check=False, timeout=300, **extra_vars):
    """ansible-playbook PLAYBOOK (a name under playbooks/maintenance/, or a path); (returncode, output, report or None).

    EXTRA_VARS go in as a vars file (JSON keeps their types) over the pinned clock and zero verify delay."""
    run_id = uuid.uuid4().hex[:8]
    reports = tmp_path / ('reports-%s' % run_id)
    vars_file = tmp_path / ('vars-%s.json' % run_id)
    vars_file.write_text(json.dumps(dict(dict(maintenance_guard_now=INSIDE, maintenance_guard_verify_delay_seconds=0),
                                         **extra_vars)))
    env = dict(os.environ, **sandbox.ansible_env())
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1', PHONEBILL_REPORT_DIR=str(reports),
               ANSIBLE_CONFIG=os.path.join(COLLECTION, 'ansible.cfg'))
    argv = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', INVENTORY,
            '-e', 'ansible_python_interpreter=%s' % sys.executable, '-e', '@%s' % vars_file,
            os.path.join(MAINTENANCE, playbook)]
    done = subprocess.run(argv + (['--check'] if check else []), env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    written = sorted(reports.glob('*.json'), key=os.path.getmtime) if reports.exists() else []
    report = json.loads(written[-1].read_text()) if written else None
    return done.returncode, done.stdout + done.stderr, report


def checks(report):
    """name -> check (status, measured, unit, threshold, detail) of a procedure report."""
    return dict((check['name'], check) for check in report['checks'])


def outcomes(report):
    """name -> (status, detail): the part of a check most assertions compare."""
    return dict((check['name'], (check['status'], check.get('detail'))) for check in report['checks'])
