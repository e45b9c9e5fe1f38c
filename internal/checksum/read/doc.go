// Package read is check_repl_checksum's reading of the tables: it lists
// and describes them from information_schema (schema.go) and sums a table
// with one Method per way of summing: CHECKSUM TABLE (checksumtable.go),
// the rows method (rows.go) and the column list (structure.go); keys.go
// reads the rows behind a difference.
//
// The servers it reads, their sessions and the replication between them
// are package servers (../servers). It reads and does not judge: the
// checksum package hands what it reads to the judge (../judge) through the
// judge's SourceSide and ReplicaSide. Every statement it sends is written
// by package plan (../plan).
package read
