package search

import "slices"

// FieldHelp describes a query field for a help screen, from the tables the
// parser reads, so the help cannot drift from what parses.
type FieldHelp struct {
	Name    string
	Aliases []string // other spellings, sorted
	Numeric bool     // compared as a number (>, >=, ...); else matched as text
}

// Fields lists the fields in canonical order.
func Fields() []FieldHelp {
	out := make([]FieldHelp, 0, len(canonicalNames))
	for _, n := range canonicalNames {
		f := fieldNames[n]
		h := FieldHelp{Name: n, Numeric: f.numeric()}
		for alias, g := range fieldNames {
			if g == f && alias != n {
				h.Aliases = append(h.Aliases, alias)
			}
		}
		slices.Sort(h.Aliases)
		out = append(out, h)
	}
	return out
}

// Operators lists the comparison operators a filter takes ("=", "!=", ...);
// ":" is "=".
func Operators() []string {
	var out []string
	for _, n := range opNames {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
