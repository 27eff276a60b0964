"""Azure Cache for Redis through the real SDK: server fields, patch schedules, geo-replication links, refusals."""

from datetime import timedelta

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.mgmt.redis import RedisManagementClient
from azure.mgmt.redis.models import (RedisCommonPropertiesRedisConfiguration, RedisCreateParameters,
                                     RedisLinkedServerCreateParameters, RedisPatchSchedule, RedisUpdateParameters,
                                     ScheduleEntry, Sku)

CONNECTION = "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=c2VjcmV0"


@pytest.fixture
def redis(sandbox, mgmt):
    sandbox.config(durations={"microsoft.cache/redis": 10, "microsoft.cache/redis/linkedservers": 10})
    return mgmt(RedisManagementClient)


def _create(redis, rg, name, location="koreacentral", **properties):
    params = dict(sku=Sku(name="Premium", family="P", capacity=2), shard_count=2)
    params.update(properties)
    return redis.redis.begin_create(rg, name, RedisCreateParameters(location=location, **params)).result()


def test_server_fields_and_connection_strings_never_returned(redis, rg):
    config = RedisCommonPropertiesRedisConfiguration(rdb_backup_enabled="true", rdb_backup_frequency="60",
                                                     rdb_storage_connection_string=CONNECTION)
    created = _create(redis, rg, "cache", redis_version="6", redis_configuration=config, zones=["1", "2", "3"])
    got = redis.redis.get(rg, "cache")
    assert got.redis_version == "6.0.14" and got.replicas_per_master == got.replicas_per_primary == 1
    assert got.redis_configuration.rdb_backup_enabled == "true" and got.redis_configuration.maxclients == "7500"
    assert got.redis_configuration.rdb_storage_connection_string is None
    assert CONNECTION not in str(created.serialize(keep_readonly=True)) + str(got.serialize(keep_readonly=True))
    assert len(got.instances) == 4 and got.zonal_allocation_policy == "UserDefined"


def test_patch_schedule_named_after_the_cache(redis, rg):
    _create(redis, rg, "cache")
    entries = [ScheduleEntry(day_of_week="Saturday", start_hour_utc=17, maintenance_window="PT5H")]
    redis.patch_schedules.create_or_update(rg, "cache", "default", RedisPatchSchedule(schedule_entries=entries))
    got = redis.patch_schedules.get(rg, "cache", "default")
    assert got.name == "cache/default" and got.location == "koreacentral"
    assert [(e.day_of_week, e.start_hour_utc, e.maintenance_window) for e in got.schedule_entries] == [("Saturday", 17, timedelta(hours=5))]
    redis.patch_schedules.delete(rg, "cache", "default")
    with pytest.raises(ResourceNotFoundError):
        redis.patch_schedules.get(rg, "cache", "default")


@pytest.mark.parametrize("properties, message", [
    (dict(redis_configuration=RedisCommonPropertiesRedisConfiguration(rdb_backup_enabled="true", aof_backup_enabled="true")),
     "RDB and AOF persistence cannot be enabled at the same time"),
    (dict(sku=Sku(name="Standard", family="C", capacity=1)), "shardCount is only supported for Premium caches"),
    (dict(redis_configuration=RedisCommonPropertiesRedisConfiguration(aof_backup_enabled="true")),
     r"\(InvalidRequestBody\) The value of the parameter "
     r"'properties\.redisConfiguration\.aof-storage-connection-string-0' is invalid\."),
    (dict(redis_configuration=RedisCommonPropertiesRedisConfiguration(rdb_backup_enabled="true")),
     r"\(InvalidRequestBody\) The value of the parameter "
     r"'properties\.redisConfiguration\.rdb-storage-connection-string' is invalid\."),
    (dict(sku=Sku(name="Premium", family="C", capacity=1)),
     r"Exception of type 'AzCacheRP\.Exceptions\.SkuFamilyNotSupportedException' was thrown\.\r\nRequestID="),
])
def test_create_refusals(redis, rg, properties, message):
    with pytest.raises(HttpResponseError, match=message):
        _create(redis, rg, "cache", **properties)


def test_update_refusals(redis, rg, sandbox):
    _create(redis, rg, "cache", zones=["1"])
    writes = sandbox.writes_count()
    with pytest.raises(HttpResponseError, match="Scaling from Premium to Standard is not supported"):
        redis.redis.begin_update(rg, "cache", RedisUpdateParameters(sku=Sku(name="Standard", family="C", capacity=1),
                                                                    shard_count=None)).result()
    with pytest.raises(HttpResponseError, match="zones of a cache cannot be changed"):
        redis.redis.begin_create(rg, "cache", RedisCreateParameters(location="koreacentral", zones=["2"],
                                                                    sku=Sku(name="Premium", family="P", capacity=2))).result()
    assert redis.redis.get(rg, "cache").sku.name == "Premium"
    assert sandbox.writes_count() == writes + 2  # refused writes are still requests


def test_geo_replication_link_both_ways_and_its_refusals(redis, rg):
    primary = _create(redis, rg, "cache-main")
    secondary = _create(redis, rg, "cache-dr", location="koreasouth")
    link = RedisLinkedServerCreateParameters(linked_redis_cache_id=secondary.id, linked_redis_cache_location="Korea South",
                                             server_role="Secondary")
    created = redis.linked_server.begin_create(rg, "cache-main", "cache-dr", link).result()
    assert created.geo_replicated_primary_host_name == "cache-dr.geo.redis.cache.windows.net"
    assert created.primary_host_name == "cache-main.redis.cache.windows.net"
    assert created.linked_redis_cache_location == "Korea South" and created.provisioning_state == "Succeeded"
    reverse = redis.linked_server.get(rg, "cache-dr", "cache-main")
    assert reverse.server_role == "Primary" and reverse.linked_redis_cache_id == primary.id
    assert [s.id for s in redis.redis.get(rg, "cache-main").linked_servers] == [created.id]

    with pytest.raises(HttpResponseError, match="Data persistence cannot be enabled on a geo-replicated cache"):
        redis.redis.begin_update(rg, "cache-main", RedisUpdateParameters(redis_configuration=RedisCommonPropertiesRedisConfiguration(
            aof_backup_enabled="true", aof_storage_connection_string0=CONNECTION))).result()
    with pytest.raises(HttpResponseError, match="remove the geo-replication link before deleting"):
        redis.redis.begin_delete(rg, "cache-dr").result()
    third = _create(redis, rg, "cache-third")
    with pytest.raises(HttpResponseError, match="since this cache is already linked to another cache") as refused:
        redis.linked_server.begin_create(rg, "cache-third", "cache-dr", RedisLinkedServerCreateParameters(
            linked_redis_cache_id=secondary.id, linked_redis_cache_location="koreasouth", server_role="Secondary")).result()
    assert refused.value.status_code == 400 and refused.value.error.code == "InvalidRequestBody"

    redis.linked_server.begin_delete(rg, "cache-main", "cache-dr").result()
    assert list(redis.linked_server.list(rg, "cache-dr")) == [] and redis.redis.get(rg, "cache-main").linked_servers == []
    redis.redis.begin_delete(rg, "cache-dr").result()
    assert third.name == "cache-third"


@pytest.mark.parametrize("change, message", [
    (dict(redis_configuration=RedisCommonPropertiesRedisConfiguration(rdb_backup_enabled="true",
                                                                      rdb_storage_connection_string=CONNECTION)),
     "Geo-replication is not supported with data persistence"),
    (dict(shard_count=3), "same shardCount"),
    (dict(sku=Sku(name="Premium", family="P", capacity=1)),
     "must be the same size as the primary cache or larger: 'cache-dr' is P1, 'cache-main' is P2"),
])
def test_link_refusals(redis, rg, change, message):
    _create(redis, rg, "cache-main")
    secondary = _create(redis, rg, "cache-dr", location="koreasouth", **change)
    with pytest.raises(HttpResponseError, match=message) as refused:
        redis.linked_server.begin_create(rg, "cache-main", "cache-dr", RedisLinkedServerCreateParameters(
            linked_redis_cache_id=secondary.id, linked_redis_cache_location="koreasouth", server_role="Secondary")).result()
    assert refused.value.status_code == 400 and refused.value.error.code == "BadRequest"
    assert redis.redis.get(rg, "cache-main").linked_servers == []


def test_a_larger_secondary_is_linked(redis, rg):
    """Microsoft Learn, passive geo-replication prerequisites: the secondary is the same size or a larger one."""
    _create(redis, rg, "cache-main")
    secondary = _create(redis, rg, "cache-dr", location="koreasouth", sku=Sku(name="Premium", family="P", capacity=3))
    link = redis.linked_server.begin_create(rg, "cache-main", "cache-dr", RedisLinkedServerCreateParameters(
        linked_redis_cache_id=secondary.id, linked_redis_cache_location="koreasouth", server_role="Secondary")).result()
    assert link.provisioning_state == "Succeeded" and link.server_role == "Secondary"
    assert redis.linked_server.get(rg, "cache-dr", "cache-main").server_role == "Primary"
    assert redis.redis.get(rg, "cache-dr").sku.capacity == 3


def _linked(redis, rg):
    _create(redis, rg, "cache-main")
    secondary = _create(redis, rg, "cache-dr", location="koreasouth")
    return redis.linked_server.begin_create(rg, "cache-main", "cache-dr", RedisLinkedServerCreateParameters(
        linked_redis_cache_id=secondary.id, linked_redis_cache_location="koreasouth", server_role="Secondary")).result()


def test_a_link_still_being_created_cannot_be_removed(redis, rg, sandbox):
    link = _linked(redis, rg)
    sandbox.drift(link.id, {"properties": {"provisioningState": "Creating"}})
    with pytest.raises(ResourceExistsError, match="is Creating; remove it once its operation has completed"):
        redis.linked_server.begin_delete(rg, "cache-main", "cache-dr").result()
    assert redis.linked_server.get(rg, "cache-main", "cache-dr").provisioning_state == "Creating"
    sandbox.drift(link.id, {"properties": {"provisioningState": "Succeeded"}})
    redis.linked_server.begin_delete(rg, "cache-main", "cache-dr").result()
    assert redis.redis.get(rg, "cache-dr").linked_servers == []


def test_a_failed_unlink_leaves_the_link_failed_and_both_caches_linked(redis, rg, sandbox):
    _linked(redis, rg)
    sandbox.fault("lro_failure", method="DELETE", path_contains="/linkedServers/cache-dr")
    with pytest.raises(HttpResponseError):
        redis.linked_server.begin_delete(rg, "cache-main", "cache-dr").result()
    assert redis.linked_server.get(rg, "cache-main", "cache-dr").provisioning_state == "Failed"
    assert redis.linked_server.get(rg, "cache-dr", "cache-main").server_role == "Primary"
    redis.linked_server.begin_delete(rg, "cache-main", "cache-dr").result()   # a failed link can be removed again
    assert redis.redis.get(rg, "cache-main").linked_servers == []


def test_geo_replication_metrics_are_served_with_their_names_and_units(redis, rg, sandbox, mgmt):
    from azure.mgmt.monitor import MonitorManagementClient  # pylint: disable=import-outside-toplevel
    _linked(redis, rg)
    secondary = redis.redis.get(rg, "cache-dr").id
    sandbox.seed_metric(secondary, "GeoReplicationConnectivityLag", [{"maximum": 3.0}, {"maximum": 7.0}])
    answer = mgmt(MonitorManagementClient).metrics.list(
        secondary, timespan="PT15M", interval="PT1M", metricnames="GeoReplicationHealthy,GeoReplicationConnectivityLag",
        aggregation="Minimum,Maximum")
    healthy, lag = answer.value
    assert (healthy.name.localized_value, healthy.unit) == ("Geo-replication Healthy", "Count")
    assert (lag.name.value, lag.unit) == ("GeoReplicationConnectivityLag", "Seconds")
    assert [p.maximum for p in lag.timeseries[0].data if p.maximum is not None] == [3.0, 7.0]
    assert not [p for p in healthy.timeseries[0].data if p.minimum is not None]   # nothing seeded: no values
