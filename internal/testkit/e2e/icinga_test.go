//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

const (
	icinga2Bin  = "/usr/sbin/icinga2"
	checkPeriod = "3s" // check and retry interval given to the shipped services
	apiUser     = "replmon-e2e"
	apiPassword = "replmon-e2e-secret"
)

// icingaNode is one private icinga2 instance: its directories, its API port.
type icingaNode struct {
	name string // the Endpoint name, NodeName, its certificate's CN
	dir  string
	port int
	*daemon
}

// defines are the -D options that keep a node's configuration, data, logs,
// cache, spool and run files in its own directory.
func (n *icingaNode) defines(a account) []string {
	p := func(s string) string { return filepath.Join(n.dir, s) }
	return []string{
		"-DRunAsUser=" + a.name, "-DRunAsGroup=" + a.name,
		"-DConfigDir=" + p("etc"), "-DZonesDir=" + p("etc/zones.d"),
		"-DDataDir=" + p("lib"), "-DStatePath=" + p("lib/icinga2.state"), "-DModAttrPath=" + p("lib/modified-attributes.conf"),
		"-DCacheDir=" + p("cache"), "-DObjectsPath=" + p("cache/icinga2.debug"), "-DVarsPath=" + p("cache/icinga2.vars"),
		"-DLogDir=" + p("log"), "-DSpoolDir=" + p("spool"),
		"-DInitRunDir=" + p("run"), "-DPidPath=" + p("run/icinga2.pid"),
	}
}

// icinga is the distributed layout of the shipped replmon-zones.conf on
// loopback: a master and the satellites of the seed's two sites.
type icinga struct {
	master     *icingaNode
	satellites map[string]*icingaNode // by Endpoint name
	recorders  map[string]*recorder   // by Endpoint name: where each satellite runs plugins
	sites      map[string]string      // host -> the satellite of its site (replmon-hosts.conf)
	nrpe       *nrpe
	graphite   *graphite
	client     *http.Client
}

// Endpoint names of the shipped replmon-zones.conf.
const icingaMaster = "icinga-master.example.net"

// startIcinga runs the shipped Icinga 2 definitions in the distributed
// layout they document, each instance with its own configuration, data,
// log and run directories and API port, and a certificate signed by the
// master's CA (icinga2 pki): on the master, replmon-zones.conf,
// commands.conf and, in zones.d/master, replmon-hosts.conf,
// replmon-services.conf (intervals shortened) and replmon-nrpe.conf; on
// each satellite replmon-zones.conf and commands.conf, with its PluginDir
// a recorder. Only names of hosts, ports and paths change. The master
// also writes to a Graphite listener of the test (GraphiteWriter), and an
// API user reads the results.
func startIcinga(ctx context.Context, t *testing.T, work string, sb *sandbox.Sandbox, cnf string, a account, nr *nrpe, plugins []string) *icinga {
	zones := readFile(t, filepath.Join(dataDir, "icinga2", "replmon-zones.conf"))
	var names []string
	for _, m := range regexp.MustCompile(`object Endpoint "([^"]+)"`).FindAllStringSubmatch(zones, -1) {
		names = append(names, m[1])
	}
	if !contains(names, icingaMaster) || len(names) < 2 {
		t.Fatalf("the shipped replmon-zones.conf defines the endpoints %q, want %s and a satellite per site", names, icingaMaster)
	}
	ic := &icinga{satellites: map[string]*icingaNode{}, recorders: map[string]*recorder{}, nrpe: nr}
	nodes := map[string]*icingaNode{}
	for i, name := range names {
		n := &icingaNode{name: name, dir: filepath.Join(work, fmt.Sprintf("icinga2-%d", i)), port: freePort(t)}
		for _, d := range []string{"etc/zones.d/master", "cache", "lib/certs", "log", "spool", "run"} {
			if err := os.MkdirAll(filepath.Join(n.dir, d), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		chownTree(t, n.dir, a)
		nodes[name] = n
		if name == icingaMaster {
			ic.master = n
		} else {
			ic.satellites[name] = n
			ic.recorders[name] = newRecorder(t, work, name, plugins, a)
		}
	}

	// The master's CA signs every node's certificate, as icinga2 node setup does.
	pki := func(n *icingaNode, args ...string) {
		cmd := exec.CommandContext(ctx, icinga2Bin, append(append([]string{"pki"}, args...), n.defines(a)...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("icinga2 pki %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	pki(ic.master, "new-ca")
	caCert := filepath.Join(ic.master.dir, "lib", "ca", "ca.crt")
	for _, n := range nodes {
		certs := filepath.Join(n.dir, "lib", "certs")
		pki(n, "new-cert", "--cn", n.name, "--key", filepath.Join(certs, n.name+".key"), "--csr", filepath.Join(certs, n.name+".csr"))
		pki(ic.master, "sign-csr", "--csr", filepath.Join(certs, n.name+".csr"), "--cert", filepath.Join(certs, n.name+".crt"))
		writeFile(t, filepath.Join(certs, "ca.crt"), readFile(t, caCert))
	}

	// replmon-zones.conf as shipped, each satellite's host and port ours.
	zones = regexp.MustCompile(`(?s)object Endpoint "([^"]+)" \{.*?\n\}`).ReplaceAllStringFunc(zones, func(block string) string {
		name := regexp.MustCompile(`"([^"]+)"`).FindStringSubmatch(block)[1]
		block = regexp.MustCompile(`\n\thost = "[^"]*"`).ReplaceAllString(block, "\n\thost = \"127.0.0.1\"")
		return regexp.MustCompile(`\n\tport = [0-9]+`).ReplaceAllString(block, fmt.Sprintf("\n\tport = %d", nodes[name].port))
	})
	if strings.Contains(zones, "example.net\"\n") || strings.Contains(zones, "port = 5665") {
		t.Fatalf("replmon-zones.conf still names a host or port of the example:\n%s", zones)
	}

	services := readFile(t, filepath.Join(dataDir, "icinga2", "replmon-services.conf"))
	nrpeServices := readFile(t, filepath.Join(dataDir, "icinga2", "replmon-nrpe.conf"))
	interval := regexp.MustCompile(`(?m)^(\s*(?:check|retry)_interval) = \S+$`)
	services = interval.ReplaceAllString(services, "${1} = "+checkPeriod)
	nrpeServices = interval.ReplaceAllString(nrpeServices, "${1} = "+checkPeriod)
	hosts := readFile(t, filepath.Join(dataDir, "icinga2", "replmon-hosts.conf"))
	satellite := map[string]string{} // site template -> satellite
	for _, m := range regexp.MustCompile(`(?s)template Host "([^"]+)" \{\n\timport "replmon-mysql"\n\tvars\.replmon_satellite = "([^"]+)"`).FindAllStringSubmatch(hosts, -1) {
		satellite[m[1]] = m[2]
	}
	ic.sites = map[string]string{}
	for _, m := range regexp.MustCompile(`object Host "([^"]+)" \{\n\timport "([^"]+)"`).FindAllStringSubmatch(hosts, -1) {
		ic.sites[m[1]] = satellite[m[2]]
		if ic.satellites[satellite[m[2]]] == nil {
			t.Fatalf("host %s of replmon-hosts.conf imports %s, whose satellite %q replmon-zones.conf does not define", m[1], m[2], satellite[m[2]])
		}
	}
	hosts = strings.ReplaceAll(hosts, "/etc/nagios/replmon.cnf", cnf)
	hosts = seedAddresses(t, hosts, sb, true)
	hosts = strings.Replace(hosts, "\tvars.replmon_nrpe = true", fmt.Sprintf("\tvars.replmon_nrpe = true\n\tvars.nrpe_port = %d", nr.port), 1)

	ic.graphite = startGraphite(t)
	commands := filepath.Join(dataDir, "icinga2", "commands.conf")
	for _, n := range nodes {
		etc := filepath.Join(n.dir, "etc")
		writeFile(t, filepath.Join(etc, "zones.conf"), zones)
		pluginDir := pluginDir
		role := "master"
		if r := ic.recorders[n.name]; r != nil {
			pluginDir, role = r.dir, "satellite"
		}
		main := fmt.Sprintf(`/* make e2e: the %s %s */
include <itl>
include <plugins>
const PluginDir = %q
const NodeName = %q
include %q
include "zones.conf"

object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = %d
	accept_commands = %t
	accept_config = false
}
`, role, n.name, pluginDir, n.name, commands, n.port, role == "satellite")
		if n == ic.master {
			writeFile(t, filepath.Join(etc, "zones.d", "master", "replmon-hosts.conf"), hosts)
			writeFile(t, filepath.Join(etc, "zones.d", "master", "replmon-services.conf"), services)
			writeFile(t, filepath.Join(etc, "zones.d", "master", "replmon-nrpe.conf"), nrpeServices)
			main += fmt.Sprintf(`
object CheckerComponent "checker" { }

object ApiUser %q {
	password = %q
	permissions = [ "objects/query/*" ]
}

object GraphiteWriter "graphite" {
	host = "127.0.0.1"
	port = %d
	enable_send_thresholds = true
}
`, apiUser, apiPassword, ic.graphite.port)
		}
		writeFile(t, filepath.Join(etc, "icinga2.conf"), main)
		chownTree(t, n.dir, a)
		args := append([]string{"daemon", "-c", filepath.Join(etc, "icinga2.conf")}, n.defines(a)...)
		if out, err := exec.CommandContext(ctx, icinga2Bin, append(args, "-C")...).CombinedOutput(); err != nil {
			t.Fatalf("icinga2 %s rejects the shipped definitions: %v\n%s", n.name, err, out)
		}
	}
	for _, name := range names {
		n := nodes[name]
		args := append([]string{icinga2Bin, "daemon", "-c", filepath.Join(n.dir, "etc", "icinga2.conf")}, n.defines(a)...)
		n.daemon = startDaemon(t, "icinga2 "+n.name, filepath.Join(n.dir, "icinga2.out"), args...)
	}
	ic.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // loopback, the test's own CA
	}}
	return ic
}

// result is the last check result of one service, as the master's API gives it.
type icingaResult struct {
	Service string
	Host    string
	State   int
	Output  string
	Perf    []string
	Command []string
	Source  string // check_source: the endpoint that ran the plugin
}

// results reads the last check result of every service from the master.
func (ic *icinga) results(t *testing.T) (map[string]icingaResult, error) {
	req, _ := http.NewRequest("GET", fmt.Sprintf("https://127.0.0.1:%d/v1/objects/services?attrs=last_check_result&attrs=host_name&attrs=name", ic.master.port), nil)
	req.SetBasicAuth(apiUser, apiPassword)
	req.Header.Set("Accept", "application/json")
	resp, err := ic.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET /v1/objects/services: %s", resp.Status)
	}
	var body struct {
		Results []struct {
			Attrs struct {
				HostName string `json:"host_name"`
				Name     string `json:"name"`
				LCR      *struct {
					ExitStatus  float64 `json:"exit_status"`
					State       float64 `json:"state"`
					Output      string  `json:"output"`
					Perf        []any   `json:"performance_data"`
					Command     any     `json:"command"`
					CheckSource string  `json:"check_source"`
				} `json:"last_check_result"`
			} `json:"attrs"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	out := map[string]icingaResult{}
	for _, r := range body.Results {
		a := r.Attrs
		if a.LCR == nil {
			continue
		}
		res := icingaResult{Service: a.Name, Host: a.HostName, State: int(a.LCR.State), Output: a.LCR.Output, Source: a.LCR.CheckSource}
		for _, p := range a.LCR.Perf {
			res.Perf = append(res.Perf, fmt.Sprint(p))
		}
		switch c := a.LCR.Command.(type) {
		case []any:
			for _, w := range c {
				res.Command = append(res.Command, fmt.Sprint(w))
			}
		case string:
			res.Command = strings.Fields(c)
		}
		out[a.HostName+"!"+a.Name] = res
	}
	return out, nil
}

// waitStates waits until the master's latest result of each service in
// want has the wanted state (and, with all, until no other service
// exists), then compares every service's result with the run of the plugin
// it comes from, byte for byte, and checks it ran on the satellite of its
// host's site.
func (ic *icinga) waitStates(ctx context.Context, t *testing.T, want map[string]string, all bool) {
	deadline := time.Now().Add(120 * time.Second)
	for {
		latest, err := ic.results(t)
		var missing []string
		if err != nil {
			missing = append(missing, err.Error())
		}
		for svc, state := range want {
			if r, ok := latest[svc]; !ok || nagiosStateNames[fmt.Sprint(r.State)] != state {
				missing = append(missing, fmt.Sprintf("%s: want %s, have %q %q", svc, state, nagiosStateNames[fmt.Sprint(r.State)], firstLine(r.Output)))
			}
		}
		if all && err == nil {
			for svc := range latest {
				if _, ok := want[svc]; !ok {
					missing = append(missing, svc+": unexpected service")
				}
			}
		}
		if len(missing) == 0 {
			for _, svc := range sortedKeys(latest) {
				ic.compare(t, svc, latest[svc])
			}
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			sort.Strings(missing)
			t.Fatalf("icinga2 did not record the wanted states within 120s:\n%s\n%s", strings.Join(missing, "\n"), ic.tails())
		}
		for _, n := range ic.nodes() {
			if n.exited() {
				t.Fatalf("icinga2 %s exited\n%s", n.name, n.tail())
			}
		}
		time.Sleep(time.Second)
	}
}

// compare checks one service's result against the plugin's run.
func (ic *icinga) compare(t *testing.T, svc string, r icingaResult) {
	if want := ic.sites[r.Host]; r.Source != want {
		t.Errorf("icinga2 %s ran on %q, want the satellite of its site, %s", svc, r.Source, want)
	}
	rec := ic.recorders[r.Source]
	argv := r.Command
	if len(argv) > 0 && filepath.Base(argv[0]) == "check_nrpe" {
		name := ""
		for i, w := range argv {
			if w == "-c" && i+1 < len(argv) {
				name = argv[i+1]
			}
		}
		rec, argv = ic.nrpe.rec, strings.Fields(ic.nrpe.commands[name])
	}
	if rec == nil {
		t.Errorf("icinga2 %s: ran on %q, which records no plugin run", svc, r.Source)
		return
	}
	first, long, _ := strings.Cut(r.Output, "\n")
	compareRuns(t, "icinga2", svc, stored{summary: first, perf: strings.Join(r.Perf, " "), long: long, code: r.State}, rec, argv, false)
}

func (ic *icinga) nodes() []*icingaNode {
	out := []*icingaNode{ic.master}
	for _, name := range sortedKeys(ic.satellites) {
		out = append(out, ic.satellites[name])
	}
	return out
}

func (ic *icinga) tails() string {
	var b strings.Builder
	for _, n := range ic.nodes() {
		b.WriteString(n.tail() + "\n")
	}
	return b.String()
}

// graphite is a Carbon plaintext listener collecting what GraphiteWriter sends.
type graphite struct {
	port  int
	mu    sync.Mutex
	paths map[string]string // metric path -> last value
}

func startGraphite(t *testing.T) *graphite {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	g := &graphite{port: l.Addr().(*net.TCPAddr).Port, paths: map[string]string{}}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					if f := strings.Fields(sc.Text()); len(f) == 3 {
						g.mu.Lock()
						g.paths[f[0]] = f[1]
						g.mu.Unlock()
					}
				}
			}()
		}
	}()
	return g
}

// checkPaths waits until Graphite has received every path of want, and
// checks that no metric path appears under two labels' names.
func (g *graphite) checkPaths(ctx context.Context, t *testing.T, want []string) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		g.mu.Lock()
		var missing []string
		for _, p := range want {
			if _, ok := g.paths[p]; !ok {
				missing = append(missing, p)
			}
		}
		n := len(g.paths)
		g.mu.Unlock()
		if len(missing) == 0 {
			t.Logf("Graphite received %d metric paths, among them %s", n, strings.Join(want, ", "))
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			g.mu.Lock()
			var have []string
			for p := range g.paths {
				if strings.Contains(p, ".perfdata.") {
					have = append(have, p)
				}
			}
			g.mu.Unlock()
			sort.Strings(have)
			t.Fatalf("Graphite did not receive %s within 30s; it has:\n%s", strings.Join(missing, ", "), strings.Join(have, "\n"))
		}
		time.Sleep(500 * time.Millisecond)
	}
}
