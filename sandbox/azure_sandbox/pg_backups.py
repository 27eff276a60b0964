"""The automatic backups of a PostgreSQL flexible server, taken on the sandbox's clock.

Azure takes the first snapshot right after the server is created and one a
day after that, keeps them for ``backupRetentionDays`` and lists them as
``daily_<UTC time>`` Full/Automatic backups (BackupListByServer.json,
Microsoft.DBforPostgreSQL 2024-08-01; Microsoft Learn "Backup and restore in
Azure Database for PostgreSQL flexible server"). The list is computed from
the server's ``systemData.createdAt`` and the current time, so a server
seeded as created 40 days ago lists 35 daily backups.

Fault for tests: config ``postgresql_backups_stopped`` maps a server id
(any casing) to the UTC time its backups stopped (ISO 8601): no automatic
backup is listed after it, as when Azure's backup service fails or the
server is stopped.
"""

from datetime import datetime, timedelta, timezone

from .util import get_path

DAY = timedelta(days=1)
# Azure names a snapshot after its start, a few seconds before it completes (the example: 3 s).
SNAPSHOT_SECONDS = 3


def parse_time(text: str) -> datetime:
    """An ARM timestamp (up to 7 fractional digits, Z or an offset) as an aware datetime."""
    text = text.strip().replace("Z", "+00:00")
    head, _, rest = text.partition(".")
    if rest:
        digits = "".join(ch for ch in rest if ch.isdigit())
        zone = rest[len(digits):]
        text = "%s.%s%s" % (head, digits[:6], zone)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _entry(server_id: str, completed: datetime) -> dict:
    name = "daily_" + (completed - timedelta(seconds=SNAPSHOT_SECONDS)).strftime("%Y%m%dT%H%M%S")
    return {"id": "%s/backups/%s" % (server_id, name), "name": name,
            "type": "Microsoft.DBforPostgreSQL/flexibleServers/backups",
            "properties": {"backupType": "Full", "source": "Automatic",
                           "completedTime": completed.isoformat(timespec="microseconds")}}


def automatic(server_id: str, server: dict, config: dict, now: datetime | None = None) -> list:
    """The automatic backups Azure lists for the server now, oldest first."""
    now = now or datetime.now(timezone.utc)
    created = parse_time(get_path(server, "systemData.createdAt") or now.isoformat())
    retention = int(get_path(server, "properties.backup.backupRetentionDays") or 7)
    stopped = {key.lower(): value for key, value in (config.get("postgresql_backups_stopped") or {}).items()}
    until = min(now, parse_time(stopped[server_id.lower()])) if server_id.lower() in stopped else now
    oldest = now - retention * DAY
    found, taken = [], created
    while taken <= until:
        if taken >= oldest:
            found.append(_entry(server_id, taken))
        taken += DAY
    return found


def earliest_restore_date(server: dict, now: datetime | None = None) -> str:
    """``properties.backup.earliestRestoreDate``: the server's creation, or the retention's start once it is older."""
    now = now or datetime.now(timezone.utc)
    created = parse_time(get_path(server, "systemData.createdAt") or now.isoformat())
    retention = int(get_path(server, "properties.backup.backupRetentionDays") or 7)
    return max(created, now - retention * DAY).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"
