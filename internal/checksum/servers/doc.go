// Package servers is check_repl_checksum's side of the servers and of the
// replication between them. It connects to the source, the replicas and
// the intermediate servers on their way (set.go, node.go) and keeps
// read-only sessions to each (session.go); reads each server's identity
// and replication facts (facts.go) and finds how each replica gets the
// source's changes (route.go); reads coordinates (coords.go) and runs the
// waits that make a server reach them (waits.go); lock.go holds --lock.
//
// It reads and does not judge. Every statement it sends is chosen from the
// server's identity, never by trial and error, and every session is
// read-only.
package servers
