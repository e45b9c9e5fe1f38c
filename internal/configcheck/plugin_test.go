package configcheck

import (
	"testing"

	"github.com/replmon/replmon/internal/address"
)

// TestGivable: an address read from a server is refused, as --server would
// refuse it, when it names no port or no valid host.
func TestGivable(t *testing.T) {
	for a, want := range map[address.Addr]string{
		address.TCP("db1", 3306):      "",
		address.TCP("::1", 3307):      "",
		address.TCP("db1", 0):         `invalid server address "db1:0": the port must be a number from 1 to 65535`,
		address.TCP("::1", 0):         `invalid server address "[::1]:0": the port must be a number from 1 to 65535`,
		address.TCP("bad host", 3306): `invalid server address "bad host:3306": the host is not a valid host name or IPv4 address`,
		address.TCP("", 3306):         `invalid server address ":3306": the host is not a valid host name or IPv4 address`,
	} {
		got := ""
		if err := givable(a); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("givable(%+v) = %q, want %q", a, got, want)
		}
	}
}
