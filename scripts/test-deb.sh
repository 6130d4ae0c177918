#!/usr/bin/env bash
# `make test-deb`: installs the packages of `make deb` into a clean Debian 12 root made
# by debootstrap (minbase), in a chroot of its own mount and PID namespaces, and walks
# what an administrator does (scripts/test-deb-inside.sh): apt-get install of both .deb
# files (apt fetches libsodium23, libsqlite3-0, ... from the mirror), the daemon started
# as its user with the unit's ExecStart line (no systemd as PID 1 in a chroot), a report
# submitted over loopback and read back with the CLI, a backup by the backup unit's
# ExecStart line, then apt-get remove and purge: the data stays unless asked.
#
# The debootstrapped root is kept as a tar file under SEALBOX_CACHE (default
# ~/.cache/sealbox), so only the first run downloads it. Needs root (chroot, mounts).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[ "$(id -u)" = 0 ] || exec sudo --preserve-env=SEALBOX_CACHE,DEB_OUT "$0" "$@"

started=$(date +%s)
debs=${DEB_OUT:-$repo/.build/debs}
version=$(sed -n 's/.*static let version = "\([^"]*\)".*/\1/p' Sources/SealboxCore/Release.swift)
arch=$(dpkg --print-architecture)
for package in sealbox sealboxd; do
    [ -f "$debs/${package}_${version}_${arch}.deb" ] || { echo "test-deb: $debs/${package}_${version}_${arch}.deb is missing (make deb)" >&2; exit 1; }
done

cache=${SEALBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sealbox}
mkdir -p "$cache"
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
base=$cache/debian-bookworm-minbase.tar

command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
if [ ! -s "$base" ]; then
    echo "test-deb: debootstrap --variant=minbase bookworm from $mirror (once; kept in $base)"
    fresh=$(mktemp -d /var/tmp/sealbox-debootstrap.XXXXXX)
    debootstrap --variant=minbase bookworm "$fresh" "$mirror" >"$cache/debootstrap.log" 2>&1 || {
        tail -20 "$cache/debootstrap.log" >&2; rm -rf "$fresh"; exit 1; }
    rm -rf "$fresh/var/cache/apt/archives/"*.deb
    tar -C "$fresh" -cf "$base.new" . && mv "$base.new" "$base"
    rm -rf "$fresh"
fi

root=$(mktemp -d /var/tmp/sealbox-test-deb.XXXXXX)
cleanup() { rm -rf --one-file-system "$root"; }
trap cleanup EXIT
tar -C "$root" -xf "$base"
chmod 0755 "$root"   # the root of the chroot (mktemp made it 0700): every user must reach /
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The same Debian mirror as this machine (bookworm, bookworm-updates, security).
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    rm -f "$root/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
fi
mkdir -p "$root/debs"
cp "$debs/sealbox_${version}_${arch}.deb" "$debs/sealboxd_${version}_${arch}.deb" "$root/debs/"
cp scripts/test-deb-inside.sh "$root/test-deb-inside.sh"

ports=$(python3 -c 'import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')

# Own mount and PID namespaces: the mounts vanish with the test, and the chroot sees
# only its own processes (the machine may run other sealboxd processes). The network
# is the machine's: apt reaches the mirror, the CLI reaches the daemon on loopback.
unshare --mount --pid --fork --propagation private -- /bin/bash -c '
    set -e
    root=$1; shift
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/tmp"
    exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
        VERSION="$1" PORTS="$2" /bin/bash /test-deb-inside.sh
' test-deb "$root" "$version" "$ports"

echo "test-deb: passed in $(( $(date +%s) - started )) s"
