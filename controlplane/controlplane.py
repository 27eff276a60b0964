#!/usr/bin/env python3
"""Local, real Kubernetes control plane for tests and offline runs.

Runs etcd, kube-apiserver, kube-controller-manager, kube-scheduler (all built
from upstream Go modules by ``controlplane/build.sh``) plus kwok, which fakes
the kubelets of AKS-shaped nodes so pods are scheduled for real and become
Running/Ready without containers.  The nodes are the node pools of the
inventory (``phonebill_aks.pools`` in inventories/prod/group_vars/all/aks.yml):
names, counts, VM sizes, modes, labels, taints and zones; only what AKS reports
per VM size (capacity, allocatable) is emulation data kept here.

Python 3.11, standard library plus PyYAML (an Ansible dependency, to read the
inventory); certificates are made with the openssl CLI.  CLI::

    python3 controlplane/controlplane.py start [--build] [--reset]
    python3 controlplane/controlplane.py status
    python3 controlplane/controlplane.py env      # eval "$(... env)"
    python3 controlplane/controlplane.py stop [--purge]

Importable API: ``start()``, ``stop()``, ``status()``, ``env()``,
``ensure_built()``, ``binaries_present()``, ``kubeconfig_path()``.

Environment:
    PHONEBILL_CACHE              cache root (default ~/.cache/phonebill)
    PHONEBILL_CONTROLPLANE_STATE state dir (default $PHONEBILL_CACHE/controlplane/run)
    PHONEBILL_CONTROLPLANE_BIN   binary dir (default $PHONEBILL_CACHE/controlplane/<k8s>/bin)
    PHONEBILL_K8S_VERSION        override the version pinned in build.sh
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import http.client
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD_SH = HERE / "build.sh"

# The Azure VNet is 10.0.0.0/16: neither service nor pod ranges may overlap it.
SERVICE_CIDR = "10.96.0.0/16"
SERVICE_APISERVER_IP = "10.96.0.1"
POD_CIDR = "10.244.0.1/16"  # kwok hands out fake pod IPs from here
CLUSTER_DOMAIN = "cluster.local"

COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")
BINARIES = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok")

# The inventory the node pools come from (one source of truth with the aks role).
INVENTORY = HERE.parent / "inventories" / "prod" / "group_vars" / "all"

# Emulation data: what AKS reports for a node of each VM size (capacity, and
# allocatable = capacity - kube-reserved - eviction threshold). Pods per node
# come from the inventory (phonebill_aks.network.max_pods).
VM_SIZES = {
    "Standard_D2s_v3": {
        "capacity": {"cpu": "2", "memory": "8129160Ki", "ephemeral-storage": "129886128Ki",
                     "hugepages-1Gi": "0", "hugepages-2Mi": "0"},
        "allocatable": {"cpu": "1900m", "memory": "6186596Ki",  # ~5.9Gi
                        "ephemeral-storage": "119703055367", "hugepages-1Gi": "0", "hugepages-2Mi": "0"},
    },
    "Standard_D4s_v3": {
        "capacity": {"cpu": "4", "memory": "16375568Ki", "ephemeral-storage": "129886128Ki",
                     "hugepages-1Gi": "0", "hugepages-2Mi": "0"},
        "allocatable": {"cpu": "3860m", "memory": "13212057Ki",  # ~12.6Gi
                        "ephemeral-storage": "119703055367", "hugepages-1Gi": "0", "hugepages-2Mi": "0"},
    },
}
# Pods per node when the inventory states none: AKS's default for the network plugin.
DEFAULT_MAX_PODS = {"overlay": 250, "azure": 30, "kubenet": 110}


class ControlPlaneError(RuntimeError):
    pass


# --------------------------------------------------------------------------- node pools (from the inventory)

def _read_inventory(inventory: Path, name: str) -> dict:
    import yaml  # PyYAML comes with Ansible; only the node layout needs it
    try:
        return yaml.safe_load((inventory / name).read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ControlPlaneError(f"cannot read the inventory {inventory / name}: {exc}") from exc


def _taint(text: str, where: str) -> dict:
    """An AKS taint string, key=value:Effect (or key:Effect), as a Kubernetes taint."""
    m = re.match(r"^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$", text)
    if not m:
        raise ControlPlaneError(f"{where}: {text!r} is not key=value:Effect")
    return {"key": m.group(1), "value": m.group(2) or "", "effect": m.group(3)}


def node_pools(inventory: str | os.PathLike = INVENTORY) -> dict:
    """The region, subnet and node pools of the inventory, as the emulated nodes need them."""
    inventory = Path(inventory)
    platform, aks, network = (_read_inventory(inventory, f) for f in ("platform.yml", "aks.yml", "network.yml"))
    cluster = aks["phonebill_aks"]
    subnet_name = cluster.get("subnet", "snet-application")
    subnet = next((s["address_prefix"] for s in network["phonebill_vnet"]["subnets"] if s["name"] == subnet_name), None)
    if subnet is None:
        raise ControlPlaneError(f"phonebill_aks.subnet: {subnet_name} is not a subnet of phonebill_vnet")
    plugin = cluster["network"].get("plugin_mode") or cluster["network"]["plugin"]
    max_pods = str(cluster["network"].get("max_pods") or DEFAULT_MAX_PODS.get(plugin, 110))
    pools = []
    for pool in cluster["pools"]:
        where = f"phonebill_aks.pools[{pool['name']}]"
        if pool["vm_size"] not in VM_SIZES:
            raise ControlPlaneError(f"{where}.vm_size: {pool['vm_size']} has no capacity/allocatable entry in "
                                    f"controlplane.py VM_SIZES; add what AKS reports for that size")
        size = VM_SIZES[pool["vm_size"]]
        pools.append({
            "name": pool["name"],
            "mode": pool["mode"].lower(),  # the kubernetes.azure.com/mode label is lower case
            "count": pool.get("count", pool.get("min_count", 1)),
            "vm_size": pool["vm_size"],
            "zones": [str(z) for z in pool.get("zones") or []],
            "labels": {k: str(v) for k, v in (pool.get("labels") or {}).items()},
            "taints": [_taint(t, f"{where}.taints") for t in pool.get("taints") or []],
            "capacity": dict(size["capacity"], pods=max_pods),
            "allocatable": dict(size["allocatable"], pods=max_pods),
            # AKS names a pool's scale set aks-<pool>-<8 digits>-vmss; stable per pool name
            "vmss_id": "%08d" % (int(hashlib.sha256(pool["name"].encode()).hexdigest(), 16) % 10**8),
        })
    return {"region": platform["phonebill_location"], "subnet": subnet, "pools": pools}


# --------------------------------------------------------------------------- paths

def cache_root() -> Path:
    return Path(os.environ.get("PHONEBILL_CACHE") or Path.home() / ".cache" / "phonebill")


def pinned_versions() -> dict[str, str]:
    """Versions pinned in build.sh (env overrides honoured, same as build.sh)."""
    text = BUILD_SH.read_text()
    out = {}
    for key in ("K8S_VERSION", "ETCD_VERSION", "KWOK_VERSION"):
        m = re.search(r'^%s="\$\{PHONEBILL_%s:-([^}]+)\}"' % (key, key), text, re.M)
        if not m:
            raise ControlPlaneError(f"cannot find {key} in {BUILD_SH}")
        out[key] = os.environ.get(f"PHONEBILL_{key}") or m.group(1)
    return out


def k8s_version() -> str:
    return pinned_versions()["K8S_VERSION"]


def bin_dir() -> Path:
    env = os.environ.get("PHONEBILL_CONTROLPLANE_BIN")
    if env:
        return Path(env)
    return cache_root() / "controlplane" / k8s_version() / "bin"


def state_dir(path: str | os.PathLike | None = None) -> Path:
    if path:
        return Path(path)
    env = os.environ.get("PHONEBILL_CONTROLPLANE_STATE")
    return Path(env) if env else cache_root() / "controlplane" / "run"


def kubeconfig_path(sdir: str | os.PathLike | None = None) -> Path:
    return state_dir(sdir) / "kubeconfig"


def binaries_present() -> bool:
    b = bin_dir()
    return all(os.access(b / name, os.X_OK) for name in BINARIES)


def missing_binaries() -> list[str]:
    b = bin_dir()
    return [n for n in BINARIES if not os.access(b / n, os.X_OK)]


def ensure_built(log=print) -> Path:
    """Run build.sh (idempotent, cheap when everything is built)."""
    if not binaries_present():
        log(f"[controlplane] building binaries into {bin_dir()} (cold build takes tens of minutes)")
    proc = subprocess.run(["bash", str(BUILD_SH)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise ControlPlaneError(f"build.sh failed (rc={proc.returncode}):\n{proc.stdout[-4000:]}")
    if not binaries_present():
        raise ControlPlaneError(f"build.sh succeeded but binaries missing: {missing_binaries()}")
    return bin_dir()


# --------------------------------------------------------------------------- helpers

def _log(msg: str) -> None:
    print(f"[controlplane {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _run(cmd: list[str], **kw) -> None:
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if proc.returncode != 0:
        raise ControlPlaneError(f"command failed: {' '.join(cmd)}\n{proc.stdout}")


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)


# --------------------------------------------------------------------------- PKI

def _openssl_cert(pki: Path, name: str, subj: str, ext: str, ca: bool = False, issuer: str = "ca") -> None:
    key, crt = pki / f"{name}.key", pki / f"{name}.crt"
    if key.exists() and crt.exists():
        return
    extfile = pki / f"{name}.ext"
    extfile.write_text(ext)
    serial = "0x" + os.urandom(8).hex()
    if ca:
        _run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
              "-nodes", "-keyout", str(key), "-out", str(crt), "-days", "3650", "-subj", subj,
              "-set_serial", serial, "-extensions", "v3_ca", "-config", str(extfile)])
    else:
        csr = pki / f"{name}.csr"
        _run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
              "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", subj])
        _run(["openssl", "x509", "-req", "-in", str(csr), "-CA", str(pki / f"{issuer}.crt"),
              "-CAkey", str(pki / f"{issuer}.key"), "-set_serial", serial, "-days", "3650",
              "-out", str(crt), "-extfile", str(extfile)])
        csr.unlink(missing_ok=True)
    extfile.unlink(missing_ok=True)
    key.chmod(0o600)


def ensure_pki(sdir: Path) -> Path:
    if not shutil.which("openssl"):
        raise ControlPlaneError("openssl CLI not found (needed to generate certificates)")
    pki = sdir / "pki"
    pki.mkdir(parents=True, exist_ok=True)
    _openssl_cert(pki, "ca", "/CN=phonebill-controlplane-ca",
                  "[req]\ndistinguished_name=dn\n[dn]\n[v3_ca]\n"
                  "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n"
                  "subjectKeyIdentifier=hash\n", ca=True)
    sans = ",".join([
        "DNS:localhost", "DNS:kubernetes", "DNS:kubernetes.default", "DNS:kubernetes.default.svc",
        f"DNS:kubernetes.default.svc.{CLUSTER_DOMAIN}", "IP:127.0.0.1", f"IP:{SERVICE_APISERVER_IP}",
    ])
    _openssl_cert(pki, "apiserver", "/CN=kube-apiserver",
                  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                  f"extendedKeyUsage=serverAuth\nsubjectAltName={sans}\n")
    client_ext = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
    _openssl_cert(pki, "admin", "/O=system:masters/CN=kubernetes-admin", client_ext)
    _openssl_cert(pki, "controller-manager", "/CN=system:kube-controller-manager", client_ext)
    _openssl_cert(pki, "scheduler", "/CN=system:kube-scheduler", client_ext)
    _openssl_cert(pki, "kwok", "/O=system:masters/CN=kwok-controller", client_ext)
    # front-proxy (requestheader) chain: lets aggregated APIs (e.g. a metrics
    # server) authenticate, and keeps components from logging a missing CA
    _openssl_cert(pki, "front-proxy-ca", "/CN=phonebill-front-proxy-ca",
                  "[req]\ndistinguished_name=dn\n[dn]\n[v3_ca]\n"
                  "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n"
                  "subjectKeyIdentifier=hash\n", ca=True)
    _openssl_cert(pki, "front-proxy-client", "/CN=front-proxy-client", client_ext, issuer="front-proxy-ca")
    if not (pki / "sa.key").exists():
        _run(["openssl", "genrsa", "-out", str(pki / "sa.key"), "2048"])
        _run(["openssl", "rsa", "-in", str(pki / "sa.key"), "-pubout", "-out", str(pki / "sa.pub")])
        (pki / "sa.key").chmod(0o600)
    return pki


def _kubeconfig(pki: Path, user: str, server: str) -> str:
    def b64(p: Path) -> str:
        return base64.b64encode(p.read_bytes()).decode()
    cfg = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "phonebill-local", "cluster": {
            "server": server, "certificate-authority-data": b64(pki / "ca.crt")}}],
        "users": [{"name": user, "user": {
            "client-certificate-data": b64(pki / f"{user}.crt"),
            "client-key-data": b64(pki / f"{user}.key")}}],
        "contexts": [{"name": "phonebill-local", "context": {"cluster": "phonebill-local", "user": user}}],
        "current-context": "phonebill-local",
        "preferences": {},
    }
    return json.dumps(cfg, indent=2) + "\n"  # JSON is valid YAML


def write_kubeconfigs(sdir: Path, pki: Path, apiserver_port: int) -> None:
    server = f"https://127.0.0.1:{apiserver_port}"
    for user, fname in (("admin", "kubeconfig"), ("controller-manager", "controller-manager.kubeconfig"),
                        ("scheduler", "scheduler.kubeconfig"), ("kwok", "kwok.kubeconfig")):
        path = sdir / fname
        path.write_text(_kubeconfig(pki, user, server))
        path.chmod(0o600)


# --------------------------------------------------------------------------- API access (stdlib)

class Api:
    """Minimal HTTPS client for the apiserver using the admin client cert."""

    def __init__(self, sdir: Path, port: int):
        pki = sdir / "pki"
        self.port = port
        self.ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
        self.ctx.load_cert_chain(str(pki / "admin.crt"), str(pki / "admin.key"))

    def request(self, method: str, path: str, body=None, content_type="application/json", timeout=10.0):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=timeout)
        try:
            data = None if body is None else (body if isinstance(body, (bytes, str)) else json.dumps(body))
            headers = {"Accept": "application/json"}
            if data is not None:
                headers["Content-Type"] = content_type
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = raw.decode(errors="replace")
            return resp.status, payload
        finally:
            conn.close()


def _https_ok(port: int, path: str, timeout: float = 2.0) -> bool:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=timeout)
        conn.request("GET", path)
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except (OSError, http.client.HTTPException):
        return False


def _http_ok(port: int, path: str, timeout: float = 2.0) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except (OSError, http.client.HTTPException):
        return False


# --------------------------------------------------------------------------- processes

def _pid_file(sdir: Path, name: str) -> Path:
    return sdir / "pids" / f"{name}.pid"


def _proc_alive(sdir: Path, name: str) -> int | None:
    """PID of component `name` if it is running (and really is our binary)."""
    try:
        pid = int(_pid_file(sdir, name).read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    if stat.rsplit(")", 1)[-1].split()[0] == "Z":  # zombie
        return None
    exe = os.path.basename(cmdline[0].decode(errors="replace")) if cmdline and cmdline[0] else ""
    # our processes all carry the state dir in their argv (data dir / kubeconfig / certs)
    if exe != name or str(sdir).encode() not in b"\0".join(cmdline):
        return None
    return pid


def _spawn(sdir: Path, name: str, args: list[str]) -> int:
    logs = sdir / "logs"
    logs.mkdir(exist_ok=True)
    (sdir / "pids").mkdir(exist_ok=True)
    exe = str(bin_dir() / name)
    logpath = logs / f"{name}.log"
    try:
        if logpath.stat().st_size > 20 * 2**20:  # keep one rotated copy
            logpath.replace(logpath.with_suffix(".log.1"))
    except FileNotFoundError:
        pass
    logf = open(logpath, "ab")
    logf.write(f"\n==== {time.strftime('%Y-%m-%dT%H:%M:%S')} starting {name}\n".encode())
    logf.flush()
    proc = subprocess.Popen([exe, *args], stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            cwd=str(sdir), start_new_session=True, close_fds=True)
    logf.close()
    _pid_file(sdir, name).write_text(f"{proc.pid}\n")
    # Popen returns once exec() is past the point of no return, but the kernel
    # fills /proc/<pid>/cmdline a moment later: wait for it so _proc_alive()
    # does not mistake a starting process for a dead one.
    deadline = time.monotonic() + 5
    while _proc_alive(sdir, name) is None and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return proc.pid


def _tail(sdir: Path, name: str, n: int = 40) -> str:
    try:
        return "\n".join((sdir / "logs" / f"{name}.log").read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def _wait(what: str, pred, timeout: float, sdir: Path | None = None, name: str | None = None,
          interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        if sdir is not None and name is not None and _proc_alive(sdir, name) is None:
            raise ControlPlaneError(f"{name} exited while waiting for {what}:\n{_tail(sdir, name)}")
        time.sleep(interval)
    extra = f"\n{_tail(sdir, name)}" if sdir is not None and name else ""
    raise ControlPlaneError(f"timed out after {timeout:.0f}s waiting for {what}{extra}")


def _reap(pid: int) -> None:
    """Collect the exit status if the process is our child (pytest session)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _terminate(sdir: Path, name: str, timeout: float = 15.0) -> bool:
    pid = _proc_alive(sdir, name)
    if pid is None:
        _pid_file(sdir, name).unlink(missing_ok=True)
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _proc_alive(sdir, name) is not None:
        _reap(pid)
        time.sleep(0.1)
    if _proc_alive(sdir, name) is not None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        time.sleep(0.2)
        _reap(pid)
    _pid_file(sdir, name).unlink(missing_ok=True)
    return True


# --------------------------------------------------------------------------- component args

def _etcd_args(sdir: Path, ports: dict) -> list[str]:
    client = f"http://127.0.0.1:{ports['etcd_client']}"
    peer = f"http://127.0.0.1:{ports['etcd_peer']}"
    return [
        "--name=phonebill", f"--data-dir={sdir / 'etcd'}",
        f"--listen-client-urls={client}", f"--advertise-client-urls={client}",
        f"--listen-peer-urls={peer}", f"--initial-advertise-peer-urls={peer}",
        f"--initial-cluster=phonebill={peer}", "--initial-cluster-state=new",
        "--unsafe-no-fsync",  # test cluster: durability is not a goal, speed is
        "--quota-backend-bytes=2147483648", "--log-level=warn",
        "--auto-compaction-mode=periodic", "--auto-compaction-retention=10m",
    ]


def _apiserver_args(sdir: Path, ports: dict) -> list[str]:
    pki = sdir / "pki"
    return [
        f"--etcd-servers=http://127.0.0.1:{ports['etcd_client']}",
        "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
        f"--secure-port={ports['apiserver']}",
        f"--tls-cert-file={pki / 'apiserver.crt'}", f"--tls-private-key-file={pki / 'apiserver.key'}",
        f"--client-ca-file={pki / 'ca.crt'}",
        f"--service-account-issuer=https://kubernetes.default.svc.{CLUSTER_DOMAIN}",
        f"--service-account-key-file={pki / 'sa.pub'}",
        f"--service-account-signing-key-file={pki / 'sa.key'}",
        f"--service-cluster-ip-range={SERVICE_CIDR}",
        "--authorization-mode=Node,RBAC",
        "--allow-privileged=true",
        f"--requestheader-client-ca-file={pki / 'front-proxy-ca.crt'}",
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        f"--proxy-client-cert-file={pki / 'front-proxy-client.crt'}",
        f"--proxy-client-key-file={pki / 'front-proxy-client.key'}",
        "--endpoint-reconciler-type=none",  # 127.0.0.1 is not a valid Endpoints address
        "--profiling=false",
        f"--cert-dir={pki}",
        "--v=0",
    ]


def _component_common(sdir: Path, kubeconfig: str, port: int) -> list[str]:
    kc = str(sdir / kubeconfig)
    return [
        f"--kubeconfig={kc}", f"--authentication-kubeconfig={kc}", f"--authorization-kubeconfig={kc}",
        "--bind-address=127.0.0.1", f"--secure-port={port}", "--leader-elect=false", "--v=0",
        f"--cert-dir={sdir / 'pki' / 'serving'}",
    ]


def _controller_manager_args(sdir: Path, ports: dict) -> list[str]:
    pki = sdir / "pki"
    return _component_common(sdir, "controller-manager.kubeconfig", ports["controller_manager"]) + [
        f"--service-account-private-key-file={pki / 'sa.key'}",
        f"--root-ca-file={pki / 'ca.crt'}",
        f"--cluster-signing-cert-file={pki / 'ca.crt'}",
        f"--cluster-signing-key-file={pki / 'ca.key'}",
        "--use-service-account-credentials=true",
        f"--service-cluster-ip-range={SERVICE_CIDR}",
        "--allocate-node-cidrs=false",
        "--controllers=*",
        "--horizontal-pod-autoscaler-sync-period=5s",
        "--cluster-name=phonebill-local",
    ]


def _scheduler_args(sdir: Path, ports: dict) -> list[str]:
    return _component_common(sdir, "scheduler.kubeconfig", ports["scheduler"])


def _kwok_args(sdir: Path, ports: dict) -> list[str]:
    cfg = sdir / "kwok.yaml"  # explicit (empty) config: never pick up ~/.kwok/kwok.yaml
    if not cfg.exists():
        cfg.write_text("apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n")
    return [
        f"--config={cfg}",
        f"--kubeconfig={sdir / 'kwok.kubeconfig'}",
        "--manage-all-nodes=true",
        f"--cidr={POD_CIDR}",
        "--node-ip=10.0.0.4",
        "--node-lease-duration-seconds=40",
        "--v=WARN",
        f"--server-address=127.0.0.1:{ports['kwok']}",
    ]


# --------------------------------------------------------------------------- nodes

def node_manifests(version: str | None = None, inventory: str | os.PathLike = INVENTORY) -> list[dict]:
    """The fake AKS nodes of the inventory's pools: zones round-robin, addresses from the AKS subnet."""
    version = version or k8s_version()
    layout = node_pools(inventory)
    region = layout["region"]
    # Azure keeps the first four addresses of a subnet; AKS nodes take the next ones in turn
    addresses = ipaddress.ip_network(layout["subnet"]).hosts()
    for _ in range(3):
        next(addresses)
    nodes = []
    for pool in layout["pools"]:
        for i in range(pool["count"]):
            name = f"aks-{pool['name']}-{pool['vmss_id']}-vmss{i:06d}"
            # AKS labels the nodes of a pool without zones with zone "0"
            zone = f"{region}-{pool['zones'][i % len(pool['zones'])]}" if pool["zones"] else "0"
            labels = {
                **pool["labels"],
                "agentpool": pool["name"],
                "kubernetes.azure.com/agentpool": pool["name"],
                "kubernetes.azure.com/mode": pool["mode"],
                "kubernetes.azure.com/role": "agent",
                "kubernetes.azure.com/cluster": f"MC_phonebill_local_{region}",
                "node.kubernetes.io/instance-type": pool["vm_size"],
                "beta.kubernetes.io/instance-type": pool["vm_size"],
                "topology.kubernetes.io/region": region,
                "topology.kubernetes.io/zone": zone,
                "failure-domain.beta.kubernetes.io/region": region,
                "failure-domain.beta.kubernetes.io/zone": zone,
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux",
                "beta.kubernetes.io/arch": "amd64",
                "kubernetes.io/role": "agent",
                "node-role.kubernetes.io/agent": "",
                "type": "kwok",
            }
            ip = str(next(addresses))
            nodes.append({
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {
                    "name": name,
                    "labels": labels,
                    "annotations": {
                        "kwok.x-k8s.io/node": "fake",
                        "node.alpha.kubernetes.io/ttl": "0",
                    },
                },
                "spec": {
                    "providerID": ("azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
                                   f"mc_phonebill_local_{region}/providers/Microsoft.Compute/"
                                   f"virtualMachineScaleSets/aks-{pool['name']}-{pool['vmss_id']}-vmss/"
                                   f"virtualMachines/{i}"),
                    "taints": [dict(t) for t in pool["taints"]],
                },
                "status": {
                    "capacity": dict(pool["capacity"]),
                    "allocatable": dict(pool["allocatable"]),
                    "addresses": [{"type": "InternalIP", "address": ip},
                                  {"type": "Hostname", "address": name}],
                    "nodeInfo": {
                        "architecture": "amd64",
                        "operatingSystem": "linux",
                        "osImage": "Ubuntu 22.04.5 LTS",
                        "kernelVersion": "5.15.0-1079-azure",
                        "containerRuntimeVersion": "containerd://1.7.27-1",
                        "kubeletVersion": version,
                        "kubeProxyVersion": "",
                        "machineID": "", "systemUUID": "", "bootID": "",
                    },
                },
            })
    return nodes


def ensure_nodes(api: Api) -> list[str]:
    """Create or refresh the nodes of the inventory's pools; delete fake nodes it no longer has (a pool resized)."""
    names = []
    for node in node_manifests():
        name = node["metadata"]["name"]
        names.append(name)
        code, body = api.request("POST", "/api/v1/nodes", node)
        if code == 409:  # exists: re-assert labels/taints/annotations (merge patch)
            patch = {"metadata": {"labels": node["metadata"]["labels"],
                                  "annotations": node["metadata"]["annotations"]},
                     "spec": {"taints": node["spec"]["taints"]}}
            code, body = api.request("PATCH", f"/api/v1/nodes/{name}", patch,
                                     content_type="application/merge-patch+json")
        if code not in (200, 201):
            raise ControlPlaneError(f"creating node {name}: HTTP {code}: {body}")
        # status on create may be dropped by the registry; assert it via the subresource
        st = {"status": {k: node["status"][k] for k in ("capacity", "allocatable", "addresses", "nodeInfo")}}
        code, body = api.request("PATCH", f"/api/v1/nodes/{name}/status", st,
                                 content_type="application/merge-patch+json")
        if code != 200:
            raise ControlPlaneError(f"patching node status {name}: HTTP {code}: {body}")
    code, body = api.request("GET", "/api/v1/nodes?labelSelector=type%3Dkwok")
    if code != 200:
        raise ControlPlaneError(f"listing nodes: HTTP {code}: {body}")
    for stale in {item["metadata"]["name"] for item in body.get("items", [])} - set(names):
        code, body = api.request("DELETE", f"/api/v1/nodes/{stale}")
        if code not in (200, 404):
            raise ControlPlaneError(f"deleting node {stale}, which the inventory no longer has: HTTP {code}: {body}")
    return names


def _leases_renewed(api: Api, names: list[str], since: float) -> bool:
    """True when kwok has renewed every node's Lease after `since` (epoch secs).

    On a warm start the Node objects in etcd still say Ready=True from the last
    run, so Ready alone does not prove that kwok is heart-beating again."""
    code, body = api.request("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases")
    if code != 200:
        return False
    renewed = set()
    for item in body.get("items", []):
        rt = (item.get("spec") or {}).get("renewTime")
        if not rt:
            continue
        ts = datetime.datetime.strptime(rt.rstrip("Z")[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(
            tzinfo=datetime.timezone.utc).timestamp()
        if ts >= since - 1.0:
            renewed.add(item["metadata"]["name"])
    return set(names) <= renewed


def _nodes_ready(api: Api, names: list[str], since: float | None = None) -> bool:
    if since is not None and not _leases_renewed(api, names, since):
        return False
    code, body = api.request("GET", "/api/v1/nodes")
    if code != 200:
        return False
    ready = set()
    for item in body.get("items", []):
        taints = item.get("spec", {}).get("taints") or []
        if any(t.get("key", "").startswith("node.kubernetes.io/not-ready") for t in taints):
            continue
        for c in item.get("status", {}).get("conditions") or []:
            if c.get("type") == "Ready" and c.get("status") == "True":
                ready.add(item["metadata"]["name"])
    return set(names) <= ready


# --------------------------------------------------------------------------- public API

def _choose_ports(sdir: Path, previous: dict) -> dict:
    ports = {}
    used: set[int] = set()
    for key in ("etcd_client", "etcd_peer", "apiserver", "controller_manager", "scheduler", "kwok"):
        p = previous.get(key)
        if not p or p in used or not _port_free(p):
            p = _free_port()
            while p in used:
                p = _free_port()
        used.add(p)
        ports[key] = p
    return ports


def status(sdir: str | os.PathLike | None = None) -> dict:
    sdir = state_dir(sdir)
    state = _read_json(sdir / "state.json")
    ports = state.get("ports", {})
    procs = {name: _proc_alive(sdir, name) for name in COMPONENTS}
    ready = bool(procs["kube-apiserver"] and ports.get("apiserver") and _https_ok(ports["apiserver"], "/readyz"))
    return {
        "state_dir": str(sdir),
        "kubeconfig": str(kubeconfig_path(sdir)),
        "bin_dir": str(bin_dir()),
        "versions": pinned_versions(),
        "ports": ports,
        "pids": procs,
        "running": all(procs.values()),
        "apiserver_ready": ready,
        "server": f"https://127.0.0.1:{ports['apiserver']}" if ports.get("apiserver") else None,
    }


def env(sdir: str | os.PathLike | None = None) -> dict[str, str]:
    return {
        "KUBECONFIG": str(kubeconfig_path(sdir)),
        "PATH": f"{bin_dir()}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def start(sdir: str | os.PathLike | None = None, build: bool = False, reset: bool = False,
          timeout: float = 180.0) -> dict:
    """Start (or reuse) the control plane; returns status() plus 'start_seconds'."""
    t0 = time.monotonic()
    sdir = state_dir(sdir)
    if reset:
        stop(sdir, purge=True)
    if build:
        ensure_built(log=_log)
    elif not binaries_present():
        raise ControlPlaneError(f"binaries missing in {bin_dir()}: {missing_binaries()} "
                                f"(run controlplane/build.sh or start --build)")
    sdir.mkdir(parents=True, exist_ok=True)
    (sdir / "pids").mkdir(exist_ok=True)
    state = _read_json(sdir / "state.json")

    alive = {name: _proc_alive(sdir, name) for name in COMPONENTS}
    if all(alive.values()) and state.get("ports") and _https_ok(state["ports"]["apiserver"], "/readyz"):
        _log(f"already running (apiserver https://127.0.0.1:{state['ports']['apiserver']})")
        st = status(sdir)
        st["start_seconds"] = round(time.monotonic() - t0, 2)
        st["reused"] = True
        return st

    # etcd or apiserver down -> restart the whole stack (ports/kubeconfig may change)
    if not (alive["etcd"] and alive["kube-apiserver"]):
        for name in reversed(COMPONENTS):
            _terminate(sdir, name)
        ports = _choose_ports(sdir, state.get("ports", {}))
    else:
        ports = state["ports"]
    state["ports"] = ports
    state["versions"] = pinned_versions()
    state["bin_dir"] = str(bin_dir())
    _write_json(sdir / "state.json", state)

    pki = ensure_pki(sdir)
    (pki / "serving").mkdir(exist_ok=True)
    write_kubeconfigs(sdir, pki, ports["apiserver"])

    if _proc_alive(sdir, "etcd") is None:
        _spawn(sdir, "etcd", _etcd_args(sdir, ports))
        _wait("etcd /health", lambda: _http_ok(ports["etcd_client"], "/health"), 60, sdir, "etcd")
    if _proc_alive(sdir, "kube-apiserver") is None:
        _spawn(sdir, "kube-apiserver", _apiserver_args(sdir, ports))
    _wait("kube-apiserver /readyz", lambda: _https_ok(ports["apiserver"], "/readyz"), timeout, sdir,
          "kube-apiserver", interval=0.25)
    t_api = time.monotonic()

    api = Api(sdir, ports["apiserver"])
    names = ensure_nodes(api)

    kwok_since = time.time()
    if _proc_alive(sdir, "kwok") is None:
        # Leases left by the previous kwok carry its random holder identity; a
        # new kwok would wait for them to expire (40s).  Drop them instead.
        for n in names:
            api.request("DELETE", f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{n}")
    for name, argf, port in (("kube-controller-manager", _controller_manager_args, "controller_manager"),
                             ("kube-scheduler", _scheduler_args, "scheduler"),
                             ("kwok", _kwok_args, "kwok")):
        if _proc_alive(sdir, name) is None:
            _spawn(sdir, name, argf(sdir, ports))
    _wait("kube-controller-manager /healthz", lambda: _https_ok(ports["controller_manager"], "/healthz"),
          timeout, sdir, "kube-controller-manager")
    _wait("kube-scheduler /healthz", lambda: _https_ok(ports["scheduler"], "/healthz"), timeout, sdir,
          "kube-scheduler")
    _wait(f"{len(names)} kwok nodes Ready", lambda: _nodes_ready(api, names, kwok_since), timeout, sdir, "kwok",
          interval=0.5)
    # pods in 'default' need the ServiceAccount created by the controller-manager
    _wait("default ServiceAccount", lambda: api.request(
        "GET", "/api/v1/namespaces/default/serviceaccounts/default")[0] == 200, timeout, sdir,
        "kube-controller-manager")

    elapsed = round(time.monotonic() - t0, 2)
    with open(sdir / "start-times.log", "a") as f:
        f.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} start {elapsed}s "
                f"(apiserver ready after {t_api - t0:.2f}s)\n")
    _log(f"control plane ready in {elapsed}s: KUBECONFIG={kubeconfig_path(sdir)}")
    st = status(sdir)
    st["start_seconds"] = elapsed
    st["reused"] = False
    return st


def stop(sdir: str | os.PathLike | None = None, purge: bool = False) -> list[str]:
    """Stop all components (reverse order). purge=True also deletes the state dir."""
    sdir = state_dir(sdir)
    stopped = [name for name in reversed(COMPONENTS) if _terminate(sdir, name)]
    if purge and sdir.exists():
        shutil.rmtree(sdir)
    return stopped


# --------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="controlplane.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--state-dir", default=None, help="default $PHONEBILL_CACHE/controlplane/run")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("start", help="start (or reuse) the control plane")
    p.add_argument("--build", action="store_true", help="run build.sh first (no-op when built)")
    p.add_argument("--reset", action="store_true", help="stop and wipe state (etcd data, certs) first")
    p.add_argument("--timeout", type=float, default=180.0)
    p = sub.add_parser("stop", help="stop all components")
    p.add_argument("--purge", action="store_true", help="also delete the state dir")
    sub.add_parser("status", help="print JSON status; exit 1 if not running")
    sub.add_parser("env", help="print shell exports (eval \"$(controlplane.py env)\")")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "start":
            st = start(args.state_dir, build=args.build, reset=args.reset, timeout=args.timeout)
            print(json.dumps(st, indent=2))
        elif args.cmd == "stop":
            stopped = stop(args.state_dir, purge=args.purge)
            print("stopped: " + (", ".join(stopped) if stopped else "(nothing running)"))
        elif args.cmd == "status":
            st = status(args.state_dir)
            print(json.dumps(st, indent=2))
            return 0 if st["running"] and st["apiserver_ready"] else 1
        elif args.cmd == "env":
            print(f"export KUBECONFIG={shlex_quote(str(kubeconfig_path(args.state_dir)))}")
            print(f"export PATH={shlex_quote(str(bin_dir()))}:\"$PATH\"")
    except ControlPlaneError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def shlex_quote(s: str) -> str:
    import shlex
    return shlex.quote(s)


if __name__ == "__main__":
    sys.exit(main())
