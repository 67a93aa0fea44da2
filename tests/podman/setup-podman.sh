#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Makes podman usable for the engine's container tests on a machine without a
# daemon or a registry: a containers.conf for runc with cgroupfs and ulimits
# within this machine's hard limits, and a local image (a minimal Debian with
# python3 and tzdata, built by mmdebstrap from the Debian mirror) tagged as
# the images the examples name (python:3.11-slim, alpine), so nothing is pulled.
# usage: setup-podman.sh DIR   (writes DIR/containers.conf; the image is kept
# in podman's store and built only once)
set -euo pipefail
dir="$1"
mkdir -p "$dir"
conf="$dir/containers.conf"
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
# Within the hard limits: runc's default (1048576 open files) is above them
# on such machines, and runc may not raise a limit past what it inherits.
limit() { if [ "$1" = unlimited ] || [ "$1" -gt 8192 ]; then echo 8192; else echo "$1"; fi; }
cat > "$conf" <<CONF
[containers]
default_ulimits = ["nofile=$(limit "$nofile"):$(limit "$nofile")", "nproc=$(limit "$nproc"):$(limit "$nproc")"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF="$conf"
image=localhost/pipewright-test:bookworm
if ! podman image exists "$image"; then
    tar="$dir/rootfs.tar"
    mmdebstrap --quiet --variant=essential --include=python3-minimal,libpython3.11-stdlib,tzdata \
        --mode=root bookworm "$tar" http://deb.debian.org/debian
    podman import --quiet "$tar" "$image" >/dev/null
    rm -f "$tar"
fi
for name in docker.io/library/python:3.11-slim docker.io/library/alpine:latest; do
    podman tag "$image" "$name"
done
podman run --rm docker.io/library/python:3.11-slim python3 -c 'print("podman ready")'
