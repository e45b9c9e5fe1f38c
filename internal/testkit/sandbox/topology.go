package sandbox

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Link is one replication connection of a server.
type Link struct {
	Channel string // MariaDB connection name, "" = default connection
	Source  string // name of the source server
	// Positions replicates by binary log file and position
	// (MASTER_USE_GTID=no), as the seed's CHANGE MASTER does, instead of
	// by GTID.
	Positions bool
}

// ServerSpec describes one server of a topology.
type ServerSpec struct {
	Name     string    // "m1", "m1r1", ...
	ServerID int       // unique, non-zero
	Port     int       // 0 = pick a free high port (never 3306)
	Sources  []Link    // replication sources (empty = not a replica)
	ReadOnly bool      // read_only=ON
	LogBin   bool      // binary log on, with log_slave_updates=ON and binlog_format=ROW
	Cnf      []string  // extra my.cnf lines for [mariadbd], appended last so they override defaults
	TLS      *TLSFiles // when set, the server offers TLS with these files (see NewCA)
}

// Topology is the list of servers of a sandbox, in start and report order.
type Topology struct {
	Servers []ServerSpec
}

// Seed returns the blog post's layout: masters m1 and m2 replicating each
// other, each with three read-only replicas (m1r1..m1r3, m2r1..m2r3).
func Seed() Topology {
	var t Topology
	for i, m := range []string{"m1", "m2"} {
		n := i + 1
		other := []string{"m2", "m1"}[i]
		t.Servers = append(t.Servers, ServerSpec{
			Name:     m,
			ServerID: n,
			Sources:  []Link{{Source: other}},
			LogBin:   true,
			Cnf: []string{
				"auto_increment_increment=2",
				"auto_increment_offset=" + strconv.Itoa(n),
				"gtid_domain_id=" + strconv.Itoa(n),
			},
		})
	}
	for i, m := range []string{"m1", "m2"} {
		for r := 1; r <= 3; r++ {
			t.Servers = append(t.Servers, ServerSpec{
				Name:     fmt.Sprintf("%sr%d", m, r),
				ServerID: (i+1)*10 + r,
				Sources:  []Link{{Source: m}},
				ReadOnly: true,
			})
		}
	}
	return t
}

// SeedPositions returns the seed's layout configured as the post
// configures it: replication by binary log file and position, and both
// masters in one GTID domain (0, the default), so that each domain has two
// originating servers once both masters take writes. Seed gives each
// master its own domain and replicates by GTID instead.
func SeedPositions() Topology {
	t := Seed()
	for i := range t.Servers {
		s := &t.Servers[i]
		for j := range s.Sources {
			s.Sources[j].Positions = true
		}
		var cnf []string
		for _, l := range s.Cnf {
			if !strings.HasPrefix(l, "gtid_domain_id=") {
				cnf = append(cnf, l)
			}
		}
		s.Cnf = cnf
	}
	return t
}

// SeedBinlogs returns Seed with a binary log (and log_slave_updates) on
// every replica too, so that a write made directly on a replica gets a
// GTID of its own (domain 0, the replica's server_id): what an errant
// transaction looks like.
func SeedBinlogs() Topology {
	t := Seed()
	for i := range t.Servers {
		t.Servers[i].LogBin = true
	}
	return t
}

// PairInTimeZones returns Pair with m1 and r1 in the given time zones
// (default_time_zone, an offset such as "+05:30": the sandbox loads no
// time zone tables).
func PairInTimeZones(m1, r1 string) Topology {
	t := Pair()
	t.Server("m1").Cnf = append(t.Server("m1").Cnf, "default_time_zone="+m1)
	t.Server("r1").Cnf = append(t.Server("r1").Cnf, "default_time_zone="+r1)
	return t
}

// SeedSharedDomain returns SeedBinlogs with both masters in
// gtid_domain_id 0, the MariaDB default: a ring whose two masters take
// writes in one GTID domain.
func SeedSharedDomain() Topology {
	t := SeedBinlogs()
	for _, m := range []string{"m1", "m2"} {
		t.Server(m).Cnf = append(t.Server(m).Cnf, "gtid_domain_id=0")
	}
	return t
}

// Pair returns a small layout for fast tests: master m1 and its read-only
// replica r1.
func Pair() Topology {
	return Topology{Servers: []ServerSpec{
		{Name: "m1", ServerID: 1, LogBin: true},
		{Name: "r1", ServerID: 11, Sources: []Link{{Source: "m1"}}, ReadOnly: true},
	}}
}

// Server returns a pointer to the named spec so it can be changed before
// Start, or nil if there is none.
func (t *Topology) Server(name string) *ServerSpec {
	for i := range t.Servers {
		if t.Servers[i].Name == name {
			return &t.Servers[i]
		}
	}
	return nil
}

var (
	validName    = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)
	validChannel = regexp.MustCompile(`^[A-Za-z0-9_-]{0,64}$`)
)

// validate reports the first inconsistency of t.
func (t Topology) validate() error {
	if len(t.Servers) == 0 {
		return fmt.Errorf("sandbox: topology has no servers")
	}
	names := map[string]bool{}
	ids := map[int]string{}
	ports := map[int]string{}
	for _, s := range t.Servers {
		if !validName.MatchString(s.Name) {
			return fmt.Errorf("sandbox: server name %q: use 1 to 32 letters, digits or _", s.Name)
		}
		if names[s.Name] {
			return fmt.Errorf("sandbox: server name %q used twice", s.Name)
		}
		names[s.Name] = true
		if s.ServerID <= 0 || s.ServerID > 1<<32-1 {
			return fmt.Errorf("sandbox: %s: server_id %d out of range 1..4294967295", s.Name, s.ServerID)
		}
		if other, ok := ids[s.ServerID]; ok {
			return fmt.Errorf("sandbox: %s and %s share server_id %d", other, s.Name, s.ServerID)
		}
		ids[s.ServerID] = s.Name
		if s.Port < 0 || s.Port > 65535 || s.Port == 3306 {
			return fmt.Errorf("sandbox: %s: port %d not allowed", s.Name, s.Port)
		}
		if s.Port != 0 {
			if other, ok := ports[s.Port]; ok {
				return fmt.Errorf("sandbox: %s and %s share port %d", other, s.Name, s.Port)
			}
			ports[s.Port] = s.Name
		}
	}
	for _, s := range t.Servers {
		if err := validateTLS(s.Name, s.TLS); err != nil {
			return err
		}
		for _, l := range s.Cnf {
			if strings.ContainsAny(l, "\r\n") || strings.HasPrefix(strings.TrimSpace(l), "[") {
				return fmt.Errorf("sandbox: %s: Cnf line %q: one option per line, no section headers", s.Name, l)
			}
		}
		channels := map[string]bool{}
		for _, l := range s.Sources {
			if !validChannel.MatchString(l.Channel) {
				return fmt.Errorf("sandbox: %s: channel name %q: use up to 64 letters, digits, _ or -", s.Name, l.Channel)
			}
			if channels[l.Channel] {
				return fmt.Errorf("sandbox: %s: channel %q used twice", s.Name, l.Channel)
			}
			channels[l.Channel] = true
			if !names[l.Source] {
				return fmt.Errorf("sandbox: %s: source %q is not in the topology", s.Name, l.Source)
			}
			if l.Source == s.Name {
				return fmt.Errorf("sandbox: %s replicates from itself", s.Name)
			}
		}
	}
	return nil
}
