#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging/check-deb.sh [BUILD_DIR]: end-to-end check of the Debian package, run by
# CI as root after the normal build. BUILD_DIR defaults to $PW_BUILD_DIR, else build/
# (relative to the repository root).
#
#  1. tools      install what the check needs when missing (desktop-file-utils,
#                appstream, dpkg-dev, shared-mime-info, xvfb, xauth)
#  2. configure  the build with -DCMAKE_INSTALL_PREFIX=/usr, and build it
#  3. package    cpack -G DEB -> BUILD_DIR/pipewright_<version>_<arch>.deb; check Depends
#  4. stage      DESTDIR=... cmake --install; validate the desktop file, the AppStream
#                metainfo and the MIME package; check every icon is there
#  5. install    apt-get install -y ./pipewright_*.deb
#  6. use it     from an empty directory: pipewright --version, validate and run the
#                installed TFX example, open it in pipewright-studio under Xvfb and
#                check the screenshot
#  7. remove     apt-get remove -y pipewright (and any package its install pulled in),
#                leaving the machine as it was; this also happens when a step fails
#
# Steps 1-5 stop the check when they fail; the steps of 6 each report PASS or FAIL
# and the check goes on. A summary at the end names every step; the exit status is
# 0 only if all passed. PW_BUILD_JOBS sets the build's parallelism (default: nproc).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here" || exit 1
build="${1:-${PW_BUILD_DIR:-build}}"
jobs="${PW_BUILD_JOBS:-$(nproc)}"
example_file=tfx-training.pipewright.yaml
icon_sizes=(16 24 32 48 64 128 256)
export DEBIAN_FRONTEND=noninteractive

step_name=""
results=()
failed=0
installed=0
scratch=""
before_pkgs=""

step() {
    step_name="$1"
    echo
    echo "== ${step_name}"
}
pass() {
    results+=("PASS  ${step_name}")
    echo "-- PASS: ${step_name}"
}
# A failed check: recorded, the check goes on.
fail() {
    results+=("FAIL  ${step_name}: $*")
    failed=1
    echo "-- FAILED: ${step_name}: $*" >&2
}
# A failed step the rest depends on: stop (the EXIT trap cleans up).
die() {
    fail "$@"
    exit 1
}

installed_packages() {
    dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }' | sort
}

cleanup() {
    local status=$?
    if [ "$installed" -eq 1 ]; then
        step "remove: apt-get remove -y pipewright (cleanup after a failure)"
        remove_package || true
    fi
    [ -n "$scratch" ] && rm -rf "$scratch"
    echo
    echo "== summary"
    local r
    for r in "${results[@]}"; do echo "$r"; done
    if [ "$failed" -ne 0 ]; then
        echo "check-deb: FAILED (see the FAIL lines above)"
        [ "$status" -eq 0 ] && status=1
    else
        echo "check-deb: all steps passed"
    fi
    exit "$status"
}
trap cleanup EXIT

# Removes pipewright and whatever installing it pulled in, so the machine is left
# with the packages it had before step 5.
remove_package() {
    apt-get remove -y pipewright || { fail "apt-get remove -y pipewright failed"; return 1; }
    installed=0
    local pulled
    pulled="$(comm -13 <(echo "$before_pkgs") <(installed_packages) | tr '\n' ' ')"
    if [ -n "${pulled// /}" ]; then
        echo "-- removing the packages installing pipewright pulled in: $pulled"
        # shellcheck disable=SC2086
        apt-get purge -y $pulled || { fail "could not remove $pulled"; return 1; }
    fi
    if dpkg-query -W -f='${db:Status-Abbrev}' pipewright 2>/dev/null | grep -q '^ii'; then
        fail "pipewright is still installed"
        return 1
    fi
    if [ -e /usr/bin/pipewright ] || [ -e /usr/share/pipewright ]; then
        fail "files are left behind: $(find /usr/bin/pipewright /usr/share/pipewright -maxdepth 0 2>/dev/null | tr '\n' ' ')"
        return 1
    fi
    return 0
}

# ---------------------------------------------------------------------------
step "1. tools"
[ "$(id -u)" -eq 0 ] || die "run as root: the check installs and removes the package"
command -v cmake >/dev/null || die "cmake is not installed (the normal build needs it)"
missing=()
for tool in desktop-file-validate:desktop-file-utils appstreamcli:appstream \
            dpkg-shlibdeps:dpkg-dev update-mime-database:shared-mime-info \
            xvfb-run:xvfb xauth:xauth; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "-- installing: ${missing[*]}"
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y --no-install-recommends "${missing[@]}" || die "could not install ${missing[*]}"
fi
pass

# ---------------------------------------------------------------------------
step "2. configure and build ${build} (CMAKE_INSTALL_PREFIX=/usr)"
generator=()
[ -f "$build/CMakeCache.txt" ] || ! command -v ninja >/dev/null || generator=(-G Ninja)
cmake -S "$here" -B "$build" "${generator[@]}" -DCMAKE_INSTALL_PREFIX=/usr >/dev/null ||
    die "cmake configure failed"
cmake --build "$build" --parallel "$jobs" || die "build failed"
build="$(cd "$build" && pwd)"
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$build/CMakeCache.txt")"
[ -n "$version" ] || die "no CMAKE_PROJECT_VERSION in $build/CMakeCache.txt"
pass

# ---------------------------------------------------------------------------
step "3. package: cpack -G DEB"
arch="$(dpkg --print-architecture)"
deb="$build/pipewright_${version}_${arch}.deb"
rm -f "$build"/pipewright_*.deb
(cd "$build" && cpack -G DEB) || die "cpack -G DEB failed"
[ -f "$deb" ] || die "cpack did not write $deb"
dpkg-deb -f "$deb" Package Version Architecture Maintainer Section Depends
depends="$(dpkg-deb -f "$deb" Depends)"
for want in python3 libqt6core6 libqt6gui6 libqt6widgets6 libqt6svg6 libqt6network6 \
            libqt6webengine libyaml-cpp libgvc6 libcgraph6 libsqlite3; do
    grep -q "\(^\|, \)$want" <<<"$depends" || die "Depends has no $want: $depends"
done
! grep -q -- '-dev\b' <<<"$depends" || die "Depends names a -dev package: $depends"
pass

# ---------------------------------------------------------------------------
step "4. staged install: validate desktop file, metainfo, MIME package, icons"
scratch="$(mktemp -d /tmp/pw-check-deb.XXXXXX)"
stage="$scratch/stage"
DESTDIR="$stage" cmake --install "$build" >/dev/null || die "DESTDIR=$stage cmake --install failed"
share="$stage/usr/share"
desktop="$share/applications/io.pipewright.Studio.desktop"
metainfo="$share/metainfo/io.pipewright.Studio.metainfo.xml"
mimexml="$share/mime/packages/pipewright.xml"
for f in "$stage/usr/bin/pipewright" "$stage/usr/bin/pipewright-studio" "$desktop" "$metainfo" "$mimexml" \
         "$share/pipewright/examples/$example_file" "$share/pipewright/examples/data/credit_default.csv" \
         "$share/pipewright/components/training/trainer.component.yaml" \
         "$share/icons/hicolor/scalable/apps/io.pipewright.Studio.svg" \
         "$share/icons/hicolor/scalable/mimetypes/application-x-pipewright+yaml.svg"; do
    [ -f "$f" ] || die "not installed: ${f#"$stage"}"
done
for size in "${icon_sizes[@]}"; do
    for f in "apps/io.pipewright.Studio.png" "mimetypes/application-x-pipewright+yaml.png"; do
        png="$share/icons/hicolor/${size}x${size}/$f"
        [ -f "$png" ] || die "not installed: ${png#"$stage"}"
        dims="$(od -An -tu1 -j16 -N8 "$png" | awk '{ print $3*256+$4 "x" $7*256+$8 }')"
        [ "$dims" = "${size}x${size}" ] || die "${png#"$stage"} is $dims, not ${size}x${size}"
    done
done
echo "-- desktop-file-validate ${desktop#"$stage"}"
out="$(desktop-file-validate "$desktop" 2>&1)" || die "desktop-file-validate: $out"
[ -z "$out" ] || echo "$out"
! grep -Eq '(error|warning):' <<<"$out" || die "desktop-file-validate: $out"
echo "-- appstreamcli validate --no-net ${metainfo#"$stage"}"
out="$(appstreamcli validate --no-net "$metainfo" 2>&1)" || die "appstreamcli validate: $out"
echo "$out"
! grep -Eq '^[EW]: ' <<<"$out" || die "appstreamcli validate reports errors or warnings"
echo "-- update-mime-database with ${mimexml#"$stage"}"
mkdir -p "$scratch/mime/packages"
cp /usr/share/mime/packages/freedesktop.org.xml "$mimexml" "$scratch/mime/packages/"
out="$(update-mime-database -V "$scratch/mime" 2>&1)" || die "update-mime-database: $out"
! grep -qi 'error\|warning\|invalid' <<<"$out" || die "update-mime-database: $out"
grep -qx '[0-9]*:application/x-pipewright+yaml:\*\.pipewright\.yaml' "$scratch/mime/globs2" ||
    die "the MIME database has no glob *.pipewright.yaml for application/x-pipewright+yaml"
grep -q '^application/x-pipewright+yaml application/' "$scratch/mime/subclasses" ||
    die "the MIME database does not make application/x-pipewright+yaml a kind of YAML"
pass

# ---------------------------------------------------------------------------
step "5. install: apt-get install -y ./$(basename "$deb")"
if dpkg-query -W -f='${db:Status-Abbrev}' pipewright 2>/dev/null | grep -q '^ii'; then
    die "a pipewright package is installed already; remove it first (this check would replace it, then remove it)"
fi
before_pkgs="$(installed_packages)"
installed=1
if ! (cd "$build" && apt-get install -y "./$(basename "$deb")"); then
    echo "-- retrying after apt-get update (a dependency may be missing from stale lists)"
    apt-get update -qq || die "apt-get update failed"
    (cd "$build" && apt-get install -y "./$(basename "$deb")") || die "apt-get install failed"
fi
[ "$(command -v pipewright)" = /usr/bin/pipewright ] ||
    die "pipewright on PATH is '$(command -v pipewright)', not /usr/bin/pipewright"
[ "$(command -v pipewright-studio)" = /usr/bin/pipewright-studio ] ||
    die "pipewright-studio on PATH is '$(command -v pipewright-studio)', not /usr/bin/pipewright-studio"
pass

# ---------------------------------------------------------------------------
# Step 6 runs in an empty directory with its own HOME and XDG directories, so the run
# store, settings and crash-recovery files go there and are removed afterwards.
example="/usr/share/pipewright/examples/$example_file"
work="$scratch/work"
out_dir="$scratch/out"
mkdir -p "$work" "$out_dir" "$scratch/home" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/home/.local/share" \
       XDG_CONFIG_HOME="$scratch/home/.config" XDG_CACHE_HOME="$scratch/home/.cache" \
       XDG_RUNTIME_DIR="$scratch/runtime"
cd "$work" || die "cannot enter $work"
installed_tree() { find /usr/share/pipewright | sort; }

step "6a. pipewright --version"
out="$(pipewright --version 2>&1)"
rc=$?
echo "$out"
if [ "$rc" -ne 0 ]; then
    fail "exit status $rc"
elif ! grep -qF "$version" <<<"$out"; then
    fail "the output does not name version $version"
else
    pass
fi

step "6b. pipewright validate $example"
if pipewright validate "$example"; then pass; else fail "exit status $?"; fi

# The example writes its model to serving_dir, by default serving/ next to the
# document (read-only for users); give it a writable place. Its input data is the
# default data/credit_default.csv, found next to the document.
step "6c. pipewright run $example --param serving_dir=$out_dir/serving"
tree_before="$(installed_tree)"
timeout 900 pipewright run "$example" --param serving_dir="$out_dir/serving" 2>&1 | tee "$scratch/run.log"
rc="${PIPESTATUS[0]}"
if [ "$rc" -eq 0 ]; then
    if [ "$(installed_tree)" != "$tree_before" ]; then
        fail "the run wrote into /usr/share/pipewright: $(comm -13 <(echo "$tree_before") <(installed_tree) | head -5 | tr '\n' ' ')"
    elif [ -n "$(find "$work" -mindepth 1 -maxdepth 1)" ]; then
        fail "the run wrote into the current directory: $(find "$work" -mindepth 1 -maxdepth 1 -printf '%f ')"
    elif [ -z "$(find "$out_dir/serving" -type f 2>/dev/null)" ]; then
        fail "the run succeeded but pushed no model to $out_dir/serving"
    else
        find "$out_dir/serving" -type f | sed 's/^/   pushed: /'
        pass
    fi
else
    # Show why: the end of each failed task's log, and the last error it names.
    run_id="$(sed -n '1s/^run \([0-9a-f-]*\) .*/\1/p' "$scratch/run.log")"
    failed_tasks="$(sed -n 's/^[0-9:]*  *failed  *\([^:]*\):.*/\1/p' "$scratch/run.log" | paste -sd ' ')"
    for task in $failed_tasks; do
        echo "-- the end of the log of task $task:"
        pipewright logs "$run_id" "$task" 2>&1 | tail -n 8
    done
    reason="$(for task in $failed_tasks; do pipewright logs "$run_id" "$task"; done 2>&1 |
              grep -o '[A-Za-z]*Error: .*' | tail -n 1)"
    if [ "$rc" -eq 124 ]; then
        fail "timed out"
    else
        fail "exit status $rc; failed tasks: ${failed_tasks:-none}${reason:+ ($reason)}"
    fi
fi

step "6d. xvfb-run -a pipewright-studio $example --screenshot OUT.png"
if timeout 300 xvfb-run -a -s "-screen 0 1600x1000x24" \
        pipewright-studio "$example" --size 1600x1000 --screenshot OUT.png; then
    if [ ! -s OUT.png ]; then
        fail "the studio exited 0 but wrote no OUT.png"
    elif ! out="$(/usr/bin/python3 - OUT.png <<'EOF'
# Decodes the PNG (8-bit RGB/RGBA, as Qt writes a window grab) and checks that it
# is a real window: big enough and not one flat colour.
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG")
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, colour, _, _, interlace = ihdr
channels = {2: 3, 6: 4}.get(colour)
if depth != 8 or channels is None or interlace:
    sys.exit(f"unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
raw, stride, prev, colours = zlib.decompress(idat), width * channels, bytearray(width * channels), set()
for y in range(height):
    line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
    ftype, cur = line[0], bytearray(line[1:])
    for i in range(stride):
        a = cur[i - channels] if i >= channels else 0
        b, c = prev[i], prev[i - channels] if i >= channels else 0
        if ftype == 1: cur[i] = (cur[i] + a) & 255
        elif ftype == 2: cur[i] = (cur[i] + b) & 255
        elif ftype == 3: cur[i] = (cur[i] + (a + b) // 2) & 255
        elif ftype == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        colours.update(bytes(cur[i:i + 3]) for i in range(0, stride, channels * 4))
    prev = cur
print(f"{width}x{height}, {len(colours)} distinct colours sampled, {len(data)} bytes")
if width < 400 or height < 300:
    sys.exit(f"too small: {width}x{height}")
if len(colours) < 16:
    sys.exit(f"looks blank: {len(colours)} distinct colours")
EOF
)"; then
        fail "OUT.png is not a usable screenshot: $out"
    else
        echo "-- OUT.png: $out"
        cp OUT.png "$build/check-deb-studio.png" && echo "-- kept as $build/check-deb-studio.png"
        pass
    fi
else
    rc=$?
    if [ "$rc" -eq 124 ]; then fail "timed out"; else fail "exit status $rc"; fi
fi
cd "$here" || die "cannot return to $here"

# ---------------------------------------------------------------------------
step "7. remove: apt-get remove -y pipewright"
if remove_package; then pass; fi
