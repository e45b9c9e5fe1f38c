# replmon: Nagios/Icinga plugins for MySQL and MariaDB replication.
SHELL       := /bin/bash
GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
PREFIX      ?= /usr
DESTDIR     ?=
PLUGINDIR   ?= $(PREFIX)/lib/nagios/plugins
MANDIR      ?= $(PREFIX)/share/man/man1
PLUGINS     := $(patsubst %/main.go,%,$(wildcard check_repl_*/main.go))
LDFLAGS     := -s -w -X main.version=$(VERSION)
GOTESTFLAGS ?= -count=1 -timeout 25m

export PATH := $(PATH):/usr/local/go/bin

.PHONY: help build test unit demo install deps vet clean

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST) | column -t -s ':'

## build: build the plugins into bin/
build: $(addprefix bin/,$(PLUGINS))

bin/%: FORCE
	@mkdir -p bin
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $@ ./$*

FORCE:

## deps: install mariadb-server when missing (as root with apt-get), else say what to install
deps:
	@bash .ci/ensure-mariadb

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

## demo: start the seed's topology on loopback, run every plugin against it, tear down
demo: deps build
	$(GO) run ./internal/demo -bin bin

## install: install plugins into $(DESTDIR)$(PLUGINDIR)
install: build
	install -d $(DESTDIR)$(PLUGINDIR)
	install -m 0755 $(addprefix bin/,$(PLUGINS)) $(DESTDIR)$(PLUGINDIR)/

## clean: remove build output
clean:
	rm -rf bin dist
