// Command sandbox starts MariaDB replication sandboxes for demos:
//
//	sandbox up [-layout seed|pair] [-dir DIR]   start, print, wait for SIGINT/SIGTERM, tear down
//	sandbox down [-dir DIR]                     stop the sandbox recorded in DIR/sandbox.json
//	sandbox -h                                  this usage
//
// DIR defaults to .sandbox. `up` loads a small sample schema (shop.orders,
// three rows, on m1 and replicated everywhere) so that check_repl_checksum
// has a table to compare. DIR/sandbox.json (ports, sockets, pids) is
// written once every server is up, so scripts can wait for it to appear.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// stateFile is the name of the state file inside -dir.
const stateFile = "sandbox.json"

// state is what `up` records for `down` and for scripts.
type state struct {
	Pid     int           `json:"pid"` // the `sandbox up` process
	Dir     string        `json:"dir"` // sandbox directory (data, sockets, logs)
	Layout  string        `json:"layout"`
	Servers []serverState `json:"servers"`
}

// serverState describes one running server.
type serverState struct {
	Name     string `json:"name"`
	ServerID int    `json:"server_id"`
	Addr     string `json:"addr"`
	Port     int    `json:"port"`
	Socket   string `json:"socket"`
	Pid      int    `json:"pid"`
	Role     string `json:"role"`
	Cnf      string `json:"cnf"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usage is what `sandbox -h` prints, and `sandbox` alone on stderr.
const usage = `usage: sandbox up [-layout seed|pair] [-dir DIR] | sandbox down [-dir DIR]
  up     start the layout on loopback with a sample schema (shop.orders on m1,
         replicated), print the servers, keep them until Ctrl-C or down
  down   stop the sandbox recorded in DIR/sandbox.json
  -h     this help; sandbox up -h and sandbox down -h list their flags
`

// run dispatches the subcommand and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fs := flag.NewFlagSet("sandbox "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", ".sandbox", "directory holding the state file")
	layout := "seed"
	if args[0] == "up" {
		fs.StringVar(&layout, "layout", layout, "topology: seed (2 masters, 3 replicas each) or pair (1 master, 1 replica)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var err error
	switch args[0] {
	case "up":
		err = up(layout, *dir, stdout)
	case "down":
		err = down(*dir)
	default:
		err = fmt.Errorf("unknown command %q (want up or down; sandbox -h for help)", args[0])
	}
	if err != nil {
		fmt.Fprintln(stderr, "sandbox:", err)
		return 1
	}
	return 0
}

// up starts the layout, records it, and tears it down on SIGINT/SIGTERM.
func up(layout, dir string, stdout io.Writer) error {
	var topo sandbox.Topology
	switch layout {
	case "seed":
		topo = sandbox.Seed()
	case "pair":
		topo = sandbox.Pair()
	default:
		return fmt.Errorf("unknown layout %q (want seed or pair)", layout)
	}
	path := filepath.Join(dir, stateFile)
	if old, err := readState(path); err == nil && alive(old.Pid) {
		return fmt.Errorf("a sandbox is already up (pid %d): sandbox down -dir %s", old.Pid, dir)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	sb, err := sandbox.Start(ctx, topo)
	if err != nil {
		return err
	}
	defer sb.Stop()
	if err := sb.LoadSample(ctx); err != nil {
		return err
	}
	st := state{Pid: os.Getpid(), Dir: sb.Dir, Layout: layout}
	for _, s := range sb.Servers() {
		st.Servers = append(st.Servers, serverState{
			Name: s.Name, ServerID: s.ServerID, Addr: s.Addr(), Port: s.Port, Socket: s.Socket,
			Pid: s.Pid(), Role: role(topo, s.Spec), Cnf: s.CnfFile,
		})
	}
	if err := writeState(path, st); err != nil {
		return err
	}
	defer os.Remove(path)

	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, s := range st.Servers {
		fmt.Fprintf(w, "%s\tserver_id=%d\t%s\t%s\n", s.Name, s.ServerID, s.Addr, s.Role)
	}
	w.Flush()
	first := st.Servers[0]
	fmt.Fprintf(stdout, "connect: mariadb -h 127.0.0.1 -P %d -u %s -p%s   (any port above)\n", first.Port, sandbox.MonitorUser, sandbox.MonitorPassword)
	fmt.Fprintf(stdout, "   root: mariadb -S %s -u root\n", first.Socket)
	fmt.Fprintf(stdout, "sample: %s (%d rows) on %s, replicated to every server\n", sandbox.SampleTable, sandbox.SampleRows, first.Name)
	fmt.Fprintf(stdout, "state: %s; stop with Ctrl-C or: sandbox down -dir %s\n", path, dir)

	<-ctx.Done()
	stop()
	return sb.Stop()
}

// role describes a server's place in the topology, e.g. "master, replica of m2".
func role(t sandbox.Topology, s sandbox.ServerSpec) string {
	var parts []string
	for _, o := range t.Servers {
		if fed(o, s.Name) {
			parts = append(parts, "master")
			break
		}
	}
	for _, l := range s.Sources {
		r := "replica of " + l.Source
		if l.Channel != "" {
			r += " (channel " + l.Channel + ")"
		}
		parts = append(parts, r)
	}
	if s.ReadOnly {
		parts = append(parts, "read_only")
	}
	if len(parts) == 0 {
		return "standalone"
	}
	return strings.Join(parts, ", ")
}

// fed reports whether o replicates from name.
func fed(o sandbox.ServerSpec, name string) bool {
	for _, l := range o.Sources {
		if l.Source == name {
			return true
		}
	}
	return false
}

// down asks the `up` process to tear down, then kills whatever is left.
func down(dir string) error {
	path := filepath.Join(dir, stateFile)
	st, err := readState(path)
	if err != nil {
		return err
	}
	if alive(st.Pid) && strings.Contains(cmdline(st.Pid), "sandbox") {
		_ = syscall.Kill(st.Pid, syscall.SIGTERM)
		if !waitGone(st.Pid, 30*time.Second) {
			_ = syscall.Kill(st.Pid, syscall.SIGKILL)
		}
	}
	for _, s := range st.Servers {
		if alive(s.Pid) && strings.Contains(cmdline(s.Pid), s.Cnf) {
			_ = syscall.Kill(s.Pid, syscall.SIGCONT)
			_ = syscall.Kill(s.Pid, syscall.SIGKILL)
			waitGone(s.Pid, 10*time.Second)
		}
	}
	if st.Dir != "" {
		if _, err := os.Stat(filepath.Join(st.Dir, st.Servers[0].Name, "my.cnf")); err == nil {
			if err := os.RemoveAll(st.Dir); err != nil {
				return err
			}
		}
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// readState loads a state file.
func readState(path string) (state, error) {
	var st state
	b, err := os.ReadFile(path)
	if err != nil {
		return st, fmt.Errorf("no sandbox state: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil || len(st.Servers) == 0 {
		return st, fmt.Errorf("%s: not a sandbox state file (%v)", path, err)
	}
	return st, nil
}

// writeState writes the state file atomically.
func writeState(path string, st state) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// alive reports whether pid is a live (not zombie) process.
func alive(pid int) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill(0)
	}
	// state is the field after "(comm)"
	if i := strings.LastIndexByte(string(b), ')'); i >= 0 && i+2 < len(b) {
		return b[i+2] != 'Z'
	}
	return true
}

// cmdline returns the command line of pid with spaces between arguments.
func cmdline(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return strings.ReplaceAll(string(b), "\x00", " ")
}

// waitGone polls until pid has exited or d passed; it reports the former.
func waitGone(pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if !alive(pid) {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return !alive(pid)
}
