#!/usr/bin/env bash
# Builds dist/opsbot-<version>-linux-<arch>.tar.gz from the release binary: a PREFIX layout
# (bin/, share/, lib/systemd/system/; scripts/stage.sh) for /usr/local, plus SHA256SUMS of its
# files inside and dist/SHA256SUMS of the archives next to it. Checks the binary first
# (scripts/check-dist.sh: only Debian's runtime libraries, runs without the toolchain).
# Usage: scripts/mkdist.sh BINARY OUTDIR   Prints the tarball's path.
set -euo pipefail
bin=$1; out=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
version=$(sed -n 's/.*static let string = "\(.*\)".*/\1/p' "$root/Sources/OpsbotCore/Metrics/OpsMetrics.swift")
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
name="opsbot-$version-linux-$arch"
"$here/check-dist.sh" "$bin" >&2
work=$(mktemp -d /tmp/opsbot-dist.XXXXXX)
trap 'rm -rf "$work"' EXIT
STRIP=1 "$here/stage.sh" "$bin" "$work/stage" /usr/local
mv "$work/stage/usr/local" "$work/$name"
# The tarball's own copy of the unit and the example config at the top, where a reader looks.
cp "$work/$name/lib/systemd/system/opsbot.service" "$work/$name/opsbot.service"
cp "$work/$name/share/opsbot/opsbot.example.yaml" "$work/$name/opsbot.example.yaml"
cat > "$work/$name/INSTALL" <<TXT
opsbot $version for Linux ($arch). Needs Debian's (or your distribution's) runtime libraries:
  apt-get install libcurl4 libpq5 libsqlite3-0

Install under /usr/local (the binary finds its catalog in ../share/opsbot/Commands):
  tar -C /usr/local --strip-components=1 -xzf $name.tar.gz $name/bin $name/share $name/lib
  adduser --system --group --home /var/lib/opsbot --no-create-home opsbot
  install -d -o root -g opsbot -m 0750 /etc/opsbot
  cp opsbot.example.yaml /etc/opsbot/opsbot.yaml     # then edit it; opsbot validate --config /etc/opsbot/opsbot.yaml
  systemctl daemon-reload && systemctl enable --now opsbot

Check the files: sha256sum -c SHA256SUMS
TXT
(cd "$work/$name" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
mkdir -p "$out"
tar -C "$work" --owner=0 --group=0 --sort=name -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum ./*.tar.gz $(ls ./*.deb 2>/dev/null) | sed 's| \./| |' > SHA256SUMS)
echo "$out/$name.tar.gz"
