# opsbot — the two commands a newcomer needs:
#   make demo   build and open the console on the embedded demo (no Telegram token needed)
#   make test   run the whole test suite (starts its own throwaway PostgreSQL)

export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
# Debug builds are what the tests use; `make release` for deployment.
BIN := .build/debug/opsbot

.PHONY: demo test test-parallel build release bench validate clean

demo:
	@scripts/deps.sh demo
	@$(SWIFT) build --product opsbot
	@scripts/demo.sh

# `make test` (CI) runs the suites one after another; `make test-parallel` runs them at once.
# Backoff, retry_after, expiry and progress timers run on a manual clock, and the suites that
# bound wall time on real I/O or start engines take turns (`@Suite(.exclusive)`,
# Tests/TestTraits/Exclusive.swift), so the parallel run passes too — but on 2 cores its first
# seconds (80 suites, PostgreSQL, dockerd and systemd starting at once) delayed a process spawn
# or a cancellation past its bound in 3 of 7 fresh-clone runs, so CI keeps the serial order.
test:
	@scripts/deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

test-parallel:
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

bench:
	@scripts/deps.sh test
	$(SWIFT) build $(RELEASE) --product opsbot
	$(SWIFT) build $(RELEASE) --product opsbench
	.build/release/opsbench

validate: build
	$(BIN) validate

clean:
	rm -rf .build .demo .state
