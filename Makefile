# Sealbox: the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build release check-binaries deb test-deb demo test test-swift test-e2e bench bench-daemon bench-workstation fuzz fuzz-build fuzz-smoke clean

## Installs what the project needs on Debian (idempotent).
setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build

## Release binaries with the Swift standard library and Foundation linked in statically, so
## that a server needs only Debian's libraries (docs/OPERATIONS.md §1; checked by check-binaries).
RELEASE_FLAGS := -c release --static-swift-stdlib
release: setup
	$(SWIFT) build $(RELEASE_FLAGS) --product sealboxd
	$(SWIFT) build $(RELEASE_FLAGS) --product sealbox

## `ldd` of the release binaries names only libraries of Debian packages, nothing of /opt/swift.
check-binaries: release
	./scripts/check-binaries.sh "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)"

## The Debian packages sealbox and sealboxd (scripts/build-deb.sh) in .build/debs.
deb: release
	./scripts/build-deb.sh "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)"

## Installs the packages into a clean Debian 12 root (debootstrap, chroot) and runs them
## there: install, start as the sealbox user, a report read back, a backup, remove, purge.
test-deb: deb
	./scripts/test-deb.sh

## Builds, creates demo keys and configuration in ./demo, runs the daemon on 127.0.0.1.
demo: build
	@./scripts/demo.sh

## Runs every test: Swift unit tests, then the end-to-end tests against the real daemon and CLI.
## The interop tests run the generator sealbox-interop-export (built with the package); PyNaCl opens what it sealed.
## It ends with `make fuzz-smoke` (every fuzz target briefly; a clean fuzz build takes 6–10 minutes); FUZZ_SMOKE=0 skips it.
FUZZ_SMOKE ?= 1
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2
	SEALBOX_BIN=$$($(SWIFT) build --show-bin-path) $(PYTHON) -m pytest -q Tests/e2e Tests/interop
	if [ "$(FUZZ_SMOKE)" = 1 ]; then $(MAKE) fuzz-smoke; fi

test-swift: setup
	$(SWIFT) test

test-e2e: build
	SEALBOX_BIN=$$($(SWIFT) build --show-bin-path) $(PYTHON) -m pytest -q Tests/e2e Tests/interop

## Every benchmark (docs/BENCHMARK.md): the daemon's, then the workstation's and the desk's.
bench: bench-daemon bench-workstation

## Starts the release daemon and measures submissions over loopback (see docs/BENCHMARK.md).
bench-daemon: release
	SEALBOX_BIN=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path) $(PYTHON) scripts/bench.py

## The workstation on a large store (issue 11 "Speed"): a generated store of BENCH_CASES cases
## and BENCH_ITEMS items, then `sealbox sync`, `list`, `list --due` and `show` against it.
BENCH_CASES ?= 10000
BENCH_ITEMS ?= 100000
bench-workstation: release
	$(SWIFT) build $(RELEASE_FLAGS) --product sealbox-bench-store
	SEALBOX_BIN=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path) $(PYTHON) scripts/bench_workstation.py \
		--cases $(BENCH_CASES) --items $(BENCH_ITEMS)

## Fuzzing (docs/FUZZING.md): the libFuzzer targets of the package in Fuzz/, built with
## -sanitize=fuzzer,address into .build-fuzz so that the main build is never instrumented.
FUZZ_SECONDS ?= 60
FUZZ_SANITIZE ?= fuzzer,address

fuzz-build: setup
	$(SWIFT) build --package-path Fuzz --scratch-path $(CURDIR)/.build-fuzz -Xswiftc -sanitize=$(FUZZ_SANITIZE)

## Runs each fuzz target for FUZZ_SECONDS after replaying its regression inputs.
fuzz: fuzz-build
	Fuzz/run.sh run $(FUZZ_SECONDS)

## Replays every regression input and runs each target briefly; `make test FUZZ_SMOKE=1` runs it too.
fuzz-smoke: fuzz-build
	Fuzz/run.sh smoke

clean:
	rm -rf .build .build-fuzz demo
