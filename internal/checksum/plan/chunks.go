package plan

import "math/big"

// Chunk is a range of the primary key: after Lo (exclusive) up to Hi
// (inclusive); nil bounds are open.
type Chunk struct {
	Lo, Hi []string
}

// MaxChunks bounds the chunks of one table.
const MaxChunks = 5000

// SplitRange returns chunks of a single integer key covering every value,
// with boundaries spread evenly between lo and hi so that each holds about
// size of est rows.
func SplitRange(lo, hi *big.Int, est int64, size int) []Chunk {
	span := new(big.Int).Sub(hi, lo)
	span.Add(span, big.NewInt(1))
	rowsEst := big.NewInt(est)
	if est <= 0 || rowsEst.Cmp(span) > 0 {
		rowsEst = new(big.Int).Set(span) // no estimate: assume a dense key
	}
	n := new(big.Int).Add(rowsEst, big.NewInt(int64(size-1)))
	n.Div(n, big.NewInt(int64(size)))
	if n.Cmp(big.NewInt(MaxChunks)) > 0 {
		n.SetInt64(MaxChunks)
	}
	if n.Cmp(big.NewInt(1)) <= 0 {
		return []Chunk{{}}
	}
	width := new(big.Int).Add(span, new(big.Int).Sub(n, big.NewInt(1)))
	width.Div(width, n)
	var bounds [][]string
	b := new(big.Int).Set(lo)
	for i := int64(1); i < n.Int64(); i++ {
		b.Add(b, width)
		if b.Cmp(hi) >= 0 {
			break
		}
		bounds = append(bounds, []string{new(big.Int).Sub(b, big.NewInt(1)).String()})
	}
	return Between(bounds)
}

// Between turns ascending upper bounds (key values) into chunks, open at
// both ends.
func Between(bounds [][]string) []Chunk {
	chunks := make([]Chunk, 0, len(bounds)+1)
	var prev []string
	for _, b := range bounds {
		chunks = append(chunks, Chunk{Lo: prev, Hi: b})
		prev = b
	}
	return append(chunks, Chunk{Lo: prev})
}
