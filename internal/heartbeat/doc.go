// Package heartbeat reads a pt-heartbeat table (percona-toolkit) on the
// checked server: one row per originating master, each holding the time
// that master last wrote it. A row's age, measured with the checked
// server's own clock in the same statement, is the replication lag from
// that master through every hop in between, which Seconds_Behind_Master
// (the last hop only) cannot tell.
//
// pt-heartbeat --update writes ts as 'YYYY-MM-DDTHH:MM:SS.ffffff' in the
// local time of the machine it runs on, or in UTC with --utc; the row it
// inserts first (--create-table) holds NOW() or UTC_TIMESTAMP(), with a
// space and no fraction. Both are read.
package heartbeat
