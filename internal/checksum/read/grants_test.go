package read

import (
	"context"
	"testing"

	"github.com/replmon/replmon/internal/testkit/fakedb"
)

func TestNoSelect(t *testing.T) {
	answer := func(user, n string) *fakedb.Server {
		return fakedb.New(map[string]fakedb.Result{selectGrantsQuery: {Columns: []string{"u", "n"}, Rows: [][]*string{{str(user), str(n)}}}})
	}
	if got, err := NoSelect(context.Background(), answer("monitor@10.0.0.%", "0")); err != nil || got != "'monitor'@'10.0.0.%'" {
		t.Errorf("no SELECT: %q, %v", got, err)
	}
	if got, err := NoSelect(context.Background(), answer("monitor@localhost", "2")); err != nil || got != "" {
		t.Errorf("SELECT held: %q, %v", got, err)
	}
	if _, err := NoSelect(context.Background(), fakedb.New(nil)); err == nil {
		t.Error("refused: no error")
	}
}
