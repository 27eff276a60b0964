"""pytest fixtures: ``-p azure_sandbox.pytest_plugin``.

* ``sandbox_server`` (session): a sandbox subprocess on a free port in a temp
  dir, stopped at the end; returns its endpoints dict.
* ``sandbox`` (function): resets the state and returns a SandboxClient.
"""

import os
import subprocess
import sys
import time

import pytest

from .client import SandboxClient

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_server(state_dir: str, *extra: str, timeout: float = 30.0):
    """Start ``serve`` in a subprocess; return (process, endpoints dict)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_ROOT, env.get("PYTHONPATH")]))
    path = os.path.join(state_dir, "endpoints.json")
    if os.path.exists(path):
        os.unlink(path)
    log = open(os.path.join(state_dir, "sandbox.log"), "ab")
    proc = subprocess.Popen([sys.executable, "-m", "azure_sandbox", "serve", "--state-dir", state_dir, *extra],
                            stdout=log, stderr=log, env=env)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sandbox exited early; see {state_dir}/sandbox.log")
        if os.path.exists(path):
            client = SandboxClient(state_dir)
            if client.endpoints.get("pid") == proc.pid:
                return proc, client.endpoints
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("sandbox did not start in time")


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory):
    state_dir = str(tmp_path_factory.mktemp("azure-sandbox"))
    proc, endpoints = start_server(state_dir)
    yield endpoints
    stop_server(proc)


@pytest.fixture
def sandbox(sandbox_server):
    client = SandboxClient(sandbox_server)
    client.reset()
    return client
