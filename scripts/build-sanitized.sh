#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Configures and builds the sanitizer tree in DIR: the core, the CLI, the unit
# and engine tests (tests/core) and the fuzz targets (tests/fuzz), built by
# clang with AddressSanitizer and UndefinedBehaviorSanitizer (-DPW_SANITIZE=ON).
# usage: build-sanitized.sh DIR [NINJA TARGET...]   (no target: all of them)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$1"
shift
# No build type's flags: the sanitizer flags set -O1 and line tables, and
# assertions stay on.
cmake -S "$root" -B "$dir" -G Ninja -DPW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Sanitize \
      -DCMAKE_CXX_COMPILER=clang++ -DPW_BUILD_BENCH=OFF >/dev/null
ninja -C "$dir" -j"$(nproc)" "$@"
