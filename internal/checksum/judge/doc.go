// Package judge is check_repl_checksum's verdict on each table and replica:
// the comparison engine that checksums the source and its replicas at the
// same time and settles every difference while writes flow (compare.go,
// settle.go, batch.go; see "Writes in flight" in package checksum), the
// choice of method (method.go), the tables selected by the patterns of the
// command line (selection.go, glob.go), and the differences of rows
// (keys.go) and of column lists (structure.go).
//
// It is pure: it reads the servers only through the SourceSide and
// ReplicaSide interfaces that the checksum package implements over the
// reader (../read), and its verdicts are written by the render (../render).
package judge
