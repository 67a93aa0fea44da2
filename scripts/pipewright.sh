#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One entry point for a fresh Debian 12 machine:
#   scripts/pipewright.sh run    install what is missing, build, start the studio with the
#                                TFX example (headless machines: run the compile job instead)
#   scripts/pipewright.sh test   install what is missing, build, run every test
# Idempotent: packages already present are not reinstalled; the build is incremental.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PW_BUILD_DIR:-$here/build}"
mode="${1:-run}"

packages=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-base-dev-tools qt6-svg-dev
          qt6-webengine-dev qt6-tools-dev libqt6sql6-sqlite libyaml-cpp-dev nlohmann-json3-dev
          libgraphviz-dev libsqlite3-dev libcurl4-openssl-dev qtkeychain-qt6-dev protobuf-compiler libprotobuf-dev nodejs python3-google-auth python3-requests xvfb xauth chromium)
# The local engine's container runtime, tested for real (tests/podman): podman
# with runc and no daemon, and mmdebstrap to build the test image.
packages+=(podman runc catatonit mmdebstrap)
# The fuzz targets and the sanitizer build of the core (tests/fuzz).
packages+=(clang libclang-rt-14-dev)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "== installing: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

# The Argo schema conformance test validates with Python's jsonschema; use a
# python3 that has it, else Debian's.
pick_python() {
    for py in python3 /usr/bin/python3; do
        if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import jsonschema, yaml' >/dev/null 2>&1; then
            command -v "$py"
            return
        fi
    done
    install_missing python3 python3-jsonschema python3-yaml
    echo /usr/bin/python3
}

install_missing "${packages[@]}"
# npm fetches Google's Node client for one test. Some machines carry a Node.js
# that brings its own npm (NodeSource), which Debian's npm package conflicts with.
command -v npm >/dev/null 2>&1 || install_missing npm
python="$(pick_python)"

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPW_PYTHON_EXECUTABLE="$python" >/dev/null
ninja -C "$build" -j"$(nproc)"

case "$mode" in
run)
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
        exec "$build/bin/pipewright-studio" "$here/resources/examples/tfx-training.pipewright.yaml"
    fi
    echo "== no display found (DISPLAY and WAYLAND_DISPLAY are unset): running the headless compile job"
    out="$build/out"
    mkdir -p "$out"
    example="$here/resources/examples/daily-batch-prediction.pipewright.yaml"
    for target in pipelinespec argo vertex; do
        ext=yaml; [ "$target" = vertex ] && ext=json
        "$build/bin/pipewright" compile "$example" --target "$target" -o "$out/daily-batch-prediction.$target.$ext"
        echo "compiled $target: $out/daily-batch-prediction.$target.$ext"
    done
    ;;
test)
    (cd "$build" && ctest --output-on-failure -j"$(nproc)")
    # The package as users get it: build the .deb, install it, use it, remove it.
    # It installs system-wide, so only where we are root (CI); PW_SKIP_DEB=1 skips it.
    if [ "$(id -u)" -eq 0 ] && [ "${PW_SKIP_DEB:-0}" != 1 ]; then
        "$here/packaging/check-deb.sh" "$build"
    else
        echo "== skipping packaging/check-deb.sh (needs root; PW_SKIP_DEB=${PW_SKIP_DEB:-0})"
    fi
    # The core with ASan+UBSan under libFuzzer, over every seed and every input
    # that once crashed it (no mutation here: that is tests/fuzz/run-fuzz.sh DIR SECONDS).
    "$here/tests/fuzz/run-fuzz.sh" "$build/fuzz" "${PW_FUZZ_SECONDS:-0}"
    ;;
*)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
