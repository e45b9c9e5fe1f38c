//go:build unix && !linux

package sandbox

import "syscall"

// procAttr puts a server in its own process group; without Pdeathsig only
// Stop (or `sandbox down`) ends it.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
