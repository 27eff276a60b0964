"""pytest plugin: session fixture ``k8s_control_plane`` -> admin kubeconfig path.

Use with ``-p controlplane.pytest_plugin`` (run from the repo root).

Behaviour when the binaries are not built yet
(``$PHONEBILL_CACHE/controlplane/<k8s-version>/bin``):

* ``PHONEBILL_REQUIRE_K8S`` unset/0 -> the tests needing the fixture are
  *skipped* with the reason, unless ``PHONEBILL_K8S_BUILD=1`` asks to build.
* ``PHONEBILL_REQUIRE_K8S=1`` -> build.sh is run (cold build: tens of minutes);
  if building or starting fails the tests *fail* instead of skipping.

If the control plane was already running (``controlplane.py start``) it is
reused and left running; otherwise it is started for the session and stopped at
the end (set ``PHONEBILL_K8S_KEEP=1`` to keep it running for faster reruns).
"""

from __future__ import annotations

import os
import time

import pytest

from . import controlplane as cp


def pytest_configure(config):
    """Under pytest-xdist every worker runs a control plane of its own: with one shared, the first worker to
    finish would stop it under the others' tests."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        os.environ["PHONEBILL_CONTROLPLANE_STATE"] = f"{cp.state_dir()}-{worker}"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def k8s_control_plane():
    require = _flag("PHONEBILL_REQUIRE_K8S")
    if not cp.binaries_present():
        if not (require or _flag("PHONEBILL_K8S_BUILD")):
            pytest.skip(
                f"Kubernetes control-plane binaries not built (missing {', '.join(cp.missing_binaries())} "
                f"in {cp.bin_dir()}); run controlplane/build.sh, or set PHONEBILL_K8S_BUILD=1 to build "
                f"now, or PHONEBILL_REQUIRE_K8S=1 to make this a failure")
        try:
            cp.ensure_built()
        except cp.ControlPlaneError as exc:
            pytest.fail(f"building the control plane failed: {exc}", pytrace=False)

    before = cp.status()
    was_running = before["running"] and before["apiserver_ready"]
    t0 = time.monotonic()
    try:
        st = cp.start()
    except cp.ControlPlaneError as exc:
        # binaries exist, so a failure to start is always a real error
        pytest.fail(f"starting the control plane failed: {exc}", pytrace=False)
    print(f"\n[k8s_control_plane] {'reused' if st.get('reused') else 'started'} in "
          f"{time.monotonic() - t0:.1f}s, KUBECONFIG={st['kubeconfig']}")
    try:
        yield st["kubeconfig"]
    finally:
        if not was_running and not _flag("PHONEBILL_K8S_KEEP"):
            cp.stop()
