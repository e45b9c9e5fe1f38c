//go:build e2e

package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"debug/elf"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

var (
	debPath = flag.String("deb", "", "the .deb to install and test (make e2e passes it)")
	version = flag.String("version", "", "the version -V must print (default: any non-empty one)")
)

// Where the package puts things.
const (
	pkgName   = "replmon-plugins"
	pluginDir = "/usr/lib/nagios/plugins"
	manDir    = "/usr/share/man/man1"
	dataDir   = "/usr/share/replmon-plugins"
	// check_repl_checksum's default --state-file directory, which the
	// postinst gives to nagios (the daemons are installed before the
	// package, so the user exists).
	stateDir = "/var/lib/replmon-plugins"
)

// TestEcosystem installs the package and proves the shipped definitions in
// real icinga2 (a master and a satellite per site), nagios4 and nrpe
// daemons against the seed's topology, healthy and after faults: every
// service comes out in the state it must have, and what each daemon stored
// — summary line, performance data, long output — is byte for byte what
// the plugin printed in that run.
func TestEcosystem(t *testing.T) {
	begin := time.Now()
	if os.Geteuid() != 0 {
		t.Fatal("the end-to-end test installs a package and runs daemons as the nagios user: run it as root (make e2e)")
	}
	if *debPath == "" {
		t.Fatal("no -deb given: run make e2e, which builds the package and passes it")
	}
	for _, p := range []string{icinga2Bin, nrpeBin, checkNRPE, nagiosBin} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s is missing: run internal/testkit/e2e/ensure-daemons (make e2e does)", p)
		}
	}
	names := pluginNames(t)
	installPackage(t, *debPath)
	t.Run("package", func(t *testing.T) { checkPackage(t, names) })
	if t.Failed() {
		return
	}

	ctx, cancel := context.WithTimeout(context.Background(), 7*time.Minute)
	defer cancel()
	sb := sandbox.StartT(t, sandbox.Seed())
	seedData(ctx, t, sb)
	nagios := lookupUser(t, "nagios")
	work := workDir(t)
	icingaCnf := optionFile(t, work, "icinga.cnf", nagios, nil)
	nrpeCnf := optionFile(t, work, "nrpe.cnf", nagios, sb.Server("m1"))
	nagiosCnf := optionFile(t, work, "nagios.cnf", nagios, nil)

	nr := startNRPE(ctx, t, work, sb, nrpeCnf, nagios, newRecorder(t, work, "nrpe", names, nagios))
	ic := startIcinga(ctx, t, work, sb, icingaCnf, nagios, nr, names)
	ng := startNagios(ctx, t, work, sb, nagiosCnf, nagios, nr, newRecorder(t, work, "nagios4", names, nagios))
	t.Logf("sandbox, nrpe, icinga2 (master and %d satellites) and nagios4 up after %s", len(ic.satellites), time.Since(begin).Round(time.Second))

	// The shipped services of the seed's hosts, direct and through NRPE:
	// every one must come out OK.
	healthy := map[string]string{
		"m1!data-in-sync":            "OK",
		"m2!data-in-sync":            "OK",
		"m1!replication-config":      "OK",
		"m1!replication-nrpe":        "OK",
		"m1!data-in-sync-nrpe":       "OK",
		"m1!replication-config-nrpe": "OK",
		// The true lag through m2 from each master (pt-heartbeat).
		"m2r1!replication-true-lag":     "OK",
		"m1!replication-heartbeat-nrpe": "OK",
		// The documented account may not list replicas (SHOW REPLICA
		// HOSTS): --discover says what it could not follow.
		"m1!replication-topology-nrpe": "WARNING",
	}
	for _, s := range sb.Servers() {
		healthy[s.Name+"!replication"] = "OK"
	}
	t.Run("icinga2 healthy", func(t *testing.T) { ic.waitStates(ctx, t, without(healthy, nagiosOnly), true) })
	t.Run("nagios4 healthy", func(t *testing.T) { ng.waitStates(ctx, t, healthy) })
	t.Run("nrpe healthy", func(t *testing.T) {
		nr.compareAll(ctx, t, map[string]int{"check_repl_io": 0, "check_repl_checksum": 0, "check_repl_config": 0})
	})
	// What an Icinga 2 user graphs (README, "Graphs"): GraphiteWriter's
	// paths of replication lag and checksum coverage.
	t.Run("graphite", func(t *testing.T) {
		ic.graphite.checkPaths(ctx, t, []string{
			"icinga2.m1r1.services.replication.repl_io.perfdata.lag.value",
			"icinga2.m1r1.services.replication.repl_io.perfdata.lag.crit",
			"icinga2.m1.services.data-in-sync.repl_checksum.perfdata.in_sync.value",
			"icinga2.m1.services.data-in-sync.repl_checksum.perfdata.drifted.value",
			"icinga2.m1.services.replication-config.repl_config.perfdata.critical.value",
		})
	})
	if t.Failed() {
		return
	}

	// Faults, one for each plugin: m2r1 stops applying (check_repl_io), a
	// row of m1r2 changes behind replication's back (check_repl_checksum),
	// and m1r3, a pure replica, accepts writes (check_repl_config).
	if err := sb.Server("m2r1").Exec(ctx, "STOP SLAVE SQL_THREAD"); err != nil {
		t.Fatal(err)
	}
	if err := sb.Server("m1r2").Exec(ctx, "SET SESSION sql_log_bin=0", "UPDATE shop.orders SET amount = amount + 1 WHERE id = 3"); err != nil {
		t.Fatal(err)
	}
	if err := sb.Server("m1r3").Exec(ctx, "SET GLOBAL read_only = OFF"); err != nil {
		t.Fatal(err)
	}
	faulty := map[string]string{
		"m2r1!replication":          "CRITICAL",
		"m2r1!replication-true-lag": "CRITICAL",
		// m2r1 stopped applying while pt-heartbeat keeps writing: m2's
		// comparison cannot confirm the heartbeat table there (lagging).
		"m2!data-in-sync":       "WARNING",
		"m1!data-in-sync":       "CRITICAL",
		"m1!data-in-sync-nrpe":  "CRITICAL",
		"m1!replication-config": "WARNING",
	}
	after := map[string]string{}
	for svc, state := range healthy {
		after[svc] = state
	}
	for svc, state := range faulty {
		after[svc] = state
	}
	// Icinga checks every 3 s: every service must reach its state after
	// the faults, then every result is compared again.
	t.Run("icinga2 faults", func(t *testing.T) { ic.waitStates(ctx, t, without(after, nagiosOnly), true) })
	// Nagios: every service forced again.
	t.Run("nagios4 faults", func(t *testing.T) { ng.waitStates(ctx, t, after) })
	t.Run("nrpe faults", func(t *testing.T) {
		nr.compareAll(ctx, t, map[string]int{"check_repl_io": 0, "check_repl_checksum": 2, "check_repl_config": 0})
	})
	t.Logf("end-to-end run took %s", time.Since(begin).Round(time.Second))
}

// nagiosOnly are the services only the shipped Nagios definitions have:
// the Icinga 2 examples apply them where a host sets replmon_heartbeat or
// replmon_topology, which the hosts of this run do not.
var nagiosOnly = []string{"m2r1!replication-true-lag", "m1!replication-heartbeat-nrpe", "m1!replication-topology-nrpe"}

// without returns states less the named services.
func without(states map[string]string, names []string) map[string]string {
	out := map[string]string{}
	for k, v := range states {
		if !slices.Contains(names, k) {
			out[k] = v
		}
	}
	return out
}

// pluginNames lists the plugins the repository builds: check_repl_*/main.go.
func pluginNames(t *testing.T) []string {
	matches, err := filepath.Glob(filepath.Join(clitest.Root(t), "check_repl_*", "main.go"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no check_repl_*/main.go found (%v)", err)
	}
	var names []string
	for _, m := range matches {
		names = append(names, filepath.Base(filepath.Dir(m)))
	}
	return names
}

// installPackage installs deb with dpkg -i and purges it at the end, unless
// it was installed before the test.
func installPackage(t *testing.T, deb string) {
	before, _ := exec.Command("dpkg-query", "-W", "-f=${Status}", pkgName).Output()
	if out, err := dpkg("-i", deb); err != nil {
		t.Fatalf("dpkg -i %s: %v\n%s", deb, err, out)
	}
	if !strings.Contains(string(before), "ok installed") {
		t.Cleanup(func() {
			if out, err := dpkg("-P", pkgName); err != nil {
				t.Errorf("dpkg -P %s: %v\n%s", pkgName, err, out)
			}
			for _, d := range []string{dataDir, stateDir} {
				if _, err := os.Stat(d); err == nil {
					t.Errorf("%s is still there after dpkg -P", d)
				}
			}
		})
	}
}

// dpkg runs dpkg with args, waiting up to two minutes for the lock when
// another dpkg or apt-get holds it (unattended upgrades, a parallel job).
func dpkg(args ...string) ([]byte, error) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		out, err := exec.Command("dpkg", args...).CombinedOutput()
		if err == nil || !bytes.Contains(out, []byte("lock")) || time.Now().After(deadline) {
			return out, err
		}
		time.Sleep(2 * time.Second)
	}
}

// checkPackage checks what dpkg installed: static plugins answering -V,
// their man pages, the shipped definitions, no runtime dependency.
func checkPackage(t *testing.T, names []string) {
	status, err := exec.Command("dpkg-query", "-W", "-f=${Status} ${Depends}", pkgName).Output()
	if err != nil || strings.TrimSpace(string(status)) != "install ok installed" {
		t.Errorf("dpkg-query %s: %q (%v); want installed with no Depends", pkgName, status, err)
	}
	// One version in every place: the package, -V (below), the man pages.
	pkgVersion, err := exec.Command("dpkg-query", "-W", "-f=${Version}", pkgName).Output()
	if err != nil || (*version != "" && string(pkgVersion) != *version) {
		t.Errorf("dpkg-query -W -f='${Version}' %s: %q (%v), want %q", pkgName, pkgVersion, err, *version)
	}
	maintainer, err := exec.Command("dpkg-query", "-W", "-f=${Maintainer}", pkgName).Output()
	if err != nil || !regexp.MustCompile(`^[^<>]+ <[^@<>\s]+@[^@<>\s]+\.[a-z]+>$`).Match(maintainer) {
		t.Errorf("Maintainer %q (%v) is not \"Name <address>\"", maintainer, err)
	}
	docDir := "/usr/share/doc/" + pkgName
	if got, want := readFile(t, filepath.Join(docDir, "copyright")), readFile(t, filepath.Join(clitest.Root(t), "packaging", "copyright")); got != want {
		t.Errorf("%s/copyright is not packaging/copyright", docDir)
	}
	changelog := readGzip(t, filepath.Join(docDir, "changelog.gz"))
	if want := pkgName + " (" + string(pkgVersion) + ") "; !strings.HasPrefix(changelog, want) {
		t.Errorf("the changelog's newest entry is not the package's version: %q, want it to start with %q", firstLine(changelog), want)
	}
	for _, name := range names {
		path := filepath.Join(pluginDir, name)
		cmd := exec.Command(path, "-V")
		out, err := cmd.Output()
		want := regexp.MustCompile(`^` + name + ` \S+\n$`)
		if *version != "" {
			want = regexp.MustCompile(`^` + regexp.QuoteMeta(name+" "+*version) + `\n$`)
		}
		if !want.Match(out) || cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 3 {
			t.Errorf("%s -V: %q, %v; want %s and exit 3 (UNKNOWN)", path, out, err, want)
		}
		if f, err := elf.Open(path); err != nil {
			t.Errorf("%s: %v", path, err)
		} else {
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Errorf("%s is dynamically linked; the package promises static binaries", path)
				}
			}
			f.Close()
		}
		page := readGzip(t, filepath.Join(manDir, name+".1.gz"))
		for _, s := range []string{".TH " + strings.ToUpper(name) + " 1 \"\" \"replmon " + string(pkgVersion) + "\"", ".SH OPTIONS", ".SH EXIT STATUS", ".SH EXAMPLES"} {
			if !strings.Contains(page, s) {
				t.Errorf("man page of %s lacks %q", name, s)
			}
		}
	}
	for _, f := range []string{"icinga2/commands.conf", "icinga2/replmon-services.conf", "icinga2/replmon-hosts.conf",
		"icinga2/replmon-nrpe.conf", "icinga2/replmon-zones.conf",
		"nagios/commands.cfg", "nagios/services.cfg", "nagios/replmon-nrpe.cfg", "nrpe/replmon.cfg"} {
		if _, err := os.Stat(filepath.Join(dataDir, f)); err != nil {
			t.Errorf("the package lacks %s: %v", f, err)
		}
	}
	if fi, err := os.Stat(stateDir); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o750 {
		t.Errorf("%s: %v, %v; want a directory of mode 0750", stateDir, fi, err)
	} else if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		// The nagios user's primary group is the group nagios on Debian.
		if nagios := lookupUser(t, "nagios"); int(st.Uid) != nagios.uid || int(st.Gid) != nagios.gid {
			t.Errorf("%s belongs to %d:%d, want nagios:nagios (%d:%d)", stateDir, st.Uid, st.Gid, nagios.uid, nagios.gid)
		}
	}
	// Files an administrator copies into Debian's /etc/icinga2/conf.d must
	// not share a name with the files already there.
	for _, f := range []string{"hosts.conf", "services.conf"} {
		if _, err := os.Stat(filepath.Join(dataDir, "icinga2", f)); err == nil {
			t.Errorf("the package ships icinga2/%s, the name of a file of Debian's /etc/icinga2/conf.d", f)
		}
	}
	if man, err := exec.LookPath("man"); err == nil {
		out, err := exec.Command(man, "-w", names[0]).Output()
		if err != nil || !strings.HasPrefix(string(out), manDir) {
			t.Errorf("man -w %s: %q, %v", names[0], out, err)
		}
	}
}

// seedData loads the sandbox's sample schema, the table the checksum
// services compare.
func seedData(ctx context.Context, t *testing.T, sb *sandbox.Sandbox) {
	if err := sb.LoadSample(ctx); err != nil {
		t.Fatal(err)
	}
	startHeartbeat(ctx, t, sb)
}

// startHeartbeat runs the real pt-heartbeat --update --utc (percona-toolkit)
// on both masters, as the shipped replication-true-lag services expect it:
// one row per master in percona.heartbeat, every half second.
func startHeartbeat(ctx context.Context, t *testing.T, sb *sandbox.Sandbox) {
	pt, err := exec.LookPath("pt-heartbeat")
	if err != nil {
		t.Fatal("pt-heartbeat is not installed: make e2e runs after make test, whose dependency step installs percona-toolkit")
	}
	m1 := sb.Server("m1")
	if err := m1.Exec(ctx, "CREATE DATABASE percona"); err != nil {
		t.Fatal(err)
	}
	if err := sb.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	for i, s := range []*sandbox.Server{m1, sb.Server("m2")} {
		args := []string{"--update", "--database", "percona", "--replace", "--utc", "--interval", "0.5",
			"--socket", s.Socket, "--user", "root", "--no-version-check"}
		if i == 0 {
			args = append(args, "--create-table")
		}
		cmd := exec.Command(pt, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			if t.Failed() && out.Len() > 0 {
				t.Logf("pt-heartbeat on %s:\n%s", s.Name, out.String())
			}
		})
		if i == 0 {
			// The table, created on m1, must reach m2 before m2 writes its row.
			deadline := time.Now().Add(30 * time.Second)
			for {
				n, err := sb.Server("m2").QueryString(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'percona' AND TABLE_NAME = 'heartbeat'")
				if err == nil && n == "1" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("percona.heartbeat did not reach m2: %v", err)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
}

// account is a system user the daemons run checks as.
type account struct {
	name     string
	uid, gid int
}

func lookupUser(t *testing.T, name string) account {
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatalf("user %s: %v (the icinga2 and nrpe packages create it)", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return account{name, uid, gid}
}

// workDir is a directory the nagios user can traverse, removed at the end.
func workDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "replmon-e2e")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// optionFile writes a [client] option file with the monitoring account (and
// the server to check, when s is not nil), owner root, group a, mode 0640,
// as the documentation asks of /etc/nagios/replmon.cnf.
func optionFile(t *testing.T, dir, name string, a account, s *sandbox.Server) string {
	body := fmt.Sprintf("[client]\nuser=%s\npassword=%s\n", sandbox.MonitorUser, sandbox.MonitorPassword)
	if s != nil {
		body += fmt.Sprintf("host=127.0.0.1\nport=%d\n", s.Port)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(path, 0, a.gid); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil { // whatever the umask
		t.Fatal(err)
	}
	return path
}

// seedAddresses rewrites the example addresses of the shipped definitions
// (db-NAME.example.net, port 3306) into the sandbox's; portVar, when not
// empty, is the Icinga 2 line that sets a host's port after its address.
func seedAddresses(t *testing.T, text string, sb *sandbox.Sandbox, portVar bool) string {
	for _, s := range sb.Servers() {
		host := "db-" + s.Name + ".example.net"
		if portVar {
			text = strings.ReplaceAll(text, `address = "`+host+`"`,
				fmt.Sprintf("address = \"127.0.0.1\"\n\tvars.mysql_port = %d", s.Port))
		}
		text = strings.ReplaceAll(text, host+":3306", s.Addr())
	}
	// Endpoint names (icinga-site1.example.net) stay: they name
	// certificates, not addresses.
	if regexp.MustCompile(`db-[a-z0-9]+\.example\.net`).MatchString(text) {
		t.Fatalf("an example address is left after rewriting for the sandbox:\n%s", text)
	}
	return text
}

// daemon is a process started in its own process group, stopped at the end.
type daemon struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{} // closed when the process has exited
}

// startDaemon starts argv with its output in logPath.
func startDaemon(t *testing.T, name, logPath string, argv ...string) *daemon {
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	d := &daemon{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() { cmd.Wait(); close(d.done) }()
	t.Cleanup(func() {
		// SIGTERM to the leader only: icinga2's umbrella process stops its
		// worker and spawn helper itself, and hangs if they get it first.
		pgid := cmd.Process.Pid
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.done:
		case <-time.After(15 * time.Second):
			t.Logf("%s did not stop within 15s of SIGTERM: killing it", name)
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-d.done
		}
		// Whatever is left in the group, such as a check still running, goes too.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		out.Close()
	})
	return d
}

// exited reports whether the process has ended.
func (d *daemon) exited() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// tail returns the last lines of the daemon's output, for failure messages.
func (d *daemon) tail() string {
	b, _ := os.ReadFile(d.log)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return d.name + " log:\n" + strings.Join(lines, "\n")
}

// result is what one run printed and its exit code.
type result struct {
	out  string
	code int
}

// runResult runs cmd and returns its stdout, trailing newlines trimmed, and
// exit code.
func runResult(t *testing.T, cmd *exec.Cmd) result {
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = io.Discard
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	return result{strings.TrimRight(out.String(), "\n"), cmd.ProcessState.ExitCode()}
}

// freePort returns a loopback TCP port free at the time of the call.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

func readFile(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, body string) {
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readGzip(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return ""
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Errorf("%s: %v", path, err)
	}
	return string(b)
}

func chown(t *testing.T, path string, a account) {
	if err := os.Lchown(path, a.uid, a.gid); err != nil {
		t.Fatal(err)
	}
}

func chownTree(t *testing.T, dir string, a account) {
	err := filepath.Walk(dir, func(path string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, a.uid, a.gid)
	})
	if err != nil {
		t.Fatal(err)
	}
}
