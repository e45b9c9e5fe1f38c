// Package server identifies a MySQL-family server (flavour and version) and
// chooses, from that identity alone, the statements the checks send to it.
//
// The flavour and version are parsed once from @@version and
// @@version_comment and compared numerically, never as floats or strings.
// Every statement whose spelling depends on the server is chosen in
// statements.go, so one table test covers them all.
package server
