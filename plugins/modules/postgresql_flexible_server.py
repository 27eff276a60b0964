#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: postgresql_flexible_server
short_description: Create, update or delete an Azure Database for PostgreSQL flexible server, its parameters and firewall
version_added: 0.1.0
description:
  - Ensures an Azure Database for PostgreSQL flexible server (C(Microsoft.DBforPostgreSQL/flexibleServers)) exists with
    the stated compute, storage, version, zone and high availability, backup, network access, maintenance window and
    tags, or is absent.
  - Creates a new server, a read replica of another (O(create_mode=Replica), in the same or another region, with its
    own compute), or a restore of another (O(create_mode=PointInTimeRestore) or O(create_mode=GeoRestore)).
  - Server parameters (O(configurations)) and firewall rules (O(firewall_rules)) are managed with the server. Only
    the stated parameters are compared and set; no other parameter is ever reset.
  - Only what is stated is compared and changed; an existing server is changed with a PATCH of the stated fields.
  - Refused before any write, naming the setting and the fix, as Azure would refuse them later or half-way through
    a long operation; a compute size outside its tier; high availability on Burstable or on a replica; a
    zone-redundant standby in the primary's zone; a replica of a replica; a storage size Azure does not offer, a
    performance tier below the size's baseline, or a shrink; a version downgrade; a zone, geo-redundant backup,
    administrator login or network mode change after creation; backup retention outside 7-35 days; a reserved
    administrator login; a password Azure's policy refuses; firewall rules on a server with private access.
  - The administrator password is write-only. It is sent when the server is created and, with
    O(update_password=always), on every run; Azure never returns it and it never appears in the result, the
    differences or the diff.
options:
  name:
    description: Name of the server (3-63 lower-case letters, digits and C(-), unique across Azure; the host is
      C(<name>.postgres.database.azure.com)).
    type: str
    required: true
  resource_group:
    description: Resource group of the server.
    type: str
    required: true
  location:
    description:
      - Azure region, in either form (V(Korea Central) or V(koreacentral)).
      - Required to create the server; a server cannot move. A replica may be in another region than its source.
    type: str
  sku:
    description:
      - Compute tier and size. Required to create a server (a replica without it gets its source's).
    type: dict
    suboptions:
      name:
        description: Compute size of the tier, V(Standard_B*) for Burstable, V(Standard_D*) for GeneralPurpose,
          V(Standard_E*) for MemoryOptimized (V(Standard_D4s_v3) is 4 vCPU, 16 GB).
        type: str
        required: true
      tier:
        description: Compute tier. High availability needs GeneralPurpose or MemoryOptimized.
        type: str
        required: true
        choices: [Burstable, GeneralPurpose, MemoryOptimized]
  version:
    description:
      - Major PostgreSQL version. A higher version on an existing server is an in-place major version upgrade; a lower
        one is refused.
    type: str
    choices: ['12', '13', '14', '15', '16', '17']
  storage:
    description: Storage of the server.
    type: dict
    suboptions:
      size_gb:
        description: Size in GB, one of 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767. It can grow, never
          shrink.
        type: int
      tier:
        description: Performance tier of the Premium SSD (V(P15) is the baseline of 256 GB); not below the size's
          baseline.
        type: str
        choices: [P1, P2, P3, P4, P6, P10, P15, P20, P30, P40, P50, P60, P70, P80]
      auto_grow:
        description: Whether Azure grows the storage when it runs short.
        type: bool
  availability_zone:
    description:
      - Zone of the primary (V("1"), V("2") or V("3")). Set at creation only.
    type: str
  high_availability:
    description: High availability with a standby server.
    type: dict
    suboptions:
      mode:
        description: V(ZoneRedundant) puts the standby in another zone; V(Disabled) turns it off.
        type: str
        required: true
        choices: [Disabled, ZoneRedundant, SameZone]
      standby_availability_zone:
        description: Zone of the standby, not the primary's; left out, Azure chooses one.
        type: str
  backup:
    description: Backups of the server.
    type: dict
    suboptions:
      retention_days:
        description: Days backups are kept (7-35); point-in-time restore reaches that far back.
        type: int
      geo_redundant_backup:
        description: Whether backups are also kept in the paired region (Korea South for Korea Central), for a geo
          restore. Set at creation only.
        type: bool
  network:
    description:
      - Network access, set at creation. Private access puts the server in a delegated subnet with a private DNS
        zone (public access then stays off); public access is limited by O(firewall_rules).
    type: dict
    suboptions:
      public_network_access:
        description: Whether the server is reachable from public networks (through its firewall rules).
        type: str
        choices: [Enabled, Disabled]
      delegated_subnet_id:
        description: Resource id of a subnet delegated to C(Microsoft.DBforPostgreSQL/flexibleServers). Set at creation
          only.
        type: str
      private_dns_zone_id:
        description: Resource id of the private DNS zone (C(privatelink.postgres.database.azure.com)) the server's name
          is registered in. Set at creation only.
        type: str
  firewall_rules:
    description:
      - IPv4 ranges allowed to connect when public access is on, compared as a set by name.
      - Rules found in Azure but not stated are reported and kept, unless O(purge_firewall_rules=true).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the rule.
        type: str
        required: true
      start_ip_address:
        description: First address of the range.
        type: str
        required: true
      end_ip_address:
        description: Last address of the range.
        type: str
        required: true
  purge_firewall_rules:
    description: Delete firewall rules that are not in O(firewall_rules).
    type: bool
    default: false
  maintenance_window:
    description:
      - The weekly hour Azure may patch the server, in UTC (Azure stores UTC). Sunday 02:00 KST is V(Saturday) 17:00
        UTC.
      - Azure takes the window only on an existing server; a new server gets it right after it is created.
    type: dict
    suboptions:
      day_of_week:
        description: Day the window opens (UTC).
        type: str
        required: true
        choices: [Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday]
      start_hour:
        description: Hour the window opens (0-23, UTC).
        type: int
        required: true
      start_minute:
        description: Minute the window opens.
        type: int
        default: 0
  configurations:
    description:
      - Server parameters by name, e.g. C(ssl_min_protocol_version) V(TLSv1.2). Only these are compared and set;
        every other parameter keeps its value.
      - Values are strings as Azure keeps them (quote C('on') and C('off')); numbers are taken as their text.
    type: dict
  administrator_login:
    description:
      - Name of the administrator. Required to create a server (a replica or restore has its source's). Set at
        creation only. Azure reserves C(azure_superuser), C(azure_pg_admin), C(admin), C(administrator), C(root),
        C(guest), C(public) and names starting with C(pg_).
    type: str
  administrator_login_password:
    description:
      - Password of the administrator (8-128 characters of three of upper-case, lower-case, digits, symbols). Never
        logged or returned.
      - Exclusive with O(administrator_login_password_from).
    type: str
  administrator_login_password_from:
    description:
      - Read the password from a Key Vault secret inside the module, so it never passes through Ansible variables.
      - Read only when it is sent (see O(update_password)), with the module's credential.
    type: dict
    suboptions:
      vault_uri:
        description: URI of the vault, as M(phonebill.platform.key_vault) returns it.
        type: str
        required: true
      secret:
        description: Name of the secret holding the password.
        type: str
        required: true
      version:
        description:
          - The version of the secret to read (a rotation applying its new password, or rolling back to the one before).
          - Not given, the version consumers read, the newest one that a rotation did not leave C(pending) or
            C(rolled-back) (see M(phonebill.platform.key_vault_rotation)).
        type: str
  update_password:
    description:
      - V(on_create) sends the password only when the server is created; Azure never returns it, so a later change
        cannot be seen.
      - V(always) sends it on every run, which then always reports a (masked) change.
    type: str
    choices: [on_create, always]
    default: on_create
  create_mode:
    description:
      - How a new server starts. V(Default) is an empty server; V(Replica) a read replica of O(source_server);
        V(PointInTimeRestore) the source as it was at O(point_in_time); V(GeoRestore) the source's geo-redundant
        backup, in another region.
      - Used at creation; on an existing replica the source is compared.
    type: str
    choices: [Default, Replica, PointInTimeRestore, GeoRestore]
    default: Default
  source_server:
    description:
      - The server a replica or a restore comes from, by name (in O(source_resource_group)) or by resource id.
      - A replica's source must be a primary; Azure does not replicate a replica.
    type: str
  source_resource_group:
    description: Resource group of O(source_server) given by name; defaults to O(resource_group).
    type: str
  point_in_time:
    description: The UTC moment a point-in-time restore restores to (ISO 8601, e.g. V(2026-11-30T17:00:00Z)).
    type: str
  unknown:
    description:
      - Options whose value check mode cannot know because it comes from a resource check mode did not create;
        V(administrator_login_password_from) for a vault not created yet, V(source_server) for a primary not created
        yet.
      - In check mode the change is then predicted with the value shown as C((known after a real run)); nothing is
        written. A real run fails on any option listed here before it calls Azure.
    type: list
    elements: str
    choices: [administrator_login_password_from, source_server]
    default: []
  state:
    description: Whether the server should exist. Deleting it deletes its data (its backups stay for their retention).
extends_documentation_fragment:
  - phonebill.platform.azure
  - phonebill.platform.azure.wait
  - ansible.builtin.action_common_attributes
  - phonebill.platform.azure.tags
  - phonebill.platform.azure.resource
notes:
  - The default O(timeout) is 3600 seconds; Azure takes 5 to 15 minutes to create a server, longer with high
    availability or as a replica of a large server.
  - With O(wait=false) on a new server, the maintenance window, parameters and firewall rules are set by a later run,
    once the server exists; the module warns when it leaves them.
requirements:
  - azure-mgmt-postgresqlflexibleservers >= 2, < 4
  - azure-keyvault-secrets >= 4.10, < 5 (for O(administrator_login_password_from))
author:
  - phonebill platform engineering (@phonebill)
'''

EXAMPLES = r'''
- name: Production server (SPEC 6), zone-redundant, private access, patched Saturdays 17:00 UTC (Sunday 02:00 KST)
  phonebill.platform.postgresql_flexible_server:
    name: psql-phonebill-prod
    resource_group: rg-phonebill-prod
    location: koreacentral
    sku: {name: Standard_D4s_v3, tier: GeneralPurpose}
    version: '16'
    storage: {size_gb: 256, tier: P15, auto_grow: true}
    availability_zone: '1'
    high_availability: {mode: ZoneRedundant, standby_availability_zone: '2'}
    backup: {retention_days: 35, geo_redundant_backup: true}
    network:
      public_network_access: Disabled
      delegated_subnet_id: "{{ group_id }}/providers/Microsoft.Network/virtualNetworks/vnet-phonebill-prod/subnets/snet-database"
      private_dns_zone_id: "{{ group_id }}/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com"
    maintenance_window: {day_of_week: Saturday, start_hour: 17, start_minute: 0}
    configurations:
      ssl_min_protocol_version: TLSv1.2
      require_secure_transport: 'on'
    administrator_login: phonebilladmin
    administrator_login_password_from:
      vault_uri: https://kv-phonebill-prod.vault.azure.net/
      secret: postgresql-admin-password
    tags:
      service: phonebill
  register: database

- name: Read replica in the DR region with its own size
  phonebill.platform.postgresql_flexible_server:
    name: psql-phonebill-prod-replica-1
    resource_group: rg-phonebill-prod-dr
    location: koreasouth
    create_mode: Replica
    source_server: "{{ database.id }}"
    sku: {name: Standard_D2s_v3, tier: GeneralPurpose}

- name: Restore production as it was at 17:00 UTC into a drill server
  phonebill.platform.postgresql_flexible_server:
    name: psql-phonebill-drill
    resource_group: rg-phonebill-prod
    location: koreacentral
    create_mode: PointInTimeRestore
    source_server: psql-phonebill-prod
    point_in_time: '2026-11-30T17:00:00Z'

- name: Delete the drill server
  phonebill.platform.postgresql_flexible_server:
    name: psql-phonebill-drill
    resource_group: rg-phonebill-prod
    state: absent
'''

RETURN = r'''
resource:
  description: The server as Azure returns it (or, in check mode, as it would be); never the password.
  returned: success
  type: dict
  sample:
    id: /subscriptions/.../resourceGroups/rg-phonebill-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-phonebill-prod
    name: psql-phonebill-prod
    location: koreacentral
    sku: {name: Standard_D4s_v3, tier: GeneralPurpose}
    properties:
      version: '16'
      administratorLogin: phonebilladmin
      state: Ready
      fullyQualifiedDomainName: psql-phonebill-prod.postgres.database.azure.com
      availabilityZone: '1'
      storage: {storageSizeGB: 256, tier: P15, autoGrow: Enabled}
      highAvailability: {mode: ZoneRedundant, standbyAvailabilityZone: '2', state: Healthy}
      backup: {backupRetentionDays: 35, geoRedundantBackup: Enabled}
      maintenanceWindow: {customWindow: Enabled, dayOfWeek: 6, startHour: 17, startMinute: 0}
      replicationRole: Primary
      replicaCapacity: 5
configurations:
  description: The stated server parameters as Azure returns them (or, in check mode, as they would be).
  returned: when O(configurations) is stated
  type: list
  elements: dict
  sample: [{name: ssl_min_protocol_version, properties: {value: TLSv1.2, source: user-override}}]
firewall_rules:
  description: The stated firewall rules as Azure returns them (or, in check mode, as they would be).
  returned: when O(firewall_rules) is stated
  type: list
  elements: dict
unmanaged_firewall_rules:
  description: Firewall rules in Azure that are not stated and were kept (O(purge_firewall_rules=false)).
  returned: when O(firewall_rules) is stated
  type: list
  elements: str
id:
  description: Resource id of the server (what a replica's O(source_server) takes).
  returned: when O(state=present) and the server exists (not for a new server in check mode)
  type: str
fqdn:
  description: Host name clients connect to.
  returned: when O(state=present) and the server exists
  type: str
  sample: psql-phonebill-prod.postgres.database.azure.com
replication_role:
  description: V(Primary), V(AsyncReplica) or V(GeoAsyncReplica).
  returned: when O(state=present) and the server exists
  type: str
differences:
  description:
    - Every stated field that differed from Azure, with the value before and after (the password masked).
    - Parameter paths start with C(configurations[name]), firewall rule paths with C(firewall_rules[name]).
  returned: always
  type: list
  elements: dict
  sample: [{path: properties.backup.backupRetentionDays, before: 7, after: 35}]
status_url:
  description: Where the status of an operation not waited for (O(wait=false)) can be read.
  returned: when O(wait=false) and an operation was started
  type: str
'''

from ansible_collections.phonebill.platform.plugins.module_utils import compare, keyvault_data, postgresql_checks, unknown
from ansible_collections.phonebill.platform.plugins.module_utils.arm_children import reconcile_children
from ansible_collections.phonebill.platform.plugins.module_utils.arm_resource import ArmResource, reconcile
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import (
    AzureModule, STATE_ARGUMENT_SPEC, TAGS_ARGUMENT_SPEC, to_rest)
from ansible_collections.phonebill.platform.plugins.module_utils.validation import name_problems

PASSWORD = 'properties.administratorLoginPassword'
WINDOW = 'properties.maintenanceWindow'
# Fields Azure takes only in the create request (TypeSpec visibility "create"): never in a PATCH.
CREATE_ONLY = ('location', 'properties.administratorLogin', 'properties.availabilityZone', 'properties.createMode',
               'properties.sourceServerResourceId', 'properties.pointInTimeUTC', 'properties.backup.geoRedundantBackup',
               'properties.network.delegatedSubnetResourceId', 'properties.network.privateDnsZoneArmResourceId')
# where each option that may be unknown in check mode lives in the REST form (the password is masked, never shown)
UNKNOWN_PATHS = {'administrator_login_password_from': None, 'source_server': 'properties.sourceServerResourceId'}


def enabled(flag):
    """A bool option as the Enabled/Disabled enum Azure uses (None: not stated)."""
    return None if flag is None else ('Enabled' if flag else 'Disabled')


def section(params, key):
    return params.get(key) or {}


def parameter_value(value):
    return None if value is None else str(value)


def window_body(window):
    if window is None:
        return None
    return {'customWindow': 'Enabled', 'dayOfWeek': postgresql_checks.DAYS.index(window['day_of_week']),
            'startHour': window['start_hour'], 'startMinute': window['start_minute']}


def high_availability_body(settings):
    if not settings:
        return None
    return {'mode': settings['mode'], 'standbyAvailabilityZone': settings.get('standby_availability_zone')}


class Server(ArmResource):
    kind, service, operations = 'PostgreSQL flexible server', 'postgresql', 'servers'
    rules = {
        'sku.name': compare.IGNORE_CASE,
        'sku.tier': compare.IGNORE_CASE,
        'properties.storage.tier': compare.IGNORE_CASE,
        'properties.storage.autoGrow': compare.IGNORE_CASE,
        'properties.highAvailability.mode': compare.IGNORE_CASE,
        'properties.backup.geoRedundantBackup': compare.IGNORE_CASE,
        'properties.network.publicNetworkAccess': compare.IGNORE_CASE,
        'properties.network.delegatedSubnetResourceId': compare.RESOURCE_ID,
        'properties.network.privateDnsZoneArmResourceId': compare.RESOURCE_ID,
        'properties.maintenanceWindow.customWindow': compare.IGNORE_CASE,
        'properties.sourceServerResourceId': compare.RESOURCE_ID,
    }
    secrets = (PASSWORD,)
    immutable = ('location', 'properties.administratorLogin', 'properties.network.delegatedSubnetResourceId',
                 'properties.network.privateDnsZoneArmResourceId', 'properties.sourceServerResourceId')
    #: the source server of a replica or restore (REST form), read by lookup()
    source = None
    #: the password to send (None: not sent), read by lookup() where it comes from Key Vault
    password = None

    @property
    def required_to_create(self):
        if self.params['create_mode'] != 'Default':
            return ('location',)
        return ('location', 'sku', 'administrator_login')

    @property
    def source_id(self):
        """The source server's resource id (None: not stated, or unknown in check mode)."""
        return postgresql_checks.server_resource_id(self.module.subscription_id,
                                                    self.params['source_resource_group'] or self.params['resource_group'],
                                                    self.params['source_server'])

    def sends_password(self):
        return self.current is None and self.params['create_mode'] == 'Default' or self.params['update_password'] == 'always'

    def read_source(self):
        parts = self.source_id.split('/')
        return to_rest(self.module.get_or_none('read source server %s' % parts[-1], self.ops.get, parts[4], parts[-1]))

    @staticmethod
    def secret_value(client, reference):
        """The stated version, else the version consumers read (never a rotation's pending one)."""
        version = reference['version'] or (keyvault_data.chosen_version(client, reference['secret']) or {}).get('version')
        return client.get_secret(reference['secret'], version).value

    def read_password(self):
        """The password from its Key Vault secret; registered so Ansible masks it in anything printed."""
        reference = self.params['administrator_login_password_from']
        client = keyvault_data.client(self.module, keyvault_data.SECRETS, reference['vault_uri'])
        value = self.module.call('read secret %s of %s' % (reference['secret'], reference['vault_uri']),
                                 lambda: self.secret_value(client, reference))
        self.module.ansible.no_log_values.add(value)
        return value

    def lookup(self):
        if self.source_id and (self.current is None or self.params['create_mode'] == 'Replica' and not self.unchanged()):
            self.source = self.read_source()
        if not self.sends_password():
            return
        if self.params['administrator_login_password'] is not None:
            self.password = self.params['administrator_login_password']
        elif self.params['administrator_login_password_from']:
            self.password = self.read_password()
        elif 'administrator_login_password_from' in self.params['unknown']:
            self.password = unknown.UNKNOWN

    def problems(self):
        params, found = self.params, []
        if self.current is not None:
            found += postgresql_checks.change_problems('', params, self.current)
        if self.source_id and self.source is None and (self.current is None or params['create_mode'] == 'Replica'
                                                       and not self.unchanged()):
            found.append('source_server: %s does not exist; create it first or name an existing server' % params['source_server'])
        if self.source is not None and (self.current is None or params['create_mode'] == 'Replica'):
            found += postgresql_checks.source_problems('', self.source, params['create_mode'])
        if self.password is not None and self.password != unknown.UNKNOWN and params['administrator_login_password_from']:
            found += postgresql_checks.password_problems('administrator_login_password_from.secret', self.password)
        if self.sends_password() and self.password is None and self.current is None:
            found.append('administrator_login_password: required to create %s; give it or administrator_login_password_from'
                         % self.label)
        return found

    def desired(self):
        params = self.params
        creating = self.current is None
        storage, backup, network = section(params, 'storage'), section(params, 'backup'), section(params, 'network')
        replica = params['create_mode'] == 'Replica'
        return {
            'location': params['location'],
            'tags': params['tags'],
            'sku': params['sku'],
            'properties': {
                'version': params['version'],
                'administratorLogin': params['administrator_login'],
                'administratorLoginPassword': self.password,
                'availabilityZone': params['availability_zone'],
                'storage': {'storageSizeGB': storage.get('size_gb'), 'tier': storage.get('tier'),
                            'autoGrow': enabled(storage.get('auto_grow'))},
                'highAvailability': high_availability_body(params['high_availability']),
                'backup': {'backupRetentionDays': backup.get('retention_days'),
                           'geoRedundantBackup': enabled(backup.get('geo_redundant_backup'))},
                'network': {'publicNetworkAccess': network.get('public_network_access'),
                            'delegatedSubnetResourceId': network.get('delegated_subnet_id'),
                            'privateDnsZoneArmResourceId': network.get('private_dns_zone_id')},
                'maintenanceWindow': window_body(params['maintenance_window']),
                'createMode': params['create_mode'] if creating else None,
                'sourceServerResourceId': self.source_id if creating or replica else None,
                'pointInTimeUTC': params['point_in_time'] if creating else None,
            },
        }

    def write(self, body):
        """Create with PUT (without the maintenance window, which Azure takes on update only); else PATCH what is stated."""
        if self.current is None:
            return super(Server, self).write(compare.strip(body, (WINDOW,)))
        return self.ops.begin_update(*(self.where + (patch_body(compare.strip(compare.prune(self.desired()), CREATE_ONLY), body),)))


def patch_body(stated, merged):
    """The PATCH of the stated fields with their merged values: whole tags and sku, stated keys of each property."""
    patch = dict((key, merged[key]) for key in stated if key != 'properties')
    properties = {}
    for key, value in stated.get('properties', {}).items():
        have = merged['properties'][key]
        properties[key] = dict((inner, have[inner]) for inner in value) if isinstance(value, dict) else have
    if properties:
        patch['properties'] = properties
    return patch


class Configuration(ArmResource):
    kind, parent_kind = 'server parameter', 'PostgreSQL flexible server'
    service, operations, create_method = 'postgresql', 'configurations', 'begin_put'
    rules = {'properties.value': compare.IGNORE_CASE}

    def __init__(self, module, name, value, new_server):
        super(Configuration, self).__init__(module)
        self.name, self.value, self.new_server = name, value, new_server

    def get(self):
        """On a server this run creates, every stated parameter is set, as check mode predicts (defaults unknown there)."""
        if self.new_server:
            self.current = None
            return None
        return super(Configuration, self).get()

    @property
    def where(self):
        return self.params['resource_group'], self.params['name'], self.name

    def desired(self):
        return {'properties': {'value': parameter_value(self.value)}}

    def write(self, body):
        # `source` is not compared (Azure answers system-default when the value is the default) but always sent
        return super(Configuration, self).write({'properties': {'value': body['properties']['value'], 'source': 'user-override'}})


class FirewallRule(ArmResource):
    kind, parent_kind = 'firewall rule', 'PostgreSQL flexible server'
    service, operations = 'postgresql', 'firewall_rules'

    def __init__(self, module, name, item):
        super(FirewallRule, self).__init__(module)
        self.name, self.item = name, item or {}

    @property
    def where(self):
        return self.params['resource_group'], self.params['name'], self.name

    def desired(self):
        return {'properties': {'startIpAddress': self.item.get('start_ip_address'), 'endIpAddress': self.item.get('end_ip_address')}}


def validate(params, check_mode):
    """Input problems that need no call to Azure ('option: what is wrong; the fix')."""
    found = name_problems('resource_group', params['resource_group'], 'resource_group')
    found += postgresql_checks.server_problems('', params)
    found += postgresql_checks.password_problems('administrator_login_password', params['administrator_login_password'])
    if params['administrator_login_password_from']:
        found += keyvault_data.vault_uri_problems('administrator_login_password_from.vault_uri',
                                                  params['administrator_login_password_from']['vault_uri'])
    found += unknown.unknown_problems(params, check_mode)
    return found


def reconcile_configurations(module, new_server):
    return reconcile_children(module, 'configurations', lambda name, value: Configuration(module, name, value, new_server),
                              module.params['configurations'])


def reconcile_firewall_rules(module, result):
    params = module.params
    existing = []
    if result['resource'].get('id'):
        found = module.get_or_none('list the firewall rules of %s' % params['name'], lambda: [
            to_rest(r) for r in module.client('postgresql').firewall_rules.list_by_server(params['resource_group'], params['name'])])
        existing = dict((rule['name'], rule) for rule in found or [])
    wanted = dict((item['name'], item) for item in params['firewall_rules'])
    return reconcile_children(module, 'firewall_rules', lambda name, item: FirewallRule(module, name, item),
                              wanted, existing, params['purge_firewall_rules'])


def add_children(result, option, children):
    result['changed'] = result['changed'] or children['changed']
    result['differences'].extend(children['differences'])
    result[option] = children['resources']
    if 'diff' in result:
        result['diff']['before'][option] = children['before']
        result['diff']['after'][option] = children['resources']


def set_maintenance_window(module, server, result):
    """A new server's maintenance window, which Azure takes on update only, right after the create."""
    window = window_body(module.params['maintenance_window'])
    after, _ignored = module.run_operation('set the maintenance window of %s' % server.label, lambda: server.ops.begin_update(
        module.params['resource_group'], module.params['name'], {'properties': {'maintenanceWindow': window}}))
    result['resource'] = server.comparator.mask(after or server.get())
    if 'diff' in result:
        result['diff']['after'] = result['resource']


def main():
    module = AzureModule(
        supports_check_mode=True,
        argument_spec=dict(
            name=dict(type='str', required=True),
            resource_group=dict(type='str', required=True),
            location=dict(type='str'),
            sku=dict(type='dict', options=dict(
                name=dict(type='str', required=True),
                tier=dict(type='str', required=True, choices=list(postgresql_checks.TIERS)),
            )),
            version=dict(type='str', choices=list(postgresql_checks.VERSIONS)),
            storage=dict(type='dict', options=dict(
                size_gb=dict(type='int'),
                tier=dict(type='str', choices=list(postgresql_checks.STORAGE_TIERS)),
                auto_grow=dict(type='bool'),
            )),
            availability_zone=dict(type='str'),
            high_availability=dict(type='dict', options=dict(
                mode=dict(type='str', required=True, choices=list(postgresql_checks.HA_MODES)),
                standby_availability_zone=dict(type='str'),
            )),
            backup=dict(type='dict', options=dict(
                retention_days=dict(type='int'),
                geo_redundant_backup=dict(type='bool'),
            )),
            network=dict(type='dict', options=dict(
                public_network_access=dict(type='str', choices=['Enabled', 'Disabled']),
                delegated_subnet_id=dict(type='str'),
                private_dns_zone_id=dict(type='str'),
            )),
            firewall_rules=dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                start_ip_address=dict(type='str', required=True),
                end_ip_address=dict(type='str', required=True),
            )),
            purge_firewall_rules=dict(type='bool', default=False),
            maintenance_window=dict(type='dict', options=dict(
                day_of_week=dict(type='str', required=True, choices=list(postgresql_checks.DAYS)),
                start_hour=dict(type='int', required=True),
                start_minute=dict(type='int', default=0),
            )),
            configurations=dict(type='dict'),
            administrator_login=dict(type='str'),
            administrator_login_password=dict(type='str', no_log=True),
            administrator_login_password_from=dict(type='dict', no_log=False, options=dict(
                vault_uri=dict(type='str', required=True),
                secret=dict(type='str', required=True, no_log=False),
                version=dict(type='str'),
            )),
            update_password=dict(type='str', choices=['on_create', 'always'], default='on_create', no_log=False),
            create_mode=dict(type='str', choices=list(postgresql_checks.CREATE_MODES), default='Default'),
            source_server=dict(type='str'),
            source_resource_group=dict(type='str'),
            point_in_time=dict(type='str'),
            **TAGS_ARGUMENT_SPEC,
            **STATE_ARGUMENT_SPEC,
            **unknown.unknown_spec(UNKNOWN_PATHS)
        ),
        mutually_exclusive=[('administrator_login_password', 'administrator_login_password_from')],
        long_running=True,
        default_timeout=3600,
    )
    module.fail_on(validate(module.params, module.check_mode))
    server = Server(module)
    result = reconcile(module, server)
    params = module.params
    if params['state'] == 'absent':
        module.exit(**result)
    created = not server.current and result['changed']
    if result.get('status_url') and not result['resource'].get('id'):
        module.warn('%s is still being created (wait=false); its maintenance window, parameters and firewall rules are '
                    'left for the next run' % server.label)
    else:
        if created and params['maintenance_window'] and not module.check_mode:
            set_maintenance_window(module, server, result)
        if params['configurations']:
            add_children(result, 'configurations', reconcile_configurations(module, created))
        if params['firewall_rules'] is not None:
            rules = reconcile_firewall_rules(module, result)
            add_children(result, 'firewall_rules', rules)
            result['unmanaged_firewall_rules'] = rules['unmanaged']
    paths = [UNKNOWN_PATHS[option] for option in params['unknown'] if UNKNOWN_PATHS[option]]
    if paths:  # check mode only (validate)
        result = unknown.predicted(result, server.current, paths)
    properties = result['resource'].get('properties') or {}
    result.update(id=result['resource'].get('id'), fqdn=properties.get('fullyQualifiedDomainName'),
                  replication_role=properties.get('replicationRole'))
    module.exit(**result)


if __name__ == '__main__':
    main()
