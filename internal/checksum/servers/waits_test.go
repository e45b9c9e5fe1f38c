package servers

import "testing"

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
