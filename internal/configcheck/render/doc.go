// Package render is the last step of check_repl_config's read → judge →
// render: it writes the findings of package judge as plugin output — a
// summary naming the worst finding, the findings grouped by server with
// each server's role in words, notes, the topology drawn as a tree — and
// perfdata. It is pure: a topology and findings in, a plugin.Report
// filled, no connection.
package render
