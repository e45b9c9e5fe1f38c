package verdict

// Rule ids, stable across releases: monitoring filters and documentation use
// them. Each rule is judged in the file named after it, in package judge or,
// for the binary log and GTID rules, in package binlog (rule_log_bin.go for
// log-bin), a close family in one file: rule_auto_increment.go (with
// auto-increment-offsets), rule_read_only.go (with super-read-only),
// rule_relay_log_recovery.go (with relay-log-info-repository),
// rule_durability.go (sync-binlog, flush-log-at-trx-commit), rule_ssl.go
// (replication-ssl), rule_unique_ids.go (server-id-unique,
// server-uuid-unique), rule_errant.go (errant-transactions),
// rule_gtid_domain.go (gtid-domain), rule_retention.go (binlog-retention),
// rule_conflicts.go (exec-mode, skip-errors, skip-counter), rule_binlog_format.go
// (binlog-format), rule_filters.go (replication-filters), rule_gtid_mode.go
// (gtid-mode). reachable, variables and discover are decided in
// evaluate.go, discover-complete in rule_discover_complete.go.
const (
	RuleReachable            = "reachable"                 // a named server answers
	RuleVariables            = "variables"                 // the global variables can be read
	RuleServerID             = "server-id"                 // server_id is set (non-zero)
	RuleLogBin               = "log-bin"                   // a source or ring member writes a binary log
	RuleLogSlaveUpdates      = "log-slave-updates"         // a relay or ring member logs what it replicates
	RuleAutoIncrement        = "auto-increment"            // a ring member spaces AUTO_INCREMENT for the ring
	RuleReadOnly             = "read-only"                 // a pure replica is read_only
	RuleSuperReadOnly        = "super-read-only"           // read_only also stops privileged accounts (information)
	RuleRelayLogRecovery     = "relay-log-recovery"        // a replica recovers its relay log after a crash
	RuleRelayLogInfoRepo     = "relay-log-info-repository" // a replica keeps its applier position in a table (MySQL 5.6-8.0)
	RuleSyncBinlog           = "sync-binlog"               // --durability: sync_binlog = 1
	RuleFlushLogAtTrxCommit  = "flush-log-at-trx-commit"   // --durability: innodb_flush_log_at_trx_commit = 1
	RuleSSL                  = "replication-ssl"           // --require-ssl: every replication link uses SSL
	RuleVersionOrder         = "version-order"             // a replica is not older than its source
	RuleExpect               = "expect"                    // --expect VAR=VALUE holds
	RuleServerIDUnique       = "server-id-unique"          // no two servers share a server_id
	RuleServerUUIDUnique     = "server-uuid-unique"        // no two servers share a server_uuid (MySQL 5.6+)
	RuleAutoIncrementOffsets = "auto-increment-offsets"    // ring members generate distinct AUTO_INCREMENT values
	RuleSourceInSet          = "source-in-set"             // every source of a --server set is in the set
	RuleDiscover             = "discover"                  // --discover could read what it found
	RuleDiscoverComplete     = "discover-complete"         // --discover could follow every replica
	RuleErrant               = "errant-transactions"       // a replica holds no transaction its sources lack
	RuleGTIDDomain           = "gtid-domain"               // MariaDB masters of a ring that take writes have a GTID domain each
	RuleRetention            = "binlog-retention"          // a replica can stay disconnected long enough before it needs a purged binary log
	RuleExecMode             = "exec-mode"                 // a replica stops on a conflict (slave_exec_mode STRICT)
	RuleSkipErrors           = "skip-errors"               // a replica skips no error (slave_skip_errors OFF)
	RuleSkipCounter          = "skip-counter"              // no event waits to be skipped (sql_slave_skip_counter 0)
	RuleBinlogFormat         = "binlog-format"             // relays and ring members log rows, ring members alike
	RuleFilters              = "replication-filters"       // the servers of one topology filter alike
	RuleGTIDMode             = "gtid-mode"                 // MySQL GTID modes work along each replication edge
)
