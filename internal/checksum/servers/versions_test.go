package servers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/fakedb"
	"github.com/replmon/replmon/internal/testkit/fixture"
)

// recordedNode identifies a server from a recorded fixture (its @@version,
// @@version_comment and replica status, as that version answers) served by
// a fake server, through the same code as a real run.
func recordedNode(t *testing.T, f fixture.Fixture, gtidMode string) *Node {
	t.Helper()
	script := f.Script()
	n := &Node{Label: f.Name()}
	row := []*string{str("2"), str("1"), str("1"), str("db"), str("3306")}
	switch q := factsQuery(f.Identity); {
	case strings.Contains(q, "gtid_mode"):
		row = append(row, str("3e11fa47-71ca-11e1-9e33-c80aa9429562"), str(gtidMode))
	case strings.Contains(q, "gtid_strict_mode"):
		row = append(row, str("1-1-7,2-2-9"), str("0"))
	}
	cols := make([]string, len(row))
	for i := range cols {
		cols[i] = "c" + string(rune('0'+i))
	}
	script[factsQuery(f.Identity)] = fakedb.Result{Columns: cols, Rows: [][]*string{row}}
	if err := n.identify(context.Background(), fakedb.New(script)); err != nil {
		t.Fatalf("%s: identify: %v", f.Name(), err)
	}
	if n.ChannelsErr != nil {
		t.Fatalf("%s: channels: %v", f.Name(), n.ChannelsErr)
	}
	return n
}

func str(s string) *string { return &s }

func loadFixtures(t *testing.T) map[string]fixture.Fixture {
	t.Helper()
	fs, err := fixture.LoadDir("../../../testdata/replica_status")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]fixture.Fixture{}
	for _, f := range fs {
		out[f.Name()] = f
	}
	return out
}

// TestRecordedVersionsChooseRows: between servers of different versions
// (recorded answers of MySQL 5.0 to 8.4 and Percona) CHECKSUM TABLE values
// mean nothing, so auto chooses the rows method and an explicit
// checksum-table reports a difference as not comparable.
func TestRecordedVersionsChooseRows(t *testing.T) {
	fs := loadFixtures(t)
	src := recordedNode(t, fs["mariadb-10.11"], "")
	if src.ID.String() != "MariaDB 10.11.19" || len(src.Channels) != 3 {
		t.Fatalf("source from the MariaDB 10.11 recording: %v with %d channels", src.ID, len(src.Channels))
	}
	info := &plan.TableInfo{Engine: "InnoDB", RowFormat: "Dynamic", Columns: []plan.Column{{Name: "id", DataType: "int", ColumnType: "int(11)"}}}
	tests := []struct {
		fixture string
		method  judge.Method
		note    string
	}{
		{"mariadb-10.11-show-slave-status", judge.ChecksumTable, ""},
		{"mysql-5.0", judge.Rows, "versions differ: MariaDB 10.11.19 and MySQL 5.0.95"},
		{"mysql-5.1", judge.Rows, "versions differ: MariaDB 10.11.19 and MySQL 5.1.73"},
		{"mysql-5.5", judge.Rows, "versions differ: MariaDB 10.11.19 and MySQL 5.5.62"},
		{"mysql-5.6", judge.Rows, "versions differ: MariaDB 10.11.19 and MySQL 5.6.51"},
		{"mysql-5.7", judge.Rows, "versions differ: MariaDB 10.11.19 and MySQL 5.7.44"},
		{"percona-5.7", judge.Rows, "versions differ: MariaDB 10.11.19 and Percona 5.7.44"},
		{"mysql-8.0.21", judge.Rows, "versions differ: MariaDB 10.11.19 and MySQL 8.0.21"},
		{"mysql-8.0.22", judge.Rows, "versions differ: MariaDB 10.11.19 and MySQL 8.0.22"},
		{"mysql-8.4", judge.Rows, "versions differ: MariaDB 10.11.19 and MySQL 8.4.0"},
	}
	for _, tt := range tests {
		rep := recordedNode(t, fs[tt.fixture], "OFF")
		got := judge.ChooseMethod(judge.Auto, src.ID, rep.ID, info, info)
		if got.Method != tt.method || got.Note != tt.note || got.Incomparable != "" {
			t.Errorf("%s: auto chose %+v, want %s (%q)", tt.fixture, got, tt.method, tt.note)
		}
		explicit := judge.ChooseMethod(judge.ChecksumTable, src.ID, rep.ID, info, info)
		wantInc := ""
		if tt.note != "" {
			wantInc = "CHECKSUM TABLE values differ by design: " + tt.note + "; use --method=rows"
		}
		if explicit.Method != judge.ChecksumTable || explicit.Incomparable != wantInc {
			t.Errorf("%s: checksum-table gave %+v, want incomparable %q", tt.fixture, explicit, wantInc)
		}
		if r := judge.ChooseMethod(judge.Rows, src.ID, rep.ID, info, info); r.Method != judge.Rows || r.Note != "" {
			t.Errorf("%s: rows gave %+v", tt.fixture, r)
		}
	}
	// Between two MySQL 8.0 patch releases CHECKSUM TABLE compares.
	a, b := recordedNode(t, fs["mysql-8.0.21"], "OFF"), recordedNode(t, fs["mysql-8.0.22"], "OFF")
	if got := judge.ChooseMethod(judge.Auto, a.ID, b.ID, info, info); got.Method != judge.ChecksumTable {
		t.Errorf("MySQL 8.0.21 and 8.0.22: %+v, want checksum-table", got)
	}
}

// TestStatementsByVersion: every statement whose spelling depends on the
// server, chosen from recorded identities.
func TestStatementsByVersion(t *testing.T) {
	fs := loadFixtures(t)
	maria := recordedNode(t, fs["mariadb-10.11"], "")
	maria.ServerID = 11
	mariaOne := recordedNode(t, fs["mariadb-10.11-show-slave-status"], "")
	m1 := &Node{Label: "m1", ID: maria.ID, ServerID: 1}
	my84 := recordedNode(t, fs["mysql-8.4"], "ON")
	my80 := recordedNode(t, fs["mysql-8.0.22"], "OFF")
	my57g := recordedNode(t, fs["mysql-5.7"], "ON")
	my56g := recordedNode(t, fs["mysql-5.6"], "ON")
	my50 := recordedNode(t, fs["mysql-5.0"], "")
	gtidCo := judge.Coords{GTID: "1-1-7,2-11-3,0-2-9"}
	setCo := judge.Coords{GTID: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"}
	posCo := judge.Coords{File: "binlog.000042", Pos: 1234}
	// A MySQL 8.0 replica of two sources: the default channel and 'east'.
	my80two := recordedNode(t, fs["mysql-8.0.22"], "OFF")
	my80two.Channels = []replica.Channel{{Name: ""}, {Name: "east"}}
	my84two := recordedNode(t, fs["mysql-8.4"], "OFF")
	my84two.Channels = []replica.Channel{{Name: ""}, {Name: "east"}}
	hop := func(up, down *Node, channel string, by waitBy) Hop {
		return Hop{Up: up, Down: down, Channel: channel, By: by}
	}
	tests := []struct {
		name    string
		hop     Hop
		co      judge.Coords
		timeout time.Duration
		want    string
		kind    waitKind
	}{
		{"MariaDB: GTID wait without the replica's own GTIDs", hop(m1, maria, "", byGTID), gtidCo, 1500 * time.Millisecond,
			"SELECT MASTER_GTID_WAIT('1-1-7,0-2-9', 1.500)", waitMariaGTID},
		{"MariaDB: only look", hop(m1, maria, "", byGTID), gtidCo, 0, "SELECT MASTER_GTID_WAIT('1-1-7,0-2-9', 0.000)", waitMariaGTID},
		{"MariaDB: nothing to wait for", hop(m1, maria, "", byGTID), judge.Coords{GTID: "2-11-3"}, time.Second, "", waitNone},
		{"MariaDB by position, default connection of three", hop(m1, maria, "", byPosition), posCo, time.Second,
			"SELECT MASTER_POS_WAIT('binlog.000042', 1234, 1, '')", waitPosition},
		{"MySQL 8.4 GTID", hop(my84, my84, "", byGTID), setCo, 1200 * time.Millisecond,
			"SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 2)", waitExecutedGTID},
		{"MySQL 5.7 GTID, zero timeout is 1s", hop(my57g, my57g, "", byGTID), setCo, 0,
			"SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 1)", waitExecutedGTID},
		{"MySQL 5.6 GTID", hop(my56g, my56g, "", byGTID), setCo, 3 * time.Second,
			"SELECT WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 3)", waitPosition},
		{"MySQL 8.4 positions", hop(my80, my84, "", byPosition), posCo, time.Second,
			"SELECT SOURCE_POS_WAIT('binlog.000042', 1234, 1)", waitPosition},
		{"MySQL 8.0.22 positions on a channel", hop(my80, my80, "east", byPosition), posCo, time.Second,
			"SELECT MASTER_POS_WAIT('binlog.000042', 1234, 1, 'east')", waitPosition},
		// Issue 12 item 14: on a replica that also has named channels, the
		// default channel must be named too ('').
		{"MySQL 8.0.22 default channel of two", hop(my80, my80two, "", byPosition), posCo, time.Second,
			"SELECT MASTER_POS_WAIT('binlog.000042', 1234, 1, '')", waitPosition},
		{"MySQL 8.4 default channel of two", hop(my80, my84two, "", byPosition), posCo, time.Second,
			"SELECT SOURCE_POS_WAIT('binlog.000042', 1234, 1, '')", waitPosition},
		{"MySQL 5.0 positions", hop(my50, my50, "", byPosition), posCo, 2 * time.Second,
			"SELECT MASTER_POS_WAIT('binlog.000042', 1234, 2)", waitPosition},
		{"MySQL source, MariaDB replica: positions", hop(my80, mariaOne, "", byPosition), posCo, time.Second,
			"SELECT MASTER_POS_WAIT('binlog.000042', 1234, 1)", waitPosition},
	}
	for _, tt := range tests {
		w, err := waitStatement(tt.hop, tt.co, tt.timeout)
		if err != nil || w.Query != tt.want || w.Kind != tt.kind {
			t.Errorf("%s: %+v, %v; want %q kind %d", tt.name, w, err, tt.want, tt.kind)
		}
	}
	if _, err := waitStatement(hop(my80, my80, "", byPosition), judge.Coords{}, time.Second); err == nil {
		t.Error("waiting without coordinates: no error")
	}
	if _, err := waitStatement(hop(m1, maria, "", byGTID), judge.Coords{GTID: "bad"}, time.Second); err == nil {
		t.Error("bad GTID position: no error")
	}
	if _, err := waitStatement(hop(m1, maria, "", byNone), gtidCo, time.Second); err == nil {
		t.Error("a hop with no way to wait: no error")
	}

	coordsTests := []struct {
		n           *Node
		gtid, facts string
	}{
		{maria, "SELECT @@GLOBAL.gtid_binlog_pos",
			"SELECT @@GLOBAL.server_id, @@GLOBAL.log_bin, @@GLOBAL.log_slave_updates, @@hostname, @@port, @@GLOBAL.gtid_binlog_state, @@GLOBAL.gtid_strict_mode"},
		{my84, "SELECT @@GLOBAL.gtid_executed",
			"SELECT @@GLOBAL.server_id, @@GLOBAL.log_bin, @@GLOBAL.log_replica_updates, @@hostname, @@port, @@GLOBAL.server_uuid, @@GLOBAL.gtid_mode"},
		{my80, "SELECT @@GLOBAL.gtid_executed",
			"SELECT @@GLOBAL.server_id, @@GLOBAL.log_bin, @@GLOBAL.log_slave_updates, @@hostname, @@port, @@GLOBAL.server_uuid, @@GLOBAL.gtid_mode"},
		{my50, "SELECT @@GLOBAL.gtid_executed",
			"SELECT @@GLOBAL.server_id, @@GLOBAL.log_bin, @@GLOBAL.log_slave_updates, @@hostname, @@port"},
	}
	for _, tt := range coordsTests {
		if got := gtidCoordsQuery(tt.n); got != tt.gtid {
			t.Errorf("%s: GTID coordinates %q, want %q", tt.n.Label, got, tt.gtid)
		}
		if got := factsQuery(tt.n.ID); got != tt.facts {
			t.Errorf("%s: facts %q, want %q", tt.n.Label, got, tt.facts)
		}
	}
	if maria.Hostname != "db" || maria.Port != 3306 || maria.BinlogState.String() != "1-1-7,2-2-9" || maria.StrictMode || maria.UUID != "" {
		t.Errorf("MariaDB facts: %+v", maria)
	}
	if my84.ID.MasterStatusQuery() != "SHOW BINARY LOG STATUS" || !my84.GTIDMode || my84.UUID == "" || !my84.LogSlaveUpdates {
		t.Errorf("MySQL 8.4 facts: %+v", my84)
	}
}

func mustParse(t *testing.T, v, c string) server.Identity {
	t.Helper()
	id, err := server.Parse(v, c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
