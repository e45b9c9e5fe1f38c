package judge

import "github.com/replmon/replmon/internal/configcheck/topology"

// serverID (server-id): server_id is set; 0 stops replication both ways.
func serverID(j *audit) {
	id, ok := j.N.ServerID()
	if !ok {
		j.Missing(RuleServerID, "server_id")
		return
	}
	if id != 0 {
		j.Add(RuleServerID, Pass, Fix{}, "server_id is %d", id)
		return
	}
	fix := Fix{Cnf: "server_id = <a number unique among all servers>", Now: "SET GLOBAL server_id = <that number>"}
	if j.F.Replica == topology.No && j.F.HasReplicas == topology.No && j.F.Ring == topology.No {
		j.Add(RuleServerID, Warning, fix, "server_id is 0: this server can be neither a source nor a replica until it is set")
		return
	}
	j.Add(RuleServerID, Critical, fix, "server_id is 0: a source with server_id 0 refuses replicas and a replica with it will not start")
}
