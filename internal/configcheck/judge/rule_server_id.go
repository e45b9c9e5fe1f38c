package judge

import "github.com/replmon/replmon/internal/configcheck/topology"

// serverID (server-id): server_id is set; 0 stops replication both ways.
func serverID(j *audit) {
	id, ok := j.n.ServerID()
	if !ok {
		j.missing(RuleServerID, "server_id")
		return
	}
	if id != 0 {
		j.add(RuleServerID, Pass, Fix{}, "server_id is %d", id)
		return
	}
	fix := Fix{Cnf: "server_id = <a number unique among all servers>", Now: "SET GLOBAL server_id = <that number>"}
	if j.f.Replica == topology.No && j.f.HasReplicas == topology.No && j.f.Ring == topology.No {
		j.add(RuleServerID, Warning, fix, "server_id is 0: this server can be neither a source nor a replica until it is set")
		return
	}
	j.add(RuleServerID, Critical, fix, "server_id is 0: a source with server_id 0 refuses replicas and a replica with it will not start")
}
