"""Real PostgreSQL and Redis servers on loopback, standing in for the data planes
of Azure Database for PostgreSQL and Azure Cache for Redis in the tests.

* ``servers``: start/stop a throw-away server (own data dir, free port, password auth).
* ``pytest_plugin``: session fixtures ``postgres_server`` and ``redis_server``.
* ``load_loop``: threads that keep authenticating while credentials rotate.
"""
