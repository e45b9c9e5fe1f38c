# replmon: Nagios/Icinga plugins for MySQL and MariaDB replication.
SHELL       := /bin/bash
GO          ?= go
# The version -V, the man pages and the .deb all print, from git
# (packaging/version): 1.2.3 at tag v1.2.3, 1.2.3+4.g1a2b3c4 after it,
# 0~17.g1a2b3c4 before the first tag, +dirty with uncommitted changes.
# Computed once; `make deb VERSION=1.2.3` outside a git checkout.
ifeq ($(origin VERSION),undefined)
VERSION     := $(shell bash packaging/version)
endif
PREFIX      ?= /usr
DESTDIR     ?=
PLUGINDIR   ?= $(PREFIX)/lib/nagios/plugins
MANDIR      ?= $(PREFIX)/share/man/man1
DATADIR     ?= $(PREFIX)/share/replmon-plugins
MANOUT      := dist/man
# The Debian package: nfpm, pinned, installed on first use outside the module.
NFPM_VERSION   ?= v2.44.0
NFPM           ?= $(HOME)/.cache/replmon/nfpm-$(NFPM_VERSION)/nfpm
# The Maintainer field (and the changelog's signature). The default is a
# well-formed placeholder in the reserved .invalid domain, which lintian
# accepts; a published package sets a real one: make deb DEB_MAINTAINER='Name <a@b>'.
DEB_MAINTAINER ?= replmon maintainers <maintainers@replmon.invalid>
DEB_VERSION    ?= $(patsubst v%,%,$(VERSION))
DEB_ARCH       ?= $(shell dpkg --print-architecture 2>/dev/null || $(GO) env GOARCH)
DEB_FILE       := dist/replmon-plugins_$(DEB_VERSION)_$(DEB_ARCH).deb
PLUGINS     := $(patsubst %/main.go,%,$(wildcard check_repl_*/main.go))
LDFLAGS     := -s -w -X main.version=$(VERSION)
# Start-up trick (its figure: internal/startup): Go's garbage collector
# before Green Tea touches fewer fresh pages in a run of a few milliseconds.
# Used while the Go toolchain offers the experiment; empty otherwise (and
# overridable: make GOEXPERIMENT_BUILD=).
GOEXPERIMENT_BUILD ?= $(shell GOEXPERIMENT=nogreenteagc $(GO) env GOEXPERIMENT 2>/dev/null)
GOTESTFLAGS ?= -count=1 -timeout 25m

export PATH := $(PATH):/usr/local/go/bin
# Static binaries everywhere (build, demo, tests, .deb): a plugin must run on
# any monitoring host, and a static Go binary starts faster than a cgo one.
CGO_ENABLED ?= 0
export CGO_ENABLED

.PHONY: help build test unit demo install deps vet clean

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST) | column -t -s ':'

## build: build the plugins into bin/
build: $(addprefix bin/,$(PLUGINS))

bin/%: FORCE
	@mkdir -p bin
	GOEXPERIMENT=$(GOEXPERIMENT_BUILD) $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $@ ./$*

FORCE:

## deps: install what the integration tests run (mariadb-server and -client, mariadb-backup, percona-toolkit, graphviz) when missing, as root with apt-get; else say what to install
deps:
	@bash .ci/ensure-test-deps

## vet: gofmt and go vet
vet:
	@fmt=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$fmt" ]; then echo "gofmt needed: $$fmt"; exit 1; fi
	$(GO) vet ./...

## unit: tests that need no server (fast)
unit:
	$(GO) test -short $(GOTESTFLAGS) ./...

## test: every test, including integration tests on real mariadbd servers
test: deps vet build
	$(GO) test $(GOTESTFLAGS) ./...

## demo: start the seed's topology on loopback, run every plugin against it, draw it into dist/demo (healthy, broken), tear down
demo: deps build
	$(GO) run ./tools/demo -bin bin -out dist/demo

.PHONY: man deb lint-deb e2e

## man: write one man page per plugin into dist/man, from the flags the plugins parse
man:
	$(GO) run ./tools/manpage -out $(MANOUT) -version '$(VERSION)'

# The definitions of contrib/ name Debian's paths; install rewrites them
# for another PLUGINDIR or DATADIR: the plugins by absolute path instead of
# $$USER1$$ (Nagios) and PluginDir (Icinga 2), which stay Debian's monitoring
# plugins' directory for check_nrpe and the rest.
DEBIAN_PLUGINDIR := /usr/lib/nagios/plugins
DEBIAN_DATADIR   := /usr/share/replmon-plugins
CONTRIB_PATHS    := $(if $(filter-out $(DEBIAN_PLUGINDIR),$(PLUGINDIR)),\
  -e 's|$(DEBIAN_PLUGINDIR)/check_repl_|$(PLUGINDIR)/check_repl_|g' \
  -e 's|[$$]USER1[$$]/check_repl_|$(PLUGINDIR)/check_repl_|g' \
  -e 's|PluginDir + "/check_repl_|"$(PLUGINDIR)/check_repl_|g') \
  $(if $(filter-out $(DEBIAN_DATADIR),$(DATADIR)),-e 's|$(DEBIAN_DATADIR)/|$(DATADIR)/|g')

## install: install plugins, man pages and Icinga 2/Nagios/NRPE definitions under $(DESTDIR)$(PREFIX)
install: build man
	install -d $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(MANDIR)
	install -m 0755 $(addprefix bin/,$(PLUGINS)) $(DESTDIR)$(PLUGINDIR)/
	install -m 0644 $(patsubst %,$(MANOUT)/%.1,$(PLUGINS)) $(DESTDIR)$(MANDIR)/
	for d in icinga2 nagios nrpe; do \
	  install -d $(DESTDIR)$(DATADIR)/$$d || exit 1; \
	  for f in contrib/$$d/*; do \
	    sed -e '' $(CONTRIB_PATHS) $$f > $(DESTDIR)$(DATADIR)/$$d/$${f##*/} && chmod 0644 $(DESTDIR)$(DATADIR)/$$d/$${f##*/} || exit 1; \
	  done; \
	done

## deb: build dist/replmon-plugins_<version>_<arch>.deb (static plugins, man pages, definitions, copyright, changelog) with nfpm
deb:
	@test -n '$(DEB_VERSION)' || { echo "no version: this is not a git checkout; run make deb VERSION=X.Y.Z"; exit 1; }
	rm -rf dist/deb dist/changelog dist/changelog.gz $(DEB_FILE)
	CGO_ENABLED=0 $(MAKE) --no-print-directory install VERSION='$(VERSION)' DESTDIR=$(CURDIR)/dist/deb PREFIX=/usr \
	  PLUGINDIR=/usr/lib/nagios/plugins MANDIR=/usr/share/man/man1 DATADIR=/usr/share/replmon-plugins
	gzip -9n dist/deb/usr/share/man/man1/*.1
	$(GO) run ./tools/debchangelog -version '$(DEB_VERSION)' -maintainer '$(DEB_MAINTAINER)' \
	  -date "$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)}" < CHANGELOG.md > dist/changelog
	gzip -9n dist/changelog
	@test -x $(NFPM) || { echo "installing nfpm $(NFPM_VERSION) into $(dir $(NFPM))"; \
	  cd / && GOFLAGS=-mod=mod GOBIN=$(dir $(NFPM)) $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION); }
	GOARCH=$$($(GO) env GOARCH) DEB_VERSION='$(DEB_VERSION)' DEB_MAINTAINER='$(DEB_MAINTAINER)' \
	  $(NFPM) package --config packaging/nfpm.yaml --packager deb --target $(DEB_FILE)

## lint-deb: build the .deb and run lintian on it, failing on any error (the static binaries carry an override)
# One run that shows every tag, overrides included, and fails on an error
# (lintian's own --fail-on counts overridden tags once they are shown).
lint-deb: deb
	bash internal/testkit/e2e/ensure-daemons
	set -o pipefail; lintian --fail-on none --display-info --show-overrides $(DEB_FILE) 2>&1 | tee dist/lintian.txt
	@if grep -q '^E:' dist/lintian.txt; then echo "lintian: errors in $(DEB_FILE)"; exit 1; fi

## e2e: build the .deb, lintian it, install it and run the plugins from the shipped definitions in real icinga2, nagios4 and nrpe daemons (root, Debian)
e2e: deps lint-deb
	$(GO) test -tags e2e $(GOTESTFLAGS) -v ./internal/testkit/e2e -args -deb $(CURDIR)/$(DEB_FILE) -version '$(VERSION)'

.PHONY: bench

## bench: time the plugins beside check_mysql, check_mysql_health, pmp-check-mysql-replication-running and pt-table-checksum on sandbox servers; writes docs/BENCHMARKS.md
bench: deps
	bash tools/bench/ensure-tools
	CGO_ENABLED=0 $(MAKE) --no-print-directory build
	REPLMON_GOEXPERIMENT=$(GOEXPERIMENT_BUILD) $(GO) run ./tools/bench -bin bin -out docs/BENCHMARKS.md $(BENCHFLAGS)

## clean: remove build output
clean:
	rm -rf bin dist
