"""PostgreSQL flexible server as Azure serves it: HA fields, replica lifecycle, maintenance window, refusals.

Shapes from Microsoft's ServerCreate*.json, ServerGet*.json and ServerCreateReplica.json examples; the refusals
and their sources are listed in docs/sandbox.md ("PostgreSQL flexible server").
"""

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
from azure.mgmt.postgresqlflexibleservers import models as pm
from azure.mgmt.resource.resources import ResourceManagementClient

PASSWORD = "Sandbox-Passw0rd"


def _server(pg, rg, name, location="koreacentral", sku=("Standard_D4s_v3", "GeneralPurpose"), **properties):
    body = pm.Server(location=location, sku=pm.Sku(name=sku[0], tier=sku[1]) if sku else None,
                     properties=pm.ServerProperties(**properties))
    return pg.servers.begin_create_or_update(rg, name, body).result()


def _primary(pg, rg, name="pg-main", **properties):
    given = dict(administrator_login="pgadmin", administrator_login_password=PASSWORD, version="16")
    given.update(properties)
    return _server(pg, rg, name, **given)


def _refused(call, code):
    with pytest.raises(HttpResponseError) as exc:
        call()
    assert exc.value.error.code == code, exc.value.message
    return exc.value.error.message


@pytest.fixture
def pg(mgmt):
    return mgmt(PostgreSQLManagementClient)


def test_zone_redundant_ha_reports_standby_zone_and_healthy_state(pg, rg):
    server = _primary(pg, rg, availability_zone="1", high_availability=pm.HighAvailability(mode="ZoneRedundant"),
                      storage=pm.Storage(storage_size_gb=256))
    ha = server.properties.high_availability
    assert (ha.mode, ha.standby_availability_zone, ha.state) == ("ZoneRedundant", "2", "Healthy")
    assert server.properties.storage.tier == "P15" and server.properties.storage.auto_grow == "Disabled"
    plain = _primary(pg, rg, "pg-plain")
    assert (plain.properties.high_availability.mode, plain.properties.high_availability.state) == ("Disabled", "NotEnabled")
    assert plain.properties.replication_role == "Primary" and plain.properties.replica_capacity == 5


def test_maintenance_window_is_taken_on_update_only_and_kept_as_given(pg, rg):
    window = pm.MaintenanceWindow(custom_window="Enabled", day_of_week=6, start_hour=17, start_minute=0)
    created = _primary(pg, rg, maintenance_window=window)
    assert created.properties.maintenance_window.custom_window == "Disabled"
    updated = pg.servers.begin_update(rg, "pg-main", pm.ServerForPatch(
        properties=pm.ServerPropertiesForPatch(maintenance_window=window))).result()
    kept = updated.properties.maintenance_window
    assert (kept.custom_window, kept.day_of_week, kept.start_hour, kept.start_minute) == ("Enabled", 6, 17, 0)
    later = pg.servers.begin_update(rg, "pg-main", pm.ServerForPatch(tags={"a": "b"})).result()
    assert later.properties.maintenance_window.day_of_week == 6


def test_replica_lifecycle(pg, rg, mgmt):
    mgmt(ResourceManagementClient).resource_groups.create_or_update("rg-dr", {"location": "koreasouth"})
    primary = _primary(pg, rg, storage=pm.Storage(storage_size_gb=256))
    replica = _server(pg, "rg-dr", "pg-replica", location="koreasouth", sku=("Standard_D2s_v3", "GeneralPurpose"),
                      create_mode="Replica", source_server_resource_id=primary.id)
    assert replica.properties.replication_role == "AsyncReplica" and replica.properties.replica_capacity == 0
    assert (replica.properties.replica.role, replica.properties.replica.replication_state) == ("AsyncReplica", "Active")
    assert replica.sku.name == "Standard_D2s_v3" and replica.location == "koreasouth"
    assert replica.properties.administrator_login == "pgadmin" and replica.properties.storage.storage_size_gb == 256
    assert replica.properties.high_availability.mode == "Disabled"
    assert [r.name for r in pg.replicas.list_by_server(rg, "pg-main")] == ["pg-replica"]
    assert pg.servers.get(rg, "pg-main").properties.replica_capacity == 5
    _refused(lambda: _server(pg, rg, "pg-chain", create_mode="Replica", source_server_resource_id=replica.id),
             "ReplicaOfReplicaNotSupported")
    _refused(lambda: _server(pg, rg, "pg-ha-replica", create_mode="Replica", source_server_resource_id=primary.id,
                             high_availability=pm.HighAvailability(mode="ZoneRedundant")), "HANotSupportedForReplica")
    _refused(lambda: pg.servers.begin_update("rg-dr", "pg-replica", pm.ServerForPatch(properties=pm.ServerPropertiesForPatch(
        high_availability=pm.HighAvailabilityForPatch(mode="ZoneRedundant")))).result(), "HANotSupportedForReplica")
    for index in range(4):
        _server(pg, rg, "pg-r%d" % index, create_mode="Replica", source_server_resource_id=primary.id)
    _refused(lambda: _server(pg, rg, "pg-r9", create_mode="Replica", source_server_resource_id=primary.id),
             "ReplicaCapacityExceeded")
    _refused(lambda: _server(pg, rg, "pg-orphan", create_mode="Replica", source_server_resource_id=primary.id + "x"),
             "ResourceNotFound")


def test_point_in_time_restore_takes_the_source(pg, rg):
    primary = _primary(pg, rg, storage=pm.Storage(storage_size_gb=512))
    restored = _server(pg, rg, "pg-drill", sku=None, create_mode="PointInTimeRestore", source_server_resource_id=primary.id,
                       point_in_time_utc=primary.properties.backup.earliest_restore_date)
    assert restored.properties.storage.storage_size_gb == 512 and restored.sku.name == "Standard_D4s_v3"
    assert restored.properties.replication_role == "Primary" and restored.properties.administrator_login == "pgadmin"
    _refused(lambda: _server(pg, rg, "pg-geo", sku=None, location="koreasouth", create_mode="GeoRestore",
                             source_server_resource_id=primary.id), "GeoRestoreNotSupported")
    geo = _primary(pg, rg, "pg-geo-source", backup=pm.Backup(geo_redundant_backup="Enabled"))
    moved = _server(pg, rg, "pg-geo", sku=None, location="koreasouth", create_mode="GeoRestore", source_server_resource_id=geo.id)
    assert moved.location == "koreasouth" and moved.properties.version == "16"


def test_refusals_on_create(pg, rg):
    _refused(lambda: _server(pg, rg, "pg-b", sku=("Standard_D2s_v3", "Burstable"), administrator_login="pgadmin",
                             administrator_login_password=PASSWORD), "ServerEditionIncompatibleWithSkuSize")
    _refused(lambda: _server(pg, rg, "pg-b", sku=("Standard_B2s", "Burstable"), administrator_login="pgadmin",
                             administrator_login_password=PASSWORD,
                             high_availability=pm.HighAvailability(mode="ZoneRedundant")), "HANotSupportedForBurstableSkuWithMoreInfo")
    assert "StandbyAvailabilityZone,availabilityZone" in _refused(lambda: _primary(
        pg, rg, availability_zone="2", high_availability=pm.HighAvailability(mode="ZoneRedundant", standby_availability_zone="2")),
        "InvalidParameterValue")
    assert "parameter StorageSizeGB" in _refused(lambda: _primary(pg, rg, storage=pm.Storage(storage_size_gb=100)),
                                                 "InvalidParameterValue")
    assert "parameter 36." in _refused(lambda: _primary(pg, rg, backup=pm.Backup(backup_retention_days=36)),
                                       "InvalidParameterValue")
    _refused(lambda: _primary(pg, rg, administrator_login="azure_superuser"), "InvalidAdministratorLogin")
    _refused(lambda: _primary(pg, rg, administrator_login="pg_owner"), "InvalidAdministratorLogin")
    message = _refused(lambda: _primary(pg, rg, administrator_login_password="alllowercase"), "PasswordNotComplex")
    assert "alllowercase" not in message
    assert list(pg.servers.list_by_resource_group(rg)) == []


def test_refusals_on_update(pg, rg):
    _primary(pg, rg, availability_zone="1", storage=pm.Storage(storage_size_gb=256),
             backup=pm.Backup(geo_redundant_backup="Enabled"))

    def patch(**properties):
        return pg.servers.begin_update(rg, "pg-main", pm.ServerForPatch(
            properties=pm.ServerPropertiesForPatch(**properties))).result()

    message = _refused(lambda: patch(storage=pm.Storage(storage_size_gb=128)), "StorageSizeDecreaseNotSupported")
    assert message.startswith("Requested data Disk size '131072' cannot be less than current size '262144'.")
    assert _refused(lambda: patch(version="15"), "ParameterOutOfRange").startswith(
        "The value of the 'Version' should be in: [17,18].")
    _refused(lambda: patch(availability_zone="3"), "PropertyChangeNotAllowed")
    assert patch(storage=pm.Storage(storage_size_gb=512), version="17").properties.storage.storage_size_gb == 512
