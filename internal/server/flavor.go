package server

// Flavor is the family a server belongs to.
type Flavor int

// The flavours this package tells apart.
const (
	// Unknown is the zero value: no server has been identified.
	Unknown Flavor = iota
	// MySQL is Oracle MySQL, and any server that does not say otherwise.
	MySQL
	// MariaDB is MariaDB Server, recognised by "MariaDB" in its version or comment.
	MariaDB
	// Percona is Percona Server for MySQL, recognised by "Percona" in its comment.
	Percona
)

// String returns the flavour's usual name, or "unknown".
func (f Flavor) String() string {
	switch f {
	case MySQL:
		return "MySQL"
	case MariaDB:
		return "MariaDB"
	case Percona:
		return "Percona"
	default:
		return "unknown"
	}
}

// mysqlLike reports whether the flavour follows Oracle MySQL's statement
// syntax (Percona Server does, release for release).
func (f Flavor) mysqlLike() bool { return f == MySQL || f == Percona }
