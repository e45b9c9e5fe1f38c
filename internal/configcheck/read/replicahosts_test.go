package read

import (
	"reflect"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

func TestParseReplicaHosts(t *testing.T) {
	tests := []struct {
		name string
		rs   *query.Result
		want []topology.ReplicaHost
	}{
		{"MySQL 5.1", &query.Result{Columns: []string{"Server_id", "Host", "Port", "Rpl_recovery_rank", "Master_id"},
			Rows: [][]*string{{str("21"), str("r1.db"), str("3306"), str("0"), str("2")}}},
			[]topology.ReplicaHost{{ServerID: 21, Host: "r1.db", Port: 3306, SourceID: 2}}},
		{"MySQL 5.7", &query.Result{Columns: []string{"Server_id", "Host", "Port", "Master_id", "Slave_UUID"},
			Rows: [][]*string{{str("21"), str(""), str("0"), str("2"), str("u-1")}}},
			[]topology.ReplicaHost{{ServerID: 21, SourceID: 2, UUID: "u-1"}}},
		{"MySQL 8.4", &query.Result{Columns: []string{"Server_Id", "Host", "Port", "Source_Id", "Replica_UUID"},
			Rows: [][]*string{{str("21"), str("r1.db"), str("3307"), str("2"), str("u-1")}}},
			[]topology.ReplicaHost{{ServerID: 21, Host: "r1.db", Port: 3307, SourceID: 2, UUID: "u-1"}}},
	}
	for _, tc := range tests {
		got, err := parseReplicaHosts(tc.rs)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v %v", tc.name, got, err)
		}
	}
	if got := (topology.ReplicaHost{Host: "r1.db", Port: 3307}).Addr().String(); got != "r1.db:3307" {
		t.Errorf("Addr %q", got)
	}
	if _, err := parseReplicaHosts(&query.Result{Columns: []string{"Server_id"}}); err == nil {
		t.Error("no error without Host and Port")
	}
}

func TestReplicaHostsStatement(t *testing.T) {
	for v, want := range map[string]string{
		"5.1.73-log": "", "5.5.62": "SHOW SLAVE HOSTS", "8.0.21": "SHOW SLAVE HOSTS", "8.0.22": "SHOW REPLICAS",
		"10.4.30-MariaDB": "SHOW SLAVE HOSTS", "10.11.6-MariaDB": "SHOW REPLICA HOSTS",
	} {
		id, _ := server.Parse(v, "")
		if got := replicaHostsStatement(id); got != want {
			t.Errorf("%s: %q, want %q", v, got, want)
		}
	}
}
