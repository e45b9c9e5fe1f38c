package judge

import "testing"

func TestColumnDifference(t *testing.T) {
	tests := []struct{ src, rep, want string }{
		{"id, v, n", "id, v", "columns only on the source: n"},
		{"id, v", "id, v, extra", "columns only on the replica: extra"},
		{"id, a", "id, b", "columns only on the source: a; only on the replica: b"},
		{"id, v", "v, id", "columns in another order"},
	}
	for _, tt := range tests {
		if got := ColumnDifference(tt.src, tt.rep); got != tt.want {
			t.Errorf("ColumnDifference(%q, %q) = %q, want %q", tt.src, tt.rep, got, tt.want)
		}
	}
}
