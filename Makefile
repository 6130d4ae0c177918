# Sealbox: the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build release demo test test-swift test-e2e bench clean

## Installs what the project needs on Debian (idempotent).
setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

## Builds, creates demo keys and configuration in ./demo, runs the daemon on 127.0.0.1.
demo: build
	@./scripts/demo.sh

## Runs every test: Swift unit tests, then the end-to-end tests against the real daemon and CLI.
## The interop tests run the generator sealbox-interop-export (built with the package); PyNaCl opens what it sealed.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2
	SEALBOX_BIN=$$($(SWIFT) build --show-bin-path) $(PYTHON) -m pytest -q Tests/e2e Tests/interop

test-swift: setup
	$(SWIFT) test

test-e2e: build
	SEALBOX_BIN=$$($(SWIFT) build --show-bin-path) $(PYTHON) -m pytest -q Tests/e2e Tests/interop

## Starts the release daemon and measures submissions over loopback (see docs/BENCHMARK.md).
bench: release
	SEALBOX_BIN=$$($(SWIFT) build -c release --show-bin-path) $(PYTHON) scripts/bench.py

clean:
	rm -rf .build demo
