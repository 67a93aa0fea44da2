#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Google's official Node client for Vertex AI against the loopback test server.
# Installs the pinned client into a scratch prefix (never into the repository),
# starts vertex_server.py, runs drive_official_client.js, stops the server.
#
# usage: tests/servers/vertex/node_client/run_official_client.sh [PREFIX]
#   PREFIX   where npm installs the client (default /tmp/pipewright-vertex-node)
# env:     PW_REFERENCE_DIR (default tests/reference)
# Exit 0 when every call behaved as Vertex would; needs node and npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${1:-/tmp/pipewright-vertex-node}"
reference="${PW_REFERENCE_DIR:-$(cd "$(dirname "$0")/../../../reference" && pwd)}"
client_version="7.4.0"   # the version the capture in tests/reference/backends/google-auth/ came from

if [ ! -f "$prefix/node_modules/@google-cloud/aiplatform/package.json" ] ||
   ! grep -q "\"version\": \"$client_version\"" "$prefix/node_modules/@google-cloud/aiplatform/package.json"; then
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@google-cloud/aiplatform@$client_version"
fi

work="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "ya29.node-client-test-token" > "$work/tokens"
python3 - "$here/../../kfp" > "$work/spec.json" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import fixtures
print(json.dumps(fixtures.linear()))
PY
python3 "$here/../vertex_server.py" --proto-dir "$reference/backends/vertex" --ir-dir "$reference/kfp-ir" \
    --port 0 --token-file "$work/tokens" --check-responses > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 100); do
    grep -q "listening on" "$work/server.out" 2>/dev/null && break
    sleep 0.1
done
port="$(sed -n 's/^listening on //p' "$work/server.out")"
[ -n "$port" ] || { cat "$work/server.err" >&2; exit 1; }
status=0
NODE_PATH="$prefix/node_modules" node "$here/drive_official_client.js" "$port" "ya29.node-client-test-token" \
    "$work/spec.json" || status=$?
if [ -s "$work/server.err" ]; then
    echo "== server stderr:" >&2
    cat "$work/server.err" >&2
fi
exit "$status"
