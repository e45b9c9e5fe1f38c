package judge

import "github.com/replmon/replmon/internal/configcheck/topology"

// durability (sync-binlog, flush-log-at-trx-commit; --durability only):
// a committed transaction survives a crash in the binary log and in InnoDB.
func durability(j *audit) {
	if bin, ok := j.N.Bool("log_bin"); ok && bin {
		if v, ok := j.N.Int("sync_binlog"); !ok {
			j.Missing(RuleSyncBinlog, "sync_binlog")
		} else if v != 1 {
			j.Add(RuleSyncBinlog, Warning, Fix{Cnf: "sync_binlog = 1", Now: "SET GLOBAL sync_binlog = 1"},
				"sync_binlog is %d, not 1 (--durability): after a power loss the binary log can lack transactions that InnoDB committed, and replicas never get them", v)
		} else {
			j.Add(RuleSyncBinlog, Pass, Fix{}, "sync_binlog is 1")
		}
	}
	if v, ok := j.N.Var("innodb_flush_log_at_trx_commit"); !ok {
		j.Missing(RuleFlushLogAtTrxCommit, "innodb_flush_log_at_trx_commit")
	} else if n, _ := topology.ParseInt(v); n != 1 {
		j.Add(RuleFlushLogAtTrxCommit, Warning, Fix{Cnf: "innodb_flush_log_at_trx_commit = 1", Now: "SET GLOBAL innodb_flush_log_at_trx_commit = 1"},
			"innodb_flush_log_at_trx_commit is %s, not 1 (--durability): a crash can lose the last second of committed transactions", v)
	} else {
		j.Add(RuleFlushLogAtTrxCommit, Pass, Fix{}, "innodb_flush_log_at_trx_commit is 1")
	}
}
