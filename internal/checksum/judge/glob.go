package judge

import (
	"errors"
	"unicode/utf8"
)

// The patterns of -d, --table and --exclude are shell-style globs over
// database and table names. Unlike path.Match, '*' and '?' also match '/',
// which MySQL and MariaDB allow in quoted names (`a/b` is stored as a@002fb).
//
//	*        any run of characters, possibly empty
//	?        one character
//	[abc]    one character of the class; [a-z] ranges; [^...] or [!...] negates
//	\c       the character c itself

// errBadGlob is returned by checkGlob for a malformed pattern.
var errBadGlob = errors.New("malformed glob pattern")

// checkGlob reports whether pattern is well formed: every class closed and
// not empty, ranges in order, no trailing backslash.
func checkGlob(pattern string) error {
	if !utf8.ValidString(pattern) {
		return errBadGlob
	}
	p := []rune(pattern)
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			if i+1 == len(p) {
				return errBadGlob
			}
			i++
		case '[':
			_, w, ok := matchClass(p[i:], 0)
			if !ok {
				return errBadGlob
			}
			i += w - 1
		}
	}
	return nil
}

// matchGlob reports whether name matches the well-formed pattern. It runs
// in O(len(pattern)·len(name)): a '*' only ever resumes at its latest
// position, so nothing backtracks exponentially.
func matchGlob(pattern, name string) bool {
	p, n := []rune(pattern), []rune(name)
	pi, ni := 0, 0
	starP, starN := -1, 0
	for pi < len(p) || ni < len(n) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == '*':
				starP, starN = pi, ni
				pi++
				continue
			case ni == len(n):
				// only a '*' can match the empty rest
			case c == '?':
				pi, ni = pi+1, ni+1
				continue
			case c == '[':
				if in, w, ok := matchClass(p[pi:], n[ni]); ok && in {
					pi, ni = pi+w, ni+1
					continue
				}
			case c == '\\' && pi+1 < len(p):
				if p[pi+1] == n[ni] {
					pi, ni = pi+2, ni+1
					continue
				}
			case c == n[ni]:
				pi, ni = pi+1, ni+1
				continue
			}
		}
		if starP >= 0 && starN < len(n) {
			starN++
			pi, ni = starP+1, starN
			continue
		}
		return false
	}
	return true
}

// matchClass reads the class at the start of p (p[0] == '[') and reports
// whether r is in it, the class's width in runes, and whether it is well
// formed. A ']' right after the opening (or after the negation) is literal.
func matchClass(p []rune, r rune) (in bool, width int, ok bool) {
	i := 1
	negate := i < len(p) && (p[i] == '^' || p[i] == '!')
	if negate {
		i++
	}
	first := true
	for i < len(p) {
		if p[i] == ']' && !first {
			return in != negate, i + 1, true
		}
		first = false
		lo, next, good := classChar(p, i)
		if !good {
			return false, 0, false
		}
		hi := lo
		if next+1 < len(p) && p[next] == '-' && p[next+1] != ']' {
			if hi, next, good = classChar(p, next+1); !good || hi < lo {
				return false, 0, false
			}
		}
		if lo <= r && r <= hi {
			in = true
		}
		i = next
	}
	return false, 0, false // not closed
}

// classChar reads one possibly escaped character of a class at p[i].
func classChar(p []rune, i int) (c rune, next int, ok bool) {
	if p[i] == '\\' {
		if i+1 == len(p) {
			return 0, 0, false
		}
		return p[i+1], i + 2, true
	}
	return p[i], i + 1, true
}
