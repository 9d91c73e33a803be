# AdvoLogix Connect — build, run and test.
#
#   make run    build and open the app (installs the system packages it needs)
#   make test   everything CI runs: lint, unit, fuzz, integration, cross-builds
#   make demo   the app against a local Salesforce emulator, with a demo account
#   make bench  the benchmarks in bench/ (prints the figures the issues ask for)
#   make windows  the Windows build under Wine against the emulator (part of make test)

GO          ?= go
BIN         := bin/advologix-connect
EMULATOR    := bin/sfemulator
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
TOOLS       := $(CURDIR)/bin/tools
STATICCHECK := $(TOOLS)/staticcheck
STATICCHECK_VERSION := v0.7.0
# An execution count, not a duration: a duration races Go's fuzz coordinator
# at the deadline (golang/go#75804, fixed in Go 1.27) and fails for nothing.
FUZZTIME    ?= 30000x
ARTIFACTS   ?= $(CURDIR)/.artifacts

export CGO_ENABLED := 1
export LANG := en_US.UTF-8

.PHONY: run build demo test lint unit fuzz integration cross cross-darwin bench bench-smoke deps-build deps-test deps-windows clean wine-prefix windows FORCE

deps-build:
	@scripts/ensure-deps.sh build

deps-test:
	@scripts/ensure-deps.sh build runtime-test cross wine

build: deps-build
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/advologix-connect

$(EMULATOR): $(shell find sfclient/sftest cmd/sfemulator -name '*.go' 2>/dev/null)
	$(GO) build -o $@ ./cmd/sfemulator

run: build
	./$(BIN)

demo: build $(EMULATOR)
	@scripts/demo.sh $(BIN) $(EMULATOR)

test: deps-test lint unit fuzz integration cross windows bench-smoke
	@echo "make test: all passed"

$(STATICCHECK):
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: $(STATICCHECK)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go') ); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags integration ./...
	$(STATICCHECK) ./...
	$(STATICCHECK) -tags integration ./...

unit:
	$(GO) test -race -count=1 ./...

# Each fuzz target runs its seed corpus plus a short random search.
fuzz:
	@for target in FuzzParseSOAPLogin FuzzParseAPIError FuzzParseUserInfo FuzzParseVersions; do \
	  $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) ./sfclient/ || exit 1; \
	done

# Tests against the real things: a Secret Service, an X server, the binary.
# Only the packages that have integration tests run again here, one package
# at a time: they share the session's keyring (credstore's tests lock it on
# purpose), display and bus names.
INTEGRATION_PKGS = $(shell grep -rl --include='*_test.go' '^//go:build integration' . | xargs -n1 dirname | sort -u | grep -v '^./internal/wintest$$')

integration:
	mkdir -p $(ARTIFACTS)
	ADVOLOGIX_ARTIFACTS=$(ARTIFACTS) scripts/test-session.sh $(GO) test -race -count=1 -p 1 -tags integration $(INTEGRATION_PKGS)

# The other platforms' code paths at least build: the keychain and Salesforce
# packages for macOS, the whole app (cgo, mingw) for Windows.
WIN_EXE := bin/advologix-connect.exe

cross: cross-darwin $(WIN_EXE)

cross-darwin:
	GOOS=darwin  CGO_ENABLED=0 $(GO) build -o /dev/null ./sfclient/... ./credstore/... ./internal/cli/... ./internal/autostart/... ./internal/single/...

# Built once, shared by `cross` and `windows`; go build itself is a no-op
# when nothing changed.
$(WIN_EXE): FORCE
	GOOS=windows CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc $(GO) build -trimpath -ldflags '$(LDFLAGS) -H windowsgui' -o $@ ./cmd/advologix-connect

FORCE:

# The Windows build run under Wine (test harness: internal/wintest, with a
# throw-away prefix per run copied from bin/wine-template): the check
# contract, Credential Manager, LockFileEx, the Run key, the named pipe,
# the system proxy, and the wizard and Settings window photographed under
# Xvfb. internal/single's own tests also run as a Windows test binary.
deps-windows:
	@scripts/ensure-deps.sh build runtime-test cross wine

windows: deps-windows $(WIN_EXE)
	scripts/wine-prefix.sh $(WINE_TEMPLATE)
	mkdir -p $(ARTIFACTS)/windows
	GOOS=windows CGO_ENABLED=0 $(GO) test -c -o bin/single.test.exe ./internal/single/
	WINEPREFIX=$$(mktemp -d)/p sh -c 'cp -a $(WINE_TEMPLATE) $$WINEPREFIX && WINEDEBUG=-all /usr/lib/wine/wine64 bin/single.test.exe -test.count=1; s=$$?; wineserver -k; rm -rf "$$(dirname $$WINEPREFIX)"; exit $$s'
	ADVOLOGIX_ARTIFACTS=$(ARTIFACTS) ADVOLOGIX_WIN_EXE=$(CURDIR)/$(WIN_EXE) ADVOLOGIX_WINE_TEMPLATE=$(CURDIR)/$(WINE_TEMPLATE) \
	  scripts/test-session.sh $(GO) test -race -count=1 -tags integration ./internal/wintest/

# Each benchmark twice, so they keep working; `make bench` gives the figures.
bench-smoke:
	scripts/test-session.sh $(GO) test -tags integration -run '^$$' -bench 'CheckVsCurl|SaveRead|BrowserSignIn' -benchtime 2x ./bench/

bench: deps-test
	scripts/test-session.sh $(GO) test -tags integration -run '^$$' -bench 'CheckVsCurl|SaveRead|BrowserSignIn|Startup$$' -benchtime 20x ./bench/

# A Wine prefix in which Go Windows binaries start (test harness only: the
# bcryptprimitives.dll shim is never shipped). Tests copy it per run.
WINE_TEMPLATE := bin/wine-template

wine-prefix:
	@scripts/ensure-deps.sh wine cross
	scripts/wine-prefix.sh $(WINE_TEMPLATE)

clean:
	rm -rf bin $(ARTIFACTS)
