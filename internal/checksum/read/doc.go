// Package read is check_repl_checksum's side of the servers. It connects
// to the source, the replicas and the intermediate servers on their way
// (servers.go, node.go) and keeps read-only sessions to each (session.go);
// reads each server's identity and replication facts (facts.go) and finds
// how each replica gets the source's changes (route.go); reads
// coordinates (coords.go) and runs the waits that make a server reach
// them (waits.go); reads information_schema (schema.go); and sums a table
// with one Method per way of summing: CHECKSUM TABLE (checksumtable.go),
// the rows method (rows.go) and the column list (structure.go). keys.go
// reads the rows behind a difference, lock.go holds --lock.
//
// It reads and does not judge: the checksum package hands what it reads
// to the judge (../judge) through the judge's SourceSide and ReplicaSide.
// Every statement it sends is chosen from the server's identity, never by
// trial and error, and every session is read-only.
package read
