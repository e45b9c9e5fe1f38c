package sandbox

import (
	"os/exec"
	"runtime"
	"sync"
)

// Linux sends a child's Pdeathsig when the *thread* that forked it exits,
// not the process. The Go runtime may retire threads, so every mariadbd is
// forked from one goroutine locked to a thread that lives as long as the
// process: the signal then means "the test binary died".

var (
	spawnOnce sync.Once
	spawnReq  chan spawnCall
)

// spawnCall asks the spawner thread to start cmd.
type spawnCall struct {
	cmd  *exec.Cmd
	done chan error
}

// spawn starts cmd in its own process group, with SIGKILL as its parent
// death signal, from the dedicated spawner thread.
func spawn(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawnReq = make(chan spawnCall)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread must outlive every child
			for c := range spawnReq {
				c.done <- c.cmd.Start()
			}
		}()
	})
	cmd.SysProcAttr = procAttr()
	call := spawnCall{cmd: cmd, done: make(chan error, 1)}
	spawnReq <- call
	return <-call.done
}
