package startup

import (
	"runtime/debug"
	"strings"
	"testing"
)

// go.mod's godebug block is a start-up trick that must not change what a
// check connects to: the TLS settings there keep what Go 1.22's defaults
// accepted, and the cgroup settings keep the runtime from reading the
// cgroup at start. Test binaries are built with the same defaults.
func TestGodebugDefaults(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build information in the test binary")
	}
	var got string
	for _, s := range bi.Settings {
		if s.Key == "DefaultGODEBUG" {
			got = s.Value
		}
	}
	set := map[string]string{}
	for _, kv := range strings.Split(got, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			set[k] = v
		}
	}
	for k, want := range map[string]string{
		"containermaxprocs": "0", "updatemaxprocs": "0",
		"tlsmlkem": "0", "tls3des": "1", "tlssha1": "1", "x509negativeserial": "1", "rsa1024min": "0",
	} {
		if set[k] != want {
			t.Errorf("DefaultGODEBUG %q: %s=%q, want %q (go.mod's godebug block)", got, k, set[k], want)
		}
	}
	if _, old := set["asynctimerchan"]; old {
		t.Errorf("DefaultGODEBUG %q holds an older Go's defaults: go.mod's godebug default is not go1.26", got)
	}
}
