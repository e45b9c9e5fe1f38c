// Package judge is check_repl_config's verdict, the step between read and
// render: it applies the rules to every audited server of a
// topology.Topology and the relations between them (identifiers shared
// between servers, auto-increment offsets within a ring, sources outside a
// --server set), and returns findings, each with its level, why it matters
// and the my.cnf line that fixes it. It is pure: a topology and options
// in, findings out, no connection. Its vocabulary (levels, findings,
// fixes, options, rule ids, the Audit of one server) is package verdict;
// the rules on binary logs and GTIDs (errant transactions, GTID domains and
// modes, retention, binary log formats, replication filters) are package
// binlog.
package judge
