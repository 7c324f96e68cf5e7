package search

import (
	"bytes"

	"github.com/dcx-explorer/dcx/model"
)

// NewEngineDenseMin is NewEngine with scans mapping a term's pairs from
// denseMin records on, so that tests on small data run that path too (0),
// or never run it (a large number).
func NewEngineDenseMin(d *model.Dataset, denseMin int) *Engine {
	opts := defaultEngineOptions()
	opts.denseMin = denseMin
	return newEngine(d, opts)
}

// SearchReference answers q the slow, obvious way, for tests to check the
// engine's fast paths against: every record in turn, on one goroutine, no
// history, no masks, no driver-term scan, no entity sets. A term matches a
// record whose own text, or the text of a company or place it links to,
// contains it; it is matched approximately exactly when no record contains
// it (see fuzzy.go).
func (e *Engine) SearchReference(q Query) []int32 {
	e.Wait()
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
	filters := e.compile(Query{filters: q.filters}, nil, nil)
	out := []int32{}
	for i := range e.recs {
		texts := [][]byte{e.text(i)}
		for _, o := range e.companyLinks(i) {
			texts = append(texts, []byte(e.companies[o].link))
		}
		for _, o := range e.placeLinks(i) {
			texts = append(texts, []byte(e.places[o].link))
		}
		anyText := func(match func([]byte) bool) bool {
			for _, t := range texts {
				if match(t) {
					return true
				}
			}
			return false
		}
		ok := filters.match(e, i, 0)
		for k, t := range q.terms {
			if modes[k] > 0 {
				ok = ok && anyText(newFuzzyTerm(t, modes[k]).matchWhole)
			} else {
				ok = ok && anyText(func(b []byte) bool { return bytes.Contains(b, []byte(t)) })
			}
		}
		for _, x := range q.excl {
			ok = ok && !anyText(func(b []byte) bool { return bytes.Contains(b, []byte(x)) })
		}
		if ok {
			out = append(out, int32(i))
		}
	}
	return out
}

// matchWhole is fuzzyTerm.match the plain way, for the reference: any piece
// anywhere, then Myers over the whole text.
func (f *fuzzyTerm) matchWhole(text []byte) bool {
	for _, p := range f.pieces {
		if bytes.Contains(text, p) {
			return f.distanceWithin(text)
		}
	}
	return false
}

// KeptPairs lists the byte pairs the engine keeps a per-record mask of
// (Engine.pairs), commonest first.
func (e *Engine) KeptPairs() []string {
	e.Wait()
	out := make([]string, keptPairs)
	n := 0
	for pr, k := range e.pairBit {
		if k >= 0 {
			out[k] = string([]byte{byte(pr >> 8), byte(pr)})
			n++
		}
	}
	return out[:n]
}
