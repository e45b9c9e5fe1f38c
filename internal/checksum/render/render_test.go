package render

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/testkit/clitest"
)

func defaultOptions() Options {
	return Options{Unsettled: plugin.WARNING, Lagging: plugin.WARNING, Unreachable: plugin.CRITICAL}
}

func ct(v string) judge.Sums          { return judge.Sums{0: {Rows: -1, Value: v}} }
func rs(n int64, v string) judge.Sums { return judge.Sums{0: {Rows: n, Value: v}} }

var (
	tUsers  = plan.TableName{Schema: "app", Name: "users"}
	tOrders = plan.TableName{Schema: "app", Name: "orders"}
	tHot    = plan.TableName{Schema: "app", Name: "hot"}
)

func replicas() []judge.ReplicaSummary {
	return []judge.ReplicaSummary{
		{Label: "r1", Identity: "MariaDB 10.11.19", Route: "replicates from the source"},
		{Label: "r2", Identity: "MariaDB 10.11.19", Route: "replicates from the source through m2; m2 has log_slave_updates=OFF: what it applies from its sources never reaches this replica"},
	}
}

func TestRenderGolden(t *testing.T) {
	inSync := func(tb plan.TableName, rep string) judge.Result {
		return judge.Result{Table: tb, Replica: rep, Method: judge.ChecksumTable, Chunks: 1,
			Verdict: judge.Verdict{State: judge.InSync, Source: ct("4239701103"), Replica: ct("4239701103")}}
	}
	tests := []struct {
		name   string
		out    judge.Outcome
		status plugin.Status
		full   bool             // --full-output
		maxAge [2]time.Duration // --max-cycle-age
	}{
		{
			name:   "ok",
			status: plugin.OK,
			out: judge.Outcome{Cycle: judge.Cycle{Coverage: 1}, Replicas: replicas(), Tables: []plan.TableName{tUsers, tOrders},
				Results: [][]judge.Result{
					{inSync(tUsers, "r1"), inSync(tUsers, "r2")},
					{
						{Table: tOrders, Replica: "r1", Method: judge.Rows, Chunks: 3,
							Verdict: judge.Verdict{State: judge.InSync, Source: judge.Sums{0: {Rows: 600, Value: "1"}, 1: {Rows: 600, Value: "2"}, 2: {Rows: 12, Value: "3"}}, Replica: judge.Sums{0: {Rows: 600, Value: "1"}, 1: {Rows: 600, Value: "2"}, 2: {Rows: 12, Value: "3"}}},
							Note:    "versions differ: MariaDB 10.11.19 and MySQL 8.0.36"},
						{Table: tOrders, Replica: "r2", Method: judge.Rows, Chunks: 1, Verdict: judge.Verdict{State: judge.InSync, Retries: 1, Source: rs(1212, "9"), Replica: rs(1212, "9")}},
					},
				}},
		},
		{
			name:   "drift",
			status: plugin.CRITICAL,
			out: judge.Outcome{Cycle: judge.Cycle{Coverage: 1}, Replicas: replicas(), Tables: []plan.TableName{tUsers, tOrders},
				Results: [][]judge.Result{
					{inSync(tUsers, "r1"), {Table: tUsers, Replica: "r2", Method: judge.ChecksumTable, Chunks: 1,
						Verdict: judge.Verdict{State: judge.Drifted, Drifted: []int{0}, Source: ct("4239701103"), Replica: ct("972628272")},
						Keys:    []judge.KeyDiff{{Key: "id=21", Kind: judge.OnlySource}, {Key: "id=23", Kind: judge.OnlySource}, {Key: "id=25", Kind: judge.OnlySource}, {Key: "id=4", Kind: judge.Different}}, MoreKeys: 2}},
					{
						{Table: tOrders, Replica: "r1", Method: judge.Rows, Chunks: 4,
							Verdict: judge.Verdict{State: judge.Drifted, Drifted: []int{2}, Unsettled: []int{0}, Retries: 3, Why: "still changing on the source after 3 retries",
								Source: judge.Sums{0: {Rows: 10, Value: "1"}, 1: {Rows: 10, Value: "2"}, 2: {Rows: 10, Value: "3"}, 3: {Rows: 5, Value: "4"}}, Replica: judge.Sums{0: {Rows: 10, Value: "1"}, 1: {Rows: 10, Value: "2"}, 2: {Rows: 9, Value: "7"}, 3: {Rows: 5, Value: "4"}}},
							Keys: []judge.KeyDiff{{Key: "id=5", Kind: judge.OnlySource}}},
						{Table: tOrders, Replica: "r2", Method: judge.Rows, Chunks: 1,
							Verdict: judge.Verdict{State: judge.Drifted, Drifted: []int{0}, Source: rs(5, "1"), Replica: rs(5, "2")}, KeysNote: "no primary key: differing rows cannot be listed"},
					},
				}},
		},
		{
			name:   "unsettled-lagging",
			status: plugin.WARNING,
			out: judge.Outcome{Cycle: judge.Cycle{Coverage: 1}, Replicas: replicas(), Tables: []plan.TableName{tUsers, tHot},
				Results: [][]judge.Result{
					{inSync(tUsers, "r1"), {Table: tUsers, Replica: "r2", Method: judge.ChecksumTable, Chunks: 1,
						Verdict: judge.Verdict{State: judge.Lagging, Source: ct("1"), Replica: ct("2"), Why: "r2 did not reach the source's coordinates within 3.0s"}}},
					{
						{Table: tHot, Replica: "r1", Method: judge.Rows, Chunks: 1,
							Verdict: judge.Verdict{State: judge.Unsettled, Unsettled: []int{0}, Retries: 3, Why: "still changing on the source after 3 retries", Source: rs(200, "1"), Replica: rs(200, "2")}},
						{Table: tHot, Replica: "r2", Method: judge.Rows, Chunks: 1,
							Verdict: judge.Verdict{State: judge.Lagging, Source: rs(200, "1"), Replica: rs(199, "2"), Why: "replication is stopped on r2 (SQL thread not running)"}},
					},
				}},
		},
		{
			name:   "errors",
			status: plugin.CRITICAL,
			out: judge.Outcome{Cycle: judge.Cycle{Coverage: 1}, Replicas: replicas()[:1], Tables: []plan.TableName{tUsers, tOrders, tHot, {Schema: "app", Name: "gone"}},
				Failed: []judge.ReplicaFailure{{Label: "r3", Err: errors.New("did not answer within 3.0s")}},
				Results: [][]judge.Result{
					{{Table: tUsers, Replica: "r1", Method: judge.ChecksumTable, Verdict: judge.Verdict{State: judge.Missing}}},
					{{Table: tOrders, Replica: "r1", Method: judge.Rows, Verdict: judge.Verdict{State: judge.Structure, Why: "columns only on the source: n"}}},
					{{Table: tHot, Replica: "r1", Method: judge.ChecksumTable, Chunks: 1, Verdict: judge.Verdict{State: judge.Incomparable, Source: ct("1"), Replica: ct("2"),
						Why: "CHECKSUM TABLE values differ by design: versions differ: MariaDB 10.11.19 and MySQL 8.0.36; use --method=rows"}}},
					{{Table: plan.TableName{Schema: "app", Name: "gone"}, Replica: "r1", Verdict: judge.Verdict{State: judge.Dropped}}},
				}},
		},
		{
			name:   "filtered",
			status: plugin.CRITICAL,
			out: judge.Outcome{Cycle: judge.Cycle{Coverage: 1}, Replicas: replicas(), Tables: []plan.TableName{tUsers, tOrders},
				Results: [][]judge.Result{
					{inSync(tUsers, "r1"), inSync(tUsers, "r2")},
					{
						{Table: tOrders, Replica: "r1", Method: judge.ChecksumTable, Chunks: 1, Filtered: "Replicate_Ignore_Table=app.orders on r1",
							Verdict: judge.Verdict{State: judge.InSync, Source: ct("7"), Replica: ct("7")}},
						{Table: tOrders, Replica: "r2", Method: judge.ChecksumTable, Chunks: 1, Filtered: "Replicate_Wild_Do_Table=shop.% does not match it on r2",
							Verdict: judge.Verdict{State: judge.Drifted, Drifted: []int{0}, Source: ct("7"), Replica: ct("8")}},
					},
				}},
		},
		{
			name:   "timeout",
			status: plugin.UNKNOWN,
			out: judge.Outcome{Cycle: judge.Cycle{Coverage: 0.5}, Replicas: replicas(), Tables: []plan.TableName{tUsers, tOrders},
				Results: [][]judge.Result{
					{inSync(tUsers, "r1"), {Table: tUsers, Replica: "r2", Method: judge.ChecksumTable,
						Verdict: judge.Verdict{State: judge.Failed, Err: errors.New("checksum on r2: access denied (error 1142): SELECT command denied")}}},
					{{Table: tOrders, Replica: "r1", Verdict: judge.Verdict{State: judge.NotCompared, Why: "no time left"}},
						{Table: tOrders, Replica: "r2", Verdict: judge.Verdict{State: judge.NotCompared, Why: "timed out"}}},
				}},
		},
		{
			name:   "incomplete",
			status: plugin.WARNING,
			out: judge.Outcome{Replicas: replicas()[:1], Tables: []plan.TableName{tUsers, tOrders},
				Cycle: judge.Cycle{Coverage: 0.371, Chunks: 6, Age: 9 * time.Second},
				Results: [][]judge.Result{
					{{Table: tUsers, Replica: "r1", Method: judge.Rows, Chunks: 6, Note: "about 1993760 rows: compared in chunks",
						Progress: "from the start: 736180 rows compared in this run, up to key 736180 (the table holds about 1993760)",
						Verdict:  judge.Verdict{State: judge.Incomplete, Why: "the run's time (-t) ended first", Source: rs(736180, "5"), Replica: rs(736180, "5")}}},
					{{Table: tOrders, Replica: "r1", Verdict: judge.Verdict{State: judge.Incomplete, Why: "the run's time (-t) ended before it"}}},
				}},
		},
		{
			name:   "cycle",
			status: plugin.CRITICAL,
			maxAge: [2]time.Duration{4 * time.Hour, 12 * time.Hour},
			out: judge.Outcome{Replicas: replicas(), Tables: []plan.TableName{tUsers, tOrders, tHot},
				Cycle: judge.Cycle{State: true, Number: 3, Coverage: 0.4217, Age: 5*time.Hour + 3*time.Second, Chunks: 17, Throttled: 1500 * time.Millisecond,
					Notes: []string{"--state-file /var/lib/replmon-plugins/m1-data is in use by process 4242 since 2026-12-02 04:00:00 UTC: this run compares from its saved progress and does not save"}},
				Results: [][]judge.Result{
					{{Table: tUsers, Replica: "r1", Verdict: judge.Verdict{State: judge.InSync}, Earlier: "last compared 2026-12-02 01:00:00 UTC"},
						{Table: tUsers, Replica: "r2", Method: judge.Rows, Verdict: judge.Verdict{State: judge.Drifted}, Ranges: []string{"id > 499644 and <= 500366"},
							Earlier: "found 2026-12-02 03:00:00 UTC, not compared again in this run"}},
					{{Table: tOrders, Replica: "r1", Method: judge.Rows, Chunks: 9, Progress: "continued: 450565 rows compared in this run, up to key 950565",
						Verdict: judge.Verdict{State: judge.InSync, Source: rs(450565, "1"), Replica: rs(450565, "1")}},
						{Table: tOrders, Replica: "r2", Method: judge.Rows, Chunks: 9, Keys: []judge.KeyDiff{{Key: "id=500000", Kind: judge.Different}},
							Ranges:  []string{"id > 499644 and <= 500366"},
							Verdict: judge.Verdict{State: judge.Drifted, Drifted: []int{4}, Source: rs(450565, "1"), Replica: rs(450565, "2")}}},
					{{Table: tHot, Replica: "r1", Verdict: judge.Verdict{State: judge.Pending}}, {Table: tHot, Replica: "r2", Verdict: judge.Verdict{State: judge.Pending}}},
				}},
		},
	}
	// With --full-output, every line of two of them.
	for _, name := range []string{"ok", "errors"} {
		for _, tt := range tests {
			if tt.name == name {
				tt.name, tt.full = name+"-full", true
				tests = append(tests, tt)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.out.Elapsed = 1234567 * time.Microsecond
			r := plugin.NewReport(nil, 0)
			o := defaultOptions()
			o.Full, o.MaxCycleAge = tt.full, tt.maxAge
			Render(r, &tt.out, o)
			if r.Status() != tt.status {
				t.Errorf("status %v, want %v", r.Status(), tt.status)
			}
			clitest.Golden(t, filepath.Join("testdata", "golden", tt.name+".txt"), r.Render("REPL_CHECKSUM"))
		})
	}
}

func TestStatusMapping(t *testing.T) {
	o := defaultOptions()
	o.Unsettled, o.Lagging = plugin.CRITICAL, plugin.OK
	want := map[judge.State]plugin.Status{
		judge.InSync: plugin.OK, judge.Dropped: plugin.OK, judge.Drifted: plugin.CRITICAL, judge.Missing: plugin.CRITICAL, judge.Structure: plugin.CRITICAL,
		judge.Unsettled: plugin.CRITICAL, judge.Lagging: plugin.OK, judge.Incomparable: plugin.UNKNOWN, judge.Failed: plugin.UNKNOWN, judge.NotCompared: plugin.UNKNOWN,
	}
	for s, w := range want {
		if got := status(s, o); got != w {
			t.Errorf("status(%v) = %v, want %v", s, got, w)
		}
	}
}

// A replica that refused the connection is an outage, named as unreachable.
func TestUnreachableReplica(t *testing.T) {
	out := judge.Outcome{Replicas: replicas()[:1], Tables: []plan.TableName{tUsers},
		Failed: []judge.ReplicaFailure{{Label: "r3", Err: errors.New("connection refused"), Unreachable: true}},
		Results: [][]judge.Result{{{Table: tUsers, Replica: "r1", Method: judge.ChecksumTable, Chunks: 1,
			Verdict: judge.Verdict{State: judge.InSync, Source: ct("1"), Replica: ct("1")}}}}}
	r := plugin.NewReport(nil, 0)
	Render(r, &out, defaultOptions())
	got := r.Render("REPL_CHECKSUM")
	if r.Status() != plugin.CRITICAL || !strings.Contains(got, "unreachable: replica r3: connection refused") {
		t.Errorf("status %v, output\n%s\nwant CRITICAL naming r3 unreachable", r.Status(), got)
	}
}

// TestOutputWithinBound: 302 tables on 4 replicas printed 1 213 lines
// (94 KB) that the 8 KiB bound then cut, problems included. By default the
// tables in sync are counted per replica and the problems listed in full;
// --full-output lists every line (issue 16 item 3).
func TestOutputWithinBound(t *testing.T) {
	reps := []string{"db-replica-1.example.net:3306", "db-replica-2.example.net:3306", "db-replica-3.example.net:3306", "db-replica-4.example.net:3306"}
	out := judge.Outcome{Elapsed: time.Second}
	for _, rep := range reps {
		out.Replicas = append(out.Replicas, judge.ReplicaSummary{Label: rep, Identity: "MariaDB 10.11.19", Route: "replicates from the source"})
	}
	for i := range 302 {
		tb := plan.TableName{Schema: "shop", Name: fmt.Sprintf("table_%03d", i)}
		out.Tables = append(out.Tables, tb)
		var res []judge.Result
		for _, rep := range reps {
			v := judge.Verdict{State: judge.InSync, Source: ct("4239701103"), Replica: ct("4239701103")}
			if i == 300 && rep == reps[3] {
				v = judge.Verdict{State: judge.Drifted, Drifted: []int{0}, Source: ct("4239701103"), Replica: ct("972628272")}
			}
			res = append(res, judge.Result{Table: tb, Replica: rep, Method: judge.ChecksumTable, Chunks: 1, Verdict: v})
		}
		out.Results = append(out.Results, res)
	}
	drift := "CRITICAL shop.table_300 on db-replica-4.example.net:3306: drifted (checksum-table; checksum 4239701103 on the source, 972628272 on the replica)\n"

	r := plugin.NewReport(nil, 0)
	r.SetOutput(plugin.DefaultLimit, false)
	Render(r, &out, defaultOptions())
	got := r.Render("REPL_CHECKSUM")
	if len(got) > plugin.DefaultLimit || !strings.Contains(got, drift) || strings.Contains(got, "more lines not shown") ||
		!strings.Contains(got, "\nOK 302 tables in sync on db-replica-1.example.net:3306\n") ||
		!strings.Contains(got, "\nOK 301 tables in sync on db-replica-4.example.net:3306\n") || strings.Count(got, "\n") != 10 {
		t.Errorf("default output, %d bytes, %d lines:\n%s", len(got), strings.Count(got, "\n"), got)
	}

	r = plugin.NewReport(nil, 0)
	r.SetOutput(0, true)
	o := defaultOptions()
	o.Full = r.Full()
	Render(r, &out, o)
	got = r.Render("REPL_CHECKSUM")
	if lines := strings.Count(got, "\n"); lines != 1+4+302*4 || !strings.Contains(got, drift) ||
		!strings.Contains(got, "\nOK shop.table_000 on db-replica-1.example.net:3306: in sync (checksum-table; checksum 4239701103)\n") {
		t.Errorf("--full-output: %d lines, %d bytes", lines, len(got))
	}
}
