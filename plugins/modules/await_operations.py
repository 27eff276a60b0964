#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: await_operations
short_description: Wait for long Azure operations started concurrently, printing what still runs, and return their results
version_added: 0.1.0
description:
  - Long creations (an AKS cluster, a PostgreSQL server and its replicas, a Redis cache, an Application Gateway) are
    started by tasks with C(async) and C(poll) 0; this action waits for them on the controller, polling each job, and
    prints every O(progress_interval) seconds which operations still run and for how long, so the wait shows live in
    C(ansible-playbook) and AWX output.
  - A job that ran on the controller (connection C(local) without C(become), as in C(playbooks/site.yml)) is polled
    by reading its job file in C(async_dir) here, with the answers of M(ansible.builtin.async_status) (running while
    the file is not written yet, C(could not find job) when it is missing); a job on another host (C(delegate_to)) is
    polled with M(ansible.builtin.async_status) run there.
  - With O(result_of) the task ends as soon as that operation has finished (the others keep running) and returns
    its result as its own, C(changed), C(diff), C(differences) and every value the module returned, so a task named
    like the module's task and registered under the same variable keeps the play's registers, facts, C(--diff) output
    and drift report as they were.
  - Without O(result_of) it waits for all of them and returns a summary; then their job files are removed.
  - A failed operation fails the task naming it, but only after every other operation has finished, so nothing is
    left running behind a failed play.
  - "Runs on the controller: C(async) and C(poll) 0 already put the modules in the background; this action only
    reads their job status, also in check mode (the modules predicted their change in the background)."
options:
  operations:
    description:
      - The started operations, by name; each value is the registered result of a task run with C(async) and
        C(poll) 0. A loop's registered result gives one operation per item, named C(NAME/LABEL) (the label is the
        item's C(name), else the item).
      - A value may carry C(started_at) (epoch seconds) for the progress lines; C(playbooks/site.yml) adds it with
        C(now().timestamp()).
      - A task whose start was skipped gives a skipped operation; with O(result_of) its result is the skipped one.
    type: dict
    required: true
  result_of:
    description:
      - Return this operation's result as the task's own as soon as it has finished; the others keep running.
      - Left out, wait for all operations and remove their job files.
    type: str
  poll_interval:
    description:
      - Seconds between two polls of the running jobs.
      - Left out, 0.5 for jobs read on the controller (a file read) and 2 for jobs polled with
        M(ansible.builtin.async_status) on another host (a module run there per poll).
    type: float
  progress_interval:
    description: Seconds between two progress lines while waiting.
    type: float
    default: 30.0
  timeout:
    description:
      - Seconds to wait in all. When they have passed the task fails naming what still runs (the Azure operations go
        on; a new run finds them and waits for them).
    type: float
    default: 3900.0
attributes:
  check_mode:
    support: full
    details: Reads the job status only; the modules themselves ran in check mode.
  diff_mode:
    support: full
    details: With O(result_of), the operation's C(diff) is the task's.
  platform:
    platforms: posix
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
notes:
  - The jobs are read where they ran (the play's host, C(localhost) for the platform).
  - Give every long task a name saying what it starts and C(changed_when) false (its own result is only "started");
    the task with O(result_of) carries the module's task name and register.
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Start the AKS cluster (runs in the background)
  phonebill.platform.aks_cluster:
    name: aks-phonebill-prod
    resource_group: rg-phonebill-prod
    kubernetes_version: "1.33"
  async: 3900
  poll: 0
  changed_when: false
  register: aks_cluster_job

- name: Track the cluster's creation
  ansible.builtin.set_fact:
    phonebill_operations: >-
      {{ phonebill_operations | default({}) | combine({'aks_cluster': aks_cluster_job
         | combine({'started_at': now().timestamp()})}) }}

# ... other long operations start here and run beside it ...

- name: AKS cluster with its system node pool
  phonebill.platform.await_operations:
    operations: "{{ phonebill_operations }}"
    result_of: aks_cluster
  register: aks_cluster

- name: Wait for every long operation still running, then remove their job files
  phonebill.platform.await_operations:
    operations: "{{ phonebill_operations | default({}) }}"
'''

RETURN = r'''
operations:
  description: Each operation's state when the task ended and the seconds since it started.
  returned: always
  type: dict
  sample:
    aks_cluster: {status: succeeded, changed: true, seconds: 371.2}
    cache_redis: {status: running, changed: false, seconds: 402.9}
changed:
  description: With O(result_of), whether that operation changed something (or, in check mode, would); else false.
  returned: always
  type: bool
'''
