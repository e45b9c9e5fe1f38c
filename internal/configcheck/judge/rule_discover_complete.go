package judge

import (
	"fmt"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// discoverComplete (discover-complete; --discover only): discovery could
// follow every replica of every server it read; each server whose replicas
// it could not all follow gets a finding at the --incomplete level, naming
// how many, why, and what lets them be followed.
func discoverComplete(t *topology.Topology, o Options) []Finding {
	var out []Finding
	for _, u := range t.Unfollowed {
		if !u.Node.Audited {
			continue
		}
		what := "its replicas could not all be followed"
		switch {
		case u.Count == 1:
			what = "1 replica could not be followed"
		case u.Count > 1:
			what = fmt.Sprintf("%d replicas could not be followed", u.Count)
		}
		out = append(out, Finding{Rule: RuleDiscoverComplete, Level: o.Incomplete, Node: u.Node, Fix: unfollowedFix(u),
			Text: fmt.Sprintf("%s: %s, so neither %s nor what replicates from %s is audited", what, u.Why, they(u.Count), them(u.Count))})
	}
	return out
}

// they and them are the pronouns for n replicas.
func they(n int) string {
	if n == 1 {
		return "it"
	}
	return "they"
}

func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// unfollowedFix is what lets discovery follow the replicas: the privilege
// that lists them, and their address reported with report_host/report_port.
func unfollowedFix(u topology.Unfollowed) Fix {
	report := "set report_host and report_port in [mysqld] of each replica (then restart it), or name the replicas with --server"
	switch {
	case u.Privilege != "" && u.ReportHost:
		return Fix{Advice: GrantAdvice(topology.Privilege{Name: u.Privilege, Server: u.Node.Name()}) +
			" (SHOW REPLICA HOSTS then lists the replicas), with report_host and report_port set on each replica"}
	case u.Privilege != "":
		return Fix{Advice: GrantAdvice(topology.Privilege{Name: u.Privilege, Server: u.Node.Name()})}
	case u.ReportHost:
		return Fix{Advice: report}
	}
	return Fix{Advice: "name the replicas with --server"}
}
