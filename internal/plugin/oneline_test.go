package plugin

import "testing"

// oneLine keeps a message on one line and out of the perfdata, with and
// without the characters it replaces (the latter take a shortcut).
func TestOneLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"replicating, lag 0s", "replicating, lag 0s"},
		{"  padded  ", "padded"},
		{"", ""},
		{"two\nlines", "two lines"},
		{"dos\r\nline", "dos line"},
		{"old\rmac", "old mac"},
		{"a|b", "a/b"},
		{"Error 1045: denied\n| x=1\r\n", "Error 1045: denied / x=1"},
	} {
		if got := oneLine(tc.in); got != tc.want {
			t.Errorf("oneLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got, want := summaryText("a;b\nc|d"), "a,b c/d"; got != want {
		t.Errorf("summaryText = %q, want %q", got, want)
	}
}
