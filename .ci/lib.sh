# Shared by .ci/run and .ci/test (sourced, not run).
#
# Locations:
#   PHONEBILL_CACHE          stable cache root (default ~/.cache/phonebill, taken from
#                            the caller's HOME before .ci changes HOME)
#   $PHONEBILL_CACHE/venv           tools: requirements.txt + requirements-ci.txt
#   $PHONEBILL_CACHE/venv-importer  galaxy-importer (its pins conflict with ours)
#   $PHONEBILL_CACHE/pip            pip's download/wheel cache, also behind the
#                                   temporary HOME's ~/.cache/pip
# shellcheck shell=bash

CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$CI_DIR/.." && pwd)"

export PHONEBILL_CACHE="${PHONEBILL_CACHE:-$HOME/.cache/phonebill}"
PHONEBILL_VENV="${PHONEBILL_VENV:-$PHONEBILL_CACHE/venv}"
PHONEBILL_IMPORTER_VENV="${PHONEBILL_IMPORTER_VENV:-$PHONEBILL_CACHE/venv-importer}"
PHONEBILL_PYTHON_VERSION=3.11
# The awx.awx collection (its modules' argument specs check awx/controller.yml):
# taken from the `ansible` package on PyPI, which ships it (no Galaxy here).
PHONEBILL_AWX_SOURCE='ansible>=12,<13'
export PHONEBILL_AWX_COLLECTIONS="${PHONEBILL_AWX_COLLECTIONS:-$PHONEBILL_CACHE/awx-collections}"
export PHONEBILL_VENV PHONEBILL_IMPORTER_VENV PHONEBILL_PYTHON_VERSION

log() { printf '%s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Key of the tools venv: changes whenever requirements.txt, requirements-ci.txt,
# the Python version or the way .ci builds the venv changes.
venv_key() {
    {
        echo "python $PHONEBILL_PYTHON_VERSION venv-layout 1"
        cat "$REPO/requirements.txt" "$REPO/requirements-ci.txt"
    } | sha256sum | cut -d' ' -f1
}

importer_venv_key() {
    echo "python $PHONEBILL_PYTHON_VERSION galaxy-importer 1" | sha256sum | cut -d' ' -f1
}

awx_collection_key() {
    echo "awx.awx from $PHONEBILL_AWX_SOURCE 1" | sha256sum | cut -d' ' -f1
}

awx_collection_is_current() {
    [[ -f "$PHONEBILL_AWX_COLLECTIONS/ansible_collections/awx/awx/MANIFEST.json" &&
        "$(cat "$PHONEBILL_AWX_COLLECTIONS/.phonebill-key" 2>/dev/null)" == "$(awx_collection_key)" ]]
}

venv_is_current() {  # venv_is_current DIR KEY
    [[ -x "$1/bin/python" && -f "$1/.phonebill-key" && "$(cat "$1/.phonebill-key")" == "$2" ]]
}

# Give this run its own HOME and ANSIBLE_HOME, so concurrent runs (and the
# developer's own ~/.ansible) do not collide. pip's cache stays shared and
# stable: PIP_CACHE_DIR for our pip calls, and a ~/.cache/pip link for the pip
# calls ansible-test makes (it passes HOME, not PIP_*, to them).
isolate_home() {
    if [[ -n "${PHONEBILL_CI_HOME:-}" && "$HOME" == "$PHONEBILL_CI_HOME" ]]; then
        return
    fi
    mkdir -p "$PHONEBILL_CACHE/pip"
    PHONEBILL_CI_HOME="$(mktemp -d "${TMPDIR:-/tmp}/phonebill-ci-home.XXXXXX")"
    export PHONEBILL_CI_HOME
    export HOME="$PHONEBILL_CI_HOME"
    export ANSIBLE_HOME="$HOME/.ansible"
    export PIP_CACHE_DIR="$PHONEBILL_CACHE/pip"
    mkdir -p "$HOME/.cache" "$ANSIBLE_HOME"
    ln -s "$PHONEBILL_CACHE/pip" "$HOME/.cache/pip"
    # git wants an identity for anything that commits; never read the user's.
    export GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
    log "HOME=$HOME (temporary), PHONEBILL_CACHE=$PHONEBILL_CACHE"
}

cleanup_home() {
    if [[ -n "${PHONEBILL_CI_HOME:-}" && -d "$PHONEBILL_CI_HOME" && "${PHONEBILL_KEEP_HOME:-0}" != 1 ]]; then
        rm -rf "$PHONEBILL_CI_HOME"
    fi
}

now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() {  # elapsed START -> seconds with one decimal
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# The control plane's build (controlplane/build.sh: about 7 minutes cold on 2
# cores, a no-op warm) needs only Go, so it starts first, in the background:
# .ci/run starts it before building the venvs, .ci/test when run on its own.
# Its output goes to LOGS/controlplane-build.log and, once it ends, its exit
# status to LOGS/controlplane-build.rc (the pipeline's stages are other processes
# and cannot `wait` for it).
#   controlplane_build_start LOGS
controlplane_build_start() {
    local logs="$1"
    mkdir -p "$logs"
    rm -f "$logs/controlplane-build.rc"
    (
        rc=0
        bash "$REPO/controlplane/build.sh" >"$logs/controlplane-build.log" 2>&1 || rc=$?
        echo "$rc" >"$logs/controlplane-build.rc"
    ) &
    export PHONEBILL_CONTROLPLANE_BUILD_PID=$!
}

# The local stand-ins for Azure and AKS, wired together: the sandbox's AKS
# credential action hands out the control plane's kubeconfig, so playbooks
# reach the cluster the way they reach AKS. Exports the sandbox's AZURE_* and
# REQUESTS_CA_BUNDLE. State lives in STATE/sandbox and STATE/controlplane;
# extra arguments go to `controlplane.py start` (e.g. --build --reset).
#   start_local_platform STATE [controlplane start options]
#   stop_local_platform STATE
start_local_platform() {
    local state="$1" py="$PHONEBILL_VENV/bin/python"
    shift
    export PYTHONPATH="$REPO/sandbox${PYTHONPATH:+:$PYTHONPATH}"
    "$py" -m azure_sandbox start --state-dir "$state/sandbox" >/dev/null
    "$py" "$REPO/controlplane/controlplane.py" --state-dir "$state/controlplane" start "$@" >/dev/null
    eval "$("$py" -m azure_sandbox env --state-dir "$state/sandbox")"
    "$py" -c "import sys; from azure_sandbox.client import SandboxClient; SandboxClient(sys.argv[1]).config(aks_kubeconfig=sys.argv[2])" \
        "$state/sandbox" "$state/controlplane/kubeconfig"
}

stop_local_platform() {
    local state="$1" py="$PHONEBILL_VENV/bin/python"
    "$py" -m azure_sandbox stop --state-dir "$state/sandbox" >/dev/null 2>&1 || true
    "$py" "$REPO/controlplane/controlplane.py" --state-dir "$state/controlplane" stop >/dev/null 2>&1 || true
}
