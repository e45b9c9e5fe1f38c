package servers

import (
	"testing"

	"github.com/replmon/replmon/internal/testkit/fakedb"
)

// fakes are fake servers behind nodes' sessions, by node label.
type fakes map[string]*fakedb.Server

// fakeServers gives each node a session pool answered by a fake server
// that knows script (every node the same) and records what it is sent.
func fakeServers(t *testing.T, nodes ...*Node) fakes {
	t.Helper()
	return fakeServersWith(t, nil, nodes...)
}

func fakeServersWith(t *testing.T, script map[string]fakedb.Result, nodes ...*Node) fakes {
	t.Helper()
	out := fakes{}
	for _, n := range nodes {
		f := fakedb.New(script)
		db := f.DB()
		t.Cleanup(func() { db.Close() })
		n.pool = newPool(db, 2, nil)
		out[n.Label] = f
	}
	return out
}

// sent returns every statement sent to any of the fakes, prefixed with the
// node's label.
func (f fakes) sent() []string {
	var out []string
	for label, s := range f {
		for _, q := range s.Queries() {
			out = append(out, label+": "+q)
		}
	}
	return out
}
