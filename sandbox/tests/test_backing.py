"""ARM credential changes reach the real servers bound to the resources (backing.py), as in Azure.

PostgreSQL: an administrator password change applies when its operation completes;
Redis: the access keys are the real passwords and a regeneration swaps one of them only.
"""

import pytest
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
from azure.mgmt.postgresqlflexibleservers import models as pm
from azure.mgmt.redis import RedisManagementClient
from azure.mgmt.redis.models import RedisCreateParameters, RedisRegenerateKeyParameters, Sku
from dataplanes.load_loop import LoadLoop
from dataplanes.servers import new_password

PG_TYPE = "microsoft.dbforpostgresql/flexibleservers"


def password() -> str:
    return "Pw-" + new_password()  # upper, lower, digit classes as Azure requires


@pytest.fixture
def pg(mgmt):
    return mgmt(PostgreSQLManagementClient)


@pytest.fixture
def admin_login():
    """A role name of its own per test: the real server lives for the whole session."""
    return "pgadmin_" + new_password()[:10].lower().replace("-", "x").replace("_", "x")


def server_id(sandbox, rg, name):
    return f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/{name}"


def create_server(pg, rg, name, login, secret):
    body = pm.Server(location="koreacentral", sku=pm.Sku(name="Standard_D2s_v3", tier="GeneralPurpose"),
                     properties=pm.ServerProperties(administrator_login=login, administrator_login_password=secret,
                                                    version="16"))
    return pg.servers.begin_create_or_update(rg, name, body).result()


def bind(sandbox, rid, postgres_server):
    return sandbox.bind_postgres(rid, **postgres_server.login())


def test_binding_creates_the_administrator_role_with_the_arm_password(sandbox, pg, rg, postgres_server, admin_login):
    first = password()
    create_server(pg, rg, "pg-bound", admin_login, first)
    assert not postgres_server.can_login(admin_login, first)
    bound = bind(sandbox, server_id(sandbox, rg, "pg-bound"), postgres_server)
    assert bound["kind"] == "postgres" and postgres_server.superuser_password not in str(sandbox.backings())
    assert postgres_server.can_login(admin_login, first)


def test_admin_password_change_applies_when_the_operation_completes(sandbox, pg, rg, postgres_server, admin_login):
    old, new = password(), password()
    bind(sandbox, server_id(sandbox, rg, "pg-rotate"), postgres_server)  # before the server exists
    create_server(pg, rg, "pg-rotate", admin_login, old)
    assert postgres_server.can_login(admin_login, old)
    sandbox.config(durations={PG_TYPE: 1500})  # x lro_scale 0.001: the update takes 1.5 s
    poller = pg.servers.begin_update(rg, "pg-rotate", pm.ServerForPatch(
        properties=pm.ServerPropertiesForPatch(administrator_login_password=new)))
    assert postgres_server.can_login(admin_login, old) and not postgres_server.can_login(admin_login, new)
    poller.result()
    assert postgres_server.can_login(admin_login, new) and not postgres_server.can_login(admin_login, old)


def test_a_put_with_a_new_password_changes_it_and_one_without_leaves_it(sandbox, pg, rg, postgres_server, admin_login):
    old, new = password(), password()
    bind(sandbox, server_id(sandbox, rg, "pg-put"), postgres_server)
    create_server(pg, rg, "pg-put", admin_login, old)
    create_server(pg, rg, "pg-put", admin_login, new)
    assert postgres_server.can_login(admin_login, new) and not postgres_server.can_login(admin_login, old)
    pg.servers.begin_update(rg, "pg-put", pm.ServerForPatch(tags={"owner": "billing"})).result()
    assert postgres_server.can_login(admin_login, new)


def test_binding_with_a_wrong_superuser_password_is_refused(sandbox, pg, rg, postgres_server, admin_login):
    create_server(pg, rg, "pg-wrong", admin_login, password())
    login = {**postgres_server.login(), "password": "not-the-password"}
    with pytest.raises(RuntimeError, match="502.*BackingUnavailable.*28P01"):
        sandbox.bind_postgres(server_id(sandbox, rg, "pg-wrong"), **login)
    assert sandbox.backings() == []


def test_binding_refuses_a_resource_of_another_type(sandbox, rg, postgres_server):
    rid = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Cache/redis/cache"
    with pytest.raises(RuntimeError, match="400.*InvalidBacking"):
        sandbox.bind_postgres(rid, **postgres_server.login())


# -- Redis ------------------------------------------------------------------------------------
@pytest.fixture
def redis(sandbox, mgmt):
    return mgmt(RedisManagementClient)


def create_cache(redis, rg, name):
    return redis.redis.begin_create(rg, name, RedisCreateParameters(
        location="koreacentral", sku=Sku(name="Standard", family="C", capacity=1))).result()


def test_access_keys_are_the_real_passwords_and_a_regeneration_keeps_the_other_key(sandbox, redis, rg, redis_server):
    cache = create_cache(redis, rg, "cache-bound")
    sandbox.bind_redis(cache.id, **redis_server.login())
    keys = redis.redis.list_keys(rg, "cache-bound")
    assert redis_server.can_auth(keys.primary_key) and redis_server.can_auth(keys.secondary_key)
    assert not any(redis_server.can_auth(p) for p in redis_server.default_passwords)  # binding replaced them

    loop = LoadLoop(interval=0.005)
    loop.add_redis("secondary", redis_server.host, redis_server.port, lambda: {"password": keys.secondary_key})
    loop.start()
    loop.wait_for_attempts(1)  # logins before and after the regeneration, however slow this machine is
    regenerated = redis.redis.regenerate_key(rg, "cache-bound", RedisRegenerateKeyParameters(key_type="Primary"))
    loop.wait_for_attempts(2)
    report = loop.stop()["secondary"]
    assert report["attempts"] > 0 and report["failures"] == 0
    assert regenerated.secondary_key == keys.secondary_key and regenerated.primary_key != keys.primary_key
    assert redis_server.can_auth(regenerated.primary_key) and not redis_server.can_auth(keys.primary_key)
    assert redis_server.can_auth(keys.secondary_key)
    assert redis.redis.list_keys(rg, "cache-bound").primary_key == regenerated.primary_key


def test_a_cache_created_after_binding_gets_its_keys_on_the_real_server(sandbox, redis, rg, redis_server):
    rid = f"/subscriptions/{sandbox.subscription_id}/resourceGroups/{rg}/providers/Microsoft.Cache/redis/cache-late"
    sandbox.bind_redis(rid, **redis_server.login())
    create_cache(redis, rg, "cache-late")
    keys = redis.redis.list_keys(rg, "cache-late")
    assert redis_server.can_auth(keys.primary_key) and redis_server.can_auth(keys.secondary_key)
    regenerated = redis.redis.regenerate_key(rg, "cache-late", RedisRegenerateKeyParameters(key_type="Secondary"))
    assert regenerated.primary_key == keys.primary_key
    assert redis_server.can_auth(regenerated.secondary_key) and not redis_server.can_auth(keys.secondary_key)


def test_a_regeneration_the_real_redis_refuses_changes_no_key(sandbox, redis, rg, redis_server):
    cache = create_cache(redis, rg, "cache-drift")
    sandbox.bind_redis(cache.id, **redis_server.login())
    keys = redis.redis.list_keys(rg, "cache-drift")
    admin = redis_server.admin_client()
    admin.execute_command("ACL", "SETUSER", "default", "<" + keys.primary_key)  # someone removed it on the server
    admin.close()
    with pytest.raises(Exception, match="InternalServerError") as caught:
        redis.redis.regenerate_key(rg, "cache-drift", RedisRegenerateKeyParameters(key_type="Primary"))
    assert keys.primary_key not in str(caught.value)
    assert redis.redis.list_keys(rg, "cache-drift").primary_key == keys.primary_key


def test_a_geo_secondary_replicates_and_refuses_writes_until_the_link_is_removed(sandbox, redis, rg, redis_server, second_redis_server):
    from azure.mgmt.redis.models import RedisLinkedServerCreateParameters  # pylint: disable=import-outside-toplevel
    import redis as redis_py  # pylint: disable=import-outside-toplevel
    premium = dict(sku=Sku(name="Premium", family="P", capacity=1))
    primary, secondary = (redis.redis.begin_create(rg, name, RedisCreateParameters(location="koreacentral", **premium)).result()
                          for name in ("cache-geo", "cache-geo-dr"))
    sandbox.bind_redis(primary.id, **redis_server.login())
    sandbox.bind_redis(secondary.id, **second_redis_server.login())
    main = redis_server.client(redis.redis.list_keys(rg, "cache-geo").primary_key)
    dr = second_redis_server.client(redis.redis.list_keys(rg, "cache-geo-dr").primary_key)
    main.set("bill:42", "33.00")
    redis.linked_server.begin_create(rg, "cache-geo", "cache-geo-dr", RedisLinkedServerCreateParameters(
        linked_redis_cache_id=secondary.id, linked_redis_cache_location="koreacentral", server_role="Secondary")).result()
    with pytest.raises(redis_py.exceptions.ReadOnlyError, match="read only replica"):
        dr.set("bill:43", "1.00")
    assert dr.info("replication")["role"] == "slave"
    redis.linked_server.begin_delete(rg, "cache-geo", "cache-geo-dr").result()
    assert dr.info("replication")["role"] == "master"
    assert dr.get("bill:42") == b"33.00"           # the primary's data, replicated before the link was Succeeded
    assert dr.set("bill:43", "1.00") and dr.get("bill:43") == b"1.00"
    dr.close()
    main.close()
