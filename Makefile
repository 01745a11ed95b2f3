# opsbot — the two commands a newcomer needs:
#   make demo   build and open the console on the embedded demo (no Telegram token needed)
#   make test   run the whole test suite (starts its own throwaway PostgreSQL)

export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
# Debug builds are what the tests use; `make release` for deployment.
BIN := .build/debug/opsbot

.PHONY: demo test build release bench validate clean

demo:
	@scripts/deps.sh demo
	@$(SWIFT) build --product opsbot
	@scripts/demo.sh

test:
	@scripts/deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build:
	@scripts/deps.sh build
	$(SWIFT) build

release:
	@scripts/deps.sh build
	$(SWIFT) build -c release --product opsbot
	@echo "built .build/release/opsbot"

bench:
	@scripts/deps.sh test
	$(SWIFT) build -c release --product opsbot
	$(SWIFT) build -c release --product opsbench
	.build/release/opsbench

validate: build
	$(BIN) validate

clean:
	rm -rf .build .demo .state
