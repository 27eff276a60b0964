"""Command line: ``python -m azure_sandbox serve|start|stop|env --state-dir DIR``."""

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time


def _endpoints_path(state_dir: str) -> str:
    return os.path.join(os.path.abspath(state_dir), "endpoints.json")


def read_endpoints(state_dir: str) -> dict:
    with open(_endpoints_path(state_dir)) as f:
        return json.load(f)


def ansible_env(ep: dict) -> dict:
    """The azure.azcollection environment variables for this sandbox."""
    return {
        "AZURE_CLOUD_ENVIRONMENT": ep["metadata_url"],
        "AZURE_SUBSCRIPTION_ID": ep["subscription_id"],
        "AZURE_CLIENT_ID": ep["client_id"],
        "AZURE_SECRET": ep["client_secret"],
        "AZURE_TENANT": ep["tenant_id"],
        "REQUESTS_CA_BUNDLE": ep["ca_bundle"],
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cmd_serve(args) -> int:
    from .server import Sandbox

    path = _endpoints_path(args.state_dir)
    if os.path.exists(path):
        os.unlink(path)
    sandbox = Sandbox(args.state_dir, port=args.port, lro_scale=args.lro_scale, persist=args.persist)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    sandbox.write_endpoints()
    print(f"azure sandbox listening on {sandbox.base_url} (state {sandbox.state_dir})", flush=True)
    stop.wait()
    sandbox.shutdown()
    if os.path.exists(path):
        os.unlink(path)
    return 0


def cmd_start(args) -> int:
    os.makedirs(args.state_dir, exist_ok=True)
    path = _endpoints_path(args.state_dir)
    if os.path.exists(path):
        os.unlink(path)
    cmd = [sys.executable, "-m", "azure_sandbox", "serve", "--state-dir", args.state_dir, "--port", str(args.port)]
    if args.lro_scale is not None:
        cmd += ["--lro-scale", str(args.lro_scale)]
    if args.persist:
        cmd += ["--persist", args.persist]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.dirname(os.path.dirname(os.path.abspath(__file__))), env.get("PYTHONPATH")]))
    log = open(os.path.join(args.state_dir, "sandbox.log"), "ab")
    proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            print(f"sandbox exited with {proc.returncode}; see {args.state_dir}/sandbox.log", file=sys.stderr)
            return 1
        if os.path.exists(path):
            ep = read_endpoints(args.state_dir)
            if ep.get("pid") == proc.pid:
                print(path)
                return 0
        time.sleep(0.05)
    print("timed out waiting for the sandbox to listen", file=sys.stderr)
    proc.terminate()
    return 1


def cmd_stop(args) -> int:
    try:
        pid = read_endpoints(args.state_dir)["pid"]
    except (OSError, ValueError, KeyError):
        print("no running sandbox in that state dir", file=sys.stderr)
        return 0
    if _alive(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.time() + args.timeout
        while _alive(pid) and time.time() < deadline:
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    path = _endpoints_path(args.state_dir)
    if os.path.exists(path):
        os.unlink(path)
    return 0


def cmd_env(args) -> int:
    for key, value in ansible_env(read_endpoints(args.state_dir)).items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m azure_sandbox", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "start", "stop", "env"):
        p = sub.add_parser(name)
        p.add_argument("--state-dir", required=True)
        if name in ("serve", "start"):
            p.add_argument("--port", type=int, default=0)
            p.add_argument("--lro-scale", type=float, default=None, help="multiplier of simulated LRO durations (default 0.001)")
            p.add_argument("--persist", default=None, help="JSON file to load state from and save it to")
        if name in ("start", "stop"):
            p.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    return {"serve": cmd_serve, "start": cmd_start, "stop": cmd_stop, "env": cmd_env}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
