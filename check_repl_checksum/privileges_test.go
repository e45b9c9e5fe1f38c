package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// TestWithoutBinlogMonitor: where waits go by binary log position (here a
// replica fed by file and position, as in the seed), confirming a
// difference reads SHOW MASTER STATUS, which needs BINLOG MONITOR on
// MariaDB 10.5+; an account without it gets UNKNOWN naming the privilege,
// never a verdict it could not confirm (docs/INSTALL.md, the privilege
// table of tools/manpage/privileges.go points here).
func TestWithoutBinlogMonitor(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts mariadbd servers")
	}
	topo := sandbox.Pair()
	topo.Server("r1").Sources[0].Positions = true
	sb := sandbox.StartT(t, topo)
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	ctx := context.Background()
	if err := m1.Exec(ctx, "CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, v INT)", "INSERT INTO app.t VALUES (1, 1), (2, 2)"); err != nil {
		t.Fatal(err)
	}
	if err := sb.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*sandbox.Server{m1, r1} {
		if err := s.Exec(ctx, "SET SESSION sql_log_bin = 0",
			"CREATE USER nobinlog@'127.0.0.1' IDENTIFIED BY 'pw'",
			"GRANT SELECT, PROCESS, SLAVE MONITOR ON *.* TO nobinlog@'127.0.0.1'"); err != nil {
			t.Fatal(err)
		}
	}
	if err := r1.Exec(ctx, "SET SESSION sql_log_bin = 0", "UPDATE app.t SET v = 3 WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	bin := clitest.Build(t, "check_repl_checksum")
	res := clitest.Run(t, bin, nil, "--no-defaults", "-u", "nobinlog", "-p", "pw", "-H", "127.0.0.1", "-P", fmt.Sprint(m1.Port), "--replica", r1.Addr(), "-d", "app")
	if res.Code != 3 || !strings.HasPrefix(res.Stdout, "REPL_CHECKSUM UNKNOWN - ") || !strings.Contains(res.Summary(), "BINLOG MONITOR") {
		t.Errorf("exit %d, %q; want UNKNOWN naming BINLOG MONITOR", res.Code, res.Summary())
	}
	res = clitest.Run(t, bin, nil, "--no-defaults", "-u", sandbox.MonitorUser, "-p", sandbox.MonitorPassword, "-H", "127.0.0.1", "-P", fmt.Sprint(m1.Port), "--replica", r1.Addr(), "-d", "app")
	if res.Code != 2 || !strings.Contains(res.Summary(), "drifted: app.t on "+r1.Addr()) {
		t.Errorf("with BINLOG MONITOR: exit %d, %q; want the drift", res.Code, res.Summary())
	}
}
