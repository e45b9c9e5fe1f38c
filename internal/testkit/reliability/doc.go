// Package reliability holds only tests: they run the built plugins
// (check_repl_io, check_repl_checksum, check_repl_config) as a monitoring
// system does, against real mariadbd servers (internal/testkit/sandbox), a wire-level
// fake MySQL server (internal/fakeserver) and a faulty network
// (internal/faultproxy), and check what every plugin must guarantee whatever
// happens: one verdict within -t, consistent states for the same failure, no
// password in any output, nothing changed on the monitored servers, no
// leaked connections, bounded memory, exit 3 with one sentence for any bad
// input, and the right statement for every server dialect.
package reliability
