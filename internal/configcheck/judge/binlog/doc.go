// Package binlog holds check_repl_config's rules on binary logs and GTIDs,
// part of package judge: errant transactions (what a replica holds that no
// server upstream has), GTID domains of a MariaDB ring, MySQL GTID modes
// along each edge, binary log retention headroom, binary log formats, and
// replication filters. Each rule takes a verdict.Audit (or, for a relation,
// the topology) and adds findings; it is pure.
package binlog
