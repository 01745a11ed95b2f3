#!/usr/bin/env bash
# Builds the Debian package from a built binary (`make deb` passes the release one):
#   /usr/bin/opsbot, the catalog under /usr/share/opsbot/Commands, /etc/opsbot/opsbot.yaml (a
#   conffile: upgrades keep local edits), the unit, shell completion; postinst creates the
#   `opsbot` system user and /var/lib/opsbot; purge removes them. Depends: the Debian packages
#   holding the libraries the binary links (found with dpkg -S, so the list is what it needs).
# Usage: scripts/mkdeb.sh BINARY OUTDIR   (DEB_COMPRESS=none|gzip|xz, default xz)
# The tests package the debug binary, whose Swift libraries come from the toolchain: they set
# ALLOW_TOOLCHAIN_LIBS=1 to leave libraries no Debian package holds out of Depends.
# Prints the .deb's path.
set -euo pipefail
bin=$1; out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/.*static let string = "\(.*\)".*/\1/p' "$root/Sources/OpsbotCore/Metrics/OpsMetrics.swift")
arch=$(dpkg --print-architecture)
work=$(mktemp -d /tmp/opsbot-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
pkg="$work/opsbot_${version}_$arch"
STRIP=1 "$(dirname "$0")/stage.sh" "$bin" "$pkg" /usr
install -d -m 755 "$pkg/etc/opsbot" "$pkg/DEBIAN"
install -m 644 "$pkg/usr/share/opsbot/opsbot.example.yaml" "$pkg/etc/opsbot/opsbot.yaml"
maintainer=${DEB_MAINTAINER:-opsbot maintainers <opsbot@example.com>}
printf 'opsbot\n\nCopyright: the opsbot authors. See the source repository for the terms.\n' > "$pkg/usr/share/doc/opsbot/copyright"
printf 'opsbot (%s) stable; urgency=medium\n\n  * opsbot %s (see the repository history).\n\n -- %s  %s\n' \
    "$version" "$version" "$maintainer" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}")" \
    | gzip -9n > "$pkg/usr/share/doc/opsbot/changelog.gz"
# bash-completion files are sourced, not run: no #! line.
sed -i '1{/^#!/d}' "$pkg/usr/share/bash-completion/completions/opsbot"

# Runtime dependencies: the package of every library the binary needs (its DT_NEEDED entries).
deps=()
for lib in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    # (awk reads all of ldconfig's output: an early exit would end ldconfig with SIGPIPE, fatal under pipefail)
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && $0 ~ /x86-64|AArch64|aarch64/ && !p {p = $NF} END {print p}')
    [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l && !p {p = $NF} END {print p}')
    if [ -z "$path" ] && [ "${ALLOW_TOOLCHAIN_LIBS:-0}" = 1 ]; then continue; fi
    [ -n "$path" ] || { echo "mkdeb: $lib (needed by $bin) not found" >&2; exit 1; }
    owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | sed -n '1s/:.*//p') || true
    [ -n "$owner" ] || owner=$(dpkg -S "$path" 2>/dev/null | sed -n '1s/:.*//p') || true
    if [ -z "$owner" ] && [ "${ALLOW_TOOLCHAIN_LIBS:-0}" = 1 ]; then continue; fi
    [ -n "$owner" ] || { echo "mkdeb: no Debian package holds $path ($lib) — is the binary linked against the toolchain?" >&2; exit 1; }
    deps+=("$owner")
done
depends=$(printf '%s\n' "${deps[@]}" adduser | sort -u | paste -sd, - | sed 's/,/, /g')
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: opsbot
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends
Recommends: polkitd, libcairo2, fonts-dejavu-core
Section: admin
Priority: optional
Description: Telegram ops bot for small teams
 Runbooks from the admin chat: /status, /logs, /restart, /schema, /payments,
 with confirmations for destructive actions, and alerts pushed to the same
 chat. One binary; talks to systemd, Docker, PostgreSQL, Heroku and Railway.
CONTROL
echo /etc/opsbot/opsbot.yaml > "$pkg/DEBIAN/conffiles"
install -m 755 "$root"/deploy/debian/postinst "$root"/deploy/debian/prerm "$root"/deploy/debian/postrm "$pkg/DEBIAN/"
mkdir -p "$out"
deb="$out/opsbot_${version}_$arch.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" --build "$pkg" "$deb" >/dev/null
echo "$deb"
