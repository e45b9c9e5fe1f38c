// Package e2e holds the end-to-end test of the suite as a monitoring system
// runs it, behind the build tag e2e so that `go test ./...` skips it:
//
//	make e2e    # as root on Debian: builds the .deb, runs lintian on it, then
//	go test -tags e2e ./internal/testkit/e2e -args -deb dist/replmon-plugins_..._amd64.deb -version V
//
// It installs the package with dpkg and checks its version, man pages,
// copyright and changelog, starts the seed's topology (internal/testkit/
// sandbox), and runs three daemons on the shipped definitions, with only
// addresses, ports and paths rewritten for the sandbox:
//
//   - a private icinga2 daemon on the CheckCommands, services (intervals
//     shortened) and hosts; the states it recorded are read through a
//     PerfdataWriter (e2e_test.go);
//   - a private nagios4 daemon on commands.cfg and services.cfg (each host's
//     port as -P in $ARG1$) with Debian's stock templates, contacts,
//     time periods and check-host-alive, verified with nagios4 -v; checks are
//     forced through its external command pipe and the states read from
//     status.dat, logged beside the plugin's own output (nagios_test.go);
//   - a private nrpe daemon on the shipped command lines, whose answers to
//     check_nrpe must equal running each plugin directly.
//
// All of it healthy first, then after faults it injects. Every daemon is
// stopped and the package purged at the end. ensure-daemons installs
// icinga2-bin, nagios4-core, monitoring-plugins-basic, the NRPE packages
// and lintian.
package e2e
