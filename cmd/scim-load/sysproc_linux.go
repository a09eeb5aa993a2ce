package main

import "syscall"

// childAttr makes the kernel kill the sidecar if the load program dies
// without cleaning up.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
