package topology

import (
	"errors"
	"strings"

	"github.com/replmon/replmon/internal/query"
)

// Privilege is a privilege the monitoring account lacks on a server, which
// left something unread.
type Privilege struct {
	Name   string // e.g. "SLAVE MONITOR"; "" when no privilege is to blame
	Server string // the server it lacks it on
}

// PrivilegeOf returns the privilege whose lack err reports (a refusal
// explained by query.Explain), "" for any other error. Of the privileges a
// server offers ("SUPER, SLAVE MONITOR") SUPER is left out: a monitoring
// account should not have it.
func PrivilegeOf(err error) string {
	var ae *query.AccessError
	if !errors.As(err, &ae) || ae.Missing == "" {
		return ""
	}
	var keep []string
	for _, p := range strings.Split(ae.Missing, ",") {
		if p = strings.TrimSpace(p); p != "" && !strings.EqualFold(p, "SUPER") {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return strings.TrimSpace(ae.Missing)
	}
	return strings.Join(keep, " or ")
}

// lacks words a refusal for a "cannot tell" reason: "the monitoring account
// lacks SLAVE MONITOR (SHOW ALL SLAVES STATUS: access denied ...)", or the
// error itself when no privilege is to blame.
func lacks(err error) string {
	if p := PrivilegeOf(err); p != "" {
		return "the monitoring account lacks " + p + " (" + err.Error() + ")"
	}
	return err.Error()
}
