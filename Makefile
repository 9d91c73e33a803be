# AdvoLogix Connect — build, run and test.
#
#   make run    build and open the app (installs the system packages it needs)
#   make test   everything CI runs: lint, unit, integration, cross-builds,
#               Wine, packages; deterministic, with a time table at the end
#   make fuzz   the fuzzers' random search (FUZZTIME each; not in make test)
#   make demo   the app against a local Salesforce emulator, with a demo account
#   make bench  the benchmarks in bench/ (prints the figures the issues ask for)
#   make dist   the installable packages in dist/: signed MSI and exe, .tar.xz, .deb
#   make windows  the Windows build under Wine against the emulator (part of make test)

GO          ?= go
# The command line (no cgo: static on Linux, a console exe on Windows) and
# the desktop program beside it (Fyne, cgo). See README "Two programs".
BIN         := bin/advologix-connect
DESKTOP_BIN := bin/advologix-connect-desktop
EMULATOR    := bin/sfemulator
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
# The consumer key of the AdvoLogix External Client App, built into a
# release: make dist ADVOLOGIX_CLIENT_ID_BUILTIN=3MVG9…. Without it the
# build has none (a development build), and `version` and Settings say so.
ADVOLOGIX_CLIENT_ID_BUILTIN ?=
LDFLAGS     += $(if $(strip $(ADVOLOGIX_CLIENT_ID_BUILTIN)),-X github.com/advologix/advologix-connect/internal/connection.BuiltInClientID=$(strip $(ADVOLOGIX_CLIENT_ID_BUILTIN)))
TOOLS       := $(CURDIR)/bin/tools
STATICCHECK := $(TOOLS)/staticcheck
STATICCHECK_VERSION := v0.7.0
# make fuzz's budget per target. An execution count, not a duration: a
# duration races Go's fuzz coordinator at the deadline (golang/go#75804,
# fixed in Go 1.27) and fails for nothing.
FUZZTIME    ?= 200000x
# The command fuzzer runs a whole check per input (a server, a client, a
# report), about a hundred times slower than the parsers' fuzzers.
FUZZTIME_CLI ?= 10000x
ARTIFACTS   ?= $(CURDIR)/.artifacts
WINE_TEMPLATE := bin/wine-template

export CGO_ENABLED := 1
export LANG := en_US.UTF-8
# One flag set for every build of the app and its packages: the release
# build, vet, staticcheck, the benchmarks and the binaries the tests run
# all compile with -trimpath, so each package (above all the cgo GL
# driver, minutes cold) is compiled once for them all; -race and the
# Windows cross-build are the only other sets.
GOFLAGS     += -trimpath
export GOFLAGS
# cgo's kind probe without GCC's spelling hints: the GL driver's cgo step
# goes from minutes to seconds, and the programs stay byte-identical
# (scripts/cgo-probe.h says how; internal/testing/cgoprobe proves it).
export CGO_CFLAGS := $(shell scripts/cgo-cflags.sh)
# The programs the tests run (the app, stand-ins), linked once for all the
# test sessions of a run (internal/testing/testbin).
export ADVOLOGIX_TEST_BIN_DIR := $(CURDIR)/bin/test

.PHONY: run build demo test lint race-deps unit fuzz integration e2e clients cross cross-darwin bench bench-smoke deps-build deps-test deps-windows clean wine-prefix windows test-programs FORCE

deps-build:
	@scripts/ensure-deps.sh build

deps-test:
	@scripts/ensure-deps.sh build runtime-test cross wine dist

# go-out.sh replaces the binary only when its bytes change, so what
# depends on it (the packages, cached test results) is redone only then.
build: deps-build $(BIN) $(DESKTOP_BIN)

$(BIN): FORCE
	@CGO_ENABLED=0 scripts/go-out.sh $(BIN) build -trimpath -ldflags '$(LDFLAGS)' ./cmd/advologix-connect

$(DESKTOP_BIN): FORCE
	@scripts/go-out.sh $(DESKTOP_BIN) build -trimpath -ldflags '$(LDFLAGS)' ./cmd/advologix-connect-desktop

$(EMULATOR): $(shell find internal/testing/sftest internal/testing/sfemulator -name '*.go' 2>/dev/null)
	$(GO) build -o $@ ./internal/testing/sfemulator

# The command line without a command starts the desktop program beside it.
run: build
	./$(BIN)

demo: build $(EMULATOR)
	@scripts/demo.sh $(BIN) $(EMULATOR)

# make test runs its stages three at a time, each timed by
# scripts/stage.sh, and prints the table of where the time went.
# e2e (the desktop end-to-end tests, 5–6 min, waiting on X, OCR and the
# tray for much of it) is the long pole, so the order is built around
# starting it the moment what it needs is there:
#   - first, what the test stages need: the clients' install (the
#     shortest), the race builds and the test programs, which keep both
#     cores busy on their own;
#   - then e2e, then integration (the other packages with tests against
#     real things, 2–3 min), and only then the rest, the Windows exes
#     (cross) too: they wait for e2e's needs (below). make's -j walk
#     starts the ready stages in this list's order and waits for a slot at
#     each one it can start; a stage ready earlier would take e2e's slot.
# Nothing in it is random: the fuzzers run their seed and committed
# corpora as ordinary tests (go test runs every Fuzz target's corpus);
# their random search is `make fuzz`. Test results are Go's cached ones
# when nothing a test reads changed (see README, "The suite's cost").
export STAGE_DIR := $(CURDIR)/bin/stages
STAGES := clients race-deps test-programs e2e integration cross lint unit windows dist bench-smoke dist-test
E2E_NEEDS := stage-race-deps stage-test-programs

test: deps-test
	@scripts/stage.sh --begin
	@$(MAKE) --no-print-directory -j3 --output-sync=target $(addprefix stage-,$(STAGES)); \
	  status=$$?; scripts/stage.sh --table; \
	  if [ $$status = 0 ]; then echo "make test: all passed"; else echo "make test: FAILED"; fi; exit $$status

stage-%:
	@scripts/stage.sh $* $(MAKE) --no-print-directory $*

# What a stage needs from another (the rest run side by side).
stage-e2e: $(E2E_NEEDS)
stage-integration: $(E2E_NEEDS) stage-clients
stage-unit: stage-race-deps
stage-bench-smoke: stage-test-programs
stage-windows: stage-cross stage-test-programs
stage-dist: stage-cross
stage-dist-test: stage-dist
# Not needs but order: nothing starts before e2e could (see above), and
# the benchmarks wait for unit, so that they never take a slot from the
# stages that take longer.
stage-cross stage-lint stage-unit stage-windows stage-dist: $(E2E_NEEDS)
stage-bench-smoke: stage-unit

$(STATICCHECK):
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# Lint sees every file once: the tagged test files are a superset of the
# untagged ones, except the few files that leave integration builds
# (//go:build !integration), whose packages are linted again untagged.
LINT_TAGS     := integration,disttest,crashtest
UNTAGGED_PKGS  = $(shell grep -rl --include='*.go' '^//go:build.*!integration' . | xargs -n1 dirname | sort -u)

lint: $(STATICCHECK)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go') ); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	@scripts/check-file-size.sh 400
	$(GO) vet -tags $(LINT_TAGS) ./...
	$(GO) vet $(UNTAGGED_PKGS)
	$(STATICCHECK) -tags $(LINT_TAGS) ./...
	$(STATICCHECK) $(UNTAGGED_PKGS)
	cd internal/testing/clients/go && $(GO) vet ./... && $(STATICCHECK) ./...

# The packages with integration tests run all their tests (unit ones
# too) in `integration`, inside the test session; here only the others,
# so nothing runs twice.
UNIT_PKGS = $(filter-out $(patsubst ./%,$(MODULE)/%,$(INTEGRATION_PKGS) $(E2E_PKG)) $(MODULE)/internal/testing/wintest,$(shell $(GO) list ./...))
MODULE = $(shell $(GO) list -m)

unit:
	$(GO) test -race $(UNIT_PKGS)

# The fuzzers' random search, FUZZTIME inputs per target; not part of make
# test. A find is saved under the package's testdata/fuzz/; fix the code or
# the rule, and commit the input: from then on it is a seed that every go
# test runs.
fuzz:
	@for target in FuzzParseSOAPLogin FuzzParseAPIError FuzzParseUserInfo FuzzParseVersions; do \
	  $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) ./sfclient/ || exit 1; \
	done
	$(GO) test -run '^$$' -fuzz '^FuzzCheckCommand$$' -fuzztime $(FUZZTIME_CLI) ./internal/cli/

# Every package compiled once with -race, on both cores, before unit,
# integration and e2e: cold, they would otherwise compile the same race
# builds (Fyne, the cgo GL driver) side by side, and integration one at a
# time (its -p 1 keeps its packages apart and serialises its builds too).
# go list -export compiles (into Go's build cache) without linking.
race-deps:
	$(GO) list -race -export -deps ./... > /dev/null

# Every program the tests run, built before any test (see testbin): a test
# result is reused only while the programs it ran are the same.
test-programs:
	$(GO) run ./internal/testing/testbin/prebuild

# The real Salesforce clients that internal/testing/clients runs (jsforce,
# the Salesforce CLI, a Go client), pinned, installed into bin/clients when
# missing or changed; a warm run only hashes their lock files.
clients:
	@scripts/ensure-clients.sh

# Tests against the real things: a Secret Service, an X server, the binary.
# Only the packages that have integration tests run again here, one package
# at a time: they share the session's keyring (credstore's tests lock it on
# purpose), display and bus names. The end-to-end tests, which bring
# desktops of their own, are the e2e stage (below).
INTEGRATION_PKGS = $(shell grep -rl --include='*_test.go' '^//go:build integration' . | xargs -n1 dirname | sort -u | grep -v -e '^./internal/testing/wintest$$' -e '^$(E2E_PKG)$$')

# go test's own 10-minute limit is no limit for a package of desktop tests
# on a loaded 2-core machine (internal/testing/e2e alone is 5 min on an
# idle one): it would end a healthy run with a panic. CI's own limit is 90.
TEST_TIMEOUT := 45m

integration:
	mkdir -p $(ARTIFACTS)
	ADVOLOGIX_SESSION=integration ADVOLOGIX_ARTIFACTS=$(ARTIFACTS) scripts/test-session.sh $(GO) test -race -p 1 -timeout $(TEST_TIMEOUT) -tags integration $(INTEGRATION_PKGS)

# The desktop end-to-end tests, each in a full desktop of its own
# (desktoptest.StartSession), so they run in a session beside
# integration's rather than after it: the longest package of all.
E2E_PKG := ./internal/testing/e2e

e2e:
	mkdir -p $(ARTIFACTS)
	ADVOLOGIX_SESSION=e2e ADVOLOGIX_ARTIFACTS=$(ARTIFACTS) scripts/test-session.sh $(GO) test -race -timeout $(TEST_TIMEOUT) -tags integration $(E2E_PKG)

# The other platforms' code paths at least build: the command line and the
# keychain and Salesforce packages for macOS, both programs for Windows
# (the command line pure Go, the desktop program cgo through mingw).
# The exe's icon, manifest and version resource (packaging/windows/winres.sh):
# a generated object file that `go build` links for windows/amd64 only.
WINRES      := $(TOOLS)/go-winres
WINRES_VERSION := v0.3.3
SYSO        := cmd/advologix-connect/rsrc_windows_amd64.syso
DESKTOP_SYSO := cmd/advologix-connect-desktop/rsrc_windows_amd64.syso

$(WINRES):
	GOBIN=$(TOOLS) $(GO) install github.com/tc-hib/go-winres@$(WINRES_VERSION)

$(SYSO): $(WINRES) FyneApp.toml packaging/windows/winres.sh packaging/meta.sh $(wildcard assets/icon-*.png)
	packaging/windows/winres.sh $@ advologix-connect.exe

$(DESKTOP_SYSO): $(WINRES) FyneApp.toml packaging/windows/winres.sh packaging/meta.sh $(wildcard assets/icon-*.png)
	packaging/windows/winres.sh $@ "AdvoLogix Connect.exe"

# The command line, a console exe (no mingw), and the desktop program, a
# GUI exe (mingw; packaging installs it as "AdvoLogix Connect.exe").
WIN_EXE := bin/advologix-connect.exe
WIN_DESKTOP_EXE := bin/advologix-connect-desktop.exe

cross: cross-darwin $(WIN_EXE) $(WIN_DESKTOP_EXE)

cross-darwin:
	GOOS=darwin  CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/advologix-connect ./sfclient/... ./credstore/... ./internal/cli/... ./internal/autostart/... ./internal/single/...

# Built once, shared by `cross` and `windows`; go build itself is a no-op
# when nothing changed.
$(WIN_EXE): $(SYSO) FORCE
	@GOOS=windows CGO_ENABLED=0 scripts/go-out.sh $@ build -trimpath -ldflags '$(LDFLAGS)' ./cmd/advologix-connect

$(WIN_DESKTOP_EXE): $(DESKTOP_SYSO) FORCE
	@GOOS=windows CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc scripts/go-out.sh $@ build -trimpath -ldflags '$(LDFLAGS) -H windowsgui' ./cmd/advologix-connect-desktop

FORCE:

# The Windows build run under Wine (test harness: internal/testing/wintest, with a
# throw-away prefix per run copied from bin/wine-template): the check
# contract, Credential Manager, LockFileEx, the Run key, the named pipe,
# the system proxy, and the wizard and Settings window photographed under
# Xvfb. internal/single's own tests also run as a Windows test binary.
deps-windows:
	@scripts/ensure-deps.sh build runtime-test cross wine dist

SINGLE_TEST_EXE := bin/test/single.test.exe

windows: deps-windows $(WIN_EXE) $(WIN_DESKTOP_EXE) bin/test/single.test.passed
	ADVOLOGIX_SESSION=windows ADVOLOGIX_ARTIFACTS=$(ARTIFACTS) ADVOLOGIX_WIN_EXE=$(CURDIR)/$(WIN_EXE) ADVOLOGIX_WIN_DESKTOP_EXE=$(CURDIR)/$(WIN_DESKTOP_EXE) ADVOLOGIX_WINE_TEMPLATE=$(CURDIR)/$(WINE_TEMPLATE) \
	  scripts/test-session.sh $(GO) test -race -timeout $(TEST_TIMEOUT) -tags integration ./internal/testing/wintest/

$(WINE_TEMPLATE)/.advologix-ready: scripts/wine-prefix.sh internal/testing/wintest/shim/bcryptprimitives.c
	scripts/wine-prefix.sh $(WINE_TEMPLATE)

$(SINGLE_TEST_EXE): FORCE
	@GOOS=windows CGO_ENABLED=0 scripts/go-out.sh $@ test -c ./internal/single/

# internal/single's tests as a Windows test binary under Wine; run again
# only when that binary changed.
bin/test/single.test.passed: $(SINGLE_TEST_EXE) $(WINE_TEMPLATE)/.advologix-ready
	mkdir -p $(ARTIFACTS)/windows
	WINEPREFIX=$$(mktemp -d)/p sh -c 'cp -a $(WINE_TEMPLATE) $$WINEPREFIX && WINEDEBUG=-all /usr/lib/wine/wine64 $(SINGLE_TEST_EXE) -test.count=1; s=$$?; timeout 20 wineserver -k; rm -rf "$$(dirname $$WINEPREFIX)"; exit $$s'
	touch $@

# Each benchmark once, so they keep working (`make bench` gives the
# figures). A benchmark's result is never cached by go test, so the bench
# test binary is built here and run again only when it or a program it
# runs changed.
BENCH_TEST := bin/test/bench.test
BENCH_SMOKE := CheckVsCurl|VersionVsHello|SaveRead|BrowserSignIn|SessionsAtOnce|Startup$$|TrayIdle|WindowMemory

$(BENCH_TEST): FORCE
	@scripts/go-out.sh $@ test -c -tags integration ./bench/

bench-smoke: bin/test/bench.passed

bin/test/bench.passed: $(BENCH_TEST) $(wildcard bin/test/advologix-connect-* bin/test/barewindow-* bin/test/baretray-* bin/test/hello-*)
	cd bench && ADVOLOGIX_SESSION=bench ../scripts/test-session.sh ../$(BENCH_TEST) -test.run '^$$' -test.bench '$(BENCH_SMOKE)' -test.benchtime 1x
	touch $@

bench: deps-test
	scripts/test-session.sh $(GO) test -tags integration -run '^$$' -bench 'CheckVsCurl|VersionVsHello|SaveRead|BrowserSignIn|SessionsAtOnce|Startup$$|TrayIdle' -benchtime 20x ./bench/
	scripts/test-session.sh $(GO) test -tags integration -run '^$$' -bench 'WindowMemory' -benchtime 5x ./bench/

# A Wine prefix in which Go Windows binaries start (test harness only: the
# bcryptprimitives.dll shim is never shipped). Tests copy it per run;
# WINE_TEMPLATE is defined at the top.

wine-prefix:
	@scripts/ensure-deps.sh wine cross
	@$(MAKE) --no-print-directory $(WINE_TEMPLATE)/.advologix-ready

# Installable packages (README "Packaging"). The exe is the one `cross`
# builds, the Linux binary the one `build` builds: nothing is built twice.
# Signing uses the builder's certificate from ADVOLOGIX_SIGN_PFX (see
# packaging/sign.sh), else a throw-away test certificate.
FYNE        := $(TOOLS)/fyne
FYNE_VERSION := v1.7.4
DIST        ?= $(CURDIR)/dist
APP_VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
APP_BUILD   := $(shell sed -n 's/^Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
DIST_EXE    := $(DIST)/advologix-connect.exe
DIST_DESKTOP_EXE := $(DIST)/advologix-connect-desktop.exe
DIST_MSI    := $(DIST)/AdvoLogix-Connect-$(APP_VERSION)-x64.msi
DIST_TAR    := $(DIST)/advologix-connect-$(APP_VERSION)-linux-amd64.tar.xz
DIST_DEB    := $(DIST)/advologix-connect_$(APP_VERSION)-$(APP_BUILD)_amd64.deb

.PHONY: dist dist-windows dist-linux dist-test dist-macos deps-dist

$(FYNE):
	GOBIN=$(TOOLS) $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_VERSION)

deps-dist:
	@scripts/ensure-deps.sh dist

# The policy templates are copied with their times (cp -p): dist-test
# reads dist/'s listing, and a fresh time on every run would keep its
# result out of Go's test cache.
dist: dist-windows dist-linux
	@cp -p packaging/policy/advologix-connect.admx $(DIST)/ && mkdir -p $(DIST)/en-US && cp -p packaging/policy/en-US/advologix-connect.adml $(DIST)/en-US/
	@ls -l $(DIST_EXE) $(DIST_DESKTOP_EXE) $(DIST_MSI) $(DIST_TAR) $(DIST_DEB)

# Each package is made again only when what goes into it changed.
dist-windows: deps-dist cross $(DIST_MSI)

$(DIST_EXE): $(WIN_EXE) packaging/sign.sh packaging/meta.sh
	mkdir -p $(DIST)
	cp $(WIN_EXE) $@.tmp
	packaging/sign.sh $@.tmp
	mv -f $@.tmp $@

$(DIST_DESKTOP_EXE): $(WIN_DESKTOP_EXE) packaging/sign.sh packaging/meta.sh
	mkdir -p $(DIST)
	cp $(WIN_DESKTOP_EXE) $@.tmp
	packaging/sign.sh $@.tmp
	mv -f $@.tmp $@

$(DIST_MSI): $(DIST_EXE) $(DIST_DESKTOP_EXE) $(wildcard packaging/windows/*) packaging/sign.sh packaging/meta.sh FyneApp.toml
	packaging/windows/msi.sh $(DIST_EXE) $(DIST_DESKTOP_EXE) $@.tmp.msi
	packaging/sign.sh $@.tmp.msi
	mv -f $@.tmp.msi $@

dist-linux: deps-dist build $(FYNE) $(DIST_DEB)

# fyne packages it: a need of this file, not only of dist-linux (whose
# prerequisites make builds side by side: the tarball once started before
# the tool was installed).
$(DIST_TAR): $(BIN) $(DESKTOP_BIN) $(wildcard packaging/linux/*) packaging/meta.sh FyneApp.toml assets/icon-512.png | $(FYNE)
	mkdir -p $(DIST)
	packaging/linux/tarball.sh $(BIN) $(DESKTOP_BIN) $@

$(DIST_DEB): $(DIST_TAR) $(BIN) $(DESKTOP_BIN) $(wildcard packaging/linux/*) packaging/meta.sh
	packaging/linux/deb.sh $(BIN) $(DESKTOP_BIN) $(DIST_TAR) $@

# Installs, runs and removes the packages: the .deb on this machine (root),
# the MSI in a throw-away Wine prefix (silent install over a package of
# the single-exe versions, version, check against the emulator, the
# registry policy, uninstall).
dist-test: wine-prefix
	ADVOLOGIX_DIST=$(DIST) ADVOLOGIX_WINE_TEMPLATE=$(CURDIR)/$(WINE_TEMPLATE) \
	  $(GO) test -tags disttest -v -timeout $(TEST_TIMEOUT) -run 'Test' ./packaging/

# On a Mac with Xcode's command-line tools only: the signed, notarised app.
dist-macos:
	packaging/macos/dist-macos.sh $(DIST)

clean:
	rm -rf bin $(ARTIFACTS) $(DIST) $(SYSO) $(DESKTOP_SYSO)
