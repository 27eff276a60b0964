"""The load loop counts what a consumer would see: logins that work and logins that do not."""

from dataplanes.load_loop import LoadLoop
from dataplanes.servers import new_password


def run_for(loop: LoadLoop, attempts: int) -> dict:
    """At least ``attempts`` logins per target, however long they take on this machine."""
    loop.start()
    loop.wait_for_attempts(attempts)
    return loop.stop()


def app_role(postgres_server, password: str) -> str:
    name = "load_" + new_password()[:8].lower().replace("-", "_")
    conn = postgres_server.connect()
    try:
        conn.run(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    finally:
        conn.close()
    return name


def test_valid_credentials_count_attempts_and_no_failure(postgres_server, redis_server):
    loop = LoadLoop()
    loop.add_postgres("pg", postgres_server.host, postgres_server.port,
                      lambda: {"user": postgres_server.superuser, "password": postgres_server.superuser_password})
    loop.add_redis("redis", redis_server.host, redis_server.port,  # the admin login: bindings change the default user's
                   lambda: {"username": redis_server.admin_user, "password": redis_server.admin_password})
    report = run_for(loop, 3)
    assert report["pg"]["attempts"] >= 3 and report["redis"]["attempts"] >= 3
    assert report["pg"]["failures"] == 0 and report["redis"]["failures"] == 0
    assert report["pg"]["failure_details"] == [] and report["redis"]["failure_details"] == []


def test_a_wrong_password_is_an_authentication_failure_reported_without_the_value(postgres_server, redis_server):
    wrong = "wrong-" + new_password()
    loop = LoadLoop()
    loop.add_postgres("pg", postgres_server.host, postgres_server.port,
                      lambda: {"user": postgres_server.superuser, "password": wrong})
    loop.add_redis("redis", redis_server.host, redis_server.port, lambda: {"password": wrong})
    report = run_for(loop, 2)
    for name in ("pg", "redis"):
        assert report[name]["attempts"] >= 2
        assert report[name]["failures"] == report[name]["attempts"]
        assert {d["kind"] for d in report[name]["failure_details"]} == {"authentication"}
        assert wrong not in repr(report[name])


def test_the_credential_is_read_again_for_every_attempt(postgres_server):
    """A password changed on the server and in the source at once: failures only while they disagree."""
    old, new = new_password(), new_password()
    role = app_role(postgres_server, old)
    current = {"password": old}
    loop = LoadLoop(interval=0.01)
    loop.add_postgres("pg", postgres_server.host, postgres_server.port, lambda: {"user": role, **current})
    loop.start()
    loop.wait_for_attempts(2)
    current["password"] = "not-yet-" + new   # the source moves ahead of the server: those attempts fail
    loop.wait_for_attempts(2)
    conn = postgres_server.connect()
    conn.run(f"ALTER ROLE {role} PASSWORD '{new}'")
    conn.close()
    current["password"] = new
    loop.wait_for_attempts(2)  # an attempt in flight may still fail; the two after it read the new password
    report = loop.stop()["pg"]
    assert 0 < report["failures"] < report["attempts"]
    assert report["failure_details"][-1]["attempt"] < report["attempts"]  # the last attempts succeeded again
    assert new not in repr(report) and old not in repr(report)


def test_a_failing_credentials_callable_and_an_unreachable_server_are_failures(postgres_server, redis_server):
    def unreadable():
        raise RuntimeError("secret not found")

    loop = LoadLoop(timeout=1)
    loop.add_postgres("pg", postgres_server.host, postgres_server.port, unreadable)
    loop.add_redis("closed-port", redis_server.host, 1, lambda: {"password": "x" * 8})
    report = run_for(loop, 1)
    assert report["pg"]["failures"] == report["pg"]["attempts"] > 0
    assert report["pg"]["failure_details"][0]["kind"] == "credentials"
    assert report["closed-port"]["failures"] == report["closed-port"]["attempts"] > 0
    assert report["closed-port"]["failure_details"][0]["kind"] == "connection"
