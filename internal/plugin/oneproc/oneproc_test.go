package oneproc

import (
	"os"
	"runtime"
	"testing"
)

func TestOneProcessor(t *testing.T) {
	if _, set := os.LookupEnv("GOMAXPROCS"); set {
		t.Skip("GOMAXPROCS is set in the environment, which the package honours")
	}
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Errorf("GOMAXPROCS = %d after init, want 1", n)
	}
}
