package replica_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/fakedb"
	"github.com/replmon/replmon/internal/testkit/fixture"
)

// TestWorkerErrorsRecorded reads the recorded worker tables of MySQL 5.7
// (LAST_SEEN_TRANSACTION) and 8.0 (APPLYING_TRANSACTION) by column name,
// and finds the worker the coordinator's message names.
func TestWorkerErrorsRecorded(t *testing.T) {
	for _, tt := range []struct {
		fixture string
		want    replica.WorkerError
		cause   string
	}{
		{"mysql-5.7-mts", replica.WorkerError{Channel: "", WorkerID: 3, Errno: 1032, Time: "2024-06-11 10:27:53", Transaction: "ANONYMOUS"},
			"Could not execute Update_rows event on table shop.orders; Can't find record in 'orders', Error_code: 1032; "},
		{"mysql-8.0-mts", replica.WorkerError{Channel: "", WorkerID: 2, Errno: 1062, Time: "2024-06-11 10:27:53.481617",
			Transaction: "5f1c7b2e-8a44-11ee-9c1d-0242ac140002:4419901"},
			"Could not execute Write_rows event on table shop.orders; Duplicate entry '1042' for key 'orders.PRIMARY'"},
		{"scenario-multi-channel-one-broken", replica.WorkerError{Channel: "inventory", WorkerID: 1, Errno: 1062, Time: "2024-06-11 10:27:53.204518",
			Transaction: "a7d03e91-1b6f-11ef-b2c4-525400e1a7c3:3017746"},
			"Could not execute Write_rows event on table inventory.stock; Duplicate entry '4711-3'"},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			fx, err := fixture.LoadFixture(filepath.Join(fixtureDir, tt.fixture+".json"))
			if err != nil {
				t.Fatal(err)
			}
			srv := fakedb.New(fx.Script())
			ws, stmt, err := replica.ReadWorkerErrors(context.Background(), srv, fx.Identity)
			if err != nil || stmt != server.ApplierWorkerErrors || len(ws) != 1 {
				t.Fatalf("ReadWorkerErrors: %v %q %+v", err, stmt, ws)
			}
			w := ws[0]
			msg := w.Message
			w.Message = ""
			if !reflect.DeepEqual(w, tt.want) {
				t.Errorf("worker %+v, want %+v", w, tt.want)
			}
			w.Message = msg
			if !strings.HasPrefix(w.Cause(), tt.cause) || strings.HasPrefix(w.Cause(), "Worker ") {
				t.Errorf("cause %q, want it to start with %q", w.Cause(), tt.cause)
			}
			chans, err := replica.FromResult(fx.Columns, fx.Rows)
			if err != nil {
				t.Fatal(err)
			}
			named := false
			for _, c := range chans {
				if id, ok := c.CoordinatorStopped(); ok {
					named = true
					if id != tt.want.WorkerID || c.Name != tt.want.Channel {
						t.Errorf("coordinator of channel %q names worker %d, want %d on %q", c.Name, id, tt.want.WorkerID, tt.want.Channel)
					}
				}
			}
			if !named {
				t.Error("no channel carries the coordinator's message")
			}
		})
	}
}

// TestWorkerErrorsNotRead: no statement where the server has no such
// table; a refusal is explained with the missing privilege.
func TestWorkerErrorsNotRead(t *testing.T) {
	for _, v := range []struct{ version, comment string }{{"5.6.51", ""}, {"10.11.6-MariaDB", ""}} {
		id, err := server.Parse(v.version, v.comment)
		if err != nil {
			t.Fatal(err)
		}
		srv := fakedb.New(nil)
		ws, stmt, err := replica.ReadWorkerErrors(context.Background(), srv, id)
		if ws != nil || stmt != "" || err != nil || len(srv.Queries()) != 0 {
			t.Errorf("%s: %v %q %v, sent %q", v.version, ws, stmt, err, srv.Queries())
		}
	}
	fx, err := fixture.LoadFixture(filepath.Join(fixtureDir, "scenario-mts-worker-denied.json"))
	if err != nil {
		t.Fatal(err)
	}
	db := fakedb.New(fx.Script()).DB()
	defer db.Close()
	_, _, err = replica.ReadWorkerErrors(context.Background(), mysqlconn.SQL(db), fx.Identity)
	var ae *query.AccessError
	if !errors.As(err, &ae) || ae.Number != 1142 || !strings.Contains(ae.Missing, "replication_applier_status_by_worker") {
		t.Errorf("refusal: %v", err)
	}
}

// TestWorkerErrorsFromResult skips rows without an error and refuses a
// result without the error columns.
func TestWorkerErrorsFromResult(t *testing.T) {
	s := func(v string) *string { return &v }
	res := &query.Result{
		Columns: []string{"CHANNEL_NAME", "WORKER_ID", "LAST_ERROR_NUMBER", "LAST_ERROR_MESSAGE"},
		Rows: [][]*string{
			{s("a"), s("1"), s("0"), s("")},
			{s("a"), s("2"), s("1146"), s("Worker 2 failed executing transaction 'ANONYMOUS' at master log b.1, end_log_pos 4; Error executing row event: 'Table 'x.y' doesn't exist'")},
		},
	}
	ws, err := replica.WorkerErrorsFromResult(res)
	if err != nil || len(ws) != 1 || ws[0].WorkerID != 2 || ws[0].Cause() != "Error executing row event: 'Table 'x.y' doesn't exist'" {
		t.Errorf("%+v %v", ws, err)
	}
	if _, err := replica.WorkerErrorsFromResult(&query.Result{Columns: []string{"CHANNEL_NAME"}}); err == nil {
		t.Error("a result without LAST_ERROR_NUMBER was accepted")
	}
	if got := (replica.WorkerError{Message: "Error 'x' on query"}).Cause(); got != "Error 'x' on query" {
		t.Errorf("cause of a message without the worker preamble: %q", got)
	}
}
