//go:build unix

package site

import (
	"syscall"
	"time"
)

// processCPU is the CPU time, user and system, the process has used so
// far; benchmarks report it beside the wall time, which other work on a
// shared machine makes swing.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
