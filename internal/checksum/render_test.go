package checksum

import (
	"errors"
	"github.com/replmon/replmon/internal/checksum/plan"
	"path/filepath"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/testkit/clitest"
)

func defaultOptions() Options {
	return Options{Replicas: []address.Addr{address.TCP("r1", 0), address.TCP("r2", 0)}, Method: Auto, Retries: 3, Unsettled: plugin.WARNING,
		Lagging: plugin.WARNING, LockWait: 2 * time.Second, ShowRows: 10, Parallel: 2, ChunkSize: 10000}
}

func ct(v string) Sums          { return Sums{0: {Rows: -1, Value: v}} }
func rs(n int64, v string) Sums { return Sums{0: {Rows: n, Value: v}} }

var (
	tUsers  = plan.TableName{Schema: "app", Name: "users"}
	tOrders = plan.TableName{Schema: "app", Name: "orders"}
	tHot    = plan.TableName{Schema: "app", Name: "hot"}
)

func replicas() []ReplicaSummary {
	return []ReplicaSummary{
		{Label: "r1", Identity: "MariaDB 10.11.19", Route: "replicates from the source"},
		{Label: "r2", Identity: "MariaDB 10.11.19", Route: "replicates from the source through m2; m2 has log_slave_updates=OFF: what it applies from its sources never reaches this replica"},
	}
}

func TestRenderGolden(t *testing.T) {
	inSync := func(tb plan.TableName, rep string) Result {
		return Result{Table: tb, Replica: rep, Method: ChecksumTable, Chunks: 1,
			Verdict: Verdict{State: InSync, Source: ct("4239701103"), Replica: ct("4239701103")}}
	}
	tests := []struct {
		name   string
		out    Outcome
		status plugin.Status
	}{
		{
			name:   "ok",
			status: plugin.OK,
			out: Outcome{Replicas: replicas(), Tables: []plan.TableName{tUsers, tOrders},
				Results: [][]Result{
					{inSync(tUsers, "r1"), inSync(tUsers, "r2")},
					{
						{Table: tOrders, Replica: "r1", Method: Rows, Chunks: 3,
							Verdict: Verdict{State: InSync, Source: Sums{0: {600, "1"}, 1: {600, "2"}, 2: {12, "3"}}, Replica: Sums{0: {600, "1"}, 1: {600, "2"}, 2: {12, "3"}}},
							Note:    "versions differ: MariaDB 10.11.19 and MySQL 8.0.36"},
						{Table: tOrders, Replica: "r2", Method: Rows, Chunks: 1, Verdict: Verdict{State: InSync, Retries: 1, Source: rs(1212, "9"), Replica: rs(1212, "9")}},
					},
				}},
		},
		{
			name:   "drift",
			status: plugin.CRITICAL,
			out: Outcome{Replicas: replicas(), Tables: []plan.TableName{tUsers, tOrders},
				Results: [][]Result{
					{inSync(tUsers, "r1"), {Table: tUsers, Replica: "r2", Method: ChecksumTable, Chunks: 1,
						Verdict: Verdict{State: Drifted, Drifted: []int{0}, Source: ct("4239701103"), Replica: ct("972628272")},
						Keys:    []KeyDiff{{"id=21", OnlySource}, {"id=23", OnlySource}, {"id=25", OnlySource}, {"id=4", Different}}, MoreKeys: 2}},
					{
						{Table: tOrders, Replica: "r1", Method: Rows, Chunks: 4,
							Verdict: Verdict{State: Drifted, Drifted: []int{2}, Unsettled: []int{0}, Retries: 3, Why: "still changing on the source after 3 retries",
								Source: Sums{0: {10, "1"}, 1: {10, "2"}, 2: {10, "3"}, 3: {5, "4"}}, Replica: Sums{0: {10, "1"}, 1: {10, "2"}, 2: {9, "7"}, 3: {5, "4"}}},
							Keys: []KeyDiff{{"id=5", OnlySource}}},
						{Table: tOrders, Replica: "r2", Method: Rows, Chunks: 1,
							Verdict: Verdict{State: Drifted, Drifted: []int{0}, Source: rs(5, "1"), Replica: rs(5, "2")}, KeysNote: "no primary key: differing rows cannot be listed"},
					},
				}},
		},
		{
			name:   "unsettled-lagging",
			status: plugin.WARNING,
			out: Outcome{Replicas: replicas(), Tables: []plan.TableName{tUsers, tHot},
				Results: [][]Result{
					{inSync(tUsers, "r1"), {Table: tUsers, Replica: "r2", Method: ChecksumTable, Chunks: 1,
						Verdict: Verdict{State: Lagging, Source: ct("1"), Replica: ct("2"), Why: "r2 did not reach the source's coordinates within 3.0s"}}},
					{
						{Table: tHot, Replica: "r1", Method: Rows, Chunks: 1,
							Verdict: Verdict{State: Unsettled, Unsettled: []int{0}, Retries: 3, Why: "still changing on the source after 3 retries", Source: rs(200, "1"), Replica: rs(200, "2")}},
						{Table: tHot, Replica: "r2", Method: Rows, Chunks: 1,
							Verdict: Verdict{State: Lagging, Source: rs(200, "1"), Replica: rs(199, "2"), Why: "replication is stopped on r2 (SQL thread not running)"}},
					},
				}},
		},
		{
			name:   "errors",
			status: plugin.CRITICAL,
			out: Outcome{Replicas: replicas()[:1], Tables: []plan.TableName{tUsers, tOrders, tHot, {Schema: "app", Name: "gone"}},
				Failed: []ReplicaFailure{{Label: "r3", Err: errors.New("did not answer within 3.0s")}},
				Results: [][]Result{
					{{Table: tUsers, Replica: "r1", Method: ChecksumTable, Verdict: Verdict{State: Missing}}},
					{{Table: tOrders, Replica: "r1", Method: Rows, Verdict: Verdict{State: Structure, Why: "columns only on the source: n"}}},
					{{Table: tHot, Replica: "r1", Method: ChecksumTable, Chunks: 1, Verdict: Verdict{State: Incomparable, Source: ct("1"), Replica: ct("2"),
						Why: "CHECKSUM TABLE values differ by design: versions differ: MariaDB 10.11.19 and MySQL 8.0.36; use --method=rows"}}},
					{{Table: plan.TableName{Schema: "app", Name: "gone"}, Replica: "r1", Verdict: Verdict{State: Dropped}}},
				}},
		},
		{
			name:   "timeout",
			status: plugin.UNKNOWN,
			out: Outcome{Replicas: replicas(), Tables: []plan.TableName{tUsers, tOrders},
				Results: [][]Result{
					{inSync(tUsers, "r1"), {Table: tUsers, Replica: "r2", Method: ChecksumTable,
						Verdict: Verdict{State: Failed, Err: errors.New("checksum on r2: access denied (error 1142): SELECT command denied")}}},
					{{Table: tOrders, Replica: "r1", Verdict: Verdict{State: NotCompared, Why: "no time left"}},
						{Table: tOrders, Replica: "r2", Verdict: Verdict{State: NotCompared, Why: "timed out"}}},
				}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.out.Options = defaultOptions()
			tt.out.Elapsed = 1234567 * time.Microsecond
			r := plugin.NewReport(nil, 0)
			Render(r, &tt.out)
			if r.Status() != tt.status {
				t.Errorf("status %v, want %v", r.Status(), tt.status)
			}
			clitest.Golden(t, filepath.Join("testdata", "render", tt.name+".txt"), r.Render("REPL_CHECKSUM"))
		})
	}
}

func TestStatusMapping(t *testing.T) {
	o := defaultOptions()
	o.Unsettled, o.Lagging = plugin.CRITICAL, plugin.OK
	want := map[State]plugin.Status{
		InSync: plugin.OK, Dropped: plugin.OK, Drifted: plugin.CRITICAL, Missing: plugin.CRITICAL, Structure: plugin.CRITICAL,
		Unsettled: plugin.CRITICAL, Lagging: plugin.OK, Incomparable: plugin.UNKNOWN, Failed: plugin.UNKNOWN, NotCompared: plugin.UNKNOWN,
	}
	for s, w := range want {
		if got := status(s, o); got != w {
			t.Errorf("status(%v) = %v, want %v", s, got, w)
		}
	}
}
