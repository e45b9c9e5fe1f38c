package heartbeat

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/fakedb"
)

func TestParseTable(t *testing.T) {
	for in, want := range map[string]Table{
		"percona.heartbeat":   {"percona", "heartbeat"},
		"`my db`.`hb``x`":     {"my db", "hb`x"},
		" hb.t ":              {"hb", "t"},
		"db.table.with.dots":  {"db", "table.with.dots"},
		"`db.x`.heartbeat":    {"db.x", "heartbeat"},
		"`d``b`.t":            {"d`b", "t"},
		"d.`t`":               {"d", "t"},
		"percona.heartbeat_2": {"percona", "heartbeat_2"},
	} {
		got, err := ParseTable(in)
		if err != nil || got != want {
			t.Errorf("ParseTable(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "heartbeat", "`db.t", "`db`t", "`db`", ".t", "db.", "``.t", "d\x00.t", "d." + string(make([]byte, 65))} {
		if _, err := ParseTable(bad); err == nil {
			t.Errorf("ParseTable(%q) accepted", bad)
		}
	}
	if got := (Table{"my db", "hb`x"}).quoted(); got != "`my db`.`hb``x`" {
		t.Errorf("quoted: %s", got)
	}
}

func TestStatement(t *testing.T) {
	tbl := Table{"hb", "heartbeat"}
	for _, tt := range []struct {
		version, comment string
		utc              bool
		want             string
	}{
		{"10.11.6-MariaDB", "", false, "SELECT server_id, ts, NOW(6), @@server_id FROM `hb`.`heartbeat`"},
		{"10.11.6-MariaDB", "", true, "SELECT server_id, ts, UTC_TIMESTAMP(6), @@server_id FROM `hb`.`heartbeat`"},
		{"8.0.36", "", false, "SELECT server_id, ts, NOW(6), @@server_id FROM `hb`.`heartbeat`"},
		{"5.6.4", "", true, "SELECT server_id, ts, UTC_TIMESTAMP(6), @@server_id FROM `hb`.`heartbeat`"},
		{"5.6.3", "", false, "SELECT server_id, ts, NOW(), @@server_id FROM `hb`.`heartbeat`"},
		{"5.5.62-log", "", true, "SELECT server_id, ts, UTC_TIMESTAMP(), @@server_id FROM `hb`.`heartbeat`"},
	} {
		id, err := server.Parse(tt.version, tt.comment)
		if err != nil {
			t.Fatal(err)
		}
		if got := Statement(id, tbl, tt.utc); got != tt.want {
			t.Errorf("%s utc=%v: %s, want %s", tt.version, tt.utc, got, tt.want)
		}
	}
}

func s(v string) *string { return &v }

// TestFromResult reads pt-heartbeat's timestamps (its own and the first
// row's NOW()) against the server's clock.
func TestFromResult(t *testing.T) {
	now := "2026-12-02 01:21:27.500000"
	res := &query.Result{
		Columns: []string{"server_id", "ts", "NOW(6)", "@@server_id"},
		Rows: [][]*string{
			{s("1"), s("2026-12-02T01:21:27.250000"), s(now), s("23")},
			{s("2"), s("2026-12-02 01:20:27"), s(now), s("23")},        // the row --create-table inserts
			{s("3"), s("2026-12-02T01:21:29.000000"), s(now), s("23")}, // ahead of this clock
			{s("4"), s("yesterday"), s(now), s("23")},
			{s("5"), nil, s(now), s("23")},
		},
	}
	rows, err := FromResult(res)
	if err != nil {
		t.Fatal(err)
	}
	want := []Beat{
		{1, "2026-12-02T01:21:27.250000", 250 * time.Millisecond, true},
		{2, "2026-12-02 01:20:27", 60500 * time.Millisecond, true},
		{3, "2026-12-02T01:21:29.000000", -1500 * time.Millisecond, true},
		{4, "yesterday", 0, false},
		{5, "", 0, false},
	}
	if rows.ServerID != 23 || len(rows.Beats) != len(want) {
		t.Fatalf("%+v", rows)
	}
	for i, b := range rows.Beats {
		if b != want[i] {
			t.Errorf("beat %d: %+v, want %+v", i, b, want[i])
		}
	}
	for _, bad := range []*query.Result{
		{Columns: []string{"a"}},
		{Columns: []string{"a", "b", "c", "d"}, Rows: [][]*string{{s("x"), s(""), s(now), s("1")}}},
	} {
		if _, err := FromResult(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

// TestRead sends the one statement and explains a refusal.
func TestRead(t *testing.T) {
	id, _ := server.Parse("10.11.6-MariaDB", "")
	tbl := Table{"hb", "heartbeat"}
	stmt := Statement(id, tbl, false)
	srv := fakedb.New(map[string]fakedb.Result{stmt: {
		Columns: []string{"server_id", "ts", "NOW(6)", "@@server_id"},
		Rows:    [][]*string{{s("1"), s("2026-12-02T01:21:27.000000"), s("2026-12-02 01:21:28.000000"), s("2")}},
	}})
	rows, sent, err := Read(context.Background(), srv, id, tbl, false)
	if err != nil || sent != stmt || len(rows.Beats) != 1 || rows.Beats[0].Lag != time.Second {
		t.Errorf("%+v %q %v", rows, sent, err)
	}
	denied := fakedb.New(map[string]fakedb.Result{stmt: {Err: &query.ServerError{Number: 1142, SQLState: "42000",
		Message: "SELECT command denied to user 'monitor'@'localhost' for table `hb`.`heartbeat`"}}})
	_, _, err = Read(context.Background(), denied, id, tbl, false)
	var ae *query.AccessError
	if !errors.As(err, &ae) || ae.Missing != "SELECT on table `hb`.`heartbeat`" {
		t.Errorf("refusal: %v", err)
	}
}
