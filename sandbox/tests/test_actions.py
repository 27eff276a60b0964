import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.containerservice import models as cm
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
from azure.mgmt.postgresqlflexibleservers import models as pm
from azure.mgmt.redis import RedisManagementClient
from azure.mgmt.redis.models import RedisCreateParameters, RedisRegenerateKeyParameters, Sku


def _cluster(aks, rg):
    return aks.managed_clusters.begin_create_or_update(rg, "aks", cm.ManagedCluster(
        location="koreacentral", dns_prefix="pb", kubernetes_version="1.31.10",
        agent_pool_profiles=[cm.ManagedClusterAgentPoolProfile(name="system", count=1, vm_size="Standard_D2s_v3", mode="System")])).result()


def test_aks_credentials_versions_and_upgrades(sandbox, mgmt, rg, tmp_path):
    aks = mgmt(ContainerServiceClient)
    _cluster(aks, rg)
    creds = aks.managed_clusters.list_cluster_user_credentials(rg, "aks")
    assert creds.kubeconfigs[0].name == "clusterUser"
    assert b"kind: Config" in bytes(creds.kubeconfigs[0].value)
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\n# local control plane\n")
    sandbox.config(aks_kubeconfig=str(kubeconfig))
    admin = aks.managed_clusters.list_cluster_admin_credentials(rg, "aks")
    assert b"# local control plane" in bytes(admin.kubeconfigs[0].value)

    versions = aks.managed_clusters.list_kubernetes_versions("koreacentral")
    assert [v.version for v in versions.values_property] == ["1.31", "1.32", "1.33"]
    profile = aks.managed_clusters.get_upgrade_profile(rg, "aks")
    assert [u.kubernetes_version for u in profile.control_plane_profile.upgrades] == ["1.32.6", "1.33.2"]

    before = aks.agent_pools.get(rg, "aks", "system").node_image_version
    latest = aks.agent_pools.get_upgrade_profile(rg, "aks", "system").latest_node_image_version
    pool = aks.agent_pools.begin_upgrade_node_image_version(rg, "aks", "system").result()
    after = aks.agent_pools.get(rg, "aks", "system").node_image_version
    assert after != before and after == latest
    assert pool is None or pool.node_image_version == after


def test_redis_keys(sandbox, mgmt, rg):
    sandbox.config(durations={"microsoft.cache/redis": 10})
    redis = mgmt(RedisManagementClient)
    redis.redis.begin_create(rg, "cache", RedisCreateParameters(location="koreacentral", sku=Sku(name="Premium", family="P", capacity=2))).result()
    keys = redis.redis.list_keys(rg, "cache")
    assert keys.primary_key and keys.secondary_key and keys.primary_key != keys.secondary_key
    regenerated = redis.redis.regenerate_key(rg, "cache", RedisRegenerateKeyParameters(key_type="Primary"))
    assert regenerated.primary_key != keys.primary_key and regenerated.secondary_key == keys.secondary_key
    assert sandbox.counters()["by_type"]["Microsoft.Cache/redis"]["writes"] == 2  # create + regenerate, listKeys is a read
    sandbox.hold(redis.redis.get(rg, "cache").id, "Scaling", seconds=30)
    with pytest.raises(HttpResponseError) as refused:   # Azure's answer while the cache scales or patches
        redis.redis.regenerate_key(rg, "cache", RedisRegenerateKeyParameters(key_type="Primary"))
    assert refused.value.status_code == 409 and "busy processing a previous update request" in str(refused.value)
    assert redis.redis.list_keys(rg, "cache").primary_key == regenerated.primary_key


def test_postgres_replica_restore_backups_firewall(sandbox, mgmt, rg):
    pg = mgmt(PostgreSQLManagementClient)
    props = pm.ServerProperties(administrator_login="pgadmin", administrator_login_password="S3cret!x", version="16",
                                high_availability=pm.HighAvailability(mode="ZoneRedundant"))
    primary = pg.servers.begin_create_or_update(rg, "pg-main", pm.Server(
        location="koreacentral", sku=pm.Sku(name="Standard_D4s_v3", tier="GeneralPurpose"), properties=props)).result()
    assert primary.high_availability.state == "Healthy"
    replica = pg.servers.begin_create_or_update(rg, "pg-replica", pm.Server(location="koreasouth", properties=pm.ServerProperties(
        create_mode="Replica", source_server_resource_id=primary.id))).result()
    assert replica.replication_role == "AsyncReplica" and replica.version == "16"
    assert [r.name for r in pg.replicas.list_by_server(rg, "pg-main")] == ["pg-replica"]
    restored = pg.servers.begin_create_or_update(rg, "pg-restored", pm.Server(location="koreacentral", properties=pm.ServerProperties(
        create_mode="PointInTimeRestore", source_server_resource_id=primary.id,
        point_in_time_utc=primary.backup.earliest_restore_date))).result()
    assert restored.state == "Ready"
    backups = list(pg.backups_automatic_and_on_demand.list_by_server(rg, "pg-main"))
    assert backups and backups[0].backup_type == "Full"
    rule = pg.firewall_rules.begin_create_or_update(rg, "pg-main", "aks-subnet", pm.FirewallRule(
        properties=pm.FirewallRuleProperties(start_ip_address="10.0.1.0", end_ip_address="10.0.1.255"))).result()
    assert rule.start_ip_address == "10.0.1.0"
