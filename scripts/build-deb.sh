#!/usr/bin/env bash
# `make deb`: builds the Debian packages `sealbox` (the CLI) and `sealboxd` (the daemon,
# its units, sysusers and tmpfiles entries, the example configuration as a conffile)
# from the static release binaries, with dpkg-deb from the files in debian/.
#
#   scripts/build-deb.sh [BIN_DIR]      BIN_DIR: the static release build (default:
#                                       swift build -c release --static-swift-stdlib)
#
# The version is the release of Sources/SealboxCore/Release.swift; when the binaries print a release with --version, it must be the same. Man pages come from
# swift-argument-parser's generate-manual plugin, one page per command (it builds the
# debug configuration, which `make test` has built already, and reads each command's
# help from it; a release build without --static-swift-stdlib would recompile every
# module and then again for the static binaries); completions
# for bash, zsh and fish from --generate-completion-script. Writes DEB_OUT (default
# .build/debs)/{sealbox,sealboxd}_VERSION_ARCH.deb.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
SWIFT=${SWIFT:-swift}

# The one definition of the release: Sources/SealboxCore/Release.swift (what --version prints).
version=$(sed -n 's/.*static let version = "\([^"]*\)".*/\1/p' Sources/SealboxCore/Release.swift)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([~+][0-9A-Za-z.~+]+)?$ ]] || { echo "build-deb: VERSION '$version' is not a version" >&2; exit 1; }
arch=$(dpkg --print-architecture)
bin=${1:-$($SWIFT build -c release --static-swift-stdlib --show-bin-path)}
out=${DEB_OUT:-$repo/.build/debs}
stage=$repo/.build/deb-stage
date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)

scripts/check-binaries.sh "$bin"

# A binary that prints a release (X.Y.Z) with --version must print this one.
for tool in sealboxd sealbox; do
    if printed=$("$bin/$tool" --version 2>/dev/null) && [[ "$printed" =~ [0-9]+\.[0-9]+\.[0-9]+ ]]; then
        [ "${BASH_REMATCH[0]}" = "${version%%[~+]*}" ] || {
            echo "build-deb: $tool --version prints '$printed', VERSION says $version" >&2; exit 1; }
    fi
done

# --- man pages (generate-manual plugin of swift-argument-parser) ------------------------------------
manuals=$repo/.build/plugins/GenerateManual/outputs
rm -rf "$manuals"
echo "build-deb: generating man pages"
$SWIFT package plugin generate-manual --configuration debug --multi-page --date "$date" \
    --authors "Sealbox maintainers<sealbox@example.org>" >/dev/null
for tool in sealboxd sealbox; do
    [ -f "$manuals/$tool/$tool.1" ] || { echo "build-deb: no man page $manuals/$tool/$tool.1" >&2; exit 1; }
done

rm -rf "$stage"
mkdir -p "$out"

install_common() { # package tool
    local root=$stage/$1 tool=$2
    install -D -m 0755 "$bin/$tool" "$root/usr/bin/$tool"
    strip --strip-unneeded "$root/usr/bin/$tool"
    install -d -m 0755 "$root/usr/share/man/man1"
    for page in "$manuals/$tool"/*.1; do
        gzip -9n < "$page" > "$root/usr/share/man/man1/$(basename "$page").gz"
    done
    install -d -m 0755 "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
        "$root/usr/share/fish/vendor_completions.d"
    "$bin/$tool" --generate-completion-script bash > "$root/usr/share/bash-completion/completions/$tool"
    "$bin/$tool" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_$tool"
    "$bin/$tool" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/$tool.fish"
    install -D -m 0644 debian/copyright "$root/usr/share/doc/$1/copyright"
}

# --- sealbox: the CLI --------------------------------------------------------------------------------
install_common sealbox sealbox
install -m 0644 README.md "$stage/sealbox/usr/share/doc/sealbox/README.md"

# --- sealboxd: the daemon ----------------------------------------------------------------------------
root=$stage/sealboxd
install_common sealboxd sealboxd
# The units of systemd/ name /usr/local (a manual install, docs/OPERATIONS.md §2); the
# package puts the binary and the guide where Debian keeps them.
for unit in sealboxd.service sealboxd-backup.service sealboxd-backup.timer; do
    sed -e 's#/usr/local/bin/#/usr/bin/#g' -e 's#/usr/local/share/doc/sealbox/#/usr/share/doc/sealboxd/#g' \
        "systemd/$unit" > "$stage/$unit"
    install -D -m 0644 "$stage/$unit" "$root/lib/systemd/system/$unit"
done
install -D -m 0644 systemd/sysusers.d/sealbox.conf "$root/usr/lib/sysusers.d/sealbox.conf"
install -D -m 0644 systemd/tmpfiles.d/sealbox.conf "$root/usr/lib/tmpfiles.d/sealbox.conf"
install -D -m 0644 config/sealboxd.example.json "$root/etc/sealbox/sealboxd.json"
doc=$root/usr/share/doc/sealboxd
install -m 0644 docs/OPERATIONS.md "$doc/OPERATIONS.md"
install -m 0644 config/README.md "$doc/CONFIGURATION.md"
install -m 0644 SECURITY.md "$doc/SECURITY.md"
install -D -m 0644 config/sealboxd.example.json "$doc/examples/sealboxd.json"
for file in config/nginx/*.conf config/tor/sealbox.torrc; do
    install -D -m 0644 "$file" "$doc/examples/${file#config/}"
done

# --- control files -----------------------------------------------------------------------------------
shlibdeps() { # binary -> the Depends of its shared libraries
    local work
    work=$(mktemp -d)
    mkdir "$work/debian"
    printf 'Source: sealbox\n\nPackage: sealbox\nArchitecture: any\n' > "$work/debian/control"
    (cd "$work" && dpkg-shlibdeps -O "$1" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
    rm -rf "$work"
}

control_of() { # package -> its stanza of debian/control
    awk -v p="$1" 'BEGIN { RS = ""; ORS = "\n" } $0 ~ "(^|\n)Package: " p "\n" { print }' debian/control
}

for package in sealbox sealboxd; do
    root=$stage/$package
    depends=$(shlibdeps "$root/usr/bin/$package")
    [ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies of $package" >&2; exit 1; }
    size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
    install -d -m 0755 "$root/DEBIAN"
    stanza=$(control_of "$package")
    template_depends=$(sed -n 's/^Depends: //p' <<<"$stanza")
    package_depends=${template_depends//@DEPENDS@/$depends}
    {
        echo "Package: $package"
        echo "Version: $version"
        echo "Architecture: $arch"
        grep -m1 '^Maintainer: ' debian/control
        echo "Installed-Size: $size"
        grep -m1 '^Section: ' debian/control
        grep -m1 '^Priority: ' debian/control
        echo "Depends: $package_depends"
        sed -n '/^Suggests:/p' <<<"$stanza"
        grep -m1 '^Homepage: ' debian/control
        sed -n '/^Description:/,$p' <<<"$stanza"
    } > "$root/DEBIAN/control"
    for script in postinst prerm postrm conffiles; do
        if [ -f "debian/$package.$script" ]; then
            install -m "$([ "$script" = conffiles ] && echo 0644 || echo 0755)" "debian/$package.$script" "$root/DEBIAN/$script"
        fi
    done
    (cd "$root" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' \
        | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
    chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"
    find "$root" -type d -exec chmod 0755 {} +
    deb="$out/${package}_${version}_${arch}.deb"
    dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
    echo "build-deb: $deb ($(du -k "$deb" | cut -f1) KiB; Depends: $package_depends)"
done
