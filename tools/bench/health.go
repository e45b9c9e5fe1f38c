package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// pw is the monitor account's password, given on the command line to every
// tool alike (the plugins mask it in their output).
const pw = sandbox.MonitorPassword

// seedScenarios starts the seed topology (two masters, three replicas each)
// once for the health check, start-up and audit comparisons.
func seedScenarios(ctx context.Context, o options, t Tools, rep *Report) error {
	logf("starting the seed topology (8 servers)...")
	sb, err := sandbox.Start(ctx, sandbox.Seed())
	if err != nil {
		return err
	}
	defer sb.Stop()
	if o.only["health"] {
		if err := healthScenario(ctx, o, t, sb, rep); err != nil {
			return err
		}
		if err := startupScenario(ctx, o, t, sb, rep); err != nil {
			return err
		}
	}
	if o.only["audit"] {
		if err := auditScenario(ctx, o, t, sb, rep); err != nil {
			return err
		}
	}
	return nil
}

// ioCmd is check_repl_io against one server over TCP.
func ioCmd(t Tools, name string, port int, extra ...string) Cmd {
	args := append([]string{"-H", "127.0.0.1", "-P", strconv.Itoa(port), "-u", sandbox.MonitorUser, "-p", pw}, extra...)
	return Cmd{Name: name, Path: t.IO, Args: args, Want: "REPL_IO OK"}
}

// checkMySQLCmd is check_mysql -S against one server over TCP.
func checkMySQLCmd(t Tools, name string, port int, extra ...string) Cmd {
	args := append([]string{"-H", "127.0.0.1", "-P", strconv.Itoa(port), "-u", sandbox.MonitorUser, "-p", pw, "-S"}, extra...)
	return Cmd{Name: name, Path: t.CheckMySQL, Args: args, Want: "Slave IO: Yes"}
}

// healthScenario compares the replica health checks on one replica.
func healthScenario(ctx context.Context, o options, t Tools, sb *sandbox.Sandbox, rep *Report) error {
	if err := need("health", map[string]string{"check_mysql": t.CheckMySQL, "check_mysql_health": t.CheckMySQLHealth,
		"pmp-check-mysql-replication-running": t.PMPRunning, "GNU time": t.Time}); err != nil {
		return err
	}
	r := sb.Server("m1r1")
	port := r.Port
	cmds := []Cmd{
		ioCmd(t, "check_repl_io", port),
		checkMySQLCmd(t, "check_mysql -S", port),
		{Name: "check_mysql_health --mode slave-io-running", Path: t.CheckMySQLHealth,
			Args: []string{"--hostname", "127.0.0.1", "--port", strconv.Itoa(port), "--username", sandbox.MonitorUser,
				"--password", pw, "--mode", "slave-io-running"}, Want: "OK - Slave io is running"},
		{Name: "pmp-check-mysql-replication-running", Path: t.PMPRunning,
			Args: []string{"-H", "127.0.0.1", "-P", strconv.Itoa(port), "-l", sandbox.MonitorUser, "-p", pw},
			Want: "OK Slave_IO_Running: Yes"},
		{Name: "check_repl_io (socket)", Path: t.IO, Args: []string{"-S", r.Socket, "-u", sandbox.MonitorUser, "-p", pw},
			Want: "REPL_IO OK"},
		{Name: "check_mysql -S (socket)", Path: t.CheckMySQL, Args: []string{"-s", r.Socket, "-u", sandbox.MonitorUser, "-p", pw, "-S"},
			Want: "Slave IO: Yes"},
	}
	logf("health: %d interleaved rounds of %d tools on replica m1r1 (%s)...", o.runs, len(cmds), r.Addr())
	series, err := Interleave(ctx, cmds, o.runs, progress("health", o.runs))
	if err != nil {
		return err
	}
	logf("health: peak RSS, %d rounds under GNU time...", o.rssRuns)
	rss, err := PeakRSS(ctx, t.Time, cmds, o.rssRuns)
	if err != nil {
		return err
	}
	header, rows := comparison(series, 1, rss)
	io, cm, health := series[0].Summarise(), series[1].Summarise(), series[2].Summarise()
	ioSock, cmSock := series[4].Summarise(), series[5].Summarise()
	rep.Add(Section{
		Title: "One replica health check",
		Intro: fmt.Sprintf("Each tool checks that replica m1r1 (MariaDB, one replication channel, no TLS offered) replicates, "+
			"logging in as `monitor` over TCP to 127.0.0.1 (two rows: over the Unix socket). Each reads the default option "+
			"files, as installed. The plugins' programs (and check_mysql's libraries) are dropped from the page cache first, so "+
			"that the warm-up round reads them from disk, as on a monitoring host some time after installing (the state of the "+
			"page cache moves a run's page faults by ~50: see the text below the figures). "+
			"%d interleaved rounds after one warm-up round; CPU and page faults from wait4; peak RSS "+
			"is the largest of %d runs under GNU time (`/usr/bin/time -f %%M`), counting the mysql client of the shell script.",
			o.runs, o.rssRuns),
		Header: header,
		Rows:   rows,
		Verdicts: []string{
			verdict("check_repl_io ÷ check_mysql -S, median wall time (TCP)", float64(io.Median)/float64(cm.Median), 0.9, "×"),
			verdict("check_repl_io ÷ check_mysql -S, median wall time (socket)", float64(ioSock.Median)/float64(cmSock.Median), 0.9, "×"),
			verdict("check_repl_io ÷ check_mysql -S, median CPU (TCP)", float64(io.CPU)/float64(cm.CPU), 1.1, "×"),
			verdict("check_repl_io ÷ check_mysql -S, median CPU (socket)", float64(ioSock.CPU)/float64(cmSock.CPU), 1.1, "×"),
			verdict("check_repl_io ÷ check_mysql -S, page faults (TCP)", float64(io.Faults)/float64(cm.Faults), 1.05, "×"),
			verdict("check_repl_io ÷ check_mysql -S, page faults (socket)", float64(ioSock.Faults)/float64(cmSock.Faults), 1.05, "×"),
			verdict("check_repl_io ÷ check_mysql_health, median wall time", float64(io.Median)/float64(health.Median), 0.15, "×"),
			verdict("check_repl_io peak RSS", float64(rss[0])/(1<<20), 12, " MiB"),
		},
	})
	return nil
}

// startupScenario splits check_repl_io's time into process start, Go
// runtime, package initialisation and flag set-up, option files, and the
// check itself, by timing programs that stop at each stage.
func startupScenario(ctx context.Context, o options, t Tools, sb *sandbox.Sandbox, rep *Report) error {
	dir, err := os.MkdirTemp("", "replmon-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	hello, err := buildHello(ctx, dir)
	if err != nil {
		return err
	}
	cgoIO, err := buildVariant(ctx, dir, "cgo", "CGO_ENABLED=1")
	if err != nil {
		return err
	}
	greenTea, err := buildVariant(ctx, dir, "greenteagc", "CGO_ENABLED=0", "GOEXPERIMENT=")
	if err != nil {
		return err
	}
	// Without oneproc: built with the tag that leaves it out, since with it
	// a GOMAXPROCS in the environment is honoured only after oneproc's early
	// switch to one processor.
	noOneProc, err := buildVariant(ctx, dir, "nooneproc", "CGO_ENABLED=0", "GOFLAGS=-tags=replmon_nooneproc")
	if err != nil {
		return err
	}
	noStackGrow, err := buildVariant(ctx, dir, "nostackgrow", "CGO_ENABLED=0", "GOFLAGS=-tags=replmon_nostackgrow")
	if err != nil {
		return err
	}
	// With the GODEBUG defaults of Go 1.22 (the module's language version)
	// instead of go.mod's godebug default=go1.26: the same build with
	// a copy of go.mod that says so.
	oldGodebug, err := buildOldGodebug(ctx, dir)
	if err != nil {
		return err
	}
	port := sb.Server("m1r1").Port
	twoProcs := Cmd{Name: fmt.Sprintf("check_repl_io without internal/startup/oneproc (GOMAXPROCS=%d)", runtime.NumCPU()),
		Path: noOneProc, Args: ioCmd(t, "", port).Args, Want: "REPL_IO OK"}
	cmds := []Cmd{
		{Name: "/bin/true (process start)", Path: "/bin/true"},
		{Name: "Go hello world (static; Go runtime start)", Path: hello, Want: "hello"},
		{Name: "check_mysql -V (C, dynamic linking)", Path: t.CheckMySQL, Args: []string{"-V"}, Want: "check_mysql", Code: 3},
		{Name: "check_repl_io --version (+ package init, flag set-up)", Path: t.IO, Args: []string{"--version"},
			Want: "check_repl_io", Code: 3},
		ioCmd(t, "check_repl_io --no-defaults (+ connect, 3 statements, verdict)", port, "--no-defaults"),
		ioCmd(t, "check_repl_io (+ default option files)", port),
		ioCmd(t, "check_repl_io --ssl-mode=DISABLED", port, "--ssl-mode=DISABLED"),
		twoProcs,
		{Name: "check_repl_io without the stack pre-growths of internal/startup (tag replmon_nostackgrow)", Path: noStackGrow,
			Args: ioCmd(t, "", port).Args, Want: "REPL_IO OK"},
		{Name: "check_repl_io with Go 1.22's GODEBUG defaults (go.mod: godebug default=go1.26)", Path: oldGodebug,
			Args: ioCmd(t, "", port).Args, Want: "REPL_IO OK"},
		{Name: "check_repl_io built with CGO_ENABLED=1", Path: cgoIO,
			Args: ioCmd(t, "", port).Args, Want: "REPL_IO OK"},
		{Name: "check_repl_io built with Go's default garbage collector (Green Tea; make uses GOEXPERIMENT=" + os.Getenv("REPLMON_GOEXPERIMENT") + ")", Path: greenTea,
			Args: ioCmd(t, "", port).Args, Want: "REPL_IO OK"},
		checkMySQLCmd(t, "check_mysql -S", port),
	}
	logf("start-up: %d interleaved rounds of %d programs...", o.runs, len(cmds))
	series, err := Interleave(ctx, cmds, o.runs, progress("start-up", o.runs))
	if err != nil {
		return err
	}
	header, rows := comparison(series, len(series)-1, nil)
	init, top, err := initTrace(ctx, t.IO, 30)
	if err != nil {
		return err
	}
	fs, err := os.Stat(t.IO)
	if err != nil {
		return err
	}
	rep.Add(Section{
		Title: "check_repl_io start-up, stage by stage",
		Intro: "Programs that stop at successive stages of a check_repl_io run, interleaved " + strconv.Itoa(o.runs) +
			" rounds against replica m1r1 over TCP; the difference between two rows is the cost of a stage.",
		Header: header,
		Rows:   rows,
		Notes: []string{
			fmt.Sprintf("Package initialisation (`GODEBUG=inittrace=1`, sum of the init clocks, median of 30 runs of --version): %s; largest: %s.",
				ms(init), strings.Join(top, ", ")),
			fmt.Sprintf("Binary: %.1f MiB, static, stripped (`-trimpath -ldflags '-s -w'`, CGO_ENABLED=0 as in the .deb).", float64(fs.Size())/(1<<20)),
		},
	})
	return nil
}

// helloSource is the smallest Go program that writes its output as the plugins do.
const helloSource = `package main

import "os"

func main() { os.Stdout.WriteString("hello\n") }
`

// buildHello builds the Go floor: a static, stripped hello world.
func buildHello(ctx context.Context, dir string) (string, error) {
	src := filepath.Join(dir, "hello")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module hello\n\ngo 1.22\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(helloSource), 0o644); err != nil {
		return "", err
	}
	out := filepath.Join(dir, "hello-bin")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building hello world: %v\n%s", err, b)
	}
	return out, readFromDisk(out)
}

// buildVariant builds check_repl_io as make build does (stripped, with
// make's GOEXPERIMENT, passed as REPLMON_GOEXPERIMENT), with the given
// environment on top, to show what one build setting changes.
func buildVariant(ctx context.Context, dir, name string, env ...string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "check_repl_io-"+name)
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, "./check_repl_io")
	cmd.Dir = root
	cmd.Env = append(append(os.Environ(), "GOEXPERIMENT="+os.Getenv("REPLMON_GOEXPERIMENT")), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building check_repl_io with %s: %v\n%s", strings.Join(env, " "), err, b)
	}
	return out, readFromDisk(out)
}

// buildOldGodebug builds check_repl_io as make build does but with the
// GODEBUG defaults of Go 1.22: go.mod's godebug default is rewritten in a copy
// of go.mod (and go.sum) given to the go command with -modfile.
func buildOldGodebug(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	const setting = "default=go1.26\n"
	if !strings.Contains(string(mod), setting) {
		return "", fmt.Errorf("go.mod has no godebug setting %q to measure", strings.TrimSpace(setting))
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return "", err
	}
	modfile := filepath.Join(dir, "go122.mod")
	if err := os.WriteFile(modfile, []byte(strings.Replace(string(mod), setting, "default=go1.22\n", 1)), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "go122.sum"), sum, 0o644); err != nil {
		return "", err
	}
	return buildVariant(ctx, dir, "go122godebug", "CGO_ENABLED=0", "GOFLAGS=-modfile="+modfile)
}

// moduleRoot finds the directory of this module's go.mod from the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/replmon/replmon\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run the bench inside the replmon module")
		}
		dir = parent
	}
}

// initTrace runs path --version with GODEBUG=inittrace=1 and returns the
// median total of the package init clocks and the three largest packages.
func initTrace(ctx context.Context, path string, runs int) (time.Duration, []string, error) {
	var totals []time.Duration
	per := map[string][]time.Duration{}
	for i := 0; i < runs; i++ {
		cmd := exec.CommandContext(ctx, path, "--version")
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		_ = cmd.Run() // --version exits 3
		var total time.Duration
		for _, line := range strings.Split(stderr.String(), "\n") {
			// init internal/bytealg @0.008 ms, 0 ms clock, 0 bytes, 0 allocs
			f := strings.Fields(line)
			if len(f) < 7 || f[0] != "init" || f[6] != "clock," {
				continue
			}
			v, err := strconv.ParseFloat(f[4], 64)
			if err != nil {
				continue
			}
			d := time.Duration(v * float64(time.Millisecond))
			total += d
			per[f[1]] = append(per[f[1]], d)
		}
		totals = append(totals, total)
	}
	if len(per) == 0 {
		return 0, nil, fmt.Errorf("GODEBUG=inittrace=1 %s --version printed no init lines", path)
	}
	type pkg struct {
		name string
		med  time.Duration
	}
	var pkgs []pkg
	for name, ds := range per {
		slices.Sort(ds)
		pkgs = append(pkgs, pkg{name, ds[len(ds)/2]})
	}
	slices.SortFunc(pkgs, func(a, b pkg) int { return int(b.med - a.med) })
	var top []string
	for _, p := range pkgs[:min(3, len(pkgs))] {
		top = append(top, fmt.Sprintf("%s %s", p.name, ms(p.med)))
	}
	slices.Sort(totals)
	return totals[len(totals)/2], top, nil
}

// progress prints a line every tenth of the rounds.
func progress(what string, rounds int) func(int) {
	step := max(1, rounds/10)
	return func(r int) {
		if r%step == 0 || r == rounds {
			logf("%s: round %d/%d", what, r, rounds)
		}
	}
}
