package judge

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
)

// ioStates are the states a running replication I/O (receiver) thread
// reports in Slave_IO_State / Replica_IO_State: every state of the "I/O
// thread states" pages of the MySQL 5.0 to 8.4 manuals and of MariaDB's
// knowledge base, in the "master/slave" spelling and, where MySQL 8.0.26
// renamed it, the "source/replica" one (performance_schema's
// terminology_use_previous map), plus general thread states the thread
// passes through while it writes the relay log and its repositories.
// Only trouble may change the state: a failed connection is CRITICAL, a
// full relay log space is WARNING, anything else is a healthy, busy thread.
var ioStates = []struct {
	state string
	want  plugin.Status
}{
	// Connected and current.
	{"Waiting for master to send event", plugin.OK},
	{"Waiting for source to send event", plugin.OK},
	// Short steps of a healthy thread: connected, handshaking, copying.
	{"Waiting for master update", plugin.OK}, // the initial state, before connecting
	{"Waiting for source update", plugin.OK},
	{"Checking master version", plugin.OK},
	{"Checking source version", plugin.OK},
	{"Registering slave on master", plugin.OK},
	{"Registering replica on source", plugin.OK},
	{"Requesting binlog dump", plugin.OK},
	{"Queueing master event to the relay log", plugin.OK},
	{"Queueing source event to the relay log", plugin.OK},
	{"Waiting for slave mutex on exit", plugin.OK}, // stopping: the next run sees it stopped
	{"Waiting for replica mutex on exit", plugin.OK},
	{"Waiting for its turn to commit", plugin.OK},                       // listed on the 5.7 and 8.0 I/O pages
	{"Flushing relay log and master info repository.", plugin.OK},       // FLUSH RELAY LOGS
	{"Flushing relay log and source info repository.", plugin.OK},       // its 8.0.26 spelling
	{"Waiting for the slave SQL thread to advance position", plugin.OK}, // ... and other general states
	// General thread states met while writing the relay log and the
	// master info repository (a table since MySQL 5.6).
	{"Opening tables", plugin.OK},
	{"System lock", plugin.OK},
	{"Waiting for table metadata lock", plugin.OK},
	{"Waiting for table level lock", plugin.OK},
	{"Waiting for commit lock", plugin.OK},
	{"Waiting for global read lock", plugin.OK},
	{"waiting for handler commit", plugin.OK},
	{"closing tables", plugin.OK},
	{"starting", plugin.OK},
	{"init", plugin.OK},
	{"freeing items", plugin.OK},
	{"Killing slave", plugin.OK},
	{"Killing replica", plugin.OK},
	{"", plugin.OK}, // running, no state reported (a moment between two states)
	// Trouble: the connection failed and the thread retries.
	{"Connecting to master", plugin.CRITICAL},
	{"Connecting to source", plugin.CRITICAL},
	{"Reconnecting after a failed binlog dump request", plugin.CRITICAL},
	{"Reconnecting after a failed master event read", plugin.CRITICAL},
	{"Reconnecting after a failed source event read", plugin.CRITICAL},
	{"Reconnecting after a failed registration on master", plugin.CRITICAL},
	{"Reconnecting after a failed registration on source", plugin.CRITICAL},
	{"Waiting to reconnect after a failed binlog dump request", plugin.CRITICAL},
	{"Waiting to reconnect after a failed master event read", plugin.CRITICAL},
	{"Waiting to reconnect after a failed source event read", plugin.CRITICAL},
	{"Waiting to reconnect after a failed registration on master", plugin.CRITICAL},
	{"Waiting to reconnect after a failed registration on source", plugin.CRITICAL},
	// Trouble: relay_log_space_limit reached, the IO thread stops reading.
	{"Waiting for the slave SQL thread to free enough relay log space", plugin.WARNING},
	{"Waiting for the replica SQL thread to free relay log space", plugin.WARNING},
}

// TestIOStates judges a replica with both threads running and no lag in
// each I/O thread state: only trouble changes the verdict, and a busy
// state stays visible in the long output (the state is kept on the verdict).
func TestIOStates(t *testing.T) {
	for _, tt := range ioStates {
		c := healthy("", 0)
		c.IOState = tt.state
		v := Evaluate([]replica.Channel{c}, defaults())[0]
		if v.Status != tt.want {
			t.Errorf("IO state %q: %v (%v), want %v", tt.state, v.Status, v.Problems, tt.want)
		}
		problems := strings.Join(v.Problems, "; ")
		switch tt.want {
		case plugin.OK:
			if problems != "" {
				t.Errorf("IO state %q: problems %q on a healthy thread", tt.state, problems)
			}
		case plugin.CRITICAL:
			if !strings.Contains(problems, tt.state) {
				t.Errorf("IO state %q: problems %q do not quote the state", tt.state, problems)
			}
		case plugin.WARNING:
			if !strings.Contains(problems, "relay_log_space_limit") {
				t.Errorf("IO state %q: problems %q do not name relay_log_space_limit", tt.state, problems)
			}
		}
		if v.Channel.IOState != tt.state {
			t.Errorf("IO state %q lost from the verdict", tt.state)
		}
	}
}
