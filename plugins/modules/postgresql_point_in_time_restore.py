#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: postgresql_point_in_time_restore
short_description: Restore an Azure Database for PostgreSQL flexible server to a point in time, measured, and remove it
version_added: 0.1.0
description:
  - Creates a new flexible server as its source was at a moment, measures how
    long Azure took until the server was available, and reports the source's restore points; or deletes such a server
    and checks that it is gone. Made for disaster recovery drills (SPEC §10, RTO 30 min, RPO 1 h).
  - In the source's region the restore is a C(createMode) V(PointInTimeRestore); in another region (the DR region) it
    is a V(GeoRestore), which Azure allows only from a source with geo-redundant backup; without it the restore is
    refused before any write.
  - The restore points are the source's C(earliestRestoreDate) and its newest completed backup
    (C(flexibleServers/backups)). O(point_in_time=latest) restores to that backup's time.
  - A moment before the earliest restore point or in the future is refused before any write, naming the range (Azure
    would answer 400).
  - A server that already exists is not restored again (changed V(false), no write); its tags are brought to O(tags).
  - A restore that ends Failed fails the module with Azure's error; the server Azure left in Failed stays, so delete
    it with O(state=absent) (the drill does that in C(always)).
  - To change a restored server's compute, network or parameters, use M(phonebill.platform.postgresql_flexible_server).
options:
  name:
    description: Name of the restored server (3-63 lower-case letters, digits and C(-), unique across Azure).
    type: str
    required: true
  resource_group:
    description: Resource group of the restored server.
    type: str
    required: true
  location:
    description:
      - Region of the restored server, in either form (V(Korea South) or V(koreasouth)). Required to restore.
    type: str
  source_server:
    description:
      - The server to restore, by name (in O(source_resource_group)) or by resource id. Required to restore.
    type: str
  source_resource_group:
    description: Resource group of O(source_server) given by name; defaults to O(resource_group).
    type: str
  point_in_time:
    description:
      - The UTC moment to restore to (ISO 8601, e.g. V(2026-11-30T17:00:00Z)), or V(latest) for the source's newest
        completed backup.
    type: str
    default: latest
  sku:
    description: Compute of the restored server; left out, the source's.
    type: dict
    suboptions:
      name:
        description: Compute size, e.g. V(Standard_D2s_v3).
        type: str
        required: true
      tier:
        description: Compute tier.
        type: str
        required: true
        choices: [Burstable, GeneralPurpose, MemoryOptimized]
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 3600 seconds; Azure takes 10 to 60 minutes to restore, depending on the size of the
    server and the amount of log to replay.
  - RV(seconds_to_available) is measured by the controller from the restore request to the end of the operation, so
    set O(timeout) above the RTO to measure a slow restore instead of failing on it.
  - Check mode reads the source and its restore points and returns what would be restored; nothing is written.
requirements:
  - azure-mgmt-postgresqlflexibleservers >= 2, < 4
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Restore production, as of its newest backup, to a drill server in the DR region
  phonebill.platform.postgresql_point_in_time_restore:
    name: psql-phonebill-drdrill
    resource_group: rg-phonebill-prod-dr
    location: koreasouth
    source_server: psql-phonebill-prod
    source_resource_group: rg-phonebill-prod
    point_in_time: latest
    timeout: 3600
    tags: {purpose: dr-drill}
  register: drill_restore

- name: Delete the drill server and check that it is gone
  phonebill.platform.postgresql_point_in_time_restore:
    name: psql-phonebill-drdrill
    resource_group: rg-phonebill-prod-dr
    state: absent
'''

RETURN = r'''
resource:
  description: The restored server as Azure returns it (in check mode, the restore request).
  returned: success
  type: dict
id:
  description: Resource id of the restored server.
  returned: when the server exists
  type: str
fqdn:
  description: Host name of the restored server.
  returned: when the server exists
  type: str
  sample: psql-phonebill-drdrill.postgres.database.azure.com
restore_point:
  description: The moment restored to (UTC).
  returned: when O(state=present) and this run restores (or, in check mode, would)
  type: str
  sample: '2026-12-05T16:40:00Z'
earliest_restore_point:
  description: The source's earliest restore point (UTC).
  returned: when O(state=present) and the source was read
  type: str
latest_restore_point:
  description: The source's newest completed backup (UTC); null when it has none.
  returned: when O(state=present) and the source was read
  type: str
restore_point_age_minutes:
  description: Minutes between the source's newest completed backup and now (what a restore would lose, at most).
  returned: when O(state=present) and the source was read
  type: float
  sample: 22.5
seconds_to_available:
  description: Seconds from the restore request until the restored server was available; null when nothing was restored.
  returned: when O(state=present)
  type: float
  sample: 1342.7
gone:
  description: Whether the server no longer exists (read again after the delete).
  returned: when O(state=absent)
  type: bool
differences:
  description: What differed (C(<absent>) to C(<exists>) for a restore, tags of an existing server).
  returned: always
  type: list
  elements: dict
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

import datetime
import time

from ansible_collections.phonebill.platform.plugins.module_utils import compare, point_in_time_restore as pitr
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import (
    AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC, to_rest)
from ansible_collections.phonebill.platform.plugins.module_utils.postgresql_checks import TIERS, server_name_problems, server_resource_id
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems


class RestoredServer(ArmResource):
    kind, service, operations = 'PostgreSQL flexible server', 'postgresql', 'servers'
    rules = {'sku.name': compare.IGNORE_CASE, 'sku.tier': compare.IGNORE_CASE}
    required_to_create = ('location', 'source_server')
    #: restore points of the source, the moment restored to, the source's region and the problems found (lookup)
    points = None
    source_location = None
    moment = None
    found = ()

    def __init__(self, module, now):
        super(RestoredServer, self).__init__(module)
        self.now = now

    @property
    def source_id(self):
        return server_resource_id(self.module.subscription_id, self.params['source_resource_group'] or self.params['resource_group'],
                                  self.params['source_server'])

    def lookup(self):
        """The source and its backups (read also for an existing restore, so the drill always sees its RPO)."""
        if not self.source_id:
            return
        parts = self.source_id.split('/')
        client = self.module.client('postgresql')
        source = to_rest(self.module.get_or_none('read source server %s' % parts[-1], client.servers.get, parts[4], parts[-1]))
        if source is None:
            self.found = ['source_server: %s does not exist; name an existing server' % self.params['source_server']]
            return
        backups = getattr(client, 'backups_automatic_and_on_demand', None) or client.backups
        listed = self.module.call('list the backups of %s' % parts[-1],
                                  lambda: [to_rest(item) for item in backups.list_by_server(parts[4], parts[-1])])
        self.points = pitr.restore_points(source, listed)
        self.source_location = source.get('location')
        if self.current is None:
            self.moment, self.found = pitr.point_problems('point_in_time', self.params['point_in_time'], self.points, self.now)
            self.found += pitr.region_problems('location', self.params['location'], source)

    def problems(self):
        return list(self.found)

    def desired(self):
        if self.current is not None:  # a restore is never repeated: only its tags are kept up to date
            return {'tags': self.params['tags']}
        return {
            'location': self.params['location'],
            'tags': self.params['tags'],
            'sku': self.params['sku'],
            'properties': {'createMode': pitr.create_mode(self.params['location'], self.source_location),
                           'sourceServerResourceId': self.source_id,
                           'pointInTimeUTC': pitr.iso(self.moment)},
        }


def validate(params):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    found = server_name_problems('name', params['name'])
    found += name_problems('resource_group', params['resource_group'], 'resource_group')
    if params['state'] == 'present':
        found += pitr.requested_problems('point_in_time', params['point_in_time'])
    return found


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            source_server=dict(type='str'),
            source_resource_group=dict(type='str'),
            point_in_time=dict(type='str', default=pitr.LATEST),
            sku=dict(type='dict', options=dict(
                name=dict(type='str', required=True),
                tier=dict(type='str', required=True, choices=list(TIERS)),
            )),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC
        ),
        long_running=True,
        default_timeout=3600,
    )
    module.fail_on(validate(module.params))
    now = datetime.datetime.now(pitr.UTC)
    server = RestoredServer(module, now)
    started = time.monotonic()
    result = reconcile(module, server)
    restored = server.current is None and result['changed']
    properties = result['resource'].get('properties') or {}
    result.update(id=result['resource'].get('id'), fqdn=properties.get('fullyQualifiedDomainName'))
    if module.params['state'] == 'absent':
        result['gone'] = True if module.check_mode else server.get() is None
        if not result['gone']:
            module.fail('%s still exists after its delete; %s' % (server.label, result.get('status_url') or 'delete it again'))
        module.exit(**result)
    if server.points is not None:
        result.update(earliest_restore_point=pitr.iso(server.points['earliest']),
                      latest_restore_point=pitr.iso(server.points['latest']),
                      restore_point_age_minutes=pitr.age_minutes(server.points['latest'], now))
    if restored:
        result['restore_point'] = pitr.iso(server.moment)
    waited = restored and not module.check_mode and not result.get('status_url')
    result['seconds_to_available'] = round(time.monotonic() - started, 3) if waited else None
    module.exit(**result)


if __name__ == '__main__':
    main()
