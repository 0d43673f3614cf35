#!/usr/bin/env bash
# Conformance of the emulator with boto3 and the AWS CLI (see conformance.py).
#
# Installs boto3 and the AWS CLI into a virtualenv under target/ (reused between runs), starts
# `pcinbox serve --ephemeral` on a free loopback port, runs the checks, and stops the server.
# PCINBOX_BIN overrides the binary (default target/debug/pcinbox, built if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/conformance-venv
bin=${PCINBOX_BIN:-target/debug/pcinbox}

# A virtualenv whose creation was interrupted has no pip: made again.
if [[ ! -x $venv/bin/pip ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
fi
# Partner Central Selling's invitation operations need a botocore from 2025 or later.
"$venv/bin/pip" install --quiet --disable-pip-version-check 'boto3>=1.37' 'awscli>=1.38'

if [[ -z ${PCINBOX_BIN:-} ]]; then
    cargo build --quiet --bin pcinbox
fi

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$bin" serve --ephemeral --port "$port" --task-seconds 1 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

# Wait (bounded) until the server accepts connections.
if ! "$venv/bin/python" tests/conformance/wait_for_port.py "$port" 60
then
    echo "conformance: the emulator did not start:" >&2
    cat "$log" >&2
    exit 1
fi

"$venv/bin/python" tests/conformance/conformance.py \
    --endpoint "http://127.0.0.1:$port" --aws "$venv/bin/aws" --pcinbox "$bin"
