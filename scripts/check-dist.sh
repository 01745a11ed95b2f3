#!/usr/bin/env bash
# Proves a release binary needs no Swift toolchain on the server:
#  1. every library it links (ldd) is a Debian package's, none from the toolchain (/opt/swift…);
#  2. it runs (--version, and `validate` on the shipped catalog) in a mount namespace where the
#     toolchain's directory is hidden under an empty tmpfs, so nothing there can be loaded.
# Usage: scripts/check-dist.sh BINARY [TOOLCHAIN_DIR]   (default: the swift on PATH's prefix)
set -euo pipefail
bin=$(readlink -f "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
tool=${2:-}
if [ -z "$tool" ]; then
    s=$(command -v swift || echo /opt/swift/usr/bin/swift)
    tool=$(cd "$(dirname "$(readlink -f "$s")")/../.." && pwd)    # /opt/swift/usr/bin/swift → /opt/swift
fi
echo "check-dist: ldd $bin"
ldd "$bin" | sed 's/^/  /'
bad=0
owners=()
while read -r lib _ path _; do
    [ -n "${path:-}" ] || continue
    case "$path" in
        /lib/*|/usr/lib/*) owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | sed -n '1s/:.*//p') || true
            [ -n "$owner" ] || owner=$(dpkg -S "$path" 2>/dev/null | sed -n '1s/:.*//p') || true
            if [ -z "$owner" ]; then echo "check-dist: $lib ($path) is in no Debian package" >&2; bad=1; else owners+=("$owner"); fi ;;
        *) echo "check-dist: $lib comes from $path, not from a Debian package" >&2; bad=1 ;;
    esac
done < <(ldd "$bin" | awk '$2 == "=>" {print $1, $2, $3, $4}')
[ $bad = 0 ] || exit 1
pkgs=$(printf '%s\n' "${owners[@]}" | sort -u | paste -sd' ' -)
echo "check-dist: runtime libraries from: $pkgs"
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && [ -d "$tool" ]; then
    out=$(unshare --mount --propagation private sh -c '
        mount -t tmpfs -o size=1m,mode=755 tmpfs "$1" || exit 90
        [ -z "$(ls -A "$1")" ] || exit 91
        "$2" --version && "$2" validate --commands-dir "$3"' sh "$tool" "$bin" "$root/Commands" 2>&1) || {
        echo "check-dist: with $tool hidden the binary failed:" >&2; echo "$out" >&2; exit 1; }
    echo "check-dist: with $tool hidden: $(echo "$out" | paste -sd'|' - | sed 's/|/; /g')"
else
    echo "check-dist: not root (or no unshare): skipped running with $tool hidden" >&2
fi
