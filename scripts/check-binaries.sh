#!/usr/bin/env bash
# Checks what docs/OPERATIONS.md §1 promises of release binaries: `ldd` names only
# libraries of installed Debian packages (the C library, libsodium, libsqlite3,
# libstdc++, ...), nothing from the Swift toolchain (/opt/swift, libswift*, Foundation,
# libdispatch). Usage: scripts/check-binaries.sh DIR (default: the release build).
# Exit 0 when both binaries pass, 1 otherwise; prints each binary's libraries.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:-$(${SWIFT:-swift} build -c release --static-swift-stdlib --show-bin-path)}
status=0
for name in sealboxd sealbox; do
    binary="$dir/$name"
    if [ ! -x "$binary" ]; then
        echo "check-binaries: $binary is missing (make release)" >&2
        status=1
        continue
    fi
    libraries=()
    while read -r line; do
        case "$line" in
            *"not found"*) echo "check-binaries: $name: $line" >&2; status=1; continue ;;
            linux-vdso*) continue ;;
        esac
        path=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) { print $i; exit } }' <<<"$line")
        [ -n "$path" ] || continue
        real=$(readlink -f "$path")
        case "$real" in
            /opt/*|*/libswift*|*/libFoundation*|*/libdispatch*|*/libBlocksRuntime*|*/lib_FoundationICU*)
                echo "check-binaries: $name links the Swift runtime: $real" >&2; status=1; continue ;;
        esac
        if ! package=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null); then
            echo "check-binaries: $name links $real, which no Debian package holds" >&2
            status=1
            continue
        fi
        libraries+=("$(basename "$path") (${package%%:*})")
    done < <(ldd "$binary")
    echo "check-binaries: $name: ${libraries[*]}"
done
exit $status
