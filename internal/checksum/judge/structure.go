package judge

import "strings"

// ColumnDifference describes how two column lists differ.
func ColumnDifference(src, rep string) string {
	a, b := splitList(src), splitList(rep)
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, x := range a {
		inA[x] = true
	}
	for _, x := range b {
		inB[x] = true
	}
	var onlySrc, onlyRep []string
	for _, x := range a {
		if !inB[x] {
			onlySrc = append(onlySrc, x)
		}
	}
	for _, x := range b {
		if !inA[x] {
			onlyRep = append(onlyRep, x)
		}
	}
	var parts []string
	if len(onlySrc) > 0 {
		parts = append(parts, "only on the source: "+strings.Join(onlySrc, ", "))
	}
	if len(onlyRep) > 0 {
		parts = append(parts, "only on the replica: "+strings.Join(onlyRep, ", "))
	}
	if len(parts) == 0 {
		return "columns in another order"
	}
	return "columns " + strings.Join(parts, "; ")
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}
