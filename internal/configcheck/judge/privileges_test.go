package judge

import (
	"fmt"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/read"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
)

// usageOnly makes s look as a USAGE-only account reads it: the replica
// status refused (as MariaDB 10.11 refuses it), no SHOW REPLICA HOSTS, and
// a processlist that shows only the account's own session.
func usageOnly(s *topology.Snapshot) *topology.Snapshot {
	s.Channels = nil
	s.ChannelsErr = fmt.Errorf("SHOW ALL SLAVES STATUS: %w", query.Explain(&query.ServerError{Number: 1227, SQLState: "42000",
		Message: "Access denied; you need (at least one of) the SUPER, SLAVE MONITOR privilege(s) for this operation"}))
	s.Replicas = topology.Replicas{Stmt: read.ProcesslistQuery, Processlist: true,
		HostsErr: fmt.Errorf("SHOW REPLICA HOSTS: %w", query.Explain(&query.ServerError{Number: 1227, SQLState: "42000",
			Message: "Access denied; you need (at least one of) the REPLICATION MASTER ADMIN privilege(s) for this operation"}))}
	return s
}

// TestUsageOnlyAccount: an account that cannot read the replication
// status gets no advice from data it could not read — neither read_only
// for a ring master nor auto-increment spacing for a plain master — but
// UNKNOWN findings naming the privilege it lacks, and the fix is the grant.
func TestUsageOnlyAccount(t *testing.T) {
	const maria = "10.11.6-MariaDB"
	for _, tc := range []struct {
		name string
		s    *topology.Snapshot
	}{
		{"ring master", usageOnly(from(mk("m1:3306", 1, maria, "read_only", "OFF", "auto_increment_increment", "2", "auto_increment_offset", "1"), "m2:3306"))},
		{"plain master", usageOnly(mk("m:3306", 1, maria, "read_only", "OFF", "relay_log_recovery", "OFF"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := Evaluate(topo(topology.Single, tc.s), Options{})
			unknown := 0
			for _, f := range fs {
				fix := f.Fix.String()
				for _, advice := range []string{"read_only", "auto_increment", "relay_log_recovery", "log_bin"} {
					if strings.Contains(fix, advice) {
						t.Errorf("[%s] advises %s from data it could not read: %s", f.Rule, advice, fix)
					}
				}
				if f.Level > Info && f.Level != Unknown {
					t.Errorf("[%s] %s judged from data it could not read: %s", f.Rule, f.Level, f.Text)
				}
				if f.Level != Unknown {
					continue
				}
				unknown++
				if f.Privilege == "" || !strings.Contains(f.Text, "lacks "+f.Privilege) || !strings.Contains(fix, "GRANT "+f.Privilege+" ON *.*") {
					t.Errorf("[%s] UNKNOWN without naming the privilege to grant: %q (privilege %q), %s", f.Rule, f.Text, f.Privilege, fix)
				}
			}
			if unknown == 0 {
				t.Errorf("no UNKNOWN finding: %v", fs)
			}
			if f := find(t, fs, RuleReadOnly, tc.s.Addr.String()); f.Privilege != "SLAVE MONITOR" ||
				!strings.HasPrefix(f.Text, "not judged (read_only must be ON on a replica outside a ring of masters): cannot tell whether it replicates: the monitoring account lacks SLAVE MONITOR") {
				t.Errorf("read-only: %q (privilege %q)", f.Text, f.Privilege)
			}
		})
	}
}
