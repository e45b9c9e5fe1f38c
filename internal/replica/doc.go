// Package replica reads replication status into one model, Channel, whatever
// the dialect: SHOW SLAVE STATUS (MySQL 5.0 to 8.0, MariaDB), SHOW REPLICA
// STATUS (MySQL 8.0.22 and later) or SHOW ALL SLAVES STATUS (MariaDB 10.0
// and later). Columns are found by name, never by position, and every row
// is kept, one Channel each.
package replica
