"""Throw-away PostgreSQL and Redis servers on 127.0.0.1 (Debian packages).

Each server gets its own directory under the system temp dir, a free port and
password authentication only (PostgreSQL: scram-sha-256 on 127.0.0.1, no Unix
socket login, TLS offered beside plain TCP with a certificate for 127.0.0.1
from a test CA in ``ca_file``, as Azure's servers offer it; Redis: ACL users, the ``default`` user holding two passwords at
once as Azure Cache for Redis holds two access keys). ``stop()`` kills the
server and removes its directory.

PostgreSQL refuses to run as root, so under root its commands run as the
``postgres`` system user (created by the Debian package) through ``runuser``.
"""

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time

LOOPBACK = "127.0.0.1"
POSTGRES_SERVICE_USER = "postgres"
POSTGRES_PACKAGES = "apt-get install postgresql (bookworm: PostgreSQL 15)"
REDIS_PACKAGES = "apt-get install redis-server"


class DataPlaneUnavailable(Exception):
    """The server cannot run here (binaries, user or Python library missing); says what to install."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def new_password() -> str:
    return secrets.token_urlsafe(24)


def wait_until(ready, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not become ready in {timeout:.0f}s")
        time.sleep(0.05)


# -- PostgreSQL -----------------------------------------------------------------------
def postgres_bin_dir() -> str | None:
    """The directory holding initdb, pg_ctl and postgres: PATH first, then the newest Debian cluster version."""
    candidates = []
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(os.path.dirname(os.path.realpath(initdb)))
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda path: int(path.split("/")[-2]) if path.split("/")[-2].isdigit() else 0,
                         reverse=True)
    for directory in candidates:
        if all(os.access(os.path.join(directory, name), os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return directory
    return None


def refused_login(exc: Exception) -> bool:
    """Whether a pg8000 error is the server refusing a login (invalid_password, invalid_authorization_specification)."""
    fields = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    return fields.get("C") in ("28P01", "28000")


def pg8000_module():
    try:
        import pg8000.native  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise DataPlaneUnavailable(f"the pg8000 Python library is missing ({exc}); pip install -r requirements.txt")
    return pg8000.native


class PostgresServer:
    """A running PostgreSQL cluster; ``superuser``/``superuser_password`` log in over TCP."""

    host = LOOPBACK
    superuser = "postgres"
    database = "postgres"

    def __init__(self, bin_dir: str, base_dir: str, port: int, superuser_password: str, run_as: str | None):
        self.bin_dir = bin_dir
        self.base_dir = base_dir
        self.data_dir = os.path.join(base_dir, "data")
        self.log_file = os.path.join(base_dir, "postgres.log")
        self.port = port
        self.superuser_password = superuser_password
        self.run_as = run_as
        self.ca_file = os.path.join(base_dir, "ca.pem")

    @classmethod
    def start_new(cls) -> "PostgresServer":
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise DataPlaneUnavailable(f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; {POSTGRES_PACKAGES}")
        pg8000_module()
        run_as = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(POSTGRES_SERVICE_USER)
            except KeyError:
                raise DataPlaneUnavailable(f"running as root and there is no '{POSTGRES_SERVICE_USER}' user to run "
                                           f"PostgreSQL as (initdb refuses root); {POSTGRES_PACKAGES} creates it")
            if shutil.which("runuser") is None:
                raise DataPlaneUnavailable("running as root and runuser (util-linux) is missing")
            run_as = POSTGRES_SERVICE_USER
        server = cls(bin_dir, tempfile.mkdtemp(prefix="phonebill-postgres-"), free_port(), new_password(), run_as)
        try:
            server._init_and_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _command(self, name: str, *args: str) -> list:
        argv = [os.path.join(self.bin_dir, name), *args]
        return ["runuser", "-u", self.run_as, "--", *argv] if self.run_as else argv

    def _run(self, name: str, *args: str) -> None:
        done = subprocess.run(self._command(name, *args), capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{name} failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")

    def _init_and_start(self) -> None:
        password_file = os.path.join(self.base_dir, "superuser-password")
        with open(password_file, "w", encoding="utf-8") as handle:
            handle.write(self.superuser_password + "\n")
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            for path in (self.base_dir, password_file):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        try:
            self._run("initdb", "-D", self.data_dir, "-U", self.superuser, "--pwfile", password_file,
                      "--auth", "scram-sha-256", "--encoding", "UTF8", "--no-locale")
        finally:
            os.unlink(password_file)
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a", encoding="utf-8") as conf:
            conf.write(f"\nlisten_addresses = '{LOOPBACK}'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.base_dir}'\n"
                       "password_encryption = 'scram-sha-256'\nmax_connections = 200\n"
                       # a test server: durability is not worth the disk time
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        self._certificate()
        with open(os.path.join(self.data_dir, "pg_hba.conf"), "w", encoding="utf-8") as hba:
            hba.write(f"host all all {LOOPBACK}/32 scram-sha-256\n")
        self._run("pg_ctl", "-D", self.data_dir, "-l", self.log_file, "-w", "-t", "60", "start")

    def _certificate(self) -> None:
        """A server certificate for 127.0.0.1 from a throw-away CA (clients verify with ``ca_file``)."""
        try:
            import trustme  # pylint: disable=import-outside-toplevel
        except ImportError as exc:
            raise DataPlaneUnavailable(f"the trustme Python library is missing ({exc}); pip install -r requirements-ci.txt")
        ca = trustme.CA(organization_name="phonebill data planes")
        issued = ca.issue_cert(LOOPBACK, "localhost")
        ca.cert_pem.write_to_path(self.ca_file)
        cert, key = os.path.join(self.data_dir, "server.crt"), os.path.join(self.data_dir, "server.key")
        issued.cert_chain_pems[0].write_to_path(cert)
        issued.private_key_pem.write_to_path(key)
        os.chmod(key, 0o600)  # postgres refuses a key others can read
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            for path in (cert, key):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a", encoding="utf-8") as conf:
            conf.write("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n")

    def stop(self) -> None:
        if os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            self._run("pg_ctl", "-D", self.data_dir, "-m", "fast", "-w", "-t", "60", "stop")
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def connect(self, user: str | None = None, password: str | None = None, database: str | None = None, timeout: float = 10):
        """A pg8000.native.Connection (the superuser's by default)."""
        return pg8000_module().Connection(user or self.superuser, host=self.host, port=self.port,
                                          database=database or self.database,
                                          password=self.superuser_password if user is None else password,
                                          timeout=timeout)

    def can_login(self, user: str, password: str, database: str | None = None) -> bool:
        """Whether ``user`` authenticates with ``password`` (a new connection, closed at once)."""
        native = pg8000_module()
        try:
            self.connect(user, password, database).close()
        except native.DatabaseError as exc:
            if refused_login(exc):
                return False
            raise
        return True

    def login(self) -> dict:
        """The superuser's connection settings (for the sandbox binding and the module's login_* options)."""
        return {"host": self.host, "port": self.port, "user": self.superuser,
                "password": self.superuser_password, "database": self.database}


# -- Redis ------------------------------------------------------------------------------
def redis_module():
    try:
        import redis  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise DataPlaneUnavailable(f"the redis Python library is missing ({exc}); pip install -r requirements-ci.txt")
    return redis


def redis_client(host: str, port: int, username: str, password: str, timeout: float = 5):
    """A client that tries once: redis-py retries failed commands (4 s for a wrong password) by default."""
    redis = redis_module()
    from redis.backoff import NoBackoff  # pylint: disable=import-outside-toplevel
    from redis.retry import Retry  # pylint: disable=import-outside-toplevel
    return redis.Redis(host=host, port=port, username=username, password=password, socket_timeout=timeout,
                       socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0))


class RedisServer:
    """A running redis-server with ACLs.

    ``default`` (the user Azure's access keys authenticate) has the two
    passwords ``default_passwords``; ``admin_user``/``admin_password`` is the
    separate administrative login the sandbox uses to change them.
    """

    host = LOOPBACK
    admin_user = "phonebill-admin"

    def __init__(self, binary: str, base_dir: str, port: int):
        self.binary = binary
        self.base_dir = base_dir
        self.port = port
        self.admin_password = new_password()
        self.default_passwords = (new_password(), new_password())
        self.process = None

    @classmethod
    def start_new(cls) -> "RedisServer":
        binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.access("/usr/bin/redis-server", os.X_OK) else None)
        if binary is None:
            raise DataPlaneUnavailable(f"redis-server not found; {REDIS_PACKAGES}")
        redis_module()
        server = cls(binary, tempfile.mkdtemp(prefix="phonebill-redis-"), free_port())
        try:
            server._start()
        except BaseException:
            server.stop()
            raise
        return server

    def _start(self) -> None:
        first, second = self.default_passwords
        conf = os.path.join(self.base_dir, "redis.conf")
        with open(conf, "w", encoding="utf-8") as handle:
            handle.write(f"bind {LOOPBACK}\nport {self.port}\ndir {self.base_dir}\nprotected-mode yes\n"
                         "daemonize no\nsave \"\"\nappendonly no\nlogfile redis.log\n"
                         f"user default on >{first} >{second} ~* &* +@all\n"
                         f"user {self.admin_user} on >{self.admin_password} ~* &* +@all\n")
        os.chmod(conf, 0o600)
        self.process = subprocess.Popen([self.binary, conf], cwd=self.base_dir,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited (code {self.process.returncode}); see {self.base_dir}/redis.log")
            try:
                return bool(self.admin_client().ping())
            except redis_module().exceptions.ConnectionError:
                return False

        wait_until(answers, 30, "redis-server")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def client(self, password: str, username: str = "default", timeout: float = 5):
        return redis_client(self.host, self.port, username, password, timeout)

    def admin_client(self):
        return self.client(self.admin_password, self.admin_user)

    def can_auth(self, password: str, username: str = "default") -> bool:
        """Whether ``password`` authenticates ``username`` (a new connection, closed at once)."""
        client = self.client(password, username)
        try:
            client.ping()
        except redis_module().exceptions.AuthenticationError:
            return False
        finally:
            client.close()
        return True

    def login(self) -> dict:
        """The administrative connection settings (for the sandbox binding)."""
        return {"host": self.host, "port": self.port, "username": self.admin_user, "password": self.admin_password}
