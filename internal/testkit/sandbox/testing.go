package sandbox

import (
	"context"
	"errors"
	"testing"
	"time"
)

// startTimeout bounds StartT.
const startTimeout = 2 * time.Minute

// StartT starts topo for a test. It fails the test (never skips) when
// mariadbd is missing or does not start, stops the sandbox in t.Cleanup,
// and logs the tail of every server's error log if the test failed.
func StartT(t testing.TB, topo Topology) *Sandbox {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	sb, err := Start(ctx, topo)
	if errors.Is(err, ErrNotInstalled) {
		t.Fatal(ErrNotInstalled.Error())
	}
	if err != nil {
		t.Fatalf("sandbox: could not start the MariaDB servers: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, s := range sb.servers {
				n := 20
				if !s.Running() {
					n = 120 // it died: the whole crash report, stack included
				}
				t.Logf("sandbox: %s (server_id %d, %s) error log, last %d lines:\n%s",
					s.Name, s.ServerID, s.Addr(), n, s.LogTail(n))
			}
		}
		if err := sb.Stop(); err != nil {
			t.Errorf("sandbox: stop: %v", err)
		}
	})
	return sb
}
