package model

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"sync"
)

// Result is the outcome of one search. Matches are indices into
// Dataset.Records(), in dataset order; Counts counts them by kind. Matches
// may be shared with other results of the same session and with the engine:
// treat it as read-only.
type Result struct {
	Seq     uint64
	Query   Query
	Matches []int32
	Counts  map[Kind]int
	// Stale is set when a search with a higher Seq already ran on this
	// Searcher: the search was skipped and Matches is empty. Drop the result.
	Stale bool
	// Fuzzy lists the terms no record contains exactly, which were matched
	// approximately instead (see fuzzy.go), so a view can say so.
	Fuzzy []string

	e     *Engine
	exact []string // terms matched exactly, for ranking
}

// Len is the number of matches.
func (r Result) Len() int { return len(r.Matches) }

// Searcher is one session's search state: it remembers its recent results so
// that a query extending one of them (one more letter, one more term, one
// more filter) refines that result instead of rescanning every record, and
// going back (backspace) to a recent query costs nothing.
//
// Sequence numbers: the UI numbers its searches with an increasing Seq (one
// per change of the query) and runs Search in a tea.Cmd. Searches of one
// Searcher are serialized; one whose Seq is lower than a Seq already searched
// returns at once with Stale set and leaves the state alone, so an old query
// can neither overwrite the session's state nor cost a scan. The UI must
// still keep the Seq of the last query it issued and drop every result whose
// Seq differs: results may arrive in any order.
type Searcher struct {
	e  *Engine
	mu sync.Mutex

	started bool
	latest  uint64
	history []*searched     // most recent first
	exists  map[string]bool // whether any record contains a term exactly
}

// searched is a remembered result with the term modes it was computed with.
type searched struct {
	q       Query
	modes   []int
	matches []int32
	counts  [8]int
}

const (
	historyLen = 4
	existsMax  = 1024
)

// NewSearcher starts a session's search state.
func (e *Engine) NewSearcher() *Searcher { return &Searcher{e: e, exists: map[string]bool{}} }

// Search runs q and tags the result with seq.
func (s *Searcher) Search(seq uint64, q Query) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	res := Result{Seq: seq, Query: q, Counts: map[Kind]int{}, e: s.e}
	if s.started && seq < s.latest {
		res.Stale = true
		return res
	}
	s.started, s.latest = true, seq

	// A term no record contains exactly is matched approximately. Whether a
	// term exists is remembered; it is only asked when a search comes back
	// empty, so typing ordinary words never pays for it.
	modes := make([]int, len(q.terms))
	for i, t := range q.terms {
		if known, ok := s.knownExists(t); ok && !known {
			modes[i] = fuzzyK(t)
		}
	}
	got := s.run(q, modes)
	if len(got.matches) == 0 {
		changed := false
		for i, t := range q.terms {
			if modes[i] == 0 && fuzzyK(t) > 0 && !s.termExists(t) {
				modes[i], changed = fuzzyK(t), true
			}
		}
		if changed {
			got = s.run(q, modes)
		}
	}
	s.remember(got)

	res.Matches = got.matches
	for k, c := range got.counts {
		if c > 0 {
			res.Counts[Kinds[k]] = c
		}
	}
	for i, t := range q.terms {
		if modes[i] > 0 {
			res.Fuzzy = append(res.Fuzzy, t)
		} else {
			res.exact = append(res.exact, t)
		}
	}
	return res
}

// knownExists answers from memory: a term extending a term no record
// contains is not contained either.
func (s *Searcher) knownExists(t string) (exists, known bool) {
	if v, ok := s.exists[t]; ok {
		return v, true
	}
	for u, v := range s.exists {
		if !v && strings.Contains(t, u) {
			return false, true
		}
	}
	return false, false
}

func (s *Searcher) termExists(t string) bool {
	if v, ok := s.knownExists(t); ok {
		return v
	}
	v := s.e.exists(t)
	if len(s.exists) >= existsMax {
		clear(s.exists)
	}
	s.exists[t] = v
	return v
}

// run answers q from the smallest remembered result it refines, else by a
// scan of every record.
func (s *Searcher) run(q Query, modes []int) *searched {
	var base *searched
	for _, h := range s.history {
		if refines(q, modes, h.q, h.modes) && (base == nil || len(h.matches) < len(base.matches)) {
			base = h
		}
	}
	if base != nil && q.String() == base.q.String() && slices.Equal(modes, base.modes) {
		return base
	}
	p := s.e.compile(q, modes)
	out := &searched{q: q, modes: modes}
	// Refining checks each remembered match on its own; when they are a
	// large share of all records, one memory-speed pass of the longest term
	// over whole segments is cheaper (typing "ul" after "u").
	if base != nil && len(p.exact) > 0 && len(base.matches) > len(s.e.recs)/4 {
		base = nil
	}
	if base == nil {
		out.matches, out.counts = s.e.scan(p)
	} else {
		out.matches, out.counts = s.e.refine(p, base.matches)
	}
	return out
}

func (s *Searcher) remember(h *searched) {
	for i, old := range s.history {
		if old == h {
			s.history = slices.Delete(s.history, i, i+1)
			break
		}
	}
	s.history = slices.Insert(s.history, 0, h)
	if len(s.history) > historyLen {
		s.history = s.history[:historyLen]
	}
}

// refines reports whether every record matching q (with modes) also matches
// prev (with prevModes), so prev's matches can be filtered instead of all
// records. Each constraint of prev must be implied by one of q: a term by a
// term containing it (an exact match implies any match of a substring; an
// approximate match only an approximate one with as many edits allowed), an
// exclusion by an exclusion contained in it, a filter by a stricter one.
func refines(q Query, modes []int, prev Query, prevModes []int) bool {
	for i, t := range prev.terms {
		ok := false
		for j, u := range q.terms {
			if strings.Contains(u, t) && (modes[j] == 0 || (prevModes[i] > 0 && modes[j] <= prevModes[i])) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, x := range prev.excl {
		ok := false
		for _, y := range q.excl {
			if strings.Contains(x, y) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, g := range prev.filters {
		ok := false
		for _, f := range q.filters {
			if f.implies(g) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// plan is a query compiled against an engine: filters resolved to sets of
// companies, places, statuses and years, terms to byte strings.
type plan struct {
	kinds uint16
	preds []func(i int) bool
	exact [][]byte // longest first: the longest is usually the rarest
	fuzzy []*fuzzyTerm
	excl  [][]byte
	all   bool // no constraint at all
}

func (e *Engine) compile(q Query, modes []int) *plan {
	p := &plan{kinds: math.MaxUint16}
	for i, t := range q.terms {
		if modes[i] > 0 {
			p.fuzzy = append(p.fuzzy, newFuzzyTerm(t, modes[i]))
		} else {
			p.exact = append(p.exact, []byte(t))
		}
	}
	slices.SortStableFunc(p.exact, func(a, b []byte) int { return len(b) - len(a) })
	for _, x := range q.excl {
		p.excl = append(p.excl, []byte(x))
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
			return p.kind == PlaceCountry
		case fieldArea:
			return p.kind == PlaceArea
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
			if set[o] && p.kind == PlaceArea {
				for _, c := range p.contains {
					set[c] = true
				}
			}
		}
	}
	return set
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
	text := e.text(i)
	for _, t := range p.exact[skip:] {
		if !bytes.Contains(text, t) {
			return false
		}
	}
	for _, f := range p.fuzzy {
		if !f.match(text) {
			return false
		}
	}
	for _, x := range p.excl {
		if bytes.Contains(text, x) {
			return false
		}
	}
	return true
}

// partial is one task's share of a scan, merged in task order.
type partial struct {
	matches []int32
	counts  [8]int
}

func merge(parts []partial) ([]int32, [8]int) {
	var counts [8]int
	n := 0
	for _, p := range parts {
		n += len(p.matches)
		for k, c := range p.counts {
			counts[k] += c
		}
	}
	out := make([]int32, 0, n)
	for _, p := range parts {
		out = append(out, p.matches...)
	}
	return out, counts
}

// scan searches every record, one segment per task. With a term to find,
// each segment's text is searched as one buffer (bytes.Index runs at memory
// speed over it) and only records holding the longest term are examined.
func (e *Engine) scan(p *plan) ([]int32, [8]int) {
	if p.all {
		var counts [8]int
		for _, k := range e.kind {
			counts[k]++
		}
		return e.all, counts
	}
	parts := make([]partial, len(e.segs))
	parallel(len(e.segs), func(s int) {
		seg := &e.segs[s]
		lo := s * segSize
		part := &parts[s]
		add := func(i int) {
			part.matches = append(part.matches, int32(i))
			part.counts[e.kind[i]]++
		}
		if len(p.exact) == 0 {
			for j := 0; j < len(seg.off)-1; j++ {
				if p.match(e, lo+j, 0) {
					add(lo + j)
				}
			}
			return
		}
		driver := p.exact[0]
		j, pos := 0, 0
		for pos < len(seg.text) {
			k := bytes.Index(seg.text[pos:], driver)
			if k < 0 {
				break
			}
			hit := uint32(pos + k)
			// Find the record holding the hit: a few steps when hits are
			// dense, a binary search when they are far apart.
			if steps := 0; seg.off[j+1] <= hit {
				for seg.off[j+1] <= hit && steps < 8 {
					j++
					steps++
				}
				if seg.off[j+1] <= hit {
					j += sortSearch(seg.off[j+1:], hit)
				}
			}
			if p.match(e, lo+j, 1) {
				add(lo + j)
			}
			pos = int(seg.off[j+1])
			j++
		}
	})
	return merge(parts)
}

// sortSearch returns how many leading offsets are <= hit.
func sortSearch(off []uint32, hit uint32) int {
	lo, hi := 0, len(off)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if off[m] <= hit {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// refine filters a previous result, in chunks of segSize across cores.
func (e *Engine) refine(p *plan, base []int32) ([]int32, [8]int) {
	tasks := (len(base) + segSize - 1) / segSize
	parts := make([]partial, tasks)
	parallel(tasks, func(t int) {
		part := &parts[t]
		for _, i := range base[t*segSize : min((t+1)*segSize, len(base))] {
			if p.match(e, int(i), 0) {
				part.matches = append(part.matches, i)
				part.counts[e.kind[i]]++
			}
		}
	})
	return merge(parts)
}

// exists reports whether any record contains t exactly.
func (e *Engine) exists(t string) bool {
	found := make([]bool, len(e.segs))
	tb := []byte(t)
	parallel(len(e.segs), func(s int) {
		found[s] = bytes.Contains(e.segs[s].text, tb)
	})
	return slices.Contains(found, true)
}

// Search is the one-shot form the CLI uses: parse, run, return the records
// in dataset order.
func (d *Dataset) Search(query string) ([]Record, error) {
	q, err := ParseQuery(query)
	if err != nil {
		return nil, err
	}
	res := NewEngine(d).NewSearcher().Search(0, q)
	out := make([]Record, len(res.Matches))
	for i, m := range res.Matches {
		out[i] = d.Records()[m]
	}
	return out, nil
}
