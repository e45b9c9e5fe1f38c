package checksum

import "github.com/replmon/replmon/internal/gtid"

// waitTarget returns the part of a source's GTID position that a server
// with server_id self has to wait for: a GTID the server originated itself
// is never sent back to it in a way MASTER_GTID_WAIT sees, and it has
// that transaction anyway.
func waitTarget(pos string, self uint32) (string, error) {
	p, err := gtid.ParseMariaDB(pos)
	if err != nil {
		return "", err
	}
	return p.Without(self).String(), nil
}

// notCovered returns the GTIDs of want not originated by self and not yet
// in have.
func notCovered(want, have string, self uint32) (string, error) {
	w, err := gtid.ParseMariaDB(want)
	if err != nil {
		return "", err
	}
	h, err := gtid.ParseMariaDB(have)
	if err != nil {
		return "", err
	}
	return w.Missing(h, self).String(), nil
}
