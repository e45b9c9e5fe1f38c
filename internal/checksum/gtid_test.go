package checksum

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
