package plan

import (
	"math/big"
	"strings"
	"testing"
)

func TestSplitRange(t *testing.T) {
	tests := []struct {
		lo, hi int64
		est    int64
		size   int
		want   string // upper bounds
	}{
		{1, 1000, 1000, 300, "250 500 750"},
		{1, 1000, 0, 300, "250 500 750"}, // no estimate: assume dense
		{1, 100, 100, 300, ""},
		{1, 1000000, 1000, 300, "250000 500000 750000"}, // sparse keys: by the estimate
		{-10, 9, 20, 5, "-6 -1 4"},
		{5, 5, 1, 1, ""},
	}
	for _, tt := range tests {
		chunks := SplitRange(big.NewInt(tt.lo), big.NewInt(tt.hi), tt.est, tt.size)
		var bounds []string
		for i, c := range chunks {
			if c.Hi != nil {
				bounds = append(bounds, c.Hi[0])
			}
			if i > 0 && (c.Lo == nil || c.Lo[0] != chunks[i-1].Hi[0]) {
				t.Errorf("%+v: chunk %d does not start where %d ends", tt, i, i-1)
			}
		}
		if chunks[0].Lo != nil || chunks[len(chunks)-1].Hi != nil {
			t.Errorf("%+v: the ends are not open", tt)
		}
		if got := strings.Join(bounds, " "); got != tt.want {
			t.Errorf("SplitRange(%d, %d, est %d, size %d) bounds %q, want %q", tt.lo, tt.hi, tt.est, tt.size, got, tt.want)
		}
	}
	huge, _ := new(big.Int).SetString("18446744073709551615", 10)
	chunks := SplitRange(big.NewInt(0), huge, 0, 1)
	if len(chunks) != MaxChunks {
		t.Errorf("unsigned bigint range: %d chunks, want %d", len(chunks), MaxChunks)
	}
}
