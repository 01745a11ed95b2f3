#!/usr/bin/env bash
# Checks (and, as root, installs) what opsbot needs to build, test and run its demo.
# Usage: scripts/deps.sh [build|test|demo]
set -euo pipefail
purpose="${1:-build}"

missing=()
need_pkg() { # need_pkg <debian-package> <test command...>
  local pkg="$1"; shift
  if ! "$@" >/dev/null 2>&1; then missing+=("$pkg"); fi
}

need_pkg pkg-config          command -v pkg-config
need_pkg libcurl4-openssl-dev test -f /usr/include/x86_64-linux-gnu/curl/curl.h -o -f /usr/include/curl/curl.h -o -f /usr/include/aarch64-linux-gnu/curl/curl.h
need_pkg libpq-dev           test -f /usr/include/postgresql/libpq-fe.h
need_pkg libsqlite3-dev      test -f /usr/include/sqlite3.h
# Charts (/graph, the disk_fill alert's picture): Cairo's headers to build; at run time opsbot
# loads libcairo.so.2 only when it draws, with the DejaVu fonts (Cyrillic included).
need_pkg libcairo2-dev       test -f /usr/include/cairo/cairo.h
need_pkg fonts-dejavu-core   test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [ "$purpose" != build ]; then
  # A throwaway PostgreSQL server for the tests and the demo database.
  need_pkg postgresql        sh -c 'ls /usr/lib/postgresql/*/bin/initdb'
  need_pkg python3           command -v python3
fi
if [ "$purpose" = test ]; then
  # The live-engine tests (run as root): a throwaway dockerd and an image built from busybox-static.
  # The systemd ones use the host's own systemd, unshare and nsenter (util-linux).
  need_pkg docker.io         test -x /usr/sbin/dockerd
  need_pkg busybox-static    sh -c 'dpkg -s busybox-static 2>/dev/null | grep -q "^Status: install ok installed"'
  need_pkg curl              command -v curl     # the test support drives the Engine API with curl
  need_pkg procps            command -v pgrep
  # A real Alertmanager for the Alertmanager tests, and promtool to check /metrics.
  # Their postinst scripts would start daemons on the default ports: a policy-rc.d that
  # answers 101 keeps them stopped (the tests start their own on free loopback ports).
  need_pkg prometheus-alertmanager sh -c 'command -v prometheus-alertmanager || command -v alertmanager'
  need_pkg prometheus        command -v promtool
  # A real sshd (and the client) for the remote-host tests; its service is not started.
  need_pkg openssh-server    test -x /usr/sbin/sshd
  need_pkg openssh-client    command -v ssh
  # Checks the payment provider fakes' objects against ../shared/providers' JSON Schemas.
  need_pkg python3-jsonschema /usr/bin/python3 -c 'import jsonschema'
  # The package test (LivePackageTests): the unprivileged `opsbot` user restarts a unit through
  # systemctl → D-Bus → polkit, inside the live-systemd namespace; dpkg-deb builds the package.
  need_pkg dbus              test -x /usr/bin/dbus-daemon
  need_pkg polkitd           test -x /usr/lib/polkit-1/polkitd
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # No daemon may start while installing (docker.io's postinst would start the host's dockerd with
    # default flags, openssh-server would listen on port 22): policy-rc.d 101 while apt runs.
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    policy=/usr/sbin/policy-rc.d; guard=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; guard=1; fi
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { [ $guard = 1 ] && rm -f "$policy"; exit 1; }
    if [ $guard = 1 ]; then rm -f "$policy"; fi
  else
    echo "deps: missing Debian packages: ${missing[*]}" >&2
    echo "deps: install them with:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# graphql-core validates the Railway backend's GraphQL documents against Railway's schema (a test).
if [ "$purpose" = test ] && command -v python3 >/dev/null && ! python3 -c 'import graphql' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: installing graphql-core (pip)" >&2
    python3 -m pip --version >/dev/null 2>&1 || apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends python3-pip >/dev/null
    python3 -m pip install --quiet graphql-core 2>/dev/null || python3 -m pip install --quiet --break-system-packages graphql-core
  else
    echo "deps: missing graphql-core; install it with:  python3 -m pip install graphql-core" >&2
    exit 1
  fi
fi

if ! command -v swift >/dev/null; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "deps: swift is in /opt/swift/usr/bin but not on PATH; the Makefile adds it" >&2
  else
    echo "deps: no Swift toolchain found (need Swift 6.0 or newer: https://www.swift.org/install/linux/)" >&2
    exit 1
  fi
fi
