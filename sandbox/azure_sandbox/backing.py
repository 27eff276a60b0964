"""Real data planes behind ARM resources (control API ``POST /_sandbox/backing``).

Azure applies a credential change made through ARM to the service itself; the
sandbox does the same for a resource bound to a real server:

* ``Microsoft.DBforPostgreSQL/flexibleServers`` bound to a PostgreSQL server
  (its superuser login): when a PUT/PATCH operation on the server COMPLETES
  (the LRO's end, not its start: until then the old password keeps working,
  as in Azure), the role ``administratorLogin`` gets the body's
  ``administratorLoginPassword`` (created on first use, LOGIN CREATEROLE
  CREATEDB like Azure's administrator). Binding applies the current one.
* ``Microsoft.Cache/redis`` bound to a Redis server (an administrative ACL
  login): the ACL user ``default`` authenticates with exactly the two access
  keys ``listKeys`` returns. Binding (and every completed PUT) sets both;
  ``regenerateKey`` swaps only the regenerated one, in one ``ACL SETUSER``,
  so the other key authenticates throughout.
* A geo-replication link between two caches bound to different Redis
  servers: when the link completes, the secondary's server replicates the
  primary's (``REPLICAOF``, authenticating with the primary's administrative
  login), so it holds the primary's data and refuses writes with Redis's own
  ``READONLY`` error, as a linked geo-secondary does; when the link is
  removed, the secondary's server stops replicating (``REPLICAOF NO ONE``)
  and takes writes: the promoted, standalone cache.
* A point-in-time or geo restore of a bound server, when it completes, is
  bound to a copy of the source's database in the same real server
  (``CREATE DATABASE <source db>_<restored name> TEMPLATE <source db>``: the
  source's data and roles, as a restore has them); deleting the restored
  server drops that copy. PostgreSQL copies a template only while nobody else
  is connected to it: otherwise the restore fails, with PostgreSQL's message.

Bindings are state (cleared by reset); GET lists them without credentials.
"""

import time

from .messages import ApiError
from .util import get_path

POSTGRES_TYPE = "microsoft.dbforpostgresql/flexibleservers"
REDIS_TYPE = "microsoft.cache/redis"
REDIS_KEYS = ("primaryKey", "secondaryKey")
GEO_SYNC_SECONDS = 10
SETTINGS = {
    "postgres": (POSTGRES_TYPE, ("host", "port", "user", "password"), {"database": "postgres"}),
    "redis": (REDIS_TYPE, ("host", "port", "username", "password"), {}),
}


class BackingError(Exception):
    """The real server refused or could not be reached."""


def bindings(engine) -> dict:
    return engine.store.state.setdefault("backings", {})


def describe(rid: str, binding: dict) -> dict:
    found = {"id": rid, "kind": binding["kind"], "host": binding["login"]["host"], "port": binding["login"]["port"]}
    if binding["kind"] == "postgres":
        found["database"] = binding["login"].get("database")
    if binding.get("restored_from"):
        found["restored_from"] = binding["restored_from"]
    return found


def listing(engine) -> list:
    return [describe(b["id"], b) for b in bindings(engine).values()]


def bind(engine, body: dict) -> dict:
    """Bind ``body['id']`` to the server in ``body['postgres']`` or ``body['redis']`` and apply its credentials now."""
    rid = body.get("id")
    kinds = [kind for kind in SETTINGS if kind in body]
    if not rid or len(kinds) != 1:
        raise ApiError(400, "InvalidBacking", "Give 'id' and one of 'postgres' or 'redis' with the server's login.")
    kind = kinds[0]
    type_name, required, defaults = SETTINGS[kind]
    login = {**defaults, **(body[kind] or {})}
    missing = [key for key in required if login.get(key) in (None, "")]
    if missing:
        raise ApiError(400, "InvalidBacking", f"'{kind}' needs {', '.join(missing)}.")
    t = engine.parse(rid)
    if t.rt is None or t.rt.type.lower() != type_name:
        raise ApiError(400, "InvalidBacking", f"A '{kind}' server backs {type_name} resources, not '{rid}'.")
    binding = {"id": t.rid, "kind": kind, "login": login}
    rec = engine.store.get(t.rid)
    try:
        if kind == "redis":
            _redis_set_both(login, engine.ensure_keys(t.rid, REDIS_KEYS))
        elif rec is not None:
            _postgres_apply(login, rec["body"])
    except BackingError as exc:
        raise ApiError(502, "BackingUnavailable", str(exc))
    bindings(engine)[t.rid.lower()] = binding
    engine.store.mark_dirty()
    return describe(t.rid, binding)


def operation_completed(engine, rec: dict) -> None:
    """A create/update on ``rec`` finished: make the real server hold its credentials (BackingError if it cannot)."""
    binding = bindings(engine).get(rec["id"].lower()) or _restored_binding(engine, rec)
    if binding is None:
        return
    if binding["kind"] == "postgres":
        _postgres_apply(binding["login"], rec["body"])
    else:
        _redis_set_both(binding["login"], engine.ensure_keys(rec["id"], REDIS_KEYS))


def resource_deleted(engine, rec: dict) -> None:
    """``rec`` is gone: forget its binding, and drop the database copy a restore made for it."""
    binding = bindings(engine).pop(rec["id"].lower(), None)
    if binding is None:
        return
    engine.store.mark_dirty()
    if binding.get("restored_from"):
        login = binding["login"]
        _postgres_run({**login, "database": binding["source_database"]},
                      lambda conn, native: conn.run("DROP DATABASE IF EXISTS %s WITH (FORCE)" % native.identifier(login["database"])),
                      f"dropping the restored copy '{login['database']}'")


def failed_over(engine, rid: str) -> None:
    """An HA failover of ``rid`` finished: the sessions on the old primary end, as in Azure; clients connect again
    to the same host name, now served by the new primary (the same real server here)."""
    binding = bindings(engine).get(rid.lower())
    if binding is None or binding["kind"] != "postgres":
        return
    database = binding["login"].get("database") or "postgres"
    _postgres_run(binding["login"], lambda conn, native: conn.run(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :database AND pid <> pg_backend_pid()",
        database=database), f"ending the sessions on '{database}'")


def _restored_binding(engine, rec: dict) -> dict | None:
    """A finished restore of a bound PostgreSQL server: a copy of the source's database, bound to ``rec``."""
    mode = str(get_path(rec["body"], "properties.createMode", "")).lower()
    source = str(get_path(rec["body"], "properties.sourceServerResourceId", "")).lower()
    origin = bindings(engine).get(source)
    if mode not in ("pointintimerestore", "georestore") or origin is None or origin["kind"] != "postgres":
        return None
    source_db = origin["login"].get("database") or "postgres"
    copy = f"{source_db}_{rec['body']['name']}".replace("-", "_").lower()[:63]
    _postgres_run(origin["login"], lambda conn, native: (
        conn.run("DROP DATABASE IF EXISTS %s WITH (FORCE)" % native.identifier(copy)),
        conn.run("CREATE DATABASE %s TEMPLATE %s" % (native.identifier(copy), native.identifier(source_db)))),
        f"restoring database '{source_db}' as '{copy}'")
    binding = {"id": rec["id"], "kind": "postgres", "login": {**origin["login"], "database": copy},
               "restored_from": origin["id"], "source_database": source_db}
    bindings(engine)[rec["id"].lower()] = binding
    engine.store.mark_dirty()
    return binding


def regenerate_redis_key(engine, rid: str, keys: dict, name: str, new: str) -> None:
    """Replace key ``name`` by ``new`` on the bound Redis (if any), keeping the other key."""
    binding = bindings(engine).get(rid.lower())
    if binding is None:
        return
    try:
        _redis_acl(binding["login"], "ACL", "SETUSER", "default", "<" + keys[name], ">" + new)
    except BackingError as exc:
        raise ApiError(500, "InternalServerError", f"Regenerating the {name} failed: {exc}")


def geo_link(engine, primary_id: str, secondary_id: str) -> None:
    """A geo-replication link completed: the secondary's real server replicates the primary's (BackingError if it cannot)."""
    primary, secondary = (bindings(engine).get(str(rid).lower()) for rid in (primary_id, secondary_id))
    if not primary or not secondary or primary["kind"] != "redis" or secondary["kind"] != "redis":
        return
    source, replica = primary["login"], secondary["login"]
    if (str(source["host"]), int(source["port"])) == (str(replica["host"]), int(replica["port"])):
        return  # one real server cannot replicate itself: both caches keep sharing it
    _redis_acl(replica, "CONFIG", "SET", "masteruser", source["username"])
    _redis_acl(replica, "CONFIG", "SET", "masterauth", source["password"])
    _redis_acl(replica, "REPLICAOF", str(source["host"]), str(source["port"]))
    # Azure copies the primary's data before the link is Succeeded: wait for the first sync, as briefly as it takes
    deadline = time.monotonic() + GEO_SYNC_SECONDS
    while (_redis_acl(replica, "INFO", "replication") or {}).get("master_link_status") != "up":  # redis-py parses INFO
        if time.monotonic() > deadline:
            raise BackingError(f"Redis at {replica['host']}:{replica['port']} did not sync from "
                               f"{source['host']}:{source['port']} within {GEO_SYNC_SECONDS} s")
        time.sleep(0.05)


def geo_unlink(engine, cache_ids) -> None:
    """A geo-replication link is gone: the caches' real servers stop replicating and take writes again."""
    for rid in cache_ids:
        binding = bindings(engine).get(str(rid).lower())
        if binding and binding["kind"] == "redis":
            _redis_acl(binding["login"], "REPLICAOF", "NO", "ONE")


# -- PostgreSQL -------------------------------------------------------------------------
def _postgres_apply(login: dict, body: dict) -> None:
    admin = get_path(body, "properties.administratorLogin")
    password = get_path(body, "properties.administratorLoginPassword")
    if not admin or password is None:
        return  # nothing to apply (Entra-only server, or an update that did not send a password)
    try:
        import pg8000.native as native  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise BackingError(f"the pg8000 library is missing ({exc})")
    try:
        conn = native.Connection(login["user"], host=login["host"], port=int(login["port"]), password=login["password"],
                                 database=login.get("database") or "postgres", timeout=10)
    except (native.InterfaceError, native.DatabaseError, OSError) as exc:
        raise BackingError(f"cannot log in to PostgreSQL at {login['host']}:{login['port']}: {_pg_message(exc)}")
    try:
        exists = conn.run("SELECT 1 FROM pg_roles WHERE rolname = :name", name=admin)
        verb = "ALTER ROLE %s WITH LOGIN PASSWORD %s" if exists else "CREATE ROLE %s WITH LOGIN CREATEROLE CREATEDB PASSWORD %s"
        conn.run(verb % (native.identifier(admin), native.literal(str(password))))
    except native.DatabaseError as exc:
        raise BackingError(f"setting the password of role '{admin}' failed: {_pg_message(exc)}")
    finally:
        conn.close()


def _postgres_run(login: dict, work, what: str) -> None:
    """``work(connection, pg8000.native)`` as the bound superuser, in the ``postgres`` database (BackingError on failure)."""
    try:
        import pg8000.native as native  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise BackingError(f"the pg8000 library is missing ({exc})")
    try:
        conn = native.Connection(login["user"], host=login["host"], port=int(login["port"]), password=login["password"],
                                 database="postgres", timeout=30)
    except (native.InterfaceError, native.DatabaseError, OSError) as exc:
        raise BackingError(f"cannot log in to PostgreSQL at {login['host']}:{login['port']}: {_pg_message(exc)}")
    try:
        work(conn, native)
    except native.DatabaseError as exc:
        raise BackingError(f"{what} failed: {_pg_message(exc)}")
    finally:
        conn.close()


def _pg_message(exc: Exception) -> str:
    fields = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else None
    return f"{fields.get('C')} {fields.get('M')}" if fields else str(exc)


# -- Redis ----------------------------------------------------------------------------------
def _redis_set_both(login: dict, keys: dict) -> None:
    _redis_acl(login, "ACL", "SETUSER", "default", "on", "resetpass",
               *(">" + keys[name] for name in REDIS_KEYS), "~*", "&*", "+@all")


def _redis_acl(login: dict, *command: str):
    try:
        import redis  # pylint: disable=import-outside-toplevel
        from redis.backoff import NoBackoff  # pylint: disable=import-outside-toplevel
        from redis.retry import Retry  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise BackingError(f"the redis library is missing ({exc})")
    client = redis.Redis(host=login["host"], port=int(login["port"]), username=login["username"],
                         password=login["password"], socket_timeout=10, socket_connect_timeout=10,
                         retry=Retry(NoBackoff(), 0))
    try:
        return client.execute_command(*command)
    except redis.exceptions.RedisError as exc:
        message = str(exc)
        for rule in command:
            if rule[:1] in "<>" and len(rule) > 1:  # a password rule: Redis may quote it back
                message = message.replace(rule[1:], "********")
        raise BackingError(f"Redis at {login['host']}:{login['port']}: {type(exc).__name__}: {message}")
    finally:
        client.close()
