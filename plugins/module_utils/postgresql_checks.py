# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Azure Database for PostgreSQL flexible server refuses, as pure checks modules and preflight share.

Azure refuses most of these only after a create was accepted, or minutes into an update:
a size not in the tier, high availability on Burstable or on a replica, a replica of a
replica, a storage size it does not offer or a shrink, a geo-redundant backup or zone
change after creation. Each function takes the path the caller names the value by (''
in the module, `phonebill_postgresql.` or `phonebill_postgresql.replicas[name].` in
preflight) and the server in the module's option form, and returns 'path: what is wrong;
the fix' lines. Passwords are judged, never quoted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
import string
from datetime import datetime

from ansible_collections.phonebill.platform.plugins.module_utils.validation import (
    choice_problems, described, integer_problems, item_label, items_of, list_problems, mapping_problems, name_problems,
    tag_problems)

# The compute sizes of each tier ("Compute options in Azure Database for PostgreSQL flexible server").
TIER_PREFIX = {'Burstable': 'Standard_B', 'GeneralPurpose': 'Standard_D', 'MemoryOptimized': 'Standard_E'}
TIERS = tuple(TIER_PREFIX)
VERSIONS = ('12', '13', '14', '15', '16', '17')
# Storage sizes Azure offers (GB) and the performance tier each starts at ("Storage options"); a lower tier is refused.
STORAGE_BASELINE = {32: 'P4', 64: 'P6', 128: 'P10', 256: 'P15', 512: 'P20', 1024: 'P30', 2048: 'P40', 4096: 'P50',
                    8192: 'P60', 16384: 'P70', 32767: 'P80'}
STORAGE_SIZES = tuple(STORAGE_BASELINE)
STORAGE_TIERS = ('P1', 'P2', 'P3', 'P4', 'P6', 'P10', 'P15', 'P20', 'P30', 'P40', 'P50', 'P60', 'P70', 'P80')
BACKUP_RETENTION_DAYS = (7, 35)
HA_MODES = ('Disabled', 'ZoneRedundant', 'SameZone')
CREATE_MODES = ('Default', 'Replica', 'PointInTimeRestore', 'GeoRestore')
# Azure's dayOfWeek: 0 is Sunday.
DAYS = ('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')
REPLICA_ROLES = ('asyncreplica', 'georeplica', 'geoasyncreplica')
# Administrator names Azure keeps for itself ("Create a server": administrator login).
RESERVED_LOGINS = ('azure_superuser', 'azure_pg_admin', 'admin', 'administrator', 'root', 'guest', 'public')
LOGIN = re.compile(r'^[A-Za-z_][A-Za-z0-9_]{0,62}$')
PASSWORD_LENGTH = (8, 128)
SERVER_NAME = re.compile(r'^[a-z0-9](?:[-a-z0-9]{1,61}[a-z0-9])$')
SERVER_ID = re.compile(r'^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.DBforPostgreSQL/flexibleServers/[^/]+$',
                       re.IGNORECASE)
SUBNET_ID = re.compile(r'^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+'
                       r'/subnets/[^/]+$', re.IGNORECASE)
DNS_ZONE_ID = re.compile(r'^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/privateDnsZones/[^/]+$',
                         re.IGNORECASE)


def at(path, key):
    """The full name of key under path ('' at the top of a module's options, 'x.' in preflight)."""
    if not path:
        return key
    return path + key if path.endswith('.') else '%s.%s' % (path, key)


def _section(server, key):
    value = server.get(key)
    return value if isinstance(value, dict) else {}


def enum(value):
    """An enum value in lower case for comparison (None stays None)."""
    return str(value).lower() if value is not None else None


def is_replica(server):
    return enum(server.get('create_mode')) == 'replica'


def ha_mode(server):
    return _section(server, 'high_availability').get('mode')


def ha_on(mode):
    return mode is not None and enum(mode) != 'disabled'


def sku_problems(path, sku):
    """sku: {name, tier}; the compute size must be one of its tier (B*, D*, E*)."""
    if sku is None:
        return []
    if not isinstance(sku, dict):
        return mapping_problems(at(path, 'sku'), sku, 'name and tier, e.g. {name: Standard_D4s_v3, tier: GeneralPurpose}')
    found = choice_problems(at(path, 'sku.tier'), sku.get('tier'), TIERS)
    name, tier = sku.get('name'), sku.get('tier')
    if not isinstance(name, str) or not name:
        return found + ['%s: required; state the compute size, e.g. Standard_D4s_v3' % at(path, 'sku.name')]
    owner = next((t for t, prefix in TIER_PREFIX.items() if name.lower().startswith(prefix.lower())), None)
    if owner is None:
        found.append('%s: %r is not a flexible server compute size; use a Standard_B* (Burstable), Standard_D* '
                     '(GeneralPurpose) or Standard_E* (MemoryOptimized) size' % (at(path, 'sku.name'), name))
    elif isinstance(tier, str) and enum(tier) in [enum(t) for t in TIERS] and enum(owner) != enum(tier):
        found.append('%s: %s is a %s size, not %s; use a %s* size or tier %s'
                     % (at(path, 'sku.name'), name, owner, tier, TIER_PREFIX[[t for t in TIERS if enum(t) == enum(tier)][0]],
                        owner))
    return found


def storage_problems(path, storage):
    """storage: {size_gb, tier, auto_grow}: a size Azure offers and a tier not below its baseline."""
    if storage is None:
        return []
    if not isinstance(storage, dict):
        return mapping_problems(at(path, 'storage'), storage, 'size_gb, tier and auto_grow')
    size, tier = storage.get('size_gb'), storage.get('tier')
    found = []
    if size is not None and (isinstance(size, bool) or size not in STORAGE_SIZES):
        found.append('%s: %s is not a storage size Azure offers; use one of %s GB'
                     % (at(path, 'storage.size_gb'), described(size), ', '.join(map(str, STORAGE_SIZES))))
    found += choice_problems(at(path, 'storage.tier'), tier, STORAGE_TIERS)
    if not found and size is not None and tier is not None:
        baseline = STORAGE_BASELINE[size]
        if STORAGE_TIERS.index(tier.upper()) < STORAGE_TIERS.index(baseline):
            found.append('%s: %s is below the %s baseline of %d GB, which Azure refuses; state %s or higher, or leave '
                         'the tier out' % (at(path, 'storage.tier'), tier, baseline, size, baseline))
    return found


def high_availability_problems(path, server, tier=None, zone=None, replica=None):
    """High availability: not on Burstable, not on a replica; a zone-redundant standby in another zone.

    tier, zone, replica: what the existing server has, where the server does not state them.
    """
    section = server.get('high_availability')
    if section is None:
        return []
    if not isinstance(section, dict):
        return mapping_problems(at(path, 'high_availability'), section, 'mode and standby_availability_zone')
    mode = section.get('mode')
    found = choice_problems(at(path, 'high_availability.mode'), mode, HA_MODES)
    if found or not ha_on(mode):
        return found
    tier = _section(server, 'sku').get('tier') or tier
    if enum(tier) == 'burstable':
        found.append('%s: %s servers have no high availability; use GeneralPurpose or MemoryOptimized, or mode Disabled'
                     % (at(path, 'high_availability.mode'), tier))
    if is_replica(server) or replica:
        found.append('%s: a read replica has no high availability of its own; state mode Disabled (or leave it out) '
                     'on the replica' % at(path, 'high_availability.mode'))
    standby = section.get('standby_availability_zone')
    zone = server.get('availability_zone') or zone
    if enum(mode) == 'zoneredundant' and standby is not None and zone is not None and str(standby) == str(zone):
        found.append('%s: zone %s is the primary\'s zone, and a zone-redundant standby must be in another zone; state '
                     'another zone or leave it out for Azure to choose' % (at(path, 'high_availability.standby_availability_zone'), standby))
    return found


def backup_problems(path, backup):
    if backup is None:
        return []
    if not isinstance(backup, dict):
        return mapping_problems(at(path, 'backup'), backup, 'retention_days and geo_redundant_backup')
    return integer_problems(at(path, 'backup.retention_days'), backup.get('retention_days'), *BACKUP_RETENTION_DAYS,
                            unit=' days')


def _address(value):
    try:
        return ipaddress.IPv4Address(str(value))
    except ValueError:
        return None


def firewall_problems(path, rules, private):
    """firewall_rules: {name, start_ip_address, end_ip_address}; only a server with public access has them."""
    option = at(path, 'firewall_rules')
    found = list_problems(option, rules, '{name, start_ip_address, end_ip_address}')
    if found or not rules:
        return found
    if private:
        found.append('%s: the server has private access (network.delegated_subnet_id), where firewall rules do not '
                     'apply; reach it from the VNet and leave firewall_rules out' % option)
    for position, rule in enumerate(items_of(rules)):
        where = '%s[%s]' % (option, item_label(rule, position))
        if not isinstance(rule, dict):
            found.append('%s must be a mapping with name, start_ip_address and end_ip_address, not %s' % (where, described(rule)))
            continue
        found += name_problems(where + '.name', rule.get('name'), 'network', 'firewall rule name')
        start, end = _address(rule.get('start_ip_address')), _address(rule.get('end_ip_address'))
        for key, value in (('start_ip_address', start), ('end_ip_address', end)):
            if value is None:
                found.append('%s.%s: %r is not an IPv4 address; give one such as 10.0.1.0' % (where, key, rule.get(key)))
        if start and end and start > end:
            found.append('%s.end_ip_address: %s is before start_ip_address %s; give the range low to high' % (where, end, start))
    return found


def network_problems(path, network):
    """Private access (a delegated subnet and a private DNS zone, no public access) or public access."""
    if network is None:
        return []
    if not isinstance(network, dict):
        return mapping_problems(at(path, 'network'), network, 'public_network_access, delegated_subnet_id, private_dns_zone_id')
    found = choice_problems(at(path, 'network.public_network_access'), network.get('public_network_access'), ('Enabled', 'Disabled'))
    subnet, zone = network.get('delegated_subnet_id'), network.get('private_dns_zone_id')
    if subnet is not None and not SUBNET_ID.match(str(subnet)):
        found.append('%s: %r is not a subnet resource id; give /subscriptions/<id>/resourceGroups/<group>/providers/'
                     'Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>' % (at(path, 'network.delegated_subnet_id'), subnet))
    if zone is not None and not DNS_ZONE_ID.match(str(zone)):
        found.append('%s: %r is not a private DNS zone resource id; give /subscriptions/<id>/resourceGroups/<group>/'
                     'providers/Microsoft.Network/privateDnsZones/<zone>' % (at(path, 'network.private_dns_zone_id'), zone))
    if subnet is not None and enum(network.get('public_network_access')) == 'enabled':
        found.append('%s: a server in a delegated subnet has private access only; state Disabled or leave the subnet out'
                     % at(path, 'network.public_network_access'))
    if zone is not None and subnet is None:
        found.append('%s: a private DNS zone goes with a delegated subnet; state network.delegated_subnet_id too'
                     % at(path, 'network.private_dns_zone_id'))
    return found


def maintenance_window_problems(path, window):
    """maintenance_window: {day_of_week, start_hour, start_minute}, in UTC."""
    if window is None:
        return []
    if not isinstance(window, dict):
        return mapping_problems(at(path, 'maintenance_window'), window, 'day_of_week, start_hour and start_minute (UTC)')
    found = choice_problems(at(path, 'maintenance_window.day_of_week'), window.get('day_of_week'), DAYS)
    found += integer_problems(at(path, 'maintenance_window.start_hour'), window.get('start_hour'), 0, 23, ' (UTC)')
    found += integer_problems(at(path, 'maintenance_window.start_minute'), window.get('start_minute'), 0, 59)
    return found


def configurations_problems(path, configurations):
    """configurations: server parameter names to values (strings or numbers; on/off quoted)."""
    option = at(path, 'configurations')
    found = mapping_problems(option, configurations, "server parameter names to values, e.g. {ssl_min_protocol_version: TLSv1.2}")
    if found or not configurations:
        return found
    for name, value in configurations.items():
        if isinstance(value, bool):
            found.append("%s.%s: %r is a YAML boolean; quote the value Azure expects, e.g. 'on' or 'off'" % (option, name, value))
        elif not isinstance(value, (str, int, float)):
            found.append('%s.%s: %s is not a parameter value; give a string or a number' % (option, name, described(value)))
    return found


def login_problems(path, login):
    """The administrator login: a PostgreSQL name, none Azure reserves."""
    if login is None:
        return []
    option = at(path, 'administrator_login')
    if not isinstance(login, str) or not LOGIN.match(login):
        return ['%s: %r is not a login name; use 1-63 letters, digits and _, not starting with a digit' % (option, login)]
    if login.lower() in RESERVED_LOGINS or login.lower().startswith('pg_'):
        return ['%s: %r is reserved by Azure (%s, or a name starting with pg_); choose another name'
                % (option, login, ', '.join(RESERVED_LOGINS))]
    return []


def password_problems(option, password):
    """Azure's password policy: 8-128 characters of at least three classes. The value is never quoted."""
    if password is None:
        return []
    if not isinstance(password, str):
        return ['%s: not a string; give the password as a string' % option]
    classes = sum(1 for pool in (string.ascii_uppercase, string.ascii_lowercase, string.digits)
                  if any(char in pool for char in password))
    classes += 1 if any(not char.isalnum() for char in password) else 0
    if not PASSWORD_LENGTH[0] <= len(password) <= PASSWORD_LENGTH[1] or classes < 3:
        return ['%s: the password does not meet Azure\'s policy (%d to %d characters, with three of: upper-case letters, '
                'lower-case letters, digits, symbols); give a stronger one' % ((option,) + PASSWORD_LENGTH)]
    return []


def create_mode_problems(path, server):
    """A replica or restore names its source; a point-in-time restore its moment; a new server nothing of the sort."""
    mode, source = server.get('create_mode'), server.get('source_server')
    found = choice_problems(at(path, 'create_mode'), mode, CREATE_MODES)
    if found:
        return found
    mode = enum(mode) or 'default'
    if mode != 'default' and source in (None, '') and 'source_server' not in (server.get('unknown') or []):
        found.append('%s: required with create_mode %s; name the source server (name or resource id)'
                     % (at(path, 'source_server'), server.get('create_mode')))
    if mode == 'default' and source not in (None, ''):
        found.append('%s: only a replica or a restore has a source; state create_mode Replica, PointInTimeRestore or '
                     'GeoRestore, or leave source_server out' % at(path, 'source_server'))
    if source not in (None, '') and not (SERVER_ID.match(str(source)) or SERVER_NAME.match(str(source))):
        found.append('%s: %r is neither a server name nor a flexible server resource id' % (at(path, 'source_server'), source))
    moment = server.get('point_in_time')
    if mode == 'pointintimerestore' and moment in (None, ''):
        found.append('%s: required with create_mode PointInTimeRestore; give the UTC moment to restore, e.g. '
                     '2026-11-30T17:00:00Z' % at(path, 'point_in_time'))
    elif moment not in (None, ''):
        if mode != 'pointintimerestore':
            found.append('%s: only a point-in-time restore takes a moment; state create_mode PointInTimeRestore or leave it out'
                         % at(path, 'point_in_time'))
        elif parse_time(moment) is None:
            found.append('%s: %r is not an ISO 8601 date and time; give e.g. 2026-11-30T17:00:00Z' % (at(path, 'point_in_time'), moment))
    return found


def parse_time(value):
    try:
        return datetime.fromisoformat(str(value).strip().replace('Z', '+00:00'))
    except ValueError:
        return None


def server_name_problems(option, name):
    if name is not None and not (isinstance(name, str) and SERVER_NAME.match(name)):
        return ['%s: %r is not a valid server name; use 3-63 lower-case letters, digits and -, starting and ending with '
                'a letter or digit (unique across Azure)' % (option, name)]
    return []


def server_problems(path, server):
    """Every check above over one server in the module's option form (the inventory's too)."""
    if not isinstance(server, dict):
        return mapping_problems(path.rstrip('.') or 'server', server, 'the server settings')
    network = server.get('network')
    # the module names the subnet by id, the inventory by name
    private = isinstance(network, dict) and (network.get('delegated_subnet_id') or network.get('subnet')) is not None
    found = server_name_problems(at(path, 'name'), server.get('name'))
    found += sku_problems(path, server.get('sku'))
    found += choice_problems(at(path, 'version'), None if server.get('version') is None else str(server['version']), VERSIONS)
    found += storage_problems(path, server.get('storage'))
    found += high_availability_problems(path, server)
    found += backup_problems(path, server.get('backup'))
    found += network_problems(path, network)
    found += firewall_problems(path, server.get('firewall_rules'), private)
    found += maintenance_window_problems(path, server.get('maintenance_window'))
    found += configurations_problems(path, server.get('configurations'))
    found += login_problems(path, server.get('administrator_login'))
    found += create_mode_problems(path, server)
    found += tag_problems(at(path, 'tags'), server.get('tags'))
    return found


def source_problems(path, source, create_mode='Replica'):
    """The source (REST form, as Azure returns it) of a replica must be a primary; of a geo restore, geo-backed up."""
    properties = (source or {}).get('properties') or {}
    role = enum(properties.get('replicationRole') or (properties.get('replica') or {}).get('role'))
    if enum(create_mode) == 'replica' and role in REPLICA_ROLES:
        return ['%s: %s is itself a read replica, and Azure does not replicate a replica; name its primary (%s)'
                % (at(path, 'source_server'), source.get('name'), properties.get('sourceServerResourceId'))]
    if enum(create_mode) == 'georestore' and enum((properties.get('backup') or {}).get('geoRedundantBackup')) != 'enabled':
        return ['%s: %s has no geo-redundant backup to restore from another region; use create_mode PointInTimeRestore '
                '(same region) or a source created with backup.geo_redundant_backup' % (at(path, 'source_server'), source.get('name'))]
    return []


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def change_problems(path, server, current):
    """What Azure cannot change on the existing server (current, REST form): shrink, downgrade, zone, geo-backup."""
    properties = (current or {}).get('properties') or {}
    found = []
    storage = _section(server, 'storage')
    size, had = storage.get('size_gb'), _number((properties.get('storage') or {}).get('storageSizeGB'))
    if isinstance(size, int) and had is not None and size < had:
        found.append('%s: the server has %d GB and Azure cannot shrink storage; state %d or more' % (at(path, 'storage.size_gb'), had, had))
    version, running = _number(server.get('version')), _number(properties.get('version'))
    if version is not None and running is not None and version < running:
        found.append('%s: the server runs PostgreSQL %d and Azure cannot downgrade it; state %d or higher'
                     % (at(path, 'version'), running, running))
    zone, placed = server.get('availability_zone'), properties.get('availabilityZone')
    if zone is not None and placed and str(zone) != str(placed):
        found.append('%s: the server is in zone %s and Azure cannot move it; state %s (a failover swaps the primary and '
                     'standby zones) or recreate the server' % (at(path, 'availability_zone'), placed, placed))
    geo = _section(server, 'backup').get('geo_redundant_backup')
    had_geo = (properties.get('backup') or {}).get('geoRedundantBackup')
    if geo is not None and had_geo is not None and bool(geo) != (enum(had_geo) == 'enabled'):
        found.append('%s: geo-redundant backup is %s on the server and is set at creation only; state %s or restore into '
                     'a new server' % (at(path, 'backup.geo_redundant_backup'), had_geo, enum(had_geo) == 'enabled'))
    stated_only = high_availability_problems(path, server)
    found += [problem for problem in high_availability_problems(
        path, server, tier=((current or {}).get('sku') or {}).get('tier'), zone=placed,
        replica=enum(properties.get('replicationRole')) in REPLICA_ROLES) if problem not in stated_only]
    return found


def replicas_problems(path, primary, replicas):
    """Preflight: the replicas of phonebill_postgresql, each a server of its own whose source is the primary."""
    option = path + 'replicas'
    found = list_problems(option, replicas, 'replica servers (name, location, sku...)')
    names = [r.get('name') for r in items_of(replicas) if isinstance(r, dict)]
    for position, replica in enumerate(items_of(replicas)):
        where = '%s[%s].' % (option, item_label(replica, position))
        if not isinstance(replica, dict):
            found.append('%s must be a mapping of the replica settings, not %s' % (where.rstrip('.'), described(replica)))
            continue
        source = replica.get('source_server') or primary.get('name')
        found += server_problems(where, dict(replica, create_mode='Replica', source_server=source))
        if source in names:
            found.append('%ssource_server: %s is a replica in this plan, and Azure does not replicate a replica; name the '
                         'primary %s' % (where, source, primary.get('name')))
    return found


def server_resource_id(subscription_id, resource_group, server):
    """The resource id of a flexible server given by name (in resource_group) or already by id (None stays None)."""
    if not server or server.startswith('/'):
        return server
    return ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.DBforPostgreSQL/flexibleServers/%s'
            % (subscription_id, resource_group, server))
