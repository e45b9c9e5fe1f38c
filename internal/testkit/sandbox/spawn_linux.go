package sandbox

import "syscall"

// procAttr puts a server in its own process group and kills it if the
// spawner thread (that is, this process) dies.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
