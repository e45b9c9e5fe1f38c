package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ,
// 100 on every Linux architecture Go supports).
const clockTick = 10 * time.Millisecond

// processCPU returns the user + system time the processes have used so
// far, from /proc/PID/stat.
func processCPU(pids []int) (time.Duration, error) {
	var total time.Duration
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0, err
		}
		// The command name, in parentheses, may hold spaces: count the
		// fields after its closing parenthesis (state is field 3).
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
		}
		for _, v := range f[11:13] { // utime, stime: fields 14 and 15
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
			}
			total += time.Duration(n) * clockTick
		}
	}
	return total, nil
}

// serverPids lists the process ids of the sandbox's running servers.
func serverPids(sb *sandbox.Sandbox) []int {
	var pids []int
	for _, s := range sb.Servers() {
		if p := s.Pid(); p != 0 {
			pids = append(pids, p)
		}
	}
	return pids
}

// withServerCPU wraps a step so that its sample carries the CPU time the
// sandbox's servers spent while it ran.
func withServerCPU(sb *sandbox.Sandbox, f func(context.Context) (Sample, error)) func(context.Context) (Sample, error) {
	return func(ctx context.Context) (Sample, error) {
		pids := serverPids(sb)
		before, err := processCPU(pids)
		if err != nil {
			return Sample{}, err
		}
		s, err := f(ctx)
		if err != nil {
			return s, err
		}
		after, err := processCPU(pids)
		if err != nil {
			return Sample{}, err
		}
		s.ServerCPU = after - before
		return s, nil
	}
}

// freeBytes returns the space left to an unprivileged user on the file
// system holding dir.
func freeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * st.Bsize, nil
}

// rowsReadCounters are the status counters of rows read, in order of
// preference: InnoDB's own (not every version lists it), then MariaDB's Rows_read (rows read by the handler
// interface, temporary tables excluded).
var rowsReadCounters = []string{"Innodb_rows_read", "Rows_read"}

// rowsReadCounter reads the first of rowsReadCounters that s has, and
// returns its name and value.
func rowsReadCounter(ctx context.Context, s *sandbox.Server) (string, int64, error) {
	db, err := s.RootDB()
	if err != nil {
		return "", 0, err
	}
	q := "SHOW GLOBAL STATUS WHERE Variable_name IN ('" + strings.Join(rowsReadCounters, "', '") + "')"
	rs, err := db.QueryContext(ctx, q)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %s: %w", s.Name, q, err)
	}
	defer rs.Close()
	got := map[string]int64{}
	for rs.Next() {
		var n string
		var v int64
		if err := rs.Scan(&n, &v); err != nil {
			return "", 0, err
		}
		got[strings.ToLower(n)] = v
	}
	if err := rs.Err(); err != nil {
		return "", 0, err
	}
	for _, c := range rowsReadCounters {
		if v, ok := got[strings.ToLower(c)]; ok {
			return c, v, nil
		}
	}
	return "", 0, fmt.Errorf("%s: none of %s in SHOW GLOBAL STATUS", s.Name, strings.Join(rowsReadCounters, ", "))
}
