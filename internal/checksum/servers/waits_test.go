package servers

import (
	"testing"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/replica"
)

func TestWaitTarget(t *testing.T) {
	tests := []struct {
		pos  string
		self uint32
		want string
		err  bool
	}{
		{"1-1-7,2-2-1", 2, "1-1-7", false},
		{"1-1-7,2-2-1", 1, "2-2-1", false},
		{"1-1-7, 2-2-1", 11, "1-1-7,2-2-1", false},
		{"", 1, "", false},
		{"0-1-5", 1, "", false},
		{"0-1", 1, "", true},
		{"0-x-1", 1, "", true},
		{"0-1-99999999999999999999", 1, "", true},
	}
	for _, tt := range tests {
		got, err := waitTarget(tt.pos, tt.self)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("waitTarget(%q, %d) = %q, %v; want %q, error %v", tt.pos, tt.self, got, err, tt.want, tt.err)
		}
	}
}

func TestNotCovered(t *testing.T) {
	tests := []struct {
		want, have string
		self       uint32
		out        string
	}{
		{"1-1-7,2-2-9", "1-1-7,2-2-5", 1, "2-2-9"},
		{"1-1-7,2-2-9", "2-2-9", 1, ""},
		{"1-1-7,3-5-2", "", 1, "3-5-2"},
		{"0-2-10", "0-1-12", 1, ""},
	}
	for _, tt := range tests {
		got, err := notCovered(tt.want, tt.have, tt.self)
		if err != nil || got != tt.out {
			t.Errorf("notCovered(%q, %q, %d) = %q, %v; want %q", tt.want, tt.have, tt.self, got, err, tt.out)
		}
	}
	if _, err := notCovered("x", "", 1); err == nil {
		t.Error("bad position: no error")
	}
	if _, err := notCovered("", "y", 1); err == nil {
		t.Error("bad position: no error")
	}
}

func TestWaitAnswers(t *testing.T) {
	tests := []struct {
		kind  waitKind
		value string
		null  bool
		want  bool
	}{
		{waitMariaGTID, "0", false, true},
		{waitMariaGTID, "-1", false, false},
		{waitExecutedGTID, "0", false, true},
		{waitExecutedGTID, "1", false, false},
		{waitPosition, "12", false, true},
		{waitPosition, "0", false, true},
		{waitPosition, "-1", false, false},
		{waitPosition, "", true, false},
		{waitPosition, "x", false, false},
	}
	for _, tt := range tests {
		if got := (waitSpec{Kind: tt.kind}).reached(tt.value, tt.null); got != tt.want {
			t.Errorf("kind %d answer %q null %v: reached %v", tt.kind, tt.value, tt.null, got)
		}
	}
}

// TestPlanHop: a hop waits by GTID only where the GTIDs say what was
// applied, else by binary log position on its channel (issue 12 item 8).
// With the seed's two masters writing domain 0, the binary logs hold
// 0-1-N and 0-2-N interleaved (even the same N from both); a position
// keeps the last GTID of the domain and MASTER_GTID_WAIT compares sequence
// numbers only, so a replica that applied 0-1-N would count as having
// 0-2-N.
func TestPlanHop(t *testing.T) {
	maria := mustParse(t, "10.11.6-MariaDB", "")
	my := mustParse(t, "8.0.36", "")
	node := func(label string, id uint32, state string, strict bool) *Node {
		p, err := gtid.ParseMariaDB(state)
		if err != nil {
			t.Fatal(err)
		}
		return &Node{Label: label, ID: maria, ServerID: id, BinlogState: p, StrictMode: strict, LogBin: true, LogSlaveUpdates: true}
	}
	gtidCh := replica.Channel{UsingGTID: "Slave_Pos"}
	posCh := replica.Channel{UsingGTID: "No"}
	one := node("one", 1, "1-1-70,2-2-33", false)
	interleaved := node("interleaved", 1, "0-1-22,0-2-23", false)
	sameSeq := node("same-seq", 1, "0-1-5,0-2-5", false)
	strict := node("strict", 1, "0-1-22,0-2-23", true)
	down := node("down", 11, "", false)
	myUp := &Node{Label: "my-up", ID: my, GTIDMode: true, LogBin: true, LogSlaveUpdates: true}
	myRelay := &Node{Label: "my-relay", ID: my, GTIDMode: true, LogBin: true, Channels: []replica.Channel{{}}}
	myDown := &Node{Label: "my-down", ID: my, GTIDMode: true}
	tests := []struct {
		name  string
		hop   Hop
		by    waitBy
		nowai bool
	}{
		{"one origin per domain, GTID channel", Hop{Up: one, Down: down, ch: gtidCh, known: true}, byGTID, false},
		{"one origin per domain, positions channel", Hop{Up: one, Down: down, ch: posCh, known: true}, byPosition, false},
		{"two origins in domain 0", Hop{Up: interleaved, Down: down, ch: gtidCh, known: true}, byPosition, false},
		{"two origins with the same sequence number", Hop{Up: sameSeq, Down: down, ch: gtidCh, known: true}, byPosition, false},
		{"two origins, gtid_strict_mode", Hop{Up: strict, Down: down, ch: gtidCh, known: true}, byGTID, false},
		{"channel unknown, one origin per domain", Hop{Up: one, Down: down}, byGTID, false},
		{"channel unknown, two origins in a domain", Hop{Up: interleaved, Down: down}, byNone, true},
		{"MySQL GTIDs", Hop{Up: myUp, Down: myDown, known: true}, byGTID, false},
		{"MySQL GTIDs, up does not log what it applies", Hop{Up: myRelay, Down: myDown, known: true}, byPosition, false},
	}
	for _, tt := range tests {
		h := tt.hop
		why := planHop(&h)
		if h.By != tt.by || (why != "") != tt.nowai {
			t.Errorf("%s: by %d (%q), want %d", tt.name, h.By, why, tt.by)
		}
	}
	// The wait for the interleaved binary log names the file and position.
	h := Hop{Up: interleaved, Down: down, ch: gtidCh, known: true}
	planHop(&h)
	w, err := waitStatement(h, judge.Coords{GTID: "0-2-23", File: "mysqld-bin.000001", Pos: 9213}, time.Second)
	if err != nil || w.Query != "SELECT MASTER_POS_WAIT('mysqld-bin.000001', 9213, 1)" {
		t.Errorf("wait %+v, %v", w, err)
	}
	if need := h.need(); need.GTID || !need.Position {
		t.Errorf("coordinates needed %+v, want the position only", need)
	}
}
