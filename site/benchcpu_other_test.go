//go:build !unix

package site

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
