package search

import (
	"math"
	"slices"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// plan is a query compiled against an engine: filters resolved to sets of
// companies, places, statuses and years, terms to byte strings.
type plan struct {
	kinds uint16
	preds []func(i int) bool
	exact []*term // longest first: the longest is usually the rarest
	fuzzy []*fuzzyTerm
	excl  []*term
	all   bool // no constraint at all
}

// term is an exact term or exclusion compiled against an engine.
type term struct {
	b    []byte
	mask uint64 // classes every record containing b has
	// byMask: b is one byte alone in its class, so the mask decides.
	byMask bool
	// pairs are the engine's kept pairs b holds (Engine.pairs): a record
	// lacking one cannot hold b. byPair: b is one kept pair, which decides.
	pairs  pairSet
	byPair bool
	links
}

// links are the companies and places whose link text (entity.link) matches
// a term; a record linked to one of them matches too. Nil when none does.
type links struct {
	co, pl []bool
}

func (e *Engine) newTerm(t string, lk links) *term {
	b := []byte(t)
	pairs := pairMask(e.pairBit, b)
	return &term{b: b, mask: textMask(b), byMask: len(b) == 1 && ownClass(b[0]), pairs: pairs, byPair: len(b) == 2 && pairs != pairSet{}, links: lk}
}

// entityLinks finds the entities whose text match accepts.
func (e *Engine) entityLinks(match func(text string) bool) links {
	var l links
	mark := func(ents []entity) []bool {
		var set []bool
		for o, en := range ents {
			if match(en.link) {
				if set == nil {
					set = make([]bool, len(ents))
				}
				set[o] = true
			}
		}
		return set
	}
	l.co, l.pl = mark(e.companies), mark(e.places)
	return l
}

// linked reports whether record i links to an entity of l.
func (e *Engine) linked(i int, l links) bool {
	if l.co != nil {
		for _, o := range e.companyLinks(i) {
			if l.co[o] {
				return true
			}
		}
	}
	if l.pl != nil {
		for _, o := range e.placeLinks(i) {
			if l.pl[o] {
				return true
			}
		}
	}
	return false
}

// has reports whether record i (with text and mask m) matches t.
func (e *Engine) has(i int, m uint64, text []byte, t *term) bool {
	if m&t.mask == t.mask && e.pairs[i].holds(&t.pairs) && (t.byMask || t.byPair || find(text, t.b) >= 0) {
		return true
	}
	return e.linked(i, t.links)
}

// exactLinks returns the entities whose link text contains t, from (and
// into) cache when it is not nil.
func (e *Engine) exactLinks(t string, cache map[string]links) links {
	key := "=" + t
	if l, ok := cache[key]; ok {
		return l
	}
	l := e.entityLinks(func(text string) bool { return strings.Contains(text, t) })
	if cache != nil {
		cache[key] = l
	}
	return l
}

// fuzzyLinks returns the entities whose link text f matches, from (and
// into) cache when it is not nil.
func (e *Engine) fuzzyLinks(f *fuzzyTerm, cache map[string]links) links {
	key := string(rune('0'+f.k)) + f.term
	if l, ok := cache[key]; ok {
		return l
	}
	l := e.entityLinks(func(text string) bool { return f.match([]byte(text)) })
	if cache != nil {
		cache[key] = l
	}
	return l
}

// compile resolves q for this engine. Entity sets are looked up in (and
// added to) cache, which may be nil: typing one term rarely changes the
// others, so a session need not rescan every company name per keystroke.
func (e *Engine) compile(q Query, modes []int, cache map[string]links) *plan {
	p := &plan{kinds: math.MaxUint16}
	exactLinks := func(t string) links { return e.exactLinks(t, cache) }
	for i, t := range q.terms {
		if modes[i] > 0 {
			f := e.newFuzzy(t, modes[i])
			f.links = e.fuzzyLinks(f, cache)
			p.fuzzy = append(p.fuzzy, f)
		} else {
			p.exact = append(p.exact, e.newTerm(t, exactLinks(t)))
		}
	}
	slices.SortStableFunc(p.exact, func(a, b *term) int { return len(b.b) - len(a.b) })
	for _, x := range q.excl {
		p.excl = append(p.excl, e.newTerm(x, exactLinks(x)))
	}
	for _, f := range q.filters {
		if f.field == fieldKind {
			if f.neg {
				p.kinds &^= f.kinds
			} else {
				p.kinds &= f.kinds
			}
			continue
		}
		pred := e.predicate(f)
		if f.neg {
			inner := pred
			pred = func(i int) bool { return !inner(i) }
		}
		p.preds = append(p.preds, pred)
	}
	p.all = p.kinds == math.MaxUint16 && len(p.preds) == 0 && len(p.exact) == 0 && len(p.fuzzy) == 0 && len(p.excl) == 0
	return p
}

func (e *Engine) predicate(f filter) func(i int) bool {
	anyIn := func(set []bool, links func(int) []int32) func(i int) bool {
		return func(i int) bool {
			for _, o := range links(i) {
				if set[o] {
					return true
				}
			}
			return false
		}
	}
	switch f.field {
	case fieldCompany:
		return anyIn(e.companySet(f.values), e.companyLinks)
	case fieldProvider:
		set := e.companySet(f.values)
		return func(i int) bool { return e.provider[i] >= 0 && set[e.provider[i]] }
	case fieldCountry, fieldArea, fieldPlace:
		return anyIn(e.placeSet(f.field, f.values), e.placeLinks)
	case fieldStatus:
		set := make([]bool, len(e.statuses))
		for c := 1; c < len(e.statuses); c++ {
			for _, v := range f.values {
				if strings.HasPrefix(e.statuses[c], v) {
					set[c] = true
				}
			}
		}
		return func(i int) bool { return set[e.status[i]] }
	case fieldQuality:
		var mask uint8
		for q, name := range qualities {
			for _, v := range f.values {
				if strings.HasPrefix(string(name), v) {
					mask |= 1 << uint(q)
				}
			}
		}
		return func(i int) bool { return e.quality[i]&mask != 0 }
	case fieldYear:
		var mask uint64
		for b := 0; b < 64; b++ {
			if f.op.holds(float64(yearBase+b), f.num) {
				mask |= 1 << uint(b)
			}
		}
		return func(i int) bool { return e.years[i]&mask != 0 }
	}
	vals := e.nums[f.field-fieldMW]
	x := float64(float32(f.num))
	o := f.op
	return func(i int) bool {
		v := float64(vals[i])
		return !math.IsNaN(v) && o.holds(v, x)
	}
}

// companySet marks the companies whose name, alias or id contains one of
// values, and their subsidiaries (Alibaba Cloud under Alibaba Group).
func (e *Engine) companySet(values []string) []bool {
	direct := make([]bool, len(e.companies))
	for o, c := range e.companies {
		for _, v := range values {
			if strings.Contains(c.text, v) {
				direct[o] = true
			}
		}
	}
	set := make([]bool, len(e.companies))
	for o := range e.companies {
		// Parent chains are short; the bound guards against a cycle in bad data.
		for a, depth := int32(o), 0; a >= 0 && depth < 32; a, depth = e.companies[a].parent, depth+1 {
			if direct[a] {
				set[o] = true
				break
			}
		}
	}
	return set
}

// placeSet marks the places a country:, area: or place: filter accepts. A
// value equal to a code (KR, apac) selects by code only, so country:in is
// India, not every name containing "in"; otherwise names, aliases and ids
// are searched. An area brings in its countries.
func (e *Engine) placeSet(f field, values []string) []bool {
	set := make([]bool, len(e.places))
	want := func(p entity) bool {
		switch f {
		case fieldCountry:
			return p.kind == model.PlaceCountry
		case fieldArea:
			return p.kind == model.PlaceArea
		}
		return true
	}
	for _, v := range values {
		byCode := false
		for o, p := range e.places {
			if want(p) && p.code != "" && p.code == v {
				set[o], byCode = true, true
			}
		}
		if byCode {
			continue
		}
		for o, p := range e.places {
			if want(p) && strings.Contains(p.text, v) {
				set[o] = true
			}
		}
	}
	if f == fieldArea {
		for o, p := range e.places {
			if set[o] && p.kind == model.PlaceArea {
				for _, c := range p.contains {
					set[c] = true
				}
			}
		}
	}
	return set
}

// trivial reports whether every record holding the exact terms before skip
// matches: no other constraint to test.
func (p *plan) trivial(skip int) bool {
	return p.kinds == math.MaxUint16 && len(p.preds) == 0 && skip == len(p.exact) && len(p.fuzzy) == 0 && len(p.excl) == 0
}

// match tests every constraint but the exact terms before skip.
func (p *plan) match(e *Engine, i int, skip int) bool {
	if p.kinds&(1<<e.kind[i]) == 0 {
		return false
	}
	for _, pred := range p.preds {
		if !pred(i) {
			return false
		}
	}
	if skip == len(p.exact) && len(p.fuzzy) == 0 && len(p.excl) == 0 {
		return true // the common end of a one-word query: no text to read
	}
	text, m := e.text(i), e.mask[i]
	for _, t := range p.exact[skip:] {
		if !e.has(i, m, text, t) {
			return false
		}
	}
	for _, f := range p.fuzzy {
		if !f.match(text) && !e.linked(i, f.links) {
			return false
		}
	}
	for _, x := range p.excl {
		if e.has(i, m, text, x) {
			return false
		}
	}
	return true
}
