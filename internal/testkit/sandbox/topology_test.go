package sandbox

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestSeedLayout(t *testing.T) {
	topo := Seed()
	var names []string
	for _, s := range topo.Servers {
		names = append(names, s.Name)
	}
	want := []string{"m1", "m2", "m1r1", "m1r2", "m1r3", "m2r1", "m2r2", "m2r3"}
	if !slices.Equal(names, want) {
		t.Fatalf("servers = %v, want %v", names, want)
	}
	if err := topo.validate(); err != nil {
		t.Fatalf("Seed does not validate: %v", err)
	}
	ids := map[string]int{"m1": 1, "m2": 2, "m1r1": 11, "m1r2": 12, "m1r3": 13, "m2r1": 21, "m2r2": 22, "m2r3": 23}
	for _, s := range topo.Servers {
		if s.ServerID != ids[s.Name] {
			t.Errorf("%s: server_id %d, want %d", s.Name, s.ServerID, ids[s.Name])
		}
		master := s.Name == "m1" || s.Name == "m2"
		if s.LogBin != master || s.ReadOnly == master {
			t.Errorf("%s: LogBin=%v ReadOnly=%v", s.Name, s.LogBin, s.ReadOnly)
		}
		wantSource := map[string]string{"m1": "m2", "m2": "m1"}[s.Name]
		if !master {
			wantSource = s.Name[:2]
		}
		if len(s.Sources) != 1 || s.Sources[0].Source != wantSource || s.Sources[0].Channel != "" {
			t.Errorf("%s: sources %v, want default channel from %s", s.Name, s.Sources, wantSource)
		}
	}
	m2 := topo.Server("m2")
	for _, l := range []string{"auto_increment_increment=2", "auto_increment_offset=2", "gtid_domain_id=2"} {
		if !slices.Contains(m2.Cnf, l) {
			t.Errorf("m2 Cnf %v lacks %q", m2.Cnf, l)
		}
	}
}

// TestVariants: SeedPositions is Seed by file and position in one domain;
// PairInTimeZones is Pair with a time zone per server. Neither changes Seed.
func TestVariants(t *testing.T) {
	seed, pos := Seed(), SeedPositions()
	if len(pos.Servers) != len(seed.Servers) {
		t.Fatalf("SeedPositions has %d servers, Seed %d", len(pos.Servers), len(seed.Servers))
	}
	for i, s := range pos.Servers {
		if s.Name != seed.Servers[i].Name || s.ServerID != seed.Servers[i].ServerID || len(s.Sources) != 1 {
			t.Errorf("%s differs from the seed's %s", s.Name, seed.Servers[i].Name)
		}
		if !s.Sources[0].Positions || seed.Servers[i].Sources[0].Positions {
			t.Errorf("%s: Positions %v in SeedPositions, %v in Seed", s.Name, s.Sources[0].Positions, seed.Servers[i].Sources[0].Positions)
		}
		for _, l := range s.Cnf {
			if strings.HasPrefix(l, "gtid_domain_id") {
				t.Errorf("%s keeps %s", s.Name, l)
			}
		}
		if want := changeMasterSQL(s.Sources[0], &Server{Port: 40000}); !strings.Contains(want, "MASTER_USE_GTID=no,") {
			t.Errorf("%s: %s", s.Name, want)
		}
	}
	if !slices.Contains(seed.Server("m2").Cnf, "gtid_domain_id=2") || !strings.Contains(changeMasterSQL(seed.Servers[0].Sources[0], &Server{Port: 1}), "MASTER_USE_GTID=slave_pos,") {
		t.Error("Seed changed")
	}
	tz := PairInTimeZones("+00:00", "-03:00")
	if !slices.Contains(tz.Server("m1").Cnf, "default_time_zone=+00:00") || !slices.Contains(tz.Server("r1").Cnf, "default_time_zone=-03:00") {
		t.Errorf("PairInTimeZones: %+v", tz)
	}
}

// TestSeedVariants: SeedBinlogs is Seed with a binary log everywhere;
// SeedSharedDomain puts both masters in gtid_domain_id 0 (the last Cnf line
// wins over Seed's own), and neither changes Seed.
func TestSeedVariants(t *testing.T) {
	b, sd := SeedBinlogs(), SeedSharedDomain()
	for _, topo := range []Topology{b, sd} {
		if err := topo.validate(); err != nil {
			t.Fatal(err)
		}
		for _, s := range topo.Servers {
			if !s.LogBin {
				t.Errorf("%s has no binary log", s.Name)
			}
		}
	}
	for _, m := range []string{"m1", "m2"} {
		cnf := sd.Server(m).Cnf
		if cnf[len(cnf)-1] != "gtid_domain_id=0" {
			t.Errorf("%s: Cnf %v does not end with gtid_domain_id=0", m, cnf)
		}
		seed := Seed()
		if slices.Contains(b.Server(m).Cnf, "gtid_domain_id=0") || slices.Contains(seed.Server(m).Cnf, "gtid_domain_id=0") {
			t.Errorf("%s: the shared domain leaked into SeedBinlogs or Seed", m)
		}
	}
	if seed := Seed(); seed.Server("m1r1").LogBin {
		t.Error("SeedBinlogs changed Seed")
	}
}

func TestTopologyServerPointer(t *testing.T) {
	topo := Pair()
	topo.Server("r1").Cnf = append(topo.Server("r1").Cnf, "log_slave_updates=OFF")
	if got := topo.Servers[1].Cnf; len(got) != 1 {
		t.Fatalf("change through Server() not visible: Cnf = %v", got)
	}
	if topo.Server("nope") != nil {
		t.Fatal("Server(absent) is not nil")
	}
}

func TestValidate(t *testing.T) {
	cases := map[string]struct {
		change func(*Topology)
		want   string
	}{
		"duplicate name":   {func(t *Topology) { t.Servers[1].Name = "m1" }, "used twice"},
		"duplicate id":     {func(t *Topology) { t.Servers[1].ServerID = 1 }, "share server_id"},
		"zero id":          {func(t *Topology) { t.Servers[0].ServerID = 0 }, "out of range"},
		"unknown source":   {func(t *Topology) { t.Servers[1].Sources[0].Source = "x" }, "not in the topology"},
		"self source":      {func(t *Topology) { t.Servers[1].Sources[0].Source = "r1" }, "from itself"},
		"quote in channel": {func(t *Topology) { t.Servers[1].Sources[0].Channel = "a'b" }, "channel name"},
		"port 3306":        {func(t *Topology) { t.Servers[0].Port = 3306 }, "not allowed"},
		"shared port":      {func(t *Topology) { t.Servers[0].Port, t.Servers[1].Port = 40000, 40000 }, "share port"},
		"path in name":     {func(t *Topology) { t.Servers[0].Name = "../x" }, "server name"},
		"section in Cnf":   {func(t *Topology) { t.Servers[0].Cnf = []string{"[client]"} }, "section"},
		"newline in Cnf":   {func(t *Topology) { t.Servers[0].Cnf = []string{"a=1\nb=2"} }, "one option per line"},
		"empty":            {func(t *Topology) { t.Servers = nil }, "no servers"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			topo := Pair().clone()
			c.change(&topo)
			err := topo.validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("validate() = %v, want error containing %q", err, c.want)
			}
		})
	}
}

func TestRenderCnfOrder(t *testing.T) {
	seed := Seed()
	spec := seed.Server("m2")
	spec.Cnf = append(spec.Cnf, "log_slave_updates=OFF")
	s := &Server{Name: "m2", ServerID: 2, Port: 40002, Socket: "/tmp/x/m2/mysqld.sock", Spec: *spec}
	cnf := renderCnf(s)
	on := strings.Index(cnf, "\nlog_slave_updates=ON\n")
	off := strings.Index(cnf, "\nlog_slave_updates=OFF\n")
	if on < 0 || off < on {
		t.Fatalf("extra Cnf must come after the defaults (ON at %d, OFF at %d):\n%s", on, off, cnf)
	}
	for _, want := range []string{"[mariadbd]\n", "\nport=40002\n", "\nserver_id=2\n", "\nbind-address=127.0.0.1\n",
		"\nlog_bin=mysqld-bin\n", "\nauto_increment_offset=2\n", "\nmax_connections=400\n", "\nperformance_schema=OFF\n"} {
		if !strings.Contains(cnf, want) {
			t.Errorf("my.cnf lacks %q", strings.TrimSpace(want))
		}
	}
	if strings.Contains(cnf, "read_only") {
		t.Errorf("a master got read_only:\n%s", cnf)
	}
	r := &Server{Name: "m2r1", Spec: *seed.Server("m2r1")}
	if rc := renderCnf(r); !strings.Contains(rc, "\nread_only=ON\n") || !strings.Contains(rc, "\nrelay_log_recovery=ON\n") || strings.Contains(rc, "log_bin") {
		t.Errorf("replica my.cnf wrong:\n%s", rc)
	}
}

func TestFindBinariesMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := findBinaries(t.TempDir())
	if !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("err = %v, want ErrNotInstalled", err)
	}
	want := "mariadbd not found: run `make test` as root (it installs mariadb-server) or apt-get install mariadb-server mariadb-client"
	if err.Error() != want {
		t.Fatalf("message = %q, want %q", err, want)
	}
}

func TestFindBinariesFallback(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"mariadbd", "mariadb-install-db"} {
		if err := os.WriteFile(dir+"/"+n, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", t.TempDir())
	b, err := findBinaries(dir)
	if err != nil || b.mariadbd != dir+"/mariadbd" {
		t.Fatalf("findBinaries = %+v, %v; want %s/mariadbd", b, err, dir)
	}
}

func TestBootstrapSQLGrants(t *testing.T) {
	sql := bootstrapSQL()
	want := "GRANT SELECT, PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO 'monitor'@'127.0.0.1', 'monitor'@'localhost'"
	if !strings.Contains(sql, want) {
		t.Fatalf("bootstrap SQL lacks %q:\n%s", want, sql)
	}
	if !strings.HasPrefix(sql, "SET sql_log_bin=0;") {
		t.Fatalf("bootstrap SQL must start with SET sql_log_bin=0:\n%s", sql)
	}
}

func TestTail(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "b\nc"},
		{"a\nb\nc", 5, "a\nb\nc"},
		{"", 3, ""},
		{"a\n", 0, ""},
	}
	for _, c := range cases {
		if got := tail(c.in, c.n); got != c.want {
			t.Errorf("tail(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
