//go:build linux

package main

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// exitedCPU waits until process pid has exited, without reaping it, and reads
// its CPU from /proc/<pid>/stat while it is a zombie: its own user and system
// time (utime, stime), and that of the children it reaped (cutime, cstime:
// for terraform, its provider processes). The rusage that Wait returns adds
// the two up (Linux reports RUSAGE_BOTH for a reaped child), so it cannot
// tell Terraform's own CPU from the provider's. The caller reaps the process
// afterwards (cmd.Wait). Resolution: the kernel's clock tick, 10 ms.
func exitedCPU(pid int) (own, children time.Duration, err error) {
	var info unix.Siginfo
	for {
		err = unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		return 0, 0, err
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, err
	}
	// The fields after the command name (which may hold spaces and
	// parentheses): utime is the 14th overall, then stime, cutime, cstime.
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return 0, 0, errors.New("unexpected /proc/<pid>/stat")
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 15 {
		return 0, 0, errors.New("unexpected /proc/<pid>/stat")
	}
	var ticks [4]int64
	for k := range ticks {
		if ticks[k], err = strconv.ParseInt(f[11+k], 10, 64); err != nil {
			return 0, 0, err
		}
	}
	return clockTicks(ticks[0] + ticks[1]), clockTicks(ticks[2] + ticks[3]), nil
}

// clockTicks converts /proc's clock ticks (USER_HZ, 100 on Linux) to a duration.
func clockTicks(n int64) time.Duration { return time.Duration(n) * time.Second / 100 }
