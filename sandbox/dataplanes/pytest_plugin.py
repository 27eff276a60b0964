"""pytest fixtures: ``-p dataplanes.pytest_plugin`` (PYTHONPATH=sandbox).

* ``postgres_server`` (session): a ``servers.PostgresServer`` on 127.0.0.1
  (``.host``, ``.port``, ``.superuser``, ``.superuser_password``,
  ``.login()``, ``.connect()``, ``.can_login()``, ``.ca_file``: the CA of
  its TLS certificate for 127.0.0.1; plain TCP works too), stopped at the end.
* ``redis_server`` (session): a ``servers.RedisServer`` (``.host``,
  ``.port``, ``.default_passwords``, ``.admin_user``/``.admin_password``,
  ``.login()``, ``.client()``, ``.can_auth()``), stopped at the end.
* ``second_redis_server`` (session): another one, for the second cache of a
  geo-replicated pair (a server cannot replicate itself).

When the packages are not installed the tests using them are skipped with the
reason, unless ``PHONEBILL_REQUIRE_DATAPLANES=1`` (set by .ci/test) makes that
a failure. A server that is installed but fails to start always fails.
"""

import os

import pytest

from .servers import DataPlaneUnavailable, PostgresServer, RedisServer


def _required() -> bool:
    return os.environ.get("PHONEBILL_REQUIRE_DATAPLANES", "").strip().lower() not in ("", "0", "false", "no")


def _start(server_class):
    try:
        return server_class.start_new()
    except DataPlaneUnavailable as exc:
        reason = str(exc)
    if _required():
        pytest.fail(f"{reason} (PHONEBILL_REQUIRE_DATAPLANES=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server():
    server = _start(PostgresServer)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server():
    server = _start(RedisServer)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def second_redis_server():
    server = _start(RedisServer)
    yield server
    server.stop()
