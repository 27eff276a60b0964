#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: postgresql_flexible_server_backup_info
short_description: Read the backups of an Azure Database for PostgreSQL flexible server and review them
version_added: 0.1.0
description:
  - Returns the server's backup settings (retention, geo-redundant backup, earliest restore point) and the backups
    Azure lists for it (the daily automatic snapshots and any on-demand backup), newest last.
  - With O(review), also judges them for the weekly backup status (SPEC §6, §10) and returns RV(checks) for
    C(phonebill.platform.procedure_report) - the newest backup's age, the retention, how far back a point-in-time
    restore reaches, geo-redundant backup.
  - Azure lists the daily snapshots, not the position of the continuously archived write-ahead log, so the latest
    restore point itself is proven by a point-in-time restore (the DR drill), not here.
  - Reads only; never changes anything.
options:
  name:
    description: Name of the server.
    type: str
    required: true
  resource_group:
    description: Resource group of the server.
    type: str
    required: true
  review:
    description: What the backups are held to (the inventory's C(phonebill_weekly.backups.postgresql)); RV(checks) is empty without it.
    type: dict
    suboptions:
      retention_days:
        description: Fewest days of backups the server must keep (SPEC §6, 35).
        type: int
        required: true
      geo_redundant_backup:
        description: Whether backups must be geo-redundant.
        type: bool
        required: true
      backup_warn_age_hours:
        description: WARN when the newest backup is older than this many hours.
        type: float
        required: true
      backup_max_age_hours:
        description: FAIL when the newest backup is older than this many hours.
        type: float
        required: true
  now:
    description: The time to judge ages at, ISO 8601 UTC; the current time when not given (for drills).
    type: str
extends_documentation_fragment:
  - phonebill.platform.azure
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.info
requirements:
  - azure-mgmt-postgresqlflexibleservers >= 2, < 4
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Review the production server's backups
  phonebill.platform.postgresql_flexible_server_backup_info:
    name: psql-phonebill-prod
    resource_group: rg-phonebill-prod
    review:
      retention_days: 35
      geo_redundant_backup: true
      backup_warn_age_hours: 25
      backup_max_age_hours: 26
  register: backups

- name: Add the checks to the procedure's report
  ansible.builtin.set_fact:
    procedure_checks: "{{ procedure_checks | default([]) + backups.checks }}"
'''

RETURN = r'''
exists:
  description: Whether the server exists.
  returned: always
  type: bool
backup:
  description: The server's backup settings as Azure returns them, with its state.
  returned: always
  type: dict
  sample: {backupRetentionDays: 35, geoRedundantBackup: Enabled, earliestRestoreDate: "2026-10-28T17:00:03.0000000Z", state: Ready}
backups:
  description: The backups Azure lists, oldest first.
  returned: always
  type: list
  elements: dict
  sample:
    - name: daily_20261201T170000
      properties: {backupType: Full, source: Automatic, completedTime: "2026-12-01T17:00:03.000000+00:00"}
latest_backup:
  description: The newest completed backup; null when there is none.
  returned: always
  type: dict
checks:
  description:
    - The review's checks in the shape of C(phonebill.platform.procedure_report)'s
      O(phonebill.platform.procedure_report#module:checks); empty without O(review).
  returned: always
  type: list
  elements: dict
'''

import datetime

from ansible_collections.phonebill.platform.plugins.module_utils import backup_review
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import AzureModule, to_rest
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


def _now(module):
    if not module.params['now']:
        return datetime.datetime.now(backup_review.UTC)
    try:
        return backup_review.parse_time(module.params['now'])
    except ValueError:
        module.fail('now: %r is not an ISO 8601 time; give it as 2026-12-06T02:10:00Z' % module.params['now'])
    return None


def main():
    module = AzureModule(supports_check_mode=True, argument_spec=dict(
        name=dict(type='str', required=True),
        resource_group=dict(type='str', required=True),
        review=dict(type='dict', options=dict(
            retention_days=dict(type='int', required=True),
            geo_redundant_backup=dict(type='bool', required=True),
            backup_warn_age_hours=dict(type='float', required=True),
            backup_max_age_hours=dict(type='float', required=True),
        )),
        now=dict(type='str'),
    ))
    params = module.params
    module.fail_on(name_problems('resource_group', params['resource_group'], 'resource_group')
                   + (backup_review.postgresql_threshold_problems(params['review'], 'review') if params['review'] else []))
    now = _now(module)
    client = module.client('postgresql')
    where = (params['resource_group'], params['name'])
    server = to_rest(module.get_or_none('read PostgreSQL flexible server %s' % params['name'], client.servers.get, *where))
    if server is None:
        checks = [dict(name='postgresql %s backups' % params['name'], category=backup_review.CATEGORY, status='FAIL',
                       detail='the server does not exist')] if params['review'] else []
        module.exit(changed=False, exists=False, backup={}, backups=[], latest_backup=None, checks=checks)
    # azure-mgmt-postgresqlflexibleservers 3 renamed the operations group
    operations = getattr(client, 'backups_automatic_and_on_demand', None) or getattr(client, 'backups')
    backups = module.call('list the backups of PostgreSQL flexible server %s' % params['name'],
                          lambda: [to_rest(b) for b in operations.list_by_server(*where)])
    backups.sort(key=lambda b: backup_review.parse_time((b.get('properties') or {}).get('completedTime') or '1970-01-01T00:00:00Z'))
    props = server.get('properties') or {}
    checks = backup_review.postgresql_checks(server, backups, params['review'], now) if params['review'] else []
    module.exit(changed=False, exists=True, backup=dict(props.get('backup') or {}, state=props.get('state')), backups=backups,
                latest_backup=backup_review.latest_backup(backups), checks=checks)


if __name__ == '__main__':
    main()
