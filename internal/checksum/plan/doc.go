// Package plan is what check_repl_checksum compares and the text it sends:
// the tables (their names, and their description from information_schema),
// how the rows method cuts a table into chunks along its primary key, and
// the pieces every statement is written with (quoting, literals, the row
// hash, chunk WHERE clauses).
//
// It is pure: it writes statements but sends none, so that the judge
// (../judge) and the render (../render) can name tables and columns
// without reaching a server; the reader (../read) runs what it writes.
package plan
