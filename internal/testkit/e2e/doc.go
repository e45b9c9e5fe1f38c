// Package e2e holds the end-to-end test of the suite as a monitoring system
// runs it, behind the build tag e2e so that `go test ./...` skips it:
//
//	make e2e    # as root on Debian: builds the .deb, then
//	go test -tags e2e ./internal/testkit/e2e -args -deb dist/replmon-plugins_..._amd64.deb -version V
//
// It installs the package with dpkg, starts the seed's topology (internal/
// sandbox), runs a private icinga2 daemon on the shipped CheckCommands,
// services and hosts (addresses, ports and intervals rewritten for the
// sandbox) and reads the states it recorded through a PerfdataWriter, then
// runs a private nrpe daemon on the shipped command lines and compares what
// check_nrpe returns with running each plugin directly: healthy first, then
// after faults it injects. Every daemon is stopped and the package purged
// at the end. ensure-daemons installs icinga2-bin and the NRPE packages.
package e2e
