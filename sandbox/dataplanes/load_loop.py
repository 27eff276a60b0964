"""Continuous authentication against the data planes while credentials rotate.

Zero-downtime means a consumer that re-reads its credential at any moment can
log in. Each target gets a thread that, until ``stop()``, asks its credentials
callable for the current credential (e.g. "read the consumers' Kubernetes
Secret") and opens a NEW connection with it (a pooled connection would hide a
rejected password). Every attempt is counted; every attempt that does not end
authenticated is a failure, recorded with its kind and the server's message,
never with a credential value (values found in a message are masked).

    loop = LoadLoop()
    loop.add_postgres("orders-db", host, port, lambda: {"user": "app", "password": pw(), "database": "postgres"})
    loop.add_redis("cache", host, port, lambda: {"password": key()})
    loop.start()
    ...rotate...
    report = loop.stop()   # {"orders-db": {"attempts": 812, "failures": 0, "failure_details": []}, ...}
"""

import threading
import time

from .servers import pg8000_module, redis_client, redis_module, refused_login

MASK = "********"
MAX_DETAILS = 50  # per target; the count stays exact beyond it


def _masked(text: str, credentials: dict | None) -> str:
    for value in (credentials or {}).values():
        if isinstance(value, str) and len(value) >= 4:
            text = text.replace(value, MASK)
    return text


def _postgres_login(host: str, port: int, credentials: dict, timeout: float) -> None:
    native = pg8000_module()
    native.Connection(credentials["user"], host=host, port=port, password=credentials["password"],
                      database=credentials.get("database", "postgres"), timeout=timeout).close()


def _redis_login(host: str, port: int, credentials: dict, timeout: float) -> None:
    client = redis_client(host, port, credentials.get("username", "default"), credentials["password"], timeout)
    try:
        client.ping()
    finally:
        client.close()


def _is_authentication_error(exc: Exception) -> bool:
    return isinstance(exc, redis_module().exceptions.AuthenticationError) or refused_login(exc)


class _Target:
    def __init__(self, name: str, login, host: str, port: int, credentials, timeout: float):
        self.name = name
        self.login = login
        self.host = host
        self.port = port
        self.credentials = credentials
        self.timeout = timeout
        self.attempts = 0
        self.failures = 0
        self.details = []

    def attempt(self) -> None:
        self.attempts += 1
        credentials = None
        try:
            credentials = self.credentials()
            self.login(self.host, self.port, credentials, self.timeout)
        except Exception as exc:  # pylint: disable=broad-exception-caught  # every failed login counts
            if credentials is None:
                kind = "credentials"  # the callable itself failed: the consumer had nothing to log in with
            elif _is_authentication_error(exc):
                kind = "authentication"
            else:
                kind = "connection"
            self.failures += 1
            if len(self.details) < MAX_DETAILS:
                self.details.append({"attempt": self.attempts, "at": time.time(), "kind": kind,
                                     "error": _masked(f"{type(exc).__name__}: {exc}", credentials)})

    def report(self) -> dict:
        return {"attempts": self.attempts, "failures": self.failures, "failure_details": list(self.details)}


class LoadLoop:
    """One authenticating thread per target; ``stop()`` returns the counts per target."""

    def __init__(self, interval: float = 0.02, timeout: float = 5.0):
        self.interval = interval
        self.timeout = timeout
        self._targets = []
        self._threads = []
        self._stopping = threading.Event()

    def add_postgres(self, name: str, host: str, port: int, credentials) -> None:
        """``credentials()`` -> {"user", "password"[, "database"]}."""
        self._targets.append(_Target(name, _postgres_login, host, port, credentials, self.timeout))

    def add_redis(self, name: str, host: str, port: int, credentials) -> None:
        """``credentials()`` -> {"password"[, "username" (default: "default")]}."""
        self._targets.append(_Target(name, _redis_login, host, port, credentials, self.timeout))

    def _run(self, target: _Target) -> None:
        while not self._stopping.is_set():
            target.attempt()
            self._stopping.wait(self.interval)

    def start(self) -> "LoadLoop":
        if not self._targets:
            raise ValueError("LoadLoop.start: add a target first")
        self._stopping.clear()
        self._threads = [threading.Thread(target=self._run, args=(t,), name=f"load-loop-{t.name}", daemon=True)
                         for t in self._targets]
        for thread in self._threads:
            thread.start()
        return self

    def wait_for_attempts(self, more: int, timeout: float = 60.0) -> None:
        """Block until every target has made ``more`` attempts after this call: a test counts logins, not seconds,
        so a loaded machine (slow logins) makes it wait longer instead of fail."""
        wanted = [target.attempts + more for target in self._targets]
        deadline = time.monotonic() + timeout
        while any(target.attempts < count for target, count in zip(self._targets, wanted)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"LoadLoop: fewer than {more} attempts in {timeout}s: "
                                   f"{ {t.name: t.attempts for t in self._targets} }")
            time.sleep(0.01)

    def stop(self) -> dict:
        """Stop the threads (each finishes its attempt in flight) and return {target: report}."""
        self._stopping.set()
        for thread in self._threads:
            thread.join()
        return {target.name: target.report() for target in self._targets}

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
