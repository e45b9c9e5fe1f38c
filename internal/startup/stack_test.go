//go:build !replmon_nostackgrow

package startup

import "testing"

func TestGrowMainStack(t *testing.T) {
	done := make(chan int)
	go func() {
		GrowMainStack()
		done <- depth(64)
	}()
	if got := <-done; got != 64 {
		t.Errorf("depth = %d after GrowMainStack, want 64", got)
	}
}

func TestGrowCheckStack(t *testing.T) {
	done := make(chan int)
	go func() {
		GrowCheckStack()
		done <- depth(100)
	}()
	if got := <-done; got != 100 {
		t.Errorf("depth = %d after GrowCheckStack, want 100", got)
	}
}

// depth recurses n times with a frame of over 256 bytes: a stack of some
// 16 to 30 KiB, which the Grow functions grew to in one step.
//
//go:noinline
func depth(n int) int {
	var pad [256]byte
	touch(pad[:])
	if n == 0 {
		return 0
	}
	return depth(n-1) + 1
}
