// Package configcheck audits the replication configuration of one MySQL or
// MariaDB server, or of a whole multi-master topology, before a missing line
// in my.cnf loses data: binary logging, log_slave_updates on relays and ring
// members, auto-increment spacing in rings, server_id uniqueness, read-only
// replicas, crash safety, replication SSL, version order along each
// replication edge and site-pinned variables.
//
// Reading (snapshot.go, variables.go, replicahosts.go, processlist.go,
// crawl.go) is the only part that talks to servers, with SELECT and SHOW
// statements only. Everything after it is pure: topology.go turns snapshots
// into servers and replication edges, roles and rings; rules.go and
// relations.go judge them into findings; tree.go and render.go print them.
package configcheck
