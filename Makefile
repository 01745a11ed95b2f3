# opsbot — the two commands a newcomer needs:
#   make demo   build and open the console on the embedded demo (no Telegram token needed)
#   make test   run the whole test suite (starts its own throwaway PostgreSQL)

export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
# Debug builds are what the tests use; `make release` for deployment.
BIN := .build/debug/opsbot

.PHONY: demo test build release bench validate clean dist deb install uninstall version man

demo:
	@scripts/deps.sh demo
	@$(SWIFT) build --product opsbot
	@scripts/demo.sh

# `make test` (CI) runs the suites in parallel. Backoff, retry_after, expiry and progress timers
# run on a manual clock. Swift's cooperative pool has one thread per core and swift-testing
# starts every test at once, so nothing slow may hold a pool thread: engine and binary suites
# take turns on threads of their own (`@Suite(.exclusive)`), light suites that bound wall time
# get threads of their own (`@Suite(.ownThreads)`, both in Tests/TestTraits), and CPU-heavy
# test bodies run through `runBlocking`. (`swift test --no-parallel` still runs them serially.)
test:
	@scripts/deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build:
	@scripts/deps.sh build
	$(SWIFT) build

# The Swift runtime and Foundation linked in: the loader no longer maps and relocates a dozen
# Swift libraries at start, and only the code opsbot uses is in the binary (idle RSS: BENCHMARKS.md).
RELEASE := -c release --static-swift-stdlib

release:
	@scripts/deps.sh build
	$(SWIFT) build $(RELEASE) --product opsbot
	@echo "built .build/release/opsbot"

# Installing without a Swift toolchain on the server (README, "Install"). The version is
# OpsbotVersion.string (Sources/OpsbotCore/Metrics/OpsMetrics.swift), the one place it is kept;
# `opsbot --version` prints the same. `make dist` checks the binary links only Debian's runtime
# libraries and runs with the toolchain hidden (scripts/check-dist.sh).
VERSION := $(shell sed -n 's/.*static let string = "\(.*\)".*/\1/p' Sources/OpsbotCore/Metrics/OpsMetrics.swift)
PREFIX ?= /usr/local
DESTDIR ?=
DIST ?= dist

version:
	@echo $(VERSION)

# The man page, from the binary's own help by swift-argument-parser's generate-manual (built
# once, ~1 min; not part of `make test`). scripts/stage.sh installs it when it is there.
man: release
	$(SWIFT) build --product generate-manual
	@mkdir -p .build/man && .build/debug/generate-manual .build/release/opsbot --output-directory .build/man
	@sed -i 's/^$$/.Pp/' .build/man/opsbot.1   # blank lines of the help text: mdoc paragraph breaks
	@echo "built .build/man/opsbot.1"

dist: release man
	@scripts/mkdist.sh .build/release/opsbot $(DIST)

deb: release man
	@scripts/mkdeb.sh .build/release/opsbot $(DIST)
	@cd $(DIST) && sha256sum ./*.tar.gz ./*.deb 2>/dev/null | sed 's| \./| |' > SHA256SUMS; true

# make install PREFIX=/usr/local (DESTDIR for staging): the binary, the catalog it finds in
# PREFIX/share/opsbot/Commands, the unit in PREFIX/lib/systemd/system, shell completion.
install: release man
	@STRIP=1 scripts/stage.sh .build/release/opsbot "$(DESTDIR)" "$(PREFIX)"
	@echo "installed opsbot $(VERSION) under $(DESTDIR)$(PREFIX); next: README, \"Install\""

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/opsbot" "$(DESTDIR)$(PREFIX)/lib/systemd/system/opsbot.service" \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/opsbot" "$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_opsbot" \
	  "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/opsbot.fish" "$(DESTDIR)$(PREFIX)/share/man/man1/opsbot.1.gz"
	rm -rf "$(DESTDIR)$(PREFIX)/share/opsbot" "$(DESTDIR)$(PREFIX)/share/doc/opsbot"

bench:
	@scripts/deps.sh test
	$(SWIFT) build $(RELEASE) --product opsbot
	$(SWIFT) build $(RELEASE) --product opsbench
	.build/release/opsbench

validate: build
	$(BIN) validate

clean:
	rm -rf .build .demo .state dist
