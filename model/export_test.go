package model

import "bytes"

// SearchReference answers q the slow, obvious way, for tests to check the
// engine's fast paths against: every record in turn, on one goroutine, no
// history, no driver-term scan. A term is matched approximately exactly when
// no record contains it (see fuzzy.go).
func (e *Engine) SearchReference(q Query) []int32 {
	modes := make([]int, len(q.terms))
	for i, t := range q.terms {
		found := false
		for r := range e.recs {
			if bytes.Contains(e.text(r), []byte(t)) {
				found = true
				break
			}
		}
		if !found {
			modes[i] = fuzzyK(t)
		}
	}
	p := e.compile(q, modes)
	out := []int32{}
	for i := range e.recs {
		if p.match(e, i, 0) {
			out = append(out, int32(i))
		}
	}
	return out
}
