package servers

import (
	"strings"
	"testing"
	"time"
)

func TestSessionSetup(t *testing.T) {
	deadline := time.Now().Add(5 * time.Second)
	maria := strings.Join(sessionSetup(mustParse(t, "10.11.6-MariaDB", ""), 2*time.Second, deadline), "; ")
	for _, want := range []string{"SET SESSION sql_mode = ''", "SET SESSION time_zone = '+00:00'", "SET SESSION lock_wait_timeout = 2",
		"SET SESSION max_statement_time = ", "SET SESSION TRANSACTION READ ONLY"} {
		if !strings.Contains(maria, want) {
			t.Errorf("MariaDB session setup %q lacks %q", maria, want)
		}
	}
	my := strings.Join(sessionSetup(mustParse(t, "8.0.36", ""), 1500*time.Millisecond, deadline), "; ")
	for _, want := range []string{"SET SESSION time_zone = '+00:00'", "SET SESSION lock_wait_timeout = 2", "SET SESSION max_execution_time = ", "SET SESSION TRANSACTION READ ONLY"} {
		if !strings.Contains(my, want) {
			t.Errorf("MySQL session setup %q lacks %q", my, want)
		}
	}
	old := strings.Join(sessionSetup(mustParse(t, "5.1.73", ""), time.Second, deadline), "; ")
	if strings.Contains(old, "READ ONLY") || strings.Contains(old, "max_execution_time") {
		t.Errorf("MySQL 5.1 cannot run %q", old)
	}
}
