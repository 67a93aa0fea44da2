#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the fuzz targets (clang, ASan+UBSan) in DIR and runs each for SECONDS,
# seeded from the repository's own files: documents, components, PipelineSpecs,
# metrics. Inputs that once crashed (tests/fuzz/regressions/<target>/) run
# first. Fails on any crash, leak, timeout or broken property, and leaves the
# input that caused it in DIR/findings/<target>/ (add it to regressions/).
# SECONDS=0 runs only the seeds and the regression inputs, once each: no
# mutation, so the outcome does not depend on luck (what CI runs).
# usage: run-fuzz.sh DIR [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="$1"
seconds="${2:-20}"

"$root/scripts/build-sanitized.sh" "$dir" $(cd "$here" && ls fuzz_*.cpp | sed 's/\.cpp$//')

seeds_of() {
    case "$1" in
    fuzz_document) echo "$root/resources/examples $root/tests/data/documents $root/tests/data/engine" ;;
    fuzz_componentv1) echo "$root/resources/components $root/tests/reference/kfp-v1-components $root/tests/data/cli" ;;
    fuzz_pipelinespec) echo "$root/tests/reference/kfp-v2-goldens" ;;
    *) echo "$here/seeds/${1#fuzz_}" ;;
    esac
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for target in $(cd "$here" && ls fuzz_*.cpp | sed 's/\.cpp$//'); do
    corpus="$dir/corpus/$target" findings="$dir/findings/$target"
    mkdir -p "$corpus" "$findings"
    # Seeds: every file below the seed folders, flattened into the corpus.
    for s in $(seeds_of "$target"); do
        find "$s" -type f -size -256k -exec cp -t "$corpus" {} + 2>/dev/null || true
    done
    regressions="$here/regressions/${target#fuzz_}"
    if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
        "$dir/bin/$target" -runs=0 "$regressions"/* >"$findings/regressions.log" 2>&1 ||
            { echo "== $target: a regression input fails again:"; tail -30 "$findings/regressions.log"; failed=1; continue; }
    fi
    if [ "$seconds" = 0 ]; then mode=(-runs=0); else mode=(-max_total_time="$seconds"); fi
    if "$dir/bin/$target" "${mode[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$findings/" "$corpus" >"$findings/run.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$findings/run.log" | grep -o '[0-9]*$' || echo "?")
        echo "== $target: ok, $runs inputs ($([ "$seconds" = 0 ] && echo "seeds only" || echo "${seconds} s"))"
    else
        echo "== $target: FAILED (input saved in $findings):"
        grep -E "ERROR|SUMMARY|property broken|Test unit written" "$findings/run.log" | head -20
        failed=1
    fi
done
exit "$failed"
