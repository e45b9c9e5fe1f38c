// Package e2e holds the end-to-end test of the suite as a monitoring system
// runs it, behind the build tag e2e so that `go test ./...` skips it:
//
//	make e2e    # as root on Debian: builds the .deb, runs lintian on it, then
//	go test -tags e2e ./internal/testkit/e2e -args -deb dist/replmon-plugins_..._amd64.deb -version V
//
// It installs the package with dpkg and checks its version, man pages,
// copyright and changelog, starts the seed's topology (internal/testkit/
// sandbox), and runs three daemons on the shipped definitions, with only
// names of hosts, ports and paths rewritten for the sandbox:
//
//   - icinga2 in the distributed layout of replmon-zones.conf: a master
//     and a satellite per site, each with its own directories, API port
//     and a certificate signed by the master's CA; the master schedules
//     the shipped services (replmon-nrpe.conf's included), the satellites
//     run the plugins (command_endpoint), and the test reads the results
//     through the master's API and the metrics its GraphiteWriter sends
//     (icinga_test.go);
//   - nagios4 on commands.cfg, services.cfg (each host's port as -P in
//     $ARG1$) and replmon-nrpe.cfg with Debian's stock templates, contacts,
//     time periods, check-host-alive and service_check_timeout, verified
//     with nagios4 -v; checks are forced through its external command pipe
//     and the results read from status.dat (nagios_test.go);
//   - nrpe with Debian's stock nrpe.cfg (its command_timeout) and the
//     shipped replmon.cfg, asked by check_nrpe with the shipped -t, and by
//     the Nagios and Icinga 2 services that go through NRPE (nrpe_test.go).
//
// Where a daemon runs plugins, its plugin directory is a recorder
// (record_test.go): the package's plugins wrapped so that a copy of what
// each run printed is kept. What every daemon stored — summary line,
// performance data, long output, state — must be byte for byte what the
// plugin printed in that run, and its performance data must pass the
// strict parser of internal/testkit/perfdata. All of it healthy first,
// then after a fault for each plugin. Every daemon is stopped and the
// package purged at the end. ensure-daemons installs icinga2-bin,
// nagios4-core, monitoring-plugins-basic, the NRPE packages and lintian.
package e2e
