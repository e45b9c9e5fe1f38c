package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// ssl (replication-ssl; --require-ssl only): every replication channel of
// the server uses SSL.
func ssl(j *audit) {
	switch j.F.Replica {
	case topology.No:
		return
	case topology.Maybe:
		j.NotJudged(RuleSSL, "--require-ssl: its replication links must use SSL", topology.AskReplica)
		return
	}
	for _, e := range j.N.In {
		if strings.EqualFold(e.Channel.SSLAllowed, "Yes") {
			j.Add(RuleSSL, Pass, Fix{}, "%s uses SSL", verdict.ChannelName(e))
			continue
		}
		how := e.Channel.SSLAllowed
		if how == "" {
			how = "not reported"
		}
		j.Add(RuleSSL, Critical, sslFix(j.N.ID, e.Channel),
			"%s does not use SSL (--require-ssl; Master_SSL_Allowed: %s): the data and the replication password cross the network in clear", verdict.ChannelName(e), how)
	}
}

// sslFix returns the statements that turn SSL on for a channel.
func sslFix(id server.Identity, c replica.Channel) Fix {
	if id.Flavor != server.MariaDB && id.Version.AtLeast(8, 0, 23) {
		ch := ""
		if c.Name != "" {
			ch = fmt.Sprintf(" FOR CHANNEL '%s'", c.Name)
		}
		return Fix{Advice: fmt.Sprintf("STOP REPLICA%[1]s; CHANGE REPLICATION SOURCE TO SOURCE_SSL = 1%[1]s; START REPLICA%[1]s; and REQUIRE SSL for the replication account", ch)}
	}
	conn, ch := "", ""
	if c.Name != "" {
		if id.Flavor == server.MariaDB {
			conn = fmt.Sprintf(" '%s'", c.Name)
		} else {
			ch = fmt.Sprintf(" FOR CHANNEL '%s'", c.Name)
		}
	}
	return Fix{Advice: fmt.Sprintf("STOP SLAVE%[1]s%[2]s; CHANGE MASTER%[1]s TO MASTER_SSL = 1%[2]s; START SLAVE%[1]s%[2]s; and REQUIRE SSL for the replication account", conn, ch)}
}
