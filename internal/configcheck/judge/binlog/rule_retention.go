package binlog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// Retention (binlog-retention): for each channel of a replica, how long it
// can stay disconnected before its source purges a binary log it still
// needs, from its own coordinates (a source cannot see where a
// disconnected replica stopped) and the source's retention: expiry
// (binlog_expire_logs_seconds, expire_logs_days) and size cap
// (max_binlog_total_size, binlog_space_limit). CRITICAL when the binary log
// it needs is already gone.
func Retention(j *verdict.Audit) {
	switch j.F.Replica {
	case topology.No:
		return
	case topology.Maybe:
		j.NotJudged(verdict.RuleRetention, "a replica needs the binary logs of its source from where it stopped", topology.AskReplica)
		return
	}
	for _, e := range j.N.In {
		retentionOf(j, e)
	}
}

// retentionOf judges one channel.
func retentionOf(j *verdict.Audit, e *topology.Edge) {
	const requires = "a replica needs the binary logs of its source from where it stopped"
	src := e.Source
	switch {
	case src == nil && j.T.Mode == topology.Set:
		return // source-in-set reports it
	case src == nil:
		j.Add(verdict.RuleRetention, verdict.Unknown, verdict.Fix{}, "not judged (%s): source %s was not read", requires, e.SourceAddr())
		return
	case !src.Reachable():
		if j.T.Mode != topology.Set {
			j.Add(verdict.RuleRetention, verdict.Unknown, verdict.Fix{}, "not judged (%s): source %s could not be read (%v)", requires, src.Name(), src.Err)
		}
		return
	}
	if on, ok := src.Bool("log_bin"); !ok || !on {
		return // log-bin reports a source without one
	}
	if src.BinlogsErr != nil {
		f := verdict.Finding{Rule: verdict.RuleRetention, Level: verdict.Unknown, Node: j.N,
			Text: fmt.Sprintf("not judged (%s): the binary logs of %s could not be listed: %v", requires, src.Label(), src.BinlogsErr)}
		if p := topology.PrivilegeOf(src.BinlogsErr); p != "" {
			f.Privilege, f.PrivilegeOn = p, src.Name()
			f.Fix = verdict.Fix{Advice: verdict.GrantAdvice(topology.Privilege{Name: p, Server: src.Name()})}
		}
		j.Out = append(j.Out, f)
		return
	}
	files := src.Binlogs
	c := e.Channel
	need := c.RelaySourceLogFile
	if need == "" {
		need = c.SourceLogFile
	}
	if len(files) == 0 {
		return // nothing listed
	}
	rebuild := verdict.Fix{Advice: fmt.Sprintf("rebuild this replica from a fresh copy of %s (the binary logs it needs are gone), "+
		"then keep the source's binary logs longer than the longest outage to expect", src.Name())}
	if lack, ok := purgedGTIDs(j, src, c); ok && !lack.IsEmpty() {
		j.Add(verdict.RuleRetention, verdict.Critical, rebuild, "%s: %s has purged transactions this replica has not received (%s): with auto-positioning it asks for them when it reconnects, "+
			"and replication stops with error 1236", verdict.ChannelName(e), src.Name(), lack)
		return
	}
	byGTID, lack, err := purgedMariaDB(j, src, c)
	switch {
	case err != nil:
		j.Add(verdict.RuleRetention, verdict.Unknown, verdict.Fix{}, "not judged (%s): %s: %v", requires, verdict.ChannelName(e), err)
		return
	case len(lack) > 0:
		j.Add(verdict.RuleRetention, verdict.Critical, rebuild, "%s is by GTID, and the oldest binary log of %s, %s, starts at %s, past what this replica has (%s): "+
			"the transactions between are purged, and replication stops with error 1236 when it reconnects",
			verdict.ChannelName(e), src.Name(), files[0].Name, src.BinlogsStart, lack)
		return
	}
	if need == "" && !byGTID {
		return // a channel that never started
	}
	at := -1
	for i, f := range files {
		if f.Name == need {
			at = i
		}
	}
	if at < 0 && byGTID {
		at = 0 // reconnecting by GTID, it needs nothing older than the oldest binary log left
	}
	if at < 0 {
		why := fmt.Sprintf("which %s no longer has (its oldest is %s)", src.Name(), files[0].Name)
		if !binlogBefore(need, files[0].Name) {
			why = fmt.Sprintf("which is not among the binary logs of %s (%s to %s): they were reset, or this is another server", src.Name(), files[0].Name, files[len(files)-1].Name)
		}
		j.Add(verdict.RuleRetention, verdict.Critical, rebuild, "%s needs the binary log %s, %s: replication stops with error 1236 when it reconnects, and the replica must be rebuilt",
			verdict.ChannelName(e), need, why)
		return
	}
	headroom(j, e, src, files, at)
}

// headroom computes and judges how long the replica of e can stay
// disconnected, the binary log it needs being files[at].
func headroom(j *verdict.Audit, e *topology.Edge, src *topology.Node, files []topology.BinlogFile, at int) {
	expiry, expiryVar := expireAfter(src)
	limit, limitVar := sizeCap(src)
	need := files[at].Name
	where := fmt.Sprintf("it needs the binary log %s of %s", need, src.Label())
	if behind := len(files) - 1 - at; behind > 0 {
		var after int64
		for _, f := range files[at+1:] {
			after += f.Size
		}
		where += fmt.Sprintf(" (%d files and %s behind the one it writes now)", behind, bytesText(after))
	} else {
		where += " (the one it writes now)"
	}
	if expiry == 0 && limit == 0 {
		j.Add(verdict.RuleRetention, verdict.Pass, verdict.Fix{}, "%s: %s, which keeps its binary logs until they are purged by hand (no expiry, no size cap)", verdict.ChannelName(e), where)
		return
	}
	if pause, n := purgesPause(src, e); pause {
		j.Add(verdict.RuleRetention, verdict.Pass, verdict.Fix{}, "%s: %s, which purges none while fewer than %d replicas are connected (slave_connections_needed_for_purge): "+
			"with this one away it keeps them", verdict.ChannelName(e), where, n)
		return
	}
	rate := binlogRate(src)
	var left []time.Duration
	var how []string
	estimate := false
	if expiry > 0 {
		c := e.Channel
		switch {
		case at == len(files)-1:
			left = append(left, expiry)
			how = append(how, fmt.Sprintf("which it deletes %s after it is rotated (%s)", DurationText(expiry), expiryVar))
		case c.IO == replica.Running && c.SQL == replica.Running && c.Lag.Known:
			lag := time.Duration(c.Lag.Seconds) * time.Second
			left = append(left, expiry-lag)
			how = append(how, fmt.Sprintf("written at most %s ago (the replica's lag), deleted %s after it is rotated (%s)", DurationText(lag), DurationText(expiry), expiryVar))
		case rate > 0:
			var after int64
			for _, f := range files[at+1:] {
				after += f.Size
			}
			age := time.Duration(float64(after) / rate * float64(time.Second))
			left = append(left, expiry-age)
			estimate = true
			how = append(how, fmt.Sprintf("rotated about %s ago at the source's average binary log rate (%s/s since it started), deleted %s after it is rotated (%s)",
				DurationText(age), bytesText(int64(rate)), DurationText(expiry), expiryVar))
		default:
			j.Add(verdict.RuleRetention, verdict.Unknown, verdict.Fix{Advice: "reconnect the replica (START SLAVE) before the source's binary logs expire"},
				"not judged: %s: %s, deleted %s after it is rotated (%s), and how long ago that was cannot be read: the replica is not replicating, so its lag is unknown",
				verdict.ChannelName(e), where, DurationText(expiry), expiryVar)
			return
		}
	}
	if limit > 0 {
		var kept int64
		for _, f := range files[at:] {
			kept += f.Size
		}
		room := limit - kept
		switch {
		case room <= 0:
			left = append(left, 0)
			how = append(how, fmt.Sprintf("past the size cap already (%s, %s kept from it on): purged at the next rotation once nothing reads it", limitVar, bytesText(kept)))
		case rate > 0:
			left = append(left, time.Duration(float64(room)/rate*float64(time.Second)))
			estimate = true
			how = append(how, fmt.Sprintf("purged after %s more binary log (%s, %s kept from it on), about %s at the source's average rate of %s/s",
				bytesText(room), limitVar, bytesText(kept), DurationText(time.Duration(float64(room)/rate*float64(time.Second))), bytesText(int64(rate))))
		default:
			how = append(how, fmt.Sprintf("purged after %s more binary log (%s); the source's write rate is unknown", bytesText(room), limitVar))
		}
	}
	if len(left) == 0 {
		j.Add(verdict.RuleRetention, verdict.Unknown, verdict.Fix{}, "not judged: %s: %s, %s", verdict.ChannelName(e), where, strings.Join(how, ", "))
		return
	}
	h := left[0]
	for _, l := range left[1:] {
		h = min(h, l)
	}
	h = max(h, 0)
	about := "at least "
	if estimate {
		about = "about "
	}
	text := fmt.Sprintf("%s can stay disconnected %s%s more: %s, %s", verdict.ChannelName(e), about, DurationText(h), where, strings.Join(how, ", "))
	if h == 0 {
		text = fmt.Sprintf("%s can stay disconnected no longer: %s, %s", verdict.ChannelName(e), where, strings.Join(how, ", "))
	}
	hr := &verdict.Headroom{Left: h, Warn: j.O.RetentionWarning, Crit: j.O.RetentionCritical}
	level := verdict.Pass
	switch {
	case h < j.O.RetentionCritical:
		level = verdict.Critical
		text += fmt.Sprintf(", below --retention-critical %s: an outage longer than that ends in error 1236 and a rebuild", DurationText(j.O.RetentionCritical))
	case h < j.O.RetentionWarning:
		level = verdict.Warning
		text += fmt.Sprintf(", below --retention-warning %s: an outage longer than that ends in error 1236 and a rebuild", DurationText(j.O.RetentionWarning))
	}
	f := verdict.Finding{Rule: verdict.RuleRetention, Level: level, Node: j.N, Text: text, Headroom: hr}
	if level != verdict.Pass {
		f.Fix = keepLonger(src, expiry, limit, h, j.O.RetentionWarning, e)
	}
	j.Out = append(j.Out, f)
}

// keepLonger is the fix of a short headroom: keep the binary logs longer
// (by the amount the threshold lacks, rounded up to days) and, for a
// replica that is not replicating, reconnect it.
func keepLonger(src *topology.Node, expiry time.Duration, limit int64, left, want time.Duration, e *topology.Edge) verdict.Fix {
	var parts []string
	if expiry > 0 {
		need := expiry + want - left
		days := int64(math.Ceil(need.Hours() / 24))
		switch {
		case src.ID.Flavor != server.MariaDB && src.ID.Version.AtLeast(8, 0, 1),
			src.ID.Flavor == server.MariaDB && src.ID.Version.AtLeast(10, 6, 1):
			secs := days * 86400
			parts = append(parts, fmt.Sprintf("on %s: binlog_expire_logs_seconds = %d in [mysqld] of its my.cnf (SET GLOBAL binlog_expire_logs_seconds = %d applies it now)", src.Name(), secs, secs))
		default:
			parts = append(parts, fmt.Sprintf("on %s: expire_logs_days = %d in [mysqld] of its my.cnf (SET GLOBAL expire_logs_days = %d applies it now)", src.Name(), days, days))
		}
	}
	if limit > 0 {
		parts = append(parts, fmt.Sprintf("raise the size cap on %s (max_binlog_total_size) to hold %s of binary logs", src.Name(), DurationText(want)))
	}
	if e.Channel.IO != replica.Running || e.Channel.SQL != replica.Running {
		parts = append(parts, "reconnect the replica (START SLAVE) before then")
	}
	parts = append(parts, "and watch the disk space the longer retention takes")
	return verdict.Fix{Advice: strings.Join(parts, "; ")}
}

// purgedGTIDs returns, for a MySQL channel with auto-positioning, the
// transactions the source has purged that the replica has neither executed
// nor received; ok is false when auto-positioning is not used or the sets
// cannot be read.
func purgedGTIDs(j *verdict.Audit, src *topology.Node, c replica.Channel) (gtid.Set, bool) {
	if j.N.ID.Flavor == server.MariaDB || c.Raw["Auto_Position"] != "1" {
		return gtid.Set{}, false
	}
	purged, err1 := gtid.ParseMySQL(varOr(src, "gtid_purged"))
	have, err2 := gtid.ParseMySQL(varOr(j.N, "gtid_executed"))
	got, err3 := gtid.ParseMySQL(c.RetrievedGTIDSet)
	if err1 != nil || err2 != nil || err3 != nil {
		return gtid.Set{}, false
	}
	return purged.Subtract(have.Union(got)), true
}

// purgedMariaDB tells, for a MariaDB channel replicating by GTID, which
// domains the replica is behind the start of the source's oldest binary
// log in (the transactions between are purged), with its GTID position at
// the start; byGTID is false for a channel by file and position.
// Domains the channel ignores (Replicate_Ignore_Domain_Ids, or outside
// Replicate_Do_Domain_Ids) do not count.
func purgedMariaDB(j *verdict.Audit, src *topology.Node, c replica.Channel) (byGTID bool, lack gtid.Pos, err error) {
	if j.N.ID.Flavor != server.MariaDB || c.UsingGTID == "" || strings.EqualFold(c.UsingGTID, "No") {
		return false, nil, nil
	}
	if src.BinlogsStartErr != nil {
		return true, nil, fmt.Errorf("where the oldest binary log of %s starts is unknown: %v", src.Name(), src.BinlogsStartErr)
	}
	start, err := gtid.ParseMariaDB(src.BinlogsStart)
	if err != nil {
		return true, nil, fmt.Errorf("BINLOG_GTID_POS of %s: %v", src.Name(), err)
	}
	has := map[uint32]uint64{}
	for _, v := range []string{c.GTIDSlavePos, varOr(j.N, "gtid_slave_pos"), varOr(j.N, "gtid_current_pos")} {
		p, err := gtid.ParseMariaDB(v)
		if err != nil {
			return true, nil, fmt.Errorf("the GTID position of this replica: %v", err)
		}
		for _, g := range p {
			has[g.Domain] = max(has[g.Domain], g.Seq)
		}
	}
	ignore, only := domainSet(c.Raw["Replicate_Ignore_Domain_Ids"]), domainSet(c.Raw["Replicate_Do_Domain_Ids"])
	for _, g := range start {
		if ignore[g.Domain] || (len(only) > 0 && !only[g.Domain]) {
			continue
		}
		if has[g.Domain] < g.Seq {
			lack = append(lack, gtid.MariaDB{Domain: g.Domain, Server: g.Server, Seq: has[g.Domain]})
		}
	}
	return true, lack, nil
}

// domainSet reads a comma- or space-separated list of domain ids.
func domainSet(s string) map[uint32]bool {
	out := map[uint32]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if d, err := strconv.ParseUint(f, 10, 32); err == nil {
			out[uint32(d)] = true
		}
	}
	return out
}

// varOr returns a variable's value, "" when the server lacks it.
func varOr(n *topology.Node, name string) string {
	v, _ := n.Var(name)
	return v
}

// expireAfter returns how long after its rotation a source deletes a
// binary log (0: never by age) and the setting that says so.
func expireAfter(n *topology.Node) (time.Duration, string) {
	if on, ok := n.Bool("binlog_expire_logs_auto_purge"); ok && !on {
		return 0, ""
	}
	if s, ok := n.Int("binlog_expire_logs_seconds"); ok && s > 0 {
		return time.Duration(s) * time.Second, fmt.Sprintf("binlog_expire_logs_seconds %d", s)
	}
	if v, ok := n.Var("expire_logs_days"); ok {
		if d, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && d > 0 {
			return time.Duration(d * 24 * float64(time.Hour)), "expire_logs_days " + strings.TrimRight(strings.TrimRight(v, "0"), ".")
		}
	}
	return 0, ""
}

// sizeCap returns the total size of binary logs beyond which a source
// purges the oldest (0: no cap) and the setting that says so.
func sizeCap(n *topology.Node) (int64, string) {
	for _, name := range []string{"max_binlog_total_size", "binlog_space_limit"} {
		if v, ok := n.Int(name); ok && v > 0 {
			return v, fmt.Sprintf("%s %s", name, bytesText(v))
		}
	}
	return 0, ""
}

// purgesPause reports whether the source purges nothing while the replica
// of e is away: MariaDB 11.4+ purges only while at least
// slave_connections_needed_for_purge replicas are connected.
func purgesPause(src *topology.Node, e *topology.Edge) (bool, int64) {
	n, ok := src.Int("slave_connections_needed_for_purge")
	if !ok || n <= 0 {
		return false, 0
	}
	others := src.Replicas.Count()
	if e.Channel.IO == replica.Running {
		others--
	}
	return int64(others) < n, n
}

// binlogRate returns the source's average binary log write rate in bytes
// per second since it started (MariaDB), 0 when unknown.
func binlogRate(n *topology.Node) float64 {
	w, err1 := strconv.ParseFloat(n.Status["binlog_bytes_written"], 64)
	up, err2 := strconv.ParseFloat(n.Status["uptime"], 64)
	if err1 != nil || err2 != nil || w <= 0 || up <= 0 {
		return 0
	}
	return w / up
}

// binlogBefore reports whether binary log a comes before b: by their
// numeric extensions when both have one, else by name.
func binlogBefore(a, b string) bool {
	na, ea := binlogNumber(a)
	nb, eb := binlogNumber(b)
	if ea == nil && eb == nil {
		return na < nb
	}
	return a < b
}

// binlogNumber returns the number after the last dot of a binary log name.
func binlogNumber(name string) (uint64, error) {
	return strconv.ParseUint(name[strings.LastIndexByte(name, '.')+1:], 10, 64)
}

// DurationText writes a duration as people read it: "2d3h", "5h30m",
// "45m", "30s".
func DurationText(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int64(d.Seconds()))
	}
	d = d.Round(time.Minute)
	days, h, m := int64(d/(24*time.Hour)), int64(d%(24*time.Hour)/time.Hour), int64(d%time.Hour/time.Minute)
	var s string
	if days > 0 {
		s += fmt.Sprintf("%dd", days)
	}
	if h > 0 {
		s += fmt.Sprintf("%dh", h)
	}
	if m > 0 && days == 0 {
		s += fmt.Sprintf("%dm", m)
	}
	if s == "" {
		s = "0m"
	}
	return s
}

// bytesText writes a size with a binary unit: "512 B", "3.2 MiB".
func bytesText(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	v, u := float64(b), -1
	for (v >= unit || strconv.FormatFloat(v, 'f', 1, 64) == "1024.0") && u < 4 {
		v /= unit
		u++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + []string{"KiB", "MiB", "GiB", "TiB", "PiB"}[u]
}
