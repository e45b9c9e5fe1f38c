package server

import (
	"fmt"
	"strings"
)

// Identity is what a server says it is: flavour, version and the raw strings.
type Identity struct {
	Flavor  Flavor  // MySQL, MariaDB or Percona; Unknown until detected
	Version Version // the release number, without the MariaDB "5.5.5-" prefix
	Raw     string  // @@version as returned
	Comment string  // @@version_comment as returned
}

// mariaDBReplicationPrefix is what MariaDB 10.x/11.x put in front of their
// version in the handshake (and, behind some proxies, in @@version) so that
// old MySQL replicas accept them as a 5.5 source.
const mariaDBReplicationPrefix = "5.5.5-"

// Parse builds an Identity from @@version and @@version_comment.
func Parse(version, comment string) (Identity, error) {
	raw := version
	v := strings.TrimSpace(version)
	lowerV := strings.ToLower(v)
	lowerC := strings.ToLower(comment)

	flavor := MySQL
	switch {
	case strings.Contains(lowerV, "mariadb") || strings.Contains(lowerC, "mariadb"):
		flavor = MariaDB
		if strings.HasPrefix(v, mariaDBReplicationPrefix) {
			v = v[len(mariaDBReplicationPrefix):]
		}
	case strings.Contains(lowerC, "percona") || strings.Contains(lowerV, "percona"):
		flavor = Percona
	}

	ver, err := ParseVersion(v)
	if err != nil {
		return Identity{}, fmt.Errorf("parse server version: %w", err)
	}
	return Identity{Flavor: flavor, Version: ver, Raw: raw, Comment: comment}, nil
}

// String returns flavour and version, such as "MariaDB 10.11.6".
func (id Identity) String() string {
	if id.Flavor == Unknown && id.Raw == "" {
		return "unknown server"
	}
	return id.Flavor.String() + " " + id.Version.String()
}

// SameFamily reports whether both servers are of one known flavour and the
// same major.minor series, so that their CHECKSUM TABLE results compare.
func (id Identity) SameFamily(o Identity) bool {
	return id.Flavor != Unknown && id.Flavor == o.Flavor &&
		id.Version.Major == o.Version.Major && id.Version.Minor == o.Version.Minor
}
